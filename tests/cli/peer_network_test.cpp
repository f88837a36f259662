// A weft network started from the command line: eight `weft node run` processes on
// loopback, each told only about node 0, find each other through peer exchange and reach
// their target connection count; one is killed (kill -9) and the others notice; it restarts
// with the same data directory and no bootstrap flag and reconnects from its peerstore.
// Everything is observed through `weft status --json`.

#include "background_process.hpp"
#include "run_process.hpp"
#include "weft_cli.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <csignal>
#include <chrono>
#include <fstream>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

using weft::test::BackgroundProcess;
using weft::test::run_weft;
using weft::test::TempDir;
using weft::test::weft_binary;
using json = nlohmann::json;

namespace {

constexpr std::size_t kNodes = 8;
/// A bound on waiting for something that must happen (not a performance assertion).
constexpr auto kPatience = std::chrono::seconds(60);

/// Every node wants all the others: the low watermark is the network's size minus one.
/// Fast ticks and flushes keep the test short; loopback puts every node on one address, so
/// the per-address inbound cap is raised above the network's size.
constexpr const char* kConfig = R"([peer_manager]
tick_interval_ms = 100
low_watermark = 7
high_watermark = 16

[peer_manager.exchange]
interval_ms = 1000

[peer_manager.inbound]
max_connections_per_ipv4 = 64

[peer_manager.peerstore]
flush_interval_ms = 200
)";

/// One `weft node run` with its own data directory (kept across restarts).
struct NetworkNode {
  std::shared_ptr<TempDir> dir = std::make_shared<TempDir>();
  std::unique_ptr<BackgroundProcess> process;
  std::string address;  ///< its full listen address, from the "listening" line

  void start(const std::string& config, const std::string& bootstrap) {
    std::vector<std::string> args{"node", "run", "--config", config, "--listen", "/ip4/127.0.0.1/tcp/0",
                                  "--data-dir", dir->path().string(), "--log-level", "warn"};
    if (!bootstrap.empty()) {
      args.push_back("--bootstrap");
      args.push_back(bootstrap);
    }
    process = std::make_unique<BackgroundProcess>(weft_binary(), args);
    auto line = process->wait_for_line("listening ");
    REQUIRE_MESSAGE(line.has_value(), "the node did not start; stderr: " << process->err());
    address = line->substr(std::string("listening ").size());
  }

  /// `weft status --json`, or a null json when the node does not answer.
  json status() const {
    const auto r = run_weft({"status", "--json", "--data-dir", dir->path().string()});
    if (r.exit_code != 0) return json();
    return json::parse(r.out, nullptr, false);
  }

  std::size_t connected_peers() const {
    const json s = status();
    if (s.is_discarded() || !s.is_object()) return 0;
    return s.at("connections").at("peers").get<std::size_t>();
  }
};

bool eventually(const std::function<bool()>& condition) {
  const auto give_up = std::chrono::steady_clock::now() + kPatience;
  while (!condition()) {
    if (std::chrono::steady_clock::now() > give_up) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  return true;
}

std::string describe(const std::vector<NetworkNode>& nodes) {
  std::string out;
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    out += "node " + std::to_string(i) + ": " + std::to_string(nodes[i].connected_peers()) + " peers; ";
  }
  return out;
}

}  // namespace

TEST_CASE("network: eight nodes told only about node 0 form a full mesh, heal after a kill, and survive a restart") {
  TempDir config_dir;
  const std::string config = (config_dir.path() / "weft.toml").string();
  std::ofstream(config) << kConfig;

  std::vector<NetworkNode> nodes(kNodes);
  nodes[0].start(config, "");
  for (std::size_t i = 1; i < kNodes; ++i) nodes[i].start(config, nodes[0].address);

  const auto all_connected = [&](std::size_t expected) {
    return [&nodes, expected] {
      for (const auto& node : nodes) {
        if (node.process && node.connected_peers() != expected) return false;
      }
      return true;
    };
  };
  REQUIRE_MESSAGE(eventually(all_connected(kNodes - 1)), describe(nodes));
  // They found each other through peer exchange: node 7 knew only node 0.
  const json seventh = nodes[7].status();
  CHECK(seventh.at("peer_manager").at("exchange").at("addrs_learned").get<int>() > 0);
  CHECK(seventh.at("peer_manager").at("known_peers").get<int>() >= static_cast<int>(kNodes - 1));

  // Node 3's peerstore is on disk (flushed every 200 ms) before it is killed.
  NetworkNode& victim = nodes[3];
  REQUIRE(eventually([&] { return victim.status().at("peer_manager").at("store").at("flushes").get<int>() > 0; }));
  std::this_thread::sleep_for(std::chrono::milliseconds(500));  // a flush after the last connection
  victim.process->stop_with(SIGKILL);
  victim.process.reset();
  REQUIRE_MESSAGE(eventually(all_connected(kNodes - 2)), describe(nodes));  // the others noticed

  // Back with the same data directory and no --bootstrap: it dials the peers it remembers.
  victim.start(config, "");
  CHECK_MESSAGE(eventually(all_connected(kNodes - 1)), describe(nodes));

  for (auto& node : nodes) {
    if (node.process) CHECK(node.process->stop() == 0);
  }
}
