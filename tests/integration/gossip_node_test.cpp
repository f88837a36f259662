// Gossip inside weft::Node, black-box through the public header: nodes that subscribe to a
// topic get each published message once, signed by its author; publishing with nobody to
// send to, on a stopped node or with gossip off fails with its own error; an unsubscribed
// node stops receiving; gossip_statistics() counts what happened, per topic too; a topic
// validator decides (at once, later from any thread, or by dropping its completion) what
// is delivered and forwarded; a throwing topic handler loses only its message.

#include "node_test_support.hpp"

#include <weft/node.hpp>

#include "gossip/gossip_config.hpp"  // the pending-validation queue's default size

#include <doctest/doctest.h>

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace weft {
namespace {

using namespace std::chrono_literals;

using test::eventually;
using Inbox = test::Recorder<TopicMessage>;

using test::gossip_node;

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

// ---- validators (Node::set_validator) ----

namespace weft {
namespace {

/// Three gossip nodes in a line, a - b - c (no peer manager, so no peer exchange: c hears
/// a only through b), all subscribed to `topic`, with the meshes formed. `validator` is b's,
/// set before start.
struct Line {
  std::unique_ptr<Node> a;
  std::unique_ptr<Node> b;
  std::unique_ptr<Node> c;
  Inbox inbox_b;
  Inbox inbox_c;

  static NodeConfig line_node() {
    NodeConfig config = gossip_node();
    config.peer_manager.enabled = false;
    return config;
  }

  /// `tune_b` changes b's config before it is created.
  Line(const std::string& topic, Node::Validator validator, const std::function<void(NodeConfig&)>& tune_b = {}) {
    a = started(line_node());
    a->subscribe(topic, [](const TopicMessage&) {});
    NodeConfig config_b = line_node();
    if (tune_b) tune_b(config_b);
    config_b.connections.warmup_peers = {a->listen_addresses().at(0).to_string()};
    b = test::make_node(config_b);
    b->subscribe(topic, inbox_b.callback());
    b->set_validator(topic, std::move(validator));
    test::start_node(*b);
    NodeConfig config_c = line_node();
    config_c.connections.warmup_peers = {b->listen_addresses().at(0).to_string()};
    c = test::make_node(config_c);
    c->subscribe(topic, inbox_c.callback());
    test::start_node(*c);
    const std::vector<std::pair<Node*, std::size_t>> expected{{a.get(), 1}, {b.get(), 2}, {c.get(), 1}};
    REQUIRE(eventually([&] {
      for (const auto& [node, peers] : expected) {
        auto stats = node->gossip_statistics();
        if (!stats) return false;
        const TopicStatistics* t = topic_entry(stats.value(), topic);
        if (t == nullptr || t->peers != peers || t->mesh_peers != peers) return false;
      }
      return true;
    }));
  }

  std::string publish(const std::string& topic, const std::string& data) {
    auto id = a->publish(topic, bytes_of(data)).get();
    REQUIRE(id.has_value());
    return id.value();
  }
  TopicStatistics b_topic(const std::string& topic) const {
    auto stats = b->gossip_statistics();
    REQUIRE(stats.has_value());
    const TopicStatistics* t = topic_entry(stats.value(), topic);
    REQUIRE(t != nullptr);
    return *t;
  }
};

std::string text_of(const TopicMessage& m) { return std::string(m.data.begin(), m.data.end()); }

/// Judges by the data: "accept...", "reject...", "ignore...", "throw..."; records what it saw.
struct ByContent {
  test::Recorder<TopicMessage> seen;
  Node::Validator validator() const {
    return [record = seen.callback()](const TopicMessage& m, ValidationCompletion done) {
      record(m);
      const std::string text = text_of(m);
      if (text.rfind("throw", 0) == 0) throw std::runtime_error("validator failed");
      if (text.rfind("reject", 0) == 0) return done(ValidationResult::reject);
      if (text.rfind("ignore", 0) == 0) return done(ValidationResult::ignore);
      done(ValidationResult::accept);
    };
  }
};

/// Keeps every completion for the test thread to answer or drop.
struct Deferred {
  struct Shared {
    std::mutex mutex;
    std::vector<ValidationCompletion> waiting;
  };
  std::shared_ptr<Shared> shared = std::make_shared<Shared>();
  Node::Validator validator() const {
    return [s = shared](const TopicMessage&, ValidationCompletion done) {
      std::lock_guard lock(s->mutex);
      s->waiting.push_back(std::move(done));
    };
  }
  std::size_t count() const {
    std::lock_guard lock(shared->mutex);
    return shared->waiting.size();
  }
  std::vector<ValidationCompletion> take() const {
    std::lock_guard lock(shared->mutex);
    return std::exchange(shared->waiting, {});
  }
};

}  // namespace

TEST_CASE("validator: accept delivers and forwards; the validator sees the message once") {
  ByContent judge;
  Line line("blocks", judge.validator());
  const std::string id = line.publish("blocks", "accept 1");
  const auto at_c = line.inbox_c.wait_for_count(1);
  REQUIRE(at_c.size() == 1);
  CHECK(at_c[0].received_from == line.b->peer_id());  // forwarded by b
  CHECK(text_of(at_c[0]) == "accept 1");
  REQUIRE(line.inbox_b.wait_for_count(1).size() == 1);
  const auto seen = judge.seen.values();
  REQUIRE(seen.size() == 1);
  CHECK(seen[0].id == id);
  CHECK(seen[0].topic == "blocks");
  REQUIRE(seen[0].author.has_value());
  CHECK(*seen[0].author == line.a->peer_id());
  CHECK(seen[0].received_from == line.a->peer_id());
  const TopicStatistics b = line.b_topic("blocks");
  CHECK(b.delivered == 1);
  CHECK(b.rejected == 0);
  CHECK(b.ignored == 0);
}

TEST_CASE("validator: reject and ignore neither deliver nor forward, and are counted; a throw is a reject") {
  ByContent judge;
  Line line("blocks", judge.validator());
  line.publish("blocks", "reject 1");
  line.publish("blocks", "ignore 1");
  line.publish("blocks", "throw 1");
  line.publish("blocks", "accept 2");  // a barrier: the stream to c is in order
  REQUIRE(line.inbox_c.wait_for_count(1).size() == 1);
  REQUIRE(line.inbox_b.wait_for_count(1).size() == 1);
  CHECK(line.inbox_c.values().size() == 1);
  CHECK(text_of(line.inbox_c.values()[0]) == "accept 2");
  CHECK(line.inbox_b.values().size() == 1);
  CHECK(judge.seen.values().size() == 4);
  const TopicStatistics b = line.b_topic("blocks");
  CHECK(b.rejected == 2);
  CHECK(b.ignored == 1);
  CHECK(b.delivered == 1);
  auto whole = line.b->gossip_statistics();
  REQUIRE(whole.has_value());
  CHECK(whole.value().rejected == 2);
  CHECK(whole.value().ignored == 1);
}

TEST_CASE("validator: answered later from another thread; nothing is delivered or forwarded before") {
  Deferred deferred;
  Line line("blocks", deferred.validator());
  line.publish("blocks", "later");
  REQUIRE(eventually([&] { return deferred.count() == 1; }));
  CHECK(line.inbox_b.values().empty());
  CHECK(line.b->gossip_statistics().value().messages_forwarded == 0);
  std::vector<ValidationCompletion> waiting = deferred.take();
  std::thread answer([done = waiting.at(0)] { done(ValidationResult::accept); });
  answer.join();
  CHECK(waiting.at(0).completed());
  waiting.at(0)(ValidationResult::reject);  // a second answer does nothing
  const auto at_c = line.inbox_c.wait_for_count(1);
  REQUIRE(at_c.size() == 1);
  CHECK(at_c[0].received_from == line.b->peer_id());
  CHECK(line.inbox_b.wait_for_count(1).size() == 1);
  CHECK(line.b_topic("blocks").rejected == 0);
}

TEST_CASE("validator: a completion dropped unanswered counts as ignore") {
  Deferred deferred;
  Line line("blocks", deferred.validator());
  line.publish("blocks", "dropped");
  REQUIRE(eventually([&] { return deferred.count() == 1; }));
  deferred.take();  // every copy destroyed here, on the test thread
  REQUIRE(eventually([&] { return line.b_topic("blocks").ignored == 1; }));
  CHECK(line.inbox_b.values().empty());
  CHECK(line.b_topic("blocks").delivered == 0);

  SUBCASE("a validator that keeps no completion and does not answer: ignore at once") {
    line.b->set_validator("blocks", [](const TopicMessage&, ValidationCompletion) {});
    line.publish("blocks", "not kept");
    REQUIRE(eventually([&] { return line.b_topic("blocks").ignored == 2; }));
    CHECK(line.inbox_b.values().empty());
  }
  SUBCASE("an empty validator removes it: messages are accepted again") {
    line.b->set_validator("blocks", nullptr);
    line.publish("blocks", "no validator");
    CHECK(line.inbox_c.wait_for_count(1).size() == 1);
    CHECK(line.inbox_b.wait_for_count(1).size() == 1);
  }
}

TEST_CASE("validator: past the per-topic pending queue messages are ignored and counted") {
  const std::size_t cap = gossip::GossipConfig{}.max_pending_validations_per_topic;
  Deferred deferred;
  Line line("blocks", deferred.validator());
  for (std::size_t i = 0; i < cap + 3; ++i) line.publish("blocks", "m" + std::to_string(i));
  REQUIRE(eventually([&] { return line.b_topic("blocks").ignored == 3; }));
  CHECK(deferred.count() == cap);
  CHECK(line.inbox_b.values().empty());
  // Answering frees the queue: accepted messages are delivered and forwarded.
  std::vector<ValidationCompletion> waiting = deferred.take();
  waiting.at(0)(ValidationResult::accept);
  CHECK(line.inbox_c.wait_for_count(1).size() == 1);
  CHECK(line.inbox_b.wait_for_count(1).size() == 1);
  waiting.clear();  // the rest: ignored
  REQUIRE(eventually([&] { return line.b_topic("blocks").ignored == 3 + cap - 1; }));
}

TEST_CASE("validator: gossip.max_pending_validations_per_topic sizes the running node's pending queue") {
  Deferred deferred;
  Line line("blocks", deferred.validator(),
            [](NodeConfig& config) { config.gossip.max_pending_validations_per_topic = 2; });
  for (int i = 0; i < 5; ++i) line.publish("blocks", "m" + std::to_string(i));
  REQUIRE(eventually([&] { return line.b_topic("blocks").ignored == 3; }));
  CHECK(deferred.count() == 2);
  CHECK(line.inbox_b.values().empty());
}

TEST_CASE("validator: set before start survives a restart") {
  ByContent judge;
  Line line("blocks", judge.validator());
  line.b->stop();
  test::start_node(*line.b);
  // b has new listeners: c reconnects to it.
  REQUIRE(line.c->connect(line.b->listen_addresses().at(0)).get().has_value());
  REQUIRE(line.a->connect(line.b->listen_addresses().at(0)).get().has_value());
  REQUIRE(eventually([&] {
    auto stats = line.b->gossip_statistics();
    if (!stats) return false;
    const TopicStatistics* t = topic_entry(stats.value(), "blocks");
    return t != nullptr && t->mesh_peers == 2;
  }));
  line.publish("blocks", "reject after restart");
  line.publish("blocks", "accept after restart");
  CHECK(line.inbox_c.wait_for_count(1).size() == 1);
  CHECK(text_of(line.inbox_c.values().at(0)) == "accept after restart");
  CHECK(line.b_topic("blocks").rejected == 1);
}

TEST_CASE("gossip: a topic handler that throws does not stop later messages or other topics") {
  Pair pair("blocks");
  Inbox blocks;
  Inbox votes;
  pair.b->subscribe("blocks", [record = blocks.callback()](const TopicMessage& m) {
    record(m);
    if (std::string(m.data.begin(), m.data.end()) == "boom") throw std::runtime_error("handler failed");
  });
  pair.b->subscribe("votes", votes.callback());
  pair.a->subscribe("votes", [](const TopicMessage&) {});
  REQUIRE(eventually([&] {
    auto stats = pair.a->gossip_statistics();
    if (!stats) return false;
    const TopicStatistics* t = topic_entry(stats.value(), "votes");
    return t != nullptr && t->peers == 1;
  }));
  REQUIRE(pair.a->publish("blocks", bytes_of("boom")).get().has_value());
  REQUIRE(pair.a->publish("blocks", bytes_of("after")).get().has_value());
  REQUIRE(pair.a->publish("votes", bytes_of("vote")).get().has_value());
  const auto got = blocks.wait_for_count(2);
  REQUIRE(got.size() == 2);
  CHECK(std::string(got[1].data.begin(), got[1].data.end()) == "after");
  REQUIRE(votes.wait_for_count(1).size() == 1);
  CHECK(pair.b->running());
}

}  // namespace weft
