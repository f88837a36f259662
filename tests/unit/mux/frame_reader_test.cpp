// FrameReader: headers and payload pieces from any split of the stream (every byte, one
// byte at a time, many frames at once), no payload for non-data frames, and a failed
// reader stays failed.

#include "mux/frame_reader.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "mux_test_support.hpp"
#include "test_bytes.hpp"

using namespace weft;
using namespace weft::mux;
using weft::test::outcome_of;

namespace {

struct Parsed {
  std::vector<std::string> headers;
  std::vector<Bytes> payloads;  ///< one per data frame, reassembled
  std::size_t frames_done = 0;
  test::Outcome end;
  std::size_t used = 0;
};

// Feeds `parts` in order, stepping until each is used up.
Parsed parse(const std::vector<ByteView>& parts) {
  FrameReader reader;
  Parsed p;
  for (ByteView part : parts) {
    std::size_t at = 0;
    do {
      auto step = reader.next(part.subspan(at));
      if (!step) {
        p.end = outcome_of(step);
        return p;
      }
      at += step.value().used;
      p.used += step.value().used;
      if (step.value().header) {
        p.headers.push_back(test::describe(*step.value().header));
        if (step.value().header->type == FrameType::data) p.payloads.emplace_back();
      }
      if (!step.value().payload.empty()) {
        p.payloads.back().insert(p.payloads.back().end(), step.value().payload.begin(), step.value().payload.end());
      }
      if (step.value().frame_done) ++p.frames_done;
    } while (at < part.size());
  }
  return p;
}

Bytes sample_stream() {
  return test::cat({test::data_frame(kFlagSyn, 1, test::filled(5)), test::window_update(kFlagAck, 2, 1000),
                    test::ping_frame(kFlagSyn, 77), test::data_frame(0, 1, {}), test::data_frame(kFlagFin, 3, test::filled(40, 9)),
                    test::go_away_frame(GoAwayCode::normal)});
}

}  // namespace

TEST_CASE("one put: every frame, header and payload") {
  const Bytes stream = sample_stream();
  const Parsed p = parse({stream});
  CHECK(p.end.ok());
  CHECK(p.used == stream.size());
  CHECK(p.headers == std::vector<std::string>{"data S 1 5", "window_update A 2 1000", "ping S 0 77", "data - 1 0",
                                              "data F 3 40", "go_away - 0 0"});
  REQUIRE(p.payloads.size() == 3);
  CHECK(p.payloads[0] == test::filled(5));
  CHECK(p.payloads[1].empty());
  CHECK(p.payloads[2] == test::filled(40, 9));
  CHECK(p.frames_done == 6);
}

TEST_CASE("the stream split at every byte gives identical frames") {
  const Bytes stream = sample_stream();
  const Parsed whole = parse({stream});
  test::for_each_split(stream, [&](ByteView first, ByteView second) {
    CAPTURE(first.size());
    const Parsed p = parse({first, second});
    CHECK(p.end.ok());
    CHECK(p.headers == whole.headers);
    CHECK(p.payloads == whole.payloads);
    CHECK(p.frames_done == whole.frames_done);
  });
}

TEST_CASE("one byte per put gives identical frames; idle only between frames") {
  const Bytes stream = sample_stream();
  FrameReader reader;
  std::size_t idle_points = 0;
  for (std::size_t i = 0; i < stream.size(); ++i) {
    auto step = reader.next(ByteView(stream).subspan(i, 1));
    REQUIRE(step.has_value());
    CHECK(step.value().used == 1);
    if (reader.idle()) ++idle_points;
  }
  CHECK(idle_points == 6);  // once after each frame
  std::vector<ByteView> parts;
  for (std::size_t i = 0; i < stream.size(); ++i) parts.push_back(ByteView(stream).subspan(i, 1));
  CHECK(parse(parts).headers == parse({stream}).headers);
  CHECK(parse(parts).payloads == parse({stream}).payloads);
}

TEST_CASE("a payload is handed out as it arrives and payload_left counts down") {
  const Bytes f = test::data_frame(0, 1, test::filled(100));
  FrameReader reader;
  auto h = reader.next(ByteView(f).first(12));
  REQUIRE(h.has_value());
  CHECK(h.value().header.has_value());
  CHECK_FALSE(h.value().frame_done);
  CHECK(reader.payload_left() == 100);
  auto p1 = reader.next(ByteView(f).subspan(12, 30));
  REQUIRE(p1.has_value());
  CHECK(p1.value().payload.size() == 30);
  CHECK_FALSE(p1.value().frame_done);
  CHECK(reader.payload_left() == 70);
  auto p2 = reader.next(ByteView(f).subspan(42));
  REQUIRE(p2.has_value());
  CHECK(p2.value().payload.size() == 70);
  CHECK(p2.value().frame_done);
  CHECK(reader.idle());
}

TEST_CASE("a step never takes bytes past the current payload") {
  const Bytes two = test::cat({test::data_frame(0, 1, test::filled(3)), test::data_frame(0, 1, test::filled(4))});
  FrameReader reader;
  auto h = reader.next(two);
  REQUIRE(h.has_value());
  CHECK(h.value().used == 12);
  auto p = reader.next(ByteView(two).subspan(12));
  REQUIRE(p.has_value());
  CHECK(p.value().used == 3);
  CHECK(p.value().frame_done);
}

TEST_CASE("a window update's length is not a payload") {
  const Bytes f = test::window_update(0, 1, 0xFFFFFFFF);
  const Parsed p = parse({f});
  CHECK(p.used == 12);
  CHECK(p.payloads.empty());
  CHECK(p.frames_done == 1);
}

TEST_CASE("a bad header fails at its 12th byte in any split, and the reader stays failed") {
  const Bytes stream = test::cat({test::ping_frame(kFlagSyn, 1), weft::test::hex("000900000000000000000000"),
                                  test::ping_frame(kFlagSyn, 2)});
  test::for_each_split(stream, [&](ByteView first, ByteView second) {
    const Parsed p = parse({first, second});
    CHECK(p.end == Errc::mux_protocol_error);
    CHECK(p.headers == std::vector<std::string>{"ping S 0 1"});
    CHECK(p.used < 24);
  });
  FrameReader reader;
  CHECK(outcome_of(reader.next(ByteView(stream).subspan(12, 12))) == Errc::mux_protocol_error);
  CHECK(reader.failed());
  CHECK(outcome_of(reader.next(test::ping_frame(kFlagSyn, 3))) == Errc::mux_protocol_error);
}

TEST_CASE("empty input takes nothing") {
  FrameReader reader;
  auto step = reader.next({});
  REQUIRE(step.has_value());
  CHECK(step.value().used == 0);
  CHECK_FALSE(step.value().header.has_value());
  CHECK(reader.idle());
}

TEST_CASE("1000 frames in one buffer") {
  Bytes stream;
  for (std::uint32_t i = 0; i < 1000; ++i) {
    const Bytes f = i % 2 ? test::data_frame(0, 1 + 2 * (i % 7), test::filled(i % 50, static_cast<std::uint8_t>(i)))
                          : test::window_update(0, 3, i);
    stream.insert(stream.end(), f.begin(), f.end());
  }
  const Parsed p = parse({stream});
  CHECK(p.end.ok());
  CHECK(p.frames_done == 1000);
  CHECK(p.payloads.size() == 500);
  CHECK(p.payloads[499] == test::filled(999 % 50, static_cast<std::uint8_t>(999)));
}
