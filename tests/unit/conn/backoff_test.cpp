// Tests for src/conn/backoff.cpp: the ceilings grow by the multiplier and cap, every delay
// lies in [floor, ceiling(n)], the jitter spreads, the attempts run out and reset.
#include "conn/backoff.hpp"

#include "seeded_unit_random.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cstddef>
#include <memory>
#include <vector>

namespace weft::conn {
namespace {

using std::chrono::milliseconds;

// Returns `values` in order, then repeats the last one.
UnitRandom scripted(std::vector<double> values) {
  auto next = std::make_shared<std::size_t>(0);
  return [values = std::move(values), next] {
    const double v = values[std::min(*next, values.size() - 1)];
    ++*next;
    return v;
  };
}

UnitRandom constant(double u) { return scripted({u}); }

TEST_CASE("defaults: 3 retries, 1 s initial, x2, capped at 60 s, floor 100 ms") {
  const BackoffConfig c;
  CHECK(c.max_retry_attempts == 3);
  CHECK(c.initial_backoff_ms == milliseconds(1000));
  CHECK(c.backoff_multiplier == 2.0);
  CHECK(c.max_backoff_ms == milliseconds(60'000));
  CHECK(c.min_backoff_ms == milliseconds(100));
}

TEST_CASE("ceilings grow by the multiplier and cap at max_backoff_ms") {
  BackoffConfig c;
  c.max_backoff_ms = milliseconds(5000);
  const Backoff b(c, constant(0.0));
  CHECK(b.ceiling(1) == milliseconds(1000));
  CHECK(b.ceiling(2) == milliseconds(2000));
  CHECK(b.ceiling(3) == milliseconds(4000));
  CHECK(b.ceiling(4) == milliseconds(5000));  // 8000 capped
  CHECK(b.ceiling(200) == milliseconds(5000));  // 2^199 s overflows nothing
  CHECK(b.floor() == milliseconds(100));
}

TEST_CASE("a ceiling exactly at the cap and one just past it both give the cap") {
  BackoffConfig c;
  c.max_backoff_ms = milliseconds(4000);
  const Backoff at(c, constant(0.0));
  CHECK(at.ceiling(3) == milliseconds(4000));
  c.max_backoff_ms = milliseconds(3999);
  const Backoff past(c, constant(0.0));
  CHECK(past.ceiling(2) == milliseconds(2000));
  CHECK(past.ceiling(3) == milliseconds(3999));
}

TEST_CASE("the draw maps linearly onto [floor, ceiling]") {
  BackoffConfig c;
  c.max_retry_attempts = 10;
  Backoff low(c, constant(0.0));
  CHECK(low.next_delay() == milliseconds(100));
  CHECK(low.next_delay() == milliseconds(100));

  Backoff mid(c, constant(0.5));
  CHECK(mid.next_delay() == milliseconds(550));   // 100 + 0.5 * 900
  CHECK(mid.next_delay() == milliseconds(1050));  // 100 + 0.5 * 1900
  CHECK(mid.next_delay() == milliseconds(2050));  // 100 + 0.5 * 3900

  Backoff high(c, constant(0.999999));
  CHECK(high.next_delay() == milliseconds(999));
  CHECK(high.next_delay() == milliseconds(1999));
}

TEST_CASE("draws outside [0, 1) are clamped into the range") {
  BackoffConfig c;
  Backoff b(c, scripted({-3.0, 1.0, 7.5}));
  CHECK(b.next_delay() == milliseconds(100));
  CHECK(b.next_delay() == milliseconds(2000));
  CHECK(b.next_delay() == milliseconds(4000));
}

TEST_CASE("with a fixed draw the delays grow and then stay at the cap") {
  BackoffConfig c;
  c.max_retry_attempts = 12;
  c.max_backoff_ms = milliseconds(30'000);
  Backoff b(c, constant(0.5));
  milliseconds previous{0};
  std::vector<milliseconds> seen;
  while (const auto d = b.next_delay()) seen.push_back(*d);
  REQUIRE(seen.size() == 12);
  for (std::size_t i = 0; i < seen.size(); ++i) {
    CHECK(seen[i] >= previous);
    previous = seen[i];
  }
  CHECK(seen[4] < seen[5]);                       // 16 s ceiling < 30 s cap
  CHECK(seen[5] == milliseconds(100 + 14'950));   // ceiling 32 s capped at 30 s
  CHECK(seen.back() == seen[5]);
}

TEST_CASE("seeded: every delay lies in its attempt's range, and the jitter spreads") {
  BackoffConfig c;
  c.max_retry_attempts = 8;
  c.max_backoff_ms = milliseconds(20'000);
  Backoff b(c, test::seeded_unit_random(7));
  std::vector<milliseconds> lowest(9, milliseconds::max());
  std::vector<milliseconds> highest(9, milliseconds::min());
  int out_of_range = 0;
  for (int run = 0; run < 500; ++run) {
    b.reset();
    for (std::uint32_t n = 1; n <= 8; ++n) {
      const auto d = b.next_delay();
      REQUIRE(d);
      if (*d < b.floor() || *d > b.ceiling(n)) ++out_of_range;
      lowest[n] = std::min(lowest[n], *d);
      highest[n] = std::max(highest[n], *d);
    }
    CHECK_FALSE(b.next_delay());
  }
  CHECK(out_of_range == 0);
  // 500 uniform draws cover most of each range; a broken jitter (a constant, or a range
  // collapsed to one end) does not.
  for (std::uint32_t n = 1; n <= 8; ++n) {
    const auto span = b.ceiling(n) - b.floor();
    CHECK(lowest[n] - b.floor() < span / 20);
    CHECK(b.ceiling(n) - highest[n] < span / 20);
  }
}

TEST_CASE("the same seed gives the same delays") {
  Backoff a(BackoffConfig{}, test::seeded_unit_random(3));
  Backoff b(BackoffConfig{}, test::seeded_unit_random(3));
  Backoff other(BackoffConfig{}, test::seeded_unit_random(4));
  std::vector<milliseconds> da, db, dother;
  for (int i = 0; i < 3; ++i) {
    da.push_back(*a.next_delay());
    db.push_back(*b.next_delay());
    dother.push_back(*other.next_delay());
  }
  CHECK(da == db);
  CHECK(da != dother);
}

TEST_CASE("max_retry_attempts delays are given, then nullopt, until reset") {
  Backoff b(BackoffConfig{}, constant(0.0));
  CHECK(b.attempts() == 0);
  CHECK(b.next_delay());
  CHECK(b.next_delay());
  CHECK(b.next_delay());
  CHECK(b.attempts() == 3);
  CHECK_FALSE(b.next_delay());
  CHECK_FALSE(b.next_delay());
  CHECK(b.attempts() == 3);
  b.reset();
  CHECK(b.attempts() == 0);
  CHECK(b.next_delay());
}

TEST_CASE("reset restarts the growth from the first ceiling") {
  Backoff b(BackoffConfig{}, constant(1.0));
  CHECK(b.next_delay() == milliseconds(1000));
  CHECK(b.next_delay() == milliseconds(2000));
  b.reset();
  CHECK(b.next_delay() == milliseconds(1000));
}

TEST_CASE("delay_for draws in any attempt's range without counting an attempt") {
  Backoff b(BackoffConfig{}, constant(1.0));
  CHECK(b.delay_for(4) == milliseconds(8000));  // past max_retry_attempts: still a delay
  CHECK(b.delay_for(1) == milliseconds(1000));
  CHECK(b.attempts() == 0);
  Backoff low(BackoffConfig{}, constant(0.0));
  CHECK(low.delay_for(4) == milliseconds(100));  // the floor
}

TEST_CASE("zero retries: no delay at all") {
  BackoffConfig c;
  c.max_retry_attempts = 0;
  Backoff b(c, constant(0.5));
  CHECK_FALSE(b.next_delay());
  CHECK(b.attempts() == 0);
}

TEST_CASE("a floor above the ceiling wins, and a cap below the floor wins over both") {
  BackoffConfig c;
  c.initial_backoff_ms = milliseconds(50);
  c.min_backoff_ms = milliseconds(100);
  Backoff b(c, constant(0.5));
  CHECK(b.next_delay() == milliseconds(100));  // ceiling 50 < floor
  CHECK(b.next_delay() == milliseconds(100));  // ceiling 100 == floor
  CHECK(b.next_delay() == milliseconds(150));  // ceiling 200: 100 + 0.5 * 100

  c.max_backoff_ms = milliseconds(80);
  Backoff capped(c, constant(0.5));
  CHECK(capped.floor() == milliseconds(80));
  CHECK(capped.next_delay() == milliseconds(80));
  CHECK(capped.next_delay() == milliseconds(80));
}

TEST_CASE("a multiplier below 1 acts as 1: the delay never shrinks") {
  BackoffConfig c;
  c.backoff_multiplier = 0.5;
  const Backoff b(c, constant(0.0));
  CHECK(b.ceiling(1) == milliseconds(1000));
  CHECK(b.ceiling(3) == milliseconds(1000));
}

}  // namespace
}  // namespace weft::conn
