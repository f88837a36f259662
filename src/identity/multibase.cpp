#include "identity/multibase.hpp"

#include "identity/base32.hpp"
#include "identity/base36.hpp"
#include "identity/base58.hpp"
#include "identity/base64.hpp"
#include "identity/bit_packing.hpp"
#include "identity/hex.hpp"
#include "identity/radix.hpp"

#include <algorithm>
#include <cctype>

namespace weft::identity {
namespace {

constexpr std::string_view kBase2 = "01";
constexpr std::string_view kBase8 = "01234567";
constexpr std::string_view kBase10 = "0123456789";

/// base2 and base8: bit packing, with the multibase_* errors naming the base.
Result<Bytes> decode_bit_packed(std::string_view in, std::string_view alphabet, std::string_view name) {
  auto decoded = bit_pack_decode(in, alphabet);
  if (const auto* bad = std::get_if<BitPackError>(&decoded)) {
    switch (bad->kind) {
      case BitPackError::Kind::invalid_char:
        return Error(Errc::multibase_invalid_char, std::string(name) + " at offset " + std::to_string(bad->offset));
      case BitPackError::Kind::invalid_length:
        return Error(Errc::multibase_invalid_length, std::string(name) + ": " + std::to_string(in.size()) + " characters");
      case BitPackError::Kind::nonzero_fill_bits: return Error(Errc::multibase_nonzero_padding_bits, std::string(name));
    }
  }
  return std::get<Bytes>(std::move(decoded));
}

/// base10: a big number like base58 (each leading '0' is one zero byte), so bounded.
Result<Bytes> decode_base10(std::string_view in) {
  if (in.size() > kMaxBase10Chars) {
    return Error(Errc::multibase_too_long, "base10: " + std::to_string(in.size()) + " characters, at most " +
                                               std::to_string(kMaxBase10Chars));
  }
  auto decoded = radix_decode(in, kBase10);
  if (const auto* bad = std::get_if<RadixError>(&decoded)) {
    return Error(Errc::multibase_invalid_char, "base10 at offset " + std::to_string(bad->offset));
  }
  return std::get<Bytes>(std::move(decoded));
}

/// base16 with one letter case: the digits of the other case are refused.
Result<Bytes> decode_hex_in_case(std::string_view in, bool upper) {
  const auto wrong_case = [upper](char c) { return upper ? (c >= 'a' && c <= 'f') : (c >= 'A' && c <= 'F'); };
  if (auto it = std::find_if(in.begin(), in.end(), wrong_case); it != in.end()) {
    return Error(Errc::hex_invalid_char, "at offset " + std::to_string(it - in.begin()) +
                                             (upper ? ": lower-case digit in upper-case base16 ('F')"
                                                    : ": upper-case digit in lower-case base16 ('f')"));
  }
  return hex_decode(in);
}

std::string to_upper(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::toupper(c); });
  return text;
}

}  // namespace

std::string multibase_encode(Multibase base, ByteView in) {
  using B32 = Base32Alphabet;
  constexpr auto lower = Base32Case::lower;
  constexpr auto upper = Base32Case::upper;
  std::string body;
  switch (base) {
    case Multibase::base2: body = bit_pack_encode(in, kBase2); break;
    case Multibase::base8: body = bit_pack_encode(in, kBase8); break;
    case Multibase::base10: body = radix_encode(in, kBase10); break;
    case Multibase::base16: body = hex_encode(in); break;
    case Multibase::base16_upper: body = to_upper(hex_encode(in)); break;
    case Multibase::base32: body = base32_encode(in, lower); break;
    case Multibase::base32_upper: body = base32_encode(in, upper); break;
    case Multibase::base32_pad: body = base32_encode_padded(in, lower); break;
    case Multibase::base32_pad_upper: body = base32_encode_padded(in, upper); break;
    case Multibase::base32hex: body = base32_encode(in, lower, B32::hex); break;
    case Multibase::base32hex_upper: body = base32_encode(in, upper, B32::hex); break;
    case Multibase::base32hex_pad: body = base32_encode_padded(in, lower, B32::hex); break;
    case Multibase::base32hex_pad_upper: body = base32_encode_padded(in, upper, B32::hex); break;
    case Multibase::base32z: body = base32_encode(in, lower, B32::z); break;
    case Multibase::base36: body = base36_encode(in); break;
    case Multibase::base36_upper: body = base36_encode(in, Base36Case::upper); break;
    case Multibase::base58btc: body = base58_encode(in); break;
    case Multibase::base58flickr: body = base58_encode(in, Base58Alphabet::flickr); break;
    case Multibase::base64: body = base64_encode(in, Base64Alphabet::standard, Base64Padding::none); break;
    case Multibase::base64_pad: body = base64_encode(in, Base64Alphabet::standard, Base64Padding::padded); break;
    case Multibase::base64url: body = base64_encode(in, Base64Alphabet::url, Base64Padding::none); break;
    case Multibase::base64url_pad: body = base64_encode(in, Base64Alphabet::url, Base64Padding::padded); break;
  }
  return static_cast<char>(base) + body;
}

Result<Bytes> multibase_decode(std::string_view in) {
  using B32 = Base32Alphabet;
  constexpr auto lower = Base32Case::lower;
  constexpr auto upper = Base32Case::upper;
  if (in.empty()) return Error(Errc::multibase_empty);
  const std::string_view body = in.substr(1);
  switch (static_cast<Multibase>(in.front())) {
    case Multibase::base2: return decode_bit_packed(body, kBase2, "base2");
    case Multibase::base8: return decode_bit_packed(body, kBase8, "base8");
    case Multibase::base10: return decode_base10(body);
    case Multibase::base16: return decode_hex_in_case(body, false);
    case Multibase::base16_upper: return decode_hex_in_case(body, true);
    case Multibase::base32: return base32_decode(body, lower);
    case Multibase::base32_upper: return base32_decode(body, upper);
    case Multibase::base32_pad: return base32_decode_padded(body, lower);
    case Multibase::base32_pad_upper: return base32_decode_padded(body, upper);
    case Multibase::base32hex: return base32_decode(body, lower, B32::hex);
    case Multibase::base32hex_upper: return base32_decode(body, upper, B32::hex);
    case Multibase::base32hex_pad: return base32_decode_padded(body, lower, B32::hex);
    case Multibase::base32hex_pad_upper: return base32_decode_padded(body, upper, B32::hex);
    case Multibase::base32z: return base32_decode(body, lower, B32::z);
    case Multibase::base36: return base36_decode(body, Base36Case::lower);
    case Multibase::base36_upper: return base36_decode(body, Base36Case::upper);
    case Multibase::base58btc: return base58_decode(body);
    case Multibase::base58flickr: return base58_decode(body, Base58Alphabet::flickr);
    case Multibase::base64: return base64_decode(body, Base64Alphabet::standard, Base64Padding::none);
    case Multibase::base64_pad: return base64_decode(body, Base64Alphabet::standard, Base64Padding::padded);
    case Multibase::base64url: return base64_decode(body, Base64Alphabet::url, Base64Padding::none);
    case Multibase::base64url_pad: return base64_decode(body, Base64Alphabet::url, Base64Padding::padded);
  }
  const unsigned char prefix = static_cast<unsigned char>(in.front());
  return Error(Errc::multibase_unsupported,
               std::isprint(prefix) ? std::string("prefix '") + in.front() + "'"
                                    : "prefix byte 0x" + hex_encode(ByteView(&prefix, 1)));
}

}  // namespace weft::identity
