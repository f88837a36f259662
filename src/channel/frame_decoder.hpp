#pragma once
// The receiving half of the secure channel: an incremental parser (STYLE.md rule 2).
//
// put() takes any split of the byte stream and consumes all of it, opening each frame as
// soon as its last byte arrives; poll_frame() hands out the plaintexts in order. Memory:
// the buffer grows to one frame's size only once that frame's header has arrived (a
// length above the cap is refused on the header alone, before allocating), so an idle
// decoder holds nothing on the heap beyond frames the caller has not polled. Callers poll
// after every put().
//
// Any error is final: the connection must close, and put() returns the same error again.

#include <weft/bytes.hpp>
#include <weft/error.hpp>

#include "channel/channel_config.hpp"
#include "channel/frame_sealer.hpp"
#include "util/crypto.hpp"

#include <array>
#include <cstdint>
#include <deque>
#include <optional>

namespace weft::channel {

class FrameDecoder {
 public:
  FrameDecoder(const util::SecretKey& recv_key, const ChannelConfig& config);

  /// Consumes `in` (all of it) and opens every frame it completes. Errors:
  /// channel_frame_too_large, channel_frame_too_short, channel_auth_failed (tampered,
  /// replayed, reordered or dropped frame, or the wrong key).
  Result<std::size_t> put(ByteView in);

  /// The next plaintext, in order; nullopt when none is complete.
  std::optional<Bytes> poll_frame();

  std::uint64_t frames_opened() const noexcept { return frames_opened_; }

 private:
  Result<void> open_current();

  util::SecretKey key_;
  ChannelConfig config_;
  std::uint64_t counter_ = 0;  ///< frames opened under key_
  std::uint64_t frames_opened_ = 0;
  std::array<std::uint8_t, kFrameHeaderBytes> header_{};
  std::size_t header_have_ = 0;
  Bytes body_;                 ///< the current frame's ciphertext, sized once its header is complete
  std::size_t body_have_ = 0;
  std::deque<Bytes> ready_;    ///< opened plaintexts not yet polled
  std::optional<Error> failed_;
};

}  // namespace weft::channel
