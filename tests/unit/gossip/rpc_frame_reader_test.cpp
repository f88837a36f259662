// RpcFrameReader: frames from any split of the stream, one frame at a time, the cap at
// exactly its value, early refusal of prefixes that can only exceed it, sticky errors.

#include "gossip/rpc_frame_reader.hpp"

#include "gossip/rpc_codec.hpp"
#include "identity/varint.hpp"
#include "test_bytes.hpp"

#include <doctest/doctest.h>

using namespace weft;
using namespace weft::gossip;
using weft::test::bytes;
using weft::test::outcome_of;

namespace {

Bytes frame_of(std::size_t body_bytes, std::uint8_t fill) {
  Bytes out;
  identity::append_uvarint(out, body_bytes);
  out.insert(out.end(), body_bytes, fill);
  return out;
}

// Feeds `in` in pieces, polling whenever a frame is whole; returns the frames.
std::vector<Bytes> feed(RpcFrameReader& r, ByteView in) {
  std::vector<Bytes> frames;
  while (!in.empty()) {
    auto used = r.put(in);
    REQUIRE(used.has_value());
    in = in.subspan(used.value());
    if (auto f = r.poll_frame()) frames.push_back(std::move(*f));
    else REQUIRE(in.empty());  // nothing taken is only allowed while a frame waits
  }
  return frames;
}

}  // namespace

TEST_CASE("frame reader: one frame, split at every byte") {
  Rpc rpc;
  rpc.subscriptions = {{true, "topic"}};
  const Bytes frame = encode_rpc_frame(rpc);
  weft::test::for_each_split(frame, [&](ByteView a, ByteView b) {
    RpcFrameReader r(1024);
    auto first = feed(r, a);
    auto second = feed(r, b);
    first.insert(first.end(), second.begin(), second.end());
    REQUIRE(first.size() == 1);
    CHECK(first[0] == encode_rpc(rpc));
    CHECK(r.buffered_bytes() == 0);
  });
}

TEST_CASE("frame reader: several frames in one buffer come out one at a time") {
  Bytes in = frame_of(3, 0xA1);
  const Bytes second = frame_of(0, 0);
  const Bytes third = frame_of(200, 0xC3);
  in.insert(in.end(), second.begin(), second.end());
  in.insert(in.end(), third.begin(), third.end());
  RpcFrameReader r(1024);
  auto used = r.put(in);
  REQUIRE(used.has_value());
  CHECK(used.value() == 4);  // up to the end of the first frame
  auto again = r.put(ByteView(in).subspan(4));
  REQUIRE(again.has_value());
  CHECK(again.value() == 0);  // a whole frame waits for poll_frame()
  CHECK(r.poll_frame() == Bytes(3, 0xA1));
  CHECK_FALSE(r.poll_frame().has_value());
  auto frames = feed(r, ByteView(in).subspan(4));
  REQUIRE(frames.size() == 2);
  CHECK(frames[0].empty());
  CHECK(frames[1] == Bytes(200, 0xC3));
}

TEST_CASE("frame reader: the cap holds at exactly its value") {
  RpcFrameReader at_cap(300);
  auto frames = feed(at_cap, frame_of(300, 1));
  REQUIRE(frames.size() == 1);
  CHECK(frames[0].size() == 300);

  RpcFrameReader over(300);
  const Bytes prefix = frame_of(301, 1);
  auto used = over.put(ByteView(prefix).first(2));
  CHECK(outcome_of(used) == Errc::gossip_rpc_too_large);
  CHECK(over.buffered_bytes() == 2);  // nothing allocated for the body
}

TEST_CASE("frame reader: a prefix that can only decode above the cap is refused early") {
  RpcFrameReader r(300);  // 300 takes 2 bytes: a third continuation byte can only be larger
  CHECK(r.put(bytes({0x80})).has_value());
  CHECK(outcome_of(r.put(bytes({0x80}))) == Errc::gossip_rpc_too_large);
}

TEST_CASE("frame reader: non-minimal and overflowing prefixes") {
  RpcFrameReader overlong(1 << 30);
  CHECK(outcome_of(overlong.put(bytes({0x81, 0x00}))) == Errc::gossip_rpc_malformed);

  RpcFrameReader overflow(std::size_t{1} << 62);
  CHECK(outcome_of(overflow.put(bytes({0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF}))) ==
        Errc::gossip_rpc_too_large);
}

TEST_CASE("frame reader: errors are sticky") {
  RpcFrameReader r(10);
  CHECK(outcome_of(r.put(bytes({0x0B}))) == Errc::gossip_rpc_too_large);
  CHECK(outcome_of(r.put(bytes({0x01, 0x00}))) == Errc::gossip_rpc_too_large);
  CHECK_FALSE(r.poll_frame().has_value());
}
