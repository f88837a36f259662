#include "identity/base58.hpp"

#include "identity/radix.hpp"

namespace weft::identity {
namespace {

std::string_view alphabet_of(Base58Alphabet alphabet) noexcept {
  return alphabet == Base58Alphabet::btc ? "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
                                         : "123456789abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ";
}

}  // namespace

std::string base58_encode(ByteView in, Base58Alphabet alphabet) { return radix_encode(in, alphabet_of(alphabet)); }

Result<Bytes> base58_decode(std::string_view in, Base58Alphabet alphabet) {
  if (in.size() > kMaxBase58Chars) {
    return Error(Errc::base58_too_long, std::to_string(in.size()) + " characters, at most " +
                                            std::to_string(kMaxBase58Chars));
  }
  auto decoded = radix_decode(in, alphabet_of(alphabet));
  if (auto* bad = std::get_if<RadixError>(&decoded)) {
    return Error(Errc::base58_invalid_char, "at offset " + std::to_string(bad->offset));
  }
  return std::get<Bytes>(std::move(decoded));
}

}  // namespace weft::identity
