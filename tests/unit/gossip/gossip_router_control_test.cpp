// GossipRouter control paths: IHAVE / IWANT with their caps and promises, GRAFT and PRUNE
// with backoff both ways, the outbound quota at D_hi, peer exchange. ABUSE.md rows 33, 35.

#include "gossip/gossip_router.hpp"

#include "gossip_test_support.hpp"

#include <doctest/doctest.h>

using namespace weft;
using namespace weft::gossip;
using namespace weft::test;

namespace {

const TopicId kTopic = "blocks";

Rpc ihave(const TopicId& topic, std::vector<MessageId> ids) {
  ControlMessage c;
  c.ihave.push_back({topic, std::move(ids)});
  return control_rpc(std::move(c));
}
Rpc iwant(std::vector<MessageId> ids) {
  ControlMessage c;
  c.iwant.push_back({std::move(ids)});
  return control_rpc(std::move(c));
}
Rpc graft(const TopicId& topic) {
  ControlMessage c;
  c.graft.push_back({topic});
  return control_rpc(std::move(c));
}
Rpc prune(const TopicId& topic, std::optional<std::uint64_t> backoff_s, std::vector<PeerInfo> px = {}) {
  ControlMessage c;
  c.prune.push_back({topic, std::move(px), backoff_s});
  return control_rpc(std::move(c));
}
MessageId id_of(const MessagePtr& m) { return message_id(*m, MessageIdMode::author_seqno); }

const ControlPrune* first_prune_to(const std::vector<Outbound>& out, const PeerId& peer) {
  for (const auto& o : out) {
    if (o.peer == peer && !o.rpc.control.prune.empty()) return &o.rpc.control.prune[0];
  }
  return nullptr;
}

}  // namespace

TEST_CASE("control: IHAVE of unseen ids gets one IWANT; seen, repeated and foreign-topic ids are not asked") {
  RouterFixture f = subscribed_with(kTopic, 2);
  const MessagePtr known = authored(9, kTopic, "known", 1);
  f.rpc(1, publish_rpc({known}));
  f.drain();
  ControlMessage c;
  c.ihave.push_back({kTopic, {"new1", id_of(known), "new2", "new1"}});
  c.ihave.push_back({"not-ours", {"new3"}});
  f.rpc(2, control_rpc(std::move(c)));
  auto out = f.drain();
  CHECK(iwant_ids_to(out, gossip_peer(2)) == std::vector<MessageId>{"new1", "new2"});
  for (const auto& o : out) CHECK(o.priority == Priority::control);
  CHECK(f.router.stats().ihave_received == 2);
  CHECK(f.router.stats().ihave_ignored == 1);
  CHECK(f.router.stats().iwant_sent_ids == 2);
  CHECK(f.router.pending_promises() == 1);
}

TEST_CASE("control: IHAVE of an id whose signature is being checked is not asked") {
  GossipConfig c;
  c.async_signature_checks = true;
  RouterFixture f = subscribed_with(kTopic, 2, c);
  const MessagePtr checking = authored(9, kTopic, "in its check", 1);
  f.rpc(1, publish_rpc({checking}));
  REQUIRE(f.router.pending_signature_checks() == 1);
  f.rpc(2, ihave(kTopic, {id_of(checking), "other"}));
  CHECK(iwant_ids_to(f.drain(), gossip_peer(2)) == std::vector<MessageId>{"other"});
}

TEST_CASE("control: IHAVE RPCs per heartbeat are capped exactly and the flood is penalized once (ABUSE 33)") {
  RouterFixture f = subscribed_with(kTopic, 1);
  for (int i = 0; i < 10; ++i) f.rpc(1, ihave(kTopic, {"id" + std::to_string(i)}));
  CHECK(iwant_ids_to(f.drain(), gossip_peer(1)).size() == 10);
  CHECK(events_of<event::PeerPenalized>(f.events()).empty());
  for (int i = 10; i < 15; ++i) f.rpc(1, ihave(kTopic, {"id" + std::to_string(i)}));
  CHECK(iwant_ids_to(f.drain(), gossip_peer(1)).empty());
  CHECK(penalties(f.events(), gossip_peer(1), Errc::gossip_ihave_flood) == 1);
  CHECK(f.router.stats().ihave_ignored == 5);
  // The next heartbeat resets the count.
  f.heartbeats(1);
  f.drain();
  f.rpc(1, ihave(kTopic, {"fresh"}));
  CHECK(iwant_ids_to(f.drain(), gossip_peer(1)) == std::vector<MessageId>{"fresh"});
}

TEST_CASE("control: ids asked per peer per heartbeat are capped exactly") {
  GossipConfig c;
  c.max_iwant_ids_per_heartbeat = 5;
  RouterFixture f = subscribed_with(kTopic, 1, c);
  f.rpc(1, ihave(kTopic, {"a", "b", "c"}));
  CHECK(iwant_ids_to(f.drain(), gossip_peer(1)).size() == 3);
  f.rpc(1, ihave(kTopic, {"d", "e", "f", "g"}));
  CHECK(iwant_ids_to(f.drain(), gossip_peer(1)).size() == 2);
  f.rpc(1, ihave(kTopic, {"h"}));
  CHECK(iwant_ids_to(f.drain(), gossip_peer(1)).empty());
  CHECK(f.router.stats().iwant_sent_ids == 5);
  f.heartbeats(1);
  f.drain();
  f.rpc(1, ihave(kTopic, {"h"}));
  CHECK(iwant_ids_to(f.drain(), gossip_peer(1)).size() == 1);
}

TEST_CASE("control: an IWANT promise not kept within 3 s is penalized; a kept one is not (ABUSE 33)") {
  RouterFixture f = subscribed_with(kTopic, 2);
  const MessagePtr m = authored(9, kTopic, "promised", 1);
  f.rpc(1, ihave(kTopic, {"never"}));
  f.rpc(2, ihave(kTopic, {id_of(m)}));
  CHECK(f.router.pending_promises() == 2);
  f.rpc(1, publish_rpc({m}));  // arrives from anyone: peer 2's promise is kept
  CHECK(f.router.pending_promises() == 1);
  f.events();
  f.advance(std::chrono::milliseconds(2900));
  CHECK(events_of<event::PeerPenalized>(f.events()).empty());
  f.advance(std::chrono::milliseconds(1000));
  auto events = f.events();
  CHECK(penalties(events, gossip_peer(1), Errc::gossip_broken_promise) == 1);
  CHECK(penalties(events, gossip_peer(2), Errc::gossip_broken_promise) == 0);
  CHECK(f.router.stats().promises_broken == 1);
  CHECK(f.router.pending_promises() == 0);
}

TEST_CASE("control: IWANT is served from the cache, capped per peer, and refused after expiry") {
  RouterFixture f = subscribed_with(kTopic, 2);
  const MessagePtr m = authored(9, kTopic, "cached", 1);
  f.rpc(1, publish_rpc({m}));
  f.drain();
  for (int i = 0; i < 3; ++i) {
    f.rpc(2, iwant({id_of(m)}));
    auto out = f.drain();
    REQUIRE(messages_to(out, gossip_peer(2)) == 1);
    CHECK(out[0].priority == Priority::forward);
    CHECK(*out[0].rpc.publish[0] == *m);
  }
  f.rpc(2, iwant({id_of(m)}));  // a fourth time: over gossip_retransmission
  CHECK(f.drain().empty());
  CHECK(f.router.stats().iwant_over_retransmission == 1);
  CHECK(f.router.stats().iwant_served == 3);
  // Another peer still gets it, until the cache forgets it after 5 heartbeats.
  f.heartbeats(4);
  f.drain();
  f.rpc(1, iwant({id_of(m)}));
  CHECK(messages_to(f.drain(), gossip_peer(1)) == 1);
  f.heartbeats(1);
  f.drain();
  f.rpc(1, iwant({id_of(m), "unknown"}));
  CHECK(f.drain().empty());
  CHECK(f.router.stats().iwant_missing == 2);
}

TEST_CASE("control: IHAVE and IWANT from a peer below the gossip threshold are ignored") {
  GossipConfig c;
  c.thresholds.gossip = 1.0;  // everyone scores 0 < 1
  RouterFixture f = subscribed_with(kTopic, 1, c);
  f.rpc(1, ihave(kTopic, {"x"}));
  CHECK(f.drain().empty());
  CHECK(f.router.stats().ihave_ignored == 1);
}

TEST_CASE("control: GRAFT for a topic we do not join is ignored without a PRUNE") {
  RouterFixture f = subscribed_with(kTopic, 0);
  f.peer(1, {"other"});
  f.drain();
  f.rpc(1, graft("other"));
  f.rpc(1, graft("unknown"));
  CHECK(f.drain().empty());
  CHECK(f.router.stats().graft_unknown_topic == 2);
}

TEST_CASE("control: GRAFT joins the mesh; GRAFT during backoff is refused, penalized and extends it (ABUSE 35)") {
  RouterFixture f = subscribed_with(kTopic, 0);
  f.peer(1, {kTopic});
  f.drain();
  f.rpc(1, graft(kTopic));
  CHECK(f.router.mesh_peers(kTopic) == std::vector<PeerId>{gossip_peer(1)});
  CHECK(f.drain().empty());
  // The peer prunes us, then grafts again too early.
  f.rpc(1, prune(kTopic, 60));
  CHECK(f.router.mesh_peers(kTopic).empty());
  f.advance(std::chrono::seconds(30));
  f.drain();
  f.rpc(1, graft(kTopic));
  CHECK(f.router.mesh_peers(kTopic).empty());
  auto out = f.drain();
  const ControlPrune* p = first_prune_to(out, gossip_peer(1));
  REQUIRE(p != nullptr);
  CHECK(p->backoff_s == 60u);
  CHECK(p->peers.empty());
  CHECK(penalties(f.events(), gossip_peer(1), Errc::gossip_graft_backoff) == 1);
  CHECK(f.router.stats().graft_during_backoff == 1);
  // The backoff now runs 60 s from the refused GRAFT, not from the PRUNE.
  f.advance(std::chrono::seconds(31));
  CHECK(f.router.in_backoff(kTopic, gossip_peer(1)));
  f.advance(std::chrono::seconds(29));
  CHECK_FALSE(f.router.in_backoff(kTopic, gossip_peer(1)));
  f.drain();
  f.rpc(1, graft(kTopic));
  CHECK(f.router.mesh_peers(kTopic) == std::vector<PeerId>{gossip_peer(1)});
}

TEST_CASE("control: at D_hi only outbound peers may GRAFT; inbound ones get a PRUNE with PX (ABUSE 35)") {
  GossipConfig c;
  c.d_hi = 3;
  c.d = 2;
  c.d_lo = 1;
  c.d_out = 0;
  RouterFixture f = subscribed_with(kTopic, 0, c);
  for (std::uint32_t i = 1; i <= 3; ++i) f.peer(i, {kTopic}, Direction::inbound);
  for (std::uint32_t i = 1; i <= 3; ++i) f.rpc(i, graft(kTopic));
  CHECK(f.router.mesh_peers(kTopic).size() == 3);
  f.peer(4, {kTopic}, Direction::inbound);
  f.peer(5, {kTopic}, Direction::outbound);
  f.drain();
  // A flood of GRAFTs from many inbound identities stays out.
  for (std::uint32_t i = 10; i < 30; ++i) {
    f.peer(i, {kTopic}, Direction::inbound);
    f.rpc(i, graft(kTopic));
  }
  f.rpc(4, graft(kTopic));
  CHECK(f.router.mesh_peers(kTopic).size() == 3);
  auto out = f.drain();
  const ControlPrune* p = first_prune_to(out, gossip_peer(4));
  REQUIRE(p != nullptr);
  CHECK_FALSE(p->peers.empty());
  CHECK(p->peers.size() <= 16);
  for (const PeerInfo& px : p->peers) CHECK(px.peer_id != gossip_peer(4).bytes());
  CHECK(f.router.stats().graft_refused == 21);
  f.rpc(5, graft(kTopic));
  CHECK(f.router.mesh_peers(kTopic).size() == 4);
}

TEST_CASE("control: PRUNE leaves the mesh and its backoff is honoured by the heartbeat") {
  RouterFixture f = subscribed_with(kTopic, 4);  // every peer is in the mesh, d_lo = 4
  f.rpc(1, prune(kTopic, 5));
  CHECK(f.router.mesh_peers(kTopic).size() == 3);
  CHECK(f.router.in_backoff(kTopic, gossip_peer(1)));
  f.heartbeats(4);  // under d_lo, but peer 1 is backed off
  CHECK(f.router.mesh_peers(kTopic).size() == 3);
  CHECK(grafts_to(f.drain(), gossip_peer(1)) == 0);
  f.heartbeats(1);  // 5 s have passed
  CHECK(f.router.mesh_peers(kTopic).size() == 4);
  CHECK(grafts_to(f.drain(), gossip_peer(1)) == 1);
}

TEST_CASE("control: PRUNE backoff defaults to 1 min and is capped") {
  GossipConfig c;
  c.max_prune_backoff_ms = 120'000;
  RouterFixture f = subscribed_with(kTopic, 2, c);
  f.rpc(1, prune(kTopic, std::nullopt));
  f.rpc(2, prune(kTopic, 1'000'000'000));
  f.advance(std::chrono::seconds(60) - std::chrono::milliseconds(1));
  CHECK(f.router.in_backoff(kTopic, gossip_peer(1)));
  f.advance(std::chrono::milliseconds(1));
  CHECK_FALSE(f.router.in_backoff(kTopic, gossip_peer(1)));
  CHECK(f.router.stats().prune_backoff_capped == 1);
  f.advance(std::chrono::seconds(60) - std::chrono::milliseconds(1));
  CHECK(f.router.in_backoff(kTopic, gossip_peer(2)));
  f.advance(std::chrono::milliseconds(1));
  CHECK_FALSE(f.router.in_backoff(kTopic, gossip_peer(2)));
}

TEST_CASE("control: PX is passed on only from peers at or above accept_px, capped at prune_peers") {
  std::vector<PeerInfo> offered;
  for (std::uint8_t i = 0; i < 20; ++i) offered.push_back({Bytes{i}, {}});
  {
    RouterFixture f = subscribed_with(kTopic, 1);  // score 0 < accept_px 10
    f.rpc(1, prune(kTopic, 60, offered));
    CHECK(events_of<event::PeerExchange>(f.events()).empty());
    CHECK(f.router.stats().px_ignored == 1);
  }
  GossipConfig c;
  c.thresholds.accept_px = 0.0;
  RouterFixture f = subscribed_with(kTopic, 1, c);
  f.rpc(1, prune(kTopic, 60, offered));
  auto px = events_of<event::PeerExchange>(f.events());
  REQUIRE(px.size() == 1);
  CHECK(px[0].from == gossip_peer(1));
  CHECK(px[0].topic == kTopic);
  CHECK(px[0].peers.size() == 16);
  CHECK(px[0].peers[0].peer_id == Bytes{0});
  CHECK(f.router.stats().px_received == 1);
}

TEST_CASE("control: PRUNE for a topic we do not join leaves no state behind") {
  RouterFixture f = subscribed_with(kTopic, 0);
  f.peer(1, {"x"});
  CHECK(f.router.known_topics() == 2);  // ours and the peer's
  ControlMessage c;
  for (int i = 0; i < 50; ++i) c.prune.push_back({"t" + std::to_string(i), {}, 3600});
  c.prune.push_back({"x", {}, 3600});
  f.rpc(1, control_rpc(c));
  CHECK_FALSE(f.router.in_backoff("x", gossip_peer(1)));
  f.rpc(1, subscribe_rpc({"x"}, false));
  CHECK(f.router.known_topics() == 1);
}

TEST_CASE("control: GRAFT from a peer that never subscribed to the topic is refused with a PRUNE") {
  RouterFixture f = subscribed_with(kTopic, 0);
  f.peer(1, {"other"});
  f.drain();
  f.rpc(1, graft(kTopic));
  CHECK(f.router.mesh_peers(kTopic).empty());
  CHECK(prunes_to(f.drain(), gossip_peer(1)) == 1);
  CHECK(f.router.stats().graft_refused == 1);
}
