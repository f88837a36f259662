#pragma once
// Splits the session's incoming byte stream into yamux frames, incrementally and without
// copying payloads: a header is returned once its 12 bytes have arrived (in any number of
// pieces), then the data frame's payload is handed out as views into the caller's input,
// as it arrives. "Need more input" is not an error: the step simply takes every byte.
//
// Contract:
// - next() takes bytes only from the front of `in`; one call returns at most one header or
//   one payload piece. Calling it until `in` is used up, with any split of the stream,
//   yields the same headers and the same payload bytes in the same order.
// - The reader never allocates: a partial header lives in a 12-byte array, payload views
//   point into `in` and are valid as long as it is.
// - A header that does not decode (bad version or type) fails with mux_protocol_error; the
//   reader then stays failed and consumes nothing more.

#include <weft/bytes.hpp>
#include <weft/error.hpp>

#include "mux/frame_header.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>

namespace weft::mux {

class FrameReader {
 public:
  struct Step {
    std::size_t used = 0;               ///< bytes taken from the front of `in`
    std::optional<FrameHeader> header;  ///< set when a header completed in this step
    ByteView payload;                   ///< payload bytes of the current data frame taken in this step
    bool frame_done = false;            ///< the current frame (header and whole payload) is complete
  };

  /// One step over the front of `in` (see the contract above). With empty input: used 0.
  Result<Step> next(ByteView in);

  /// True between frames (no partial header, no payload outstanding).
  bool idle() const noexcept { return header_have_ == 0 && payload_left_ == 0; }
  /// Payload bytes of the current data frame still to come.
  std::uint32_t payload_left() const noexcept { return payload_left_; }
  bool failed() const noexcept { return failed_; }

 private:
  HeaderBytes header_{};
  std::uint8_t header_have_ = 0;
  std::uint32_t payload_left_ = 0;
  bool failed_ = false;
  Error error_;
};

}  // namespace weft::mux
