#pragma once
// Multibase (github.com/multiformats/multibase): one prefix character naming the base,
// then the encoded bytes. Supported: f F (base16), b B (base32), c C (base32pad),
// k K (base36), z (base58btc), m (base64), M (base64pad), u (base64url), U (base64urlpad).

#include <weft/bytes.hpp>
#include <weft/error.hpp>

#include <string>
#include <string_view>

namespace weft::identity {

enum class Multibase : char {
  base16 = 'f',
  base16_upper = 'F',
  base32 = 'b',
  base32_upper = 'B',
  base32_pad = 'c',
  base32_pad_upper = 'C',
  base36 = 'k',
  base36_upper = 'K',
  base58btc = 'z',
  base64 = 'm',
  base64_pad = 'M',
  base64url = 'u',
  base64url_pad = 'U',
};

/// Prefix character followed by the encoding of `in`.
std::string multibase_encode(Multibase base, ByteView in);

/// Errors: multibase_empty, multibase_unsupported, or the base's own decoding error.
Result<Bytes> multibase_decode(std::string_view in);

}  // namespace weft::identity
