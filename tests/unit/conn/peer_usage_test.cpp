// Tests for src/conn/peer_usage.cpp: decay by half-life, ranking (count, then recency, then
// PeerId), top(k), the tracked-peer cap with eviction of the least used, forget.
#include "conn/peer_usage.hpp"

#include "test_peer_id.hpp"

#include <doctest/doctest.h>

namespace weft::conn {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using test::test_peer;

const TimePoint t0 = TimePoint{} + std::chrono::hours(1);
const milliseconds kHalfLife{300'000};

std::vector<PeerId> peers(std::initializer_list<std::uint8_t> ns) {
  std::vector<PeerId> out;
  for (const std::uint8_t n : ns) out.push_back(test_peer(n));
  return out;
}

void use(PeerUsage& u, std::uint8_t peer, int times, TimePoint at) {
  for (int i = 0; i < times; ++i) u.on_use(test_peer(peer), at);
}

TEST_CASE("defaults: half-life 300 s, 4096 tracked peers") {
  const PeerUsageConfig c;
  CHECK(c.usage_half_life_ms == kHalfLife);
  CHECK(c.max_tracked_peers == 4096);
}

TEST_CASE("an untracked peer has no count and no last use") {
  const PeerUsage u;
  CHECK(u.decayed_count(test_peer(1), t0) == 0.0);
  CHECK_FALSE(u.last_use(test_peer(1)));
  CHECK(u.top(5, t0).empty());
  CHECK(u.size() == 0);
}

TEST_CASE("a use counts 1, half after one half-life, a quarter after two") {
  PeerUsage u;
  use(u, 1, 1, t0);
  CHECK(u.decayed_count(test_peer(1), t0) == 1.0);
  CHECK(u.decayed_count(test_peer(1), t0 + kHalfLife - milliseconds(1)) > 0.5);
  CHECK(u.decayed_count(test_peer(1), t0 + kHalfLife) == 0.5);
  CHECK(u.decayed_count(test_peer(1), t0 + 2 * kHalfLife) == 0.25);
  CHECK(u.last_use(test_peer(1)) == t0);
}

TEST_CASE("uses add to the decayed count") {
  PeerUsage u;
  use(u, 1, 3, t0);
  CHECK(u.decayed_count(test_peer(1), t0) == 3.0);
  use(u, 1, 1, t0 + kHalfLife);
  CHECK(u.decayed_count(test_peer(1), t0 + kHalfLife) == 2.5);
  CHECK(u.last_use(test_peer(1)) == t0 + kHalfLife);
}

TEST_CASE("top ranks by decayed count, so old heavy use yields to recent use") {
  PeerUsage u;
  use(u, 1, 4, t0);                   // 4 -> 0.5 after three half-lives
  use(u, 2, 1, t0 + 3 * kHalfLife);   // 1
  use(u, 3, 2, t0 + 3 * kHalfLife);   // 2
  CHECK(u.top(3, t0) == peers({1, 3, 2}));  // before the decay, peer 1 led
  CHECK(u.top(3, t0 + 3 * kHalfLife) == peers({3, 2, 1}));
}

TEST_CASE("equal decayed counts rank by recency; one just ahead ranks first") {
  PeerUsage u;
  use(u, 1, 2, t0);             // 2 -> 1.0 at t0 + half-life
  use(u, 2, 1, t0 + kHalfLife);  // 1.0, more recent
  const TimePoint now = t0 + kHalfLife;
  REQUIRE(u.decayed_count(test_peer(1), now) == u.decayed_count(test_peer(2), now));
  CHECK(u.top(2, now) == peers({2, 1}));

  PeerUsage v;
  use(v, 1, 2, t0 + milliseconds(1));  // a hair above 1.0 at `now`, though older than peer 2
  use(v, 2, 1, t0 + kHalfLife);
  REQUIRE(v.decayed_count(test_peer(1), now) > 1.0);
  CHECK(v.top(2, now) == peers({1, 2}));
}

TEST_CASE("equal counts and times rank by PeerId, whatever the insertion order") {
  PeerUsage u;
  for (const std::uint8_t n : {5, 3, 9, 1, 7}) use(u, n, 1, t0);
  CHECK(u.top(5, t0) == peers({1, 3, 5, 7, 9}));
}

TEST_CASE("top(k) returns min(k, size) peers") {
  PeerUsage u;
  use(u, 1, 3, t0);
  use(u, 2, 2, t0);
  use(u, 3, 1, t0);
  CHECK(u.top(0, t0).empty());
  CHECK(u.top(2, t0) == peers({1, 2}));
  CHECK(u.top(3, t0) == peers({1, 2, 3}));
  CHECK(u.top(10, t0) == peers({1, 2, 3}));
}

TEST_CASE("at the cap, a new peer evicts the least used; below it nothing is evicted") {
  PeerUsageConfig c;
  c.max_tracked_peers = 3;
  PeerUsage u(c);
  use(u, 1, 5, t0);
  use(u, 2, 1, t0);
  use(u, 3, 3, t0);
  CHECK(u.size() == 3);  // exactly at the cap
  CHECK(u.evictions() == 0);
  use(u, 4, 1, t0 + seconds(1));  // just past it
  CHECK(u.size() == 3);
  CHECK(u.evictions() == 1);
  CHECK_FALSE(u.last_use(test_peer(2)));
  CHECK(u.decayed_count(test_peer(4), t0 + seconds(1)) == 1.0);
}

TEST_CASE("a tracked peer's use at the cap evicts nothing") {
  PeerUsageConfig c;
  c.max_tracked_peers = 2;
  PeerUsage u(c);
  use(u, 1, 1, t0);
  use(u, 2, 1, t0);
  use(u, 1, 1, t0);
  use(u, 2, 1, t0);
  CHECK(u.size() == 2);
  CHECK(u.evictions() == 0);
}

TEST_CASE("a flood of one-off peers never evicts a busy peer") {
  PeerUsageConfig c;
  c.max_tracked_peers = 4;
  PeerUsage u(c);
  use(u, 200, 10, t0);
  for (std::uint8_t n = 0; n < 100; ++n) use(u, n, 1, t0 + seconds(n));
  CHECK(u.size() == 4);
  CHECK(u.evictions() == 97);
  CHECK(u.top(1, t0 + seconds(100)) == peers({200}));
}

TEST_CASE("eviction ties go to the oldest use, then the largest PeerId") {
  PeerUsageConfig c;
  c.max_tracked_peers = 2;
  c.usage_half_life_ms = milliseconds(0);  // no decay: counts stay equal
  PeerUsage u(c);
  use(u, 1, 1, t0 + seconds(1));
  use(u, 2, 1, t0);  // older: evicted first
  use(u, 3, 1, t0 + seconds(2));
  CHECK(u.top(2, t0 + seconds(2)) == peers({3, 1}));

  PeerUsage v(c);
  use(v, 1, 1, t0);
  use(v, 2, 1, t0);  // same count and time: the larger PeerId goes
  use(v, 3, 1, t0);
  CHECK(v.top(2, t0) == peers({1, 3}));
}

TEST_CASE("a cap of zero tracks nothing") {
  PeerUsageConfig c;
  c.max_tracked_peers = 0;
  PeerUsage u(c);
  use(u, 1, 1, t0);
  CHECK(u.size() == 0);
  CHECK(u.top(1, t0).empty());
}

TEST_CASE("forget drops a peer and its count") {
  PeerUsage u;
  use(u, 1, 3, t0);
  use(u, 2, 1, t0);
  u.forget(test_peer(1));
  u.forget(test_peer(9));  // untracked: no effect
  CHECK(u.size() == 1);
  CHECK(u.decayed_count(test_peer(1), t0) == 0.0);
  CHECK(u.top(2, t0) == peers({2}));
  use(u, 1, 1, t0);
  CHECK(u.decayed_count(test_peer(1), t0) == 1.0);
}

// on_use() remembers the entry it touched last, so that a run of uses of one peer does
// not hash its PeerId each time. Erasing that entry (forget, eviction) must clear it.
TEST_CASE("uses of one peer in a row, then of others, count each peer exactly") {
  PeerUsageConfig c;
  c.usage_half_life_ms = milliseconds(0);  // no decay: plain counts
  PeerUsage u(c);
  use(u, 1, 3, t0);
  use(u, 2, 2, t0);
  use(u, 1, 1, t0);
  CHECK(u.decayed_count(test_peer(1), t0) == 4.0);
  CHECK(u.decayed_count(test_peer(2), t0) == 2.0);
  CHECK(u.last_use(test_peer(1)) == t0);
}

TEST_CASE("a forgotten peer used again starts from zero, also right after its last use") {
  PeerUsageConfig c;
  c.usage_half_life_ms = milliseconds(0);
  PeerUsage u(c);
  use(u, 1, 5, t0);
  u.forget(test_peer(1));
  CHECK(u.size() == 0);
  use(u, 1, 1, t0 + seconds(1));
  CHECK(u.decayed_count(test_peer(1), t0 + seconds(1)) == 1.0);
  CHECK(u.last_use(test_peer(1)) == t0 + seconds(1));
  CHECK(u.size() == 1);
  u.forget(test_peer(2));  // untracked: the remembered entry (peer 1) stays valid
  use(u, 1, 1, t0 + seconds(1));
  CHECK(u.decayed_count(test_peer(1), t0 + seconds(1)) == 2.0);
}

TEST_CASE("a peer evicted right after its last use is tracked afresh when used again") {
  PeerUsageConfig c;
  c.usage_half_life_ms = milliseconds(0);
  c.max_tracked_peers = 1;
  PeerUsage u(c);
  use(u, 1, 1, t0);
  use(u, 2, 3, t0 + seconds(1));  // evicts peer 1
  CHECK(u.evictions() == 1);
  CHECK(u.decayed_count(test_peer(1), t0 + seconds(1)) == 0.0);
  use(u, 2, 1, t0 + seconds(2));
  CHECK(u.decayed_count(test_peer(2), t0 + seconds(2)) == 4.0);
  use(u, 1, 1, t0 + seconds(3));  // the cap is one peer: peer 2 makes room
  CHECK(u.evictions() == 2);
  CHECK(u.size() == 1);
  CHECK(u.decayed_count(test_peer(1), t0 + seconds(3)) == 1.0);
  CHECK(u.decayed_count(test_peer(2), t0 + seconds(3)) == 0.0);
}

TEST_CASE("a copy of a PeerUsage counts on its own") {
  PeerUsageConfig c;
  c.usage_half_life_ms = milliseconds(0);
  PeerUsage u(c);
  use(u, 1, 2, t0);
  PeerUsage copy = u;
  use(copy, 1, 1, t0);
  use(u, 1, 5, t0);
  CHECK(copy.decayed_count(test_peer(1), t0) == 3.0);
  CHECK(u.decayed_count(test_peer(1), t0) == 7.0);
  PeerUsage moved = std::move(copy);
  use(moved, 1, 1, t0);
  CHECK(moved.decayed_count(test_peer(1), t0) == 4.0);
  u = moved;
  use(u, 1, 1, t0);
  CHECK(u.decayed_count(test_peer(1), t0) == 5.0);
  CHECK(moved.decayed_count(test_peer(1), t0) == 4.0);
}

}  // namespace
}  // namespace weft::conn
