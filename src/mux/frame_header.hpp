#pragma once
// The yamux frame header (libp2p/specs yamux; docs/mux.md, "Frame layout"): 12 bytes,
// big-endian, the same for every frame type.
//
//   version u8 (0) | type u8 | flags u16 | stream id u32 | length u32
//
// Only data frames carry a payload (length bytes after the header). For a window update
// the length is a credit delta, for a ping an opaque value echoed back, for a go-away an
// error code.

#include <weft/bytes.hpp>
#include <weft/error.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

namespace weft::mux {

using StreamId = std::uint32_t;

inline constexpr std::size_t kHeaderBytes = 12;
inline constexpr std::uint8_t kProtocolVersion = 0;
/// The window every stream starts with in both directions (fixed by the spec).
inline constexpr std::uint32_t kInitialWindowBytes = 256 * 1024;

enum class FrameType : std::uint8_t { data = 0, window_update = 1, ping = 2, go_away = 3 };

/// Flag bits (a frame may carry several).
inline constexpr std::uint16_t kFlagSyn = 0x1;
inline constexpr std::uint16_t kFlagAck = 0x2;
inline constexpr std::uint16_t kFlagFin = 0x4;
inline constexpr std::uint16_t kFlagRst = 0x8;
inline constexpr std::uint16_t kKnownFlags = kFlagSyn | kFlagAck | kFlagFin | kFlagRst;

/// The length field of a go-away frame.
enum class GoAwayCode : std::uint32_t { normal = 0, protocol_error = 1, internal_error = 2 };

struct FrameHeader {
  FrameType type = FrameType::data;
  std::uint16_t flags = 0;
  StreamId stream_id = 0;
  std::uint32_t length = 0;

  bool has(std::uint16_t flag) const noexcept { return (flags & flag) == flag; }
  /// Payload bytes that follow the header on the wire (only data frames have any).
  std::uint32_t payload_bytes() const noexcept { return type == FrameType::data ? length : 0; }
  friend bool operator==(const FrameHeader&, const FrameHeader&) = default;
};

using HeaderBytes = std::array<std::uint8_t, kHeaderBytes>;

/// The 12 wire bytes of `header` (version 0).
HeaderBytes encode_header(const FrameHeader& header) noexcept;

/// Appends the 12 wire bytes of `header` to `out`.
void append_header(const FrameHeader& header, Bytes& out);

/// Decodes 12 wire bytes. Errors: mux_protocol_error for a version other than 0 or a type
/// above 3 (the detail names which). Flags are returned as sent; what they may be is the
/// session's business.
Result<FrameHeader> decode_header(std::span<const std::uint8_t, kHeaderBytes> bytes);

}  // namespace weft::mux
