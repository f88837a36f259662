// `weft node run [--config FILE] [--listen ADDR]... [--bootstrap ADDR]... [--data-dir DIR]
// [--topic T]... [--log-level LEVEL] [--key FILE] [limit flags]`: a weft::Node (the one
// composition root) that answers ping (/weft/ping/1) and echo (/weft/echo/1), subscribes to
// each --topic (logging every message delivered on it), and logs every accepted, refused
// and closed connection with its reason. Settings: the defaults, then the config file, then
// the flags. Prints one line per listen address in full form, e.g.
//   listening /ip4/127.0.0.1/tcp/40123/p2p/12D3KooW...
// then runs until SIGINT or SIGTERM, and stops gracefully.

#include "command.hpp"
#include "config_file.hpp"

#include <weft/node.hpp>

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

namespace weft::cli {
namespace {

struct NodeRunOptions {
  std::string config_file;
  std::vector<std::string> listen;
  std::vector<std::string> bootstrap;
  std::vector<std::string> topics;
  std::string data_dir;
  std::string log_level;
  std::string key;
  std::size_t max_pending_handshakes = 0;
  std::size_t max_pending_handshakes_per_ip = 0;
  std::uint64_t handshake_timeout_ms = 0;
  std::uint64_t max_clock_skew_ms = 0;
  // Which limit flags were given (a flag overrides the file only when given).
  CLI::Option* max_pending_handshakes_flag = nullptr;
  CLI::Option* max_pending_handshakes_per_ip_flag = nullptr;
  CLI::Option* handshake_timeout_flag = nullptr;
  CLI::Option* clock_skew_flag = nullptr;
};

/// The config file (if any) with the flags applied over it.
Result<NodeConfig> node_config(const NodeRunOptions& o) {
  NodeConfig config;
  if (!o.config_file.empty()) {
    BOOST_OUTCOME_TRY(from_file, read_node_config(o.config_file));
    config = std::move(from_file);
  }
  if (!o.listen.empty()) config.listen = o.listen;
  for (const auto& peer : o.bootstrap) config.connections.warmup_peers.push_back(peer);
  if (!o.data_dir.empty()) config.data_dir = o.data_dir;
  if (!o.log_level.empty()) config.log_level = o.log_level;
  if (!o.key.empty()) config.identity_key_file = o.key;
  if (o.max_pending_handshakes_flag->count()) config.handshake.max_pending_handshakes = o.max_pending_handshakes;
  if (o.max_pending_handshakes_per_ip_flag->count()) {
    config.handshake.max_pending_handshakes_per_ip = o.max_pending_handshakes_per_ip;
  }
  if (o.handshake_timeout_flag->count()) config.handshake.handshake_timeout_ms = o.handshake_timeout_ms;
  if (o.clock_skew_flag->count()) config.handshake.max_clock_skew_ms = o.max_clock_skew_ms;
  return config;
}

/// The key file the node will use (for the "created" log line only).
std::filesystem::path key_file_of(const NodeConfig& config) {
  if (!config.identity_key_file.empty()) return config.identity_key_file;
  if (!config.data_dir.empty()) return std::filesystem::path(config.data_dir) / "identity.key";
  const char* home = std::getenv("HOME");
  return std::filesystem::path(home ? home : "") / ".weft" / "identity.key";
}

Result<Bytes> echo(const PeerId&, Bytes request) { return request; }

void log_event(const NodeEvent& e) {
  using Kind = NodeEvent::Kind;
  const std::string peer = e.peer ? e.peer->to_string() : std::string();
  switch (e.kind) {
    case Kind::connected:
      if (e.inbound) spdlog::info("accepted {}", peer);
      else spdlog::info("connected to {}", peer);
      break;
    case Kind::disconnected:
      spdlog::info("closed {} ({}): {}", peer, e.inbound ? "inbound" : "outbound", e.reason.message());
      break;
    case Kind::degraded: spdlog::warn("degraded {}: {}", peer, e.reason.message()); break;
    case Kind::recovered: spdlog::info("recovered {}", peer); break;
    case Kind::circuit_opened: spdlog::warn("circuit opened for {}: {}", peer, e.reason.message()); break;
    case Kind::circuit_closed: spdlog::info("circuit closed for {}", peer); break;
    case Kind::pool_exhausted: spdlog::warn("pool exhausted: {}", e.reason.message()); break;
    case Kind::lease_leaked: spdlog::warn("stream lease to {} {}", peer, e.detail); break;
    case Kind::refused: spdlog::warn("refused {}: {}", e.detail, e.reason.message()); break;
    case Kind::peer_discovered: spdlog::info("discovered {} ({})", peer, e.detail); break;
    case Kind::peer_trimmed: spdlog::info("trimming a connection to {}: {}", peer, e.reason.message()); break;
    case Kind::peer_banned: spdlog::warn("banned {}: {}", peer, e.reason.message()); break;
    case Kind::peer_unbanned: spdlog::info("unbanned {}", peer); break;
    case Kind::peerstore_set_aside:
      spdlog::error("peerstore unreadable ({}); moved to {}, starting with an empty one", e.reason.message(), e.detail);
      break;
    case Kind::gossip_slow_peer: spdlog::warn("gossip peer {} is slow: {}", peer, e.reason.message()); break;
  }
}

int run_node(const NodeRunOptions& options) {
  auto config = node_config(options);
  if (!config) {
    std::cerr << "weft: " << config.error().message() << '\n';
    return kExitUsage;
  }
  const auto key_file = key_file_of(config.value());
  std::error_code ec;
  const bool key_existed = std::filesystem::exists(key_file, ec);

  // SIGINT and SIGTERM are waited for below; blocked first so that the network thread,
  // started by the node, inherits the mask and never takes them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  auto node = Node::create(config.value());
  if (!node) {
    std::cerr << "weft: " << node.error().message() << '\n';
    return node.error() == Errc::config_invalid ? kExitUsage : kExitFailure;
  }
  // Logs go to stderr; stdout carries only the "listening" lines, for scripts.
  spdlog::set_default_logger(spdlog::stderr_color_mt("weft"));
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ %v");
  spdlog::set_level(spdlog::level::from_str(config.value().log_level));
  if (!key_existed && std::filesystem::exists(key_file, ec)) {
    spdlog::info("created identity {} in {}", node.value()->peer_id().to_string(), key_file.string());
  }

  node.value()->subscribe(log_event);
  node.value()->set_handler("/weft/echo/1", echo);
  for (const auto& topic : options.topics) {
    node.value()->subscribe(topic, [](const TopicMessage& m) {
      spdlog::info("message on {} from {} (seqno {}, {} bytes)", m.topic,
                   m.author ? m.author->to_string() : std::string("?"), m.seqno, m.data.size());
    });
  }
  if (auto started = node.value()->start(); !started) {
    std::cerr << "weft: " << started.error().message() << '\n';
    return kExitFailure;
  }
  for (const auto& address : node.value()->listen_addresses()) {
    std::cout << "listening " << address.to_string() << std::endl;
  }
  if (const std::string api = node.value()->admin_address(); !api.empty()) {
    spdlog::info("admin API on http://{} (weft status, peers, connect find it in the data directory's api.addr)", api);
  }

  int signal = 0;
  sigwait(&stop_signals, &signal);
  spdlog::info("stopping on signal {}", signal);
  node.value()->stop();
  return kExitOk;
}

}  // namespace

void add_node_command(CLI::App& app, Dispatch& dispatch) {
  auto* node = app.add_subcommand("node", "Run a weft node");
  node->require_subcommand(1);
  auto options = std::make_shared<NodeRunOptions>();
  auto* run = node->add_subcommand("run", "Accept connections and answer ping and echo until SIGINT/SIGTERM");
  run->add_option("--config", options->config_file, "TOML config file (see `weft config default`); flags override it")
      ->check(CLI::ExistingFile);
  run->add_option("--listen", options->listen,
                  "Listen address, /ip4|ip6/<address>/tcp/<port> (repeatable; port 0 picks one; default "
                  "/ip4/0.0.0.0/tcp/4001)");
  run->add_option("--bootstrap", options->bootstrap,
                  "Peer to dial at start, /ip4/.../tcp/<port>/p2p/<PeerId> (repeatable; added to the file's "
                  "connections.warmup_peers)");
  run->add_option("--topic", options->topics, "Gossip topic to subscribe to at start (repeatable); messages are logged");
  run->add_option("--data-dir", options->data_dir, "State directory, holds identity.key (default: $HOME/.weft)");
  run->add_option("--log-level", options->log_level, "trace, debug, info, warn, error, critical or off (default: info)")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "critical", "off"}));
  run->add_option("--key", options->key, "Identity key file, created if missing (default: <data-dir>/identity.key)");
  options->max_pending_handshakes_flag =
      run->add_option("--max-pending-handshakes", options->max_pending_handshakes, "Concurrent inbound handshakes (256)")
          ->check(CLI::PositiveNumber);
  options->max_pending_handshakes_per_ip_flag =
      run->add_option("--max-pending-handshakes-per-ip", options->max_pending_handshakes_per_ip,
                      "Concurrent inbound handshakes from one IP address (16)")
          ->check(CLI::PositiveNumber);
  options->handshake_timeout_flag =
      run->add_option("--handshake-timeout-ms", options->handshake_timeout_ms, "Deadline for the whole handshake (10000)")
          ->check(CLI::PositiveNumber);
  options->clock_skew_flag = run->add_option("--max-clock-skew-ms", options->max_clock_skew_ms,
                                             "Accepted difference between clocks (300000)");
  run->callback([&dispatch, options] { dispatch.run = [options] { return run_node(*options); }; });
}

}  // namespace weft::cli
