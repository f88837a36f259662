#include "conn/handshake_driver.hpp"

#include "conn/read_scratch.hpp"
#include "conn/socket_deadline.hpp"

namespace weft::conn {
namespace {

Error transport_error(const SocketDeadline& guard, const boost::system::error_code& ec, const char* op) {
  if (guard.expired()) return Error(Errc::handshake_timeout);
  if (ec == asio::error::eof) return Error(Errc::handshake_closed, "closed by the peer");
  return Error(Errc::handshake_closed, std::string(op) + " failed: " + ec.message());
}

}  // namespace

handshake::WallTime wall_now() {
  return std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
}

asio::awaitable<Result<std::shared_ptr<SecureConnection>>> run_handshake(
    tcp::socket socket, tcp::endpoint remote, handshake::HandshakeMachine machine,
    std::chrono::steady_clock::time_point deadline, channel::ChannelConfig channel_config) {
  auto guard = std::make_shared<SocketDeadline>(std::move(socket));
  guard->arm(deadline);
  boost::system::error_code ec;
  // Small messages in both directions: never let Nagle's algorithm hold one back. Reads
  // below are non-blocking, after waiting for readability.
  guard->socket().set_option(tcp::no_delay(true), ec);
  guard->socket().non_blocking(true, ec);
  Bytes leftover;
  for (;;) {
    if (Bytes out = machine.take_output(); !out.empty()) {
      if (guard->expired()) co_return Error(Errc::handshake_timeout);
      co_await asio::async_write(guard->socket(), asio::buffer(out), asio::redirect_error(asio::use_awaitable, ec));
      if (ec) co_return transport_error(*guard, ec, "write");
    }
    if (machine.finished()) break;

    if (guard->expired()) co_return Error(Errc::handshake_timeout);
    // Wait, then read: no failed speculative read, and no buffer held while waiting.
    co_await guard->socket().async_wait(tcp::socket::wait_read, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return transport_error(*guard, ec, "read");
    const auto scratch = read_scratch();
    const std::size_t n = guard->socket().read_some(asio::buffer(scratch.data(), scratch.size()), ec);
    if (ec == asio::error::would_block) continue;  // a spurious wake-up
    if (ec) co_return transport_error(*guard, ec, "read");
    const ByteView received(scratch.data(), n);
    auto used = machine.put(received, wall_now());
    if (used && machine.finished()) leftover.assign(received.begin() + static_cast<std::ptrdiff_t>(used.value()), received.end());
    // On error the machine is finished too; the loop sends any Reject it left, then stops.
  }
  guard->disarm();

  const auto& result = *machine.result();
  if (!result) co_return result.error();
  auto connection = std::make_shared<SecureConnection>(std::move(guard->socket()), remote, result.value(),
                                                       std::move(leftover), channel_config);
  co_return connection;
}

}  // namespace weft::conn
