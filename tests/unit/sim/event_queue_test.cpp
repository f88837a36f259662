// The event queue: time order, ties in push order, nothing in the past.

#include "event_queue.hpp"

#include <doctest/doctest.h>

#include <vector>

using weft::sim::EventQueue;
using weft::sim::kMillisecond;

TEST_CASE("events come out in time order, ties in the order pushed") {
  EventQueue q;
  q.push(30, 1, 0);
  q.push(10, 2, 0);
  q.push(20, 3, 0);
  q.push(10, 4, 0);
  q.push(10, 5, 0);
  std::vector<std::uint32_t> kinds;
  std::vector<weft::sim::SimTime> times;
  while (!q.empty()) {
    const auto e = q.pop();
    kinds.push_back(e.kind);
    times.push_back(q.now());
  }
  CHECK(kinds == std::vector<std::uint32_t>{2, 4, 5, 3, 1});
  CHECK(times == std::vector<weft::sim::SimTime>{10, 10, 10, 20, 30});
  CHECK(q.popped() == 5);
}

TEST_CASE("an event pushed for the past runs now, after those already due now") {
  EventQueue q;
  q.push(5 * kMillisecond, 1, 0);
  q.push(5 * kMillisecond, 2, 0);
  CHECK(q.pop().kind == 1);
  q.push(1 * kMillisecond, 3, 0);  // in the past: clamped to now (5 ms), behind kind 2
  CHECK(q.peek_time() == 5 * kMillisecond);
  CHECK(q.pop().kind == 2);
  const auto e = q.pop();
  CHECK(e.kind == 3);
  CHECK(e.time == 5 * kMillisecond);
  CHECK(q.empty());
}

TEST_CASE("events carry their node and arguments") {
  EventQueue q;
  q.push(7, 9, 42, 5, 6);
  const auto e = q.pop();
  CHECK(e.node == 42);
  CHECK(e.a == 5);
  CHECK(e.b == 6);
}
