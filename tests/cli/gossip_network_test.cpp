// Gossip across `weft node run` processes: eight nodes on loopback subscribed to one topic
// (`--topic`), one of them late. A message published through one node's admin API
// (`weft publish`) reaches every subscriber once; the late subscriber receives the messages
// published after it joined; a node killed with kill -9 does not stop delivery to the rest.
// Deliveries are counted through `weft topics --json` ("delivered"); a `weft subscribe` on
// one node prints the message published after it attached.

#include "background_process.hpp"
#include "weft_network.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <csignal>
#include <cstdint>
#include <optional>
#include <string>
#include <thread>
#include <vector>

using weft::test::describe;
using weft::test::eventually_within_a_minute;
using weft::test::NetworkNode;
using weft::test::run_weft;
using weft::test::TempDir;
using json = nlohmann::json;

namespace {

constexpr std::size_t kNodes = 8;

/// Messages node `node` delivered on its topics; -1 when it does not answer.
std::int64_t delivered(const NetworkNode& node) {
  const json topics = node.ask("topics");
  if (!topics.is_object()) return -1;
  return topics.at("delivered").get<std::int64_t>();
}

/// Peers `node` knows to subscribe to the topic; -1 when it does not answer.
std::int64_t topic_peers(const NetworkNode& node) {
  const json topics = node.ask("topics");
  if (!topics.is_object() || topics.at("topics").empty()) return -1;
  return topics.at("topics").at(0).at("peers").get<std::int64_t>();
}

/// Publishes `data` through `node`, retrying while it has nobody to send to (subscriptions
/// still travelling); whether it was published.
bool publish(const NetworkNode& node, const std::string& data) {
  return eventually_within_a_minute([&] {
    return run_weft({"publish", "blocks", data, "--data-dir", node.data_dir()}).exit_code == 0;
  });
}

}  // namespace

TEST_CASE("gossip network: every subscriber gets each message once, late ones the later ones, despite a kill") {
  TempDir config_dir;
  const std::string config = weft::test::write_network_config(config_dir, kNodes - 1);
  const std::vector<std::string> subscribe{"--topic", "blocks"};

  std::vector<NetworkNode> nodes(kNodes);
  nodes[0].start(config, "", subscribe);
  for (std::size_t i = 1; i + 1 < kNodes; ++i) nodes[i].start(config, nodes[0].address, subscribe);
  const auto delivered_everywhere_but = [&](std::size_t publisher, std::int64_t count) {
    return [&nodes, publisher, count] {
      for (std::size_t i = 0; i < nodes.size(); ++i) {
        if (i == publisher || !nodes[i].process) continue;
        if (delivered(nodes[i]) != count) return false;
      }
      return true;
    };
  };

  // Seven nodes, once every one knows the six others' subscriptions (a message published
  // earlier reaches only the peers known then, as in any gossipsub): a message from node 1
  // reaches the six others, once each.
  REQUIRE_MESSAGE(eventually_within_a_minute([&] {
                    for (std::size_t i = 0; i + 1 < kNodes; ++i) {
                      if (topic_peers(nodes[i]) != static_cast<std::int64_t>(kNodes - 2)) return false;
                    }
                    return true;
                  }),
                  describe(nodes));
  REQUIRE(publish(nodes[1], "block 1"));
  REQUIRE_MESSAGE(eventually_within_a_minute(delivered_everywhere_but(1, 1)), describe(nodes));

  // A late subscriber joins once block 1 has left the message caches (5 heartbeats of 200 ms:
  // until then IHAVE gossip would offer it too): it gets what is published from now on.
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  NetworkNode& late = nodes[kNodes - 1];
  late.start(config, nodes[0].address, subscribe);
  REQUIRE(eventually_within_a_minute([&] { return topic_peers(late) == static_cast<std::int64_t>(kNodes - 1); }));
  REQUIRE(eventually_within_a_minute([&] { return topic_peers(nodes[1]) == static_cast<std::int64_t>(kNodes - 1); }));
  REQUIRE(publish(nodes[1], "block 2"));
  CHECK_MESSAGE(eventually_within_a_minute([&] { return delivered(late) == 1; }), describe(nodes));
  for (std::size_t i = 0; i + 1 < kNodes; ++i) {
    if (i != 1) CHECK(eventually_within_a_minute([&] { return delivered(nodes[i]) == 2; }));
  }

  // A `weft subscribe` on node 5 (already a --topic subscriber) sees the next message.
  weft::test::BackgroundProcess subscriber(weft::test::weft_binary(),
                                           {"subscribe", "blocks", "--count", "1", "--data-dir", nodes[5].data_dir()});
  REQUIRE(eventually_within_a_minute([&] {
    const json status = nodes[5].ask("status");
    return status.is_object() && status.at("admin").at("subscribers") == 1;
  }));

  // Node 3 dies mid-stream: the rest still get every message.
  nodes[3].process->stop_with(SIGKILL);
  nodes[3].process.reset();
  REQUIRE(publish(nodes[1], "block 3"));
  REQUIRE(subscriber.wait_for_exit() == std::optional<int>(0));
  const json streamed = json::parse(subscriber.out(), nullptr, false);
  REQUIRE(streamed.is_object());
  CHECK(streamed.at("data") == "YmxvY2sgMw==");  // "block 3"
  CHECK(eventually_within_a_minute([&] { return delivered(late) == 2; }));
  for (std::size_t i = 0; i + 1 < kNodes; ++i) {
    if (i != 1 && i != 3) CHECK(eventually_within_a_minute([&] { return delivered(nodes[i]) == 3; }));
  }
  // And once each: a few heartbeats of gossip later, nothing was delivered twice.
  std::this_thread::sleep_for(std::chrono::seconds(1));
  CHECK(delivered(late) == 2);
  CHECK(delivered(nodes[0]) == 3);

  for (auto& node : nodes) {
    if (node.process) CHECK(node.process->stop() == 0);
  }
}
