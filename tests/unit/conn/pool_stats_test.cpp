// Tests for src/conn/pool_stats.cpp: the ratios and averages, with zero denominators, and
// the one-line summary.
#include "conn/pool_stats.hpp"

#include "test_peer_id.hpp"

#include <doctest/doctest.h>

namespace weft::conn {
namespace {

using std::chrono::microseconds;

PoolStats example() {
  PoolStats s;
  s.ready = 2;
  s.busy = 1;
  s.connections_per_peer = {{test::test_peer(1), 2}, {test::test_peer(2), 1}};
  s.leased_streams = 4;
  s.acquired = 10;
  s.connections_created = 3;
  s.connections_reused = 7;
  s.connections_failed = 1;
  s.connect_time_total = microseconds(25'000);
  s.connect_time_samples = 2;
  s.rtt_total = microseconds(750);
  s.rtt_samples = 3;
  s.bytes_in = 100;
  s.bytes_out = 200;
  return s;
}

TEST_CASE("an empty snapshot: every ratio and average is 0, not NaN") {
  const PoolStats s;
  CHECK(s.open_connections() == 0);
  CHECK(s.hit_rate() == 0.0);
  CHECK(s.reuse_rate() == 0.0);
  CHECK(s.average_connect_ms() == 0.0);
  CHECK(s.average_rtt_ms() == 0.0);
}

TEST_CASE("each zero denominator alone gives 0 while its numerator is not 0") {
  PoolStats s;
  s.connections_reused = 5;  // acquired and created both 0
  s.connect_time_total = microseconds(1000);
  s.rtt_total = microseconds(1000);
  CHECK(s.hit_rate() == 0.0);
  CHECK(s.reuse_rate() == 0.0);
  CHECK(s.average_connect_ms() == 0.0);
  CHECK(s.average_rtt_ms() == 0.0);
}

TEST_CASE("ratios and averages") {
  const PoolStats s = example();
  CHECK(s.open_connections() == 3);
  CHECK(s.hit_rate() == doctest::Approx(0.7));
  CHECK(s.reuse_rate() == doctest::Approx(7.0 / 3.0));
  CHECK(s.average_connect_ms() == 12.5);
  CHECK(s.average_rtt_ms() == 0.25);  // sub-millisecond loopback RTTs survive
}

TEST_CASE("open connections count every state but closed") {
  PoolStats s;
  s.connecting = 1;
  s.ready = 2;
  s.busy = 3;
  s.draining = 4;
  s.closed = 5;
  CHECK(s.open_connections() == 10);
}

TEST_CASE("summary is one line with every figure") {
  const std::string line = example().summary();
  CHECK(line ==
        "connections 3 (connecting 0, ready 2, busy 1, draining 0, closed 0), peers 2, leased 4, waiting 0, "
        "acquired 10, created 3, closed 0, reused 7, failed 1, timed out 0, hit rate 70.0%, reuse rate 2.33, "
        "connect 12.500 ms, rtt 0.250 ms, bytes in 100 out 200");
  CHECK(line.find('\n') == std::string::npos);
  CHECK(PoolStats{}.summary().find("hit rate 0.0%, reuse rate 0.00, connect 0.000 ms") != std::string::npos);
}

}  // namespace
}  // namespace weft::conn
