// `weft-bench handshake [--seconds S]`: full handshakes per second over loopback TCP (both
// ends in one process, one thread, one io_context: dial, accept, four phases, close), and
// the crypto-only bound of the same handshake measured in the same run (two machines fed
// each other's bytes in memory: same primitives, no I/O). Ratio = loopback / crypto-only;
// the goal is >= 0.7. The two are measured in alternating rounds, so that a noisy
// neighbour or a change of CPU clock during the run weighs on both alike.

#include "bench_common.hpp"

#include "conn/dialer.hpp"
#include "conn/handshake_driver.hpp"
#include "conn/listener.hpp"
#include "handshake/handshake_machine.hpp"
#include "util/asio.hpp"

#include <weft/keys.hpp>
#include <weft/multiaddr.hpp>
#include <weft/peer_id.hpp>

#include <sodium.h>

#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>

namespace weft::bench {
namespace {

void system_random(std::span<std::uint8_t> out) { randombytes_buf(out.data(), out.size()); }

/// One handshake between two in-memory machines; returns false if it did not succeed.
bool handshake_in_memory(const Keypair& initiator_key, const Keypair& responder_key,
                         const handshake::HandshakeConfig& config, handshake::ReplayCache& cache) {
  const auto now = conn::wall_now();
  auto initiator = handshake::HandshakeMachine::initiator(initiator_key, config, system_random, now);
  auto responder = handshake::HandshakeMachine::responder(responder_key, config, system_random, cache);
  for (int step = 0; step < 8 && !(initiator.finished() && responder.finished()); ++step) {
    if (Bytes out = initiator.take_output(); !out.empty()) {
      if (!responder.put(out, now)) return false;
    }
    if (Bytes out = responder.take_output(); !out.empty()) {
      if (!initiator.put(out, now)) return false;
    }
  }
  return initiator.finished() && responder.finished() && initiator.result()->has_value() &&
         responder.result()->has_value();
}

/// Handshakes completed and seconds spent by one round.
struct Round {
  std::uint64_t done = 0;
  double seconds = 0;
};

Round crypto_only_round(double seconds) {
  const Keypair a = Keypair::generate();
  const Keypair b = Keypair::generate();
  const handshake::HandshakeConfig config;
  handshake::ReplayCache cache;
  Round round;
  const auto start = std::chrono::steady_clock::now();
  while (seconds_since(start) < seconds) {
    if (!handshake_in_memory(a, b, config, cache)) {
      std::fprintf(stderr, "weft-bench: in-memory handshake failed\n");
      std::exit(1);
    }
    ++round.done;
  }
  round.seconds = seconds_since(start);
  return round;
}

asio::awaitable<void> dial_loop(const Keypair& me, Multiaddr target, double seconds, std::uint64_t& done,
                                bool& failed) {
  const auto start = std::chrono::steady_clock::now();
  while (seconds_since(start) < seconds) {
    const conn::DialConfig config;  // named: g++ 12 miscompiles an aggregate temporary across co_await
    auto connection = co_await conn::dial(me, target, config);
    if (!connection) {
      report_dial_failure(connection.error());
      failed = true;
      co_return;
    }
    connection.value()->close(Error(Errc::channel_closed, "bench"));
    ++done;
  }
}

Round loopback_round(double seconds) {
  asio::io_context io;  // one thread runs both ends
  const Keypair server_key = Keypair::generate();
  const Keypair client_key = Keypair::generate();
  std::uint64_t accepted = 0;
  conn::Listener::Callbacks callbacks;
  callbacks.on_established = [&](std::shared_ptr<conn::SecureConnection> c) {
    ++accepted;
    c->close(Error(Errc::channel_closed, "bench"));
  };
  conn::Listener listener(io, server_key, conn::ListenerConfig{}, callbacks);
  if (!listener.listen(tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0))) std::exit(1);
  const auto target = Multiaddr::parse("/ip4/127.0.0.1/tcp/" + std::to_string(listener.local_endpoint().port()) +
                                       "/p2p/" + PeerId::from_public_key(server_key.public_key()).to_string())
                          .value();
  std::uint64_t done = 0;
  bool failed = false;
  const auto start = std::chrono::steady_clock::now();
  asio::co_spawn(io, dial_loop(client_key, target, seconds, done, failed), [&](std::exception_ptr) {
    listener.stop();
  });
  io.run();
  if (failed) std::exit(1);
  return Round{done, seconds_since(start)};
}

}  // namespace

int run_handshake_bench(int argc, char** argv) {
  double seconds = 3.0;
  for (int i = 0; i < argc; ++i) {
    if (std::strcmp(argv[i], "--seconds") == 0 && i + 1 < argc) seconds = std::atof(argv[++i]);
  }
  if (seconds <= 0) {
    std::fprintf(stderr, "weft-bench handshake: --seconds must be positive\n");
    return 2;
  }
  constexpr int kRounds = 6;  // alternating: crypto-only, loopback, crypto-only, ...
  Round crypto_total;
  Round loopback_total;
  for (int i = 0; i < kRounds; ++i) {
    const Round crypto_round = crypto_only_round(seconds / kRounds);
    const Round tcp_round = loopback_round(seconds / kRounds);
    crypto_total.done += crypto_round.done;
    crypto_total.seconds += crypto_round.seconds;
    loopback_total.done += tcp_round.done;
    loopback_total.seconds += tcp_round.seconds;
  }
  const double crypto = static_cast<double>(crypto_total.done) / crypto_total.seconds;
  const double loopback = static_cast<double>(loopback_total.done) / loopback_total.seconds;
  std::printf("crypto-only handshakes/s (in memory, one thread): %.0f\n", crypto);
  std::printf("loopback handshakes/s (TCP, one thread):          %.0f\n", loopback);
  std::printf("{\"bench\":\"handshake\",\"loopback_per_s\":%.1f,\"crypto_only_per_s\":%.1f,\"ratio\":%.3f}\n",
              loopback, crypto, loopback / crypto);
  return 0;
}

}  // namespace weft::bench
