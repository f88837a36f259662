// 50 real GossipRouters over an in-memory network with a fake clock: meshes settle within
// [D_lo, D_hi], every message reaches every subscriber exactly once, PRUNE backoff is
// honoured network-wide, IDONTWANT cuts duplicates of large messages.

#include "gossip/gossip_router.hpp"

#include "gossip_network.hpp"

#include <doctest/doctest.h>

#include <algorithm>

using namespace weft;
using namespace weft::gossip;
using namespace weft::test;

namespace {

const TopicId kTopic = "blocks";

GossipNetwork settled(std::size_t n, GossipConfig config, std::uint64_t seed) {
  GossipNetwork net(n, config, seed);
  for (std::size_t i = 0; i < n; ++i) net.router(i).subscribe(kTopic);
  net.connect_random(6);
  net.pump();
  net.run(std::chrono::seconds(10));
  return net;
}

}  // namespace

TEST_CASE("network: 50 routers settle meshes within [D_lo, D_hi] and deliver each message once") {
  for (std::uint64_t seed : {1u, 2u}) {
    CAPTURE(seed);
    GossipNetwork net = settled(50, GossipConfig{}, seed);
    for (std::size_t i = 0; i < net.size(); ++i) {
      CAPTURE(i);
      const std::size_t mesh = net.router(i).mesh_peers(kTopic).size();
      CHECK(mesh >= 4);
      CHECK(mesh <= 12);
    }
    std::vector<MessageId> ids;
    for (std::size_t m = 0; m < 20; ++m) {
      const std::size_t from = (m * 7) % net.size();
      auto id = net.router(from).publish(kTopic, Bytes(64, static_cast<std::uint8_t>(m)), net.now());
      REQUIRE(id.has_value());
      ids.push_back(id.value());
      net.pump();
    }
    net.run(std::chrono::seconds(5));
    for (std::size_t i = 0; i < net.size(); ++i) {
      CAPTURE(i);
      std::size_t own = 0;
      for (std::size_t m = 0; m < ids.size(); ++m) {
        if ((m * 7) % net.size() == i) {
          ++own;
          CHECK(net.deliveries(i).count(ids[m]) == 0);  // no local echo of our own
        } else {
          CHECK(net.deliveries(i).count(ids[m]) == 1);
          if (net.deliveries(i).count(ids[m]) == 1) CHECK(net.deliveries(i).at(ids[m]) == 1);
        }
      }
      CHECK(net.deliveries(i).size() == ids.size() - own);
    }
    CHECK(net.sum([](const GossipStats& s) { return s.graft_during_backoff; }) == 0);
    CHECK(net.sum([](const GossipStats& s) { return s.messages_invalid; }) == 0);
    CHECK(net.sum([](const GossipStats& s) { return s.rpcs_over_limits; }) == 0);
  }
}

TEST_CASE("network: PRUNE backoff holds both ways while meshes churn") {
  GossipConfig c;
  c.d_hi = 7;  // frequent oversubscription pruning
  GossipNetwork net = settled(50, c, 3);
  for (int round = 0; round < 5; ++round) {
    // Peers unsubscribe and resubscribe: PRUNEs with the unsubscribe backoff go out, and
    // the other side must not GRAFT back early.
    for (std::size_t i = round; i < net.size(); i += 5) net.router(i).unsubscribe(kTopic);
    net.pump();
    net.run(std::chrono::seconds(2));
    for (std::size_t i = round; i < net.size(); i += 5) net.router(i).subscribe(kTopic);
    net.pump();
    net.run(std::chrono::seconds(15));
  }
  CHECK(net.sum([](const GossipStats& s) { return s.prunes_sent; }) > 0);
  CHECK(net.sum([](const GossipStats& s) { return s.graft_during_backoff; }) == 0);
  // A mesh may stay under D_lo only while every other topic peer is backed off.
  for (std::size_t i = 0; i < net.size(); ++i) {
    CAPTURE(i);
    const auto mesh = net.router(i).mesh_peers(kTopic);
    if (mesh.size() >= 4) continue;
    for (const PeerId& p : net.router(i).topic_peers(kTopic)) {
      if (std::count(mesh.begin(), mesh.end(), p) == 0) CHECK(net.router(i).in_backoff(kTopic, p));
    }
  }
}

TEST_CASE("network: IDONTWANT lowers duplicates of large messages") {
  auto duplicates = [](std::size_t threshold) {
    GossipConfig c;
    c.idontwant_min_message_bytes = threshold;
    GossipNetwork net = settled(50, c, 4);
    for (std::size_t m = 0; m < 10; ++m) {
      REQUIRE(net.router(m).publish(kTopic, Bytes(4096, static_cast<std::uint8_t>(m)), net.now()).has_value());
      net.pump();
    }
    for (std::size_t i = 10; i < net.size(); ++i) CHECK(net.deliveries(i).size() == 10);
    return std::pair{net.sum([](const GossipStats& s) { return s.messages_duplicate; }),
                     net.sum([](const GossipStats& s) { return s.idontwant_suppressed + s.idontwant_dropped_queued; })};
  };
  const auto [with, saved] = duplicates(1024);
  const auto [without, none] = duplicates(1 << 30);
  CHECK(none == 0);
  CHECK(saved > 0);
  CHECK(with < without);
}
