// The connection table's periodic work (src/conn/connection_table_maintenance.cpp): idle
// eviction sparing keep-alive peers, their redial, warm-up, health and dead connections,
// and the lease-leak report.

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

TEST_CASE("maintenance: idle connections are closed at the cleanup after idle_timeout_ms") {
  TableHarness h(TableHarness::eviction_config());
  const auto grant = h.connect(test_peer(2));
  h.table.release(grant.lease, {}, h.now);
  h.now += 1'000ms;
  const auto busy = h.connect(test_peer(3));  // keeps its lease: never idle
  h.advance(49'000ms);  // the cleanup at 50 s
  CHECK(h.take<CloseAction>().empty());
  h.advance(10'000ms);  // the cleanup at 60 s: idle for exactly idle_timeout_ms
  // Peer 3 was used as much as peer 2 but more recently: it is the one keep-alive peer
  // (it holds a lease anyway). Peer 2 is evicted.
  const auto close = h.take_one<CloseAction>();
  CHECK(close.connection == grant.connection);
  CHECK(close.reason.detail().find("idle_timeout_ms") != std::string::npos);
  CHECK(h.table.state(grant.connection) == State::closed);
  CHECK(h.table.state(busy.connection) == State::ready);
  CHECK(h.take_events(Kind::disconnected).size() == 1);
  h.table.handle_closed(grant.connection, close.reason, h.now);
  CHECK_FALSE(h.table.state(grant.connection).has_value());
}

TEST_CASE("maintenance: the most used peers keep a connection through idle eviction") {
  TableHarness h(TableHarness::eviction_config());
  const PeerId frequent = test_peer(2);
  const PeerId rare = test_peer(3);
  const auto f = h.connect(frequent);
  h.table.release(f.lease, {}, h.now);
  for (int i = 0; i < 5; ++i) {
    h.acquire(frequent);
    h.table.release(h.take_one<GrantAction>().lease, {}, h.now);
  }
  const auto r = h.connect(rare);
  h.table.release(r.lease, {}, h.now);
  h.advance(70'000ms);
  const auto closes = h.take<CloseAction>();
  REQUIRE(closes.size() == 1);
  CHECK(closes[0].connection == r.connection);
  CHECK(h.table.state(f.connection) == State::ready);
}

TEST_CASE("maintenance: a keep-alive peer whose connection drops is redialed with backoff") {
  TableHarness h(TableHarness::eviction_config());
  const PeerId peer = test_peer(2);
  const auto grant = h.connect(peer);
  h.table.release(grant.lease, {}, h.now);
  h.table.handle_closed(grant.connection, Error(Errc::channel_closed, "reset"), h.now);
  h.drain();
  CHECK(h.take<DialAction>().empty());  // not at once: after the backoff delay
  h.advance(100ms);                     // min_backoff_ms: a drop is not a failed dial
  const auto redial = h.take_one<DialAction>();
  CHECK(redial.peer == peer);
  CHECK(redial.addresses == TableHarness::addresses_of(9));
}

TEST_CASE("maintenance: an acquire right after a keep-alive peer dropped dials at once") {
  TableHarness h(TableHarness::eviction_config());
  const PeerId peer = test_peer(2);
  const auto grant = h.connect(peer);
  h.table.release(grant.lease, {}, h.now);
  h.table.handle_closed(grant.connection, Error(Errc::channel_closed, "reset"), h.now);
  h.drain();
  const auto id = h.acquire(peer);
  h.dial_succeeds(h.take_one<DialAction>());  // no wait for the redial's delay
  CHECK(h.take_one<GrantAction>().acquire == id);
  // Many drops in a row never exhaust the retries: a drop is not a failed dial.
  for (int i = 0; i < 10; ++i) {
    const auto conn_id = h.table.connections(peer).front();
    h.table.handle_closed(conn_id, Error(Errc::channel_closed, "reset"), h.now);
    h.drain();
    h.advance(100ms);
    h.dial_succeeds(h.take_one<DialAction>());
  }
  h.acquire(peer);
  CHECK(h.take<FailAction>().empty());
}

TEST_CASE("maintenance: a peer that is not kept alive is not redialed") {
  ConnectionTableConfig config = TableHarness::eviction_config();
  config.keep_alive_count = 0;
  TableHarness h(config);
  const auto grant = h.connect(test_peer(2));
  h.table.handle_closed(grant.connection, Error(Errc::channel_closed, "reset"), h.now);
  h.advance(5'000ms);
  CHECK(h.take<DialAction>().empty());
}

TEST_CASE("maintenance: warm-up peers are dialed at start without an acquire") {
  ConnectionTableConfig config;
  config.warmup_peers.push_back({test_peer(2), TableHarness::addresses_of(2)});
  config.warmup_peers.push_back({test_peer(3), TableHarness::addresses_of(3)});
  TableHarness h(config);
  const auto dials = h.take<DialAction>();
  REQUIRE(dials.size() == 2);
  CHECK(dials[0].peer == test_peer(2));
  CHECK(dials[1].addresses == TableHarness::addresses_of(3));
  h.dial_succeeds(dials[0]);
  CHECK(h.take<GrantAction>().empty());  // nobody was waiting
  h.acquire(test_peer(2));
  CHECK(h.take_one<GrantAction>().connection == dials[0].connection);  // warm: no dial
}

TEST_CASE("maintenance: failed streams degrade a connection; it is not handed out until it recovers") {
  ConnectionTableConfig config;
  config.health_check_interval_ms = 1'000ms;
  TableHarness h(config);
  const PeerId peer = test_peer(2);
  const auto first = h.connect_with_failed_streams(peer);
  h.advance(1'000ms);
  const auto degraded = h.take_events(Kind::degraded);
  REQUIRE(degraded.size() == 1);
  CHECK(degraded[0].connection == first.connection);
  // Not handed out: the next acquire dials a fresh connection.
  h.acquire(peer);
  const auto dial = h.take_one<DialAction>();
  h.dial_succeeds(dial);
  CHECK(h.take_one<GrantAction>().connection == dial.connection);
  // Failures decay; a few minutes without new ones and it recovers (before idle eviction).
  h.advance(200'000ms);
  CHECK(h.take_events(Kind::recovered).size() == 1);
}

TEST_CASE("maintenance: a connection whose keep-alive pings go unanswered is closed as dead") {
  TableHarness h;
  const auto grant = h.connect(test_peer(2));
  h.table.handle_ping(grant.connection, FractionalMs(0.5), h.now);
  CHECK(h.table.stats().average_rtt_ms() == doctest::Approx(0.5));
  for (int i = 0; i < 2; ++i) h.table.handle_ping_missed(grant.connection, h.now);
  h.drain();
  CHECK(h.take<CloseAction>().empty());
  h.table.handle_ping_missed(grant.connection, h.now);  // the third in a row
  h.drain();
  const auto close = h.take_one<CloseAction>();
  CHECK(close.connection == grant.connection);
  CHECK(close.reason == Errc::mux_keepalive_timeout);
}

TEST_CASE("maintenance: a lease held past lease_leak_threshold_ms is reported once with where it was taken") {
  ConnectionTableConfig config;
  config.lease_leak_threshold_ms = 20'000ms;
  config.cleanup_interval_ms = 10'000ms;
  TableHarness h(config);
  const PeerId peer = test_peer(2);
  const auto pinned = h.connect(peer);  // long-lived on purpose: pinned, never reported
  h.table.pin(pinned.lease, true);
  const auto leaked_id = h.table.acquire(peer, {}, h.now);
  const auto acquired_line = static_cast<std::uint32_t>(__LINE__ - 1);
  h.drain();
  const auto leaked = h.take_one<GrantAction>();
  CHECK(leaked.acquire == leaked_id);
  h.advance(20'000ms);
  CHECK(h.take_events(Kind::lease_leaked).empty());  // exactly the threshold: not yet
  h.advance(10'000ms);
  const auto leaks = h.take_events(Kind::lease_leaked);
  REQUIRE(leaks.size() == 1);
  REQUIRE(leaks[0].leak.has_value());
  CHECK(leaks[0].leak->id == leaked.lease);
  CHECK(leaks[0].connection == leaked.connection);
  CHECK(std::string(leaks[0].leak->where.file_name()).find("connection_table_maintenance_test.cpp") !=
        std::string::npos);
  CHECK(leaks[0].leak->where.line() == acquired_line);
  h.advance(10'000ms);
  CHECK(h.take_events(Kind::lease_leaked).empty());  // reported once
}

TEST_CASE("maintenance: a retained peer keeps one connection through idle eviction, until released") {
  conn::ConnectionTableConfig config = TableHarness::eviction_config();
  config.keep_alive_count = 0;  // only retention spares anything here
  TableHarness h(config);
  const auto kept = h.connect(test_peer(2));
  h.table.release(kept.lease, {}, h.now);
  const auto other = h.connect(test_peer(3));
  h.table.release(other.lease, {}, h.now);
  h.table.set_retained(test_peer(2), true);
  CHECK(h.table.retained(test_peer(2)));
  h.advance(70'000ms);
  const auto closes = h.take<CloseAction>();
  REQUIRE(closes.size() == 1);
  CHECK(closes[0].connection == other.connection);
  CHECK(h.table.state(kept.connection) == State::ready);

  h.table.set_retained(test_peer(2), false);
  CHECK_FALSE(h.table.retained(test_peer(2)));
  h.advance(10'000ms);  // the next cleanup
  CHECK(h.take_one<CloseAction>().connection == kept.connection);
}

TEST_CASE("maintenance: close() closes a connection gracefully with the caller's reason") {
  TableHarness h;
  const auto grant = h.connect(test_peer(2));  // its lease stays held: the close is graceful anyway
  CHECK(h.table.close(grant.connection, Error(Errc::peer_trimmed, "above_high_watermark"), h.now));
  h.drain();
  const auto close = h.take_one<CloseAction>();
  CHECK(close.connection == grant.connection);
  CHECK(close.graceful);
  CHECK(close.reason == Errc::peer_trimmed);
  const auto events = h.take_events(Kind::disconnected);
  REQUIRE(events.size() == 1);
  CHECK(events[0].reason.detail() == "above_high_watermark");
  CHECK(h.table.state(grant.connection) == State::closed);
  // Already closed, or unknown: nothing more happens.
  CHECK_FALSE(h.table.close(grant.connection, Error(Errc::peer_trimmed), h.now));
  CHECK_FALSE(h.table.close(9999, Error(Errc::peer_trimmed), h.now));
  // Still dialing: not closable (its dial result decides).
  h.acquire(test_peer(3));
  const auto dial = h.take_one<DialAction>();
  CHECK_FALSE(h.table.close(dial.connection, Error(Errc::peer_trimmed), h.now));
  // The lease ends after the close: the table takes it back without complaint.
  h.table.release(grant.lease, {}, h.now);
  h.table.handle_closed(grant.connection, close.reason, h.now);
  CHECK_FALSE(h.table.state(grant.connection).has_value());
}
