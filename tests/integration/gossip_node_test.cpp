// Gossip inside weft::Node, black-box through the public header: nodes that subscribe to a
// topic get each published message once, signed by its author; publishing with nobody to
// send to, on a stopped node or with gossip off fails with its own error; an unsubscribed
// node stops receiving.

#include "node_test_support.hpp"

#include <weft/node.hpp>

#include <doctest/doctest.h>

#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace weft {
namespace {

using namespace std::chrono_literals;

using test::eventually;
using Inbox = test::Recorder<TopicMessage>;

NodeConfig gossip_node() {
  NodeConfig config;
  config.listen = {"/ip4/127.0.0.1/tcp/0"};
  config.identity = Keypair::generate();
  config.peer_manager.tick_interval_ms = 50;
  config.gossip.heartbeat_interval_ms = 100;
  return config;
}

std::unique_ptr<Node> started(NodeConfig config) {
  auto node = test::make_node(std::move(config));
  test::start_node(*node);
  return node;
}

Bytes bytes_of(const std::string& s) { return Bytes(s.begin(), s.end()); }

}  // namespace

TEST_CASE("gossip: every subscriber gets a published message once, with its author and seqno") {
  auto hub = started(gossip_node());
  std::vector<std::unique_ptr<Node>> nodes;
  std::vector<Inbox> inboxes(3);
  for (std::size_t i = 0; i < 3; ++i) {
    NodeConfig config = gossip_node();
    config.connections.warmup_peers = {hub->listen_addresses().at(0).to_string()};
    auto node = Node::create(config);
    REQUIRE(node.has_value());
    node.value()->subscribe("blocks", inboxes[i].callback());  // before start: applied at start
    REQUIRE(node.value()->start().has_value());
    nodes.push_back(std::move(node).value());
  }
  Inbox hub_inbox;
  hub->subscribe("blocks", hub_inbox.callback());  // after start

  // Everyone is connected to everyone (peer exchange), and the meshes form.
  REQUIRE(eventually([&] {
    for (const auto& node : nodes) {
      auto stats = node->statistics();
      if (!stats || stats.value().connections_per_peer.size() < 3) return false;
    }
    return true;
  }));
  // Publishing before the peers' subscriptions arrived may find nobody; retry until sent.
  Result<std::string> id = Error(Errc::gossip_no_peers);
  REQUIRE(eventually([&] {
    id = nodes[0]->publish("blocks", bytes_of("block 1")).get();
    return id.has_value();
  }));

  for (std::size_t i = 1; i < 3; ++i) {
    const auto got = inboxes[i].wait_for_count(1);
    REQUIRE(got.size() >= 1);
    CHECK(got[0].topic == "blocks");
    CHECK(got[0].id == id.value());
    CHECK(std::string(got[0].data.begin(), got[0].data.end()) == "block 1");
    REQUIRE(got[0].author.has_value());
    CHECK(*got[0].author == nodes[0]->peer_id());
  }
  const auto at_hub = hub_inbox.wait_for_count(1);
  REQUIRE(at_hub.size() == 1);
  const std::uint64_t first_seqno = at_hub[0].seqno;

  // A second message: each subscriber has exactly two, never a duplicate; the author does
  // not deliver its own messages to itself.
  REQUIRE(nodes[0]->publish("blocks", bytes_of("block 2")).get().has_value());
  for (std::size_t i = 1; i < 3; ++i) CHECK(inboxes[i].wait_for_count(2).size() == 2);
  const auto two = hub_inbox.wait_for_count(2);
  REQUIRE(two.size() == 2);
  CHECK(two[1].seqno > first_seqno);
  std::this_thread::sleep_for(300ms);  // a few heartbeats: gossip must not re-deliver
  for (std::size_t i = 1; i < 3; ++i) CHECK(inboxes[i].values().size() == 2);
  CHECK(hub_inbox.values().size() == 2);
  CHECK(inboxes[0].values().empty());

  SUBCASE("an unsubscribed node stops receiving") {
    nodes[2]->unsubscribe("blocks");
    std::this_thread::sleep_for(300ms);
    REQUIRE(eventually([&] { return nodes[0]->publish("blocks", bytes_of("block 3")).get().has_value(); }));
    CHECK(inboxes[1].wait_for_count(3).size() == 3);
    CHECK(hub_inbox.wait_for_count(3).size() == 3);
    CHECK(inboxes[2].values().size() == 2);
  }
}

TEST_CASE("gossip: publish fails with its own error: no peers, a stopped node, too large, gossip off") {
  auto alone = started(gossip_node());
  auto none = alone->publish("t", bytes_of("x")).get();
  REQUIRE_FALSE(none.has_value());
  CHECK(none.error() == Errc::gossip_no_peers);

  NodeConfig small = gossip_node();
  small.gossip.max_message_bytes = 1024;
  auto limited = started(small);
  auto big = limited->publish("t", Bytes(2048, 1)).get();
  REQUIRE_FALSE(big.has_value());
  CHECK(big.error() == Errc::gossip_message_too_large);

  limited->stop();
  auto stopped = limited->publish("t", bytes_of("x")).get();
  REQUIRE_FALSE(stopped.has_value());
  CHECK(stopped.error() == Errc::node_not_running);

  NodeConfig off = gossip_node();
  off.gossip.enabled = false;
  auto plain = started(off);
  auto refused = plain->publish("t", bytes_of("x")).get();
  REQUIRE_FALSE(refused.has_value());
  CHECK(refused.error() == Errc::config_invalid);
}

TEST_CASE("gossip: an inconsistent mesh config is refused at create, naming the rule") {
  NodeConfig config = gossip_node();
  config.gossip.d_lo = 10;  // above d
  auto node = Node::create(config);
  REQUIRE_FALSE(node.has_value());
  CHECK(node.error() == Errc::config_invalid);
  CHECK(node.error().message().find("gossip") != std::string::npos);
}

}  // namespace weft

namespace weft {
namespace {

/// The entry of `topic` in `stats`, or null.
const TopicStatistics* topic_entry(const GossipStatistics& stats, const std::string& topic) {
  for (const auto& t : stats.topics) {
    if (t.topic == topic) return &t;
  }
  return nullptr;
}

/// Two started gossip nodes, `b` dialing `a`, both subscribed to `topic` with `inbox_a` /
/// `inbox_b`, and each in the other's mesh for it.
struct Pair {
  std::unique_ptr<Node> a;
  std::unique_ptr<Node> b;
  Inbox inbox_a;
  Inbox inbox_b;

  explicit Pair(const std::string& topic) {
    a = started(gossip_node());
    NodeConfig config = gossip_node();
    config.connections.warmup_peers = {a->listen_addresses().at(0).to_string()};
    b = test::make_node(config);
    a->subscribe(topic, inbox_a.callback());
    b->subscribe(topic, inbox_b.callback());
    test::start_node(*b);
    REQUIRE(eventually([&] {
      for (Node* node : {a.get(), b.get()}) {
        auto stats = node->gossip_statistics();
        if (!stats) return false;
        const TopicStatistics* t = topic_entry(stats.value(), topic);
        if (t == nullptr || t->peers != 1 || t->mesh_peers != 1) return false;
      }
      return true;
    }));
  }
};

}  // namespace

TEST_CASE("gossip statistics: topics and counters move with a published message") {
  Pair pair("blocks");
  auto before = pair.b->gossip_statistics();
  REQUIRE(before.has_value());
  CHECK(before.value().enabled);
  CHECK(before.value().delivered == 0);

  auto id = pair.a->publish("blocks", bytes_of("block 1"));
  REQUIRE(id.get().has_value());
  REQUIRE(pair.inbox_b.wait_for_count(1).size() == 1);

  auto a = pair.a->gossip_statistics();
  REQUIRE(a.has_value());
  CHECK(a.value().published == 1);
  CHECK(a.value().delivered == 0);  // the author does not deliver to itself
  REQUIRE(a.value().topics.size() == 1);
  CHECK(a.value().topics[0].topic == "blocks");
  CHECK(a.value().topics[0].mesh_peers == 1);
  CHECK(a.value().topics[0].peers == 1);
  CHECK(a.value().grafts_sent + pair.b->gossip_statistics().value().grafts_sent >= 1);

  auto b = pair.b->gossip_statistics();
  REQUIRE(b.has_value());
  CHECK(b.value().published == 0);
  CHECK(b.value().delivered == 1);
  CHECK(b.value().messages_received == 1);
  CHECK(b.value().rpcs_received >= 2);  // at least a's subscription and its message
  CHECK(b.value().rejected == 0);
  CHECK(b.value().duplicates == 0);
  REQUIRE(b.value().topics.size() == 1);
  CHECK(b.value().topics[0].delivered == 1);
  CHECK(b.value().topics[0].duplicates == 0);
  CHECK(b.value().topics[0].rejected == 0);
  CHECK(b.value().topics[0].ignored == 0);
  CHECK(a.value().topics[0].delivered == 0);
}

TEST_CASE("gossip statistics: node_not_running when stopped; enabled false with gossip off") {
  auto node = started(gossip_node());
  node->subscribe("t", [](const TopicMessage&) {});
  REQUIRE(eventually([&] {
    auto stats = node->gossip_statistics();
    return stats && stats.value().topics.size() == 1;
  }));
  node->stop();
  auto stopped = node->gossip_statistics();
  REQUIRE_FALSE(stopped.has_value());
  CHECK(stopped.error() == Errc::node_not_running);

  NodeConfig off = gossip_node();
  off.gossip.enabled = false;
  auto plain = started(off);
  plain->subscribe("t", [](const TopicMessage&) {});
  auto stats = plain->gossip_statistics();
  REQUIRE(stats.has_value());
  CHECK_FALSE(stats.value().enabled);
  CHECK(stats.value().topics.empty());
  CHECK(stats.value().published == 0);
}

}  // namespace weft
