#pragma once
// The sending half of one direction of the secure channel: turns plaintext into frames
// (docs/handshake.md, "The secure channel"):
//
//   u32 big-endian length of what follows || AEAD(key, counter, ad = length)
//
// The AEAD is ChaCha20-Poly1305, or AES-256-GCM on a channel of handshake version 2.
//
// Frames are appended to a caller's buffer so a driver can batch many of them and send
// them with one (gather) write. Sans-IO: no sockets, no clock.

#include <weft/bytes.hpp>

#include "channel/channel_config.hpp"
#include "channel/key_schedule.hpp"
#include "util/crypto.hpp"

#include <cstddef>
#include <cstdint>

namespace weft::channel {

/// Bytes on the wire per frame besides its plaintext: the length and the tag.
inline constexpr std::size_t kFrameOverheadBytes = 4 + util::kAeadTagBytes;

class FrameSealer {
 public:
  /// Seals with `send_key`, counter 0. Preconditions (violations abort):
  /// config.rekey_interval_frames >= 1, config.max_frame_plaintext_bytes >= 1, and
  /// max_frame_plaintext_bytes + 16 fits the 32-bit length.
  /// `cipher`: aes256_gcm only where util::aes256_gcm_available().
  FrameSealer(const util::SecretKey& send_key, const ChannelConfig& config,
              util::AeadCipher cipher = util::AeadCipher::chacha20_poly1305);

  /// A moved-from sealer holds no key and aborts if asked to seal.
  FrameSealer(FrameSealer&&) noexcept = default;
  FrameSealer& operator=(FrameSealer&&) noexcept = default;
  FrameSealer(const FrameSealer&) = delete;
  FrameSealer& operator=(const FrameSealer&) = delete;

  /// Appends exactly one frame (plaintext.size() + kFrameOverheadBytes bytes) to `out`,
  /// leaving what `out` held before untouched. An empty plaintext is a valid frame.
  /// Precondition (violations abort): plaintext.size() <= max_frame_plaintext_bytes.
  void seal(ByteView plaintext, Bytes& out);

  /// Appends `data` split into as few frames as possible (each full-size but the last);
  /// empty `data` appends nothing. Returns the number of frames appended.
  std::size_t seal_all(ByteView data, Bytes& out);

  /// What seal_all() appends for `plaintext_bytes` bytes of data: for reserving buffers.
  std::size_t sealed_size(std::size_t plaintext_bytes) const noexcept;

  /// Frames sealed since construction (across rekeys).
  std::uint64_t frames_sealed() const noexcept { return frames_sealed_; }
  /// Rekeys so far (frames_sealed() / rekey_interval_frames).
  std::uint64_t rekeys() const noexcept { return keys_.rekeys(); }

 private:
  KeySchedule keys_;
  std::size_t max_plaintext_;
  std::uint64_t frames_sealed_ = 0;
  util::AeadCipher cipher_;
};

}  // namespace weft::channel
