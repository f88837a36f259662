// GossipRouter IDONTWANT (gossipsub v1.2): sent to the mesh on first receipt of a large
// message, before validation; copies for peers that said IDONTWANT are not sent, and
// queued ones are pulled; the per-peer sets are bounded in size, rate and time.

#include "gossip/gossip_router.hpp"

#include "gossip_test_support.hpp"

#include <doctest/doctest.h>

using namespace weft;
using namespace weft::gossip;
using namespace weft::test;

namespace {

const TopicId kTopic = "blocks";

Rpc idontwant(std::vector<MessageId> ids) {
  ControlMessage c;
  c.idontwant.push_back({std::move(ids)});
  return control_rpc(std::move(c));
}

MessageId id_of(const MessagePtr& m) { return message_id(*m, MessageIdMode::author_seqno); }

}  // namespace

TEST_CASE("idontwant: a first receipt of >= 1 KiB goes to the mesh but the source, before validation") {
  RouterFixture f = subscribed_with(kTopic, 4);
  f.router.set_validator(kTopic, [](const TopicId&, const Message&, const PeerId&) { return Validation::defer; });
  const MessagePtr big = authored(90, kTopic, std::string(1024, 'x'), 1);
  f.rpc(1, publish_rpc({big}));
  auto out = f.drain();
  CHECK(idontwants_to(out, gossip_peer(1)) == 0);
  for (std::uint32_t i = 2; i <= 4; ++i) {
    CHECK(idontwants_to(out, gossip_peer(i)) == 1);
    CHECK(messages_to(out, gossip_peer(i)) == 0);  // validation still pending
  }
  for (const auto& o : out) {
    CHECK(o.priority == Priority::control);
    REQUIRE(o.rpc.control.idontwant.size() == 1);
    CHECK(o.rpc.control.idontwant[0].ids == std::vector<MessageId>{id_of(big)});
  }
  CHECK(f.router.stats().idontwant_sent == 3);
  // Not again for a copy.
  f.rpc(2, publish_rpc({big}));
  CHECK(f.drain().empty());
}

TEST_CASE("idontwant: the size threshold is exact, and forged messages do not trigger it") {
  RouterFixture f = subscribed_with(kTopic, 3);
  f.rpc(1, publish_rpc({authored(90, kTopic, std::string(1023, 'x'), 1)}));
  CHECK(f.router.stats().idontwant_sent == 0);
  f.drain();
  Message forged = *authored(90, kTopic, std::string(4096, 'x'), 2);
  (*forged.signature)[0] ^= 1;
  f.rpc(1, publish_rpc({std::make_shared<const Message>(forged)}));
  CHECK(f.router.stats().idontwant_sent == 0);
  f.rpc(1, publish_rpc({authored(90, kTopic, std::string(1024, 'x'), 3)}));
  CHECK(f.router.stats().idontwant_sent == 2);
}

TEST_CASE("idontwant: a peer that said IDONTWANT is not sent the message") {
  RouterFixture f = subscribed_with(kTopic, 3);
  const MessagePtr m = authored(90, kTopic, "small is fine too", 1);
  f.rpc(2, idontwant({id_of(m)}));
  CHECK(f.router.idontwant_entries(gossip_peer(2)) == 1);
  f.rpc(1, publish_rpc({m}));
  auto out = f.drain();
  CHECK(messages_to(out, gossip_peer(2)) == 0);
  CHECK(messages_to(out, gossip_peer(3)) == 1);
  CHECK(f.router.stats().idontwant_suppressed == 1);
}

TEST_CASE("idontwant: a copy still queued for the peer is dropped from the queue, not sent") {
  RouterFixture f = subscribed_with(kTopic, 3);
  auto id = f.router.publish(kTopic, Bytes(2000, 7), f.now);
  REQUIRE(id.has_value());
  CHECK(f.router.queued_bytes(gossip_peer(2)) > 2000);
  f.rpc(2, idontwant({id.value()}));
  CHECK(f.router.queued_bytes(gossip_peer(2)) == 0);
  CHECK(f.router.stats().idontwant_dropped_queued == 1);
  auto out = f.drain();
  CHECK(messages_to(out, gossip_peer(2)) == 0);
  CHECK(messages_to(out, gossip_peer(1)) == 1);
  CHECK(messages_to(out, gossip_peer(3)) == 1);
}

TEST_CASE("idontwant: ids remembered per peer are capped exactly") {
  GossipConfig c;
  c.max_idontwant_ids_per_peer = 3;
  RouterFixture f = subscribed_with(kTopic, 1, c);
  f.rpc(1, idontwant({"a", "b", "a", "c"}));
  CHECK(f.router.idontwant_entries(gossip_peer(1)) == 3);
  CHECK(f.router.stats().idontwant_over_cap == 0);
  f.rpc(1, idontwant({"d"}));
  CHECK(f.router.idontwant_entries(gossip_peer(1)) == 3);
  CHECK(f.router.stats().idontwant_over_cap == 1);
}

TEST_CASE("idontwant: entries per heartbeat are capped exactly; the count resets each heartbeat") {
  GossipConfig c;
  c.max_idontwant_messages_per_heartbeat = 2;
  RouterFixture f = subscribed_with(kTopic, 1, c);
  ControlMessage three;
  three.idontwant = {{{"a"}}, {{"b"}}, {{"c"}}};
  f.rpc(1, control_rpc(three));
  CHECK(f.router.idontwant_entries(gossip_peer(1)) == 2);
  CHECK(f.router.stats().idontwant_over_cap == 1);
  f.heartbeats(1);
  f.rpc(1, idontwant({"d"}));
  CHECK(f.router.idontwant_entries(gossip_peer(1)) == 3);
}

TEST_CASE("idontwant: an id is remembered for idontwant_ttl (3 s), then forgotten at a heartbeat") {
  RouterFixture f = subscribed_with(kTopic, 1);
  f.advance(std::chrono::milliseconds(100));  // heartbeats now fall on whole seconds + 100 ms
  f.rpc(1, idontwant({"a"}));
  f.heartbeats(2);
  CHECK(f.router.idontwant_entries(gossip_peer(1)) == 1);
  f.heartbeats(1);
  CHECK(f.router.idontwant_entries(gossip_peer(1)) == 0);
}
