// Session, time: keep-alive pings on the injected clock, RTT from the echoed opaque
// value, the keep-alive timeout, frames that postpone the next ping, and next_deadline().

#include "mux/session.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <string>
#include <vector>

#include "mux_test_support.hpp"
#include "test_bytes.hpp"

using namespace weft;
using namespace weft::mux;
using namespace std::chrono_literals;
using weft::test::events_of;
using weft::test::frames_of;
using weft::test::outcome_of;
using weft::test::ping_frame;
using weft::test::t0;
using weft::test::transmit_all;
using Strings = std::vector<std::string>;

TEST_CASE("a keep-alive ping goes out after keepalive_interval_ms; its answer gives the RTT") {
  Session a(Role::initiator, {}, t0());
  CHECK(a.next_deadline() == t0() + 30s);
  a.handle_tick(t0() + 30s - 1ms);
  CHECK(transmit_all(a).empty());
  a.handle_tick(t0() + 30s);
  CHECK(frames_of(transmit_all(a)) == Strings{"ping S 0 1"});
  CHECK(a.next_deadline() == t0() + 40s);  // now the answer's deadline
  a.handle_tick(t0() + 35s);
  CHECK(transmit_all(a).empty());  // one ping outstanding at a time
  REQUIRE(a.handle_bytes(ping_frame(kFlagAck, 1), t0() + 30s + 20ms));
  CHECK(events_of(a) == Strings{"PingRtt 20ms"});
  CHECK(a.rtt() == std::chrono::steady_clock::duration(20ms));
  CHECK(a.next_deadline() == t0() + 60s + 20ms);
  a.handle_tick(t0() + 60s + 20ms);
  CHECK(frames_of(transmit_all(a)) == Strings{"ping S 0 2"});
  CHECK(a.stats().pings_sent == 2);
}

TEST_CASE("an unanswered ping ends the session with mux_keepalive_timeout and a go-away") {
  Session a(Role::initiator, {}, t0());
  const StreamId id = a.open_stream().value();
  a.handle_tick(t0() + 30s);
  transmit_all(a);
  a.handle_tick(t0() + 40s - 1ms);
  CHECK_FALSE(a.closed());
  REQUIRE(a.handle_bytes(ping_frame(kFlagAck, 77), t0() + 39s));  // not ours: no help
  a.handle_tick(t0() + 40s);
  CHECK(a.closed());
  CHECK(a.close_reason() == Errc::mux_keepalive_timeout);
  CHECK(events_of(a) == Strings{"SessionClosed keep-alive ping timed out: ping 1 unanswered for 10000 ms"});
  CHECK(frames_of(transmit_all(a)) == Strings{"go_away - 0 2"});
  CHECK(a.stats().keepalive_timeouts == 1);
  CHECK(outcome_of(a.write(id, as_bytes("x"))) == Errc::mux_session_closed);
  CHECK_FALSE(a.next_deadline().has_value());
}

TEST_CASE("frames from the peer postpone the next keep-alive") {
  Session a(Role::initiator, {}, t0());
  REQUIRE(a.handle_bytes(ping_frame(kFlagSyn, 5), t0() + 20s));
  CHECK(a.next_deadline() == t0() + 50s);
  a.handle_tick(t0() + 30s);
  CHECK(frames_of(transmit_all(a)) == Strings{"ping A 0 5"});
}

TEST_CASE("keepalive_interval_ms 0 turns keep-alive off; ping() still measures and times out") {
  SessionConfig c;
  c.keepalive_interval_ms = 0;
  c.keepalive_timeout_ms = 500;
  Session a(Role::initiator, c, t0());
  CHECK_FALSE(a.next_deadline().has_value());
  a.handle_tick(t0() + 1000h);
  CHECK(transmit_all(a).empty());
  a.ping(t0());
  CHECK(frames_of(transmit_all(a)) == Strings{"ping S 0 1"});
  CHECK(a.next_deadline() == t0() + 500ms);
  a.handle_tick(t0() + 500ms);
  CHECK(a.close_reason() == Errc::mux_keepalive_timeout);
}

TEST_CASE("two sessions answer each other's keep-alives") {
  test::SessionPair p;
  p.now = t0() + 30s;
  p.a.handle_tick(p.now);
  p.b.handle_tick(p.now);
  REQUIRE(p.pump());
  CHECK(events_of(p.a) == Strings{"PingRtt 0ms"});
  CHECK(events_of(p.b) == Strings{"PingRtt 0ms"});
  CHECK(p.a.stats().pongs_sent == 1);
  CHECK(p.b.stats().pongs_sent == 1);
  CHECK(p.a.next_deadline() == p.now + 30s);
}
