#include "identity/base58.hpp"

#include "identity/radix.hpp"

namespace weft::identity {
namespace {

constexpr std::string_view kAlphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

}  // namespace

std::string base58_encode(ByteView in) { return radix_encode(in, kAlphabet); }

Result<Bytes> base58_decode(std::string_view in) {
  if (in.size() > kMaxBase58Chars) {
    return Error(Errc::base58_too_long, std::to_string(in.size()) + " characters, at most " +
                                            std::to_string(kMaxBase58Chars));
  }
  auto decoded = radix_decode(in, kAlphabet);
  if (auto* bad = std::get_if<RadixError>(&decoded)) {
    return Error(Errc::base58_invalid_char, "at offset " + std::to_string(bad->offset));
  }
  return std::get<Bytes>(std::move(decoded));
}

}  // namespace weft::identity
