#pragma once
// Shared by fuzz/secure_frames.cpp and fuzz/make_channel_seeds.cpp: the fixed key, the
// configurations the first input byte selects, and the input layout.
//
// Input: [mode] [n] [n split bytes] [payload...]
//   mode bit 0     0 = decode the payload as a received stream, 1 = round trip it
//   mode bits 1-2  which of kConfigs
//   n % 8          how many split bytes follow; the payload is put() in pieces of those
//                  sizes, cycled (0 is an empty put); none, or all zero: one put

#include "channel/channel_config.hpp"
#include "util/crypto.hpp"

#include <array>
#include <cstddef>
#include <cstdint>

namespace weft::fuzz {

inline util::SecretKey fuzz_key() {
  std::array<std::uint8_t, util::kAeadKeyBytes> bytes{};
  for (std::size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<std::uint8_t>(0xC0 + i);
  return util::SecretKey(bytes);
}

inline channel::ChannelConfig fuzz_config(std::uint8_t mode) {
  struct Entry {
    std::size_t max_plaintext;
    std::uint64_t interval;
  };
  // The defaults, then small caps and intervals so limits and rekeys are within reach.
  static constexpr std::array<Entry, 4> kConfigs = {{{65536, std::uint64_t{1} << 20}, {64, 3}, {1, 1}, {300, 2}}};
  const Entry e = kConfigs[(mode >> 1) & 3];
  channel::ChannelConfig config;
  config.max_frame_plaintext_bytes = e.max_plaintext;
  config.rekey_interval_frames = e.interval;
  return config;
}

}  // namespace weft::fuzz
