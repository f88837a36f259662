#pragma once
// One handshake phase's framing: an unsigned varint length (multiformats, minimal) and
// that many bytes of protobuf (docs/handshake.md, "Framing").

#include <weft/bytes.hpp>
#include <weft/error.hpp>

#include <cstddef>

namespace weft::handshake {

/// Caps on the bytes after the length prefix, per phase.
inline constexpr std::size_t kHelloCapBytes = 256;
inline constexpr std::size_t kHelloAckCapBytes = 512;
inline constexpr std::size_t kAuthOverheadBytes = 512;  ///< Auth cap = max_early_data_bytes + this
inline constexpr std::size_t kFinishedCapBytes = 128;

/// The length prefix followed by `body`.
Bytes frame_message(ByteView body);

/// Reassembles one frame from any split of the stream. It never consumes bytes past the
/// end of its frame, and allocates for the body only once the prefix has been checked
/// against the cap.
class FrameReader {
 public:
  explicit FrameReader(std::size_t cap_bytes) : cap_bytes_(cap_bytes) {}

  struct Step {
    std::size_t consumed = 0;  ///< bytes of `in` taken (all of them unless complete)
    bool complete = false;     ///< the frame is whole: frame() and body() are valid
  };

  /// Errors: handshake_too_large (a length above the cap, or a varint that can only
  /// decode to one, or that overflows), handshake_malformed (a non-minimal varint).
  /// After an error or a complete frame the reader must be reset() before reuse.
  Result<Step> put(ByteView in);

  /// The whole frame as it crossed the wire, prefix included.
  const Bytes& frame() const noexcept { return frame_; }
  /// The bytes after the prefix.
  ByteView body() const noexcept { return ByteView(frame_).subspan(prefix_bytes_); }

  /// Starts a new frame with a new cap; frees the old frame.
  void reset(std::size_t cap_bytes);

 private:
  std::size_t cap_bytes_;
  Bytes frame_;
  std::size_t prefix_bytes_ = 0;  ///< 0 while the prefix is incomplete
  std::size_t body_bytes_ = 0;
};

}  // namespace weft::handshake
