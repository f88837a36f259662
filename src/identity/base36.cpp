#include "identity/base36.hpp"

#include "identity/radix.hpp"

namespace weft::identity {
namespace {

std::string_view alphabet(Base36Case letter_case) {
  return letter_case == Base36Case::lower ? "0123456789abcdefghijklmnopqrstuvwxyz"
                                          : "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
}

}  // namespace

std::string base36_encode(ByteView in, Base36Case letter_case) { return radix_encode(in, alphabet(letter_case)); }

Result<Bytes> base36_decode(std::string_view in, Base36Case letter_case) {
  if (in.size() > kMaxBase36Chars) {
    return Error(Errc::base36_too_long, std::to_string(in.size()) + " characters, at most " +
                                            std::to_string(kMaxBase36Chars));
  }
  auto decoded = radix_decode(in, alphabet(letter_case));
  if (auto* bad = std::get_if<RadixError>(&decoded)) {
    return Error(Errc::base36_invalid_char, "at offset " + std::to_string(bad->offset));
  }
  return std::get<Bytes>(std::move(decoded));
}

}  // namespace weft::identity
