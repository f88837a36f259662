#pragma once
// The receiving half of one direction of the secure channel (docs/handshake.md, "The
// secure channel"): an incremental decoder from the byte stream to authenticated
// plaintexts. Sans-IO: the driver put()s whatever it read and then poll_frame()s.
//
// Contract:
// - put() consumes every byte it is given unless it fails; any split of the stream gives
//   the same frames, in order, and the same error at the same frame.
// - A frame's 4-byte length is checked before anything is allocated for it: above
//   max_frame_plaintext_bytes + 16 is channel_frame_too_large, below 16 (the tag) is
//   channel_frame_too_short. Its buffer is allocated only once its header has arrived,
//   and only when the frame does not arrive whole within one put().
// - A frame that does not authenticate under the expected key and counter (tampered,
//   replayed, reordered, dropped, wrong key, rekeyed at another frame) is
//   channel_auth_failed; none of its bytes is delivered.
// - Failure is final: every later put() returns the same error and consumes nothing.
//   Frames that authenticated before the failure can still be polled.
// - Decoded frames wait in a queue until polled. The caller polls until empty after each
//   put(); the queue then never holds more plaintext than the last put() carried, and a
//   drained, idle decoder holds no heap memory.

#include <weft/bytes.hpp>
#include <weft/error.hpp>

#include "channel/channel_config.hpp"
#include "channel/key_schedule.hpp"
#include "util/crypto.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

namespace weft::channel {

class FrameDecoder {
 public:
  /// Opens with `recv_key`, counter 0, under `cipher` (the sender's). Preconditions
  /// (violations abort): config.rekey_interval_frames >= 1; aes256_gcm only where
  /// util::aes256_gcm_available().
  FrameDecoder(const util::SecretKey& recv_key, const ChannelConfig& config,
               util::AeadCipher cipher = util::AeadCipher::chacha20_poly1305);

  /// A moved-from decoder holds no key and has failed with channel_closed.
  FrameDecoder(FrameDecoder&& other) noexcept;
  FrameDecoder& operator=(FrameDecoder&& other) noexcept;
  FrameDecoder(const FrameDecoder&) = delete;
  FrameDecoder& operator=(const FrameDecoder&) = delete;
  ~FrameDecoder();  ///< wipes undelivered plaintext (the key wipes itself)

  /// Feeds bytes received from the peer. Returns in.size() (everything is consumed:
  /// partial frames are buffered), or the error that ended the channel.
  Result<std::size_t> put(ByteView in);

  /// The next authenticated plaintext, in stream order; nullopt when none is ready.
  std::optional<Bytes> poll_frame();

  /// True once put() has failed.
  bool failed() const noexcept { return failed_; }
  /// Frames authenticated since construction (polled or not, across rekeys).
  std::uint64_t frames_decoded() const noexcept { return frames_decoded_; }
  /// Frames decoded and not yet polled.
  std::size_t frames_pending() const noexcept { return (has_first_ ? 1 : 0) + pending_.size() - pending_head_; }
  /// Heap bytes held: the partial frame's buffer and the unpolled queue (capacities).
  std::size_t heap_bytes() const noexcept;

 private:
  Result<std::size_t> fail(Error error);
  /// Checks the header just completed; returns the frame's length (what follows it).
  Result<std::uint32_t> check_header();
  /// Opens one whole frame body (ciphertext || tag) and queues its plaintext.
  Result<void> open_frame(ByteView body);
  void release_queue() noexcept;
  void wipe_pending() noexcept;
  void become_moved_from() noexcept;

  KeySchedule keys_;
  std::size_t max_plaintext_;
  util::AeadCipher cipher_;
  std::uint64_t frames_decoded_ = 0;
  Bytes body_;                     ///< the current frame's body so far; empty (no capacity) between frames
  /// Decoded plaintexts, oldest first: first_ (when has_first_), then
  /// pending_[pending_head_, end). The usual single frame per read waits in first_ and
  /// costs no queue allocation.
  Bytes first_;
  std::vector<Bytes> pending_;     ///< decoded plaintexts after first_; [pending_head_, end) are unpolled
  std::size_t pending_head_ = 0;
  Error error_;                    ///< the failure, when failed_
  std::array<std::uint8_t, 4> header_{};
  std::uint8_t header_have_ = 0;   ///< bytes of header_ received; 4 while a body is awaited
  bool failed_ = false;
  bool has_first_ = false;
};

}  // namespace weft::channel
