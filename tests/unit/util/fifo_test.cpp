// Tests for src/util/fifo.hpp: order, no memory while empty, reclaiming popped slots,
// erase_if keeping order, iteration over the live items only.
#include "util/fifo.hpp"

#include <doctest/doctest.h>

#include <deque>
#include <random>
#include <string>
#include <vector>

namespace weft::util {
namespace {

std::vector<int> items(const Fifo<int>& f) { return {f.begin(), f.end()}; }

TEST_CASE("fifo: items come out in the order they went in; an empty queue holds no memory") {
  Fifo<int> f;
  CHECK(f.empty());
  CHECK(f.heap_bytes() == 0);
  for (int i = 0; i < 5; ++i) f.push_back(i);
  CHECK(f.size() == 5);
  CHECK(f.heap_bytes() > 0);
  for (int i = 0; i < 5; ++i) {
    REQUIRE_FALSE(f.empty());
    CHECK(f.front() == i);
    f.pop_front();
  }
  CHECK(f.empty());
  CHECK(f.heap_bytes() == 0);
}

TEST_CASE("fifo: popped slots are reclaimed, so a queue that never empties stays within twice its items") {
  Fifo<int> f;
  for (int i = 0; i < 10; ++i) f.push_back(i);
  for (int i = 10; i < 100'000; ++i) {
    f.push_back(i);
    CHECK(f.front() == i - 10);
    f.pop_front();
  }
  CHECK(f.size() == 10);
  CHECK(f.heap_bytes() <= 64 * sizeof(int));
  CHECK(items(f) == std::vector<int>{99'990, 99'991, 99'992, 99'993, 99'994, 99'995, 99'996, 99'997, 99'998,
                                     99'999});
}

TEST_CASE("fifo: erase_if removes the matching live items, keeps the rest in order, and frees when empty") {
  Fifo<int> f;
  for (int i = 0; i < 40; ++i) f.push_back(i);
  for (int i = 0; i < 20; ++i) f.pop_front();  // a popped prefix must not be touched
  CHECK(f.erase_if([](int v) { return v % 2 == 0; }) == 10);
  CHECK(items(f) == std::vector<int>{21, 23, 25, 27, 29, 31, 33, 35, 37, 39});
  CHECK(f.erase_if([](int) { return true; }) == 10);
  CHECK(f.empty());
  CHECK(f.heap_bytes() == 0);
}

TEST_CASE("fifo: agrees with std::deque over a random mix of operations") {
  std::mt19937 rng(42);
  Fifo<std::string> f;
  std::deque<std::string> d;
  for (int step = 0; step < 20'000; ++step) {
    const auto op = rng() % 10;
    if (op < 5) {
      const auto value = std::to_string(rng());
      f.push_back(value);
      d.push_back(value);
    } else if (op < 9 && !d.empty()) {
      REQUIRE(f.front() == d.front());
      f.pop_front();
      d.pop_front();
    } else if (op == 9) {
      const char digit = static_cast<char>('0' + rng() % 10);
      f.erase_if([digit](const std::string& s) { return s.back() == digit; });
      std::erase_if(d, [digit](const std::string& s) { return s.back() == digit; });
    }
    REQUIRE(f.size() == d.size());
  }
  CHECK(std::vector<std::string>(f.begin(), f.end()) == std::vector<std::string>(d.begin(), d.end()));
}

}  // namespace
}  // namespace weft::util
