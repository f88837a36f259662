// Delivery counting, order statistics and the JSON line.

#include "metrics.hpp"

#include <doctest/doctest.h>

using namespace weft::sim;

TEST_CASE("percentiles by nearest rank, in milliseconds") {
  std::vector<SimTime> v;
  for (int i = 100; i >= 1; --i) v.push_back(i * kMillisecond);
  const auto s = summarize(v);
  CHECK(s.n == 100);
  CHECK(s.p50 == 50.0);
  CHECK(s.p99 == 99.0);
  CHECK(s.max == 100.0);
  CHECK(summarize({}).n == 0);
  const auto one = summarize({3 * kMillisecond / 2});
  CHECK(one.p50 == 1.5);
  CHECK(one.p99 == 1.5);
}

TEST_CASE("the delivery log counts each node and message once") {
  DeliveryLog log(4, 2);
  log.published(0, 100 * kMillisecond, 3);
  log.published(1, 200 * kMillisecond, 3);
  log.delivered(1, 0, 150 * kMillisecond);
  log.delivered(1, 0, 160 * kMillisecond);  // a repeat (restarted node): ignored
  log.delivered(2, 0, 170 * kMillisecond);
  log.delivered(3, 0, 190 * kMillisecond);
  log.delivered(2, 1, 250 * kMillisecond);
  CHECK(log.published_count() == 2);
  CHECK(log.expected() == 6);
  CHECK(log.deliveries() == 4);
  CHECK(log.fully_delivered() == 1);
  const auto last = log.last_node_latency();
  CHECK(last.n == 1);
  CHECK(last.max == 90.0);
  CHECK(log.latency().max == 90.0);
  CHECK(log.latency().p50 == 50.0);
}

TEST_CASE("a delivery of a message never published does not count") {
  DeliveryLog log(2, 1);
  log.delivered(1, 0, 5);
  CHECK(log.deliveries() == 0);
}

TEST_CASE("the JSON line: ratios, and wall figures only when asked, last") {
  SimResult r;
  r.size = 100;
  r.expected_deliveries = 10;
  r.deliveries = 8;
  r.wire_bytes = 4000;
  r.control_bytes = 1000;
  r.router.messages_duplicate = 4;
  r.mesh_degree = {{4, 2}, {6, 6}};
  r.wall_seconds = 1.5;
  r.cpu_seconds = 1.25;
  r.peak_rss_kib = 1234;
  const auto without = to_json(r, false);
  CHECK(without["delivery_ratio"] == 0.8);
  CHECK(without["duplicates_per_delivery"] == 0.5);
  CHECK(without["bytes_per_delivery_over_size"] == 5.0);
  CHECK(without["control_bytes_share"] == 0.25);
  CHECK(without["mesh_degree"]["min"] == 4);
  CHECK(without["mesh_degree"]["max"] == 6);
  CHECK(without["mesh_degree"]["mean"] == 5.5);
  CHECK(without["mesh_degree"]["histogram"]["6"] == 6);
  CHECK_FALSE(without.contains("wall_seconds"));
  CHECK_FALSE(without.contains("peak_rss_kib"));
  CHECK_FALSE(without.contains("cpu_seconds"));
  const auto with = to_json(r, true);
  CHECK(with["wall_seconds"] == 1.5);
  CHECK(with["cpu_seconds"] == 1.25);
  CHECK(with["peak_rss_kib"] == 1234);
  auto it = with.end();
  CHECK((--it).key() == "peak_rss_kib");
  CHECK((--it).key() == "cpu_seconds");
  CHECK((--it).key() == "wall_seconds");
  CHECK(peak_rss_kib() > 0);
  CHECK(cpu_seconds() > 0);
}
