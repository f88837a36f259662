#pragma once
// The clock of `weft-bench gossip`: CLOCK_MONOTONIC in ns, which is system-wide on Linux,
// so readings taken in different processes compare directly (the anchor's clock, too).

#include <cstdint>
#include <ctime>

namespace weft::bench {

inline std::uint64_t monotonic_ns() {
  timespec t{};
  clock_gettime(CLOCK_MONOTONIC, &t);
  return std::uint64_t(t.tv_sec) * 1'000'000'000u + std::uint64_t(t.tv_nsec);
}

/// Sleeps until monotonic_ns() >= `deadline_ns` (returns at once when it has passed).
inline void sleep_until_ns(std::uint64_t deadline_ns) {
  const timespec t{static_cast<time_t>(deadline_ns / 1'000'000'000u), static_cast<long>(deadline_ns % 1'000'000'000u)};
  while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &t, nullptr) != 0) {
  }
}

}  // namespace weft::bench
