#pragma once
// Helpers shared by the secure channel tests: fixed keys, sealed streams, and a decoder
// driver that feeds a stream in given pieces and records what it delivered.

#include <weft/bytes.hpp>
#include <weft/error.hpp>

#include "channel/channel_config.hpp"
#include "channel/frame_decoder.hpp"
#include "channel/frame_sealer.hpp"
#include "util/crypto.hpp"

#include <cstddef>
#include <cstdint>
#include <random>
#include <vector>

#include "test_bytes.hpp"

namespace weft::test {

/// A key whose bytes are seed, seed+1, ..., seed+31.
inline util::SecretKey key_of(std::uint8_t seed) {
  std::array<std::uint8_t, util::kAeadKeyBytes> bytes{};
  for (std::size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<std::uint8_t>(seed + i);
  return util::SecretKey(bytes);
}

/// `size` bytes from `rng`.
inline Bytes random_bytes(std::mt19937_64& rng, std::size_t size) {
  Bytes out(size);
  for (auto& b : out) b = static_cast<std::uint8_t>(rng());
  return out;
}

/// The frames a fresh sealer with `key` and `config` makes of `plaintexts`, one each.
inline Bytes seal_stream(const util::SecretKey& key, const channel::ChannelConfig& config,
                         const std::vector<Bytes>& plaintexts,
                         util::AeadCipher cipher = util::AeadCipher::chacha20_poly1305) {
  channel::FrameSealer sealer(key, config, cipher);
  Bytes out;
  for (const Bytes& p : plaintexts) sealer.seal(p, out);
  return out;
}

/// Each frame of a sealed stream on its own (the stream must be well formed).
inline std::vector<Bytes> split_frames(ByteView stream) {
  std::vector<Bytes> frames;
  while (stream.size() >= 4) {
    const std::size_t length = std::size_t{stream[0]} << 24 | std::size_t{stream[1]} << 16 |
                               std::size_t{stream[2]} << 8 | std::size_t{stream[3]};
    frames.emplace_back(stream.begin(), stream.begin() + static_cast<std::ptrdiff_t>(4 + length));
    stream = stream.subspan(4 + length);
  }
  return frames;
}

inline Bytes concat(const std::vector<Bytes>& parts) {
  Bytes out;
  for (const Bytes& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

/// What a decoder delivered for a stream: the frames in order, and how it ended.
struct Delivery {
  std::vector<Bytes> frames;
  Outcome end;                 ///< ok, or the error put() returned
  std::size_t consumed = 0;    ///< bytes put() accepted before any error
};

/// Feeds `parts` to `decoder` in order, polling every ready frame after each put, and
/// stops at the first error. Checks on the way that a successful put consumes all it got.
inline Delivery feed(channel::FrameDecoder& decoder, const std::vector<ByteView>& parts) {
  Delivery d;
  for (ByteView part : parts) {
    auto used = decoder.put(part);
    while (auto frame = decoder.poll_frame()) d.frames.push_back(std::move(*frame));
    if (!used) {
      d.end = outcome_of(used);
      return d;
    }
    if (used.value() != part.size()) {
      d.end = {true, make_error_code(Errc::channel_closed), "put() consumed less than it was given"};
      return d;
    }
    d.consumed += used.value();
  }
  return d;
}

/// `stream` cut at the given ascending offsets.
inline std::vector<ByteView> cut(ByteView stream, const std::vector<std::size_t>& offsets) {
  std::vector<ByteView> parts;
  std::size_t at = 0;
  for (std::size_t offset : offsets) {
    parts.push_back(stream.subspan(at, offset - at));
    at = offset;
  }
  parts.push_back(stream.subspan(at));
  return parts;
}

/// Decodes `stream` with a fresh decoder, in the given pieces.
inline Delivery decode(const util::SecretKey& key, const channel::ChannelConfig& config,
                       const std::vector<ByteView>& parts,
                       util::AeadCipher cipher = util::AeadCipher::chacha20_poly1305) {
  channel::FrameDecoder decoder(key, config, cipher);
  return feed(decoder, parts);
}

inline Delivery decode(const util::SecretKey& key, const channel::ChannelConfig& config, ByteView stream) {
  return decode(key, config, std::vector<ByteView>{stream});
}

}  // namespace weft::test
