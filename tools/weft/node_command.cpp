// `weft node run [--listen ADDR]... [--key FILE]`: accepts connections, runs the
// handshake on each, answers pings, and logs every accepted or refused handshake with
// its reason. Prints one line per listen address in full form, e.g.
//   listening /ip4/127.0.0.1/tcp/40123/p2p/12D3KooW...
// then runs until SIGINT or SIGTERM. (The peer manager issue extends this command.)

#include "command.hpp"
#include "identity_file.hpp"

#include "conn/listener.hpp"
#include "node/ping.hpp"
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

using ConnectionSet = std::set<std::shared_ptr<conn::SecureConnection>>;

/// Answers pings on `connection` until it closes, then logs why and forgets it.
asio::awaitable<void> serve_connection(ConnectionSet& connections, std::shared_ptr<conn::SecureConnection> connection) {
  const Error reason = co_await node::serve_ping(connection);
  spdlog::info("closed {}: {}", connection->peer().to_string(), reason.message());
  connections.erase(connection);
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
  conn::ListenerConfig config;
  config.max_pending_handshakes = options.max_pending_handshakes;
  config.max_pending_handshakes_per_ip = options.max_pending_handshakes_per_ip;
  config.handshake.handshake_timeout_ms = options.handshake_timeout_ms;
  config.handshake.max_clock_skew_ms = options.max_clock_skew_ms;

  ConnectionSet connections;
  conn::Listener::Callbacks callbacks;
  callbacks.on_established = [&](std::shared_ptr<conn::SecureConnection> connection) {
    spdlog::info("accepted {} from {} (version {})", connection->peer().to_string(),
                 describe(connection->remote_endpoint()), connection->session().version);
    connections.insert(connection);
    asio::co_spawn(io, serve_connection(connections, connection), asio::detached);
  };
  callbacks.on_refused = [](const tcp::endpoint& remote, const Error& reason) {
    spdlog::warn("refused {}: {}", describe(remote), reason.message());
  };

  std::vector<std::unique_ptr<conn::Listener>> listeners;
  for (const auto& endpoint : endpoints) {
    auto listener = std::make_unique<conn::Listener>(io, identity.value(), config, callbacks);
    if (auto ok = listener->listen(endpoint); !ok) {
      std::cerr << "weft: " << ok.error().message() << '\n';
      return kExitFailure;
    }
    std::cout << "listening " << full_address(listener->local_endpoint(), self) << std::endl;
    listeners.push_back(std::move(listener));
  }

  asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code& ec, int signal) {
    if (ec) return;
    spdlog::info("stopping on signal {}", signal);
    for (auto& listener : listeners) listener->stop();
    for (const auto& connection : connections) connection->close(Error(Errc::channel_closed, "node stopping"));
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
  auto* run = node->add_subcommand("run", "Accept connections, complete handshakes and answer pings until SIGINT/SIGTERM");
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
