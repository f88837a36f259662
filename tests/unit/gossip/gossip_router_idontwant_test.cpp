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

TEST_CASE("idontwant: the size threshold is exact") {
  RouterFixture f = subscribed_with(kTopic, 3);
  f.rpc(1, publish_rpc({authored(90, kTopic, std::string(1023, 'x'), 1)}));
  CHECK(f.router.stats().idontwant_sent == 0);
  f.rpc(1, publish_rpc({authored(90, kTopic, std::string(1024, 'x'), 2)}));
  CHECK(f.router.stats().idontwant_sent == 2);
}

namespace {
MessagePtr forged_copy(const MessagePtr& genuine) {
  Message forged = *genuine;
  (*forged.signature)[0] ^= 1;
  return std::make_shared<const Message>(forged);
}
}  // namespace

TEST_CASE("idontwant: sent before the signature check when the source's score is not negative") {
  GossipConfig c;
  c.async_signature_checks = true;
  RouterFixture f = subscribed_with(kTopic, 3, c);
  const MessagePtr big = authored(90, kTopic, std::string(4096, 'x'), 1);
  f.rpc(1, publish_rpc({big}));
  REQUIRE(events_of<event::SignatureCheck>(f.events()).size() == 1);
  auto out = f.drain();  // the check has not answered yet
  CHECK(idontwants_to(out, gossip_peer(2)) == 1);
  CHECK(idontwants_to(out, gossip_peer(3)) == 1);
  CHECK(idontwants_to(out, gossip_peer(1)) == 0);
  CHECK(f.router.stats().idontwant_before_check == 1);
  CHECK(f.router.report_signature(id_of(big), success(), f.now));
  out = f.drain();
  CHECK(idontwants_to(out, gossip_peer(2)) == 0);  // not a second time after the check
  CHECK(messages_to(out, gossip_peer(2)) == 1);
  CHECK(f.router.stats().idontwant_sent == 2);

  SUBCASE("a source with a negative score: only after a good signature") {
    f.router.set_app_score(gossip_peer(1), -50);  // below 0 even with its delivery credits
    REQUIRE(f.router.score(gossip_peer(1)) < 0);
    const MessagePtr next = authored(90, kTopic, std::string(4096, 'y'), 2);
    f.rpc(1, publish_rpc({next}));
    CHECK(f.drain().empty());
    CHECK(f.router.report_signature(id_of(next), success(), f.now));
    out = f.drain();
    CHECK(idontwants_to(out, gossip_peer(2)) == 1);
    CHECK(f.router.stats().idontwant_before_check == 1);
    const MessagePtr forged = forged_copy(authored(90, kTopic, std::string(4096, 'z'), 3));
    f.rpc(1, publish_rpc({forged}));
    CHECK(f.router.report_signature(id_of(forged), verify_message(*forged), f.now));
    CHECK(idontwants_to(f.drain(), gossip_peer(2)) == 0);  // a forged copy from it announces nothing
  }
  SUBCASE("early_idontwant off: only after a good signature") {
    GossipConfig off = c;
    off.early_idontwant = false;
    RouterFixture g = subscribed_with(kTopic, 3, off);
    g.rpc(1, publish_rpc({big}));
    CHECK(g.drain().empty());
    CHECK(g.router.report_signature(id_of(big), success(), g.now));
    CHECK(idontwants_to(g.drain(), gossip_peer(2)) == 1);
    CHECK(g.router.stats().idontwant_before_check == 0);
  }
}

TEST_CASE("idontwant: a forged copy we announced is asked for again, from one mesh peer but the forger") {
  GossipConfig c;
  c.max_forged_refetches = 2;
  RouterFixture f = subscribed_with(kTopic, 4, c);
  const MessagePtr genuine = authored(90, kTopic, std::string(4096, 'x'), 1);
  f.rpc(1, publish_rpc({forged_copy(genuine)}));  // inline check: announced, then it fails
  auto out = f.drain();
  CHECK(idontwants_to(out, gossip_peer(2)) == 1);
  CHECK(f.router.stats().messages_invalid == 1);
  f.heartbeats(1);
  out = f.drain();
  std::size_t asked = 0;
  for (std::uint32_t i = 1; i <= 4; ++i) {
    const auto ids = iwant_ids_to(out, gossip_peer(i));
    if (i == 1) CHECK(ids.empty());  // not the forger
    if (ids == std::vector<MessageId>{id_of(genuine)}) ++asked;
  }
  CHECK(asked == 1);
  CHECK(f.router.stats().forged_refetch_sent == 1);
  f.heartbeats(1);
  CHECK(f.router.stats().forged_refetch_sent == 1);  // asked once, then forgotten

  f.router.set_app_score(gossip_peer(1), 1e6);  // keeps its next forgeries announced early
  SUBCASE("the genuine message arriving first: nothing is asked") {
    const MessagePtr other = authored(91, kTopic, std::string(4096, 'y'), 1);
    f.rpc(1, publish_rpc({forged_copy(other)}));
    f.rpc(2, publish_rpc({other}));
    CHECK(f.router.stats().idontwant_before_check == 3);  // the forged copy, then the genuine one
    f.heartbeats(1);
    CHECK(f.router.stats().forged_refetch_sent == 1);
  }
  SUBCASE("at most max_forged_refetches ids wait") {
    for (std::uint64_t seqno = 10; seqno < 13; ++seqno) {
      f.rpc(1, publish_rpc({forged_copy(authored(92, kTopic, std::string(4096, 'z'), seqno))}));
    }
    CHECK(f.router.stats().forged_refetch_over_cap == 1);
    f.heartbeats(1);
    CHECK(f.router.stats().forged_refetch_sent == 3);
  }
}

TEST_CASE("idontwant: an IWANT after IDONTWANT overrides it") {
  RouterFixture f = subscribed_with(kTopic, 2);
  auto id = f.router.publish(kTopic, Bytes(2000, 7), f.now);
  REQUIRE(id.has_value());
  f.drain();
  f.rpc(2, idontwant({id.value()}));
  ControlMessage want;
  want.iwant.push_back({{id.value()}});
  f.rpc(2, control_rpc(want));
  CHECK(messages_to(f.drain(), gossip_peer(2)) == 1);
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
