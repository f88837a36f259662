// FrameSealer: the wire layout of docs/handshake.md checked against the crypto primitives
// directly (length, associated data, counter nonces, rekey derivation), seal_all's
// splitting, and moves.

#include "channel/frame_sealer.hpp"

#include <doctest/doctest.h>

#include <cstdint>
#include <random>
#include <string_view>
#include <utility>
#include <vector>

#include "channel_test_support.hpp"
#include "test_bytes.hpp"

using namespace weft;
using namespace weft::channel;
using weft::test::key_of;
using weft::test::random_bytes;
using weft::test::split_frames;
using weft::test::to_hex;

namespace {

constexpr std::string_view kRekeyLabel = "weft/channel/rekey";

std::uint32_t length_of(ByteView frame) {
  return std::uint32_t{frame[0]} << 24 | std::uint32_t{frame[1]} << 16 | std::uint32_t{frame[2]} << 8 |
         std::uint32_t{frame[3]};
}

// Opens `frame` with the primitives, not with FrameDecoder.
std::optional<Bytes> open_raw(const util::SecretKey& key, std::uint64_t counter, ByteView frame) {
  return util::aead_open(key, counter, frame.first(4), frame.subspan(4));
}

}  // namespace

TEST_CASE("a frame is the big-endian length of ciphertext||tag, then ChaCha20-Poly1305 with the length as ad") {
  const auto key = key_of(1);
  FrameSealer sealer(key, ChannelConfig{});
  const Bytes plaintext = weft::test::bytes_of("hello, channel");
  Bytes out;
  sealer.seal(plaintext, out);
  REQUIRE(out.size() == plaintext.size() + kFrameOverheadBytes);
  CHECK(to_hex(ByteView(out).first(4)) == "0000001e");  // 14 + 16

  const Bytes length = weft::test::bytes({0x00, 0x00, 0x00, 0x1e});
  Bytes expected = length;
  util::aead_seal(key, 0, length, plaintext, expected);
  CHECK(to_hex(out) == to_hex(expected));
  CHECK(sealer.frames_sealed() == 1);
}

TEST_CASE("frame n is sealed under counter n; sizes 0, 1 and max") {
  const auto key = key_of(2);
  const ChannelConfig config;
  FrameSealer sealer(key, config);
  const std::vector<std::size_t> sizes = {0, 1, config.max_frame_plaintext_bytes, 7, 0};
  std::mt19937_64 rng(42);
  std::vector<Bytes> plaintexts;
  Bytes stream;
  for (std::size_t size : sizes) {
    plaintexts.push_back(random_bytes(rng, size));
    sealer.seal(plaintexts.back(), stream);
  }
  const auto frames = split_frames(stream);
  REQUIRE(frames.size() == sizes.size());
  for (std::size_t n = 0; n < frames.size(); ++n) {
    CAPTURE(n);
    CHECK(length_of(frames[n]) == sizes[n] + util::kAeadTagBytes);
    auto opened = open_raw(key, n, frames[n]);
    REQUIRE(opened.has_value());
    CHECK(*opened == plaintexts[n]);
    CHECK_FALSE(open_raw(key, n + 1, frames[n]).has_value());
  }
  CHECK(sealer.frames_sealed() == sizes.size());
  CHECK(sealer.rekeys() == 0);
}

TEST_CASE("seal appends and leaves what the buffer held untouched") {
  FrameSealer sealer(key_of(3), ChannelConfig{});
  Bytes out = weft::test::bytes({0xAA, 0xBB});
  sealer.seal(weft::test::bytes({1, 2, 3}), out);
  sealer.seal({}, out);
  REQUIRE(out.size() == 2 + (3 + kFrameOverheadBytes) + kFrameOverheadBytes);
  CHECK(out[0] == 0xAA);
  CHECK(out[1] == 0xBB);
  CHECK(length_of(ByteView(out).subspan(2)) == 19);
  CHECK(length_of(ByteView(out).subspan(2 + 23)) == 16);
}

TEST_CASE("the same plaintext seals differently at each counter and under each key") {
  const Bytes plaintext(32, 0x5A);
  FrameSealer a(key_of(4), ChannelConfig{});
  FrameSealer b(key_of(5), ChannelConfig{});
  Bytes a0, a1, b0;
  a.seal(plaintext, a0);
  a.seal(plaintext, a1);
  b.seal(plaintext, b0);
  CHECK(a0 != a1);
  CHECK(a0 != b0);
}

TEST_CASE("rekey: after rekey_interval_frames frames the key is BLAKE2b keyed with the old key, counter 0") {
  ChannelConfig config;
  config.rekey_interval_frames = 3;
  const auto k0 = key_of(6);
  const auto k1 = util::blake2b_keyed(k0, {as_bytes(kRekeyLabel)});
  const auto k2 = util::blake2b_keyed(k1, {as_bytes(kRekeyLabel)});
  FrameSealer sealer(k0, config);
  Bytes stream;
  for (int i = 0; i < 8; ++i) sealer.seal(weft::test::bytes({i}), stream);
  const auto frames = split_frames(stream);
  REQUIRE(frames.size() == 8);
  const util::SecretKey* keys[] = {&k0, &k0, &k0, &k1, &k1, &k1, &k2, &k2};
  for (std::size_t n = 0; n < frames.size(); ++n) {
    CAPTURE(n);
    auto opened = open_raw(*keys[n], n % 3, frames[n]);
    REQUIRE(opened.has_value());
    CHECK(*opened == weft::test::bytes({static_cast<int>(n)}));
  }
  CHECK(sealer.rekeys() == 2);
  CHECK(sealer.frames_sealed() == 8);
}

TEST_CASE("rekey_interval_frames = 1 steps the key after every frame") {
  ChannelConfig config;
  config.rekey_interval_frames = 1;
  auto key = key_of(7);
  FrameSealer sealer(key, config);
  Bytes stream;
  for (int i = 0; i < 4; ++i) sealer.seal(weft::test::bytes({i}), stream);
  const auto frames = split_frames(stream);
  for (std::size_t n = 0; n < frames.size(); ++n) {
    CAPTURE(n);
    CHECK(open_raw(key, 0, frames[n]).has_value());
    key = util::blake2b_keyed(key, {as_bytes(kRekeyLabel)});
  }
}

TEST_CASE("seal_all splits into full frames and a last partial one; empty data appends nothing") {
  ChannelConfig config;
  config.max_frame_plaintext_bytes = 10;
  std::mt19937_64 rng(7);
  for (std::size_t size : {0u, 1u, 9u, 10u, 11u, 20u, 21u, 95u}) {
    CAPTURE(size);
    const auto key = key_of(8);
    FrameSealer sealer(key, config);
    const Bytes data = random_bytes(rng, size);
    Bytes out;
    const std::size_t frames = sealer.seal_all(data, out);
    CHECK(frames == (size + 9) / 10);
    CHECK(out.size() == sealer.sealed_size(size));
    CHECK(out.size() == size + frames * kFrameOverheadBytes);
    CHECK(sealer.frames_sealed() == frames);
    const auto split = split_frames(out);
    REQUIRE(split.size() == frames);
    Bytes joined;
    for (std::size_t n = 0; n < split.size(); ++n) {
      CHECK(length_of(split[n]) == (n + 1 < split.size() ? 10 : size - 10 * n) + util::kAeadTagBytes);
      auto opened = open_raw(key, n, split[n]);
      REQUIRE(opened.has_value());
      joined.insert(joined.end(), opened->begin(), opened->end());
    }
    CHECK(joined == data);
  }
}

TEST_CASE("seal_all with the default cap: 200,000 bytes are 4 frames; an empty write appends nothing") {
  const ChannelConfig config;
  REQUIRE(config.max_frame_plaintext_bytes == 65536);
  const auto key = key_of(11);
  std::mt19937_64 rng(11);
  const Bytes data = random_bytes(rng, 200000);
  FrameSealer sealer(key, config);
  Bytes out;
  CHECK(sealer.seal_all(data, out) == 4);
  CHECK(out.size() == 200000 + 4 * kFrameOverheadBytes);
  CHECK(out.size() == sealer.sealed_size(data.size()));
  const auto frames = split_frames(out);
  REQUIRE(frames.size() == 4);
  const std::size_t sizes[] = {65536, 65536, 65536, 200000 - 3 * 65536};
  for (std::size_t n = 0; n < 4; ++n) {
    CAPTURE(n);
    CHECK(length_of(frames[n]) == sizes[n] + util::kAeadTagBytes);
  }
  auto delivery = weft::test::decode(key, config, out);
  CHECK(delivery.end.ok());
  CHECK(weft::test::concat(delivery.frames) == data);

  // The contract of seal_all (frame_sealer.hpp): empty data is no frame at all, and the
  // counter does not move. An explicit seal() of nothing is the 20-byte empty frame.
  const std::size_t before = out.size();
  CHECK(sealer.seal_all({}, out) == 0);
  CHECK(out.size() == before);
  CHECK(sealer.frames_sealed() == 4);
  CHECK(sealer.sealed_size(0) == 0);
  sealer.seal({}, out);
  CHECK(out.size() == before + kFrameOverheadBytes);
  CHECK(length_of(ByteView(out).subspan(before)) == util::kAeadTagBytes);
  delivery = weft::test::decode(key, config, out);
  CHECK(delivery.end.ok());
  REQUIRE(delivery.frames.size() == 5);
  CHECK(delivery.frames[4].empty());
}

TEST_CASE("the next key differs from the old one, and sealing is deterministic across rekeys") {
  ChannelConfig config;
  config.rekey_interval_frames = 3;
  const auto k0 = key_of(12);
  const auto k1 = util::blake2b_keyed(k0, {as_bytes(kRekeyLabel)});
  CHECK(k1 != k0);
  CHECK(util::blake2b_keyed(k0, {as_bytes(kRekeyLabel)}) == k1);
  CHECK(util::blake2b_keyed(key_of(13), {as_bytes(kRekeyLabel)}) != k1);
  CHECK(util::blake2b_keyed(k1, {as_bytes(kRekeyLabel)}) != k1);

  // Two sealers from the same key agree byte for byte through several rekeys, and the
  // same plaintext at counter 0 under successive keys seals differently.
  FrameSealer a(k0, config);
  FrameSealer b(k0, config);
  Bytes sa, sb;
  const Bytes plaintext(24, 0x42);
  for (int i = 0; i < 10; ++i) {
    a.seal(plaintext, sa);
    b.seal(plaintext, sb);
  }
  CHECK(a.rekeys() == 3);
  CHECK(to_hex(sa) == to_hex(sb));
  const auto frames = split_frames(sa);
  REQUIRE(frames.size() == 10);
  CHECK(frames[0] != frames[3]);
  CHECK(frames[3] != frames[6]);
  CHECK(frames[0] != frames[6]);
}

TEST_CASE("batched writes: frames from seal and seal_all into one buffer decode in order") {
  ChannelConfig config;
  config.max_frame_plaintext_bytes = 16;
  const auto key = key_of(9);
  FrameSealer sealer(key, config);
  Bytes batch;
  sealer.seal(weft::test::bytes_of("ping"), batch);
  sealer.seal_all(Bytes(40, 0x11), batch);
  sealer.seal({}, batch);
  auto delivery = weft::test::decode(key, config, batch);
  CHECK(delivery.end.ok());
  REQUIRE(delivery.frames.size() == 5);
  CHECK(delivery.frames[0] == weft::test::bytes_of("ping"));
  CHECK(delivery.frames[1] == Bytes(16, 0x11));
  CHECK(delivery.frames[3] == Bytes(8, 0x11));
  CHECK(delivery.frames[4].empty());
}

TEST_CASE("a moved sealer carries on from the same counter and key") {
  ChannelConfig config;
  config.rekey_interval_frames = 2;
  const auto key = key_of(10);
  FrameSealer first(key, config);
  Bytes stream;
  first.seal(weft::test::bytes({1}), stream);
  FrameSealer second(std::move(first));
  second.seal(weft::test::bytes({2}), stream);
  FrameSealer third(key_of(99), config);
  third = std::move(second);
  third.seal(weft::test::bytes({3}), stream);
  CHECK(third.frames_sealed() == 3);
  CHECK(third.rekeys() == 1);
  auto delivery = weft::test::decode(key, config, stream);
  CHECK(delivery.end.ok());
  CHECK(delivery.frames.size() == 3);
}
