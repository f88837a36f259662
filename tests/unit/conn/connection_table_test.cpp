// The connection table (src/conn/connection_table*): reuse, single flight, scaling out,
// waiting and exhaustion, dial retries, the circuit breaker, simultaneous dials, inbound
// limits and shutdown, driven with a fake clock through the public API.

#include "connection_table_harness.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <string>

using namespace weft;
using namespace weft::conn;
using namespace std::chrono_literals;
using weft::test::TableHarness;
using weft::test::test_peer;
using State = ConnectionState;
using Kind = TableEvent::Kind;

TEST_CASE("table: the first acquire dials; the grant comes once the dial succeeds") {
  TableHarness h;
  const PeerId peer = test_peer(2);
  const auto id = h.acquire(peer);
  const auto dial = h.take_one<DialAction>();
  CHECK(dial.peer == peer);
  CHECK(dial.addresses == TableHarness::addresses_of(9));
  CHECK(h.table.state(dial.connection) == State::connecting);
  CHECK(h.take<GrantAction>().empty());
  CHECK(h.table.stats().waiting_acquirers == 1);

  h.now += 25ms;
  h.dial_succeeds(dial);
  const auto grant = h.take_one<GrantAction>();
  CHECK(grant.acquire == id);
  CHECK(grant.connection == dial.connection);
  CHECK(h.table.state(dial.connection) == State::ready);
  CHECK(h.table.leases(dial.connection) == 1);
  CHECK(h.take_events(Kind::connected).size() == 1);
  const auto stats = h.table.stats();
  CHECK(stats.connections_created == 1);
  CHECK(stats.average_connect_ms() == doctest::Approx(25.0));
  CHECK(stats.waiting_acquirers == 0);
  CHECK(stats.leased_streams == 1);
}

TEST_CASE("table: later acquires reuse the connection; releases free the slots") {
  TableHarness h;
  const PeerId peer = test_peer(2);
  const auto first = h.connect(peer);
  for (int i = 0; i < 3; ++i) {
    h.acquire(peer);
    CHECK(h.take<DialAction>().empty());
    CHECK(h.take_one<GrantAction>().connection == first.connection);
  }
  CHECK(h.table.leases(first.connection) == 4);
  auto stats = h.table.stats();
  CHECK(stats.acquired == 4);
  CHECK(stats.connections_reused == 3);
  CHECK(stats.hit_rate() == doctest::Approx(0.75));
  CHECK(stats.reuse_rate() == doctest::Approx(3.0));
  h.table.release(first.lease, {}, h.now);
  CHECK(h.table.leases(first.connection) == 3);
  h.table.release(first.lease, {}, h.now);  // twice: ignored
  CHECK(h.table.leases(first.connection) == 3);
}

TEST_CASE("table: concurrent acquires for one peer share one dial (single flight)") {
  TableHarness h;
  const PeerId peer = test_peer(2);
  std::vector<AcquireId> ids;
  for (int i = 0; i < 5; ++i) ids.push_back(h.acquire(peer));
  const auto dials = h.take<DialAction>();
  REQUIRE(dials.size() == 1);
  h.dial_succeeds(dials[0]);
  const auto grants = h.take<GrantAction>();
  REQUIRE(grants.size() == 5);
  for (std::size_t i = 0; i < grants.size(); ++i) {
    CHECK(grants[i].acquire == ids[i]);  // in arrival order
    CHECK(grants[i].connection == dials[0].connection);
  }
  CHECK(h.table.stats().connections_reused == 0);  // all served by a connection dialed for them
}

TEST_CASE("table: a second connection is dialed only past streams_before_new_connection") {
  ConnectionTableConfig config;
  config.streams_before_new_connection = 2;
  TableHarness h(config);
  const PeerId peer = test_peer(2);
  const auto a = h.connect(peer);
  h.acquire(peer);
  CHECK(h.take_one<GrantAction>().connection == a.connection);
  CHECK(h.take<DialAction>().empty());
  // The third lease still goes to A (it has room) and a second connection is dialed.
  h.acquire(peer);
  CHECK(h.take_one<GrantAction>().connection == a.connection);
  const auto dial_b = h.take_one<DialAction>();
  h.dial_succeeds(dial_b);
  // Now the least loaded connection (B, no leases) gets the next lease.
  h.acquire(peer);
  CHECK(h.take_one<GrantAction>().connection == dial_b.connection);
  CHECK(h.table.connections(peer).size() == 2);
  CHECK(h.table.stats().connections_per_peer.at(peer) == 2);
}

TEST_CASE("table: at the stream limit an acquire waits, and a release serves it") {
  ConnectionTableConfig config;
  config.max_streams_per_connection = 2;
  config.max_connections_per_peer = 1;
  TableHarness h(config);
  const PeerId peer = test_peer(2);
  const auto a = h.connect(peer);
  h.acquire(peer);
  h.take_one<GrantAction>();
  CHECK(h.table.state(a.connection) == State::busy);
  CHECK(h.table.in_state(State::busy).count(a.connection) == 1);

  const auto waiting = h.acquire(peer);
  CHECK(h.take<GrantAction>().empty());
  CHECK(h.take<DialAction>().empty());  // the per-peer limit forbids a second connection
  const auto exhausted = h.take_events(Kind::pool_exhausted);
  REQUIRE(exhausted.size() == 1);
  CHECK(exhausted[0].reason == Errc::pool_exhausted);
  CHECK(exhausted[0].reason.detail().find("max_connections_per_peer") != std::string::npos);
  CHECK(h.table.stats().waiting_acquirers == 1);

  h.table.release(a.lease, {}, h.now);
  h.drain();
  const auto grant = h.take_one<GrantAction>();
  CHECK(grant.acquire == waiting);
  CHECK(grant.connection == a.connection);
  CHECK(h.table.state(a.connection) == State::busy);
  CHECK(h.table.stats().connections_reused == 1);
}

TEST_CASE("table: a release serves the waiters of its own connection's peer; reused lease records stay exact") {
  // Lease records are reused after release: each lease must still free its own
  // connection's slot, and serve that connection's peer.
  ConnectionTableConfig config;
  config.max_streams_per_connection = 1;
  config.max_connections_per_peer = 1;
  TableHarness h(config);
  const PeerId p = test_peer(2);
  const PeerId q = test_peer(3);
  auto on_p = h.connect(p);
  auto on_q = h.connect(q);
  for (int round = 0; round < 5; ++round) {
    const auto waiting_q = h.acquire(q);
    const auto waiting_p = h.acquire(p);
    CHECK(h.take<GrantAction>().empty());
    h.table.release(on_q.lease, {}, h.now);  // q's slot: q's waiter, not p's
    h.drain();
    const auto grant_q = h.take_one<GrantAction>();
    CHECK(grant_q.acquire == waiting_q);
    CHECK(grant_q.connection == on_q.connection);
    CHECK(h.table.leases(on_p.connection) == 1);
    h.table.release(on_p.lease, {}, h.now);
    h.drain();
    const auto grant_p = h.take_one<GrantAction>();
    CHECK(grant_p.acquire == waiting_p);
    CHECK(grant_p.connection == on_p.connection);
    CHECK(h.table.stats().leased_streams == 2);
    CHECK(h.table.stats().waiting_acquirers == 0);
    on_p = grant_p;
    on_q = grant_q;
  }
  h.table.release(on_p.lease, {}, h.now);
  CHECK(h.table.leases(on_p.connection) == 0);
  CHECK(h.table.leases(on_q.connection) == 1);
  h.table.release(on_q.lease, {}, h.now);
  CHECK(h.table.leases(on_q.connection) == 0);
  CHECK(h.table.stats().leased_streams == 0);
}

TEST_CASE("table: actions queued while the driver polls come after the earlier ones, in order") {
  TableHarness h;
  const PeerId p = test_peer(2);
  h.connect(p);
  const auto a1 = h.table.acquire(p, {}, h.now);
  const auto a2 = h.table.acquire(p, {}, h.now);
  auto first = h.table.poll_action();
  REQUIRE(first);
  CHECK(std::get<GrantAction>(*first).acquire == a1);
  const auto a3 = h.table.acquire(p, {}, h.now);  // queued while a2's grant is still pending
  auto second = h.table.poll_action();
  auto third = h.table.poll_action();
  REQUIRE(second);
  REQUIRE(third);
  CHECK(std::get<GrantAction>(*second).acquire == a2);
  CHECK(std::get<GrantAction>(*third).acquire == a3);
  CHECK_FALSE(h.table.poll_action());

  // A burst of 200 (more than the queue keeps storage for), then the queue as usual.
  std::vector<AcquireId> burst;
  for (int i = 0; i < 200; ++i) burst.push_back(h.table.acquire(h.local, {}, h.now));  // each fails at once
  for (const AcquireId id : burst) {
    auto action = h.table.poll_action();
    REQUIRE(action);
    CHECK(std::get<FailAction>(*action).acquire == id);
  }
  CHECK_FALSE(h.table.poll_action());
  const auto after = h.table.acquire(p, {}, h.now);
  auto grant = h.table.poll_action();
  REQUIRE(grant);
  CHECK(std::get<GrantAction>(*grant).acquire == after);
  CHECK_FALSE(h.table.poll_action());
}

TEST_CASE("table: a waiting acquire fails after acquire_timeout_ms naming the limit") {
  ConnectionTableConfig config;
  config.max_streams_per_connection = 1;
  config.max_connections_per_peer = 1;
  config.acquire_timeout_ms = 5000ms;
  TableHarness h(config);
  const PeerId peer = test_peer(2);
  h.connect(peer);
  const auto waiting = h.acquire(peer);
  h.take_events(Kind::pool_exhausted);
  h.advance(4999ms);
  CHECK(h.take<FailAction>().empty());
  h.advance(1ms);
  const auto fail = h.take_one<FailAction>();
  CHECK(fail.acquire == waiting);
  CHECK(fail.reason == Errc::pool_exhausted);
  CHECK(fail.reason.detail().find("max_streams_per_connection") != std::string::npos);
  CHECK(h.table.stats().acquires_timed_out == 1);
  CHECK(h.table.stats().waiting_acquirers == 0);
  CHECK(h.take_events(Kind::pool_exhausted).size() == 1);
}

TEST_CASE("table: the total limit makes acquires for new peers wait until a connection closes") {
  ConnectionTableConfig config;
  config.max_total_connections = 1;
  TableHarness h(config);
  const auto a = h.connect(test_peer(2));
  const auto waiting = h.acquire(test_peer(3));
  CHECK(h.take<DialAction>().empty());
  const auto exhausted = h.take_events(Kind::pool_exhausted);
  REQUIRE(exhausted.size() == 1);
  CHECK(exhausted[0].reason.detail().find("max_total_connections") != std::string::npos);

  h.table.handle_closed(a.connection, Error(Errc::channel_closed, "peer left"), h.now);
  h.drain();
  const auto dial = h.take_one<DialAction>();
  CHECK(dial.peer == test_peer(3));
  h.dial_succeeds(dial);
  CHECK(h.take_one<GrantAction>().acquire == waiting);
}

TEST_CASE("table: a waiting acquire can be cancelled") {
  TableHarness h;
  const auto id = h.acquire(test_peer(2));
  const auto dial = h.take_one<DialAction>();
  h.table.cancel(id, h.now);
  CHECK(h.table.stats().waiting_acquirers == 0);
  h.dial_succeeds(dial);
  CHECK(h.take<GrantAction>().empty());
  CHECK(h.take<FailAction>().empty());
}

TEST_CASE("table: max_waiting_acquirers bounds the waiting acquires") {
  ConnectionTableConfig config;
  config.max_waiting_acquirers = 2;
  TableHarness h(config);
  h.acquire(test_peer(2));
  h.acquire(test_peer(2));
  const auto third = h.acquire(test_peer(2));
  const auto fail = h.take_one<FailAction>();
  CHECK(fail.acquire == third);
  CHECK(fail.reason == Errc::pool_exhausted);
  CHECK(fail.reason.detail().find("max_waiting_acquirers") != std::string::npos);
}

TEST_CASE("table: a failed dial is retried with backoff while acquires wait") {
  ConnectionTableConfig config;
  config.acquire_timeout_ms = 60'000ms;
  TableHarness h(config);
  const PeerId peer = test_peer(2);
  const auto id = h.acquire(peer);
  h.dial_fails(h.take_one<DialAction>());
  CHECK(h.take<FailAction>().empty());
  CHECK(h.table.stats().connections_failed == 1);
  CHECK(h.table.connections(peer).empty());
  // The first retry comes within [min_backoff_ms, initial_backoff_ms] = [100, 1000] ms.
  const auto deadline = h.table.next_deadline();
  REQUIRE(deadline.has_value());
  CHECK(*deadline - h.now >= 100ms);
  CHECK(*deadline - h.now <= 1000ms);
  h.advance(std::chrono::duration_cast<std::chrono::milliseconds>(*deadline - h.now) - 1ms);
  CHECK(h.take<DialAction>().empty());
  h.advance(1ms);
  h.dial_succeeds(h.take_one<DialAction>());
  CHECK(h.take_one<GrantAction>().acquire == id);
}

TEST_CASE("table: when retries run out, waiting acquires fail with the dial's error") {
  ConnectionTableConfig config;
  config.acquire_timeout_ms = 600'000ms;
  config.circuit.circuit_failure_threshold = 100;  // keep the breaker out of it
  TableHarness h(config);
  const PeerId peer = test_peer(2);
  const auto id = h.acquire(peer);
  int dials = 0;
  for (;;) {
    auto dial = h.take<DialAction>();
    if (dial.empty()) {
      const auto deadline = h.table.next_deadline();
      REQUIRE(deadline.has_value());
      h.advance(std::chrono::duration_cast<std::chrono::milliseconds>(*deadline - h.now) + 1ms);
      dial = h.take<DialAction>();
      if (dial.empty()) break;
    }
    ++dials;
    h.dial_fails(dial[0]);
    if (!h.take<FailAction>().empty()) break;
    REQUIRE(dials < 10);
  }
  CHECK(dials == 4);  // the first dial and max_retry_attempts (3) retries
  CHECK(h.table.stats().connections_failed == 4);
  // The series is over: a new acquire waits out the cool-down (a dial comes later, as a
  // new series); reset_backoff ends the cool-down and dials for it at once.
  const auto again = h.acquire(peer);
  CHECK(h.take<DialAction>().empty());
  CHECK(h.take<FailAction>().empty());
  h.table.reset_backoff(peer, h.now);
  h.drain();
  CHECK(h.take<DialAction>().size() == 1);
  CHECK(h.take<FailAction>().empty());
  (void)id;
  (void)again;
}

TEST_CASE("table: an acquire whose deadline comes before the cool-down ends fails at once with the time left") {
  ConnectionTableConfig config;
  config.acquire_timeout_ms = 50ms;
  config.backoff.max_retry_attempts = 0;  // the first failure ends the series
  config.backoff.initial_backoff_ms = 1'000ms;
  config.backoff.min_backoff_ms = 1'000ms;  // the cool-down is exactly 1000 ms
  TableHarness h(config);
  const PeerId peer = test_peer(2);
  h.acquire(peer);
  h.dial_fails(h.take_one<DialAction>());
  CHECK(h.take_one<FailAction>().reason == Errc::dial_failed);
  h.now += 400ms;
  const auto id = h.acquire(peer);
  CHECK(h.take<DialAction>().empty());
  const auto fail = h.take_one<FailAction>();
  CHECK(fail.acquire == id);
  CHECK(fail.reason == Errc::dial_failed);
  CHECK(fail.reason.detail().find("retries exhausted") != std::string::npos);
  CHECK(fail.reason.detail().find("next dial in 600 ms") != std::string::npos);
  h.now += 600ms;  // the cool-down is over: dial
  h.acquire(peer);
  CHECK(h.take<DialAction>().size() == 1);
}

TEST_CASE("table: the circuit opens after consecutive failures, fails fast, then closes after a trial") {
  ConnectionTableConfig config;
  config.circuit.circuit_failure_threshold = 2;
  config.circuit.circuit_open_ms = 30'000ms;
  config.circuit.circuit_half_open_successes = 1;
  config.backoff.max_retry_attempts = 0;  // each acquire makes one dial
  TableHarness h(config);
  const PeerId peer = test_peer(2);
  for (int i = 0; i < 2; ++i) {
    h.acquire(peer);
    h.dial_fails(h.take_one<DialAction>());
    const auto fail = h.take_one<FailAction>();
    if (i == 0) CHECK(fail.reason == Errc::dial_failed);
    if (i == 1) CHECK(fail.reason == Errc::circuit_open);
    h.table.reset_backoff(peer, h.now);
  }
  CHECK(h.take_events(Kind::circuit_opened).size() == 1);

  h.now += 10'000ms;
  h.acquire(peer);
  CHECK(h.take<DialAction>().empty());  // no dial storm while open
  const auto fast = h.take_one<FailAction>();
  CHECK(fast.reason == Errc::circuit_open);
  CHECK(fast.reason.detail().find("retry in 20000 ms") != std::string::npos);

  h.now += 20'000ms;  // open_ms has passed: one trial
  const auto trial = h.acquire(peer);
  const auto dial = h.take_one<DialAction>();
  h.acquire(peer);  // a second acquire waits on the trial instead of dialing
  CHECK(h.take<DialAction>().empty());
  h.dial_succeeds(dial);
  CHECK(h.take<GrantAction>().size() == 2);
  CHECK(h.take_events(Kind::circuit_closed).size() == 1);
  (void)trial;
}

TEST_CASE("table: simultaneous dials keep the connection dialed by the smaller PeerId, on both sides") {
  // Local 1 < peer 2: keep ours (outbound); close the inbound one.
  TableHarness low({}, 1);
  // Local 3 > peer 2: keep theirs (inbound); close our outbound one.
  TableHarness high({}, 3);
  for (TableHarness* h : {&low, &high}) {
    const PeerId peer = test_peer(2);
    h->acquire(peer);
    const auto dial = h->take_one<DialAction>();
    const auto inbound = h->table.handle_inbound(peer, h->now);
    REQUIRE(inbound.has_value());
    h->drain();
    const auto early = h->take<GrantAction>();  // the waiter is served by the inbound connection
    REQUIRE(early.size() == 1);
    h->table.release(early[0].lease, {}, h->now);
    h->now += 10ms;
    h->dial_succeeds(dial);
    const bool keep_ours = h == &low;
    const ConnectionId loser = keep_ours ? inbound.value() : dial.connection;
    const ConnectionId winner = keep_ours ? dial.connection : inbound.value();
    // The loser takes no new leases at once, but stays open for the window so that the
    // peer's streams in flight on it are not refused.
    CHECK(h->take<CloseAction>().empty());
    CHECK(h->table.state(loser) == State::draining);
    h->acquire(peer);
    CHECK(h->take_one<GrantAction>().connection == winner);
    h->advance(4'000ms);
    CHECK(h->take<CloseAction>().empty());
    h->advance(30'000ms);  // past simultaneous_dial_window_ms, at the next cleanup
    const auto close = h->take_one<CloseAction>();
    CHECK(close.connection == loser);
    CHECK(close.graceful);
    CHECK(close.reason.detail().find("simultaneous dial") != std::string::npos);
    CHECK(h->table.state(close.connection) == State::closed);
    h->table.handle_closed(close.connection, close.reason, h->now);
    CHECK(h->table.connections(peer).size() == 1);
  }
}

TEST_CASE("table: connections established far apart are not a simultaneous dial") {
  TableHarness h;
  const PeerId peer = test_peer(2);
  h.connect(peer);
  h.now += 10'000ms;
  REQUIRE(h.table.handle_inbound(peer, h.now).has_value());
  h.drain();
  CHECK(h.take<CloseAction>().empty());
  CHECK(h.table.connections(peer).size() == 2);
}

TEST_CASE("table: inbound connections are refused past their limits with the limit named") {
  ConnectionTableConfig config;
  config.max_inbound_connections = 2;
  config.max_connections_per_peer = 1;
  TableHarness h(config);
  CHECK(h.table.handle_inbound(test_peer(2), h.now).has_value());
  auto same_peer = h.table.handle_inbound(test_peer(2), h.now);
  REQUIRE_FALSE(same_peer.has_value());
  CHECK(same_peer.error().detail().find("max_connections_per_peer") != std::string::npos);
  const auto second = h.table.handle_inbound(test_peer(3), h.now);
  CHECK(second.has_value());
  auto over = h.table.handle_inbound(test_peer(4), h.now);
  REQUIRE_FALSE(over.has_value());
  CHECK(over.error() == Errc::pool_exhausted);
  CHECK(over.error().detail().find("max_inbound_connections") != std::string::npos);
  // Outbound slots are untouched by the inbound limit.
  h.connect(test_peer(5));
  // A closed inbound connection frees its slot.
  h.table.handle_closed(second.value(), Error(Errc::channel_closed), h.now);
  CHECK(h.table.handle_inbound(test_peer(4), h.now).has_value());
}

TEST_CASE("table: inbound connections are refused at max_total_connections") {
  ConnectionTableConfig config;
  config.max_total_connections = 1;
  TableHarness h(config);
  h.connect(test_peer(2));
  auto refused = h.table.handle_inbound(test_peer(3), h.now);
  REQUIRE_FALSE(refused.has_value());
  CHECK(refused.error().detail().find("max_total_connections") != std::string::npos);
}

TEST_CASE("table: acquiring our own PeerId fails") {
  TableHarness h;
  h.acquire(h.local);
  CHECK(h.take_one<FailAction>().reason == Errc::handshake_self_dial);
}

TEST_CASE("table: a peer without a known address fails at once") {
  TableHarness h;
  h.table.acquire(test_peer(2), {}, h.now);
  h.drain();
  const auto fail = h.take_one<FailAction>();
  CHECK(fail.reason == Errc::dial_failed);
  CHECK(fail.reason.detail().find("no known address") != std::string::npos);
}

TEST_CASE("table: a connection the peer closes leaves the table; its leases end harmlessly") {
  TableHarness h;
  const PeerId peer = test_peer(2);
  const auto grant = h.connect(peer);
  h.table.handle_closed(grant.connection, Error(Errc::channel_closed, "closed by the peer"), h.now);
  h.drain();
  const auto gone = h.take_events(Kind::disconnected);
  REQUIRE(gone.size() == 1);
  CHECK(gone[0].reason.detail() == "closed by the peer");
  CHECK_FALSE(h.table.state(grant.connection).has_value());
  CHECK(h.table.stats().connections_closed == 1);
  h.table.release(grant.lease, {}, h.now);
  CHECK(h.table.stats().leased_streams == 0);
  CHECK(h.table.stats().open_connections() == 0);
}

TEST_CASE("table: shutdown fails waiters, closes idle connections and drains leased ones") {
  TableHarness h;
  const auto leased = h.connect(test_peer(2));
  const auto idle = h.connect(test_peer(3));
  h.table.release(idle.lease, {}, h.now);
  const auto waiting = h.acquire(test_peer(4));
  h.take<DialAction>();
  h.table.shutdown(h.now);
  h.drain();
  const auto fail = h.take_one<FailAction>();
  CHECK(fail.acquire == waiting);
  CHECK(fail.reason == Errc::pool_closed);
  const auto close = h.take_one<CloseAction>();
  CHECK(close.connection == idle.connection);
  CHECK(h.table.state(leased.connection) == State::draining);
  h.table.release(leased.lease, {}, h.now);
  h.drain();
  CHECK(h.take_one<CloseAction>().connection == leased.connection);
  h.acquire(test_peer(2));
  CHECK(h.take_one<FailAction>().reason == Errc::pool_closed);
  CHECK_FALSE(h.table.handle_inbound(test_peer(5), h.now).has_value());
}

TEST_CASE("table: statistics count connections by state and per peer") {
  ConnectionTableConfig config;
  config.max_streams_per_connection = 1;
  TableHarness h(config);
  h.connect(test_peer(2));       // busy (1 of 1 stream)
  h.acquire(test_peer(3));       // connecting
  h.take<DialAction>();
  REQUIRE(h.table.handle_inbound(test_peer(4), h.now).has_value());  // ready
  const auto s = h.table.stats();
  CHECK(s.busy == 1);
  CHECK(s.connecting == 1);
  CHECK(s.ready == 1);
  CHECK(s.draining == 0);
  CHECK(s.open_connections() == 3);
  CHECK(s.connections_per_peer.size() == 3);
  CHECK(s.leased_streams == 1);
  CHECK(s.waiting_acquirers == 1);
  CHECK(s.summary().find("connections 3") != std::string::npos);
}
