#pragma once
// base36 as multibase 'k' (lower-case) and 'K' (upper-case) define it: the big-endian
// number in digits 0-9a-z, each leading zero byte one leading '0'. IPNS keys and
// libp2p-key CIDs are often written this way ("k51qzi5uqu5d...").

#include <weft/bytes.hpp>
#include <weft/error.hpp>

#include <string>
#include <string_view>

namespace weft::identity {

/// Decoding is quadratic in the input length, so input above this is refused.
inline constexpr std::size_t kMaxBase36Chars = 1024;

enum class Base36Case { lower, upper };

std::string base36_encode(ByteView in, Base36Case letter_case = Base36Case::lower);

/// Only the given case is accepted. Errors: base36_invalid_char (detail names the offset),
/// base36_too_long.
Result<Bytes> base36_decode(std::string_view in, Base36Case letter_case = Base36Case::lower);

}  // namespace weft::identity
