// Tests for src/conn/peer_backoff.cpp: ready at once, not before the scheduled instant (at
// and just before it), exhaustion, reset and success.
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
  CHECK_FALSE(p.exhausted());
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
  CHECK_FALSE(p.exhausted());
}

TEST_CASE("the failure after the last retry exhausts the peer until reset") {
  PeerBackoff p = at_ceiling();
  for (int i = 0; i < 3; ++i) REQUIRE(p.on_failure(t0));
  CHECK_FALSE(p.on_failure(t0 + milliseconds(10'000)));
  CHECK(p.exhausted());
  CHECK_FALSE(p.ready(t0 + std::chrono::hours(24)));
  CHECK_FALSE(p.ready_at(t0 + std::chrono::hours(24)));

  p.reset();
  CHECK_FALSE(p.exhausted());
  CHECK(p.ready(t0));
  CHECK(p.on_failure(t0) == t0 + milliseconds(1000));  // the full budget again
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
