#pragma once
// The time types of the connection table's policy parts. Core code never reads a clock:
// every function that needs the time takes `now` from its caller (the table's driver reads
// std::chrono::steady_clock once per event and passes it down).

#include <chrono>

namespace weft::conn {

/// A monotonic instant; only differences between two of them mean anything.
using TimePoint = std::chrono::steady_clock::time_point;

}  // namespace weft::conn
