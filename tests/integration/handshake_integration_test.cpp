// The handshake and secure channel over real loopback sockets (src/conn drivers): success
// and ping, PeerId and version mismatches, and hostile clients — silence until the
// deadline, a slow-byte sender, garbage, an oversized length prefix, a flood of half-open
// connections — while an honest client still completes its handshake.

#include "conn/dialer.hpp"
#include "conn/listener.hpp"
#include "node/ping.hpp"
#include "util/asio.hpp"

#include <weft/keys.hpp>
#include <weft/multiaddr.hpp>
#include <weft/peer_id.hpp>

#include <doctest/doctest.h>

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace weft {
namespace {

using namespace std::chrono_literals;

/// A listener on 127.0.0.1:<ephemeral> that records what happened to each connection.
struct TestServer {
  asio::io_context& io;
  Keypair identity = Keypair::generate();
  std::vector<std::shared_ptr<conn::SecureConnection>> established;
  std::vector<Error> refused;
  std::vector<Error> closed;  ///< why each established connection ended
  std::unique_ptr<conn::Listener> listener;

  explicit TestServer(asio::io_context& io_context, conn::ListenerConfig config = {}, conn::AdmitFunction admit = {})
      : io(io_context) {
    conn::Listener::Callbacks callbacks;
    callbacks.admit = std::move(admit);
    callbacks.on_established = [this](std::shared_ptr<conn::SecureConnection> c) {
      established.push_back(c);
      asio::co_spawn(io, serve(c, closed), asio::detached);
    };
    callbacks.on_refused = [this](const tcp::endpoint&, const Error& reason) { refused.push_back(reason); };
    listener = std::make_unique<conn::Listener>(io, identity, std::move(config), std::move(callbacks));
    REQUIRE(listener->listen(tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)).has_value());
  }

  static asio::awaitable<void> serve(std::shared_ptr<conn::SecureConnection> c, std::vector<Error>& closed) {
    closed.push_back(co_await node::serve_ping(c));
  }

  PeerId peer_id() const { return PeerId::from_public_key(identity.public_key()); }
  std::uint16_t port() const { return listener->local_endpoint().port(); }
  Multiaddr address(bool with_peer = true) const {
    std::string text = "/ip4/127.0.0.1/tcp/" + std::to_string(port());
    if (with_peer) text += "/p2p/" + peer_id().to_string();
    return Multiaddr::parse(text).value();
  }
  bool refused_with(Errc code) const {
    for (const auto& e : refused) {
      if (e == code) return true;
    }
    return false;
  }
};

template <class T>
asio::awaitable<void> store_into(std::optional<T>& out, asio::awaitable<T> task) {
  out.emplace(co_await std::move(task));
}

/// Runs `task` to completion on `io` (plus whatever else is queued), then returns its value.
template <class T>
T run(asio::io_context& io, asio::awaitable<T> task) {
  std::optional<T> out;
  asio::co_spawn(io, store_into(out, std::move(task)), [](std::exception_ptr e) {
    if (e) std::rethrow_exception(e);
  });
  io.restart();
  while (!out && io.run_one() > 0) {
  }
  REQUIRE(out.has_value());
  return std::move(*out);
}

/// Polls `io` until `done()` or nothing is left to run.
template <class Pred>
void run_until(asio::io_context& io, Pred done) {
  io.restart();
  while (!done() && io.run_one() > 0) {
  }
}

asio::awaitable<Result<std::chrono::nanoseconds>> dial_and_ping(Keypair me, Multiaddr to,
                                                                conn::DialConfig config = {}) {
  auto connection = co_await conn::dial(me, to, config);
  if (!connection) co_return connection.error();
  auto rtt = co_await node::ping_once(connection.value());
  connection.value()->close(Error(Errc::channel_closed, "test done"));
  co_return rtt;
}

/// A raw TCP client that sends `bytes` (one byte at a time with `gap` between when
/// non-zero) and then waits for the server to close; returns how it ended.
asio::awaitable<std::string> raw_client(std::uint16_t port, Bytes bytes, std::chrono::milliseconds gap,
                                        std::string source_ip = "127.0.0.1") {
  auto executor = co_await asio::this_coro::executor;
  tcp::socket socket(executor);
  socket.open(tcp::v4());
  socket.bind(tcp::endpoint(asio::ip::make_address(source_ip), 0));
  co_await socket.async_connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port), asio::use_awaitable);
  boost::system::error_code ec;
  asio::steady_timer timer(executor);
  for (std::size_t i = 0; i < bytes.size() && !ec; i += gap.count() > 0 ? 1 : bytes.size()) {
    const std::size_t n = gap.count() > 0 ? 1 : bytes.size();
    co_await asio::async_write(socket, asio::buffer(bytes.data() + i, n), asio::redirect_error(asio::use_awaitable, ec));
    if (gap.count() > 0 && !ec) {
      boost::system::error_code timer_ec;
      timer.expires_after(gap);
      co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, timer_ec));
    }
  }
  std::array<std::uint8_t, 512> sink;
  while (!ec) {
    co_await socket.async_read_some(asio::buffer(sink), asio::redirect_error(asio::use_awaitable, ec));
  }
  co_return ec == asio::error::eof ? std::string("closed by server") : ec.message();
}

}  // namespace

TEST_CASE("integration: dial, handshake, ping over loopback; both sides agree on identities") {
  asio::io_context io;
  TestServer server(io);
  const Keypair client = Keypair::generate();
  auto rtt = run(io, dial_and_ping(client, server.address()));
  CHECK(rtt.has_value());
  run_until(io, [&] { return !server.established.empty(); });
  REQUIRE(server.established.size() == 1);
  CHECK(server.established[0]->peer() == PeerId::from_public_key(client.public_key()));
  CHECK(server.listener->counters().established == 1);
}

namespace {

/// Counts what happens to one admitted connection's ticket.
struct TicketLog {
  int issued = 0;
  int succeeded = 0;
  int released = 0;
};

class CountingTicket : public conn::AdmissionTicket {
 public:
  explicit CountingTicket(TicketLog& log) : log_(log) { ++log_.issued; }
  ~CountingTicket() override { ++log_.released; }
  void handshake_succeeded() override { ++log_.succeeded; }

 private:
  TicketLog& log_;
};

}  // namespace

TEST_CASE("integration: the admission hook refuses before the handshake; a ticket lives as long as its connection") {
  asio::io_context io;
  TicketLog log;
  int asked = 0;
  TestServer server(io, {}, [&](const tcp::endpoint& remote) -> Result<std::shared_ptr<conn::AdmissionTicket>> {
    CHECK(remote.address().to_string() == "127.0.0.1");
    if (++asked > 1) return Error(Errc::inbound_refused, "test: one is enough");
    return std::shared_ptr<conn::AdmissionTicket>(std::make_shared<CountingTicket>(log));
  });
  auto rtt = run(io, dial_and_ping(Keypair::generate(), server.address()));
  CHECK(rtt.has_value());
  run_until(io, [&] { return !server.established.empty() && !server.closed.empty(); });
  CHECK(log.issued == 1);
  CHECK(log.succeeded == 1);
  CHECK(log.released == 0);  // the server still holds the connection object
  server.established.clear();
  CHECK(log.released == 1);

  auto refused = run(io, dial_and_ping(Keypair::generate(), server.address()));
  CHECK_FALSE(refused.has_value());
  run_until(io, [&] { return server.refused_with(Errc::inbound_refused); });
  CHECK(server.refused_with(Errc::inbound_refused));
  CHECK(server.listener->counters().refused_admission == 1);
  CHECK(server.listener->pending_handshakes() == 0);
  CHECK(log.issued == 1);
}

TEST_CASE("integration: a failed handshake releases its admission ticket unsucceeded") {
  asio::io_context io;
  TicketLog log;
  conn::ListenerConfig config;
  config.handshake.handshake_timeout_ms = 200;
  TestServer server(io, config, [&](const tcp::endpoint&) -> Result<std::shared_ptr<conn::AdmissionTicket>> {
    return std::shared_ptr<conn::AdmissionTicket>(std::make_shared<CountingTicket>(log));
  });
  bool ended = false;
  asio::co_spawn(io, raw_client(server.port(), {}, std::chrono::milliseconds(0)), [&](std::exception_ptr e, std::string) {
    if (e) std::rethrow_exception(e);
    ended = true;
  });
  run_until(io, [&] { return ended && log.released == 1; });
  CHECK(log.issued == 1);
  CHECK(log.succeeded == 0);
  CHECK(log.released == 1);
  CHECK(server.refused_with(Errc::handshake_timeout));
}

TEST_CASE("integration: PeerId mismatch is refused by the dialer with expected and got") {
  asio::io_context io;
  TestServer server(io);
  const Keypair someone_else = Keypair::generate();
  const std::string wrong = PeerId::from_public_key(someone_else.public_key()).to_string();
  auto address = Multiaddr::parse("/ip4/127.0.0.1/tcp/" + std::to_string(server.port()) + "/p2p/" + wrong).value();
  auto rtt = run(io, dial_and_ping(Keypair::generate(), address));
  REQUIRE_FALSE(rtt.has_value());
  CHECK(rtt.error() == Errc::handshake_peer_id_mismatch);
  CHECK(rtt.error().detail() == "expected " + wrong + ", got " + server.peer_id().to_string());
  run_until(io, [&] { return !server.refused.empty(); });
  CHECK(server.established.empty());
}

TEST_CASE("integration: both sides at their defaults choose version 2 (AES-256-GCM) where the CPU runs it; a side offering only 1 gets 1") {
  const bool aes = util::aes256_gcm_available();
  CHECK(handshake::runnable_versions({2, 1}) ==
        (aes ? std::vector<std::uint32_t>{2, 1} : std::vector<std::uint32_t>{1}));
  asio::io_context io;
  TestServer server(io);
  auto rtt = run(io, dial_and_ping(Keypair::generate(), server.address()));
  REQUIRE(rtt.has_value());  // the ping crossed the channel both ways
  run_until(io, [&] { return server.established.size() == 1; });
  CHECK(server.established[0]->session().version == (aes ? handshake::kHandshakeVersion2 : handshake::kHandshakeVersion1));

  conn::DialConfig only_one;
  only_one.handshake.versions = {handshake::kHandshakeVersion1};
  rtt = run(io, dial_and_ping(Keypair::generate(), server.address(), only_one));
  REQUIRE(rtt.has_value());
  run_until(io, [&] { return server.established.size() == 2; });
  CHECK(server.established[1]->session().version == handshake::kHandshakeVersion1);
}

TEST_CASE("integration: no common version: the dialer learns the responder's versions") {
  asio::io_context io;
  TestServer server(io);
  conn::DialConfig config;
  config.handshake.versions = {7, 8};
  auto rtt = run(io, dial_and_ping(Keypair::generate(), server.address(), config));
  REQUIRE_FALSE(rtt.has_value());
  CHECK(rtt.error() == Errc::handshake_version_mismatch);
  run_until(io, [&] { return !server.refused.empty(); });
  CHECK(server.refused_with(Errc::handshake_version_mismatch));
}

TEST_CASE("integration: hostile clients are closed with a reason while an honest one completes") {
  asio::io_context io;
  conn::ListenerConfig config;
  config.handshake.handshake_timeout_ms = 300;  // short, so silent clients hit it soon
  config.max_pending_handshakes_per_ip = 3;
  TestServer server(io, config);

  std::vector<std::string> endings;
  auto spawn_raw = [&](Bytes bytes, std::chrono::milliseconds gap, std::string source = "127.0.0.1") {
    asio::co_spawn(io, raw_client(server.port(), std::move(bytes), gap, std::move(source)),
                   [&](std::exception_ptr e, std::string how) {
                     if (e) std::rethrow_exception(e);
                     endings.push_back(how);
                   });
  };
  // Hostile clients come from 127.0.0.2 and .3; the honest one from 127.0.0.1.
  spawn_raw({}, 0ms, "127.0.0.2");                   // silence until the deadline
  spawn_raw(Bytes(200, 0x0a), 100ms, "127.0.0.2");   // one byte every 100 ms: past the deadline
  spawn_raw({}, 0ms, "127.0.0.2");                   // a third silent one from 127.0.0.2
  spawn_raw({}, 0ms, "127.0.0.2");                   // a fourth: over the per-IP cap
  spawn_raw({0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01}, 0ms, "127.0.0.3");  // oversized prefix
  spawn_raw({0x05, 'h', 'e', 'l', 'l', 'o'}, 0ms, "127.0.0.3");                               // garbage

  // An honest client from another source address completes meanwhile.
  conn::DialConfig honest;
  auto rtt = run(io, dial_and_ping(Keypair::generate(), server.address(), honest));
  CHECK_MESSAGE(rtt.has_value(), (rtt ? std::string() : rtt.error().message()));

  run_until(io, [&] { return endings.size() == 6; });
  CHECK(endings.size() == 6);
  CHECK(server.refused_with(Errc::handshake_timeout));
  CHECK(server.refused_with(Errc::handshake_too_large));
  CHECK(server.refused_with(Errc::listener_busy));
  CHECK(server.listener->counters().refused_per_ip_cap >= 1);
  CHECK((server.refused_with(Errc::handshake_malformed) || server.refused_with(Errc::handshake_bad_magic)));
  CHECK(server.listener->pending_handshakes() == 0);
}

TEST_CASE("integration: past max_pending_handshakes, new connections are refused at once") {
  asio::io_context io;
  conn::ListenerConfig config;
  config.max_pending_handshakes = 2;
  config.handshake.handshake_timeout_ms = 300;
  TestServer server(io, config);
  std::size_t ended = 0;
  // Three silent clients from three addresses: the per-IP cap never applies.
  for (const char* source : {"127.0.0.2", "127.0.0.3", "127.0.0.4"}) {
    asio::co_spawn(io, raw_client(server.port(), {}, std::chrono::milliseconds(0), source),
                   [&](std::exception_ptr e, std::string) {
                     if (e) std::rethrow_exception(e);
                     ++ended;
                   });
  }
  run_until(io, [&] { return ended == 3; });
  CHECK(ended == 3);
  CHECK(server.listener->counters().refused_pending_cap == 1);
  CHECK(server.listener->counters().refused_per_ip_cap == 0);
  REQUIRE(server.refused_with(Errc::listener_busy));
  bool named = false;
  for (const auto& e : server.refused) named |= e.detail().find("max_pending_handshakes)") != std::string::npos;
  CHECK(named);
  CHECK(server.refused_with(Errc::handshake_timeout));
  CHECK(server.listener->pending_handshakes() == 0);
}

namespace {

/// Dials, then sends `junk` as channel messages (authentic frames whose content is not a
/// ping), then waits until the server closes the connection.
asio::awaitable<void> dial_and_send_junk(Keypair me, Multiaddr to, Bytes junk, bool& closed_by_server) {
  const conn::DialConfig config;  // named: g++ 12 miscompiles an aggregate temporary across co_await
  auto connection = co_await conn::dial(me, to, config);
  if (!connection) co_return;
  connection.value()->send(junk);
  auto received = co_await connection.value()->receive();
  closed_by_server = !received.has_value();
}

}  // namespace

TEST_CASE("integration: a peer flooding junk frames is closed with a reason; another peer's pings go on") {
  asio::io_context io;
  TestServer server(io);
  // Eight maximum-size frames of junk: the first one is not a ping message.
  const Bytes junk(8 * 65536, 0xee);
  bool flood_done = false;
  bool flooder_closed = false;
  asio::co_spawn(io, dial_and_send_junk(Keypair::generate(), server.address(), junk, flooder_closed),
                 [&](std::exception_ptr e) {
                   if (e) std::rethrow_exception(e);
                   flood_done = true;
                 });
  for (int i = 0; i < 3; ++i) {
    auto rtt = run(io, dial_and_ping(Keypair::generate(), server.address()));
    CHECK(rtt.has_value());
  }
  run_until(io, [&] { return flood_done && server.closed.size() == 4; });
  CHECK(flood_done);
  CHECK(flooder_closed);
  REQUIRE(server.closed.size() == 4);
  int malformed = 0;
  for (const auto& reason : server.closed) malformed += reason == Errc::ping_malformed ? 1 : 0;
  CHECK(malformed == 1);  // the flooder; the three honest peers closed on their own
}

}  // namespace weft
