#include "identity/base64.hpp"

namespace weft::identity {
namespace {

const char* alphabet_chars(Base64Alphabet alphabet) noexcept {
  switch (alphabet) {
    case Base64Alphabet::standard: return "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    case Base64Alphabet::url: return "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    case Base64Alphabet::i2p: return "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-~";
  }
  return "";
}

int base64_value(char c, const char* chars) noexcept {
  for (int i = 0; i < 64; ++i) {
    if (chars[i] == c) return i;
  }
  return -1;
}

}  // namespace

std::string base64_encode(ByteView in, Base64Alphabet alphabet, Base64Padding padding) {
  const char* chars = alphabet_chars(alphabet);
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 3 <= in.size(); i += 3) {
    const unsigned v = unsigned{in[i]} << 16 | unsigned{in[i + 1]} << 8 | in[i + 2];
    out.push_back(chars[v >> 18]);
    out.push_back(chars[(v >> 12) & 0x3F]);
    out.push_back(chars[(v >> 6) & 0x3F]);
    out.push_back(chars[v & 0x3F]);
  }
  const std::size_t rest = in.size() - i;
  if (rest > 0) {
    const unsigned v = unsigned{in[i]} << 16 | (rest == 2 ? unsigned{in[i + 1]} << 8 : 0u);
    out.push_back(chars[v >> 18]);
    out.push_back(chars[(v >> 12) & 0x3F]);
    if (rest == 2) out.push_back(chars[(v >> 6) & 0x3F]);
    if (padding == Base64Padding::padded) out.append(rest == 1 ? "==" : "=");
  }
  return out;
}

Result<Bytes> base64_decode(std::string_view in, Base64Alphabet alphabet, Base64Padding padding) {
  if (padding == Base64Padding::padded) {
    if (in.size() % 4 != 0) {
      return Error(Errc::base64_invalid_length, std::to_string(in.size()) + " characters, padded form needs a multiple of 4");
    }
    std::size_t pad = 0;
    while (pad < 2 && pad < in.size() && in[in.size() - 1 - pad] == '=') ++pad;
    in.remove_suffix(pad);
  }
  if (in.size() % 4 == 1) return Error(Errc::base64_invalid_length, std::to_string(in.size()) + " characters");

  const char* chars = alphabet_chars(alphabet);
  Bytes out;
  out.reserve(in.size() * 3 / 4);
  unsigned buffer = 0;
  int bits = 0;
  for (std::size_t i = 0; i < in.size(); ++i) {
    const int v = base64_value(in[i], chars);
    if (v < 0) return Error(Errc::base64_invalid_char, "at offset " + std::to_string(i));
    buffer = (buffer << 6) | static_cast<unsigned>(v);
    bits += 6;
    if (bits >= 8) {
      out.push_back(static_cast<std::uint8_t>(buffer >> (bits - 8)));
      bits -= 8;
      buffer &= (1u << bits) - 1;
    }
  }
  if (buffer != 0) return Error(Errc::base64_nonzero_padding_bits);
  return out;
}

}  // namespace weft::identity
