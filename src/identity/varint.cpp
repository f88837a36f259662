#include "identity/varint.hpp"

namespace weft::identity {

void append_uvarint(Bytes& out, std::uint64_t value) {
  while (value >= 0x80) {
    out.push_back(static_cast<std::uint8_t>(value | 0x80));
    value >>= 7;
  }
  out.push_back(static_cast<std::uint8_t>(value));
}

std::size_t uvarint_size(std::uint64_t value) noexcept {
  std::size_t n = 1;
  while (value >= 0x80) {
    value >>= 7;
    ++n;
  }
  return n;
}

Result<std::optional<Uvarint>> decode_uvarint_prefix(ByteView in) {
  std::uint64_t value = 0;
  for (std::size_t i = 0; i < in.size(); ++i) {
    const std::uint8_t byte = in[i];
    if (i == kMaxUvarintBytes - 1 && (byte & 0x80) != 0) {
      return Error(Errc::varint_overflow, "continuation bit set on byte 9");
    }
    value |= std::uint64_t{byte & 0x7Fu} << (7 * i);
    if ((byte & 0x80) == 0) {
      // Minimal: the last byte carries significant bits unless it is the only byte.
      if (byte == 0 && i > 0) {
        return Error(Errc::varint_overlong, "trailing zero group at byte " + std::to_string(i + 1));
      }
      return std::optional<Uvarint>(Uvarint{value, i + 1});
    }
  }
  return std::optional<Uvarint>{};
}

Result<Uvarint> decode_uvarint(ByteView in) {
  BOOST_OUTCOME_TRY(prefix, decode_uvarint_prefix(in));
  if (!prefix) {
    return Error(Errc::varint_truncated, in.empty() ? "no input" : "input ends inside varint");
  }
  return *prefix;
}

}  // namespace weft::identity
