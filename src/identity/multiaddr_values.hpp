#pragma once
// Per-protocol multiaddr value codecs: value text <-> value bytes, and validation of value
// bytes read from the binary form. Every codec is strict: the text it accepts maps to
// exactly one byte string, every byte string it accepts prints as canonical text, and that
// text parses back to the same bytes. Error details say why a value was refused but not
// which component it was in (src/identity/multiaddr.cpp adds that).

#include "identity/multiaddr_protocols.hpp"

#include <weft/bytes.hpp>
#include <weft/error.hpp>

#include <cstddef>
#include <string>
#include <string_view>

namespace weft::identity {

/// garlic64 (I2P destination) bounds: go-multiaddr refuses fewer than 386 bytes and
/// rust-multiaddr refuses text outside 516..616 characters (387..462 bytes); weft takes the
/// range both accept.
inline constexpr std::size_t kMinGarlic64Bytes = 387;
inline constexpr std::size_t kMaxGarlic64Bytes = 462;

/// garlic32: exactly 32 bytes (a hash) or at least 35 (encrypted lease set), as go-multiaddr.
inline constexpr std::size_t kGarlic32HashBytes = 32;
inline constexpr std::size_t kMinGarlic32LongBytes = 35;

/// Converts the text of a value to its bytes (without any length prefix). `text` is the
/// value as it stands between the slashes, or for a path protocol everything from the
/// slash after the name to the end. Precondition: codec != none, text not empty.
/// Errors: multiaddr_invalid_value (detail says why).
Result<Bytes> multiaddr_value_from_text(ValueCodec codec, std::string_view text);

/// Checks value bytes read from the binary form (length included for fixed-size codecs).
/// Errors: multiaddr_invalid_value (detail says why).
Result<void> check_multiaddr_value(ValueCodec codec, ByteView value);

/// Canonical text of value bytes. Precondition: check_multiaddr_value(codec, value) passed.
std::string multiaddr_value_to_text(ValueCodec codec, ByteView value);

/// `text` quoted for an error message: at most 64 characters, bytes outside printable
/// ASCII (and quote / backslash) as \xNN.
std::string quote_for_message(std::string_view text);

/// True when `bytes` is well-formed UTF-8 (no overlong forms, surrogates or values above
/// U+10FFFF).
bool is_valid_utf8(ByteView bytes) noexcept;

}  // namespace weft::identity
