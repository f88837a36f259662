// Session, the application's side: opening streams both ways (SYN/ACK), accept, half
// close in both orders, reset, go away and close, and every error the stream calls return.

#include "mux/session.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "mux_test_support.hpp"
#include "test_bytes.hpp"

using namespace weft;
using namespace weft::mux;
using weft::test::events_of;
using weft::test::frames_of;
using weft::test::outcome_of;
using weft::test::SessionPair;
using weft::test::transmit_all;
using Strings = std::vector<std::string>;

namespace {

std::string read_all(Session& s, StreamId id) {
  std::string out;
  std::uint8_t buf[7];
  for (;;) {
    auto n = s.read(id, buf);
    if (!n || n.value() == 0) return out;
    out.append(reinterpret_cast<const char*>(buf), n.value());
  }
}

}  // namespace

TEST_CASE("the initiator opens odd ids, the responder even ones; SYN then ACK as window updates") {
  SessionPair p;
  auto a1 = p.a.open_stream();
  auto a3 = p.a.open_stream();
  auto b2 = p.b.open_stream();
  REQUIRE(a1.has_value());
  REQUIRE(a3.has_value());
  REQUIRE(b2.has_value());
  CHECK(a1.value() == 1);
  CHECK(a3.value() == 3);
  CHECK(b2.value() == 2);
  const Bytes syns = transmit_all(p.a);
  CHECK(frames_of(syns) == Strings{"window_update S 1 0", "window_update S 3 0"});
  CHECK(p.a.stats().unacked_outbound == 2);
  REQUIRE(p.b.handle_bytes(syns, p.now).has_value());
  CHECK(events_of(p.b) == Strings{"InboundStream 1", "InboundStream 3"});
  CHECK(p.b.stats().accept_backlog == 2);
  CHECK(p.b.accept() == StreamId{1});
  CHECK(p.b.accept() == StreamId{3});
  CHECK_FALSE(p.b.accept().has_value());
  CHECK(frames_of(transmit_all(p.b)) == Strings{"window_update S 2 0", "window_update A 1 0", "window_update A 3 0"});
  CHECK(p.b.stats().streams_accepted == 2);
}

TEST_CASE("an ACK clears the opener's ack backlog; the SYN rides on data written before transmit") {
  SessionPair p;
  const StreamId id = p.a.open_stream().value();
  CHECK(p.a.write(id, as_bytes("hello")).value() == 5);
  const Bytes out = transmit_all(p.a);
  CHECK(frames_of(out) == Strings{"data S 1 5"});
  REQUIRE(p.b.handle_bytes(out, p.now).has_value());
  CHECK(events_of(p.b) == Strings{"InboundStream 1"});
  REQUIRE(p.b.accept() == id);
  CHECK(events_of(p.b) == Strings{"Readable 1"});  // data that came before accept
  CHECK(read_all(p.b, id) == "hello");
  CHECK(p.b.write(id, as_bytes("world")).value() == 5);
  const Bytes back = transmit_all(p.b);
  CHECK(frames_of(back) == Strings{"data A 1 5"});
  REQUIRE(p.a.handle_bytes(back, p.now).has_value());
  CHECK(p.a.stats().unacked_outbound == 0);
  CHECK(events_of(p.a) == Strings{"Readable 1"});
  CHECK(read_all(p.a, id) == "world");
}

TEST_CASE("streams opened by both sides at once carry data both ways") {
  SessionPair p;
  const StreamId x = p.a.open_stream().value();
  const StreamId y = p.b.open_stream().value();
  p.a.write(x, as_bytes("from a")).value();
  p.b.write(y, as_bytes("from b")).value();
  REQUIRE(p.pump());
  REQUIRE(p.a.accept() == y);
  REQUIRE(p.b.accept() == x);
  CHECK(read_all(p.a, y) == "from b");
  CHECK(read_all(p.b, x) == "from a");
  REQUIRE(p.pump());
  CHECK(p.a.stats().unacked_outbound == 0);
  CHECK(p.b.stats().unacked_outbound == 0);
  CHECK(p.a.stats().open_streams == 2);
}

TEST_CASE("half close, opener first: FIN each way, then the stream is gone on both sides") {
  SessionPair p;
  const StreamId id = p.a.open_stream().value();
  p.a.write(id, as_bytes("request")).value();
  REQUIRE(p.a.close_write(id).has_value());
  const Bytes out = transmit_all(p.a);
  CHECK(frames_of(out) == Strings{"data SF 1 7"});
  REQUIRE(p.b.handle_bytes(out, p.now).has_value());
  REQUIRE(p.b.accept() == id);
  CHECK(events_of(p.b) == Strings{"InboundStream 1", "Readable 1", "ReadClosed 1"});
  CHECK(read_all(p.b, id) == "request");
  CHECK(outcome_of(p.b.read(id, {})) == Errc::mux_stream_closed);
  CHECK(outcome_of(p.a.write(id, as_bytes("x"))) == Errc::mux_stream_closed);
  // The responder can still write after the opener's FIN.
  CHECK(p.b.write(id, as_bytes("response")).value() == 8);
  REQUIRE(p.b.close_write(id).has_value());
  const Bytes back = transmit_all(p.b);
  CHECK(frames_of(back) == Strings{"data AF 1 8"});
  CHECK(p.b.stats().open_streams == 0);  // both FINs and nothing unread
  CHECK_FALSE(p.b.is_open(id));
  REQUIRE(p.a.handle_bytes(back, p.now).has_value());
  CHECK(events_of(p.a) == Strings{"Readable 1", "ReadClosed 1"});
  CHECK(p.a.stats().open_streams == 1);  // unread data keeps it
  CHECK(read_all(p.a, id) == "response");
  CHECK(p.a.stats().open_streams == 0);
  CHECK(outcome_of(p.a.read(id, {})) == Errc::mux_stream_closed);
}

TEST_CASE("half close, acceptor first: the opener keeps writing until its own FIN") {
  SessionPair p;
  const StreamId id = p.a.open_stream().value();
  REQUIRE(p.pump());
  REQUIRE(p.b.accept() == id);
  CHECK(events_of(p.b) == Strings{"InboundStream 1"});
  REQUIRE(p.b.close_write(id).has_value());
  const Bytes fin = transmit_all(p.b);
  CHECK(frames_of(fin) == Strings{"window_update AF 1 0"});
  REQUIRE(p.a.handle_bytes(fin, p.now).has_value());
  CHECK(events_of(p.a) == Strings{"ReadClosed 1"});
  CHECK(outcome_of(p.a.read(id, {})) == Errc::mux_stream_closed);
  p.a.write(id, as_bytes("still going")).value();
  REQUIRE(p.a.close_write(id).has_value());
  CHECK(p.a.close_write(id).has_value());  // idempotent
  const Bytes last = transmit_all(p.a);
  CHECK(frames_of(last) == Strings{"data F 1 11"});
  CHECK(p.a.stats().open_streams == 0);
  REQUIRE(p.b.handle_bytes(last, p.now).has_value());
  CHECK(events_of(p.b) == Strings{"Readable 1", "ReadClosed 1"});
  CHECK(read_all(p.b, id) == "still going");
  CHECK(p.b.stats().open_streams == 0);
}

TEST_CASE("a zero-length FIN frame ends the stream; data after it is a protocol error") {
  Session b(Role::responder, {}, test::t0());
  REQUIRE(b.handle_bytes(test::cat({test::data_frame(kFlagSyn, 1, as_bytes("ab")), test::data_frame(kFlagFin, 1, {})}),
                         test::t0()));
  REQUIRE(b.accept() == StreamId{1});
  CHECK(events_of(b) == Strings{"InboundStream 1", "Readable 1", "ReadClosed 1"});
  auto more = b.handle_bytes(test::data_frame(0, 1, as_bytes("c")), test::t0());
  CHECK(outcome_of(more) == Errc::mux_protocol_error);
  CHECK(test::detail_of(more) == "1 bytes on stream 1 after its FIN");
}

TEST_CASE("reset by the acceptor: RST frame, StreamReset at the opener, the id is gone on both sides") {
  SessionPair p;
  const StreamId id = p.a.open_stream().value();
  p.a.write(id, as_bytes("data")).value();
  REQUIRE(p.pump());
  REQUIRE(p.b.accept() == id);
  events_of(p.b);
  p.b.reset(id);
  CHECK_FALSE(p.b.is_open(id));
  CHECK(outcome_of(p.b.read(id, {})) == Errc::mux_stream_closed);
  const Bytes rst = transmit_all(p.b);
  CHECK(frames_of(rst) == Strings{"window_update R 1 0"});
  CHECK(p.b.stats().open_streams == 0);
  CHECK(p.b.stats().resets_sent == 1);
  REQUIRE(p.a.handle_bytes(rst, p.now).has_value());
  CHECK(events_of(p.a) == Strings{"StreamReset 1 stream reset: reset by the peer"});
  CHECK(p.a.stats().open_streams == 0);
  CHECK(p.a.stats().resets_received == 1);
  CHECK(p.a.stats().unacked_outbound == 0);
  CHECK(outcome_of(p.a.write(id, as_bytes("x"))) == Errc::mux_stream_closed);
  p.a.reset(id);  // unknown now: ignored
  CHECK(transmit_all(p.a).empty());
}

TEST_CASE("a peer's RST with a code names it; queued data is dropped with the stream") {
  Session a(Role::initiator, {}, test::t0());
  const StreamId id = a.open_stream().value();
  transmit_all(a);
  a.write(id, test::filled(1000)).value();
  REQUIRE(a.handle_bytes(test::window_update(kFlagRst, id, 7), test::t0()));
  CHECK(events_of(a) == Strings{"StreamReset 1 stream reset: reset by the peer (code 7)"});
  CHECK(a.stats().queued_send_bytes == 0);
  CHECK(transmit_all(a).empty());
}

TEST_CASE("reset before anything was sent sends nothing; reset of a backlog stream refuses it") {
  SessionPair p;
  const StreamId id = p.a.open_stream().value();
  p.a.reset(id);
  CHECK(transmit_all(p.a).empty());
  CHECK(p.a.stats().open_streams == 0);
  CHECK(p.a.stats().unacked_outbound == 0);
  CHECK(outcome_of(p.a.write(id, as_bytes("x"))) == Errc::mux_stream_closed);

  const StreamId other = p.a.open_stream().value();
  REQUIRE(p.pump());
  events_of(p.b);
  p.b.reset(other);  // still in the backlog
  CHECK(p.b.stats().accept_backlog == 0);
  CHECK_FALSE(p.b.accept().has_value());
  CHECK(frames_of(transmit_all(p.b)) == Strings{"window_update R 3 0"});
}

TEST_CASE("write and read errors name the stream") {
  SessionPair p;
  auto never = p.a.write(5, as_bytes("x"));
  CHECK(outcome_of(never) == Errc::mux_unknown_stream);
  CHECK(test::detail_of(never) == "write: stream 5 was never opened");
  CHECK(outcome_of(p.a.read(2, {})) == Errc::mux_unknown_stream);
  CHECK(outcome_of(p.a.close_write(7)) == Errc::mux_unknown_stream);

  const StreamId id = p.a.open_stream().value();
  REQUIRE(p.pump());
  auto early = p.b.write(id, as_bytes("x"));
  CHECK(outcome_of(early) == Errc::mux_unknown_stream);
  CHECK(test::detail_of(early) == "write: stream 1 is not accepted yet");

  REQUIRE(p.a.close_write(id).has_value());
  auto after = p.a.write(id, as_bytes("x"));
  CHECK(outcome_of(after) == Errc::mux_stream_closed);
  CHECK(test::detail_of(after) == "write: stream 1 after close_write");
  CHECK(p.a.writable_bytes(id) == 0);
  CHECK(p.a.read(id, {}).value() == 0);  // nothing yet, not an end
}

TEST_CASE("open_stream past max_streams or max_ack_backlog is mux_too_many_streams") {
  SessionConfig config;
  config.max_streams = 3;
  config.max_ack_backlog = 2;
  Session a(Role::initiator, config, test::t0());
  a.open_stream().value();
  a.open_stream().value();
  auto third = a.open_stream();
  CHECK(outcome_of(third) == Errc::mux_too_many_streams);
  CHECK(test::detail_of(third) == "2 streams not acknowledged by the peer (max_ack_backlog)");
  transmit_all(a);
  REQUIRE(a.handle_bytes(test::cat({test::window_update(kFlagAck, 1, 0), test::window_update(kFlagAck, 3, 0)}),
                         test::t0()));
  CHECK(a.open_stream().value() == 5);
  auto fourth = a.open_stream();
  CHECK(outcome_of(fourth) == Errc::mux_too_many_streams);
  CHECK(test::detail_of(fourth) == "3 streams open (max_streams)");
  CHECK(a.stats().opens_refused == 2);
}

TEST_CASE("go_away: the peer may open no more streams, existing ones finish, then both sides close") {
  SessionPair p;
  const StreamId id = p.a.open_stream().value();
  REQUIRE(p.pump());
  REQUIRE(p.b.accept() == id);
  p.a.go_away();
  CHECK(outcome_of(p.a.open_stream()) == Errc::mux_session_closed);
  const Bytes ga = transmit_all(p.a);
  CHECK(frames_of(ga) == Strings{"go_away - 0 0"});
  REQUIRE(p.b.handle_bytes(ga, p.now).has_value());
  auto refused = p.b.open_stream();
  CHECK(outcome_of(refused) == Errc::mux_session_closed);
  CHECK(test::detail_of(refused) == "open after the peer sent go away");
  CHECK_FALSE(p.b.closed());
  // The open stream still works both ways.
  p.b.write(id, as_bytes("last words")).value();
  REQUIRE(p.b.close_write(id).has_value());
  REQUIRE(p.a.close_write(id).has_value());
  REQUIRE(p.pump());
  CHECK(read_all(p.a, id) == "last words");
  CHECK(p.a.closed());
  CHECK(p.b.closed());
  const Strings ea = events_of(p.a);
  REQUIRE_FALSE(ea.empty());
  CHECK(ea.back() == "SessionClosed multiplexed session closed: we sent go away and the last stream ended");
  const Strings eb = events_of(p.b);
  REQUIRE_FALSE(eb.empty());
  CHECK(eb.back() == "SessionClosed multiplexed session closed: the peer sent go away and the last stream ended");
}

TEST_CASE("after our go_away an inbound SYN is refused with RST and counted") {
  Session b(Role::responder, {}, test::t0());
  REQUIRE(b.handle_bytes(test::window_update(kFlagSyn, 1, 0), test::t0()));
  b.go_away();
  REQUIRE(b.handle_bytes(test::data_frame(kFlagSyn, 3, as_bytes("hi")), test::t0()));
  CHECK(frames_of(transmit_all(b)) == Strings{"go_away - 0 0", "window_update R 3 0"});
  CHECK(b.stats().streams_refused_go_away == 1);
  CHECK(events_of(b) == Strings{"InboundStream 1"});
  // Frames still in flight for the refused stream are ignored.
  REQUIRE(b.handle_bytes(test::data_frame(0, 3, as_bytes("more")), test::t0()));
  CHECK(b.stats().closed_stream_frames == 1);
}

TEST_CASE("go_away with no streams closes at once but still sends the go-away") {
  Session a(Role::initiator, {}, test::t0());
  a.go_away();
  CHECK(a.closed());
  CHECK(events_of(a) == Strings{"SessionClosed multiplexed session closed: we sent go away and the last stream ended"});
  CHECK(frames_of(transmit_all(a)) == Strings{"go_away - 0 0"});
  CHECK(outcome_of(a.handle_bytes(test::ping_frame(kFlagSyn, 1), test::t0())) == Errc::mux_session_closed);
}

TEST_CASE("close(code) drops every stream and sends only the go-away") {
  Session a(Role::initiator, {}, test::t0());
  const StreamId id = a.open_stream().value();
  a.write(id, test::filled(100)).value();
  a.close(GoAwayCode::internal_error);
  CHECK(a.closed());
  CHECK(a.close_reason() == Errc::mux_session_closed);
  CHECK(frames_of(transmit_all(a)) == Strings{"go_away - 0 2"});
  CHECK(events_of(a) == Strings{"SessionClosed multiplexed session closed: closed by us (go away code 2)"});
  CHECK(outcome_of(a.write(id, as_bytes("x"))) == Errc::mux_session_closed);
  CHECK(outcome_of(a.read(id, {})) == Errc::mux_session_closed);
  CHECK(outcome_of(a.open_stream()) == Errc::mux_session_closed);
  CHECK_FALSE(a.accept().has_value());
  CHECK_FALSE(a.next_deadline().has_value());
  a.close();  // no second go-away
  CHECK(transmit_all(a).empty());
}

TEST_CASE("a peer's go-away with an error code ends the session without a reply") {
  Session a(Role::initiator, {}, test::t0());
  a.open_stream().value();
  auto r = a.handle_bytes(test::cat({test::go_away_frame(GoAwayCode::protocol_error), test::ping_frame(kFlagSyn, 1)}),
                          test::t0());
  REQUIRE(r.has_value());
  CHECK(r.value() == 24);
  CHECK(a.closed());
  CHECK(events_of(a) == Strings{"SessionClosed multiplexed session closed: the peer sent go away: protocol error (1)"});
  CHECK(transmit_all(a).empty());
  Session b(Role::responder, {}, test::t0());
  REQUIRE(b.handle_bytes(test::frame(FrameType::go_away, 0, 0, 9), test::t0()));
  CHECK(events_of(b) == Strings{"SessionClosed multiplexed session closed: the peer sent go away: unknown code (9)"});
}
