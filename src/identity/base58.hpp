#pragma once
// base58btc (the Bitcoin alphabet), as multibase 'z' and PeerId text use it, and
// base58flickr (multibase 'Z': the same with the two letter cases swapped).
// Each leading zero byte is one leading '1'.

#include <weft/bytes.hpp>
#include <weft/error.hpp>

#include <string>
#include <string_view>

namespace weft::identity {

/// Decoding is quadratic in the input length, so input above this is refused.
inline constexpr std::size_t kMaxBase58Chars = 1024;

enum class Base58Alphabet { btc, flickr };

std::string base58_encode(ByteView in, Base58Alphabet alphabet = Base58Alphabet::btc);

/// Errors: base58_invalid_char (detail names the offset), base58_too_long.
Result<Bytes> base58_decode(std::string_view in, Base58Alphabet alphabet = Base58Alphabet::btc);

}  // namespace weft::identity
