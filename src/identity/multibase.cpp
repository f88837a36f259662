#include "identity/multibase.hpp"

#include "identity/base32.hpp"
#include "identity/base36.hpp"
#include "identity/base58.hpp"
#include "identity/base64.hpp"
#include "identity/hex.hpp"

#include <algorithm>
#include <cctype>

namespace weft::identity {

std::string multibase_encode(Multibase base, ByteView in) {
  std::string body;
  switch (base) {
    case Multibase::base16: body = hex_encode(in); break;
    case Multibase::base16_upper:
      body = hex_encode(in);
      std::transform(body.begin(), body.end(), body.begin(), [](unsigned char c) { return std::toupper(c); });
      break;
    case Multibase::base32: body = base32_encode(in); break;
    case Multibase::base32_upper: body = base32_encode(in, Base32Case::upper); break;
    case Multibase::base32_pad: body = base32_encode_padded(in); break;
    case Multibase::base32_pad_upper: body = base32_encode_padded(in, Base32Case::upper); break;
    case Multibase::base36: body = base36_encode(in); break;
    case Multibase::base36_upper: body = base36_encode(in, Base36Case::upper); break;
    case Multibase::base58btc: body = base58_encode(in); break;
    case Multibase::base64: body = base64_encode(in, Base64Alphabet::standard, Base64Padding::none); break;
    case Multibase::base64_pad: body = base64_encode(in, Base64Alphabet::standard, Base64Padding::padded); break;
    case Multibase::base64url: body = base64_encode(in, Base64Alphabet::url, Base64Padding::none); break;
    case Multibase::base64url_pad: body = base64_encode(in, Base64Alphabet::url, Base64Padding::padded); break;
  }
  return static_cast<char>(base) + body;
}

Result<Bytes> multibase_decode(std::string_view in) {
  if (in.empty()) return Error(Errc::multibase_empty);
  const std::string_view body = in.substr(1);
  switch (in.front()) {
    case 'f':
      if (auto it = std::find_if(body.begin(), body.end(), [](char c) { return c >= 'A' && c <= 'F'; });
          it != body.end()) {
        return Error(Errc::hex_invalid_char, "at offset " + std::to_string(it - body.begin()) +
                                                 ": upper-case digit in lower-case base16 ('f')");
      }
      return hex_decode(body);
    case 'F':
      if (auto it = std::find_if(body.begin(), body.end(), [](char c) { return c >= 'a' && c <= 'f'; });
          it != body.end()) {
        return Error(Errc::hex_invalid_char, "at offset " + std::to_string(it - body.begin()) +
                                                 ": lower-case digit in upper-case base16 ('F')");
      }
      return hex_decode(body);
    case 'b': return base32_decode(body, Base32Case::lower);
    case 'B': return base32_decode(body, Base32Case::upper);
    case 'c': return base32_decode_padded(body, Base32Case::lower);
    case 'C': return base32_decode_padded(body, Base32Case::upper);
    case 'k': return base36_decode(body, Base36Case::lower);
    case 'K': return base36_decode(body, Base36Case::upper);
    case 'z': return base58_decode(body);
    case 'm': return base64_decode(body, Base64Alphabet::standard, Base64Padding::none);
    case 'M': return base64_decode(body, Base64Alphabet::standard, Base64Padding::padded);
    case 'u': return base64_decode(body, Base64Alphabet::url, Base64Padding::none);
    case 'U': return base64_decode(body, Base64Alphabet::url, Base64Padding::padded);
    default: break;
  }
  const unsigned char prefix = static_cast<unsigned char>(in.front());
  return Error(Errc::multibase_unsupported,
               std::isprint(prefix) ? std::string("prefix '") + in.front() + "'"
                                    : "prefix byte 0x" + hex_encode(ByteView(&prefix, 1)));
}

}  // namespace weft::identity
