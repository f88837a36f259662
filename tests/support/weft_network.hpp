#pragma once
// Networks of `weft node run` processes on loopback for the black-box network tests: one
// config file for all (fast ticks, a per-address cap above the network's size, since every
// node shares 127.0.0.1), and a node with its own data directory, kept across restarts,
// observed through `weft status` / `weft topics`.

#include "background_process.hpp"
#include "run_process.hpp"
#include "weft_cli.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <fstream>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace weft::test {

/// Writes the network's config file into `dir` and returns its path. Every node wants
/// `peers` connections (the network's size minus one); ticks, exchanges, flushes and
/// gossip heartbeats are fast so that the tests are short.
inline std::string write_network_config(const TempDir& dir, std::size_t peers) {
  const std::string path = (dir.path() / "weft.toml").string();
  std::ofstream(path) << "[peer_manager]\ntick_interval_ms = 100\nlow_watermark = " << peers
                      << "\nhigh_watermark = " << 2 * peers + 2
                      << "\n\n[peer_manager.exchange]\ninterval_ms = 1000\n\n"
                         "[peer_manager.inbound]\nmax_connections_per_ipv4 = 64\n\n"
                         "[peer_manager.peerstore]\nflush_interval_ms = 200\n\n"
                         "[gossip]\nheartbeat_interval_ms = 200\n";
  return path;
}

/// One `weft node run` with its own data directory (kept across restarts).
struct NetworkNode {
  std::shared_ptr<TempDir> dir = std::make_shared<TempDir>();
  std::unique_ptr<BackgroundProcess> process;
  std::string address;  ///< its full listen address, from the "listening" line

  void start(const std::string& config, const std::string& bootstrap, const std::vector<std::string>& extra = {}) {
    std::vector<std::string> args{"node", "run", "--config", config, "--listen", "/ip4/127.0.0.1/tcp/0",
                                  "--data-dir", dir->path().string(), "--log-level", "warn"};
    if (!bootstrap.empty()) {
      args.push_back("--bootstrap");
      args.push_back(bootstrap);
    }
    args.insert(args.end(), extra.begin(), extra.end());
    process = std::make_unique<BackgroundProcess>(weft_binary(), args);
    auto line = process->wait_for_line("listening ");
    REQUIRE_MESSAGE(line.has_value(), "the node did not start; stderr: " << process->err());
    address = line->substr(std::string("listening ").size());
  }

  std::string data_dir() const { return dir->path().string(); }

  /// The admin API's answer to `command --json` (status, topics, ...), or null when the
  /// node does not answer.
  nlohmann::json ask(const std::string& command) const {
    const auto r = run_weft({command, "--json", "--data-dir", data_dir()});
    if (r.exit_code != 0) return nlohmann::json();
    return nlohmann::json::parse(r.out, nullptr, false);
  }

  std::size_t connected_peers() const {
    const auto s = ask("status");
    if (s.is_discarded() || !s.is_object()) return 0;
    return s.at("connections").at("peers").get<std::size_t>();
  }
};

/// Polls `condition` every 200 ms until it holds or a minute passed (not a performance
/// assertion: a bound so that a bug fails instead of hanging).
inline bool eventually_within_a_minute(const std::function<bool()>& condition) {
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (!condition()) {
    if (std::chrono::steady_clock::now() > give_up) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  return true;
}

/// "node 0: 7 peers; node 1: ..." for failure messages.
inline std::string describe(const std::vector<NetworkNode>& nodes) {
  std::string out;
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    out += "node " + std::to_string(i) + ": " +
           (nodes[i].process ? std::to_string(nodes[i].connected_peers()) + " peers; " : std::string("down; "));
  }
  return out;
}

}  // namespace weft::test
