// GossipRouter with a fake clock: peers, subscriptions, publishing, receiving messages,
// deduplication before signature work, StrictSign refusals and validation (sync and
// deferred, with its bounded queue). ABUSE.md rows 31, 32 and 34.

#include "gossip/gossip_router.hpp"

#include "gossip_test_support.hpp"
#include "test_bytes.hpp"

#include <doctest/doctest.h>

using namespace weft;
using namespace weft::gossip;
using namespace weft::test;

namespace {

const TopicId kTopic = "blocks";

}  // namespace

TEST_CASE("router: a new peer learns our subscriptions") {
  RouterFixture f;
  f.router.subscribe("a");
  f.router.subscribe("b");
  f.drain();
  f.router.handle_peer_up(gossip_peer(1), Direction::inbound, "");
  auto out = f.drain();
  REQUIRE(out.size() == 1);
  CHECK(out[0].peer == gossip_peer(1));
  CHECK(out[0].priority == Priority::control);
  CHECK(out[0].rpc.subscriptions == std::vector<SubOpts>{{true, "a"}, {true, "b"}});
  // Up twice, or ourselves: nothing.
  f.router.handle_peer_up(gossip_peer(1), Direction::inbound, "");
  f.router.handle_peer_up(gossip_peer(0), Direction::inbound, "");
  CHECK(f.drain().empty());
}

TEST_CASE("router: subscribe announces the topic and grafts up to D topic peers") {
  RouterFixture f;
  for (std::uint32_t i = 1; i <= 10; ++i) f.peer(i, {kTopic});
  f.peer(11, {"other"});
  CHECK(f.router.topic_peers(kTopic).size() == 10);
  f.router.subscribe(kTopic);
  auto out = f.drain();
  std::size_t grafted = 0;
  for (std::uint32_t i = 1; i <= 11; ++i) {
    CHECK(count_for(out, gossip_peer(i), [](const Rpc& r) { return r.subscriptions.size(); }) == 1);
    grafted += grafts_to(out, gossip_peer(i));
  }
  CHECK(grafts_to(out, gossip_peer(11)) == 0);
  CHECK(grafted == 6);
  CHECK(f.router.mesh_peers(kTopic).size() == 6);
  CHECK(f.router.stats().grafts_sent == 6);
  CHECK(f.router.subscribed(kTopic));
  // A second subscribe changes nothing.
  f.router.subscribe(kTopic);
  CHECK(f.drain().empty());
}

TEST_CASE("router: unsubscribe prunes the mesh with the unsubscribe backoff") {
  RouterFixture f = subscribed_with(kTopic, 3);
  f.router.unsubscribe(kTopic);
  auto out = f.drain();
  for (std::uint32_t i = 1; i <= 3; ++i) {
    REQUIRE(prunes_to(out, gossip_peer(i)) == 1);
    for (const auto& o : out) {
      if (o.peer == gossip_peer(i) && !o.rpc.control.prune.empty()) CHECK(o.rpc.control.prune[0].backoff_s == 10u);
    }
    CHECK(f.router.in_backoff(kTopic, gossip_peer(i)));
  }
  CHECK(f.router.mesh_peers(kTopic).empty());
  CHECK_FALSE(f.router.subscribed(kTopic));
  f.advance(std::chrono::seconds(10));
  CHECK_FALSE(f.router.in_backoff(kTopic, gossip_peer(1)));
}

TEST_CASE("router: a peer's unsubscribe and disconnect take it out of the topic and the mesh") {
  RouterFixture f = subscribed_with(kTopic, 3);
  f.rpc(1, subscribe_rpc({kTopic}, false));
  CHECK(f.router.mesh_peers(kTopic).size() == 2);
  CHECK(f.router.topic_peers(kTopic).size() == 2);
  f.router.handle_peer_down(gossip_peer(2));
  CHECK(f.router.mesh_peers(kTopic) == std::vector<PeerId>{gossip_peer(3)});
  f.router.handle_peer_down(gossip_peer(2));  // twice: nothing
  // RPCs from a peer that is not up are ignored.
  f.rpc(2, subscribe_rpc({kTopic}));
  CHECK(f.router.stats().rpcs_from_unknown_peers == 1);
  CHECK(f.router.topic_peers(kTopic).size() == 1);
}

TEST_CASE("router: topics per peer are capped exactly (ABUSE 34)") {
  GossipConfig c;
  c.max_topics_per_peer = 3;
  RouterFixture f(c);
  f.peer(1, {"a", "b", "c"});
  CHECK(f.router.stats().subscriptions_over_topic_cap == 0);
  CHECK(f.events().empty());
  f.rpc(1, subscribe_rpc({"d", "e"}));
  CHECK(f.router.stats().subscriptions_over_topic_cap == 2);
  CHECK(penalties(f.events(), gossip_peer(1), Errc::gossip_too_many_topics) == 1);  // once per RPC
  CHECK(f.router.topic_peers("d").empty());
  CHECK(f.router.known_topics() == 3);
  // Leaving one makes room for one.
  f.rpc(1, subscribe_rpc({"a"}, false));
  f.rpc(1, subscribe_rpc({"d"}));
  CHECK(f.router.topic_peers("d").size() == 1);
  CHECK(f.router.known_topics() == 3);
}

TEST_CASE("router: an RPC over a limit is refused whole and penalized") {
  GossipConfig c;
  c.rpc.max_subscriptions_per_rpc = 2;
  RouterFixture f(c);
  f.peer(1, {});
  f.rpc(1, subscribe_rpc({"a", "b", "c"}));
  CHECK(f.router.known_topics() == 0);
  CHECK(f.router.stats().rpcs_over_limits == 1);
  CHECK(penalties(f.events(), gossip_peer(1), Errc::gossip_too_many_subscriptions) == 1);
  // The driver's decode errors go the same way.
  f.router.handle_rpc_error(gossip_peer(1), Error(Errc::gossip_rpc_malformed), f.now);
  CHECK(penalties(f.events(), gossip_peer(1), Errc::gossip_rpc_malformed) == 1);
  CHECK(f.router.stats().rpcs_over_limits == 2);
}

TEST_CASE("router: a valid message is delivered once and forwarded to the mesh but its source and author") {
  RouterFixture f = subscribed_with(kTopic, 4);
  f.peer(5, {"other"});
  f.drain();
  const MessagePtr m = authored(2, kTopic, "hello", 1);
  f.rpc(1, publish_rpc({m}));
  auto events = f.events();
  auto deliveries = events_of<event::Delivery>(events);
  REQUIRE(deliveries.size() == 1);
  CHECK(deliveries[0].topic == kTopic);
  CHECK(deliveries[0].source == gossip_peer(1));
  CHECK(*deliveries[0].message == *m);
  CHECK(deliveries[0].id == message_id(*m, MessageIdMode::author_seqno));
  auto out = f.drain();
  CHECK(messages_to(out, gossip_peer(1)) == 0);  // source
  CHECK(messages_to(out, gossip_peer(2)) == 0);  // author
  CHECK(messages_to(out, gossip_peer(3)) == 1);
  CHECK(messages_to(out, gossip_peer(4)) == 1);
  CHECK(messages_to(out, gossip_peer(5)) == 0);  // not in the mesh
  for (const auto& o : out) CHECK(o.priority == Priority::forward);
  CHECK(f.router.stats().messages_accepted == 1);
  CHECK(f.router.stats().messages_forwarded == 2);
  CHECK(f.router.cached_messages() == 1);
}

TEST_CASE("router: duplicates are dropped before any signature work and never re-forwarded (ABUSE 31)") {
  RouterFixture f = subscribed_with(kTopic, 4);
  const MessagePtr m = authored(9, kTopic, "once", 7);
  f.rpc(1, publish_rpc({m}));
  f.drain();
  f.events();
  // The same id with a broken signature: if it were verified it would count as invalid.
  Message forged = *m;
  (*forged.signature)[0] ^= 0xFF;
  for (int i = 0; i < 100; ++i) {
    f.rpc(2, publish_rpc({m}));
    f.rpc(3, publish_rpc({std::make_shared<const Message>(forged)}));
  }
  CHECK(f.router.stats().messages_duplicate == 200);
  CHECK(f.router.stats().messages_invalid == 0);
  CHECK(f.drain().empty());
  CHECK(f.events().empty());
  CHECK(f.router.seen_size() == 1);
  // The seen cache forgets after its TTL (2 min): bounded by time.
  f.advance(std::chrono::minutes(2));
  CHECK(f.router.seen_size() == 0);
}

TEST_CASE("router: messages with bad signatures are penalized, never forwarded, and do not block the real one (ABUSE 32)") {
  RouterFixture f = subscribed_with(kTopic, 4);
  const MessagePtr good = authored(9, kTopic, "real", 1);
  Message forged = *good;
  forged.data = Bytes{'f', 'a', 'k', 'e'};
  f.rpc(1, publish_rpc({std::make_shared<const Message>(forged)}));
  auto events = f.events();
  CHECK(penalties(events, gossip_peer(1), Errc::gossip_bad_signature) == 1);
  CHECK(events_of<event::Delivery>(events).empty());
  CHECK(f.drain().empty());
  CHECK(f.router.stats().messages_invalid == 1);
  // The genuine message with the same id still gets through.
  f.rpc(2, publish_rpc({good}));
  CHECK(events_of<event::Delivery>(f.events()).size() == 1);
  CHECK(messages_to(f.drain(), gossip_peer(1)) == 1);

  // Each StrictSign refusal has its reason.
  Message no_seqno = *authored(9, kTopic, "x", 2);
  no_seqno.seqno.reset();
  f.rpc(3, publish_rpc({std::make_shared<const Message>(no_seqno)}));
  Message wrong_author = *authored(9, kTopic, "x", 3);
  wrong_author.from = gossip_peer(8).bytes();
  f.rpc(3, publish_rpc({std::make_shared<const Message>(wrong_author)}));
  Message no_topic = *authored(9, kTopic, "x", 4);
  no_topic.topic.reset();
  f.rpc(3, publish_rpc({std::make_shared<const Message>(no_topic)}));
  events = f.events();
  CHECK(penalties(events, gossip_peer(3), Errc::gossip_message_invalid) == 2);
  CHECK(penalties(events, gossip_peer(3), Errc::gossip_bad_signature) == 1);
  CHECK(f.drain().empty());
}

TEST_CASE("router: messages on topics we do not subscribe to are dropped unexamined") {
  RouterFixture f = subscribed_with(kTopic, 2);
  Message forged = *authored(9, "elsewhere", "x", 1);
  forged.signature.reset();
  f.rpc(1, publish_rpc({std::make_shared<const Message>(forged)}));
  CHECK(f.router.stats().messages_unsubscribed == 1);
  CHECK(f.router.stats().messages_invalid == 0);
  CHECK(f.events().empty());
}

TEST_CASE("router: our own messages coming back are dropped") {
  RouterFixture f = subscribed_with(kTopic, 2);
  auto id = f.router.publish(kTopic, Bytes{1, 2, 3}, f.now);
  REQUIRE(id.has_value());
  auto out = f.drain();
  REQUIRE(messages_to(out, gossip_peer(1)) == 1);
  const MessagePtr mine = out[0].rpc.publish.empty() ? out[1].rpc.publish[0] : out[0].rpc.publish[0];
  f.rpc(1, publish_rpc({mine}));
  CHECK(f.router.stats().messages_duplicate == 1);
  CHECK(f.events().empty());
  // Even after our seen entry expired, the echo is recognised as ours.
  f.advance(std::chrono::minutes(3));
  f.drain();
  f.rpc(1, publish_rpc({mine}));
  CHECK(f.router.stats().messages_own == 1);
  CHECK(f.events().empty());
  CHECK(f.drain().empty());
}

TEST_CASE("router: validators accept, reject and ignore") {
  RouterFixture f = subscribed_with(kTopic, 3);
  f.router.set_validator(kTopic, [](const TopicId&, const Message& m, const PeerId&) {
    const std::string d(m.data->begin(), m.data->end());
    return d == "bad" ? Validation::reject : d == "meh" ? Validation::ignore : Validation::accept;
  });
  f.rpc(1, publish_rpc({authored(9, kTopic, "bad", 1)}));
  auto events = f.events();
  CHECK(penalties(events, gossip_peer(1), Errc::gossip_message_rejected) == 1);
  CHECK(events_of<event::Delivery>(events).empty());
  CHECK(f.drain().empty());
  f.rpc(1, publish_rpc({authored(9, kTopic, "meh", 2)}));
  CHECK(f.events().empty());
  CHECK(f.drain().empty());
  f.rpc(1, publish_rpc({authored(9, kTopic, "good", 3)}));
  CHECK(events_of<event::Delivery>(f.events()).size() == 1);
  CHECK(messages_to(f.drain(), gossip_peer(2)) == 1);
  CHECK(f.router.stats().messages_rejected == 1);
  CHECK(f.router.stats().messages_ignored == 1);
  CHECK(f.router.stats().messages_accepted == 1);
  // A rejected message stays seen: its copies are dropped without more work.
  f.rpc(2, publish_rpc({authored(9, kTopic, "bad", 1)}));
  CHECK(f.router.stats().messages_duplicate == 1);
  // Clearing the validator accepts everything again.
  f.router.set_validator(kTopic, {});
  f.rpc(1, publish_rpc({authored(9, kTopic, "bad", 4)}));
  CHECK(events_of<event::Delivery>(f.events()).size() == 1);
}

TEST_CASE("router: deferred validation forwards nothing before the verdict") {
  RouterFixture f = subscribed_with(kTopic, 4);
  f.router.set_validator(kTopic, [](const TopicId&, const Message&, const PeerId&) { return Validation::defer; });
  const MessagePtr m = authored(9, kTopic, "later", 1);
  f.rpc(1, publish_rpc({m}));
  f.rpc(2, publish_rpc({m}));  // a copy while it waits
  auto events = f.events();
  auto requests = events_of<event::ValidationRequest>(events);
  REQUIRE(requests.size() == 1);
  CHECK(requests[0].source == gossip_peer(1));
  CHECK(events_of<event::Delivery>(events).empty());
  CHECK(f.drain().empty());
  CHECK(f.router.pending_validations() == 1);
  CHECK(f.router.stats().messages_duplicate == 1);

  CHECK(f.router.report_validation(requests[0].id, Validation::accept, f.now));
  CHECK(events_of<event::Delivery>(f.events()).size() == 1);
  auto out = f.drain();
  CHECK(messages_to(out, gossip_peer(1)) == 0);
  CHECK(messages_to(out, gossip_peer(2)) == 0);  // it sent us a copy
  CHECK(messages_to(out, gossip_peer(3)) == 1);
  CHECK(messages_to(out, gossip_peer(4)) == 1);
  CHECK_FALSE(f.router.report_validation(requests[0].id, Validation::accept, f.now));  // judged
  CHECK_FALSE(f.router.report_validation("unknown", Validation::accept, f.now));
}

TEST_CASE("router: a deferred reject penalizes the source and every peer that sent a copy") {
  RouterFixture f = subscribed_with(kTopic, 4);
  f.router.set_validator(kTopic, [](const TopicId&, const Message&, const PeerId&) { return Validation::defer; });
  const MessagePtr m = authored(9, kTopic, "x", 1);
  f.rpc(1, publish_rpc({m}));
  f.rpc(2, publish_rpc({m}));
  const MessageId id = events_of<event::ValidationRequest>(f.events()).at(0).id;
  CHECK_FALSE(f.router.report_validation(id, Validation::defer, f.now));  // not a verdict
  CHECK(f.router.report_validation(id, Validation::reject, f.now));
  auto events = f.events();
  CHECK(penalties(events, gossip_peer(1), Errc::gossip_message_rejected) == 1);
  CHECK(penalties(events, gossip_peer(2), Errc::gossip_message_rejected) == 1);
  CHECK(f.drain().empty());
  CHECK(f.router.pending_validations() == 0);
}

TEST_CASE("router: the pending validation queue is bounded per topic; overflow is ignored and counted") {
  GossipConfig c;
  c.max_pending_validations_per_topic = 2;
  RouterFixture f = subscribed_with(kTopic, 2, c);
  f.router.set_validator(kTopic, [](const TopicId&, const Message&, const PeerId&) { return Validation::defer; });
  f.rpc(1, publish_rpc({authored(9, kTopic, "1", 1), authored(9, kTopic, "2", 2)}));
  CHECK(f.router.pending_validations() == 2);
  CHECK(f.router.stats().validation_queue_full == 0);
  const MessagePtr third = authored(9, kTopic, "3", 3);
  f.rpc(1, publish_rpc({third}));
  CHECK(f.router.pending_validations() == 2);
  CHECK(f.router.stats().validation_queue_full == 1);
  CHECK(events_of<event::PeerPenalized>(f.events()).empty());  // not the peer's fault
  // Once there is room, a later copy of the overflowed message is examined again.
  const MessageId first = message_id(*authored(9, kTopic, "1", 1), MessageIdMode::author_seqno);
  CHECK(f.router.report_validation(first, Validation::ignore, f.now));
  f.rpc(2, publish_rpc({third}));
  CHECK(f.router.pending_validations() == 2);
  CHECK(events_of<event::ValidationRequest>(f.events()).size() == 1);
}

TEST_CASE("router: flood publish sends to every topic peer, signed, at publish priority") {
  RouterFixture f = subscribed_with(kTopic, 8);  // mesh of 6, 8 topic peers
  f.peer(20, {"other"});
  f.drain();
  auto id = f.router.publish(kTopic, Bytes{'h', 'i'}, f.now);
  REQUIRE(id.has_value());
  auto out = f.drain();
  for (std::uint32_t i = 1; i <= 8; ++i) CHECK(messages_to(out, gossip_peer(i)) == 1);
  CHECK(messages_to(out, gossip_peer(20)) == 0);
  for (const auto& o : out) {
    CHECK(o.priority == Priority::publish);
    CHECK(outcome_of(verify_message(*o.rpc.publish[0])).ok());
    CHECK(message_id(*o.rpc.publish[0], MessageIdMode::author_seqno) == id.value());
    CHECK(*o.rpc.publish[0]->from == gossip_peer(0).bytes());
  }
  CHECK(f.router.stats().published == 1);
  // seqnos differ between messages.
  auto id2 = f.router.publish(kTopic, Bytes{'h', 'i'}, f.now);
  REQUIRE(id2.has_value());
  CHECK(id2.value() != id.value());
}

TEST_CASE("router: publish errors") {
  GossipConfig c;
  c.rpc.max_message_bytes = 10;
  c.rpc.max_topic_bytes = 4;
  RouterFixture f(c);
  f.peer(1, {"t"});
  CHECK(f.router.publish("t", Bytes(10, 1), f.now).has_value());
  CHECK(outcome_of(f.router.publish("t", Bytes(11, 1), f.now)) == Errc::gossip_message_too_large);
  CHECK(outcome_of(f.router.publish("ttttt", Bytes(1, 1), f.now)) == Errc::gossip_topic_too_long);
  CHECK(f.router.stats().publish_refused == 2);
  CHECK(outcome_of(f.router.publish("none", Bytes(1, 1), f.now)) == Errc::gossip_no_peers);
  CHECK(f.router.stats().publish_no_peers == 1);
  CHECK(f.router.known_topics() == 1);  // the failed publish left nothing behind
}

TEST_CASE("router: without flood publish, a topic we do not join goes through a fanout that expires") {
  GossipConfig c;
  c.flood_publish = false;
  RouterFixture f(c);
  for (std::uint32_t i = 1; i <= 10; ++i) f.peer(i, {kTopic});
  f.drain();
  REQUIRE(f.router.publish(kTopic, Bytes{1}, f.now).has_value());
  auto out = f.drain();
  std::size_t sent = 0;
  for (std::uint32_t i = 1; i <= 10; ++i) sent += messages_to(out, gossip_peer(i));
  CHECK(sent == 6);
  CHECK(f.router.fanout_peers(kTopic).size() == 6);
  // The same fanout is reused.
  REQUIRE(f.router.publish(kTopic, Bytes{2}, f.now).has_value());
  out = f.drain();
  for (const PeerId& p : f.router.fanout_peers(kTopic)) CHECK(messages_to(out, p) == 1);
  // Unused for the fanout TTL (60 s): forgotten.
  f.advance(std::chrono::seconds(59));
  CHECK(f.router.fanout_peers(kTopic).size() == 6);
  f.advance(std::chrono::seconds(1));
  f.advance(std::chrono::seconds(1));
  CHECK(f.router.fanout_peers(kTopic).empty());
  // Subscribing takes the fanout peers into the mesh first.
  REQUIRE(f.router.publish(kTopic, Bytes{3}, f.now).has_value());
  const auto fanout = f.router.fanout_peers(kTopic);
  f.router.subscribe(kTopic);
  CHECK(f.router.mesh_peers(kTopic) == fanout);
  CHECK(f.router.fanout_peers(kTopic).empty());
  // Subscribed without flood publish: the mesh carries our messages.
  f.drain();
  REQUIRE(f.router.publish(kTopic, Bytes{4}, f.now).has_value());
  out = f.drain();
  for (std::uint32_t i = 1; i <= 10; ++i) {
    const bool in_mesh = std::count(fanout.begin(), fanout.end(), gossip_peer(i)) != 0;
    CHECK(messages_to(out, gossip_peer(i)) == (in_mesh ? 1u : 0u));
  }
}

TEST_CASE("router: one seed, one run") {
  auto run = [](std::uint64_t seed) {
    GossipConfig c;
    c.rng_seed = seed;
    RouterFixture f(c);
    for (std::uint32_t i = 1; i <= 20; ++i) f.peer(i, {kTopic});
    f.router.subscribe(kTopic);
    f.rpc(1, publish_rpc({authored(9, kTopic, "x", 1)}));
    f.heartbeats(3);
    std::vector<std::string> trace;
    for (const auto& o : f.drain()) trace.push_back(o.peer.to_base58() + std::to_string(estimated_rpc_bytes(o.rpc)));
    return trace;
  };
  CHECK(run(1) == run(1));
  CHECK(run(1) != run(2));
}

TEST_CASE("router: the seen cache and the message cache hold their caps under a flood, and count") {
  GossipConfig c;
  c.max_seen_entries = 5;
  c.max_cached_messages = 3;
  RouterFixture f = subscribed_with(kTopic, 2, c);
  std::vector<MessagePtr> flood;
  for (std::uint64_t s = 1; s <= 8; ++s) flood.push_back(authored(9, kTopic, "m", s));
  f.rpc(1, publish_rpc(flood));
  CHECK(f.router.seen_size() == 5);
  CHECK(f.router.stats().seen_evicted == 3);
  CHECK(f.router.cached_messages() == 3);
  CHECK(f.router.stats().cache_refused == 5);
  CHECK(events_of<event::Delivery>(f.events()).size() == 8);  // delivered even when not cached
}

TEST_CASE("router: what was queued for a peer that goes down is never handed out") {
  RouterFixture f = subscribed_with(kTopic, 3);
  REQUIRE(f.router.publish(kTopic, Bytes(100, 1), f.now).has_value());
  CHECK(f.router.queued_bytes(gossip_peer(2)) > 0);
  f.router.handle_peer_down(gossip_peer(2));
  CHECK(f.router.queued_bytes(gossip_peer(2)) == 0);
  auto out = f.drain();
  CHECK(messages_to(out, gossip_peer(2)) == 0);
  CHECK(messages_to(out, gossip_peer(1)) == 1);
  CHECK(messages_to(out, gossip_peer(3)) == 1);
  // Nor does anything new go to it.
  f.rpc(1, publish_rpc({authored(9, kTopic, "after", 1)}));
  CHECK(messages_to(f.drain(), gossip_peer(2)) == 0);
}

TEST_CASE("router: asynchronous signature checks: asked once per id, copies counted meanwhile, the verdict decides") {
  GossipConfig config;
  config.async_signature_checks = true;
  config.max_pending_signature_checks = 2;
  RouterFixture f = subscribed_with(kTopic, 4, config);
  f.drain();
  const MessagePtr m = authored(9, kTopic, "checked elsewhere", 1);
  f.rpc(1, publish_rpc({m}));
  f.rpc(2, publish_rpc({m}));  // a copy while the check runs: a duplicate, not a second check
  auto events = f.events();
  const auto checks = events_of<event::SignatureCheck>(events);
  REQUIRE(checks.size() == 1);
  CHECK(*checks[0].message == *m);
  CHECK(events_of<event::Delivery>(events).empty());  // nothing before the verdict
  CHECK(f.drain().empty());                           // nor forwarded
  CHECK(f.router.pending_signature_checks() == 1);
  CHECK(f.router.stats().messages_duplicate == 1);

  CHECK(f.router.report_signature(checks[0].id, verify_message(*checks[0].message), f.now));
  events = f.events();
  REQUIRE(events_of<event::Delivery>(events).size() == 1);
  auto out = f.drain();
  CHECK(messages_to(out, gossip_peer(1)) == 0);  // its source
  CHECK(messages_to(out, gossip_peer(2)) == 0);  // sent us a copy meanwhile
  CHECK(messages_to(out, gossip_peer(3)) == 1);
  CHECK(f.router.pending_signature_checks() == 0);
  CHECK_FALSE(f.router.report_signature(checks[0].id, success(), f.now));  // answered already

  SUBCASE("a bad verdict penalizes the sender with its reason; the id may come again") {
    Message forged = *authored(9, kTopic, "real", 2);
    forged.data = Bytes{'f', 'a', 'k', 'e'};
    f.rpc(3, publish_rpc({std::make_shared<const Message>(forged)}));
    const auto check = events_of<event::SignatureCheck>(f.events());
    REQUIRE(check.size() == 1);
    const Result<void> verdict = verify_message(*check[0].message);
    REQUIRE_FALSE(verdict.has_value());
    CHECK(f.router.report_signature(check[0].id, verdict, f.now));
    events = f.events();
    CHECK(penalties(events, gossip_peer(3), Errc::gossip_bad_signature) == 1);
    CHECK(events_of<event::Delivery>(events).empty());
    CHECK(f.router.stats().messages_invalid == 1);
    f.rpc(4, publish_rpc({authored(9, kTopic, "real", 2)}));  // the genuine one: checked anew
    CHECK(events_of<event::SignatureCheck>(f.events()).size() == 1);
  }
  SUBCASE("past max_pending_signature_checks a message is ignored, not marked seen") {
    f.rpc(1, publish_rpc({authored(9, kTopic, "a", 10), authored(9, kTopic, "b", 11), authored(9, kTopic, "c", 12)}));
    CHECK(events_of<event::SignatureCheck>(f.events()).size() == 2);
    CHECK(f.router.stats().signature_queue_full == 1);
    CHECK(f.router.pending_signature_checks() == 2);
  }
}
