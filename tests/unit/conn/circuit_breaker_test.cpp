// Tests for src/conn/circuit_breaker.cpp: every transition (Closed -> Open -> HalfOpen ->
// Closed, HalfOpen -> Open), the single outstanding trial, the time left while Open at and
// just past its end, and the counters.
#include "conn/circuit_breaker.hpp"

#include <doctest/doctest.h>

namespace weft::conn {
namespace {

using std::chrono::milliseconds;
using Verdict = CircuitCheck::Verdict;

const TimePoint t0 = TimePoint{} + std::chrono::hours(1);

CircuitBreakerConfig small_config() {
  CircuitBreakerConfig c;
  c.circuit_failure_threshold = 3;
  c.circuit_open_ms = milliseconds(1000);
  c.circuit_half_open_successes = 2;
  return c;
}

// Drives a breaker with small_config() to Open at `at`.
CircuitBreaker opened_at(TimePoint at) {
  CircuitBreaker b(small_config());
  b.on_failure(at);
  b.on_failure(at);
  REQUIRE(b.on_failure(at) == CircuitTransition::opened);
  return b;
}

TEST_CASE("defaults are the issue's: 5 failures, 30 s open, 3 half-open successes") {
  const CircuitBreakerConfig c;
  CHECK(c.circuit_failure_threshold == 5);
  CHECK(c.circuit_open_ms == milliseconds(30'000));
  CHECK(c.circuit_half_open_successes == 3);
}

TEST_CASE("Closed admits every check and counts no rejection") {
  CircuitBreaker b;
  for (int i = 0; i < 10; ++i) {
    const CircuitCheck c = b.check(t0);
    CHECK(c.verdict == Verdict::allowed);
    CHECK(c.admitted());
    CHECK_FALSE(c.transition);
  }
  CHECK(b.state() == CircuitState::closed);
  CHECK(b.rejections() == 0);
  CHECK_FALSE(b.open_until());
}

TEST_CASE("Closed opens at the threshold-th consecutive failure, not one before") {
  CircuitBreaker b(small_config());
  CHECK_FALSE(b.on_failure(t0));
  CHECK_FALSE(b.on_failure(t0));
  CHECK(b.consecutive_failures() == 2);
  CHECK(b.state() == CircuitState::closed);
  CHECK(b.on_failure(t0) == CircuitTransition::opened);
  CHECK(b.state() == CircuitState::open);
  CHECK(b.times_opened() == 1);
  CHECK(b.open_until() == t0 + milliseconds(1000));
}

TEST_CASE("the default breaker opens at the fifth failure") {
  CircuitBreaker b;
  for (int i = 0; i < 4; ++i) CHECK_FALSE(b.on_failure(t0));
  CHECK(b.on_failure(t0) == CircuitTransition::opened);
}

TEST_CASE("a success in Closed resets the consecutive failure count") {
  CircuitBreaker b(small_config());
  b.on_failure(t0);
  b.on_failure(t0);
  CHECK_FALSE(b.on_success());
  CHECK(b.consecutive_failures() == 0);
  CHECK_FALSE(b.on_failure(t0));
  CHECK_FALSE(b.on_failure(t0));
  CHECK(b.state() == CircuitState::closed);
  CHECK(b.on_failure(t0) == CircuitTransition::opened);
}

TEST_CASE("Open rejects with the time left, up to the last millisecond") {
  CircuitBreaker b = opened_at(t0);
  CircuitCheck c = b.check(t0);
  CHECK(c.verdict == Verdict::rejected);
  CHECK_FALSE(c.admitted());
  CHECK(c.retry_after == milliseconds(1000));
  CHECK_FALSE(c.transition);

  c = b.check(t0 + milliseconds(400));
  CHECK(c.verdict == Verdict::rejected);
  CHECK(c.retry_after == milliseconds(600));

  c = b.check(t0 + milliseconds(999));  // just before the end
  CHECK(c.verdict == Verdict::rejected);
  CHECK(c.retry_after == milliseconds(1));
  CHECK(b.state() == CircuitState::open);
  CHECK(b.rejections() == 3);
}

TEST_CASE("time left is rounded up, so waiting it is never early") {
  CircuitBreaker b = opened_at(t0);
  const CircuitCheck c = b.check(t0 + milliseconds(1000) - std::chrono::microseconds(1));
  CHECK(c.verdict == Verdict::rejected);
  CHECK(c.retry_after == milliseconds(1));
}

TEST_CASE("Open becomes HalfOpen exactly at circuit_open_ms and admits one trial") {
  CircuitBreaker b = opened_at(t0);
  const CircuitCheck c = b.check(t0 + milliseconds(1000));
  CHECK(c.verdict == Verdict::trial);
  CHECK(c.admitted());
  CHECK(c.transition == CircuitTransition::half_opened);
  CHECK(b.state() == CircuitState::half_open);
  CHECK(b.trial_outstanding());
  CHECK_FALSE(b.open_until());
}

TEST_CASE("HalfOpen rejects every other check while the trial is outstanding") {
  CircuitBreaker b = opened_at(t0);
  REQUIRE(b.check(t0 + milliseconds(1000)).verdict == Verdict::trial);
  const std::uint64_t before = b.rejections();
  for (int i = 0; i < 3; ++i) {
    const CircuitCheck c = b.check(t0 + milliseconds(5000));
    CHECK(c.verdict == Verdict::rejected);
    CHECK(c.retry_after == milliseconds(0));
    CHECK_FALSE(c.transition);
  }
  CHECK(b.rejections() == before + 3);
  CHECK(b.state() == CircuitState::half_open);
}

TEST_CASE("HalfOpen closes after circuit_half_open_successes trial successes, one at a time") {
  CircuitBreaker b = opened_at(t0);
  const TimePoint t = t0 + milliseconds(1000);
  REQUIRE(b.check(t).verdict == Verdict::trial);
  CHECK_FALSE(b.on_success());
  CHECK(b.half_open_successes() == 1);
  CHECK_FALSE(b.trial_outstanding());
  CHECK(b.state() == CircuitState::half_open);

  // The first trial reported: the next check is the next trial, and it alone.
  CircuitCheck c = b.check(t);
  CHECK(c.verdict == Verdict::trial);
  CHECK_FALSE(c.transition);
  CHECK(b.check(t).verdict == Verdict::rejected);

  CHECK(b.on_success() == CircuitTransition::closed);
  CHECK(b.state() == CircuitState::closed);
  CHECK(b.consecutive_failures() == 0);
  CHECK(b.check(t).verdict == Verdict::allowed);
  CHECK(b.check(t).verdict == Verdict::allowed);
}

TEST_CASE("the default breaker needs three trial successes to close") {
  CircuitBreaker b;
  for (int i = 0; i < 5; ++i) b.on_failure(t0);
  const TimePoint t = t0 + milliseconds(30'000);
  for (int i = 0; i < 2; ++i) {
    REQUIRE(b.check(t).verdict == Verdict::trial);
    CHECK_FALSE(b.on_success());
  }
  REQUIRE(b.check(t).verdict == Verdict::trial);
  CHECK(b.on_success() == CircuitTransition::closed);
}

TEST_CASE("a failed trial re-opens the breaker for another circuit_open_ms from the failure") {
  CircuitBreaker b = opened_at(t0);
  const TimePoint t1 = t0 + milliseconds(1500);
  REQUIRE(b.check(t1).verdict == Verdict::trial);
  CHECK(b.on_failure(t1) == CircuitTransition::opened);
  CHECK(b.state() == CircuitState::open);
  CHECK(b.times_opened() == 2);
  CHECK(b.open_until() == t1 + milliseconds(1000));

  CircuitCheck c = b.check(t1 + milliseconds(999));
  CHECK(c.verdict == Verdict::rejected);
  CHECK(c.retry_after == milliseconds(1));
  c = b.check(t1 + milliseconds(1000));
  CHECK(c.verdict == Verdict::trial);
  CHECK(c.transition == CircuitTransition::half_opened);
}

TEST_CASE("a failure after some trial successes re-opens and the successes start over") {
  CircuitBreaker b = opened_at(t0);
  TimePoint t = t0 + milliseconds(1000);
  REQUIRE(b.check(t).verdict == Verdict::trial);
  CHECK_FALSE(b.on_success());
  REQUIRE(b.check(t).verdict == Verdict::trial);
  CHECK(b.on_failure(t) == CircuitTransition::opened);
  CHECK(b.half_open_successes() == 0);

  t += milliseconds(1000);
  REQUIRE(b.check(t).verdict == Verdict::trial);
  CHECK_FALSE(b.on_success());  // 1 of 2 again, not 2 of 2
  CHECK(b.state() == CircuitState::half_open);
}

TEST_CASE("a cancelled trial frees the slot for the next check without counting") {
  CircuitBreaker b = opened_at(t0);
  const TimePoint t = t0 + milliseconds(1000);
  REQUIRE(b.check(t).verdict == Verdict::trial);
  REQUIRE(b.check(t).verdict == Verdict::rejected);
  b.on_cancelled();
  CHECK_FALSE(b.trial_outstanding());
  CHECK(b.half_open_successes() == 0);
  CHECK(b.state() == CircuitState::half_open);
  CHECK(b.check(t).verdict == Verdict::trial);
}

TEST_CASE("a cancellation outside HalfOpen changes nothing") {
  CircuitBreaker b(small_config());
  b.on_failure(t0);
  b.on_failure(t0);
  b.on_cancelled();
  CHECK(b.consecutive_failures() == 2);
  CHECK(b.on_failure(t0) == CircuitTransition::opened);
  b.on_cancelled();
  CHECK(b.state() == CircuitState::open);
  CHECK(b.check(t0).verdict == Verdict::rejected);
}

TEST_CASE("results reported while Open change nothing") {
  CircuitBreaker b = opened_at(t0);
  CHECK_FALSE(b.on_failure(t0 + milliseconds(500)));
  CHECK_FALSE(b.on_success());
  CHECK(b.state() == CircuitState::open);
  CHECK(b.times_opened() == 1);
  CHECK(b.open_until() == t0 + milliseconds(1000));  // not extended by the late failure
}

TEST_CASE("after closing, the full threshold of failures is needed to open again") {
  CircuitBreaker b = opened_at(t0);
  const TimePoint t = t0 + milliseconds(1000);
  for (int i = 0; i < 2; ++i) {
    REQUIRE(b.check(t).verdict == Verdict::trial);
    b.on_success();
  }
  REQUIRE(b.state() == CircuitState::closed);
  CHECK_FALSE(b.on_failure(t));
  CHECK_FALSE(b.on_failure(t));
  CHECK(b.on_failure(t) == CircuitTransition::opened);
  CHECK(b.times_opened() == 2);
}

TEST_CASE("thresholds of zero act as one") {
  CircuitBreakerConfig c = small_config();
  c.circuit_failure_threshold = 0;
  c.circuit_half_open_successes = 0;
  CircuitBreaker b(c);
  CHECK(b.on_failure(t0) == CircuitTransition::opened);
  REQUIRE(b.check(t0 + milliseconds(1000)).verdict == Verdict::trial);
  CHECK(b.on_success() == CircuitTransition::closed);
}

}  // namespace
}  // namespace weft::conn
