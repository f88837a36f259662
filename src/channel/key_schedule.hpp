#pragma once
// The key and nonce counter of one direction of the secure channel (docs/handshake.md,
// "The secure channel"). FrameSealer and FrameDecoder each own one; the two ends of a
// direction start from the same key and advance once per frame, so they rekey at the
// same frame without sending anything for it.

#include "util/crypto.hpp"

#include <cstdint>

namespace weft::channel {

class KeySchedule {
 public:
  /// Starts at `key`, counter 0. Precondition: rekey_interval_frames >= 1 (violations
  /// abort: a zero interval would have no valid counter).
  KeySchedule(const util::SecretKey& key, std::uint64_t rekey_interval_frames);

  /// Takes the key; `other` is left holding an all-zero key and is spent(), so a
  /// moved-from sealer can never reuse a (key, counter) pair.
  KeySchedule(KeySchedule&& other) noexcept;
  KeySchedule& operator=(KeySchedule&& other) noexcept;
  KeySchedule(const KeySchedule&) = delete;
  KeySchedule& operator=(const KeySchedule&) = delete;
  ~KeySchedule() = default;  // SecretKey wipes itself

  /// The key for the next frame.
  const util::SecretKey& key() const noexcept { return key_; }
  /// The nonce counter for the next frame: always < rekey_interval_frames.
  std::uint64_t counter() const noexcept { return counter_; }
  /// Keys used before the current one (0 until the first rekey).
  std::uint64_t rekeys() const noexcept { return rekeys_; }
  /// True once moved from; such a schedule must not be used for frames.
  bool spent() const noexcept { return spent_; }

  /// Call once per frame, after it is sealed or opened: counter + 1, and after
  /// rekey_interval_frames frames the next key, BLAKE2b-256 keyed with the old key over
  /// "weft/channel/rekey", with the counter back at 0. The old key is overwritten.
  void advance();

 private:
  util::SecretKey key_;
  std::uint64_t counter_ = 0;
  std::uint64_t interval_;
  std::uint64_t rekeys_ = 0;
  bool spent_ = false;
};

}  // namespace weft::channel
