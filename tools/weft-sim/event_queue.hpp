#pragma once
// Simulated time and the event queue. Time is integer nanoseconds since the start of the
// run, so it is exact and the same on every machine. Events at the same time come out in
// the order they were pushed (a sequence number breaks ties), which makes a run
// deterministic.

#include "gossip/gossip_time.hpp"

#include <cstdint>
#include <limits>
#include <queue>
#include <vector>

namespace weft::sim {

/// Nanoseconds since the start of the simulation.
using SimTime = std::int64_t;

inline constexpr SimTime kMillisecond = 1'000'000;
inline constexpr SimTime kSecond = 1'000'000'000;
inline constexpr SimTime kNoTick = std::numeric_limits<SimTime>::max();  ///< "no time set"

/// The router's clock at simulated time `t` (an arbitrary, fixed epoch plus t).
inline gossip::TimePoint to_time_point(SimTime t) {
  return gossip::TimePoint{} + std::chrono::hours(1) + std::chrono::nanoseconds(t);
}

/// What happens at an instant. `node`, `a` and `b` mean what the kind says (the
/// simulation defines the kinds).
struct Event {
  SimTime time = 0;
  std::uint64_t seq = 0;
  std::uint32_t kind = 0;
  std::uint32_t node = 0;
  std::uint32_t a = 0;
  std::uint32_t b = 0;
};

class EventQueue {
 public:
  /// Schedules an event; `time` before now() is moved to now() (nothing runs in the past).
  void push(SimTime time, std::uint32_t kind, std::uint32_t node, std::uint32_t a = 0, std::uint32_t b = 0) {
    heap_.push(Event{time < now_ ? now_ : time, next_seq_++, kind, node, a, b});
  }
  bool empty() const noexcept { return heap_.empty(); }
  std::size_t size() const noexcept { return heap_.size(); }
  /// The earliest event (ties: first pushed); advances now() to its time. Must not be empty.
  Event pop() {
    Event e = heap_.top();
    heap_.pop();
    now_ = e.time;
    ++popped_;
    return e;
  }
  /// The time of the earliest event. Must not be empty.
  SimTime peek_time() const { return heap_.top().time; }
  SimTime now() const noexcept { return now_; }
  std::uint64_t popped() const noexcept { return popped_; }

 private:
  struct Later {
    bool operator()(const Event& x, const Event& y) const noexcept {
      return x.time != y.time ? x.time > y.time : x.seq > y.seq;
    }
  };
  std::priority_queue<Event, std::vector<Event>, Later> heap_;
  std::uint64_t next_seq_ = 0;
  std::uint64_t popped_ = 0;
  SimTime now_ = 0;
};

}  // namespace weft::sim
