// Review of the connection table core (src/conn/connection_table*): paths the other table
// tests do not reach, and the bugs the review found (each test under "fixed bugs" failed
// before its fix; its comment names the bug).

#include "connection_table_harness.hpp"

#include <doctest/doctest.h>

#include <string>

using namespace weft;
using namespace weft::conn;
using namespace std::chrono_literals;
using weft::test::TableHarness;
using weft::test::test_peer;
using State = ConnectionState;
using Kind = TableEvent::Kind;

namespace {

std::chrono::milliseconds until_deadline(const TableHarness& h) {
  const auto deadline = h.table.next_deadline();
  REQUIRE(deadline.has_value());
  return std::chrono::duration_cast<std::chrono::milliseconds>(*deadline - h.now);
}

/// Acquires `peer` and fails every dial the table makes for it (advancing the clock to
/// each retry) until the acquire fails. Returns the number of dials made.
int acquire_failing_every_dial(TableHarness& h, const PeerId& peer) {
  const auto id = h.acquire(peer);
  int dials = 0;
  for (int step = 0; step < 20; ++step) {
    for (const auto& fail : h.take<FailAction>()) {
      if (fail.acquire == id) return dials;
    }
    auto dial = h.take<DialAction>();
    if (dial.empty()) {
      h.advance(until_deadline(h));
      continue;
    }
    ++dials;
    h.dial_fails(dial.front());
  }
  FAIL("the acquire neither failed nor stopped dialing");
  return dials;
}


}  // namespace

// --- fixed bugs --------------------------------------------------------------------------------

// Was a bug (retries exhausted for good, ahead of the breaker): with the default config a peer is
// "exhausted" after 1 + max_retry_attempts = 4 failed dials, and an exhausted peer is never
// dialed again until someone calls reset_backoff. The breaker needs
// circuit_failure_threshold = 5 consecutive failures, so it never opens: no CircuitOpened,
// no fail-fast with the time left, no trial after circuit_open_ms (ABUSE.md row 25).
TEST_CASE("review: with the default config a peer whose dials keep failing opens its circuit") {
  TableHarness h;
  const PeerId peer = test_peer(2);
  int dials = 0;
  for (int i = 0; i < 5; ++i) {
    dials += acquire_failing_every_dial(h, peer);
    h.advance(1'000ms);
  }
  CHECK(dials >= 5);
  CHECK(h.take_events(Kind::circuit_opened).size() == 1);
}

// Was a bug (same cause): exhaustion never expires. An hour after the last failed dial an acquire
// still fails at once with "retries exhausted" instead of dialing (or making a trial).
TEST_CASE("review: a peer whose retries ran out is dialed again later without reset_backoff") {
  ConnectionTableConfig config;
  config.acquire_timeout_ms = 600'000ms;
  TableHarness h(config);
  const PeerId peer = test_peer(2);
  CHECK(acquire_failing_every_dial(h, peer) == 4);
  h.advance(3'600'000ms);
  h.acquire(peer);
  CHECK(h.take<FailAction>().empty());
  CHECK(h.take<DialAction>().size() == 1);
}

// Was a bug (backoff bypassed by a new acquire): when a failed dial's retry would come after the
// waiters' deadline, the waiters fail and retry_at is dropped; the next acquire then dials
// at once, although PeerBackoff says not before now + delay (acquire never consults
// backoff.ready_at). A caller that retries acquire in a loop makes a dial per acquire.
TEST_CASE("review: an acquire right after a failed dial does not dial before the backoff delay") {
  ConnectionTableConfig config;
  config.acquire_timeout_ms = 500ms;
  config.backoff.initial_backoff_ms = 1'000ms;
  config.backoff.min_backoff_ms = 1'000ms;  // every delay is exactly 1000 ms
  TableHarness h(config);
  const PeerId peer = test_peer(2);
  h.acquire(peer);
  h.dial_fails(h.take_one<DialAction>());
  CHECK(h.take_one<FailAction>().reason == Errc::dial_failed);  // retry (1000 ms) > deadline (500 ms)
  h.now += 10ms;
  h.acquire(peer);
  CHECK(h.take<DialAction>().empty());  // failed before the fix: dialed 10 ms after the failure
}

// Was a bug (waiters never served on recovery): check_health emits Recovered but does not serve the
// peer's waiters. With the per-peer limit reached by a degraded connection, an acquire waits;
// when the connection recovers nothing grants it, and it times out at acquire_timeout_ms.
TEST_CASE("review: a waiting acquire is served when its peer's degraded connection recovers") {
  ConnectionTableConfig config;
  config.health_check_interval_ms = 1'000ms;
  config.max_connections_per_peer = 1;
  config.acquire_timeout_ms = 600'000ms;
  TableHarness h(config);
  const PeerId peer = test_peer(2);
  h.connect_with_failed_streams(peer);
  h.advance(1'000ms);
  const auto degraded = h.take_events(Kind::degraded);
  REQUIRE(degraded.size() == 1);
  CHECK(degraded[0].reason == Errc::connection_degraded);
  CHECK(degraded[0].reason.detail().find("health score") != std::string::npos);
  const auto waiting = h.acquire(peer);
  REQUIRE(h.take<GrantAction>().empty());
  REQUIRE(h.take<DialAction>().empty());  // the per-peer limit forbids a second connection
  h.advance(200'000ms);
  REQUIRE(h.take_events(Kind::recovered).size() == 1);
  const auto grants = h.take<GrantAction>();
  REQUIRE(grants.size() == 1);  // failed before the fix: no grant until the acquire times out
  CHECK(grants[0].acquire == waiting);
}

// Was a bug (keep-alive peer not redialed after a dead connection): a connection the table itself
// closes as dead (keep-alive pings unanswered) is "closed by us", and handle_closed only
// schedules the keep-alive redial for closes it did not ask for. A dead connection is the
// drop keep-alive is for. (The pool driver does not call handle_ping_missed today, so in
// production the muxer closes such a connection itself and the redial does happen.)
TEST_CASE("review: a keep-alive peer whose connection is closed as dead is redialed") {
  TableHarness h(TableHarness::eviction_config());
  const PeerId peer = test_peer(2);
  const auto grant = h.connect(peer);
  h.table.release(grant.lease, {}, h.now);
  for (int i = 0; i < 3; ++i) h.table.handle_ping_missed(grant.connection, h.now);
  h.drain();
  const auto close = h.take_one<CloseAction>();
  CHECK_FALSE(close.graceful);
  h.table.handle_closed(close.connection, close.reason, h.now);
  h.drain();
  h.advance(1'000ms);
  CHECK(h.take<DialAction>().size() == 1);  // failed before the fix: never redialed
}

// Was a bug (simultaneous dial vs the per-peer limit): handle_inbound applies
// max_connections_per_peer before the tie-break, and a dial in progress counts. With
// max_connections_per_peer = 1 and both peers dialing at once, each side refuses the
// other's inbound connection, so each side's own dial is refused by the other: no
// connection survives (ABUSE.md row 27 asks for exactly one). Here the side with the larger
// PeerId refuses the inbound connection that its own rule says to keep.
TEST_CASE("review: at max_connections_per_peer the inbound half of a simultaneous dial that the rule keeps is "
          "admitted") {
  ConnectionTableConfig config;
  config.max_connections_per_peer = 1;
  TableHarness high(config, 3);  // local 3 > peer 2: the rule keeps the peer's dial (our inbound)
  const PeerId peer = test_peer(2);
  high.acquire(peer);
  const auto dial = high.take_one<DialAction>();
  const auto inbound = high.table.handle_inbound(peer, high.now);
  CHECK(inbound.has_value());  // failed before the fix: refused with max_connections_per_peer
  high.drain();
  // ... and our own dial, once established, is the one that gives way.
  high.dial_succeeds(dial);
  if (inbound.has_value()) CHECK(high.table.state(dial.connection) != State::ready);
}

// Was a bug (reset_backoff strands waiters): reset_backoff drops the scheduled retry (retry_at) even
// while acquires wait on it. Nothing dials afterwards unless another acquire arrives, and the
// waiters time out with pool_exhausted naming max_total_connections, with no connection open.
TEST_CASE("review: reset_backoff while acquires wait for a retry dials for them") {
  ConnectionTableConfig config;
  config.acquire_timeout_ms = 60'000ms;
  TableHarness h(config);
  const PeerId peer = test_peer(2);
  const auto waiting = h.acquire(peer);
  h.dial_fails(h.take_one<DialAction>());
  REQUIRE(h.take<FailAction>().empty());  // a retry is scheduled within 1000 ms
  h.table.reset_backoff(peer, h.now);
  h.advance(2'000ms);
  CHECK(h.take<DialAction>().size() == 1);  // failed before the fix: no dial at all
  h.advance(60'000ms);
  const auto fails = h.take<FailAction>();
  REQUIRE(fails.size() == 1);
  CHECK(fails[0].acquire == waiting);
  CHECK(fails[0].reason.detail().find("max_total_connections") == std::string::npos);  // failed before the fix
}

// Was a bug (per-peer records unbounded): a record stayed as long as any failure was
// remembered, and several paths never looked at it again.
TEST_CASE("review: per-peer records are forgotten when nothing needs them, failures after failed_peer_memory_ms") {
  ConnectionTableConfig config;
  config.cleanup_interval_ms = 10'000ms;
  config.failed_peer_memory_ms = 60'000ms;
  config.max_waiting_acquirers = 0;
  config.keep_alive_count = 0;  // no keep-alive redial keeps a record alive
  TableHarness h(config);
  // Refused at once (no waiting allowed): nothing to remember.
  h.acquire(test_peer(2));
  CHECK(h.take_one<FailAction>().reason == Errc::pool_exhausted);
  CHECK(h.table.tracked_peers() == 0);
  // A dial that failed is remembered (backoff, breaker) ...
  config.max_waiting_acquirers = 10;
  config.backoff.max_retry_attempts = 0;  // the first failure fails the acquire
  TableHarness f(config);
  f.acquire(test_peer(3));
  f.dial_fails(f.take_one<DialAction>());
  CHECK(f.take_one<FailAction>().reason == Errc::dial_failed);
  f.advance(30'000ms);
  CHECK(f.table.tracked_peers() == 1);
  // ... until failed_peer_memory_ms after the last failure (seen at the next cleanup).
  f.advance(20'000ms);
  CHECK(f.table.tracked_peers() == 1);
  f.advance(20'000ms);
  CHECK(f.table.tracked_peers() == 0);
  // A peer whose connection closed and that never failed is forgotten at once.
  const auto grant = f.connect(test_peer(4));
  f.table.release(grant.lease, {}, f.now);
  f.table.handle_closed(grant.connection, Error(Errc::channel_closed, "test"), f.now);
  CHECK(f.table.tracked_peers() == 0);
}

TEST_CASE("review: at max_connections_per_peer the side whose own dial the rule keeps refuses the inbound half") {
  ConnectionTableConfig config;
  config.max_connections_per_peer = 1;
  TableHarness low(config, 1);  // local 1 < peer 2: the rule keeps our dial
  const PeerId peer = test_peer(2);
  low.acquire(peer);
  const auto dial = low.take_one<DialAction>();
  const auto inbound = low.table.handle_inbound(peer, low.now);
  REQUIRE_FALSE(inbound.has_value());
  CHECK(inbound.error().detail().find("max_connections_per_peer") != std::string::npos);
  low.dial_succeeds(dial);
  CHECK(low.table.state(dial.connection) == State::ready);
  CHECK(low.table.leases(dial.connection) == 1);
}

// --- paths the other table tests do not cover ----------------------------------------------

TEST_CASE("review: go-away without leases closes at once; with leases it drains and closes on the last release") {
  TableHarness h;
  const auto idle = h.connect(test_peer(2));
  h.table.release(idle.lease, {}, h.now);
  h.table.handle_go_away(idle.connection, h.now);
  h.drain();
  auto close = h.take_one<CloseAction>();
  CHECK(close.connection == idle.connection);
  CHECK(close.reason == Errc::mux_session_closed);
  CHECK(h.table.state(idle.connection) == State::closed);

  const auto leased = h.connect(test_peer(3));
  h.table.handle_go_away(leased.connection, h.now);
  h.drain();
  CHECK(h.take<CloseAction>().empty());
  CHECK(h.table.state(leased.connection) == State::draining);
  // It takes no new lease: the next acquire dials.
  h.acquire(test_peer(3));
  CHECK(h.take<GrantAction>().empty());
  h.dial_succeeds(h.take_one<DialAction>());
  h.take_one<GrantAction>();
  h.table.release(leased.lease, {}, h.now);
  h.drain();
  close = h.take_one<CloseAction>();
  CHECK(close.connection == leased.connection);
  CHECK(close.graceful);
}

TEST_CASE("review: closing inbound connections on every path frees their inbound slots") {
  ConnectionTableConfig config = TableHarness::eviction_config();
  config.keep_alive_count = 0;
  config.max_inbound_connections = 3;
  TableHarness h(config);
  const auto a = h.table.handle_inbound(test_peer(2), h.now);  // closed by the peer
  const auto b = h.table.handle_inbound(test_peer(3), h.now);  // dead
  const auto c = h.table.handle_inbound(test_peer(4), h.now);  // idle eviction
  REQUIRE(a.has_value());
  REQUIRE(b.has_value());
  REQUIRE(c.has_value());
  h.drain();
  CHECK_FALSE(h.table.handle_inbound(test_peer(5), h.now).has_value());
  h.table.handle_closed(a.value(), Error(Errc::channel_closed), h.now);
  for (int i = 0; i < 3; ++i) h.table.handle_ping_missed(b.value(), h.now);
  h.advance(60'000ms);
  for (const auto& close : h.take<CloseAction>()) h.table.handle_closed(close.connection, close.reason, h.now);
  CHECK(h.table.in_state(State::ready).empty());
  CHECK(h.table.stats().open_connections() == 0);
  for (std::uint8_t p = 5; p < 8; ++p) CHECK(h.table.handle_inbound(test_peer(p), h.now).has_value());
  CHECK_FALSE(h.table.handle_inbound(test_peer(8), h.now).has_value());
}

TEST_CASE("review: a failed trial in half-open reopens the circuit and fails its waiters with circuit_open") {
  ConnectionTableConfig config;
  config.circuit.circuit_failure_threshold = 1;
  config.circuit.circuit_open_ms = 10'000ms;
  TableHarness h(config);
  const PeerId peer = test_peer(2);
  h.acquire(peer);
  h.dial_fails(h.take_one<DialAction>());
  CHECK(h.take_one<FailAction>().reason == Errc::circuit_open);
  CHECK(h.take_events(Kind::circuit_opened).size() == 1);
  h.now += 10'000ms;
  const auto trial = h.acquire(peer);
  const auto second = h.acquire(peer);  // waits on the one trial
  const auto dial = h.take_one<DialAction>();
  h.dial_fails(dial);
  const auto fails = h.take<FailAction>();
  REQUIRE(fails.size() == 2);
  CHECK(fails[0].acquire == trial);
  CHECK(fails[1].acquire == second);
  CHECK(fails[0].reason == Errc::circuit_open);
  CHECK(h.take_events(Kind::circuit_opened).size() == 1);
  h.now += 1'000ms;
  h.acquire(peer);
  const auto fast = h.take_one<FailAction>();
  CHECK(fast.reason.detail().find("retry in 9000 ms") != std::string::npos);
}

TEST_CASE("review: a waiter that expires while the dial runs fails once with connect_timeout; a cancelled one never") {
  ConnectionTableConfig config;
  config.acquire_timeout_ms = 1'000ms;
  TableHarness h(config);
  const PeerId peer = test_peer(2);
  const auto expires = h.acquire(peer);
  const auto dial = h.take_one<DialAction>();
  h.now += 500ms;
  const auto cancelled = h.acquire(peer);
  h.table.cancel(cancelled, h.now);
  h.advance(500ms);
  const auto fail = h.take_one<FailAction>();
  CHECK(fail.acquire == expires);
  CHECK(fail.reason == Errc::connect_timeout);
  CHECK(h.take_events(Kind::pool_exhausted).empty());  // waiting on a dial is not a limit
  h.advance(1'000ms);
  CHECK(h.take<FailAction>().empty());
  h.dial_succeeds(dial);
  CHECK(h.take<GrantAction>().empty());
  CHECK(h.table.stats().acquires_timed_out == 1);
  CHECK(h.table.stats().waiting_acquirers == 0);
}

TEST_CASE("review: a dial running at shutdown is closed when it succeeds; a connecting one closed by the driver counts "
          "as failed") {
  TableHarness h;
  h.acquire(test_peer(2));
  const auto ok = h.take_one<DialAction>();
  h.acquire(test_peer(3));
  const auto lost = h.take_one<DialAction>();
  h.table.handle_closed(lost.connection, Error(Errc::channel_closed, "socket gone"), h.now);
  h.drain();
  CHECK(h.table.stats().connections_failed == 1);
  CHECK_FALSE(h.table.state(lost.connection).has_value());
  CHECK(h.take<FailAction>().empty());  // its waiter waits for the retry
  h.table.shutdown(h.now);
  h.drain();
  const auto fails = h.take<FailAction>();
  REQUIRE(fails.size() == 2);
  for (const auto& fail : fails) CHECK(fail.reason == Errc::pool_closed);
  h.dial_succeeds(ok);
  const auto close = h.take_one<CloseAction>();
  CHECK(close.connection == ok.connection);
  CHECK(close.reason == Errc::pool_closed);
  CHECK(h.take<GrantAction>().empty());
}

TEST_CASE("review: deadlines of cancelled acquires only cause early ticks that do nothing") {
  ConnectionTableConfig config;
  config.acquire_timeout_ms = 1'000ms;
  config.cleanup_interval_ms = 60'000ms;
  config.health_check_interval_ms = 60'000ms;
  TableHarness h(config);
  const PeerId peer = test_peer(2);
  std::vector<AcquireId> ids;
  for (int i = 0; i < 2'000; ++i) {  // far past the rebuild bound of the wake-up queue
    ids.push_back(h.acquire(peer));
    h.now += 1ms;
  }
  REQUIRE(h.take<DialAction>().size() == 1);  // single flight
  for (std::size_t i = 0; i + 1 < ids.size(); ++i) h.table.cancel(ids[i], h.now);
  // The one live waiter's deadline is still reported; the stale ones come no later.
  const auto live_deadline = h.now - 1ms + 1'000ms;
  REQUIRE(h.table.next_deadline().has_value());
  CHECK(*h.table.next_deadline() <= live_deadline);
  while (*h.table.next_deadline() < live_deadline) {
    h.advance(until_deadline(h));
    CHECK(h.take<FailAction>().empty());
  }
  CHECK(*h.table.next_deadline() == live_deadline);
  h.advance(until_deadline(h));
  const auto fails = h.take<FailAction>();
  REQUIRE(fails.size() == 1);
  CHECK(fails[0].acquire == ids.back());
}
