// `weft node run [--listen ADDR]... [--key FILE]`: a node on the connection pool. Accepts
// connections (handshake, then yamux streams), answers the ping protocol (/weft/ping/1)
// and the echo request protocol (/weft/echo/1), and logs every accepted, refused and
// closed connection with its reason. Prints one line per listen address in full form, e.g.
//   listening /ip4/127.0.0.1/tcp/40123/p2p/12D3KooW...
// then runs until SIGINT or SIGTERM. (The peer manager issue extends this command.)

#include "command.hpp"
#include "identity_file.hpp"

#include "conn/connection_pool.hpp"
#include "node/ping.hpp"
#include "node/request_response.hpp"
#include "util/asio.hpp"

#include <weft/multiaddr.hpp>
#include <weft/peer_id.hpp>

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <csignal>
#include <iostream>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace weft::cli {
namespace {

struct NodeRunOptions {
  std::vector<std::string> listen{"/ip4/0.0.0.0/tcp/4001"};
  std::string key;
  std::size_t max_pending_handshakes = 256;
  std::size_t max_pending_handshakes_per_ip = 16;
  std::uint64_t handshake_timeout_ms = 10'000;
  std::uint64_t max_clock_skew_ms = 300'000;
};

/// A listen address as an endpoint: `/ip4|ip6/<address>/tcp/<port>` only.
Result<tcp::endpoint> listen_endpoint(const std::string& text) {
  auto address = Multiaddr::parse(text);
  if (!address) return address.error();
  auto target = address.value().to_tcp_endpoint();
  if (!target || target.value().kind == TcpEndpoint::HostKind::dns || address.value().peer_id() ||
      (target.value().kind != TcpEndpoint::HostKind::ip4 && target.value().kind != TcpEndpoint::HostKind::ip6)) {
    return Error(Errc::multiaddr_not_tcp, "a listen address is /ip4|ip6/<address>/tcp/<port>");
  }
  boost::system::error_code ec;
  auto ip = asio::ip::make_address(target.value().host, ec);
  if (ec) return Error(Errc::multiaddr_invalid_value, target.value().host);
  return tcp::endpoint(ip, target.value().port);
}

std::string full_address(const tcp::endpoint& endpoint, const PeerId& id) {
  TcpEndpoint target;
  target.kind = endpoint.address().is_v4() ? TcpEndpoint::HostKind::ip4 : TcpEndpoint::HostKind::ip6;
  target.host = endpoint.address().to_string();
  target.port = endpoint.port();
  auto address = Multiaddr::from_tcp_endpoint(target);
  return (address ? address.value().to_string() : target.host) + "/p2p/" + id.to_string();
}

std::string describe(const tcp::endpoint& endpoint) {
  return (endpoint.address().is_v6() ? "[" + endpoint.address().to_string() + "]" : endpoint.address().to_string()) +
         ":" + std::to_string(endpoint.port());
}

/// The echo request protocol: answers each request with its own bytes.
asio::awaitable<Result<Bytes>> echo(PeerId, Bytes request) { co_return request; }

asio::awaitable<void> serve_ping_stream(conn::Stream stream) {
  const std::string peer = stream.peer().to_string();
  const Error reason = co_await node::serve_ping(std::move(stream));
  if (reason != Errc::mux_stream_closed) spdlog::info("ping stream from {} ended: {}", peer, reason.message());
}

void log_event(const conn::TableEvent& e) {
  using Kind = conn::TableEvent::Kind;
  const auto direction = e.direction == conn::Direction::inbound ? "inbound" : "outbound";
  switch (e.kind) {
    case Kind::connected:
      if (e.direction == conn::Direction::inbound) spdlog::info("accepted {}", e.peer.to_string());
      else spdlog::info("connected to {}", e.peer.to_string());
      break;
    case Kind::disconnected: spdlog::info("closed {} ({}): {}", e.peer.to_string(), direction, e.reason.message()); break;
    case Kind::degraded: spdlog::warn("degraded {}: {}", e.peer.to_string(), e.reason.message()); break;
    case Kind::recovered: spdlog::info("recovered {}", e.peer.to_string()); break;
    case Kind::circuit_opened: spdlog::warn("circuit opened for {}: {}", e.peer.to_string(), e.reason.message()); break;
    case Kind::circuit_closed: spdlog::info("circuit closed for {}", e.peer.to_string()); break;
    case Kind::pool_exhausted: spdlog::warn("pool exhausted: {}", e.reason.message()); break;
    case Kind::lease_leaked:
      if (e.leak) {
        spdlog::warn("stream lease to {} held {} ms, acquired at {}:{}", e.peer.to_string(), e.leak->held.count(),
                     e.leak->where.file_name(), e.leak->where.line());
      }
      break;
  }
}

int run_node(const NodeRunOptions& options) {
  std::vector<tcp::endpoint> endpoints;
  for (const auto& text : options.listen) {
    auto endpoint = listen_endpoint(text);
    if (!endpoint) {
      std::cerr << "weft: invalid --listen '" << text << "': " << endpoint.error().message() << " (see --help)\n";
      return kExitUsage;
    }
    endpoints.push_back(endpoint.value());
  }

  std::filesystem::path key_path = options.key;
  if (key_path.empty()) {
    auto fallback = default_key_path();
    if (!fallback) {
      std::cerr << "weft: " << fallback.error().message() << '\n';
      return kExitFailure;
    }
    key_path = fallback.value();
  }
  bool created = false;
  auto identity = load_or_create_identity(key_path, created);
  if (!identity) {
    std::cerr << "weft: " << key_path.string() << ": " << identity.error().message() << '\n';
    return kExitFailure;
  }
  const PeerId self = PeerId::from_public_key(identity.value().public_key());
  // Logs go to stderr; stdout carries only the "listening" lines, for scripts.
  spdlog::set_default_logger(spdlog::stderr_color_mt("weft"));
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ %v");
  if (created) spdlog::info("created identity {} in {}", self.to_string(), key_path.string());

  asio::io_context io;
  conn::PoolConfig config;
  config.listener.max_pending_handshakes = options.max_pending_handshakes;
  config.listener.max_pending_handshakes_per_ip = options.max_pending_handshakes_per_ip;
  config.listener.handshake.handshake_timeout_ms = options.handshake_timeout_ms;
  config.listener.handshake.max_clock_skew_ms = options.max_clock_skew_ms;
  config.dial.handshake = config.listener.handshake;

  auto pool = std::make_shared<conn::ConnectionPool>(io, identity.value(), config);
  pool->subscribe(log_event);
  pool->on_refused([](const tcp::endpoint& remote, const Error& reason) {
    spdlog::warn("refused {}: {}", describe(remote), reason.message());
  });
  pool->set_handler(node::kPingProtocol,
                    [&io](conn::Stream stream) { asio::co_spawn(io, serve_ping_stream(std::move(stream)), asio::detached); });
  node::serve_requests(*pool, "/weft/echo/1", echo);
  for (const auto& endpoint : endpoints) {
    auto local = pool->listen(endpoint);
    if (!local) {
      std::cerr << "weft: " << local.error().message() << '\n';
      return kExitFailure;
    }
    std::cout << "listening " << full_address(local.value(), self) << std::endl;
  }
  pool->start();

  asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code& ec, int signal) {
    if (ec) return;
    spdlog::info("stopping on signal {}", signal);
    pool->stop();
    io.stop();
  });
  io.run();
  return kExitOk;
}

}  // namespace

void add_node_command(CLI::App& app, Dispatch& dispatch) {
  auto* node = app.add_subcommand("node", "Run a weft node");
  node->require_subcommand(1);
  auto options = std::make_shared<NodeRunOptions>();
  auto* run = node->add_subcommand("run", "Accept connections and answer ping and echo until SIGINT/SIGTERM");
  run->add_option("--listen", options->listen, "Listen address, /ip4|ip6/<address>/tcp/<port> (repeatable; port 0 picks one)")
      ->capture_default_str();
  run->add_option("--key", options->key, "Identity key file, created if missing (default: $HOME/.weft/identity.key)");
  run->add_option("--max-pending-handshakes", options->max_pending_handshakes, "Concurrent inbound handshakes")
      ->capture_default_str()->check(CLI::PositiveNumber);
  run->add_option("--max-pending-handshakes-per-ip", options->max_pending_handshakes_per_ip,
                  "Concurrent inbound handshakes from one IP address")
      ->capture_default_str()->check(CLI::PositiveNumber);
  run->add_option("--handshake-timeout-ms", options->handshake_timeout_ms, "Deadline for the whole handshake")
      ->capture_default_str()->check(CLI::PositiveNumber);
  run->add_option("--max-clock-skew-ms", options->max_clock_skew_ms, "Accepted difference between clocks")
      ->capture_default_str();
  run->callback([&dispatch, options] { dispatch.run = [options] { return run_node(*options); }; });
}

}  // namespace weft::cli
