#pragma once
// RFC 4648 base64 in the alphabets multiaddr needs: standard (multibase 'm'/'M'),
// URL-safe (multibase 'u'/'U', certhash text) and I2P's (garlic64: '-' and '~' for '+'
// and '/'). Decoding is strict: invalid lengths, misplaced or missing padding and non-zero
// padding bits are errors, so accepted text re-encodes to itself.

#include <weft/bytes.hpp>
#include <weft/error.hpp>

#include <string>
#include <string_view>

namespace weft::identity {

enum class Base64Alphabet { standard, url, i2p };
enum class Base64Padding { none, padded };

std::string base64_encode(ByteView in, Base64Alphabet alphabet, Base64Padding padding);

/// Errors: base64_invalid_char, base64_invalid_length, base64_nonzero_padding_bits.
Result<Bytes> base64_decode(std::string_view in, Base64Alphabet alphabet, Base64Padding padding);

}  // namespace weft::identity
