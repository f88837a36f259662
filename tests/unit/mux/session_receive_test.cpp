// Session, the receive side: every frame type, every violation with its Errc, go-away
// code and counter (ABUSE rows 21-24), refusals at the stream cap and the accept backlog,
// bounded answers to a ping flood, frames for closed streams, identical results for the
// input split at every byte, and many frames in one call.

#include "mux/session.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "mux_test_support.hpp"
#include "test_bytes.hpp"

using namespace weft;
using namespace weft::mux;
using weft::test::cat;
using weft::test::data_frame;
using weft::test::detail_of;
using weft::test::events_of;
using weft::test::frames_of;
using weft::test::outcome_of;
using weft::test::ping_frame;
using weft::test::t0;
using weft::test::transmit_all;
using weft::test::window_update;
using Strings = std::vector<std::string>;

namespace {

struct Violation {
  test::Outcome outcome;
  std::string detail;
  Strings frames;  ///< what the session sends afterwards
  Strings events;
  SessionStats stats;
};

// A responder that already has an accepted stream 1 (and nothing to send), fed `input`.
Violation violate(const Bytes& input, SessionConfig config = {}) {
  Session b(Role::responder, config, t0());
  REQUIRE(b.handle_bytes(window_update(kFlagSyn, 1, 0), t0()).has_value());
  REQUIRE(b.accept() == StreamId{1});
  REQUIRE(b.write(1, as_bytes("unsent")).has_value());
  events_of(b);
  auto r = b.handle_bytes(input, t0());
  Violation v{outcome_of(r), detail_of(r), frames_of(transmit_all(b)), events_of(b), b.stats()};
  CHECK(b.closed());
  CHECK(outcome_of(b.handle_bytes(ping_frame(kFlagSyn, 1), t0())) == Errc::mux_session_closed);
  CHECK(b.stats().open_streams == 0);
  return v;
}

std::string closed_event(const Violation& v) {
  return v.events.empty() ? "" : v.events.back();
}

}  // namespace

TEST_CASE("data beyond the stream's window: mux_window_exceeded, go-away protocol error, nothing else sent") {
  const Bytes over = cat({data_frame(0, 1, test::filled(200'000)), test::frame(FrameType::data, 0, 1, 62'145)});
  const Violation v = violate(over);
  CHECK(v.outcome == Errc::mux_window_exceeded);
  CHECK(v.detail == "62145 bytes on stream 1 with 62144 bytes of window left");
  CHECK(v.frames == Strings{"go_away - 0 1"});  // the stream's queued data and ACK are dropped
  CHECK(closed_event(v) ==
        "SessionClosed stream data beyond the receive window: 62145 bytes on stream 1 with 62144 bytes of window left");
  CHECK(v.stats.window_exceeded == 1);
}

TEST_CASE("exactly the window is fine; the header of one byte more fails before its payload arrives") {
  Session b(Role::responder, {}, t0());
  REQUIRE(b.handle_bytes(data_frame(kFlagSyn, 1, test::filled(kInitialWindowBytes)), t0()).has_value());
  CHECK(b.stats().buffered_receive_bytes == kInitialWindowBytes);
  auto r = b.handle_bytes(test::frame(FrameType::data, 0, 1, 1), t0());  // header only
  CHECK(outcome_of(r) == Errc::mux_window_exceeded);
}

TEST_CASE("a SYN carrying more than the initial window: mux_window_exceeded") {
  const Violation v = violate(test::frame(FrameType::data, kFlagSyn, 3, kInitialWindowBytes + 1));
  CHECK(v.outcome == Errc::mux_window_exceeded);
  CHECK(v.detail == "SYN on stream 3 carries 262145 bytes, above the initial window 262144");
  CHECK(v.frames == Strings{"go_away - 0 1"});
}

TEST_CASE("a frame for a never-opened stream: mux_unknown_stream") {
  const Violation peer_id = violate(data_frame(0, 5, as_bytes("x")));
  CHECK(peer_id.outcome == Errc::mux_unknown_stream);
  CHECK(peer_id.detail == "data frame for stream 5, which was never opened");
  CHECK(peer_id.frames == Strings{"go_away - 0 1"});
  CHECK(peer_id.stats.unknown_stream_frames == 1);
  const Violation our_id = violate(window_update(0, 2, 100));  // the responder opened nothing
  CHECK(our_id.outcome == Errc::mux_unknown_stream);
  CHECK(our_id.detail == "window update frame for stream 2, which was never opened");
  CHECK(violate(window_update(kFlagRst, 9, 0)).outcome == Errc::mux_unknown_stream);
}

TEST_CASE("frames for a closed stream are ignored and counted; data still may not exceed any window") {
  Session b(Role::responder, {}, t0());
  REQUIRE(b.handle_bytes(cat({window_update(kFlagSyn, 1, 0), window_update(kFlagRst, 1, 0)}), t0()));
  CHECK(b.stats().open_streams == 0);
  REQUIRE(b.handle_bytes(cat({data_frame(0, 1, test::filled(1000)), window_update(kFlagFin, 1, 5),
                              window_update(kFlagRst, 1, 0)}),
                         t0()));
  CHECK(b.stats().closed_stream_frames == 3);
  CHECK(b.stats().buffered_receive_bytes == 0);
  CHECK(transmit_all(b).empty());
  CHECK_FALSE(b.closed());
  auto r = b.handle_bytes(test::frame(FrameType::data, 0, 1, kInitialWindowBytes + 1), t0());
  CHECK(outcome_of(r) == Errc::mux_window_exceeded);
  CHECK(detail_of(r) == "262145 bytes on closed stream 1, above any window we grant (262144)");
}

TEST_CASE("a reset storm: streams opened and reset over and over leave nothing behind") {
  Session b(Role::responder, {}, t0());
  Bytes storm;
  for (StreamId id = 1; id < 4001; id += 2) {
    const Bytes pair = cat({data_frame(kFlagSyn, id, as_bytes("x")), window_update(kFlagRst, id, 0)});
    storm.insert(storm.end(), pair.begin(), pair.end());
  }
  REQUIRE(b.handle_bytes(storm, t0()).has_value());
  CHECK(b.stats().open_streams == 0);
  CHECK(b.stats().accept_backlog == 0);
  CHECK(b.stats().resets_received == 2000);
  CHECK_FALSE(b.accept().has_value());
  CHECK(b.stats().heap_bytes == 0);
}

TEST_CASE("a SYN for an id in use, below the last one, or of our parity: mux_stream_id_reused") {
  const Violation again = violate(window_update(kFlagSyn, 1, 0));
  CHECK(again.outcome == Errc::mux_stream_id_reused);
  CHECK(again.detail == "SYN for stream 1, not above the last inbound id 1");
  CHECK(again.frames == Strings{"go_away - 0 1"});
  CHECK(again.stats.stream_ids_reused == 1);
  const Violation lower = violate(cat({window_update(kFlagSyn, 7, 0), data_frame(kFlagSyn, 5, {})}));
  CHECK(lower.outcome == Errc::mux_stream_id_reused);
  CHECK(lower.detail == "SYN for stream 5, not above the last inbound id 7");
  const Violation parity = violate(window_update(kFlagSyn, 4, 0));
  CHECK(parity.outcome == Errc::mux_stream_id_reused);
  CHECK(parity.detail == "SYN for stream 4, an id of our parity (we are the responder: even)");
}

TEST_CASE("malformed frames: mux_protocol_error with a go-away protocol error") {
  struct Case {
    Bytes input;
    std::string detail;
  };
  const std::vector<Case> cases = {
      {weft::test::hex("010000000000000100000000"), "version 1, expected 0"},
      {weft::test::hex("000500000000000100000000"), "frame type 5 (known: 0-3)"},
      {window_update(0x10, 1, 0), "window update frame with unknown flags 0x10"},
      {data_frame(0, 0, as_bytes("x")), "data frame on stream id 0 (the session)"},
      {window_update(kFlagSyn | kFlagAck, 3, 0), "window update frame with SYN and ACK on stream 3"},
      {window_update(kFlagAck, 1, 0), "ACK on stream 1, which the peer opened"},
      {window_update(0, 1, 0xFFFFFFFF), "window update of 4294967295 on stream 1 overflows the 32-bit window"},
      {ping_frame(0, 5), "ping with flags 0x0 (needs SYN or ACK)"},
      {ping_frame(kFlagSyn | kFlagAck, 5), "ping with flags 0x3 (needs SYN or ACK)"},
      {cat({data_frame(kFlagFin, 1, {}), data_frame(0, 1, as_bytes("late"))}), "4 bytes on stream 1 after its FIN"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.detail);
    const Violation v = violate(c.input);
    CHECK(v.outcome == Errc::mux_protocol_error);
    CHECK(v.detail == c.detail);
    CHECK(v.frames == Strings{"go_away - 0 1"});
    CHECK(v.stats.protocol_errors == 1);
  }
}

TEST_CASE("past max_streams an inbound SYN gets an RST, is counted, and the session goes on") {
  SessionConfig c;
  c.max_streams = 2;
  Session b(Role::responder, c, t0());
  REQUIRE(b.handle_bytes(cat({window_update(kFlagSyn, 1, 0), data_frame(kFlagSyn, 3, as_bytes("a")),
                              data_frame(kFlagSyn, 5, as_bytes("bb")), data_frame(0, 5, as_bytes("more"))}),
                         t0()));
  CHECK(events_of(b) == Strings{"InboundStream 1", "InboundStream 3"});
  CHECK(frames_of(transmit_all(b)) == Strings{"window_update R 5 0"});
  CHECK(b.stats().streams_refused_max_streams == 1);
  CHECK(b.stats().open_streams == 2);
  CHECK(b.stats().buffered_receive_bytes == 1);
  CHECK(b.stats().closed_stream_frames == 1);
  CHECK_FALSE(b.closed());
  // Our own streams count too.
  CHECK(outcome_of(b.open_stream()) == Errc::mux_too_many_streams);
}

TEST_CASE("past max_accept_backlog an inbound SYN gets an RST; accepting makes room") {
  SessionConfig c;
  c.max_accept_backlog = 1;
  Session b(Role::responder, c, t0());
  REQUIRE(b.handle_bytes(cat({window_update(kFlagSyn, 1, 0), window_update(kFlagSyn, 3, 0)}), t0()));
  CHECK(frames_of(transmit_all(b)) == Strings{"window_update R 3 0"});
  CHECK(b.stats().streams_refused_backlog == 1);
  REQUIRE(b.accept() == StreamId{1});
  REQUIRE(b.handle_bytes(window_update(kFlagSyn, 5, 0), t0()));
  CHECK(events_of(b) == Strings{"InboundStream 1", "InboundStream 5"});
  CHECK(b.stats().accept_backlog == 1);
}

TEST_CASE("refusals that overflow the control queue end the session with mux_too_many_streams") {
  SessionConfig c;
  c.max_streams = 1;
  c.max_control_queue_bytes = 48;  // four RSTs
  Bytes input = window_update(kFlagSyn, 1, 0);
  for (StreamId id = 3; id <= 11; id += 2) input = cat({input, window_update(kFlagSyn, id, 0)});
  Session b(Role::responder, c, t0());
  auto r = b.handle_bytes(input, t0());
  CHECK(outcome_of(r) == Errc::mux_too_many_streams);
  CHECK(detail_of(r) == "refusing stream 11: control queue full (48 bytes, max_control_queue_bytes)");
  CHECK(frames_of(transmit_all(b)) == Strings{"go_away - 0 1"});
  CHECK(b.stats().control_queue_overflows == 1);
  CHECK(b.stats().streams_refused_max_streams == 5);
}

TEST_CASE("a ping flood gets at most max_pending_pongs answers queued; the rest are counted") {
  SessionConfig c;
  c.max_pending_pongs = 4;
  Session b(Role::responder, c, t0());
  Bytes flood;
  for (std::uint32_t i = 0; i < 10; ++i) flood = cat({flood, ping_frame(kFlagSyn, 100 + i)});
  REQUIRE(b.handle_bytes(flood, t0()));
  CHECK(b.stats().queued_control_bytes == 48);
  CHECK(frames_of(transmit_all(b)) == Strings{"ping A 0 100", "ping A 0 101", "ping A 0 102", "ping A 0 103"});
  CHECK(b.stats().pings_dropped == 6);
  CHECK(b.stats().pongs_sent == 4);
  REQUIRE(b.handle_bytes(ping_frame(kFlagSyn, 7), t0()));  // room again once sent
  CHECK(frames_of(transmit_all(b)) == Strings{"ping A 0 7"});
  CHECK_FALSE(b.closed());
}

TEST_CASE("an answer to a ping we did not send is ignored and counted") {
  Session b(Role::responder, {}, t0());
  REQUIRE(b.handle_bytes(ping_frame(kFlagAck, 99), t0()));
  CHECK(b.stats().unexpected_pongs == 1);
  CHECK(events_of(b).empty());
}

TEST_CASE("ping and go-away ignore their stream id") {
  Session b(Role::responder, {}, t0());
  REQUIRE(b.handle_bytes(test::frame(FrameType::ping, kFlagSyn, 77, 5), t0()));
  CHECK(frames_of(transmit_all(b)) == Strings{"ping A 0 5"});
  REQUIRE(b.handle_bytes(test::frame(FrameType::go_away, 0, 3, 0), t0()));
  CHECK(b.closed());  // no streams: the go-away drains at once
}

namespace {

// A busy input: streams opened with data and window updates, FINs, RSTs, pings, a refusal
// at the backlog cap, and zero-length frames.
Bytes busy_input() {
  return cat({data_frame(kFlagSyn, 1, test::filled(100)), window_update(kFlagSyn, 3, 5000), ping_frame(kFlagSyn, 1),
              data_frame(0, 1, test::filled(70'000, 1)), data_frame(kFlagFin, 3, as_bytes("three")),
              data_frame(kFlagSyn, 5, {}), window_update(kFlagSyn, 7, 0), data_frame(0, 5, test::filled(3000, 2)),
              window_update(kFlagRst, 5, 0), ping_frame(kFlagSyn, 2), data_frame(0, 1, {}), data_frame(kFlagFin, 1, as_bytes("end")),
              ping_frame(kFlagAck, 12345)});
}

struct Run {
  test::Outcome outcome;
  Strings events;
  Bytes sent;
  SessionStats stats;
};

Run run(const std::vector<ByteView>& parts, SessionConfig c) {
  Session b(Role::responder, c, t0());
  Run out;
  for (ByteView part : parts) {
    auto r = b.handle_bytes(part, t0());
    if (!r) {
      out.outcome = outcome_of(r);
      break;
    }
    REQUIRE(r.value() == part.size());
  }
  while (auto id = b.accept()) out.events.push_back("accepted " + std::to_string(*id));
  const Strings e = events_of(b);
  out.events.insert(out.events.end(), e.begin(), e.end());
  out.sent = transmit_all(b);
  out.stats = b.stats();
  return out;
}

void check_same(const Run& a, const Run& b) {
  CHECK(a.outcome.failed == b.outcome.failed);
  CHECK(a.outcome.text == b.outcome.text);
  CHECK(a.events == b.events);
  CHECK(a.sent == b.sent);
  CHECK(a.stats.frames_received == b.stats.frames_received);
  CHECK(a.stats.data_bytes_received == b.stats.data_bytes_received);
  CHECK(a.stats.buffered_receive_bytes == b.stats.buffered_receive_bytes);
  CHECK(a.stats.open_streams == b.stats.open_streams);
  CHECK(a.stats.streams_refused_backlog == b.stats.streams_refused_backlog);
}

}  // namespace

TEST_CASE("the input split at every byte gives identical events, output and state") {
  SessionConfig c;
  c.max_accept_backlog = 3;
  const Bytes input = busy_input();
  const Run whole = run({input}, c);
  CHECK(whole.outcome.ok());
  CHECK(whole.events == Strings{"accepted 1", "accepted 3", "InboundStream 1", "InboundStream 3", "InboundStream 5",
                                "Readable 1", "ReadClosed 1", "Readable 3", "ReadClosed 3"});
  CHECK(frames_of(whole.sent) == Strings{"ping A 0 1", "window_update R 7 0", "ping A 0 2", "window_update A 1 0",
                                         "window_update A 3 0"});
  test::for_each_split(input, [&](ByteView first, ByteView second) {
    CAPTURE(first.size());
    check_same(run({first, second}, c), whole);
  });
  std::vector<ByteView> bytes;
  for (std::size_t i = 0; i < input.size(); ++i) bytes.push_back(ByteView(input).subspan(i, 1));
  check_same(run(bytes, c), whole);
}

TEST_CASE("a violating input split at every byte fails identically") {
  const Bytes input = cat({data_frame(kFlagSyn, 1, test::filled(30)), ping_frame(kFlagSyn, 4),
                           data_frame(0, 1, test::filled(40)), window_update(kFlagSyn, 1, 0),
                           data_frame(0, 1, test::filled(50))});
  const Run whole = run({input}, {});
  CHECK(whole.outcome == Errc::mux_stream_id_reused);
  CHECK(frames_of(whole.sent) == Strings{"go_away - 0 1"});
  test::for_each_split(input, [&](ByteView first, ByteView second) {
    CAPTURE(first.size());
    check_same(run({first, second}, {}), whole);
  });
}

TEST_CASE("many frames in one call") {
  Session b(Role::responder, {}, t0());
  Bytes input = window_update(kFlagSyn, 1, 0);
  Bytes expected;
  for (int i = 0; i < 2000; ++i) {
    const Bytes payload = test::filled(static_cast<std::size_t>(i % 100), static_cast<std::uint8_t>(i));
    input = cat({input, data_frame(0, 1, payload), ping_frame(kFlagAck, 0)});
    expected.insert(expected.end(), payload.begin(), payload.end());
  }
  REQUIRE(expected.size() < kInitialWindowBytes);
  auto r = b.handle_bytes(input, t0());
  REQUIRE(r.has_value());
  CHECK(r.value() == input.size());
  CHECK(b.stats().frames_received == 4001);
  REQUIRE(b.accept() == StreamId{1});
  Bytes got(expected.size() + 10);
  CHECK(b.read(1, got).value() == expected.size());
  got.resize(expected.size());
  CHECK(got == expected);
  CHECK(b.stats().unexpected_pongs == 2000);
}
