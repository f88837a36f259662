// GossipRouter with peer scoring: invalid senders leave meshes and end up graylisted,
// scores survive reconnects, the thresholds gate publishing, gossip and PX, pruning keeps
// the best, opportunistic grafting, IP colocation.

#include "gossip/gossip_router.hpp"

#include "gossip_network.hpp"
#include "gossip_test_support.hpp"

#include <doctest/doctest.h>

#include <algorithm>

using namespace weft;
using namespace weft::gossip;
using namespace weft::test;

namespace {

const TopicId kTopic = "blocks";

MessagePtr forged(std::uint64_t seqno) {
  Message m = *authored(90, kTopic, "x", seqno);
  (*m.signature)[5] ^= 1;
  return std::make_shared<const Message>(std::move(m));
}

bool in_mesh(const GossipRouter& r, const PeerId& p) {
  const auto mesh = r.mesh_peers(kTopic);
  return std::count(mesh.begin(), mesh.end(), p) != 0;
}

Rpc graft_rpc(const TopicId& topic) {
  ControlMessage c;
  c.graft.push_back({topic});
  return control_rpc(std::move(c));
}

}  // namespace

TEST_CASE("scored router: a peer sending invalid messages is pruned, then graylisted (ABUSE 32)") {
  RouterFixture f = subscribed_with(kTopic, 6);
  const PeerId bad = gossip_peer(1);
  REQUIRE(in_mesh(f.router, bad));
  f.rpc(1, publish_rpc({forged(1)}));
  CHECK(f.router.score(bad) == doctest::Approx(-10.0));
  f.heartbeats(1);
  CHECK_FALSE(in_mesh(f.router, bad));
  CHECK(f.router.in_backoff(kTopic, bad));
  // Below the gossip threshold after the second: its IHAVEs are ignored.
  f.rpc(1, publish_rpc({forged(2)}));
  CHECK(f.router.score(bad) < f.router.config().thresholds.gossip);
  ControlMessage ih;
  ih.ihave.push_back({kTopic, {"some-id"}});
  f.drain();
  f.rpc(1, control_rpc(ih));
  CHECK(iwant_ids_to(f.drain(), bad).empty());
  // Below the graylist threshold after the third: every RPC is ignored.
  f.rpc(1, publish_rpc({forged(3)}));
  CHECK(f.router.score(bad) < f.router.config().thresholds.graylist);
  const auto before = f.router.stats().messages_received;
  f.rpc(1, publish_rpc({authored(90, kTopic, "real", 10)}));
  CHECK(f.router.stats().rpcs_graylisted == 1);
  CHECK(f.router.stats().messages_received == before);
  // Not grafted back even once its backoff runs out: the score is still negative.
  f.heartbeats(70);
  CHECK_FALSE(in_mesh(f.router, bad));
}

TEST_CASE("scored router: a rejected message costs P4 like an invalid one") {
  RouterFixture f = subscribed_with(kTopic, 3);
  f.router.set_validator(kTopic, [](const TopicId&, const Message&, const PeerId&) { return Validation::reject; });
  f.rpc(1, publish_rpc({authored(90, kTopic, "no", 1)}));
  CHECK(f.router.score(gossip_peer(1)) == doctest::Approx(-10.0));
  // A copy of the rejected message from another peer costs it too.
  f.rpc(2, publish_rpc({authored(90, kTopic, "no", 1)}));
  CHECK(f.router.score(gossip_peer(2)) == doctest::Approx(-10.0));
}

TEST_CASE("scored router: first deliveries raise the score; the score survives a reconnect if negative") {
  RouterFixture f = subscribed_with(kTopic, 3);
  f.rpc(1, publish_rpc({authored(90, kTopic, "a", 1), authored(90, kTopic, "b", 2)}));
  CHECK(f.router.score(gossip_peer(1)) == doctest::Approx(1.0));  // 2 x 0.5 (P1 is 0 before 1 s)
  f.rpc(2, publish_rpc({forged(3)}));
  f.router.handle_peer_down(gossip_peer(2));
  f.peer(2, {kTopic});
  CHECK(f.router.score(gossip_peer(2)) == doctest::Approx(-10.0));
  // The positive one starts over.
  f.router.handle_peer_down(gossip_peer(1));
  f.peer(1, {kTopic});
  CHECK(f.router.score(gossip_peer(1)) == 0.0);
}

TEST_CASE("scored router: our messages skip peers below the publish threshold") {
  RouterFixture f = subscribed_with(kTopic, 3);
  f.router.set_app_score(gossip_peer(1), -60);  // below publish (-50)
  f.drain();
  REQUIRE(f.router.publish(kTopic, Bytes{1}, f.now).has_value());
  auto out = f.drain();
  CHECK(messages_to(out, gossip_peer(1)) == 0);
  CHECK(messages_to(out, gossip_peer(2)) == 1);
}

TEST_CASE("scored router: no IHAVE to peers below the gossip threshold") {
  RouterFixture f;
  for (std::uint32_t i = 1; i <= 7; ++i) f.peer(i, {kTopic});
  f.router.subscribe(kTopic);
  const auto mesh = f.router.mesh_peers(kTopic);
  PeerId outside = gossip_peer(1);
  for (std::uint32_t i = 1; i <= 7; ++i) {
    if (!in_mesh(f.router, gossip_peer(i))) outside = gossip_peer(i);
  }
  f.rpc(mesh[0] == gossip_peer(1) ? 2 : 1, publish_rpc({authored(90, kTopic, "g", 1)}));
  f.drain();
  f.router.set_app_score(outside, -20);
  f.heartbeats(1);
  CHECK(ihaves_to(f.drain(), outside) == 0);
  f.router.set_app_score(outside, 0);
  f.heartbeats(1);
  CHECK(ihaves_to(f.drain(), outside) == 1);
}

TEST_CASE("scored router: PX is passed on from a peer at the accept-PX threshold") {
  RouterFixture f = subscribed_with(kTopic, 1);
  f.router.set_app_score(gossip_peer(1), 10);
  ControlMessage c;
  c.prune.push_back({kTopic, {{gossip_peer(5).bytes(), {}}}, 60});
  f.rpc(1, control_rpc(c));
  CHECK(events_of<event::PeerExchange>(f.events()).size() == 1);
}

TEST_CASE("scored router: GRAFT from a negative peer is refused with a PRUNE") {
  RouterFixture f = subscribed_with(kTopic, 0);
  f.peer(1, {kTopic});
  f.router.set_app_score(gossip_peer(1), -1);
  f.drain();
  f.rpc(1, graft_rpc(kTopic));
  CHECK_FALSE(in_mesh(f.router, gossip_peer(1)));
  CHECK(prunes_to(f.drain(), gossip_peer(1)) == 1);
}

TEST_CASE("scored router: pruning an oversubscribed mesh keeps the D_score best") {
  GossipConfig c;
  c.d_out = 0;
  RouterFixture f(c);
  f.router.subscribe(kTopic);
  for (std::uint32_t i = 1; i <= 13; ++i) {
    f.peer(i, {kTopic}, Direction::outbound);  // outbound: admitted past D_hi
    f.rpc(i, graft_rpc(kTopic));
  }
  REQUIRE(f.router.mesh_peers(kTopic).size() == 13);
  for (std::uint32_t i = 10; i <= 13; ++i) f.router.set_app_score(gossip_peer(i), 50);
  f.heartbeats(1);
  CHECK(f.router.mesh_peers(kTopic).size() == 6);
  for (std::uint32_t i = 10; i <= 13; ++i) CHECK(in_mesh(f.router, gossip_peer(i)));
}

TEST_CASE("scored router: opportunistic grafting brings better peers into a poor mesh") {
  GossipConfig c;
  c.opportunistic_graft_ticks = 5;
  c.thresholds.opportunistic_graft = 5;
  c.score.default_topic->time_in_mesh_weight = 0;
  RouterFixture f(c);
  for (std::uint32_t i = 1; i <= 10; ++i) f.peer(i, {kTopic});
  f.router.subscribe(kTopic);
  std::vector<PeerId> outside;
  for (std::uint32_t i = 1; i <= 10; ++i) {
    if (!in_mesh(f.router, gossip_peer(i))) outside.push_back(gossip_peer(i));
  }
  REQUIRE(outside.size() == 4);
  for (std::size_t k = 0; k < 3; ++k) f.router.set_app_score(outside[k], 20);
  f.heartbeats(4);
  CHECK(f.router.mesh_peers(kTopic).size() == 6);
  f.heartbeats(1);  // the 5th heartbeat: median 0 < 5, graft 2 of the 3 better peers
  CHECK(f.router.mesh_peers(kTopic).size() == 8);
  std::size_t better_in = 0;
  for (std::size_t k = 0; k < 3; ++k) better_in += in_mesh(f.router, outside[k]);
  CHECK(better_in == 2);
  CHECK_FALSE(in_mesh(f.router, outside[3]));
}

TEST_CASE("scored router: many peers from one IP are kept out of the mesh; a whitelisted IP is not") {
  GossipConfig c;
  c.score.ip_colocation_factor_threshold = 3;
  c.score.ip_colocation_whitelist = {"192.0.2.9"};
  RouterFixture f(c);
  for (std::uint32_t i = 1; i <= 5; ++i) f.peer(i, {kTopic}, Direction::outbound, "198.51.100.7");
  for (std::uint32_t i = 6; i <= 10; ++i) f.peer(i, {kTopic}, Direction::outbound, "192.0.2.9");
  CHECK(f.router.score(gossip_peer(1)) == doctest::Approx(-20.0));
  CHECK(f.router.score(gossip_peer(6)) == 0.0);
  f.router.subscribe(kTopic);
  for (std::uint32_t i = 1; i <= 5; ++i) CHECK_FALSE(in_mesh(f.router, gossip_peer(i)));
  CHECK(f.router.mesh_peers(kTopic).size() == 5);
}

TEST_CASE("scored network: a peer sending invalid messages is scored out of every mesh") {
  GossipNetwork net(30, GossipConfig{}, 7);
  for (std::size_t i = 0; i < net.size(); ++i) net.router(i).subscribe(kTopic);
  net.connect_random(6);
  net.pump();
  net.run(std::chrono::seconds(5));
  const std::size_t bad = 0;
  // Node 0 sends messages with broken signatures to every peer it knows.
  std::vector<PeerId> targets;
  for (std::size_t i = 1; i < net.size(); ++i) {
    for (const PeerId& p : net.router(i).topic_peers(kTopic)) {
      if (p == net.id(bad)) targets.push_back(net.id(i));
    }
  }
  REQUIRE(targets.size() >= 4);
  for (std::uint64_t s = 1; s <= 3; ++s) {
    Message m = make_signed_message(gossip_key(0), kTopic, Bytes{1}, s);
    (*m.signature)[0] ^= 1;
    for (std::size_t i = 1; i < net.size(); ++i) {
      if (std::count(targets.begin(), targets.end(), net.id(i)) != 0) {
        net.router(i).handle_rpc(net.id(bad), publish_rpc({std::make_shared<const Message>(m)}), net.now());
      }
    }
  }
  net.run(std::chrono::seconds(3));
  for (std::size_t i = 1; i < net.size(); ++i) {
    CAPTURE(i);
    CHECK_FALSE(in_mesh(net.router(i), net.id(bad)));
    if (std::count(targets.begin(), targets.end(), net.id(i)) != 0) {
      CHECK(net.router(i).score(net.id(bad)) < net.router(i).config().thresholds.graylist);
    }
  }
  // The rest still deliver to each other.
  auto id = net.router(5).publish(kTopic, Bytes{7}, net.now());
  REQUIRE(id.has_value());
  net.pump();
  net.run(std::chrono::seconds(2));
  for (std::size_t i = 1; i < net.size(); ++i) {
    if (i != 5) CHECK(net.deliveries(i).count(id.value()) == 1);
  }
}
