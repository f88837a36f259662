// Tests for src/conn/lease_tracker.cpp: overdue at and just past the threshold, each lease
// reported once and oldest first, the acquiring source location, release, pinning.
#include "conn/lease_tracker.hpp"

#include "test_peer_id.hpp"

#include <doctest/doctest.h>

#include <string_view>

namespace weft::conn {
namespace {

using std::chrono::milliseconds;
using test::test_peer;

const TimePoint t0 = TimePoint{} + std::chrono::hours(1);
const milliseconds kThreshold{60'000};

std::vector<LeaseId> ids(const std::vector<OverdueLease>& leases) {
  std::vector<LeaseId> out;
  for (const OverdueLease& l : leases) out.push_back(l.id);
  return out;
}

// Records with the caller's location, as the table's acquire() does for its caller.
void acquire(LeaseTracker& t, LeaseId id, TimePoint at, bool pinned = false,
             util::SourceLocation where = util::SourceLocation::current()) {
  REQUIRE(t.on_acquire(id, test_peer(static_cast<std::uint8_t>(id)), at, where, pinned));
}

TEST_CASE("a lease held exactly the threshold is not overdue; one millisecond more is") {
  LeaseTracker t;
  acquire(t, 1, t0);
  CHECK(t.overdue(t0 + kThreshold, kThreshold).empty());
  const auto late = t.overdue(t0 + kThreshold + milliseconds(1), kThreshold);
  REQUIRE(late.size() == 1);
  CHECK(late[0].id == 1);
  CHECK(late[0].peer == test_peer(1));
  CHECK(late[0].acquired_at == t0);
  CHECK(late[0].held == kThreshold + milliseconds(1));
  CHECK(t.reported() == 1);
}

TEST_CASE("each overdue lease is reported once, and stays tracked until released") {
  LeaseTracker t;
  acquire(t, 1, t0);
  CHECK(t.overdue(t0 + 2 * kThreshold, kThreshold).size() == 1);
  CHECK(t.overdue(t0 + 3 * kThreshold, kThreshold).empty());
  CHECK(t.overdue(t0 + 3 * kThreshold, milliseconds(0)).empty());
  CHECK(t.reported() == 1);
  CHECK(t.size() == 1);
  REQUIRE(t.find(1));
  CHECK(t.find(1)->reported);
  CHECK(t.on_release(1));
  CHECK(t.size() == 0);
}

TEST_CASE("overdue leases come oldest first, ties by id, and younger ones wait their turn") {
  LeaseTracker t;
  acquire(t, 7, t0 + milliseconds(10));
  acquire(t, 3, t0 + milliseconds(10));
  acquire(t, 5, t0);
  acquire(t, 9, t0 + milliseconds(500));
  CHECK(ids(t.overdue(t0 + kThreshold + milliseconds(11), kThreshold)) == std::vector<LeaseId>{5, 3, 7});
  CHECK(ids(t.overdue(t0 + kThreshold + milliseconds(501), kThreshold)) == std::vector<LeaseId>{9});
}

TEST_CASE("the report carries the source location of the acquire") {
  LeaseTracker t;
  const util::SourceLocation here = util::SourceLocation::current();
  acquire(t, 1, t0);  // the line after `here`
  const auto late = t.overdue(t0 + 2 * kThreshold, kThreshold);
  REQUIRE(late.size() == 1);
  CHECK(late[0].where.line() == here.line() + 1);
  CHECK(std::string_view(late[0].where.file_name()) == std::string_view(here.file_name()));
}

TEST_CASE("a released lease is never reported") {
  LeaseTracker t;
  acquire(t, 1, t0);
  acquire(t, 2, t0);
  CHECK(t.on_release(1));
  CHECK(ids(t.overdue(t0 + 2 * kThreshold, kThreshold)) == std::vector<LeaseId>{2});
  CHECK_FALSE(t.on_release(1));
  CHECK_FALSE(t.find(1));
}

TEST_CASE("a duplicate id is refused and the first record kept") {
  LeaseTracker t;
  acquire(t, 1, t0);
  CHECK_FALSE(t.on_acquire(1, test_peer(99), t0 + milliseconds(5), util::SourceLocation::current()));
  REQUIRE(t.find(1));
  CHECK(t.find(1)->peer == test_peer(1));
  CHECK(t.find(1)->acquired_at == t0);
  CHECK(t.size() == 1);
}

TEST_CASE("pinned leases are exempt, from acquisition or once pinned") {
  LeaseTracker t;
  acquire(t, 1, t0, /*pinned=*/true);
  acquire(t, 2, t0);
  CHECK(t.set_pinned(2, true));
  CHECK(t.overdue(t0 + 10 * kThreshold, kThreshold).empty());
  CHECK(t.reported() == 0);
  CHECK(t.find(1)->pinned);
  CHECK_FALSE(t.set_pinned(42, true));
}

TEST_CASE("an unpinned lease is reportable again, aged from its acquisition") {
  LeaseTracker t;
  acquire(t, 1, t0, /*pinned=*/true);
  CHECK(t.overdue(t0 + 2 * kThreshold, kThreshold).empty());
  CHECK(t.set_pinned(1, false));
  CHECK(ids(t.overdue(t0 + 2 * kThreshold, kThreshold)) == std::vector<LeaseId>{1});
}

TEST_CASE("unpinning a lease already reported does not report it again") {
  LeaseTracker t;
  acquire(t, 1, t0);
  REQUIRE(t.overdue(t0 + 2 * kThreshold, kThreshold).size() == 1);
  t.set_pinned(1, true);
  t.set_pinned(1, false);
  CHECK(t.overdue(t0 + 3 * kThreshold, kThreshold).empty());
  CHECK(t.reported() == 1);
}

TEST_CASE("a released pinned lease and a released reported lease leave nothing behind") {
  LeaseTracker t;
  acquire(t, 1, t0, /*pinned=*/true);
  acquire(t, 2, t0);
  REQUIRE(t.overdue(t0 + 2 * kThreshold, kThreshold).size() == 1);
  CHECK(t.on_release(1));
  CHECK(t.on_release(2));
  CHECK(t.size() == 0);
  // Ids may not be reused by the table, but the tracker copes if they are.
  acquire(t, 2, t0 + 2 * kThreshold);
  CHECK(t.overdue(t0 + 2 * kThreshold, kThreshold).empty());
  CHECK(t.overdue(t0 + 3 * kThreshold + milliseconds(1), kThreshold).size() == 1);
}

// Released records are reused for later leases (no allocation per lease): nothing of the
// old lease may show through.
TEST_CASE("a lease recorded in a reused record carries only its own peer, time, location and flags") {
  LeaseTracker t;
  const auto old_where = util::SourceLocation::current();
  REQUIRE(t.on_acquire(1, test_peer(1), t0, old_where, /*pinned=*/false));
  REQUIRE(t.overdue(t0 + 2 * kThreshold, kThreshold).size() == 1);  // reported
  REQUIRE(t.on_acquire(2, test_peer(2), t0, old_where, /*pinned=*/true));
  CHECK(t.on_release(1));
  CHECK(t.on_release(2));

  const TimePoint later = t0 + 10 * kThreshold;
  const auto new_where = util::SourceLocation::current();
  REQUIRE(t.on_acquire(3, test_peer(3), later, new_where, /*pinned=*/false));
  REQUIRE(t.on_acquire(4, test_peer(4), later + milliseconds(1), new_where, /*pinned=*/true));
  const LeaseRecord* three = t.find(3);
  REQUIRE(three != nullptr);
  CHECK(three->id == 3);
  CHECK(three->peer == test_peer(3));
  CHECK(three->acquired_at == later);
  CHECK(three->where.line() == new_where.line());
  CHECK_FALSE(three->pinned);
  CHECK_FALSE(three->reported);
  REQUIRE(t.find(4) != nullptr);
  CHECK(t.find(4)->peer == test_peer(4));
  CHECK(t.find(4)->pinned);
  CHECK(t.size() == 2);

  // Only 3 is watched: it is reported once, with its own record; 4 (pinned) is not.
  const auto late = t.overdue(later + 2 * kThreshold, kThreshold);
  REQUIRE(late.size() == 1);
  CHECK(late[0].id == 3);
  CHECK(late[0].peer == test_peer(3));
  CHECK(late[0].acquired_at == later);
  CHECK(late[0].where.line() == new_where.line());
  CHECK(t.overdue(later + 3 * kThreshold, kThreshold).empty());
  CHECK(t.reported() == 2);
}

TEST_CASE("acquiring a tracked id again changes nothing, also when a released record is at hand") {
  LeaseTracker t;
  acquire(t, 1, t0);
  acquire(t, 2, t0);
  CHECK(t.on_release(1));  // its record is kept for reuse
  CHECK_FALSE(t.on_acquire(2, test_peer(9), t0 + kThreshold, util::SourceLocation::current(), true));
  REQUIRE(t.find(2) != nullptr);
  CHECK(t.find(2)->peer == test_peer(2));
  CHECK(t.find(2)->acquired_at == t0);
  CHECK_FALSE(t.find(2)->pinned);
  CHECK(t.size() == 1);
  CHECK(ids(t.overdue(t0 + 2 * kThreshold, kThreshold)) == std::vector<LeaseId>{2});
  // The refused attempt left its record for reuse: the next lease is recorded as usual.
  acquire(t, 3, t0 + 3 * kThreshold);
  REQUIRE(t.find(3) != nullptr);
  CHECK(t.find(3)->peer == test_peer(3));
  CHECK(ids(t.overdue(t0 + 5 * kThreshold, kThreshold)) == std::vector<LeaseId>{3});
}

TEST_CASE("many leases acquired and released in turn are tracked exactly") {
  LeaseTracker t;
  // More live leases than records kept for reuse, released out of order, several rounds.
  for (int round = 0; round < 3; ++round) {
    const LeaseId base = static_cast<LeaseId>(round) * 100 + 1;
    const TimePoint at = t0 + static_cast<int>(round) * 10 * kThreshold;
    for (LeaseId id = base; id < base + 50; ++id) acquire(t, id, at + milliseconds(id - base));
    CHECK(t.size() == 50);
    for (LeaseId id = base + 1; id < base + 50; id += 2) CHECK(t.on_release(id));
    const auto late = t.overdue(at + kThreshold + milliseconds(100), kThreshold);
    REQUIRE(late.size() == 25);
    for (std::size_t i = 0; i < late.size(); ++i) {
      CHECK(late[i].id == base + 2 * i);
      CHECK(late[i].peer == test_peer(static_cast<std::uint8_t>(late[i].id)));
    }
    for (LeaseId id = base; id < base + 50; id += 2) CHECK(t.on_release(id));
    CHECK(t.size() == 0);
  }
}

}  // namespace
}  // namespace weft::conn
