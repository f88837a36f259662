// Tests for src/conn/peer_backoff.cpp: ready at once, not before the scheduled instant (at
// and just before it), the end of a retry series and its cool-down, reset and success.
#include "conn/peer_backoff.hpp"

#include <doctest/doctest.h>

namespace weft::conn {
namespace {

using std::chrono::milliseconds;

const TimePoint t0 = TimePoint{} + std::chrono::hours(1);

// Every draw is 1.0: delays are exactly the ceilings 1000, 2000, 4000 ms.
PeerBackoff at_ceiling() {
  return PeerBackoff(BackoffConfig{}, [] { return 1.0; });
}

TEST_CASE("a peer that never failed is ready at once") {
  const PeerBackoff p = at_ceiling();
  CHECK(p.ready(t0));
  CHECK(p.ready_at(t0) == t0);
  CHECK_FALSE(p.series_ended());
  CHECK_FALSE(p.failed_since_reset());
  CHECK(p.attempts() == 0);
}

TEST_CASE("after a failure the peer is not ready until the delay has passed, inclusive") {
  PeerBackoff p = at_ceiling();
  CHECK(p.on_failure(t0) == t0 + milliseconds(1000));
  CHECK_FALSE(p.ready(t0));
  CHECK(p.ready_at(t0) == t0 + milliseconds(1000));
  CHECK_FALSE(p.ready(t0 + milliseconds(999)));
  CHECK(p.ready_at(t0 + milliseconds(999)) == t0 + milliseconds(1000));
  CHECK(p.ready(t0 + milliseconds(1000)));
  CHECK(p.ready_at(t0 + milliseconds(1000)) == t0 + milliseconds(1000));
  CHECK(p.ready_at(t0 + milliseconds(5000)) == t0 + milliseconds(5000));
}

TEST_CASE("each failure schedules from its own instant with the next delay") {
  PeerBackoff p = at_ceiling();
  p.on_failure(t0);
  const TimePoint t1 = t0 + milliseconds(1200);
  CHECK(p.on_failure(t1) == t1 + milliseconds(2000));
  const TimePoint t2 = t1 + milliseconds(2500);
  CHECK(p.on_failure(t2) == t2 + milliseconds(4000));
  CHECK(p.attempts() == 3);
  CHECK_FALSE(p.series_ended());
}

TEST_CASE("the failure after the last retry ends the series with a cool-down, then a full budget") {
  PeerBackoff p = at_ceiling();
  for (int i = 0; i < 3; ++i) REQUIRE(p.on_failure(t0));
  const TimePoint end = t0 + milliseconds(10'000);
  CHECK_FALSE(p.on_failure(end));  // no automatic retry
  CHECK(p.series_ended());
  // The cool-down is what a fourth retry would have waited: ceiling 8000 ms.
  CHECK_FALSE(p.ready(end + milliseconds(7'999)));
  CHECK(p.ready_at(end) == end + milliseconds(8'000));
  CHECK(p.ready(end + milliseconds(8'000)));
  // The next series starts with the full budget and the first delay again.
  const TimePoint later = end + milliseconds(9'000);
  CHECK(p.on_failure(later) == later + milliseconds(1000));
  CHECK_FALSE(p.series_ended());
  CHECK(p.attempts() == 1);
}

TEST_CASE("reset makes a cooling-down peer ready at once with the full budget") {
  PeerBackoff p = at_ceiling();
  for (int i = 0; i < 4; ++i) p.on_failure(t0);
  REQUIRE(p.series_ended());
  p.reset();
  CHECK_FALSE(p.series_ended());
  CHECK_FALSE(p.failed_since_reset());
  CHECK(p.ready(t0));
  CHECK(p.on_failure(t0) == t0 + milliseconds(1000));
}

TEST_CASE("a success clears the schedule and the attempts") {
  PeerBackoff p = at_ceiling();
  p.on_failure(t0);
  p.on_failure(t0);
  p.on_success();
  CHECK(p.attempts() == 0);
  CHECK(p.ready(t0));
  CHECK(p.on_failure(t0) == t0 + milliseconds(1000));
}

}  // namespace
}  // namespace weft::conn
