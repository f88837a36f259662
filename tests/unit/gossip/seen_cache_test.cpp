// SeenCache: duplicates refused, the TTL exact to the tick, the entry cap with evictions.

#include "gossip/seen_cache.hpp"

#include <doctest/doctest.h>

using namespace weft::gossip;

namespace {
const TimePoint t0 = TimePoint{} + std::chrono::hours(1);
}

TEST_CASE("seen cache: a second insert of the same id is refused") {
  SeenCache c(std::chrono::minutes(2), 10);
  CHECK(c.insert("a", t0));
  CHECK_FALSE(c.insert("a", t0 + ms(5)));
  CHECK(c.contains("a", t0 + ms(5)));
  CHECK_FALSE(c.contains("b", t0));
  CHECK(c.size() == 1);
}

TEST_CASE("seen cache: an entry lives exactly ttl") {
  SeenCache c(std::chrono::minutes(2), 10);
  CHECK(c.insert("a", t0));
  CHECK(c.contains("a", t0 + std::chrono::minutes(2) - ms(1)));
  CHECK_FALSE(c.contains("a", t0 + std::chrono::minutes(2)));
  c.expire(t0 + std::chrono::minutes(2) - ms(1));
  CHECK(c.size() == 1);
  c.expire(t0 + std::chrono::minutes(2));
  CHECK(c.size() == 0);
  // Once expired the id can be recorded again (and insert expires on its own).
  CHECK(c.insert("b", t0 + ms(1)));
  CHECK(c.insert("b", t0 + ms(1) + std::chrono::minutes(2)));
  CHECK(c.size() == 1);
}

TEST_CASE("seen cache: the entry cap drops the oldest and counts it") {
  SeenCache c(std::chrono::minutes(2), 3);
  CHECK(c.insert("a", t0));
  CHECK(c.insert("b", t0 + ms(1)));
  CHECK(c.insert("c", t0 + ms(2)));
  CHECK(c.evictions() == 0);
  CHECK(c.insert("d", t0 + ms(3)));
  CHECK(c.size() == 3);
  CHECK(c.evictions() == 1);
  CHECK_FALSE(c.contains("a", t0 + ms(3)));
  CHECK(c.contains("b", t0 + ms(3)));
  CHECK(c.contains("d", t0 + ms(3)));
}

TEST_CASE("seen cache: erase forgets an id") {
  SeenCache c(std::chrono::minutes(2), 3);
  CHECK(c.insert("a", t0));
  c.erase("a");
  c.erase("never");
  CHECK_FALSE(c.contains("a", t0));
  CHECK(c.insert("a", t0));
  CHECK(c.size() == 1);
}

TEST_CASE("seen cache: a zero cap keeps nothing") {
  SeenCache c(std::chrono::minutes(2), 0);
  CHECK(c.insert("a", t0));
  CHECK(c.insert("a", t0));
  CHECK(c.size() == 0);
}
