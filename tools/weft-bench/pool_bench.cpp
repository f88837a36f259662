// `weft-bench pool [--seconds S] [--only pooled]`: what the connection pool costs per request, against
// what it saves. Everything runs in one process on one io_context (one thread does both
// sides' work), over loopback:
//
//   raw     64-byte ping-pong on one persistent TCP socket (no_delay, as weft sets it):
//           the floor for any request/response on this machine.
//   pooled  one request through the pool: acquire a lease on a warm pool (one long-lived
//           pool per side), write 64 bytes, close_write, read the 64-byte reply to EOF,
//           drop the lease. The server side is a pool handler that echoes 64 bytes.
//   fresh   the pre-pool way: a new TCP connection + weft handshake (conn::dial against a
//           conn::Listener) + one 64-byte request/response over the SecureConnection.
//
// Printed: p50/p99 of each, pooled_vs_raw = pooled p50 / raw p50 (goal <= 1.3),
// pooling_gain = fresh p50 / pooled p50 (goal >= 25), and acquire+release per second
// (acquire a lease on the warm pool and drop it unused, in a loop; the server's side of
// each — the stream's preamble, its reset — runs on the same thread and is included).
// The four measurements alternate in rounds so that noise weighs on all alike.
// `--only pooled` runs the pooled measurement alone (for profilers: perf, callgrind); the
// ratios then print as 0.

#include "bench_common.hpp"

#include "conn/connection_pool.hpp"
#include "conn/dialer.hpp"
#include "conn/listener.hpp"
#include "util/asio.hpp"

#include <weft/keys.hpp>
#include <weft/multiaddr.hpp>
#include <weft/peer_id.hpp>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace weft::bench {
namespace {

constexpr std::size_t kMessageBytes = 64;
constexpr int kRounds = 8;
const char* const kProtocol = "/bench/echo64";

using Clock = std::chrono::steady_clock;
using Message = std::array<std::uint8_t, kMessageBytes>;

Message request_bytes() {
  Message m;
  m.fill(0x5a);
  return m;
}

[[noreturn]] void die(const char* what, const Error& error) {
  std::fprintf(stderr, "weft-bench pool: %s: %s\n", what, error.message().c_str());
  std::exit(1);
}

[[noreturn]] void die(const char* what) {
  std::fprintf(stderr, "weft-bench pool: %s\n", what);
  std::exit(1);
}

// --- raw TCP ping-pong -------------------------------------------------------------------

asio::awaitable<void> raw_server(tcp::socket* socket) {
  Message buffer{};
  for (;;) {
    boost::system::error_code ec;
    co_await asio::async_read(*socket, asio::buffer(buffer), asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return;
    co_await asio::async_write(*socket, asio::buffer(buffer), asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return;
  }
}

asio::awaitable<void> raw_call(tcp::socket* socket) {
  const Message request = request_bytes();
  Message reply{};
  boost::system::error_code ec;
  co_await asio::async_write(*socket, asio::buffer(request), asio::redirect_error(asio::use_awaitable, ec));
  if (ec) die("raw write failed");
  co_await asio::async_read(*socket, asio::buffer(reply), asio::redirect_error(asio::use_awaitable, ec));
  if (ec) die("raw read failed");
}

// --- through the pool --------------------------------------------------------------------

/// The server's handler: the 64-byte request to its end, then the same 64 bytes back.
asio::awaitable<void> pool_echo(conn::Stream stream) {
  Message buffer{};
  auto request = co_await stream.read_exact(buffer);
  if (!request) co_return;  // the acquire+release loop resets its streams unused
  std::array<std::uint8_t, 1> extra{};
  auto end = co_await stream.read_some(extra);
  if (!end || end.value() != 0) co_return;
  auto written = co_await stream.write_all(buffer);
  if (!written) co_return;
  (void)stream.close_write();
}

asio::awaitable<void> pooled_call(conn::ConnectionPool* pool, const PeerId* peer,
                                  const std::vector<Multiaddr>* addresses) {
  auto lease = co_await pool->acquire(*peer, *addresses, kProtocol);
  if (!lease) die("acquire failed", lease.error());
  conn::Stream& stream = lease.value().stream();
  const Message request = request_bytes();
  auto written = co_await stream.write_all(request);
  if (!written) die("pooled write failed", written.error());
  if (auto closed = stream.close_write(); !closed) die("pooled close_write failed", closed.error());
  std::array<std::uint8_t, 2 * kMessageBytes> reply{};
  std::size_t got = 0;
  for (;;) {
    auto n = co_await stream.read_some(std::span<std::uint8_t>(reply.data() + got, reply.size() - got));
    if (!n) die("pooled read failed", n.error());
    if (n.value() == 0) break;
    got += n.value();
    if (got > kMessageBytes) die("pooled reply too long");
  }
  if (got != kMessageBytes) die("pooled reply too short");
}  // the lease ends here: the stream finished cleanly, its slot goes back to the table

asio::awaitable<void> acquire_release(conn::ConnectionPool* pool, const PeerId* peer,
                                      const std::vector<Multiaddr>* addresses) {
  auto lease = co_await pool->acquire(*peer, *addresses, kProtocol);
  if (!lease) die("acquire failed", lease.error());
}

// --- a fresh connection per request ----------------------------------------------------------

/// The server's side of one fresh connection: one request, one reply, then wait for the close.
asio::awaitable<void> fresh_serve(std::shared_ptr<conn::SecureConnection> connection) {
  auto request = co_await connection->receive();
  if (!request) co_return;
  connection->send(request.value());
  for (;;) {
    auto more = co_await connection->receive();
    if (!more) break;
  }
}

asio::awaitable<void> fresh_call(Keypair me, Multiaddr target) {
  const conn::DialConfig config;  // named: g++ 12 miscompiles an aggregate temporary across co_await
  auto connection = co_await conn::dial(me, target, config);
  if (!connection) die("fresh dial failed", connection.error());
  std::shared_ptr<conn::SecureConnection> c = connection.value();
  const Message request = request_bytes();
  c->send(request);
  auto reply = co_await c->receive();
  if (!reply) die("fresh receive failed", reply.error());
  if (reply.value().size() != kMessageBytes) die("fresh reply has the wrong size");
  c->close(Error(Errc::channel_closed, "bench"));
}

// --- the run --------------------------------------------------------------------------------

struct Bench {
  double slice_seconds = 0;
  bool all = true;  ///< false with --only pooled: the other three measurements are skipped
  // raw
  tcp::socket* raw_client = nullptr;
  // pooled
  conn::ConnectionPool* client_pool = nullptr;
  std::optional<PeerId> server_peer;
  Multiaddr server_address;
  // fresh
  std::optional<Keypair> fresh_client_key;
  Multiaddr fresh_target;
  // results (nanoseconds per call)
  std::vector<double> raw_ns, pooled_ns, fresh_ns;
  std::uint64_t acquire_release_done = 0;
  double acquire_release_seconds = 0;
  bool finished = false;
};

double ns_since(Clock::time_point start) {
  return std::chrono::duration<double, std::nano>(Clock::now() - start).count();
}

asio::awaitable<void> settle(double seconds) {
  asio::steady_timer timer(co_await asio::this_coro::executor,
                           std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds)));
  boost::system::error_code ignored;
  co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
}

asio::awaitable<void> run_rounds(Bench* b) {
  const std::vector<Multiaddr> addresses{b->server_address};
  const PeerId server_peer = *b->server_peer;
  const Keypair fresh_key = *b->fresh_client_key;
  // Warm up each path (the pool's dial happens here, outside the figures).
  for (int i = 0; i < 200; ++i) {
    co_await raw_call(b->raw_client);
    co_await pooled_call(b->client_pool, &server_peer, &addresses);
    co_await acquire_release(b->client_pool, &server_peer, &addresses);
  }
  for (int i = 0; i < 5; ++i) co_await fresh_call(fresh_key, b->fresh_target);
  co_await settle(0.02);

  for (int round = 0; round < kRounds; ++round) {
    auto slice_start = Clock::now();
    while (b->all && seconds_since(slice_start) < b->slice_seconds) {
      const auto start = Clock::now();
      co_await raw_call(b->raw_client);
      b->raw_ns.push_back(ns_since(start));
    }
    slice_start = Clock::now();
    while (seconds_since(slice_start) < b->slice_seconds) {
      const auto start = Clock::now();
      co_await pooled_call(b->client_pool, &server_peer, &addresses);
      b->pooled_ns.push_back(ns_since(start));
    }
    co_await settle(0.005);
    slice_start = Clock::now();
    while (b->all && seconds_since(slice_start) < b->slice_seconds) {
      const auto start = Clock::now();
      co_await fresh_call(fresh_key, b->fresh_target);
      b->fresh_ns.push_back(ns_since(start));
    }
    co_await settle(0.005);  // let the fresh connections' closes run outside the next slice
    slice_start = Clock::now();
    std::uint64_t done = 0;
    while (b->all && seconds_since(slice_start) < b->slice_seconds) {
      for (int i = 0; i < 16; ++i) co_await acquire_release(b->client_pool, &server_peer, &addresses);
      done += 16;
    }
    b->acquire_release_seconds += seconds_since(slice_start);
    b->acquire_release_done += done;
    co_await settle(0.005);  // the server's side of the resets drains outside the next slice
  }
  b->finished = true;
}

struct Percentiles {
  double p50_us = 0;
  double p99_us = 0;
  std::size_t samples = 0;
};

Percentiles percentiles(std::vector<double> ns) {
  Percentiles p;
  p.samples = ns.size();
  if (ns.empty()) return p;
  std::sort(ns.begin(), ns.end());
  const auto at = [&](double q) {
    const auto i = std::min(ns.size() - 1, static_cast<std::size_t>(q * static_cast<double>(ns.size())));
    return ns[i] / 1000.0;
  };
  p.p50_us = at(0.50);
  p.p99_us = at(0.99);
  return p;
}

}  // namespace

int run_pool_bench(int argc, char** argv) {
  double seconds = 8.0;
  bool only_pooled = false;
  for (int i = 0; i < argc; ++i) {
    if (std::strcmp(argv[i], "--seconds") == 0 && i + 1 < argc) seconds = std::atof(argv[++i]);
    if (std::strcmp(argv[i], "--only") == 0 && i + 1 < argc) {
      if (std::strcmp(argv[++i], "pooled") != 0) {
        std::fprintf(stderr, "weft-bench pool: --only takes 'pooled'\n");
        return 2;
      }
      only_pooled = true;
    }
  }
  if (seconds <= 0) {
    std::fprintf(stderr, "weft-bench pool: --seconds must be positive\n");
    return 2;
  }
  asio::io_context io(1);  // one thread, as the node runs its network thread (node_runtime.cpp)
  const auto loopback = tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0);

  // raw: one persistent socket pair
  tcp::acceptor acceptor(io, loopback);
  tcp::socket raw_client(io), raw_server_socket(io);
  raw_client.connect(acceptor.local_endpoint());
  acceptor.accept(raw_server_socket);
  raw_client.set_option(tcp::no_delay(true));
  raw_server_socket.set_option(tcp::no_delay(true));
  asio::co_spawn(io, raw_server(&raw_server_socket), asio::detached);

  // pooled: two long-lived pools
  const Keypair client_key = Keypair::generate();
  const Keypair server_key = Keypair::generate();
  auto server_pool = std::make_shared<conn::ConnectionPool>(io, server_key, conn::PoolConfig{});
  auto client_pool = std::make_shared<conn::ConnectionPool>(io, client_key, conn::PoolConfig{});
  const auto server_endpoint = server_pool->listen(loopback);
  if (!server_endpoint) die("pool listen failed", server_endpoint.error());
  server_pool->set_handler(kProtocol, [&io](conn::Stream stream) {
    asio::co_spawn(io, pool_echo(std::move(stream)), asio::detached);
  });
  server_pool->start();
  client_pool->start();

  // fresh: a bare listener answering one request per connection
  const Keypair fresh_server_key = Keypair::generate();
  conn::Listener::Callbacks callbacks;
  callbacks.on_established = [&io](std::shared_ptr<conn::SecureConnection> c) {
    asio::co_spawn(io, fresh_serve(std::move(c)), asio::detached);
  };
  conn::ListenerConfig listener_config;
  conn::Listener fresh_listener(io, fresh_server_key, listener_config, callbacks);
  if (auto listening = fresh_listener.listen(loopback); !listening) die("listen failed", listening.error());

  Bench b;
  b.all = !only_pooled;
  b.slice_seconds = only_pooled ? seconds / kRounds : seconds / (4.0 * kRounds);
  b.raw_client = &raw_client;
  b.client_pool = client_pool.get();
  b.server_peer = PeerId::from_public_key(server_key.public_key());
  b.server_address =
      Multiaddr::parse("/ip4/127.0.0.1/tcp/" + std::to_string(server_endpoint.value().port())).value();
  b.fresh_client_key = Keypair::generate();
  b.fresh_target =
      Multiaddr::parse("/ip4/127.0.0.1/tcp/" + std::to_string(fresh_listener.local_endpoint().port()) + "/p2p/" +
                       PeerId::from_public_key(fresh_server_key.public_key()).to_string())
          .value();

  asio::co_spawn(io, run_rounds(&b), [&](std::exception_ptr error) {
    if (error) std::rethrow_exception(error);
    boost::system::error_code ignored;
    raw_client.close(ignored);
    client_pool->stop();
    server_pool->stop();
    fresh_listener.stop();
    io.stop();  // pools' keep-alive clocks would keep it running
  });
  io.run();
  if (!b.finished) die("the run did not finish");

  const auto client_stats = client_pool->stats();
  const Percentiles raw = percentiles(b.raw_ns);
  const Percentiles pooled = percentiles(b.pooled_ns);
  const Percentiles fresh = percentiles(b.fresh_ns);
  const double pooled_vs_raw = only_pooled ? 0.0 : pooled.p50_us / raw.p50_us;
  const double pooling_gain = only_pooled ? 0.0 : fresh.p50_us / pooled.p50_us;
  const double acquire_release_per_s =
      only_pooled ? 0.0 : static_cast<double>(b.acquire_release_done) / b.acquire_release_seconds;
  std::printf("64-byte request/response over loopback, one thread, %d interleaved rounds:\n", kRounds);
  std::printf("  raw TCP ping-pong (one socket):          p50 %8.1f us  p99 %8.1f us  (%zu calls)\n", raw.p50_us,
              raw.p99_us, raw.samples);
  std::printf("  pooled (acquire, write, read, release):  p50 %8.1f us  p99 %8.1f us  (%zu calls)\n", pooled.p50_us,
              pooled.p99_us, pooled.samples);
  std::printf("  fresh (connect + handshake + request):   p50 %8.1f us  p99 %8.1f us  (%zu calls)\n", fresh.p50_us,
              fresh.p99_us, fresh.samples);
  std::printf("pooled_vs_raw (pooled p50 / raw p50, goal <= 1.3):  %.2f\n", pooled_vs_raw);
  std::printf("pooling_gain (fresh p50 / pooled p50, goal >= 25):  %.1f\n", pooling_gain);
  std::printf("acquire+release on a warm pool: %.0f per second (%llu connection(s) created by the client pool)\n",
              acquire_release_per_s, static_cast<unsigned long long>(client_stats.connections_created));
  std::printf(
      "{\"bench\":\"pool\",\"raw_p50_us\":%.2f,\"raw_p99_us\":%.2f,\"pooled_p50_us\":%.2f,\"pooled_p99_us\":%.2f,"
      "\"fresh_p50_us\":%.2f,\"fresh_p99_us\":%.2f,\"pooled_vs_raw\":%.3f,\"pooling_gain\":%.2f,"
      "\"acquire_release_per_s\":%.1f}\n",
      raw.p50_us, raw.p99_us, pooled.p50_us, pooled.p99_us, fresh.p50_us, fresh.p99_us, pooled_vs_raw, pooling_gain,
      acquire_release_per_s);
  return 0;
}

}  // namespace weft::bench
