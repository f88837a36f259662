// Tests for src/handshake/handshake_framing.cpp: the per-phase capped length prefix.
#include "handshake/handshake_framing.hpp"

#include "test_bytes.hpp"

#include <doctest/doctest.h>

namespace weft::test {
namespace {

using handshake::FrameReader;
using handshake::frame_message;

Bytes concat_bytes(Bytes a, ByteView b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

TEST_CASE("frame_message prefixes the minimal varint length") {
  CHECK(frame_message(bytes({})) == bytes({0x00}));
  CHECK(frame_message(bytes({7, 8})) == bytes({0x02, 7, 8}));
  CHECK(frame_message(Bytes(300, 1)).size() == 302);
}

TEST_CASE("a frame split at every byte reassembles, and nothing past it is consumed") {
  const Bytes frame = frame_message(Bytes(200, 0xAB));
  const Bytes stream = concat_bytes(frame, bytes({0xEE, 0xFF}));
  for_each_split(stream, [&](ByteView first, ByteView second) {
    FrameReader reader(256);
    auto a = reader.put(first);
    REQUIRE(a.has_value());
    std::size_t used = a.value().consumed;
    bool complete = a.value().complete;
    if (!complete) {
      CHECK(used == first.size());
      auto b = reader.put(second);
      REQUIRE(b.has_value());
      used += b.value().consumed;
      complete = b.value().complete;
    }
    CHECK(complete);
    CHECK(used == frame.size());
    CHECK(reader.frame() == frame);
    CHECK(reader.body().size() == 200);
  });
}

TEST_CASE("lengths against the cap") {
  FrameReader at_cap(128);
  auto ok = at_cap.put(bytes({0x80, 0x01}));
  REQUIRE(ok.has_value());
  CHECK_FALSE(ok.value().complete);
  FrameReader over(128);
  CHECK(outcome_of(over.put(bytes({0x81, 0x01}))) == Errc::handshake_too_large);
  FrameReader early(128);  // 2 bytes with the continuation bit: at least 2^14
  CHECK(outcome_of(early.put(bytes({0x80, 0x80}))) == Errc::handshake_too_large);
  FrameReader overflow(~std::size_t{0});  // with no cap, the varint itself overflows
  CHECK(outcome_of(overflow.put(Bytes(9, 0xFF))) == Errc::handshake_too_large);
  FrameReader overlong(128);
  CHECK(outcome_of(overlong.put(bytes({0x81, 0x00}))) == Errc::handshake_malformed);
}

TEST_CASE("an empty frame completes at once, and reset starts over") {
  FrameReader reader(10);
  auto step = reader.put(bytes({0x00, 0x01}));
  REQUIRE(step.has_value());
  CHECK(step.value().complete);
  CHECK(step.value().consumed == 1);
  CHECK(reader.body().empty());
  reader.reset(10);
  step = reader.put(bytes({0x01, 0x09}));
  REQUIRE(step.has_value());
  CHECK(step.value().complete);
  CHECK(reader.body()[0] == 0x09);
}

}  // namespace
}  // namespace weft::test
