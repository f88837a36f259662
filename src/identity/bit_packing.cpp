#include "identity/bit_packing.hpp"

#include <array>

namespace weft::identity {
namespace {

unsigned bits_per_char(std::string_view alphabet) noexcept {
  unsigned bits = 0;
  while ((std::size_t{1} << bits) < alphabet.size()) ++bits;
  return bits;
}

/// The same ASCII letter in the other case; other characters unchanged.
char other_case(char c) noexcept {
  if (c >= 'a' && c <= 'z') return static_cast<char>(c - 'a' + 'A');
  if (c >= 'A' && c <= 'Z') return static_cast<char>(c - 'A' + 'a');
  return c;
}

/// Characters needed for `bytes` bytes: ceil(8 * bytes / bits).
std::size_t encoded_length(std::size_t bytes, unsigned bits) noexcept { return (bytes * 8 + bits - 1) / bits; }

}  // namespace

std::string bit_pack_encode(ByteView in, std::string_view alphabet) {
  const unsigned bits = bits_per_char(alphabet);
  const unsigned mask = (1u << bits) - 1;
  std::string out;
  out.reserve(encoded_length(in.size(), bits));
  unsigned buffer = 0;  // holds fewer than `bits` + 8 pending bits
  unsigned pending = 0;
  for (const std::uint8_t b : in) {
    buffer = (buffer << 8) | b;
    pending += 8;
    while (pending >= bits) {
      pending -= bits;
      out.push_back(alphabet[(buffer >> pending) & mask]);
    }
    buffer &= (1u << pending) - 1;
  }
  if (pending > 0) out.push_back(alphabet[(buffer << (bits - pending)) & mask]);
  return out;
}

std::variant<Bytes, BitPackError> bit_pack_decode(std::string_view in, std::string_view alphabet,
                                                  bool ignore_case) {
  const unsigned bits = bits_per_char(alphabet);
  const std::size_t bytes = in.size() * bits / 8;
  if (encoded_length(bytes, bits) != in.size()) return BitPackError{BitPackError::Kind::invalid_length};

  std::array<int, 256> value;
  value.fill(-1);
  for (std::size_t i = 0; i < alphabet.size(); ++i) {
    value[static_cast<unsigned char>(alphabet[i])] = static_cast<int>(i);
    if (ignore_case) value[static_cast<unsigned char>(other_case(alphabet[i]))] = static_cast<int>(i);
  }

  Bytes out;
  out.reserve(bytes);
  unsigned buffer = 0;
  unsigned pending = 0;
  for (std::size_t i = 0; i < in.size(); ++i) {
    const int v = value[static_cast<unsigned char>(in[i])];
    if (v < 0) return BitPackError{BitPackError::Kind::invalid_char, i};
    buffer = (buffer << bits) | static_cast<unsigned>(v);
    pending += bits;
    if (pending >= 8) {
      pending -= 8;
      out.push_back(static_cast<std::uint8_t>(buffer >> pending));
      buffer &= (1u << pending) - 1;
    }
  }
  if (buffer != 0) return BitPackError{BitPackError::Kind::nonzero_fill_bits};
  return out;
}

}  // namespace weft::identity
