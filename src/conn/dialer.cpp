#include "conn/dialer.hpp"

#include "conn/handshake_driver.hpp"
#include "conn/socket_deadline.hpp"

#include <sodium.h>
#include <unistd.h>

#include <vector>

namespace weft::conn {
namespace {

/// Asio leaves write interest (EPOLLOUT) registered after an asynchronous connect, and
/// every later wait for reading re-arms it: each message we receive would then also wake
/// the reactor for a pointless write event. Registering the descriptor afresh leaves read
/// interest only. On failure the socket is returned as it was (it still works).
tcp::socket with_read_interest_only(tcp::socket socket) {
  boost::system::error_code ec;
  const auto endpoint = socket.local_endpoint(ec);
  if (ec) return socket;
  const auto executor = socket.get_executor();
  const auto fd = socket.release(ec);
  if (ec) return socket;
  tcp::socket fresh(executor);
  fresh.assign(endpoint.protocol(), fd, ec);
  if (ec) ::close(fd);  // `fresh` stays closed: the handshake fails with a clear error
  return fresh;
}

}  // namespace

asio::awaitable<Result<std::shared_ptr<SecureConnection>>> dial(Keypair identity, Multiaddr address,
                                                               DialConfig config) {
  auto target = address.to_tcp_endpoint();
  if (!target) co_return target.error();
  // The address as text names it in errors (built only then: printing a PeerId costs).
  const auto where = [&address] { return address.to_string(); };

  auto executor = co_await asio::this_coro::executor;
  boost::system::error_code ec;
  const auto& host = target.value();
  using Kind = TcpEndpoint::HostKind;
  std::vector<tcp::endpoint> endpoints;
  if (host.kind == Kind::ip4 || host.kind == Kind::ip6) {
    // Numeric hosts need no lookup (Asio's resolver would hop to a helper thread).
    endpoints.emplace_back(asio::ip::make_address(host.host, ec), host.port);
    if (ec) co_return Error(Errc::dial_failed, where() + ": " + ec.message());
  } else {
    tcp::resolver resolver(executor);
    const auto port = std::to_string(host.port);
    // (No co_await inside ?: — g++ 12 miscompiles it.)
    tcp::resolver::results_type results;
    if (host.kind == Kind::dns4) {
      results = co_await resolver.async_resolve(tcp::v4(), host.host, port, asio::redirect_error(asio::use_awaitable, ec));
    } else if (host.kind == Kind::dns6) {
      results = co_await resolver.async_resolve(tcp::v6(), host.host, port, asio::redirect_error(asio::use_awaitable, ec));
    } else {
      results = co_await resolver.async_resolve(host.host, port, asio::redirect_error(asio::use_awaitable, ec));
    }
    if (ec) co_return Error(Errc::dial_failed, where() + ": resolving failed: " + ec.message());
    for (const auto& entry : results) endpoints.push_back(entry.endpoint());
  }

  auto guard = std::make_shared<SocketDeadline>(tcp::socket(executor));
  guard->arm(std::chrono::steady_clock::now() + std::chrono::milliseconds(config.connect_timeout_ms));
  const tcp::endpoint remote =
      co_await asio::async_connect(guard->socket(), endpoints, asio::redirect_error(asio::use_awaitable, ec));
  guard->disarm();
  if (guard->expired()) co_return Error(Errc::dial_failed, where() + ": connect timed out");
  if (ec) co_return Error(Errc::dial_failed, where() + ": " + ec.message());

  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::milliseconds(config.handshake.handshake_timeout_ms);
  auto random = [](std::span<std::uint8_t> out) { randombytes_buf(out.data(), out.size()); };
  handshake::HandshakeConfig handshake_config = config.handshake;
  handshake_config.versions = handshake::runnable_versions(std::move(handshake_config.versions));
  auto machine = handshake::HandshakeMachine::initiator(identity, handshake_config, random, wall_now(),
                                                        address.peer_id(), config.early_data);
  co_return co_await run_handshake(with_read_interest_only(std::move(guard->socket())), remote, std::move(machine),
                                   deadline, config.channel);
}

}  // namespace weft::conn
