// A weft network started from the command line: eight `weft node run` processes on
// loopback, each told only about node 0, find each other through peer exchange and reach
// their target connection count; one is killed (kill -9) and the others notice; it restarts
// with the same data directory and no bootstrap flag and reconnects from its peerstore.
// Everything is observed through `weft status --json`.

#include "weft_network.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <csignal>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

using weft::test::describe;
using weft::test::eventually_within_a_minute;
using weft::test::NetworkNode;
using weft::test::TempDir;
using json = nlohmann::json;

namespace {

constexpr std::size_t kNodes = 8;

}  // namespace

TEST_CASE("network: eight nodes told only about node 0 form a full mesh, heal after a kill, and survive a restart") {
  TempDir config_dir;
  const std::string config = weft::test::write_network_config(config_dir, kNodes - 1);

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
  REQUIRE_MESSAGE(eventually_within_a_minute(all_connected(kNodes - 1)), describe(nodes));
  // They found each other through peer exchange: node 7 knew only node 0.
  const json seventh = nodes[7].ask("status");
  CHECK(seventh.at("peer_manager").at("exchange").at("addrs_learned").get<int>() > 0);
  CHECK(seventh.at("peer_manager").at("known_peers").get<int>() >= static_cast<int>(kNodes - 1));

  // Node 3's peerstore is on disk (flushed every 200 ms) before it is killed.
  NetworkNode& victim = nodes[3];
  REQUIRE(eventually_within_a_minute([&] {
    const json status = victim.ask("status");
    return status.is_object() && status.at("peer_manager").at("store").at("flushes").get<int>() > 0;
  }));
  std::this_thread::sleep_for(std::chrono::milliseconds(500));  // a flush after the last connection
  victim.process->stop_with(SIGKILL);
  victim.process.reset();
  REQUIRE_MESSAGE(eventually_within_a_minute(all_connected(kNodes - 2)), describe(nodes));  // the others noticed

  // Back with the same data directory and no --bootstrap: it dials the peers it remembers.
  victim.start(config, "");
  CHECK_MESSAGE(eventually_within_a_minute(all_connected(kNodes - 1)), describe(nodes));

  for (auto& node : nodes) {
    if (node.process) CHECK(node.process->stop() == 0);
  }
}
