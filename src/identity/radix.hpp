#pragma once
// Big-number conversion between bytes and text in a radix given by an alphabet, with the
// leading-zero rule base58btc and base36 share: each leading zero byte is one leading
// alphabet[0] character, and the rest is the big-endian number in that radix.
// Quadratic in the length, so callers bound their input.

#include <weft/bytes.hpp>

#include <string>
#include <string_view>
#include <variant>

namespace weft::identity {

/// Precondition: 2 <= alphabet.size() <= 256, characters distinct.
std::string radix_encode(ByteView in, std::string_view alphabet);

struct RadixError {
  std::size_t offset;  ///< the first character not in the alphabet
};

/// Decodes `in`; on a character outside the alphabet, returns its offset instead.
std::variant<Bytes, RadixError> radix_decode(std::string_view in, std::string_view alphabet);

}  // namespace weft::identity
