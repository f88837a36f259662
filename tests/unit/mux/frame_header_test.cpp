// frame_header: the 12-byte layout of every frame type and flag, byte for byte; round
// trips; bad version and type are mux_protocol_error.

#include "mux/frame_header.hpp"

#include <doctest/doctest.h>

#include "test_bytes.hpp"

using namespace weft;
using namespace weft::mux;
using weft::test::hex;
using weft::test::outcome_of;
using weft::test::to_hex;

namespace {

Result<FrameHeader> decode(const Bytes& b) { return decode_header(std::span<const std::uint8_t, kHeaderBytes>(b.data(), kHeaderBytes)); }

}  // namespace

TEST_CASE("each frame type encodes to the spec's layout (big-endian)") {
  CHECK(to_hex(encode_header({FrameType::data, kFlagSyn, 1, 5})) == "000000010000000100000005");
  CHECK(to_hex(encode_header({FrameType::window_update, kFlagAck, 0x01020304, 0x00040000})) ==
        "000100020102030400040000");
  CHECK(to_hex(encode_header({FrameType::ping, kFlagSyn, 0, 0xDEADBEEF})) == "0002000100000000deadbeef");
  CHECK(to_hex(encode_header({FrameType::go_away, 0, 0, 2})) == "000300000000000000000002");
  CHECK(to_hex(encode_header({FrameType::data, kFlagFin | kFlagRst, 0xFFFFFFFF, 0})) == "0000000cffffffff00000000");
}

TEST_CASE("flag values are the spec's") {
  CHECK(kFlagSyn == 1);
  CHECK(kFlagAck == 2);
  CHECK(kFlagFin == 4);
  CHECK(kFlagRst == 8);
  CHECK(kInitialWindowBytes == 262144);
}

TEST_CASE("decode inverts encode for every type and flag combination") {
  for (int type = 0; type <= 3; ++type) {
    for (std::uint16_t flags = 0; flags <= 0xF; ++flags) {
      const FrameHeader h{static_cast<FrameType>(type), flags, 0x80000001u + flags, 0x7FFFFFFFu - flags};
      const HeaderBytes b = encode_header(h);
      auto back = decode_header(b);
      REQUIRE(back.has_value());
      CHECK(back.value() == h);
    }
  }
}

TEST_CASE("unknown flag bits decode as sent (the session judges them)") {
  auto h = decode(hex("0000801000000001000000ff"));
  REQUIRE(h.has_value());
  CHECK(h.value().flags == 0x8010);
  CHECK(h.value().payload_bytes() == 255);
}

TEST_CASE("only data frames have a payload") {
  CHECK(FrameHeader{FrameType::data, 0, 1, 7}.payload_bytes() == 7);
  CHECK(FrameHeader{FrameType::window_update, 0, 1, 7}.payload_bytes() == 0);
  CHECK(FrameHeader{FrameType::ping, 0, 0, 7}.payload_bytes() == 0);
  CHECK(FrameHeader{FrameType::go_away, 0, 0, 7}.payload_bytes() == 0);
}

TEST_CASE("a version other than 0 is mux_protocol_error") {
  auto h = decode(hex("010000000000000100000000"));
  CHECK(outcome_of(h) == Errc::mux_protocol_error);
  CHECK(weft::test::detail_of(h) == "version 1, expected 0");
  CHECK(outcome_of(decode(hex("ff0000000000000100000000"))) == Errc::mux_protocol_error);
}

TEST_CASE("a type above 3 is mux_protocol_error") {
  auto h = decode(hex("000400000000000100000000"));
  CHECK(outcome_of(h) == Errc::mux_protocol_error);
  CHECK(weft::test::detail_of(h) == "frame type 4 (known: 0-3)");
  CHECK(outcome_of(decode(hex("00ff00000000000100000000"))) == Errc::mux_protocol_error);
}

TEST_CASE("append_header appends exactly the 12 bytes") {
  Bytes out = {0xAA};
  append_header({FrameType::ping, kFlagAck, 0, 9}, out);
  CHECK(to_hex(out) == "aa0002000200000000" "00000009");
}
