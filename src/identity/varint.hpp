#pragma once
// Unsigned varint as multiformats defines it (github.com/multiformats/unsigned-varint):
// little-endian groups of 7 bits, high bit set on every byte but the last, at most
// 9 bytes (so values up to 2^63-1), and only the minimal encoding is valid.

#include <weft/bytes.hpp>
#include <weft/error.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>

namespace weft::identity {

inline constexpr std::size_t kMaxUvarintBytes = 9;
inline constexpr std::uint64_t kMaxUvarintValue = (std::uint64_t{1} << 63) - 1;

struct Uvarint {
  std::uint64_t value = 0;
  std::size_t length = 0;  ///< bytes the encoding took, 1..9
};

/// Appends the minimal encoding of `value` to `out`. Precondition: value <= kMaxUvarintValue.
void append_uvarint(Bytes& out, std::uint64_t value);

/// Number of bytes append_uvarint writes for `value`.
std::size_t uvarint_size(std::uint64_t value) noexcept;

/// Decodes one varint at the start of `in` (bytes after it are left alone).
/// Errors: varint_truncated (input ends inside it), varint_overlong (non-minimal),
/// varint_overflow (a 9th byte with the continuation bit set).
Result<Uvarint> decode_uvarint(ByteView in);

/// Incremental form for stream parsers: std::nullopt means "need more input" — returned
/// only while the bytes seen could still begin a valid varint. Overlong and overflowing
/// prefixes are errors as soon as they are detectable.
Result<std::optional<Uvarint>> decode_uvarint_prefix(ByteView in);

}  // namespace weft::identity
