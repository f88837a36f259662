#include "identity/radix.hpp"

#include <array>
#include <cmath>

namespace weft::identity {
namespace {

// Upper bound on the digits of an n-byte number in radix `to` when read in radix `from`.
std::size_t digits_needed(std::size_t n, double from, double to) {
  return static_cast<std::size_t>(static_cast<double>(n) * std::log(from) / std::log(to)) + 1;
}

}  // namespace

std::string radix_encode(ByteView in, std::string_view alphabet) {
  const unsigned radix = static_cast<unsigned>(alphabet.size());
  std::size_t zeros = 0;
  while (zeros < in.size() && in[zeros] == 0) ++zeros;

  // Big-endian digits, filled from the back; `used` counts the significant ones.
  std::vector<std::uint8_t> digits(digits_needed(in.size() - zeros, 256, radix), 0);
  std::size_t used = 0;
  for (std::size_t i = zeros; i < in.size(); ++i) {
    unsigned carry = in[i];
    std::size_t j = 0;
    for (auto it = digits.rbegin(); (carry != 0 || j < used) && it != digits.rend(); ++it, ++j) {
      carry += 256u * *it;
      *it = static_cast<std::uint8_t>(carry % radix);
      carry /= radix;
    }
    used = j;
  }
  std::string out(zeros, alphabet[0]);
  for (std::size_t k = digits.size() - used; k < digits.size(); ++k) out.push_back(alphabet[digits[k]]);
  return out;
}

std::variant<Bytes, RadixError> radix_decode(std::string_view in, std::string_view alphabet) {
  const unsigned radix = static_cast<unsigned>(alphabet.size());
  std::array<int, 256> value;
  value.fill(-1);
  for (std::size_t i = 0; i < alphabet.size(); ++i) value[static_cast<unsigned char>(alphabet[i])] = static_cast<int>(i);

  std::size_t zeros = 0;
  while (zeros < in.size() && in[zeros] == alphabet[0]) ++zeros;

  Bytes bytes(digits_needed(in.size() - zeros, radix, 256), 0);
  std::size_t used = 0;
  for (std::size_t i = zeros; i < in.size(); ++i) {
    const int digit = value[static_cast<unsigned char>(in[i])];
    if (digit < 0) return RadixError{i};
    unsigned carry = static_cast<unsigned>(digit);
    std::size_t j = 0;
    for (auto it = bytes.rbegin(); (carry != 0 || j < used) && it != bytes.rend(); ++it, ++j) {
      carry += radix * *it;
      *it = static_cast<std::uint8_t>(carry & 0xFF);
      carry >>= 8;
    }
    used = j;
  }
  Bytes out(zeros, 0);
  out.insert(out.end(), bytes.end() - static_cast<std::ptrdiff_t>(used), bytes.end());
  return out;
}

}  // namespace weft::identity
