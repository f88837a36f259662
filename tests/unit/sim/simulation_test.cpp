// Whole runs at small N: delivery, attackers, churn, determinism, config errors.

#include "simulation.hpp"

#include <doctest/doctest.h>

using namespace weft::sim;

namespace {

SimConfig small(std::uint64_t seed = 1) {
  SimConfig c;
  c.nodes = 50;
  c.messages = 10;
  c.size = 1024;
  c.seed = seed;
  c.warmup_ms = 3000;
  c.drain_ms = 3000;
  return c;
}

SimResult run(const SimConfig& c) {
  auto r = run_simulation(c);
  REQUIRE(r);
  return r.value();
}

std::string line(const SimConfig& c) { return to_json(run(c), false).dump(); }

double ratio(const SimResult& r) {
  return static_cast<double>(r.deliveries) / static_cast<double>(r.expected_deliveries);
}

}  // namespace

TEST_CASE("50 honest nodes: every message reaches every node once, meshes settle") {
  const SimResult r = run(small());
  CHECK(r.honest_nodes == 50);
  CHECK(r.published == 10);
  CHECK(r.publish_errors == 0);
  CHECK(r.expected_deliveries == 10 * 49);
  CHECK(r.deliveries == r.expected_deliveries);
  CHECK(r.messages_fully_delivered == 10);
  CHECK(r.latency.p50 >= 30.0);  // at least one hop
  CHECK(r.last_node_latency.max >= r.latency.p99);
  CHECK(r.router.messages_duplicate > 0);
  CHECK(r.router.idontwant_sent > 0);  // 1 KiB messages: IDONTWANT (v1.2) in use
  // Bytes per delivery counts every copy: at least the message itself.
  CHECK(static_cast<double>(r.wire_bytes) / static_cast<double>(r.deliveries) > 1024.0);
  CHECK(r.control_bytes > 0);
  CHECK(r.control_bytes < r.wire_bytes);
  for (const auto& [degree, nodes] : r.mesh_degree) {
    CHECK(degree >= 4);   // D_lo
    CHECK(degree <= 12);  // D_hi
  }
  CHECK(r.rpcs_lost == 0);
  CHECK(r.events > r.rpcs_delivered);
}

TEST_CASE("same seed: byte-identical output; another seed: different output") {
  const std::string a = line(small(1));
  CHECK(line(small(1)) == a);
  CHECK(line(small(2)) != a);
  SimConfig lossy = small(3);
  lossy.loss = 0.05;
  lossy.bandwidth_mbps = 10;
  lossy.churn = 0.1;
  lossy.invalid = 0.1;
  CHECK(line(lossy) == line(lossy));
}

TEST_CASE("the wire codec path gives the same run as handing over values") {
  SimConfig c = small(4);
  c.nodes = 30;
  c.messages = 5;
  const std::string values = line(c);
  c.wire_codec = true;
  CHECK(line(c) == values);
}

TEST_CASE("blackholes lower delivery") {
  SimConfig c = small(5);
  c.degree = 4;
  c.blackhole = 0.7;
  const SimResult r = run(c);
  CHECK(r.blackhole == 35);
  CHECK(r.honest_nodes == 15);
  CHECK(r.expected_deliveries == 10 * 14);
  CHECK(ratio(r) < 1.0);
  // Without the blackholes the same graph delivers everything.
  c.blackhole = 0;
  CHECK(ratio(run(c)) == 1.0);
}

TEST_CASE("invalid publishers are rejected, penalized and graylisted; honest delivery holds") {
  SimConfig c = small(6);
  c.invalid = 0.2;
  c.messages = 20;
  const SimResult r = run(c);
  CHECK(r.invalid == 10);
  CHECK(r.router.messages_rejected > 0);
  CHECK(r.router.peers_penalized > 0);
  CHECK(r.attacker_links > 0);
  CHECK(r.attacker_links_graylisted > 0);
  CHECK(ratio(r) == 1.0);
}

TEST_CASE("IHAVE flooders break promises and get ignored") {
  SimConfig c = small(7);
  c.ihave_flood = 0.2;
  const SimResult r = run(c);
  CHECK(r.ihave_flood == 10);
  CHECK(r.router.ihave_ignored > 0);
  CHECK(r.router.promises_broken > 0);
  CHECK(ratio(r) == 1.0);
}

TEST_CASE("loss is recovered by gossip; churned nodes miss what is sent while they are down") {
  SimConfig c = small(8);
  c.loss = 0.05;
  const SimResult lossy = run(c);
  CHECK(lossy.rpcs_lost > 0);
  CHECK(lossy.router.iwant_served > 0);
  CHECK(ratio(lossy) > 0.9);
  c.loss = 0;
  c.churn = 0.2;
  c.churn_downtime_ms = 3000;
  c.rate = 2;  // 10 messages over 4.5 s: each churned node is down for most of them
  const SimResult churned = run(c);
  CHECK(churned.churned == 10);
  CHECK(ratio(churned) < 1.0);
  CHECK(churned.rpcs_lost > 0);  // in flight when links went down
}

TEST_CASE("limited upload bandwidth delays delivery") {
  SimConfig c = small(9);
  const SimResult fast = run(c);
  c.bandwidth_mbps = 1;  // 1 KiB takes about 8 ms per copy
  const SimResult slow = run(c);
  CHECK(ratio(slow) == 1.0);
  CHECK(slow.latency.p50 > fast.latency.p50);
}

TEST_CASE("staggered sends of large messages: fewer bytes, later deliveries; 0 turns them off") {
  SimConfig c = small(4);
  c.size = 16 * 1024;
  c.latency_min_ms = 0.2;
  c.latency_max_ms = 1;
  const SimResult staggered = run(c);
  c.stagger_interval_us = 0;
  const SimResult off = run(c);
  CHECK(ratio(staggered) == 1.0);
  CHECK(ratio(off) == 1.0);
  CHECK(staggered.wire_bytes < off.wire_bytes);
  CHECK(staggered.latency.p99 > off.latency.p99);
  CHECK(to_json(off, false)["gossip"]["stagger_interval_us"] == 0);
}

TEST_CASE("the anchor topology is the js benchmark's") {
  SimConfig c = small(1);
  c.nodes = 64;
  c.topology = TopologyKind::anchor;
  const SimResult r = run(c);
  CHECK(r.topology == "anchor");
  CHECK(r.edges_sha256 == "9ef8f0dd8d941ee3968be2c079b56181d5cc8fa091c91d6ed4b835b2eeaa2e36");
  CHECK(ratio(r) == 1.0);
}

TEST_CASE("settings that cannot run are refused with config_invalid") {
  auto refused = [](auto change) {
    SimConfig c = small();
    change(c);
    auto ok = check_sim_config(c);
    CHECK_FALSE(ok);
    if (!ok) CHECK(ok.error() == weft::Errc::config_invalid);
    CHECK_FALSE(run_simulation(c));
  };
  refused([](SimConfig& c) { c.nodes = 1; });
  refused([](SimConfig& c) { c.loss = 1.5; });
  refused([](SimConfig& c) { c.blackhole = -0.1; });
  refused([](SimConfig& c) { c.blackhole = 0.6; c.invalid = 0.6; });
  refused([](SimConfig& c) { c.blackhole = 1.0; });  // nobody honest left to publish
  refused([](SimConfig& c) { c.latency_min_ms = 80; });
  refused([](SimConfig& c) { c.rate = 0; });
  refused([](SimConfig& c) { c.degree = 50; });
  refused([](SimConfig& c) { c.nodes = 51; c.degree = 3; });
  refused([](SimConfig& c) { c.size = 2 * 1024 * 1024; });
  refused([](SimConfig& c) { c.churn = 2; });
  refused([](SimConfig& c) { c.stagger_interval_us = 60'000'001; });
  refused([](SimConfig& c) { c.messages = 20'000'000; });
  refused([](SimConfig& c) { c.nodes = 1'000'000; c.messages = 2000; });  // 2 GB of delivery log
  refused([](SimConfig& c) { c.nodes = 2'000'000; });
  SimConfig ok = small();
  CHECK(check_sim_config(ok));
  ok.nodes = 100;
  ok.degree = 1;  // a matching: never connected
  CHECK(check_sim_config(ok));
  CHECK(run_simulation(ok).error() == weft::Errc::config_invalid);
}
