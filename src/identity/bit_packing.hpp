#pragma once
// RFC 4648-style bit packing for bases whose alphabet has 2^k characters (base2, base8,
// base32 and its hex / z-base-32 alphabets): the input is read as one big-endian bit
// string, k bits per character, and the last character is filled with zero bits. No '='
// padding here (callers that want it add and check it themselves).
//
// Decoding is strict so that every accepted text has exactly one byte string and
// re-encodes to itself: a length no whole number of bytes encodes to, or a non-zero bit in
// the final character's fill, is an error.

#include <weft/bytes.hpp>

#include <string>
#include <string_view>
#include <variant>

namespace weft::identity {

/// Precondition: alphabet.size() is 2, 4, 8, 16 or 32 and its characters are distinct.
std::string bit_pack_encode(ByteView in, std::string_view alphabet);

struct BitPackError {
  enum class Kind { invalid_char, invalid_length, nonzero_fill_bits };
  Kind kind;
  std::size_t offset = 0;  ///< for invalid_char: the first character not in the alphabet
};

/// Decodes `in`. With `ignore_case`, ASCII letters match the alphabet in either case.
std::variant<Bytes, BitPackError> bit_pack_decode(std::string_view in, std::string_view alphabet,
                                                  bool ignore_case = false);

}  // namespace weft::identity
