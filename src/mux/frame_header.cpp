#include "mux/frame_header.hpp"

#include <string>

namespace weft::mux {

HeaderBytes encode_header(const FrameHeader& header) noexcept {
  const auto u8 = [](std::uint32_t v) { return static_cast<std::uint8_t>(v & 0xFF); };
  return {kProtocolVersion,
          static_cast<std::uint8_t>(header.type),
          u8(header.flags >> 8u),
          u8(header.flags),
          u8(header.stream_id >> 24),
          u8(header.stream_id >> 16),
          u8(header.stream_id >> 8),
          u8(header.stream_id),
          u8(header.length >> 24),
          u8(header.length >> 16),
          u8(header.length >> 8),
          u8(header.length)};
}

void append_header(const FrameHeader& header, Bytes& out) {
  const HeaderBytes bytes = encode_header(header);
  out.insert(out.end(), bytes.begin(), bytes.end());
}

Result<FrameHeader> decode_header(std::span<const std::uint8_t, kHeaderBytes> b) {
  if (b[0] != kProtocolVersion) return Error(Errc::mux_protocol_error, "version " + std::to_string(b[0]) + ", expected 0");
  if (b[1] > static_cast<std::uint8_t>(FrameType::go_away)) {
    return Error(Errc::mux_protocol_error, "frame type " + std::to_string(b[1]) + " (known: 0-3)");
  }
  const auto be32 = [&](std::size_t at) {
    return std::uint32_t{b[at]} << 24 | std::uint32_t{b[at + 1]} << 16 | std::uint32_t{b[at + 2]} << 8 |
           std::uint32_t{b[at + 3]};
  };
  FrameHeader h;
  h.type = static_cast<FrameType>(b[1]);
  h.flags = static_cast<std::uint16_t>(b[2] << 8 | b[3]);
  h.stream_id = be32(4);
  h.length = be32(8);
  return h;
}

}  // namespace weft::mux
