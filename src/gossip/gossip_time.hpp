#pragma once
// Time in the gossip core: monotonic points passed in by the caller, never read here.

#include <chrono>

namespace weft::gossip {

using TimePoint = std::chrono::steady_clock::time_point;
using Duration = std::chrono::steady_clock::duration;

inline constexpr Duration ms(long long n) { return std::chrono::milliseconds(n); }

}  // namespace weft::gossip
