#include "identity/base32.hpp"

#include "identity/bit_packing.hpp"

namespace weft::identity {
namespace {

std::string_view lower_alphabet(Base32Alphabet alphabet) noexcept {
  switch (alphabet) {
    case Base32Alphabet::hex: return "0123456789abcdefghijklmnopqrstuv";
    case Base32Alphabet::z: return "ybndrfg8ejkmcpqxot1uwisza345h769";
    case Base32Alphabet::standard: break;
  }
  return "abcdefghijklmnopqrstuvwxyz234567";
}

std::string_view upper_alphabet(Base32Alphabet alphabet) noexcept {
  switch (alphabet) {
    case Base32Alphabet::hex: return "0123456789ABCDEFGHIJKLMNOPQRSTUV";
    case Base32Alphabet::z: return "YBNDRFG8EJKMCPQXOT1UWISZA345H769";
    case Base32Alphabet::standard: break;
  }
  return "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
}

std::string_view alphabet_in(Base32Case letter_case, Base32Alphabet alphabet) noexcept {
  return letter_case == Base32Case::upper ? upper_alphabet(alphabet) : lower_alphabet(alphabet);
}

}  // namespace

std::string base32_encode(ByteView in, Base32Case letter_case, Base32Alphabet alphabet) {
  return bit_pack_encode(in, alphabet_in(letter_case, alphabet));
}

std::string base32_encode_padded(ByteView in, Base32Case letter_case, Base32Alphabet alphabet) {
  std::string out = base32_encode(in, letter_case, alphabet);
  while (out.size() % 8 != 0) out.push_back('=');
  return out;
}

Result<Bytes> base32_decode(std::string_view in, Base32Case letter_case, Base32Alphabet alphabet) {
  auto decoded = bit_pack_decode(in, alphabet_in(letter_case, alphabet), letter_case == Base32Case::any);
  if (const auto* bad = std::get_if<BitPackError>(&decoded)) {
    switch (bad->kind) {
      case BitPackError::Kind::invalid_char:
        return Error(Errc::base32_invalid_char, "at offset " + std::to_string(bad->offset));
      case BitPackError::Kind::invalid_length:
        return Error(Errc::base32_invalid_length, std::to_string(in.size()) + " characters");
      case BitPackError::Kind::nonzero_fill_bits: return Error(Errc::base32_nonzero_padding_bits);
    }
  }
  return std::get<Bytes>(std::move(decoded));
}

Result<Bytes> base32_decode_padded(std::string_view in, Base32Case letter_case, Base32Alphabet alphabet) {
  if (in.size() % 8 != 0) {
    return Error(Errc::base32_invalid_length,
                 std::to_string(in.size()) + " characters, padded form needs a multiple of 8");
  }
  std::size_t end = in.size();
  while (end > 0 && in[end - 1] == '=') --end;
  if (in.size() - end > 6) return Error(Errc::base32_invalid_length, "too much padding");
  auto decoded = base32_decode(in.substr(0, end), letter_case, alphabet);
  // Padding must be exactly what the encoder would write for this many characters.
  if (decoded && base32_encode_padded(decoded.value(), letter_case, alphabet).size() != in.size()) {
    return Error(Errc::base32_invalid_length, "wrong amount of padding");
  }
  return decoded;
}

}  // namespace weft::identity
