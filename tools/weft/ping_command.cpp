// `weft ping ADDR [--count N] [--interval-ms MS] [--key FILE]`: dials ADDR (which may end
// in /p2p/<PeerId>, and must then be that peer), completes the handshake, opens one
// /weft/ping/1 stream on the multiplexed connection, sends N pings on it, and prints each
// round-trip time and a summary. Any failure
// prints its reason on one line and exits 1, e.g.
//   weft: ping /ip4/127.0.0.1/tcp/4001/p2p/12D3KooW...: PeerId mismatch: expected ..., got ...

#include "command.hpp"
#include "identity_file.hpp"
#include "run_to_exit.hpp"

#include "conn/dialer.hpp"
#include "conn/muxed_connection.hpp"
#include "conn/stream.hpp"
#include "node/ping.hpp"
#include "util/asio.hpp"

#include <weft/multiaddr.hpp>
#include <weft/peer_id.hpp>

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

namespace weft::cli {
namespace {

struct PingOptions {
  std::string address;
  unsigned count = 5;
  std::uint64_t interval_ms = 1000;
  std::string key;
  std::uint64_t timeout_ms = 10'000;
};

double to_ms(std::chrono::nanoseconds d) { return static_cast<double>(d.count()) / 1e6; }

std::string format_ms(double ms) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.3f", ms);
  return buffer;
}

/// Dials, pings `count` times; returns the exit code. Prints results as they come.
asio::awaitable<int> run_ping(const Keypair& identity, Multiaddr address, PingOptions options) {
  const std::string where = address.to_string();
  conn::DialConfig config;
  config.connect_timeout_ms = options.timeout_ms;
  config.handshake.handshake_timeout_ms = options.timeout_ms;
  const auto start = std::chrono::steady_clock::now();
  auto connection = co_await conn::dial(identity, address, config);
  if (!connection) {
    std::cerr << "weft: ping " << where << ": " << connection.error().message() << '\n';
    co_return kExitFailure;
  }
  auto& secure = connection.value();
  std::cout << "connected to " << secure->peer().to_string() << " (handshake "
            << format_ms(to_ms(std::chrono::steady_clock::now() - start)) << " ms, version "
            << secure->session().version << ")" << std::endl;

  auto muxed = std::make_shared<conn::MuxedConnection>(secure, mux::Role::initiator, mux::SessionConfig{},
                                                        conn::MuxedConnection::Callbacks{});
  muxed->start();
  auto stream = conn::open_protocol_stream(muxed, node::kPingProtocol);
  if (!stream) {
    std::cerr << "weft: ping " << where << ": " << stream.error().message() << '\n';
    co_return kExitFailure;
  }

  std::vector<double> rtts;
  asio::steady_timer timer(co_await asio::this_coro::executor);
  for (unsigned i = 1; i <= options.count; ++i) {
    if (i > 1 && options.interval_ms > 0) {
      timer.expires_after(std::chrono::milliseconds(options.interval_ms));
      co_await timer.async_wait(asio::use_awaitable);
    }
    auto rtt = co_await node::ping_once(stream.value());
    if (!rtt) {
      std::cerr << "weft: ping " << where << ": " << rtt.error().message() << '\n';
      co_return kExitFailure;
    }
    rtts.push_back(to_ms(rtt.value()));
    std::cout << "pong " << i << " from " << secure->peer().to_string() << ": time=" << format_ms(rtts.back())
              << " ms" << std::endl;
  }
  (void)stream.value().close_write();
  muxed->close(Error(Errc::channel_closed, "done"));
  if (!rtts.empty()) {
    double sum = 0;
    for (double r : rtts) sum += r;
    std::cout << rtts.size() << " pings, rtt min/avg/max = " << format_ms(*std::min_element(rtts.begin(), rtts.end()))
              << "/" << format_ms(sum / static_cast<double>(rtts.size())) << "/"
              << format_ms(*std::max_element(rtts.begin(), rtts.end())) << " ms" << std::endl;
  }
  co_return kExitOk;
}

int ping(const PingOptions& options) {
  auto address = Multiaddr::parse(options.address);
  if (!address) {
    std::cerr << "weft: invalid address '" << options.address << "': " << address.error().message()
              << " (see --help)\n";
    return kExitUsage;
  }
  if (auto target = address.value().to_tcp_endpoint(); !target) {
    std::cerr << "weft: cannot dial '" << options.address << "': " << target.error().message() << " (see --help)\n";
    return kExitUsage;
  }
  // Without --key, a fresh identity for this run only.
  auto loaded = client_identity(options.key);
  if (!loaded) {
    std::cerr << "weft: " << options.key << ": " << loaded.error().message() << '\n';
    return kExitFailure;
  }
  const Keypair identity = std::move(loaded).value();
  asio::io_context io;
  return run_to_exit(io, run_ping(identity, address.value(), options));
}

}  // namespace

void add_ping_command(CLI::App& app, Dispatch& dispatch) {
  auto options = std::make_shared<PingOptions>();
  auto* cmd = app.add_subcommand("ping", "Dial a node, complete the handshake and measure round trips");
  cmd->add_option("ADDR", options->address, "/ip4|ip6|dns*/<host>/tcp/<port>[/p2p/<PeerId>]")->required();
  cmd->add_option("--count,-c", options->count, "Pings to send")->capture_default_str()->check(CLI::PositiveNumber);
  cmd->add_option("--interval-ms", options->interval_ms, "Pause between pings")->capture_default_str();
  cmd->add_option("--timeout-ms", options->timeout_ms, "Connect and handshake deadline")
      ->capture_default_str()->check(CLI::PositiveNumber);
  cmd->add_option("--key", options->key, "Identity key file (default: a fresh identity for this run)");
  cmd->callback([&dispatch, options] { dispatch.run = [options] { return ping(*options); }; });
}

}  // namespace weft::cli
