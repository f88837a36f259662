// GossipRouter per-topic counters (TopicCounters): each message outcome is counted under its
// topic — delivered, duplicate, rejected (bad signature, validator), ignored (validator,
// full queues), dropped from a full send queue, IDONTWANT sent and received — and only for
// topics we subscribe to, so peers cannot create entries.

#include "gossip/gossip_router.hpp"

#include "gossip_test_support.hpp"

#include <doctest/doctest.h>

using namespace weft;
using namespace weft::gossip;
using namespace weft::test;

namespace {

const TopicId kTopic = "blocks";
const TopicId kOther = "votes";

MessageId id_of(const MessagePtr& m) { return message_id(*m, MessageIdMode::author_seqno); }

TopicCounters counters(const RouterFixture& f, const TopicId& topic = kTopic) {
  auto c = f.router.topic_counters(topic);
  REQUIRE(c.has_value());
  return *c;
}

Validator always(Validation v) {
  return [v](const TopicId&, const Message&, const PeerId&) { return v; };
}

}  // namespace

TEST_CASE("topic counters: a delivered message and its duplicate count under its topic only") {
  RouterFixture f = subscribed_with(kTopic, 2);
  f.router.subscribe(kOther);
  const MessagePtr m = authored(9, kTopic, "hello", 1);
  f.rpc(1, publish_rpc({m}));
  f.rpc(2, publish_rpc({m}));
  CHECK(counters(f).delivered == 1);
  CHECK(counters(f).duplicates == 1);
  CHECK(counters(f, kOther).delivered == 0);
  CHECK(counters(f, kOther).duplicates == 0);
  CHECK(f.router.stats().messages_accepted == 1);
}

TEST_CASE("topic counters: a bad signature and a validator's reject count as rejected") {
  RouterFixture f = subscribed_with(kTopic, 1);
  Message forged = *authored(9, kTopic, "x", 1);
  (*forged.signature)[0] ^= 1;
  f.rpc(1, publish_rpc({std::make_shared<const Message>(forged)}));
  CHECK(counters(f).rejected == 1);
  f.router.set_validator(kTopic, always(Validation::reject));
  f.rpc(1, publish_rpc({authored(9, kTopic, "y", 2)}));
  CHECK(counters(f).rejected == 2);
  CHECK(counters(f).delivered == 0);
}

TEST_CASE("topic counters: a bad signature found by an async check counts as rejected") {
  GossipConfig c;
  c.async_signature_checks = true;
  RouterFixture f = subscribed_with(kTopic, 1, c);
  const MessagePtr m = authored(9, kTopic, "x", 1);
  f.rpc(1, publish_rpc({m}));
  REQUIRE(f.router.report_signature(id_of(m), Error(Errc::gossip_message_invalid, "test"), f.now));
  CHECK(counters(f).rejected == 1);
}

TEST_CASE("topic counters: the validator's ignore, a deferred ignore and a full validation queue count as ignored") {
  GossipConfig c;
  c.max_pending_validations_per_topic = 1;
  RouterFixture f = subscribed_with(kTopic, 1, c);
  f.router.set_validator(kTopic, always(Validation::ignore));
  f.rpc(1, publish_rpc({authored(9, kTopic, "1", 1)}));
  CHECK(counters(f).ignored == 1);

  f.router.set_validator(kTopic, always(Validation::defer));
  const MessagePtr waiting = authored(9, kTopic, "2", 2);
  f.rpc(1, publish_rpc({waiting, authored(9, kTopic, "3", 3)}));  // the second overflows
  CHECK(counters(f).ignored == 2);
  REQUIRE(f.router.report_validation(id_of(waiting), Validation::ignore, f.now));
  CHECK(counters(f).ignored == 3);
  CHECK(counters(f).delivered == 0);
}

TEST_CASE("topic counters: a full signature-check queue counts as ignored") {
  GossipConfig c;
  c.async_signature_checks = true;
  c.max_pending_signature_checks = 1;
  RouterFixture f = subscribed_with(kTopic, 1, c);
  f.rpc(1, publish_rpc({authored(9, kTopic, "1", 1), authored(9, kTopic, "2", 2)}));
  CHECK(counters(f).ignored == 1);
  CHECK(f.router.stats().signature_queue_full == 1);
}

TEST_CASE("topic counters: copies dropped from a full send queue count under their topic") {
  GossipConfig c;
  c.max_queued_bytes_per_peer = 4096;
  RouterFixture f = subscribed_with(kTopic, 1, c);
  f.router.subscribe(kOther);
  f.drain();
  // Three 3000-byte messages for peer 1 that is never drained: each push past the cap
  // drops the oldest copy.
  REQUIRE(f.router.publish(kTopic, Bytes(3000, 1), f.now).has_value());
  REQUIRE(f.router.publish(kTopic, Bytes(3000, 2), f.now).has_value());
  REQUIRE(f.router.publish(kTopic, Bytes(3000, 3), f.now).has_value());
  CHECK(counters(f).dropped == 2);
  CHECK(counters(f, kOther).dropped == 0);
  CHECK(f.router.stats().queue_dropped_items >= 2);
}

TEST_CASE("topic counters: IDONTWANT sent per mesh peer, and received for known messages only") {
  RouterFixture f = subscribed_with(kTopic, 3);
  const MessagePtr big = authored(9, kTopic, std::string(1024, 'x'), 1);
  f.rpc(1, publish_rpc({big}));
  CHECK(counters(f).idontwant_sent == 2);  // peers 2 and 3, not the source
  ControlMessage c;
  c.idontwant.push_back({{id_of(big), "unknown id"}});
  f.rpc(2, control_rpc(c));
  CHECK(counters(f).idontwant_received == 1);  // the unknown id has no topic
  CHECK(f.router.stats().idontwant_received_ids == 2);
}

TEST_CASE("topic counters: only subscribed topics have them; they start again at a new subscribe") {
  RouterFixture f = subscribed_with(kTopic, 1);
  f.rpc(1, subscribe_rpc({kOther}));  // a peer's topic: known, not ours
  CHECK(f.router.known_topics() == 2);
  CHECK_FALSE(f.router.topic_counters(kOther).has_value());
  f.rpc(1, publish_rpc({authored(9, kOther, "not ours", 1)}));
  CHECK_FALSE(f.router.topic_counters(kOther).has_value());

  f.rpc(1, publish_rpc({authored(9, kTopic, "ours", 2)}));
  CHECK(counters(f).delivered == 1);
  f.router.unsubscribe(kTopic);
  CHECK_FALSE(f.router.topic_counters(kTopic).has_value());
  f.router.subscribe(kTopic);
  CHECK(counters(f).delivered == 0);
}
