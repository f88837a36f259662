#pragma once
// The sending half of the secure channel (docs/handshake.md, "The secure channel"): turns
// plaintext into sealed frames, appended to a caller's buffer so that many frames can go
// out in one write.
//
// Frame: 4-byte big-endian length of what follows, then ChaCha20-Poly1305(key, nonce =
// frame counter, ad = the 4 length bytes, plaintext). After rekey_interval_frames frames
// the key steps to BLAKE2b-256(key, "weft/channel/rekey") and the counter restarts.

#include <weft/bytes.hpp>

#include "channel/channel_config.hpp"
#include "util/crypto.hpp"

#include <cstdint>

namespace weft::channel {

inline constexpr std::size_t kFrameHeaderBytes = 4;

/// The next key after `rekey_interval_frames` frames (both directions step the same way).
util::SecretKey next_channel_key(const util::SecretKey& key);

class FrameSealer {
 public:
  FrameSealer(const util::SecretKey& send_key, const ChannelConfig& config);

  /// Appends one frame carrying `plaintext` to `out`.
  /// Precondition: plaintext.size() <= max_frame_plaintext_bytes (seal_all splits).
  void seal(ByteView plaintext, Bytes& out);

  /// Appends `data` as as few frames as the size limit allows (one empty frame for empty
  /// data).
  void seal_all(ByteView data, Bytes& out);

  std::uint64_t frames_sealed() const noexcept { return frames_sealed_; }

 private:
  util::SecretKey key_;
  ChannelConfig config_;
  std::uint64_t counter_ = 0;  ///< frames sealed under key_
  std::uint64_t frames_sealed_ = 0;
};

}  // namespace weft::channel
