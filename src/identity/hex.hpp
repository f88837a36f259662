#pragma once
// Base16: lower-case on output, either case accepted on input.

#include <weft/bytes.hpp>
#include <weft/error.hpp>

#include <string>
#include <string_view>

namespace weft::identity {

std::string hex_encode(ByteView in);

/// Errors: hex_odd_length, hex_invalid_char (detail names the offset).
Result<Bytes> hex_decode(std::string_view in);

}  // namespace weft::identity
