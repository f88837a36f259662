#pragma once
// Settings of the secure channel, each with its default (docs/handshake.md, "The secure
// channel").

#include <cstddef>
#include <cstdint>

namespace weft::channel {

struct ChannelConfig {
  /// Largest plaintext one frame may carry; larger writes are split by the caller.
  std::size_t max_frame_plaintext_bytes = 65536;
  /// Frames sealed with one key before both directions step to the next key.
  std::uint64_t rekey_interval_frames = std::uint64_t{1} << 20;
};

}  // namespace weft::channel
