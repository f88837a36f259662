// FrameDecoder: round trips, delivery independent of how the stream is split (every
// byte, random splits, many frames per put), tampering at every bit of a frame, replay /
// reorder / drop, the length checks before allocation, wrong keys, rekey agreement,
// permanent failure, memory held while idle, and moves. Every channel_* Errc but
// channel_closed (the driver's) is triggered here.

#include "channel/frame_decoder.hpp"

#include <doctest/doctest.h>

#include <cstdint>
#include <random>
#include <utility>
#include <vector>

#include "allocation_tracker.hpp"
#include "channel_test_support.hpp"
#include "test_bytes.hpp"

using namespace weft;
using namespace weft::channel;
using weft::test::concat;
using weft::test::cut;
using weft::test::decode;
using weft::test::Delivery;
using weft::test::feed;
using weft::test::key_of;
using weft::test::random_bytes;
using weft::test::seal_stream;
using weft::test::split_frames;

namespace {

// A small frame cap so streams split at every byte stay cheap, and an interval that
// rekeys inside them.
ChannelConfig small_config() {
  ChannelConfig config;
  config.max_frame_plaintext_bytes = 100;
  config.rekey_interval_frames = 3;
  return config;
}

std::vector<Bytes> mixed_plaintexts(std::mt19937_64& rng, std::size_t max, std::size_t count) {
  std::vector<Bytes> out = {Bytes{}, random_bytes(rng, 1), random_bytes(rng, max)};
  while (out.size() < count) out.push_back(random_bytes(rng, rng() % (max + 1)));
  return out;
}

Bytes header(std::uint32_t length) {
  return weft::test::bytes({static_cast<int>(length >> 24), static_cast<int>((length >> 16) & 0xFF),
                            static_cast<int>((length >> 8) & 0xFF), static_cast<int>(length & 0xFF)});
}

bool same_end(const Delivery& a, const Delivery& b) {
  return a.end.failed == b.end.failed && a.end.code == b.end.code && a.end.text == b.end.text;
}

}  // namespace

TEST_CASE("round trip: sizes 0, 1, max and random, in one put") {
  std::mt19937_64 rng(1);
  const ChannelConfig config;
  const auto key = key_of(1);
  const auto plaintexts = mixed_plaintexts(rng, config.max_frame_plaintext_bytes, 40);
  const Bytes stream = seal_stream(key, config, plaintexts);
  FrameDecoder decoder(key, config);
  auto used = decoder.put(stream);
  REQUIRE(used.has_value());
  CHECK(used.value() == stream.size());
  CHECK(decoder.frames_pending() == plaintexts.size());
  for (const Bytes& expected : plaintexts) {
    auto frame = decoder.poll_frame();
    REQUIRE(frame.has_value());
    CHECK(*frame == expected);
  }
  CHECK_FALSE(decoder.poll_frame().has_value());
  CHECK(decoder.frames_decoded() == plaintexts.size());
  CHECK(decoder.heap_bytes() == 0);
}

TEST_CASE("the stream split at every byte gives identical delivery") {
  std::mt19937_64 rng(2);
  const auto config = small_config();
  const auto key = key_of(2);
  const auto plaintexts = mixed_plaintexts(rng, config.max_frame_plaintext_bytes, 12);
  const Bytes stream = seal_stream(key, config, plaintexts);
  weft::test::for_each_split(stream, [&](ByteView first, ByteView second) {
    const Delivery d = decode(key, config, {first, second});
    CAPTURE(first.size());
    CHECK(d.end.ok());
    CHECK(d.consumed == stream.size());
    CHECK(d.frames == plaintexts);
  });
}

TEST_CASE("AES-256-GCM frames (handshake version 2): any split decodes the same; the other cipher fails at once") {
  if (!util::aes256_gcm_available()) {
    MESSAGE("this CPU has no AES-256-GCM: a version-2 channel is never chosen here");
    return;
  }
  std::mt19937_64 rng(4);
  const auto config = small_config();
  const auto key = key_of(4);
  const auto plaintexts = mixed_plaintexts(rng, config.max_frame_plaintext_bytes, 12);
  const Bytes stream = seal_stream(key, config, plaintexts, util::AeadCipher::aes256_gcm);
  CHECK(stream != seal_stream(key, config, plaintexts));  // not the ChaCha20-Poly1305 frames
  weft::test::for_each_split(stream, [&](ByteView first, ByteView second) {
    const Delivery d = decode(key, config, {first, second}, util::AeadCipher::aes256_gcm);
    CAPTURE(first.size());
    CHECK(d.end.ok());
    CHECK(d.frames == plaintexts);
  });
  const Delivery wrong = decode(key, config, {ByteView(stream)});  // a ChaCha20-Poly1305 decoder
  CHECK(wrong.frames.empty());
  CHECK(wrong.end.code == make_error_code(Errc::channel_auth_failed));
  const Delivery wrong_way = decode(key, config, {ByteView(seal_stream(key, config, plaintexts))},
                                    util::AeadCipher::aes256_gcm);
  CHECK(wrong_way.frames.empty());
  CHECK(wrong_way.end.code == make_error_code(Errc::channel_auth_failed));
}

TEST_CASE("one byte per put, including a maximum-size frame, gives identical delivery") {
  std::mt19937_64 rng(3);
  const ChannelConfig config;
  const auto key = key_of(3);
  const auto plaintexts = mixed_plaintexts(rng, config.max_frame_plaintext_bytes, 4);
  const Bytes stream = seal_stream(key, config, plaintexts);
  std::vector<ByteView> parts;
  for (std::size_t i = 0; i < stream.size(); ++i) parts.push_back(ByteView(stream).subspan(i, 1));
  const Delivery d = decode(key, config, parts);
  CHECK(d.end.ok());
  CHECK(d.frames == plaintexts);
}

TEST_CASE("random splits, empty puts included, give identical delivery") {
  std::mt19937_64 rng(4);
  const ChannelConfig config;
  for (int round = 0; round < 50; ++round) {
    CAPTURE(round);
    const auto key = key_of(static_cast<std::uint8_t>(round));
    const auto plaintexts = mixed_plaintexts(rng, config.max_frame_plaintext_bytes / 16, 20);
    const Bytes stream = seal_stream(key, config, plaintexts);
    std::vector<std::size_t> offsets;
    for (std::size_t at = 0; at < stream.size(); at += rng() % 700) offsets.push_back(at);
    const Delivery d = decode(key, config, cut(stream, offsets));
    CHECK(d.end.ok());
    CHECK(d.frames == plaintexts);
  }
}

TEST_CASE("a partial frame waits: nothing is delivered until its last byte") {
  const auto config = small_config();
  const auto key = key_of(5);
  const Bytes stream = seal_stream(key, config, {Bytes(50, 7)});
  FrameDecoder decoder(key, config);
  for (std::size_t i = 0; i + 1 < stream.size(); ++i) {
    REQUIRE(decoder.put(ByteView(stream).subspan(i, 1)).has_value());
    CHECK_FALSE(decoder.poll_frame().has_value());
  }
  CHECK(decoder.put(ByteView(stream).last(1)).has_value());
  CHECK(decoder.poll_frame() == Bytes(50, 7));
  CHECK(decoder.put({}).value() == 0);
}

TEST_CASE("memory: nothing while idle or mid-header, one frame's size once its header arrived") {
  const ChannelConfig config;
  const auto key = key_of(6);
  const Bytes stream = seal_stream(key, config, {Bytes(config.max_frame_plaintext_bytes, 1), Bytes(3, 2)});
  FrameDecoder decoder(key, config);
  CHECK(decoder.heap_bytes() == 0);
  REQUIRE(decoder.put(ByteView(stream).first(3)).has_value());
  CHECK(decoder.heap_bytes() == 0);
  REQUIRE(decoder.put(ByteView(stream).subspan(3, 2)).has_value());
  CHECK(decoder.heap_bytes() == config.max_frame_plaintext_bytes + util::kAeadTagBytes);
  REQUIRE(decoder.put(ByteView(stream).subspan(5)).has_value());
  CHECK(decoder.frames_pending() == 2);
  CHECK(decoder.poll_frame().has_value());
  CHECK(decoder.poll_frame().has_value());
  CHECK(decoder.heap_bytes() == 0);
  MESSAGE("sizeof(FrameDecoder) = " << sizeof(FrameDecoder) << ", idle heap = " << decoder.heap_bytes());
}

TEST_CASE("an idle decoder holds no frame buffer between frames and keeps decoding, across rekeys") {
  std::mt19937_64 rng(18);
  const auto config = small_config();
  const auto key = key_of(18);
  FrameSealer sealer(key, config);
  FrameDecoder decoder(key, config);
  for (int round = 0; round < 200; ++round) {
    CAPTURE(round);
    const Bytes plaintext = random_bytes(rng, rng() % (config.max_frame_plaintext_bytes + 1));
    Bytes wire;
    sealer.seal(plaintext, wire);
    const std::size_t at = rng() % (wire.size() + 1);
    REQUIRE(decoder.put(ByteView(wire).first(at)).has_value());
    REQUIRE(decoder.put(ByteView(wire).subspan(at)).has_value());
    CHECK(decoder.poll_frame() == plaintext);
    CHECK_FALSE(decoder.poll_frame().has_value());
    CHECK(decoder.heap_bytes() == 0);
  }
  CHECK(decoder.frames_decoded() == 200);
  CHECK(sealer.rekeys() == 66);
}

TEST_CASE("many frames in one put: all delivered, all bytes consumed") {
  ChannelConfig config;
  config.rekey_interval_frames = 7;
  const auto key = key_of(19);
  std::vector<Bytes> plaintexts;
  for (int i = 0; i < 1000; ++i) plaintexts.push_back(i % 3 == 0 ? Bytes{} : weft::test::bytes({i & 0xFF, i >> 8}));
  const Bytes stream = seal_stream(key, config, plaintexts);
  FrameDecoder decoder(key, config);
  auto used = decoder.put(stream);
  REQUIRE(used.has_value());
  CHECK(used.value() == stream.size());
  CHECK(decoder.frames_pending() == plaintexts.size());
  std::vector<Bytes> got;
  while (auto frame = decoder.poll_frame()) got.push_back(std::move(*frame));
  CHECK(got == plaintexts);
  CHECK(decoder.heap_bytes() == 0);
}

TEST_CASE("frames polled between puts come out in stream order") {
  // Polling only some frames before the next put: the decoder's single-frame slot and its
  // queue must still hand them out oldest first.
  ChannelConfig config;
  const auto key = key_of(23);
  std::vector<Bytes> plaintexts;
  for (int i = 0; i < 7; ++i) plaintexts.push_back(weft::test::bytes({i, i + 1}));
  const std::vector<Bytes> frames = split_frames(seal_stream(key, config, plaintexts));
  REQUIRE(frames.size() == plaintexts.size());
  FrameDecoder decoder(key, config);
  std::vector<Bytes> got;
  const auto put = [&](std::size_t i) { REQUIRE(decoder.put(frames[i]).has_value()); };
  const auto poll = [&] {
    auto frame = decoder.poll_frame();
    REQUIRE(frame.has_value());
    got.push_back(std::move(*frame));
  };
  put(0);
  put(1);
  CHECK(decoder.frames_pending() == 2);
  poll();          // 0
  put(2);          // 1 still waits: 2 queues behind it
  CHECK(decoder.frames_pending() == 2);
  poll();          // 1
  put(3);
  poll();          // 2
  poll();          // 3
  CHECK(decoder.frames_pending() == 0);
  put(4);          // all drained: the usual single frame
  put(5);
  poll();          // 4
  put(6);
  poll();          // 5
  poll();          // 6
  CHECK_FALSE(decoder.poll_frame().has_value());
  CHECK(got == plaintexts);
  CHECK(decoder.heap_bytes() == 0);
}

TEST_CASE("a flipped bit anywhere in a frame is an error and never a different plaintext") {
  std::mt19937_64 rng(7);
  const auto config = small_config();
  const auto key = key_of(7);
  const std::vector<Bytes> plaintexts = {random_bytes(rng, 5), random_bytes(rng, 40), Bytes{},
                                         random_bytes(rng, 100)};
  const Bytes stream = seal_stream(key, config, plaintexts);
  const auto frames = split_frames(stream);
  // Enough trailing bytes that a length raised by the flip still completes its frame.
  const Bytes tail(config.max_frame_plaintext_bytes + util::kAeadTagBytes, 0);
  std::size_t frame_start = 0;
  for (std::size_t f = 0; f < frames.size(); ++f) {
    for (std::size_t offset = 0; offset < frames[f].size(); ++offset) {
      for (int bit = 0; bit < 8; ++bit) {
        Bytes tampered = stream;
        tampered[frame_start + offset] ^= static_cast<std::uint8_t>(1 << bit);
        tampered.insert(tampered.end(), tail.begin(), tail.end());
        const Delivery d = decode(key, config, tampered);
        CAPTURE(f);
        CAPTURE(offset);
        CAPTURE(bit);
        REQUIRE(d.end.failed);
        CHECK((d.end == Errc::channel_auth_failed || d.end == Errc::channel_frame_too_large ||
               d.end == Errc::channel_frame_too_short));
        CHECK(d.frames == std::vector<Bytes>(plaintexts.begin(), plaintexts.begin() + static_cast<long>(f)));
      }
    }
    frame_start += frames[f].size();
  }
}

TEST_CASE("a flipped bit that raises a frame's length makes the decoder wait; more junk ends in an error") {
  // The default cap, so flips in the low two length bytes stay under it and the decoder
  // waits for a body that never authenticates. Nothing but the frames before the tampered
  // one is ever delivered, whatever follows.
  std::mt19937_64 rng(17);
  const ChannelConfig config;
  const auto key = key_of(17);
  const std::vector<Bytes> plaintexts = {random_bytes(rng, 3), Bytes{}, random_bytes(rng, 60)};
  const Bytes stream = seal_stream(key, config, plaintexts);
  const auto frames = split_frames(stream);
  const Bytes junk = random_bytes(rng, 4096);
  const std::size_t junk_puts = (config.max_frame_plaintext_bytes + util::kAeadTagBytes) / junk.size() + 2;
  std::size_t waited = 0;
  std::size_t frame_start = 0;
  for (std::size_t f = 0; f < frames.size(); ++f) {
    const std::vector<Bytes> before(plaintexts.begin(), plaintexts.begin() + static_cast<long>(f));
    for (std::size_t offset = 0; offset < frames[f].size(); ++offset) {
      for (int bit = 0; bit < 8; ++bit) {
        Bytes tampered = stream;
        tampered[frame_start + offset] ^= static_cast<std::uint8_t>(1 << bit);
        CAPTURE(f);
        CAPTURE(offset);
        CAPTURE(bit);
        FrameDecoder decoder(key, config);
        Delivery d = feed(decoder, {ByteView(tampered)});
        CHECK(d.frames == before);
        if (d.end.failed) {
          CHECK((d.end == Errc::channel_auth_failed || d.end == Errc::channel_frame_too_large ||
                 d.end == Errc::channel_frame_too_short));
          continue;
        }
        // Only a header flip that raised the length can leave the decoder waiting.
        ++waited;
        CHECK(offset < 4);
        CHECK((frames[f][offset] & (1 << bit)) == 0);
        CHECK(decoder.frames_pending() == 0);
        std::vector<ByteView> more(junk_puts, ByteView(junk));
        const Delivery rest = feed(decoder, more);
        CHECK(rest.end == Errc::channel_auth_failed);
        CHECK(rest.frames.empty());
        CHECK(decoder.failed());
        CHECK_FALSE(decoder.poll_frame().has_value());
      }
    }
    frame_start += frames[f].size();
  }
  // Bits 0..7 of byte 3 and 0..7 of byte 2 (each clear one raises the length under the
  // cap) in each frame: the waiting path was exercised, not skipped.
  CHECK(waited >= 3 * 8);
}

TEST_CASE("replayed, reordered and dropped frames fail to authenticate") {
  const ChannelConfig config;
  const auto key = key_of(8);
  const std::vector<Bytes> plaintexts = {weft::test::bytes_of("a"), weft::test::bytes_of("b"),
                                         weft::test::bytes_of("c")};
  const auto frames = split_frames(seal_stream(key, config, plaintexts));
  REQUIRE(frames.size() == 3);
  struct Case {
    const char* name;
    std::vector<Bytes> wire;
    std::size_t delivered;  // frames before the bad one
  };
  const std::vector<Case> cases = {
      {"replay of the first", {frames[0], frames[0]}, 1},
      {"replay of an older one later", {frames[0], frames[1], frames[0]}, 2},
      {"reordered", {frames[1], frames[0]}, 0},
      {"reordered after the first", {frames[0], frames[2], frames[1]}, 1},
      {"dropped", {frames[0], frames[2]}, 1},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    const Delivery d = decode(key, config, concat(c.wire));
    CHECK(d.end == Errc::channel_auth_failed);
    CHECK(d.frames == std::vector<Bytes>(plaintexts.begin(), plaintexts.begin() + static_cast<long>(c.delivered)));
  }
}

TEST_CASE("a length above max + 16 fails on the 4 header bytes alone, allocating nothing frame-sized") {
  const ChannelConfig config;
  const auto cap = static_cast<std::uint32_t>(config.max_frame_plaintext_bytes + util::kAeadTagBytes);
  for (std::uint32_t length : {cap + 1, cap * 2, 0x7FFFFFFFu, 0xFFFFFFFFu}) {
    CAPTURE(length);
    FrameDecoder decoder(key_of(9), config);
    const Bytes h = header(length);
    REQUIRE(decoder.put(ByteView(h).first(3)).has_value());
    weft::test::start_tracking_allocations();
    auto used = decoder.put(ByteView(h).last(1));
    const std::size_t largest = weft::test::stop_tracking_allocations();
    CHECK(weft::test::outcome_of(used) == Errc::channel_frame_too_large);
    CHECK(largest < 256);  // at most the error's detail text
    CHECK(decoder.heap_bytes() == 0);
    CHECK(weft::test::detail_of(used).find(std::to_string(length)) != std::string::npos);
  }
  // Exactly the cap is a valid length: the decoder waits for the body.
  FrameDecoder decoder(key_of(9), config);
  CHECK(decoder.put(header(cap)).has_value());
}

TEST_CASE("a length below the 16-byte tag is channel_frame_too_short; exactly 16 is an empty frame") {
  const ChannelConfig config;
  for (std::uint32_t length : {0u, 1u, 15u}) {
    CAPTURE(length);
    FrameDecoder decoder(key_of(10), config);
    CHECK(weft::test::outcome_of(decoder.put(header(length))) == Errc::channel_frame_too_short);
  }
  const auto key = key_of(10);
  const Bytes empty_frame = seal_stream(key, config, {Bytes{}});
  CHECK(empty_frame.size() == 20);
  const Delivery d = decode(key, config, empty_frame);
  CHECK(d.end.ok());
  REQUIRE(d.frames.size() == 1);
  CHECK(d.frames[0].empty());
}

TEST_CASE("a decoder with the wrong key, or the other direction's key, fails at the first frame") {
  const ChannelConfig config;
  const Bytes stream = seal_stream(key_of(11), config, {weft::test::bytes_of("x")});
  for (std::uint8_t seed : {12, 0}) {
    const Delivery d = decode(key_of(seed), config, stream);
    CHECK(d.end == Errc::channel_auth_failed);
    CHECK(d.frames.empty());
  }
  // One flipped key bit is enough.
  auto almost = key_of(11);
  almost.bytes()[31] ^= 0x80;
  CHECK(decode(almost, config, stream).end == Errc::channel_auth_failed);
}

TEST_CASE("rekey: frames across several rekeys decode; another interval fails at the step") {
  std::mt19937_64 rng(13);
  ChannelConfig config;
  config.rekey_interval_frames = 3;
  const auto key = key_of(13);
  const auto plaintexts = mixed_plaintexts(rng, 200, 11);  // keys 0..3
  const Bytes stream = seal_stream(key, config, plaintexts);
  const Delivery d = decode(key, config, stream);
  CHECK(d.end.ok());
  CHECK(d.frames == plaintexts);

  for (std::uint64_t other : {2u, 4u, 1u}) {
    CAPTURE(other);
    ChannelConfig wrong = config;
    wrong.rekey_interval_frames = other;
    const Delivery w = decode(key, wrong, stream);
    CHECK(w.end == Errc::channel_auth_failed);
    const std::size_t step = std::min<std::size_t>(other, 3);  // the first frame where they disagree
    CHECK(w.frames == std::vector<Bytes>(plaintexts.begin(), plaintexts.begin() + static_cast<long>(step)));
  }
}

TEST_CASE("a failed decoder stays failed: same error, nothing consumed, earlier frames still polled") {
  const auto config = small_config();
  const auto key = key_of(14);
  const std::vector<Bytes> plaintexts = {weft::test::bytes_of("one"), weft::test::bytes_of("two")};
  Bytes stream = seal_stream(key, config, plaintexts);
  stream.back() ^= 1;  // the second frame's tag
  FrameDecoder decoder(key, config);
  auto first = decoder.put(stream);
  REQUIRE(weft::test::outcome_of(first) == Errc::channel_auth_failed);
  CHECK(decoder.failed());
  const Bytes good = seal_stream(key, config, plaintexts);
  for (ByteView again : {ByteView(good), ByteView{}, ByteView(stream)}) {
    auto later = decoder.put(again);
    REQUIRE_FALSE(later.has_value());
    CHECK(later.error() == first.error());
  }
  CHECK(decoder.poll_frame() == plaintexts[0]);
  CHECK_FALSE(decoder.poll_frame().has_value());
  CHECK(decoder.frames_decoded() == 1);
  CHECK(decoder.heap_bytes() == 0);
}

TEST_CASE("errors, too, are the same at every split") {
  std::mt19937_64 rng(15);
  const auto config = small_config();
  const auto key = key_of(15);
  Bytes stream = seal_stream(key, config, mixed_plaintexts(rng, config.max_frame_plaintext_bytes, 6));
  stream[stream.size() / 2] ^= 0x10;
  const Delivery whole = decode(key, config, stream);
  REQUIRE(whole.end.failed);
  weft::test::for_each_split(stream, [&](ByteView first, ByteView second) {
    const Delivery d = decode(key, config, {first, second});
    CAPTURE(first.size());
    CHECK(same_end(d, whole));
    CHECK(d.frames == whole.frames);
  });
}

TEST_CASE("moves: a decoder moved mid-frame carries on; the moved-from one is closed") {
  const auto config = small_config();
  const auto key = key_of(16);
  const std::vector<Bytes> plaintexts = {Bytes(30, 1), Bytes(60, 2)};
  const Bytes stream = seal_stream(key, config, plaintexts);
  FrameDecoder a(key, config);
  REQUIRE(a.put(ByteView(stream).first(10)).has_value());
  FrameDecoder b(std::move(a));
  CHECK(weft::test::outcome_of(a.put(stream)) == Errc::channel_closed);  // NOLINT(bugprone-use-after-move)
  CHECK(a.heap_bytes() == 0);                                            // NOLINT(bugprone-use-after-move)
  REQUIRE(b.put(ByteView(stream).subspan(10, 50)).has_value());
  FrameDecoder c(key_of(99), config);
  c = std::move(b);
  const Delivery d = feed(c, {ByteView(stream).subspan(60)});
  CHECK(d.end.ok());
  CHECK(d.frames == plaintexts);
}
