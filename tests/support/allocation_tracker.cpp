// In its own translation unit so the compiler never sees new and delete inlined together
// (g++ 12 then warns about malloc/free pairing that is in fact consistent).

#include "allocation_tracker.hpp"

#include <atomic>
#include <cstdlib>
#include <new>

namespace {
std::atomic<bool> g_tracking{false};
std::atomic<std::size_t> g_largest{0};
}  // namespace

namespace weft::test {

void start_tracking_allocations() noexcept {
  g_largest = 0;
  g_tracking = true;
}

std::size_t stop_tracking_allocations() noexcept {
  g_tracking = false;
  return g_largest.load();
}

}  // namespace weft::test

void* operator new(std::size_t size) {
  if (g_tracking.load(std::memory_order_relaxed)) {
    std::size_t prev = g_largest.load();
    while (size > prev && !g_largest.compare_exchange_weak(prev, size)) {
    }
  }
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t size) { return operator new(size); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
