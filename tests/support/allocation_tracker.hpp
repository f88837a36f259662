#pragma once
// Replaces the global operator new/delete of a test runner (link allocation_tracker.cpp
// into it) to record the largest single allocation made while tracking is on.

#include <cstddef>

namespace weft::test {

/// Starts recording; clears the previous maximum.
void start_tracking_allocations() noexcept;
/// Stops recording and returns the largest single allocation since start (0 if none).
std::size_t stop_tracking_allocations() noexcept;

}  // namespace weft::test
