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

}  // namespace
}  // namespace weft::conn
