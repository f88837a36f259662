#include "conn/handshake_driver.hpp"

#include <array>

namespace weft::conn {
namespace {

Error transport_error(const boost::system::error_code& ec, const char* op) {
  if (ec == beast::error::timeout) return Error(Errc::handshake_timeout);
  if (ec == asio::error::eof) return Error(Errc::handshake_closed, "closed by the peer");
  return Error(Errc::handshake_closed, std::string(op) + " failed: " + ec.message());
}

}  // namespace

handshake::WallTime wall_now() {
  return std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
}

asio::awaitable<Result<std::shared_ptr<SecureConnection>>> run_handshake(
    beast::tcp_stream stream, handshake::HandshakeMachine machine, std::chrono::steady_clock::time_point deadline,
    channel::ChannelConfig channel_config) {
  std::array<std::uint8_t, 1024> buffer;
  Bytes leftover;
  // Small messages in both directions: never let Nagle's algorithm hold one back.
  boost::system::error_code nodelay_ec;
  stream.socket().set_option(tcp::no_delay(true), nodelay_ec);
  for (;;) {
    if (Bytes out = machine.take_output(); !out.empty()) {
      stream.expires_at(deadline);
      boost::system::error_code ec;
      co_await asio::async_write(stream, asio::buffer(out), asio::redirect_error(asio::use_awaitable, ec));
      if (ec) co_return transport_error(ec, "write");
    }
    if (machine.finished()) break;

    stream.expires_at(deadline);
    boost::system::error_code ec;
    const std::size_t n =
        co_await stream.async_read_some(asio::buffer(buffer), asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return transport_error(ec, "read");
    const ByteView received(buffer.data(), n);
    auto used = machine.put(received, wall_now());
    if (used && machine.finished()) leftover.assign(received.begin() + static_cast<std::ptrdiff_t>(used.value()), received.end());
    // On error the machine is finished too; the loop sends any Reject it left, then stops.
  }

  const auto& result = *machine.result();
  if (!result) co_return result.error();
  auto connection = std::make_shared<SecureConnection>(std::move(stream), result.value(), std::move(leftover),
                                                       channel_config);
  connection->start();
  co_return connection;
}

}  // namespace weft::conn
