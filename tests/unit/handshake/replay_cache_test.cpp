// Tests for src/handshake/replay_cache.cpp: duplicates, expiry (inclusive), capacity and
// evictions.
#include "handshake/replay_cache.hpp"

#include <doctest/doctest.h>

namespace weft::handshake {
namespace {

Nonce nonce(std::uint8_t b) {
  Nonce n{};
  n.fill(b);
  return n;
}

TEST_CASE("a nonce is refused while remembered, through its expiry inclusive") {
  ReplayCache cache;
  CHECK(cache.insert(nonce(1), 1000, 0));
  CHECK(cache.size() == 1);
  CHECK_FALSE(cache.insert(nonce(1), 5000, 10));
  CHECK_FALSE(cache.insert(nonce(1), 5000, 1000));  // last millisecond it lives
  CHECK(cache.insert(nonce(1), 5000, 1001));         // expired: accepted again, with a new expiry
  CHECK_FALSE(cache.insert(nonce(1), 9000, 5000));
  CHECK(cache.insert(nonce(2), 1000, 0));
}

TEST_CASE("expired entries are dropped as time passes") {
  ReplayCache cache;
  for (std::uint8_t i = 0; i < 10; ++i) CHECK(cache.insert(nonce(i), 100 + i, 0));
  CHECK(cache.size() == 10);
  CHECK(cache.insert(nonce(50), 1000, 105));  // 100..104 expire
  CHECK(cache.size() == 6);
  CHECK(cache.evictions() == 0);
}

TEST_CASE("an entry already past its expiry is not stored") {
  ReplayCache cache;
  CHECK(cache.insert(nonce(1), 10, 11));
  CHECK(cache.size() == 0);
}

TEST_CASE("at capacity the entry that expires soonest is evicted and counted") {
  ReplayCache cache(3);
  CHECK(cache.capacity() == 3);
  CHECK(cache.insert(nonce(1), 300, 0));
  CHECK(cache.insert(nonce(2), 100, 0));
  CHECK(cache.insert(nonce(3), 200, 0));
  CHECK(cache.insert(nonce(4), 400, 0));
  CHECK(cache.size() == 3);
  CHECK(cache.evictions() == 1);
  CHECK(cache.insert(nonce(2), 100, 0));  // the evicted one is forgotten
  CHECK(cache.evictions() == 2);           // ...and evicted nonce 3 (expiry 200)
  CHECK_FALSE(cache.insert(nonce(1), 300, 0));
  CHECK_FALSE(cache.insert(nonce(4), 400, 0));
}

TEST_CASE("a zero-capacity cache remembers nothing") {
  ReplayCache cache(0);
  CHECK(cache.insert(nonce(1), 100, 0));
  CHECK(cache.insert(nonce(1), 100, 0));
  CHECK(cache.size() == 0);
}

}  // namespace
}  // namespace weft::handshake
