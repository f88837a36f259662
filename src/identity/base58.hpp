#pragma once
// base58btc (the Bitcoin alphabet), as multibase 'z' and PeerId text use it.
// Each leading zero byte is one leading '1'.

#include <weft/bytes.hpp>
#include <weft/error.hpp>

#include <string>
#include <string_view>

namespace weft::identity {

/// Decoding is quadratic in the input length, so input above this is refused.
inline constexpr std::size_t kMaxBase58Chars = 1024;

std::string base58_encode(ByteView in);

/// Errors: base58_invalid_char (detail names the offset), base58_too_long.
Result<Bytes> base58_decode(std::string_view in);

}  // namespace weft::identity
