#pragma once
// base32 (RFC 4648) in three alphabets: the standard one (a-z 2-7; multibase 'b'/'c'),
// "extended hex" (0-9 a-v; multibase 'v'/'t') and z-base-32 (multibase 'h'). Multibase
// strings use one case per prefix; onion addresses are matched case-insensitively.
// Decoding is strict (see bit_packing.hpp): lengths that no byte string encodes to, and
// non-zero bits in the final character's fill, are errors, so every accepted text has
// exactly one byte string and re-encodes to itself.

#include <weft/bytes.hpp>
#include <weft/error.hpp>

#include <string>
#include <string_view>

namespace weft::identity {

enum class Base32Case { lower, upper, any };

enum class Base32Alphabet {
  standard,  ///< RFC 4648 section 6: abcdefghijklmnopqrstuvwxyz234567
  hex,       ///< RFC 4648 section 7: 0123456789abcdefghijklmnopqrstuv
  z,         ///< z-base-32: ybndrfg8ejkmcpqxot1uwisza345h769
};

/// Encodes without padding, in the given case (lower unless asked).
std::string base32_encode(ByteView in, Base32Case letter_case = Base32Case::lower,
                          Base32Alphabet alphabet = Base32Alphabet::standard);

/// Encodes with '=' padding to a multiple of 8 characters.
std::string base32_encode_padded(ByteView in, Base32Case letter_case = Base32Case::lower,
                                 Base32Alphabet alphabet = Base32Alphabet::standard);

/// Decodes unpadded text. Errors: base32_invalid_char (detail names the offset),
/// base32_invalid_length, base32_nonzero_padding_bits.
Result<Bytes> base32_decode(std::string_view in, Base32Case letter_case = Base32Case::lower,
                            Base32Alphabet alphabet = Base32Alphabet::standard);

/// Decodes text padded with '=' to a multiple of 8 characters, exactly as the encoder pads.
Result<Bytes> base32_decode_padded(std::string_view in, Base32Case letter_case = Base32Case::lower,
                                   Base32Alphabet alphabet = Base32Alphabet::standard);

}  // namespace weft::identity
