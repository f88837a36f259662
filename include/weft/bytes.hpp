#pragma once
// Byte containers used across the public API.

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace weft {

/// Owned bytes.
using Bytes = std::vector<std::uint8_t>;

/// A read-only view of bytes owned elsewhere; valid only while the owner is.
using ByteView = std::span<const std::uint8_t>;

/// Views the characters of `s` as bytes (no copy).
inline ByteView as_bytes(std::string_view s) noexcept {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

/// Views the bytes of `b` as characters (no copy).
inline std::string_view as_chars(ByteView b) noexcept {
  return {reinterpret_cast<const char*>(b.data()), b.size()};
}

}  // namespace weft
