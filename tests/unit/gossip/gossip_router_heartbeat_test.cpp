// GossipRouter heartbeat: its schedule, mesh repair below D_lo and above D_hi (with the
// D_out quota), outbound grafting, IHAVE gossip to D_lazy or gossip_factor of the peers.

#include "gossip/gossip_router.hpp"

#include "gossip_test_support.hpp"

#include <doctest/doctest.h>

#include <algorithm>

using namespace weft;
using namespace weft::gossip;
using namespace weft::test;

namespace {

const TopicId kTopic = "blocks";

Rpc graft(const TopicId& topic) {
  ControlMessage c;
  c.graft.push_back({topic});
  return control_rpc(std::move(c));
}

std::size_t outbound_in_mesh(const GossipRouter& r, std::uint32_t first_outbound, std::uint32_t last_outbound) {
  std::size_t n = 0;
  for (const PeerId& p : r.mesh_peers(kTopic)) {
    for (std::uint32_t i = first_outbound; i <= last_outbound; ++i) n += p == gossip_peer(i);
  }
  return n;
}

}  // namespace

TEST_CASE("heartbeat: first after the initial delay, then every interval, never in a burst") {
  RouterFixture f;
  CHECK(f.router.next_deadline() == kGossipStart + std::chrono::milliseconds(100));
  f.advance(std::chrono::milliseconds(99));
  CHECK(f.router.heartbeats() == 0);
  f.advance(std::chrono::milliseconds(1));
  CHECK(f.router.heartbeats() == 1);
  CHECK(f.router.next_deadline() == kGossipStart + std::chrono::milliseconds(1100));
  f.advance(std::chrono::milliseconds(999));
  CHECK(f.router.heartbeats() == 1);
  f.advance(std::chrono::milliseconds(1));
  CHECK(f.router.heartbeats() == 2);
  // Ten intervals late: one heartbeat, and the next a full interval later.
  f.advance(std::chrono::seconds(10));
  CHECK(f.router.heartbeats() == 3);
  CHECK(f.router.next_deadline() == f.now + std::chrono::seconds(1));
}

TEST_CASE("heartbeat: a mesh below D_lo is grafted back up to D") {
  RouterFixture f;
  for (std::uint32_t i = 1; i <= 10; ++i) f.peer(i, {kTopic});
  f.router.subscribe(kTopic);
  CHECK(f.router.mesh_peers(kTopic).size() == 6);
  auto mesh = f.router.mesh_peers(kTopic);
  f.router.handle_peer_down(mesh[0]);
  f.router.handle_peer_down(mesh[1]);
  CHECK(f.router.mesh_peers(kTopic).size() == 4);
  f.heartbeats(1);
  CHECK(f.router.mesh_peers(kTopic).size() == 4);  // at D_lo: nothing to do
  f.router.handle_peer_down(mesh[2]);
  f.drain();
  f.heartbeats(1);
  CHECK(f.router.mesh_peers(kTopic).size() == 6);
  std::size_t grafts = 0;
  for (const auto& o : f.drain()) grafts += o.rpc.control.graft.size();
  CHECK(grafts == 3);
}

TEST_CASE("heartbeat: a mesh above D_hi is pruned to D with backoff and PX, keeping D_out outbound peers") {
  for (std::uint64_t seed = 1; seed <= 8; ++seed) {
    CAPTURE(seed);
    GossipConfig c;
    c.rng_seed = seed;
    RouterFixture f(c);
    f.router.subscribe(kTopic);
    // 13 peers graft us: 11 inbound, 2 outbound (peers 12 and 13).
    for (std::uint32_t i = 1; i <= 13; ++i) {
      f.peer(i, {kTopic}, i >= 12 ? Direction::outbound : Direction::inbound);
      f.rpc(i, graft(kTopic));
    }
    REQUIRE(f.router.mesh_peers(kTopic).size() == 13);
    f.drain();
    f.heartbeats(1);
    CHECK(f.router.mesh_peers(kTopic).size() == 6);
    CHECK(outbound_in_mesh(f.router, 12, 13) == 2);
    auto out = f.drain();
    std::size_t pruned = 0;
    for (std::uint32_t i = 1; i <= 13; ++i) {
      if (prunes_to(out, gossip_peer(i)) == 0) continue;
      ++pruned;
      CHECK(f.router.in_backoff(kTopic, gossip_peer(i)));
    }
    CHECK(pruned == 7);
    for (const auto& o : out) {
      for (const auto& p : o.rpc.control.prune) {
        CHECK(p.backoff_s == 60u);
        CHECK_FALSE(p.peers.empty());
      }
    }
  }
}

TEST_CASE("heartbeat: enough mesh peers but too few outbound: outbound peers are grafted to D_out") {
  RouterFixture f;
  f.router.subscribe(kTopic);
  for (std::uint32_t i = 1; i <= 5; ++i) {
    f.peer(i, {kTopic}, Direction::inbound);
    f.rpc(i, graft(kTopic));
  }
  for (std::uint32_t i = 6; i <= 9; ++i) f.peer(i, {kTopic}, Direction::outbound);
  CHECK(outbound_in_mesh(f.router, 6, 9) == 0);
  f.heartbeats(1);
  CHECK(outbound_in_mesh(f.router, 6, 9) == 2);
  CHECK(f.router.mesh_peers(kTopic).size() == 7);
}

TEST_CASE("heartbeat: IHAVE goes to max(D_lazy, gossip_factor x candidates) non-mesh peers for 3 heartbeats") {
  for (std::uint32_t peers : {20u, 46u}) {
    CAPTURE(peers);
    RouterFixture f;
    for (std::uint32_t i = 1; i <= peers; ++i) f.peer(i, {kTopic});
    f.peer(100, {"other"});
    f.router.subscribe(kTopic);
    f.rpc(1, publish_rpc({authored(90, kTopic, "gossip me", 1)}));
    f.drain();
    const auto mesh = f.router.mesh_peers(kTopic);
    const std::size_t candidates = peers - mesh.size();
    const std::size_t expected = std::max<std::size_t>(6, (candidates + 3) / 4);
    for (int round = 0; round < 4; ++round) {
      CAPTURE(round);
      f.heartbeats(1);
      auto out = f.drain();
      std::size_t got = 0;
      for (std::uint32_t i = 1; i <= peers; ++i) {
        const std::size_t n = ihaves_to(out, gossip_peer(i));
        got += n;
        if (std::count(mesh.begin(), mesh.end(), gossip_peer(i)) != 0) CHECK(n == 0);
      }
      CHECK(ihaves_to(out, gossip_peer(100)) == 0);
      CHECK(got == (round < 3 ? expected : 0));
      for (const auto& o : out) {
        if (!o.rpc.control.ihave.empty()) CHECK(o.priority == Priority::gossip);
      }
    }
  }
}

TEST_CASE("heartbeat: IHAVE carries at most max_ids_per_control_entry ids") {
  GossipConfig c;
  c.rpc.max_ids_per_control_entry = 3;
  RouterFixture f(c);
  for (std::uint32_t i = 1; i <= 8; ++i) f.peer(i, {kTopic});
  f.router.subscribe(kTopic);
  std::vector<MessagePtr> batch;
  for (std::uint64_t s = 1; s <= 5; ++s) batch.push_back(authored(90, kTopic, "m", s));
  f.rpc(1, publish_rpc(batch));
  f.drain();
  f.heartbeats(1);
  std::size_t entries = 0;
  for (const auto& o : f.drain()) {
    for (const auto& ih : o.rpc.control.ihave) {
      ++entries;
      CHECK(ih.ids.size() == 3);
    }
  }
  CHECK(entries == 2);  // 8 peers, 6 in the mesh
}
