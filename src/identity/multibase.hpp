#pragma once
// Multibase (github.com/multiformats/multibase): one prefix character naming the base,
// then the encoded bytes. Supported: every base of the multibase table (multibase.csv) with
// a printable one-character prefix, except the experimental proquint:
// 0 (base2), 7 (base8), 9 (base10), f F (base16), v V (base32hex), t T (base32hexpad),
// b B (base32), c C (base32pad), h (base32z), k K (base36), z (base58btc),
// Z (base58flickr), m (base64), M (base64pad), u (base64url), U (base64urlpad).
// Not supported: identity (a NUL prefix and raw bytes, no text form), proquint 'p' and
// base256emoji (a four-byte prefix).
//
// Each prefix takes one letter case: "bMZXW6" is refused although the multibase test
// suite calls mixed case a non-canonical encoding to accept, so that every accepted text
// re-encodes to itself.

#include <weft/bytes.hpp>
#include <weft/error.hpp>

#include <string>
#include <string_view>

namespace weft::identity {

enum class Multibase : char {
  base2 = '0',
  base8 = '7',
  base10 = '9',
  base16 = 'f',
  base16_upper = 'F',
  base32 = 'b',
  base32_upper = 'B',
  base32_pad = 'c',
  base32_pad_upper = 'C',
  base32hex = 'v',
  base32hex_upper = 'V',
  base32hex_pad = 't',
  base32hex_pad_upper = 'T',
  base32z = 'h',
  base36 = 'k',
  base36_upper = 'K',
  base58btc = 'z',
  base58flickr = 'Z',
  base64 = 'm',
  base64_pad = 'M',
  base64url = 'u',
  base64url_pad = 'U',
};

/// base10 decoding is quadratic in the length (like base58), so longer input is refused.
inline constexpr std::size_t kMaxBase10Chars = 1024;

/// Prefix character followed by the encoding of `in`.
std::string multibase_encode(Multibase base, ByteView in);

/// Errors: multibase_empty, multibase_unsupported, or the base's own decoding error
/// (multibase_invalid_char / _invalid_length / _nonzero_padding_bits / _too_long for the
/// bases without a codec of their own: base2, base8, base10).
Result<Bytes> multibase_decode(std::string_view in);

}  // namespace weft::identity
