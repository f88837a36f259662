#pragma once
// RFC 4648 base32 (alphabet a-z 2-7). Multibase 'b' is lower-case without padding;
// onion addresses are matched case-insensitively. Decoding is strict: lengths that no
// byte string encodes to, and non-zero bits in the final character's padding, are errors,
// so every accepted text has exactly one byte string and re-encodes to itself.

#include <weft/bytes.hpp>
#include <weft/error.hpp>

#include <string>
#include <string_view>

namespace weft::identity {

enum class Base32Case { lower, upper, any };

/// Encodes without padding, in the given case (lower unless asked).
std::string base32_encode(ByteView in, Base32Case letter_case = Base32Case::lower);

/// Encodes with '=' padding to a multiple of 8 characters.
std::string base32_encode_padded(ByteView in, Base32Case letter_case = Base32Case::lower);

/// Decodes unpadded text. Errors: base32_invalid_char, base32_invalid_length,
/// base32_nonzero_padding_bits.
Result<Bytes> base32_decode(std::string_view in, Base32Case letter_case = Base32Case::lower);

/// Decodes text padded with '=' to a multiple of 8 characters.
Result<Bytes> base32_decode_padded(std::string_view in, Base32Case letter_case = Base32Case::lower);

}  // namespace weft::identity
