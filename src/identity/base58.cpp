#include "identity/base58.hpp"

#include <array>

namespace weft::identity {
namespace {

constexpr std::string_view kAlphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

constexpr std::array<std::int8_t, 256> make_reverse() {
  std::array<std::int8_t, 256> table{};
  for (auto& v : table) v = -1;
  for (std::size_t i = 0; i < kAlphabet.size(); ++i) {
    table[static_cast<unsigned char>(kAlphabet[i])] = static_cast<std::int8_t>(i);
  }
  return table;
}
constexpr auto kReverse = make_reverse();

}  // namespace

std::string base58_encode(ByteView in) {
  std::size_t zeros = 0;
  while (zeros < in.size() && in[zeros] == 0) ++zeros;

  // Big-endian base-58 digits of the remaining bytes; log(256)/log(58) < 1.37.
  std::vector<std::uint8_t> digits((in.size() - zeros) * 137 / 100 + 1, 0);
  std::size_t used = 0;  // digits in use, counted from the back
  for (std::size_t i = zeros; i < in.size(); ++i) {
    unsigned carry = in[i];
    std::size_t j = 0;
    for (auto it = digits.rbegin(); (carry != 0 || j < used) && it != digits.rend(); ++it, ++j) {
      carry += 256u * *it;
      *it = static_cast<std::uint8_t>(carry % 58);
      carry /= 58;
    }
    used = j;
  }
  std::string out(zeros, '1');
  for (std::size_t k = digits.size() - used; k < digits.size(); ++k) out.push_back(kAlphabet[digits[k]]);
  return out;
}

Result<Bytes> base58_decode(std::string_view in) {
  if (in.size() > kMaxBase58Chars) {
    return Error(Errc::base58_too_long, std::to_string(in.size()) + " characters, at most " +
                                            std::to_string(kMaxBase58Chars));
  }
  std::size_t ones = 0;
  while (ones < in.size() && in[ones] == '1') ++ones;

  // Big-endian base-256 bytes; log(58)/log(256) < 0.733.
  Bytes bytes((in.size() - ones) * 733 / 1000 + 1, 0);
  std::size_t used = 0;
  for (std::size_t i = ones; i < in.size(); ++i) {
    const int digit = kReverse[static_cast<unsigned char>(in[i])];
    if (digit < 0) return Error(Errc::base58_invalid_char, "at offset " + std::to_string(i));
    unsigned carry = static_cast<unsigned>(digit);
    std::size_t j = 0;
    for (auto it = bytes.rbegin(); (carry != 0 || j < used) && it != bytes.rend(); ++it, ++j) {
      carry += 58u * *it;
      *it = static_cast<std::uint8_t>(carry & 0xFF);
      carry >>= 8;
    }
    used = j;
  }
  Bytes out(ones, 0);
  out.insert(out.end(), bytes.end() - static_cast<std::ptrdiff_t>(used), bytes.end());
  return out;
}

}  // namespace weft::identity
