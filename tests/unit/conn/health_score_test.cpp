// Tests for src/conn/health_score.cpp: each factor's curve at and just past its bounds,
// failure decay, the RTT EWMA, Degraded / Recovered with hysteresis (at and just past each
// threshold), death after missed keep-alives, and the default weights on typical connections.
#include "conn/health_score.hpp"

#include <doctest/doctest.h>

#include <cmath>

namespace weft::conn {
namespace {

using std::chrono::hours;
using std::chrono::microseconds;
using std::chrono::milliseconds;
using std::chrono::seconds;

const TimePoint t0 = TimePoint{} + hours(1);

// Only the failure factor counts, so scores are exact dyadic fractions:
// 0 failures 1.0, 1 failure 0.75, 2 failures 0.5, 3 failures 0.25, 4 or more 0.
HealthScoreConfig failures_only() {
  HealthScoreConfig c;
  c.failure_weight = 1.0;
  c.rtt_weight = c.age_weight = c.idle_weight = c.use_weight = 0.0;
  c.failures_for_zero_score = 4.0;
  c.failure_half_life_ms = milliseconds(60'000);
  c.health_threshold = 0.5;
  c.health_recover_threshold = 0.75;
  return c;
}

void fail(HealthScore& h, int n, TimePoint at) {
  for (int i = 0; i < n; ++i) h.on_failure(at);
}

TEST_CASE("defaults: seed 003's weights, threshold 0.6 with recovery at 0.7, 3 missed pings") {
  const HealthScoreConfig c;
  CHECK(c.failure_weight == 0.40);
  CHECK(c.rtt_weight == 0.25);
  CHECK(c.age_weight == 0.15);
  CHECK(c.idle_weight == 0.15);
  CHECK(c.use_weight == 0.05);
  CHECK(c.failure_weight + c.rtt_weight + c.age_weight + c.idle_weight + c.use_weight == doctest::Approx(1.0));
  CHECK(c.health_threshold == 0.6);
  CHECK(c.health_recover_threshold == 0.7);
  CHECK(c.max_missed_keepalives == 3);
}

TEST_CASE("a new connection: every factor best except use, score 0.98, usable") {
  HealthScore h(t0);
  const HealthFactors f = h.factors(t0);
  CHECK(f.failure == 1.0);
  CHECK(f.rtt == 1.0);  // no sample yet
  CHECK(f.age == 1.0);
  CHECK(f.idle == 1.0);
  CHECK(f.use == 0.6);
  CHECK(h.score(t0) == doctest::Approx(0.98));
  CHECK_FALSE(h.evaluate(t0));
  CHECK(h.usable());
  CHECK(h.created_at() == t0);
  CHECK(h.last_used() == t0);
}

TEST_CASE("failure factor: linear in the decayed count, floored at 0") {
  HealthScoreConfig c;
  c.failures_for_zero_score = 4.0;
  HealthScore h(t0, c);
  fail(h, 1, t0);
  CHECK(h.factors(t0).failure == 0.75);
  fail(h, 2, t0);
  CHECK(h.factors(t0).failure == 0.25);
  fail(h, 1, t0);
  CHECK(h.factors(t0).failure == 0.0);
  fail(h, 5, t0);
  CHECK(h.factors(t0).failure == 0.0);
  CHECK(h.decayed_failures(t0) == 9.0);
}

TEST_CASE("failures halve every failure_half_life_ms, and new ones add to the decayed count") {
  HealthScore h(t0, failures_only());
  fail(h, 4, t0);
  CHECK(h.decayed_failures(t0) == 4.0);
  CHECK(h.decayed_failures(t0 + seconds(60)) == 2.0);
  CHECK(h.decayed_failures(t0 + seconds(120)) == 1.0);
  CHECK(h.decayed_failures(t0 + seconds(60) - milliseconds(1)) > 2.0);
  h.on_failure(t0 + seconds(60));  // 2 left + 1
  CHECK(h.decayed_failures(t0 + seconds(60)) == 3.0);
  CHECK(h.decayed_failures(t0 + seconds(120)) == 1.5);
}

TEST_CASE("smoothed RTT: the first sample as is, then an EWMA with alpha 1/8") {
  HealthScore h(t0);
  CHECK_FALSE(h.smoothed_rtt());
  h.on_ping_rtt(milliseconds(100));
  REQUIRE(h.smoothed_rtt());
  CHECK(h.smoothed_rtt()->count() == 100.0);
  h.on_ping_rtt(milliseconds(900));
  CHECK(h.smoothed_rtt()->count() == 200.0);  // 100 + (900 - 100) / 8
  h.on_ping_rtt(milliseconds(200));
  CHECK(h.smoothed_rtt()->count() == 200.0);
}

TEST_CASE("a sub-millisecond RTT is kept, not rounded to zero") {
  HealthScore h(t0);
  h.on_ping_rtt(microseconds(250));
  CHECK(h.smoothed_rtt()->count() == 0.25);
  h.on_ping_rtt(std::chrono::nanoseconds(1'250'000));
  CHECK(h.smoothed_rtt()->count() == doctest::Approx(0.375));
}

TEST_CASE("RTT factor: 1 up to rtt_full_score_ms, linear, 0 from rtt_zero_score_ms") {
  auto rtt_factor = [](FractionalMs rtt) {
    HealthScore h(t0);
    h.on_ping_rtt(rtt);
    return h.factors(t0).rtt;
  };
  CHECK(rtt_factor(milliseconds(0)) == 1.0);
  CHECK(rtt_factor(milliseconds(100)) == 1.0);
  CHECK(rtt_factor(microseconds(100'001)) < 1.0);
  CHECK(rtt_factor(milliseconds(1050)) == 0.5);
  CHECK(rtt_factor(milliseconds(1999)) > 0.0);
  CHECK(rtt_factor(milliseconds(2000)) == 0.0);
  CHECK(rtt_factor(milliseconds(60'000)) == 0.0);
}

TEST_CASE("age factor: 1.0 below 1 h, 0.8 below 2 h, 0.5 from 2 h") {
  HealthScore h(t0);
  CHECK(h.factors(t0 + hours(1) - milliseconds(1)).age == 1.0);
  CHECK(h.factors(t0 + hours(1)).age == 0.8);
  CHECK(h.factors(t0 + hours(2) - milliseconds(1)).age == 0.8);
  CHECK(h.factors(t0 + hours(2)).age == 0.5);
  CHECK(h.factors(t0 + hours(100)).age == 0.5);
}

TEST_CASE("idle factor: 1.0 below 60 s since last use, 0.8 below 300 s, 0.5 after; use resets it") {
  HealthScore h(t0);
  CHECK(h.factors(t0 + seconds(60) - milliseconds(1)).idle == 1.0);
  CHECK(h.factors(t0 + seconds(60)).idle == 0.8);
  CHECK(h.factors(t0 + seconds(300) - milliseconds(1)).idle == 0.8);
  CHECK(h.factors(t0 + seconds(300)).idle == 0.5);
  const TimePoint later = t0 + seconds(1000);
  h.on_use(later);
  CHECK(h.last_used() == later);
  CHECK(h.factors(later).idle == 1.0);
  CHECK(h.factors(later + seconds(60)).idle == 0.8);
}

TEST_CASE("use factor: 0.6 up to 10 uses, 0.8 up to 100, 1.0 above") {
  HealthScore h(t0);
  for (int i = 0; i < 10; ++i) h.on_use(t0);
  CHECK(h.uses() == 10);
  CHECK(h.factors(t0).use == 0.6);
  h.on_use(t0);
  CHECK(h.factors(t0).use == 0.8);
  for (int i = 0; i < 89; ++i) h.on_use(t0);
  CHECK(h.uses() == 100);
  CHECK(h.factors(t0).use == 0.8);
  h.on_use(t0);
  CHECK(h.factors(t0).use == 1.0);
}

TEST_CASE("weights are relative: only their ratios matter") {
  HealthScoreConfig c = failures_only();
  c.failure_weight = 3.0;
  c.use_weight = 1.0;
  HealthScore h(t0, c);
  fail(h, 2, t0);
  CHECK(h.score(t0) == (3.0 * 0.5 + 1.0 * 0.6) / 4.0);
}

TEST_CASE("a score exactly at health_threshold is healthy; below it degrades, reported once") {
  HealthScore h(t0, failures_only());
  fail(h, 2, t0);
  CHECK(h.score(t0) == 0.5);
  CHECK_FALSE(h.evaluate(t0));
  CHECK(h.usable());
  h.on_failure(t0);
  CHECK(h.evaluate(t0) == HealthTransition::degraded);
  CHECK(h.degraded());
  CHECK_FALSE(h.usable());
  CHECK_FALSE(h.evaluate(t0));
  CHECK(h.degraded());
}

TEST_CASE("a threshold just above the score degrades") {
  HealthScoreConfig c = failures_only();
  c.health_threshold = std::nextafter(0.5, 1.0);
  HealthScore h(t0, c);
  fail(h, 2, t0);
  CHECK(h.evaluate(t0) == HealthTransition::degraded);
}

TEST_CASE("hysteresis: a degraded connection recovers only at health_recover_threshold") {
  HealthScore h(t0, failures_only());
  fail(h, 4, t0);
  REQUIRE(h.evaluate(t0) == HealthTransition::degraded);
  // 2 failures left: 0.5, back at the threshold but inside the band: still degraded.
  CHECK(h.score(t0 + seconds(60)) == 0.5);
  CHECK_FALSE(h.evaluate(t0 + seconds(60)));
  CHECK(h.degraded());
  CHECK_FALSE(h.evaluate(t0 + seconds(120) - milliseconds(1)));  // 0.74999...
  CHECK(h.degraded());
  CHECK(h.score(t0 + seconds(120)) == 0.75);
  CHECK(h.evaluate(t0 + seconds(120)) == HealthTransition::recovered);
  CHECK(h.usable());
  CHECK_FALSE(h.evaluate(t0 + seconds(120)));
}

TEST_CASE("a recover threshold just above the score does not recover") {
  HealthScoreConfig c = failures_only();
  c.health_recover_threshold = std::nextafter(0.75, 1.0);
  HealthScore h(t0, c);
  fail(h, 4, t0);
  REQUIRE(h.evaluate(t0) == HealthTransition::degraded);
  CHECK_FALSE(h.evaluate(t0 + seconds(120)));
  CHECK(h.degraded());
}

TEST_CASE("a recover threshold below the degrade threshold acts as the degrade threshold") {
  HealthScoreConfig c = failures_only();
  c.health_recover_threshold = 0.1;
  HealthScore h(t0, c);
  fail(h, 4, t0);
  REQUIRE(h.evaluate(t0) == HealthTransition::degraded);
  CHECK_FALSE(h.evaluate(t0 + seconds(60) - milliseconds(1)));  // just below 0.5
  CHECK(h.evaluate(t0 + seconds(60)) == HealthTransition::recovered);
}

TEST_CASE("degrade, recover, degrade again: each crossing reported") {
  HealthScore h(t0, failures_only());
  fail(h, 4, t0);
  CHECK(h.evaluate(t0) == HealthTransition::degraded);
  const TimePoint t1 = t0 + seconds(120);
  CHECK(h.evaluate(t1) == HealthTransition::recovered);
  fail(h, 2, t1);  // 1 + 2 = 3 failures: 0.25
  CHECK(h.evaluate(t1) == HealthTransition::degraded);
}

TEST_CASE("the max_missed_keepalives-th consecutive missed ping kills the connection, once") {
  HealthScore h(t0);
  CHECK_FALSE(h.on_ping_missed(t0));
  CHECK_FALSE(h.on_ping_missed(t0));
  CHECK(h.missed_keepalives() == 2);
  CHECK_FALSE(h.dead());
  CHECK(h.on_ping_missed(t0) == HealthTransition::died);
  CHECK(h.dead());
  CHECK_FALSE(h.usable());
  CHECK_FALSE(h.on_ping_missed(t0));
  CHECK_FALSE(h.evaluate(t0));
  h.on_ping_rtt(milliseconds(10));  // too late: dead is final
  CHECK(h.dead());
}

TEST_CASE("an answered ping resets the missed count") {
  HealthScore h(t0);
  h.on_ping_missed(t0);
  h.on_ping_missed(t0);
  h.on_ping_rtt(milliseconds(20));
  CHECK(h.missed_keepalives() == 0);
  CHECK_FALSE(h.on_ping_missed(t0));
  CHECK_FALSE(h.on_ping_missed(t0));
  CHECK_FALSE(h.dead());
}

TEST_CASE("a missed ping also counts as a failure") {
  HealthScore h(t0);
  h.on_ping_missed(t0);
  CHECK(h.decayed_failures(t0) == 1.0);
}

TEST_CASE("max_missed_keepalives of 0 acts as 1") {
  HealthScoreConfig c;
  c.max_missed_keepalives = 0;
  HealthScore h(t0, c);
  CHECK(h.on_ping_missed(t0) == HealthTransition::died);
}

// The default weights on connections the table will meet (see the header's rationale).
TEST_CASE("defaults: an old, idle, cold connection that works stays usable") {
  HealthScore h(t0);
  h.on_ping_rtt(milliseconds(80));
  const TimePoint later = t0 + hours(3);
  CHECK(h.score(later) == doctest::Approx(0.83));
  CHECK_FALSE(h.evaluate(later));
  CHECK(h.usable());
}

TEST_CASE("defaults: an intercontinental RTT alone does not degrade") {
  HealthScore h(t0);
  h.on_ping_rtt(milliseconds(300));
  CHECK(h.factors(t0).rtt == doctest::Approx(1.0 - 200.0 / 1900.0));
  CHECK_FALSE(h.evaluate(t0 + hours(3)));
}

TEST_CASE("defaults: three fresh failures degrade even a new connection; two do not") {
  HealthScore two(t0);
  fail(two, 2, t0);
  CHECK_FALSE(two.evaluate(t0));
  HealthScore three(t0);
  fail(three, 3, t0);
  CHECK(three.score(t0) == doctest::Approx(0.58));
  CHECK(three.evaluate(t0) == HealthTransition::degraded);
  // It stops failing: the failures decay and it recovers without being used.
  CHECK_FALSE(three.evaluate(t0 + seconds(30)));
  CHECK(three.evaluate(t0 + seconds(120)) == HealthTransition::recovered);
}

TEST_CASE("defaults: a 2 s RTT degrades an old idle connection; 1 s does not") {
  const TimePoint later = t0 + hours(3);
  HealthScore slow(t0);
  slow.on_ping_rtt(milliseconds(2000));
  CHECK(slow.evaluate(later) == HealthTransition::degraded);
  HealthScore ok(t0);
  ok.on_ping_rtt(milliseconds(1000));
  CHECK_FALSE(ok.evaluate(later));
}

}  // namespace
}  // namespace weft::conn
