#include "identity/base32.hpp"

#include <cctype>

namespace weft::identity {
namespace {

int base32_value(char c, Base32Case letter_case) noexcept {
  const bool lower_ok = letter_case != Base32Case::upper;
  const bool upper_ok = letter_case != Base32Case::lower;
  if (c >= 'a' && c <= 'z' && lower_ok) return c - 'a';
  if (c >= 'A' && c <= 'Z' && upper_ok) return c - 'A';
  if (c >= '2' && c <= '7') return c - '2' + 26;
  return -1;
}

// Valid unpadded lengths modulo 8 (0, 2, 4, 5, 7 characters encode whole bytes).
bool valid_unpadded_length(std::size_t n) noexcept {
  const std::size_t r = n % 8;
  return r == 0 || r == 2 || r == 4 || r == 5 || r == 7;
}

}  // namespace

std::string base32_encode(ByteView in, Base32Case letter_case) {
  const char* alphabet = letter_case == Base32Case::upper ? "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
                                                          : "abcdefghijklmnopqrstuvwxyz234567";
  std::string out;
  out.reserve((in.size() * 8 + 4) / 5);
  unsigned buffer = 0;
  int bits = 0;
  for (std::uint8_t b : in) {
    buffer = (buffer << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out.push_back(alphabet[(buffer >> (bits - 5)) & 0x1F]);
      bits -= 5;
    }
    buffer &= (1u << bits) - 1;
  }
  if (bits > 0) out.push_back(alphabet[(buffer << (5 - bits)) & 0x1F]);
  return out;
}

std::string base32_encode_padded(ByteView in, Base32Case letter_case) {
  std::string out = base32_encode(in, letter_case);
  while (out.size() % 8 != 0) out.push_back('=');
  return out;
}

Result<Bytes> base32_decode(std::string_view in, Base32Case letter_case) {
  if (!valid_unpadded_length(in.size())) {
    return Error(Errc::base32_invalid_length, std::to_string(in.size()) + " characters");
  }
  Bytes out;
  out.reserve(in.size() * 5 / 8);
  unsigned buffer = 0;
  int bits = 0;
  for (std::size_t i = 0; i < in.size(); ++i) {
    const int v = base32_value(in[i], letter_case);
    if (v < 0) return Error(Errc::base32_invalid_char, "at offset " + std::to_string(i));
    buffer = (buffer << 5) | static_cast<unsigned>(v);
    bits += 5;
    if (bits >= 8) {
      out.push_back(static_cast<std::uint8_t>(buffer >> (bits - 8)));
      bits -= 8;
      buffer &= (1u << bits) - 1;
    }
  }
  if (buffer != 0) return Error(Errc::base32_nonzero_padding_bits);
  return out;
}

Result<Bytes> base32_decode_padded(std::string_view in, Base32Case letter_case) {
  if (in.size() % 8 != 0) {
    return Error(Errc::base32_invalid_length, std::to_string(in.size()) + " characters, padded form needs a multiple of 8");
  }
  std::size_t end = in.size();
  while (end > 0 && in[end - 1] == '=') --end;
  if (in.size() - end > 6) return Error(Errc::base32_invalid_length, "too much padding");
  auto decoded = base32_decode(in.substr(0, end), letter_case);
  // Padding must be exactly what the encoder would write for this many characters.
  if (decoded && base32_encode_padded(decoded.value(), letter_case).size() != in.size()) {
    return Error(Errc::base32_invalid_length, "wrong amount of padding");
  }
  return decoded;
}

}  // namespace weft::identity
