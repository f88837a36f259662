// The connection pool over real loopback sockets (src/conn/connection_pool and the drivers
// under it): streams for a protocol, reuse of one connection, single flight, unknown
// protocols, a peer lost mid-request, dial failures and the breaker (and a peer that resets
// every connection), simultaneous dials and a never-reading stream that does not stop its
// neighbours.

#include "conn/connection_pool.hpp"
#include "io_test_support.hpp"
#include "util/asio.hpp"

#include <weft/keys.hpp>
#include <weft/multiaddr.hpp>
#include <weft/peer_id.hpp>

#include <doctest/doctest.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace weft {
namespace {

using namespace std::chrono_literals;
using test::run;
using test::run_until;
using test::store_into;

/// One pool listening on 127.0.0.1 with an "echo" protocol: reads to the end, writes it back.
struct Node {
  Keypair identity = Keypair::generate();
  std::shared_ptr<conn::ConnectionPool> pool;
  std::vector<conn::TableEvent> events;
  Multiaddr address = Multiaddr::parse("/ip4/127.0.0.1/tcp/1").value();

  Node(asio::io_context& io, conn::PoolConfig config = {}) {
    pool = std::make_shared<conn::ConnectionPool>(io, identity, std::move(config));
    const auto endpoint = pool->listen(tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    REQUIRE(endpoint.has_value());
    address = Multiaddr::parse("/ip4/127.0.0.1/tcp/" + std::to_string(endpoint.value().port())).value();
    pool->set_handler("/echo", [&io](conn::Stream stream) { asio::co_spawn(io, echo(std::move(stream)), asio::detached); });
    pool->subscribe([this](const conn::TableEvent& e) { events.push_back(e); });
    pool->start();
  }

  PeerId id() const { return PeerId::from_public_key(identity.public_key()); }

  static asio::awaitable<void> echo(conn::Stream stream) {
    Bytes all;
    std::array<std::uint8_t, 4096> buffer{};
    for (;;) {
      auto n = co_await stream.read_some(buffer);
      if (!n || n.value() == 0) break;
      all.insert(all.end(), buffer.begin(), buffer.begin() + static_cast<std::ptrdiff_t>(n.value()));
    }
    (void)co_await stream.write_all(all);
    (void)stream.close_write();
  }

  std::size_t count(conn::TableEvent::Kind kind) const {
    return static_cast<std::size_t>(
        std::count_if(events.begin(), events.end(), [kind](const auto& e) { return e.kind == kind; }));
  }
};

/// Sends `request` on a fresh lease to `to` for `protocol` and reads the whole reply.
asio::awaitable<Result<std::string>> request(std::shared_ptr<conn::ConnectionPool> pool, PeerId to,
                                             std::vector<Multiaddr> addresses, std::string protocol,
                                             std::string request) {
  auto lease = co_await pool->acquire(to, std::move(addresses), std::move(protocol));
  if (!lease) co_return lease.error();
  auto& stream = lease.value().stream();
  const Bytes bytes(request.begin(), request.end());
  if (auto w = co_await stream.write_all(bytes); !w) co_return w.error();
  if (auto c = stream.close_write(); !c) co_return c.error();
  std::string reply;
  std::array<std::uint8_t, 4096> buffer{};
  for (;;) {
    auto n = co_await stream.read_some(buffer);
    if (!n) co_return n.error();
    if (n.value() == 0) break;
    reply.append(buffer.begin(), buffer.begin() + static_cast<std::ptrdiff_t>(n.value()));
  }
  co_return reply;
}

/// Writes 4 MiB on one "/sink" stream: far beyond one stream's 256 KiB window.
asio::awaitable<Result<void>> flood(std::shared_ptr<conn::ConnectionPool> pool, PeerId to, Multiaddr at) {
  std::vector<Multiaddr> addresses{at};
  auto lease = co_await pool->acquire(to, std::move(addresses), "/sink");
  if (!lease) co_return lease.error();
  const Bytes chunk(64 * 1024, 0x42);
  for (int i = 0; i < 64; ++i) {
    auto written = co_await lease.value()->write_all(chunk);
    if (!written) co_return written.error();
  }
  co_return success();
}

/// Accepts TCP connections and resets each at once (SO_LINGER 0), counting them.
asio::awaitable<void> accept_and_reset(tcp::acceptor& acceptor, std::shared_ptr<int> accepted) {
  for (;;) {
    boost::system::error_code ec;
    auto socket = co_await acceptor.async_accept(asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return;
    ++*accepted;
    boost::system::error_code ignored;
    socket.set_option(asio::socket_base::linger(true, 0), ignored);
    socket.close(ignored);
  }
}

/// Runs `io` for `duration` of wall time.
void run_for(asio::io_context& io, std::chrono::milliseconds duration) {
  const auto until = std::chrono::steady_clock::now() + duration;
  test::run_until(io, [until] { return std::chrono::steady_clock::now() >= until; });
}

}  // namespace

TEST_CASE("pool: a stream for a protocol carries a request and its reply") {
  asio::io_context io;
  Node a(io), b(io);
  auto reply = run(io, request(a.pool, b.id(), {b.address}, "/echo", "hello"));
  REQUIRE(reply.has_value());
  CHECK(reply.value() == "hello");
  const auto stats = a.pool->stats();
  CHECK(stats.connections_created == 1);
  CHECK(stats.acquired == 1);
  CHECK(stats.bytes_out > 5);
  CHECK(a.count(conn::TableEvent::Kind::connected) == 1);
  run_until(io, [&] { return b.pool->stats().connections_created == 1; });  // inbound, on b's side
}

TEST_CASE("pool: the dialer's listen address and protocols reach the accepting side; the advert goes with the connection") {
  asio::io_context io;
  Node a(io), b(io);
  REQUIRE(run(io, request(a.pool, b.id(), {b.address}, "/echo", "hi")).has_value());
  const auto at_b = b.pool->table().connections(a.id());
  REQUIRE(at_b.size() == 1);
  const conn::PeerAdvert* advert = b.pool->advert(at_b[0]);
  REQUIRE(advert != nullptr);
  CHECK(advert->listen_addresses == std::vector<Multiaddr>{a.address});
  CHECK(advert->protocols == std::vector<std::string>{"/echo"});
  // The dialing side learns nothing from the responder (it sends no early data).
  const auto at_a = a.pool->table().connections(b.id());
  REQUIRE(at_a.size() == 1);
  CHECK(a.pool->advert(at_a[0]) == nullptr);
  // A protocol registered later is in the next advert.
  a.pool->set_handler("/later", [](conn::Stream) {});
  CHECK(a.pool->our_early_data().protocols == std::vector<std::string>{"/echo", "/later"});
  a.pool->connection(at_a[0])->close(Error(Errc::channel_closed, "test"));
  run_until(io, [&] { return b.pool->table().connections(a.id()).empty(); });
  CHECK(b.pool->advert(at_b[0]) == nullptr);
}

TEST_CASE("pool: sequential requests reuse one connection") {
  asio::io_context io;
  Node a(io), b(io);
  for (int i = 0; i < 10; ++i) {
    auto reply = run(io, request(a.pool, b.id(), {b.address}, "/echo", "n" + std::to_string(i)));
    REQUIRE(reply.has_value());
    CHECK(reply.value() == "n" + std::to_string(i));
  }
  run_until(io, [&] { return a.pool->stats().leased_streams == 0; });
  const auto stats = a.pool->stats();
  CHECK(stats.connections_created == 1);
  CHECK(stats.acquired == 10);
  CHECK(stats.connections_reused == 9);
  CHECK(stats.hit_rate() == doctest::Approx(0.9));
}

TEST_CASE("pool: concurrent acquires share one dial") {
  asio::io_context io;
  Node a(io), b(io);
  std::vector<std::optional<Result<std::string>>> replies(20);
  for (std::size_t i = 0; i < replies.size(); ++i) {
    asio::co_spawn(io, store_into(replies[i], request(a.pool, b.id(), {b.address}, "/echo", std::to_string(i))),
                   asio::detached);
  }
  run_until(io, [&] { return std::all_of(replies.begin(), replies.end(), [](const auto& r) { return r.has_value(); }); });
  for (std::size_t i = 0; i < replies.size(); ++i) {
    REQUIRE(replies[i]->has_value());
    CHECK(replies[i]->value() == std::to_string(i));
  }
  CHECK(a.pool->stats().connections_created == 1);
}

/// a's one connection to b, made by a request whose lease has been returned.
conn::ConnectionId warm_connection(asio::io_context& io, Node& a, Node& b) {
  REQUIRE(run(io, request(a.pool, b.id(), {b.address}, "/echo", "warm")).has_value());
  run_until(io, [&] { return a.pool->stats().leased_streams == 0; });
  const auto ids = a.pool->table().connections(b.id());
  REQUIRE(ids.size() == 1);
  return ids.front();
}

/// Waits for `lease`: granted for "/echo" on a second connection (the first went away);
/// once it is dropped, that connection is a's only one.
void expect_lease_on_a_second_connection(asio::io_context& io, Node& a, std::optional<Result<conn::StreamLease>>& lease) {
  run_until(io, [&] { return lease.has_value(); });
  REQUIRE(lease->has_value());
  CHECK(lease->value().stream().protocol() == "/echo");
  lease.reset();
  run_until(io, [&] { return a.pool->stats().leased_streams == 0 && a.pool->stats().open_connections() == 1; });
  CHECK(a.pool->stats().connections_created == 2);
}

TEST_CASE("pool: an acquire granted on a connection whose session ended before the table heard of it gets a new connection") {
  asio::io_context io;
  Node a(io), b(io);
  const conn::ConnectionId warm = warm_connection(io, a, b);
  // In one turn of the network thread: the session goes away (its notice to the table is
  // deferred, as a peer's go-away is) and an acquire is granted that same, still "ready",
  // connection. Before the fix the acquire failed with a raw mux_session_closed.
  std::optional<Result<conn::StreamLease>> lease;
  asio::post(io, [&] {
    a.pool->connection(warm)->go_away();
    a.pool->acquire(b.id(), {}, "/echo", [&lease](Result<conn::StreamLease> r) { lease.emplace(std::move(r)); });
  });
  expect_lease_on_a_second_connection(io, a, lease);
  // The new connection serves the next request.
  auto again = run(io, request(a.pool, b.id(), {b.address}, "/echo", "again"));
  REQUIRE(again.has_value());
  CHECK(again.value() == "again");
}

/// In one turn: the session goes away (the table hears of it later), then the coroutine
/// acquire starts, is granted that connection at once, and must wait for a new one.
asio::awaitable<Result<conn::StreamLease>> go_away_then_acquire(std::shared_ptr<conn::MuxedConnection> connection,
                                                                std::shared_ptr<conn::ConnectionPool> pool, PeerId peer) {
  connection->go_away();
  co_return co_await pool->acquire(std::move(peer), {}, "/echo");
}

TEST_CASE("pool: the coroutine acquire granted on a session that just ended waits for the new connection") {
  // The coroutine form completes in place when the grant comes at once; here the grant it
  // gets at once cannot open its stream, so it is re-acquired under a new id and waits.
  asio::io_context io;
  Node a(io), b(io);
  const conn::ConnectionId warm = warm_connection(io, a, b);
  std::optional<Result<conn::StreamLease>> lease;
  asio::co_spawn(io, store_into(lease, go_away_then_acquire(a.pool->connection(warm), a.pool, b.id())),
                 asio::detached);
  expect_lease_on_a_second_connection(io, a, lease);
  CHECK(a.pool->stats().waiting_acquirers == 0);
}

/// Opens a raw stream on a's connection to b (a request first makes the connection) and
/// writes `first` on it; the preamble is the caller's business.
std::pair<std::shared_ptr<conn::MuxedConnection>, mux::StreamId> raw_stream(asio::io_context& io, Node& a, Node& b,
                                                                           const Bytes& first) {
  auto connection = a.pool->connection(warm_connection(io, a, b));
  auto id = connection->open_stream();
  REQUIRE(id.has_value());
  REQUIRE(connection->try_write(id.value(), first).value() == first.size());
  return {connection, id.value()};
}

/// Reads a stream to its end (or error), as the opener, status byte included.
asio::awaitable<Result<std::string>> read_to_end(std::shared_ptr<conn::MuxedConnection> connection, mux::StreamId id) {
  std::string all;
  std::array<std::uint8_t, 256> buffer{};
  for (;;) {
    auto n = co_await connection->read_some(id, buffer);
    if (!n && n.error() == Errc::mux_stream_closed) co_return all;  // the FIN
    if (!n) co_return n.error();
    all.append(buffer.begin(), buffer.begin() + static_cast<std::ptrdiff_t>(n.value()));
  }
}

TEST_CASE("pool: a preamble that arrives in pieces is served once complete; the status leaves with the reply") {
  asio::io_context io;
  Node a(io), b(io);
  const Bytes preamble = conn::encode_protocol_preamble("/echo");
  auto [connection, id] = raw_stream(io, a, b, Bytes(preamble.begin(), preamble.begin() + 3));
  run_for(io, 50ms);  // b has the stream and part of its name
  Bytes rest(preamble.begin() + 3, preamble.end());
  rest.push_back('h');
  rest.push_back('i');
  REQUIRE(connection->try_write(id, rest).value() == rest.size());
  REQUIRE(connection->close_write(id).has_value());
  auto reply = run(io, read_to_end(connection, id));
  REQUIRE(reply.has_value());
  CHECK(reply.value() == std::string("\0hi", 3));  // "accepted", then the echo
}

/// Reads once from the stream into `out` (with its result), then marks `done`.
asio::awaitable<void> read_once(std::shared_ptr<conn::MuxedConnection> connection, mux::StreamId id,
                                std::optional<Result<std::size_t>>* out) {
  std::array<std::uint8_t, 256> buffer{};
  out->emplace(co_await connection->read_some(id, buffer));
}

TEST_CASE("pool: a reader woken by arriving data runs in the same turn of the executor that delivered it") {
  asio::io_context io;
  Node a(io), b(io);
  Bytes request = conn::encode_protocol_preamble("/echo");
  request.push_back('x');
  auto [connection, id] = raw_stream(io, a, b, request);
  REQUIRE(connection->close_write(id).has_value());
  std::optional<Result<std::size_t>> read;
  asio::co_spawn(io, read_once(connection, id, &read), asio::detached);
  // One handler at a time: the one in which the reply's bytes reach the stream must also
  // be the one in which its reader returns (no extra turn of the executor in between).
  const auto give_up = std::chrono::steady_clock::now() + 20s;
  bool same_turn = true;
  io.restart();
  while (!read.has_value() && std::chrono::steady_clock::now() < give_up) {
    const auto before = connection->stats().data_bytes_received;
    io.run_one_for(10ms);
    if (connection->stats().data_bytes_received > before && !read.has_value()) same_turn = false;
  }
  REQUIRE(read.has_value());
  CHECK(same_turn);
  REQUIRE(read->has_value());
  CHECK(read->value() == 2);  // "accepted", then the echoed byte
}

TEST_CASE("pool: a reader woken by the application's own reset resumes after that call returns, with the reset") {
  asio::io_context io;
  Node a(io), b(io);
  auto [connection, id] = raw_stream(io, a, b, conn::encode_protocol_preamble("/echo"));
  std::optional<Result<std::size_t>> read;
  asio::co_spawn(io, read_once(connection, id, &read), asio::detached);
  run_for(io, 20ms);  // the reader waits: the echo handler replies only after our FIN
  REQUIRE_FALSE(read.has_value());
  connection->reset(id);
  CHECK_FALSE(read.has_value());  // not resumed inside reset()
  run_until(io, [&] { return read.has_value(); });
  REQUIRE_FALSE(read->has_value());
  CHECK(read->error() == Errc::mux_stream_closed);
}

TEST_CASE("pool: a stream that never completes its preamble is reset after protocol_preamble_timeout_ms") {
  asio::io_context io;
  conn::PoolConfig slow_config;
  slow_config.protocol_preamble_timeout_ms = 100ms;
  Node a(io), b(io, slow_config);
  auto [connection, id] = raw_stream(io, a, b, Bytes{0x05, '/', 'e'});  // "/echo", cut short
  auto reply = run(io, read_to_end(connection, id));
  REQUIRE_FALSE(reply.has_value());
  CHECK(reply.error() == Errc::mux_stream_reset);
}

TEST_CASE("pool: a malformed preamble resets the stream at once and the connection serves on") {
  asio::io_context io;
  Node a(io), b(io);
  for (const Bytes& bad : {Bytes{0x00}, Bytes{0x81, 0x02}, Bytes{0x80, 0x80, 0x01}}) {
    auto [connection, id] = raw_stream(io, a, b, bad);
    auto reply = run(io, read_to_end(connection, id));
    REQUIRE_FALSE(reply.has_value());
    CHECK(reply.error() == Errc::mux_stream_reset);
    connection->forget(id);
  }
  auto ok = run(io, request(a.pool, b.id(), {b.address}, "/echo", "still"));
  REQUIRE(ok.has_value());
  CHECK(ok.value() == "still");
  CHECK(a.pool->stats().connections_created == 1);
}

TEST_CASE("pool: a protocol the peer does not serve reads as request_unknown_protocol") {
  asio::io_context io;
  Node a(io), b(io);
  auto reply = run(io, request(a.pool, b.id(), {b.address}, "/nope", "x"));
  REQUIRE_FALSE(reply.has_value());
  CHECK(reply.error() == Errc::request_unknown_protocol);
  // The connection is fine for the next request.
  auto ok = run(io, request(a.pool, b.id(), {b.address}, "/echo", "y"));
  REQUIRE(ok.has_value());
  CHECK(a.pool->stats().connections_created == 1);
}

TEST_CASE("pool: the wrong PeerId at an address fails the acquire and leaves nothing behind") {
  asio::io_context io;
  Node a(io), b(io), c(io);
  auto reply = run(io, request(a.pool, c.id(), {b.address}, "/echo", "x"));  // b answers at that address
  REQUIRE_FALSE(reply.has_value());
  CHECK(reply.error() == Errc::handshake_peer_id_mismatch);
  const auto stats = a.pool->stats();
  CHECK(stats.open_connections() == 0);
  CHECK(stats.connections_failed >= 1);
}

TEST_CASE("pool: a peer lost mid-request fails the request and frees the connection and the lease") {
  asio::io_context io;
  Node a(io);
  auto b = std::make_unique<Node>(io);
  // b's "/silent" handler keeps the stream and never answers.
  std::vector<conn::Stream> held;
  b->pool->set_handler("/silent", [&held](conn::Stream s) { held.push_back(std::move(s)); });
  std::optional<Result<std::string>> reply;
  asio::co_spawn(io, store_into(reply, request(a.pool, b->id(), {b->address}, "/silent", "x")), asio::detached);
  run_until(io, [&] { return held.size() == 1; });
  // Kill b: close its side of every connection.
  b->pool->stop();
  for (const auto& s : held) (void)s;
  held.clear();
  for (conn::ConnectionId id = 1; id < 10; ++id) {
    if (auto c = b->pool->connection(id)) c->close(Error(Errc::channel_closed, "killed"));
  }
  run_until(io, [&] { return reply.has_value(); });
  REQUIRE_FALSE(reply->has_value());
  run_until(io, [&] { return a.pool->stats().open_connections() == 0 && a.pool->stats().leased_streams == 0; });
  CHECK(a.count(conn::TableEvent::Kind::disconnected) == 1);
}

TEST_CASE("pool: dials to a dead address are retried, then fail; the breaker then fails fast") {
  asio::io_context io;
  conn::PoolConfig config;
  config.table.backoff.initial_backoff_ms = 10ms;
  config.table.backoff.min_backoff_ms = 1ms;
  config.table.backoff.max_retry_attempts = 1;
  config.table.circuit.circuit_failure_threshold = 3;
  Node a(io, config);
  // A port nobody listens on: bind and close an acceptor to get one.
  tcp::acceptor probe(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  const auto dead = Multiaddr::parse("/ip4/127.0.0.1/tcp/" + std::to_string(probe.local_endpoint().port())).value();
  probe.close();
  const PeerId nobody = Node(io).id();

  auto first = run(io, request(a.pool, nobody, {dead}, "/echo", "x"));
  REQUIRE_FALSE(first.has_value());
  CHECK(first.error() == Errc::dial_failed);
  CHECK(a.pool->stats().connections_failed == 2);  // the dial and one retry

  // The next acquire waits out the short cool-down and makes a new series: its first dial
  // is the third consecutive failure, which opens the breaker.
  auto second = run(io, request(a.pool, nobody, {dead}, "/echo", "x"));
  REQUIRE_FALSE(second.has_value());
  CHECK(second.error() == Errc::circuit_open);
  CHECK(a.pool->stats().connections_failed == 3);

  // While open, acquires fail fast with the time left, and reset_backoff does not lift it.
  a.pool->reset_backoff(nobody);
  auto third = run(io, request(a.pool, nobody, {dead}, "/echo", "x"));
  REQUIRE_FALSE(third.has_value());
  CHECK(third.error() == Errc::circuit_open);
  CHECK(third.error().detail().find("retry in") != std::string::npos);
  CHECK(a.pool->stats().connections_failed == 3);
  a.pool->stop();
}

// ABUSE.md row 25: a peer that resets every connection right after accepting it.
TEST_CASE("pool: a peer that resets right after accept opens the circuit; one trial after the cool-down; no dial storm") {
  asio::io_context io;
  conn::PoolConfig config;
  config.table.backoff.initial_backoff_ms = 10ms;
  config.table.backoff.min_backoff_ms = 1ms;
  config.table.backoff.max_retry_attempts = 1;
  config.table.circuit.circuit_failure_threshold = 3;
  config.table.circuit.circuit_open_ms = 1'000ms;  // ample for the 20 fast failures below
  config.table.circuit.circuit_half_open_successes = 1;
  Node a(io, config);
  tcp::acceptor hostile(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  auto accepted = std::make_shared<int>(0);
  asio::co_spawn(io, accept_and_reset(hostile, accepted), asio::detached);
  const auto at = Multiaddr::parse("/ip4/127.0.0.1/tcp/" + std::to_string(hostile.local_endpoint().port())).value();
  const PeerId victim = Node(io).id();

  // One series (a dial and a retry), then the next acquire's dial opens the breaker.
  auto first = run(io, request(a.pool, victim, {at}, "/echo", "x"));
  REQUIRE_FALSE(first.has_value());
  CHECK(*accepted == 2);
  auto second = run(io, request(a.pool, victim, {at}, "/echo", "x"));
  REQUIRE_FALSE(second.has_value());
  CHECK(second.error() == Errc::circuit_open);
  CHECK(*accepted == 3);
  CHECK(a.count(conn::TableEvent::Kind::circuit_opened) == 1);

  // While open: every acquire fails fast and nothing is dialed.
  for (int i = 0; i < 20; ++i) {
    auto fast = run(io, request(a.pool, victim, {at}, "/echo", "x"));
    REQUIRE_FALSE(fast.has_value());
    CHECK(fast.error() == Errc::circuit_open);
  }
  CHECK(*accepted == 3);

  // After circuit_open_ms: five concurrent acquires share the one trial dial, which fails
  // and reopens the breaker.
  run_for(io, 1'100ms);
  std::vector<std::optional<Result<std::string>>> trials(5);
  for (auto& out : trials) asio::co_spawn(io, store_into(out, request(a.pool, victim, {at}, "/echo", "x")), asio::detached);
  test::run_until(io, [&] {
    return std::all_of(trials.begin(), trials.end(), [](const auto& t) { return t.has_value(); });
  });
  CHECK(*accepted == 4);
  for (const auto& t : trials) {
    REQUIRE_FALSE(t->has_value());
    CHECK(t->error() == Errc::circuit_open);
  }
  CHECK(a.count(conn::TableEvent::Kind::circuit_opened) == 2);
  a.pool->stop();
}

TEST_CASE("pool: both sides dialing each other at once keep the same one connection") {
  asio::io_context io;
  conn::PoolConfig config;
  SUBCASE("default per-peer limit") {}
  SUBCASE("max_connections_per_peer 1: the tie-break runs before the limit") {
    config.table.max_connections_per_peer = 1;
  }
  config.table.simultaneous_dial_window_ms = 200ms;
  config.table.cleanup_interval_ms = 100ms;
  Node a(io, config), b(io, config);
  std::optional<Result<std::string>> from_a, from_b;
  asio::co_spawn(io, store_into(from_a, request(a.pool, b.id(), {b.address}, "/echo", "a")), asio::detached);
  asio::co_spawn(io, store_into(from_b, request(b.pool, a.id(), {a.address}, "/echo", "b")), asio::detached);
  run_until(io, [&] { return from_a.has_value() && from_b.has_value(); });
  CHECK(from_a->has_value());
  CHECK(from_b->has_value());
  if (!from_a->has_value()) MESSAGE("a: " << from_a->error().message());
  if (!from_b->has_value()) MESSAGE("b: " << from_b->error().message());
  // If both dials went through, each side keeps the connection the smaller PeerId dialed.
  run_until(io, [&] {
    return a.pool->table().connections(b.id()).size() == 1 && b.pool->table().connections(a.id()).size() == 1;
  });
  const auto a_conns = a.pool->table().connections(b.id());
  const auto b_conns = b.pool->table().connections(a.id());
  REQUIRE(a_conns.size() == 1);
  REQUIRE(b_conns.size() == 1);
  const bool a_dialed = a.pool->table().direction(a_conns[0]) == conn::Direction::outbound;
  const bool b_dialed = b.pool->table().direction(b_conns[0]) == conn::Direction::outbound;
  CHECK(a_dialed != b_dialed);  // the same TCP connection, seen from both ends
  CHECK(a_dialed == (a.id() < b.id()));  // the one the smaller PeerId dialed
  // Requests still work both ways on it.
  CHECK(run(io, request(a.pool, b.id(), {b.address}, "/echo", "again")).has_value());
  CHECK(run(io, request(b.pool, a.id(), {a.address}, "/echo", "again")).has_value());
}

TEST_CASE("pool: a stream whose reader never reads does not stop the connection's other streams") {
  asio::io_context io;
  Node a(io), b(io);
  std::vector<conn::Stream> stuck;
  b.pool->set_handler("/sink", [&stuck](conn::Stream s) { stuck.push_back(std::move(s)); });  // never read
  std::optional<Result<void>> flood_done;
  asio::co_spawn(io, store_into(flood_done, flood(a.pool, b.id(), b.address)), asio::detached);
  run_until(io, [&] { return stuck.size() == 1; });
  // Meanwhile, echo requests on the same connection still complete.
  for (int i = 0; i < 5; ++i) {
    auto reply = run(io, request(a.pool, b.id(), {b.address}, "/echo", "still here"));
    REQUIRE(reply.has_value());
    CHECK(reply.value() == "still here");
  }
  CHECK_FALSE(flood_done.has_value());  // the flood waits for window
  CHECK(a.pool->stats().connections_created == 1);
  // The receiver holds at most one window of the unread stream.
  const auto receiver = b.pool->connection(1);
  REQUIRE(receiver);
  CHECK(receiver->stats().buffered_receive_bytes <= 256 * 1024);
  stuck.clear();  // resets the stream: the flood fails instead of hanging
  run_until(io, [&] { return flood_done.has_value(); });
  CHECK_FALSE(flood_done->has_value());
}

}  // namespace weft

namespace weft {
namespace {

std::size_t open_descriptors() {
  std::size_t n = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator("/proc/self/fd")) ++n;
  return n;
}

/// One cycle: a request over a fresh connection, then the connection is closed by the
/// requester's side.
asio::awaitable<bool> connect_request_close(std::shared_ptr<conn::ConnectionPool> pool, PeerId to, Multiaddr at) {
  // Named locals: g++ 12 rejects string literals and braced lists as coroutine arguments here.
  std::vector<Multiaddr> addresses{at};
  std::string protocol = "/echo";
  std::string body = "cycle";
  auto reply = co_await request(pool, to, std::move(addresses), std::move(protocol), std::move(body));
  for (conn::ConnectionId id : pool->table().connections(to)) {
    if (auto c = pool->connection(id)) c->close(Error(Errc::channel_closed, "cycle done"));
  }
  co_return reply.has_value();
}

}  // namespace

TEST_CASE("pool: 10,000 connect/disconnect cycles return descriptors and table state to baseline") {
  asio::io_context io;
  Node a(io), b(io);
  const std::size_t baseline = open_descriptors();
  // ABUSE.md row 28: 10,000 cycles. Under the sanitizers (which look for memory errors,
  // not for scale) 1,000 keep the CI run short.
#if defined(__SANITIZE_ADDRESS__)
  constexpr int kCycles = 1000;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
  constexpr int kCycles = 1000;
#else
  constexpr int kCycles = 10000;
#endif
#else
  constexpr int kCycles = 10000;
#endif
  int ok = 0;
  for (int i = 0; i < kCycles; ++i) {
    std::optional<bool> done;
    asio::co_spawn(io, store_into(done, connect_request_close(a.pool, b.id(), b.address)), asio::detached);
    run_until(io, [&] { return done.has_value() && a.pool->stats().open_connections() == 0; });
    ok += *done ? 1 : 0;
  }
  CHECK(ok == kCycles);
  run_until(io, [&] { return b.pool->stats().open_connections() == 0; });
  CHECK(open_descriptors() == baseline);
  const auto sa = a.pool->stats();
  CHECK(sa.connections_created == kCycles);
  CHECK(sa.connections_closed == kCycles);
  CHECK(sa.leased_streams == 0);
  CHECK(sa.connections_per_peer.empty());
  CHECK(b.pool->stats().connections_created == kCycles);
  CHECK(b.pool->table().connections(a.id()).empty());
}

}  // namespace weft
