// ConnectionTracker (src/node/connection_tracker): established time and health per
// connection, from the table's events, with the time passed in.

#include "node/connection_tracker.hpp"
#include "test_peer_id.hpp"

#include <doctest/doctest.h>

namespace weft::node {
namespace {

using Kind = conn::TableEvent::Kind;

conn::TableEvent event(Kind kind, conn::ConnectionId id) {
  return conn::TableEvent{kind, test::test_peer(1), id, conn::Direction::outbound, Error(), std::nullopt};
}

const conn::TimePoint t0{std::chrono::seconds(100)};

}  // namespace

TEST_CASE("connection tracker: connected starts tracking at now; disconnected forgets") {
  ConnectionTracker tracker;
  CHECK(!tracker.established_at(1));
  tracker.handle_event(event(Kind::connected, 1), t0);
  tracker.handle_event(event(Kind::connected, 2), t0 + std::chrono::seconds(5));
  CHECK(tracker.established_at(1) == t0);
  CHECK(tracker.established_at(2) == t0 + std::chrono::seconds(5));
  CHECK(tracker.tracked() == 2);
  tracker.handle_event(event(Kind::disconnected, 1), t0 + std::chrono::seconds(6));
  CHECK(!tracker.established_at(1));
  CHECK(tracker.tracked() == 1);
  tracker.handle_event(event(Kind::disconnected, 7), t0);  // unknown: ignored
  CHECK(tracker.tracked() == 1);
}

TEST_CASE("connection tracker: degraded and recovered set and clear the flag") {
  ConnectionTracker tracker;
  tracker.handle_event(event(Kind::connected, 1), t0);
  CHECK(!tracker.degraded(1));
  tracker.handle_event(event(Kind::degraded, 1), t0);
  CHECK(tracker.degraded(1));
  tracker.handle_event(event(Kind::recovered, 1), t0);
  CHECK(!tracker.degraded(1));
  tracker.handle_event(event(Kind::degraded, 1), t0);
  tracker.handle_event(event(Kind::disconnected, 1), t0);
  CHECK(!tracker.degraded(1));  // gone
  tracker.handle_event(event(Kind::connected, 1), t0);  // an id seen again starts healthy
  CHECK(!tracker.degraded(1));
  // Health events for untracked connections track nothing.
  tracker.handle_event(event(Kind::degraded, 8), t0);
  CHECK(!tracker.degraded(8));
  CHECK(!tracker.established_at(8));
}

TEST_CASE("connection tracker: other events change nothing") {
  ConnectionTracker tracker;
  tracker.handle_event(event(Kind::connected, 1), t0);
  for (Kind kind : {Kind::circuit_opened, Kind::circuit_closed, Kind::pool_exhausted, Kind::lease_leaked}) {
    tracker.handle_event(event(kind, 1), t0 + std::chrono::seconds(1));
    tracker.handle_event(event(kind, 2), t0);
  }
  CHECK(tracker.tracked() == 1);
  CHECK(tracker.established_at(1) == t0);
  CHECK(!tracker.degraded(1));
}

}  // namespace weft::node
