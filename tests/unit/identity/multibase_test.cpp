// Multibase: the spec's "yes mani !" vectors for every supported prefix, round trips,
// case rules, empty and unsupported prefixes, and errors passed up from each base.

#include "identity/multibase.hpp"

#include "identity/base58.hpp"

#include <doctest/doctest.h>

#include <random>
#include <string>

#include "test_bytes.hpp"

using namespace weft;
using namespace weft::identity;
using weft::test::bytes_of;
using weft::test::detail_of;
using weft::test::outcome_of;
using weft::test::to_hex;

namespace {

constexpr Multibase kAllBases[] = {
    Multibase::base16,     Multibase::base16_upper,  Multibase::base32,    Multibase::base32_upper,
    Multibase::base32_pad, Multibase::base32_pad_upper, Multibase::base36, Multibase::base36_upper,
    Multibase::base58btc, Multibase::base64,
    Multibase::base64_pad, Multibase::base64url,     Multibase::base64url_pad,
};

}  // namespace

TEST_CASE("multibase: the spec's test vectors for \"yes mani !\"") {
  const Bytes data = bytes_of("yes mani !");
  const std::pair<Multibase, const char*> vectors[] = {
      {Multibase::base16, "f796573206d616e692021"},
      {Multibase::base16_upper, "F796573206D616E692021"},
      {Multibase::base32, "bpfsxgidnmfxgsibb"},
      {Multibase::base32_upper, "BPFSXGIDNMFXGSIBB"},
      {Multibase::base32_pad, "cpfsxgidnmfxgsibb"},
      {Multibase::base32_pad_upper, "CPFSXGIDNMFXGSIBB"},
      {Multibase::base36, "k2lcpzo5yikidynfl"},
      {Multibase::base36_upper, "K2LCPZO5YIKIDYNFL"},
      {Multibase::base58btc, "z7paNL19xttacUY"},
      {Multibase::base64, "meWVzIG1hbmkgIQ"},
      {Multibase::base64_pad, "MeWVzIG1hbmkgIQ=="},
      {Multibase::base64url, "ueWVzIG1hbmkgIQ"},
      {Multibase::base64url_pad, "UeWVzIG1hbmkgIQ=="},
  };
  for (const auto& [base, text_] : vectors) {
    const char* text = text_;  // clang 14: a lambda (CAPTURE) cannot capture a binding
    CAPTURE(text);
    CHECK(multibase_encode(base, data) == text);
    auto decoded = multibase_decode(text);
    REQUIRE(outcome_of(decoded).ok());
    CHECK(decoded.value() == data);
  }
  // Padding shows where the length needs it.
  CHECK(multibase_encode(Multibase::base32_pad, bytes_of("f")) == "cmy======");
  CHECK(multibase_encode(Multibase::base32_pad_upper, bytes_of("f")) == "CMY======");
  CHECK(multibase_encode(Multibase::base64url_pad, bytes_of("\xfb\xff")) == "U-_8=");
  CHECK(multibase_encode(Multibase::base64_pad, bytes_of("\xfb\xff")) == "M+/8=");
}

TEST_CASE("multibase: every supported prefix round-trips, text re-encodes to itself") {
  std::mt19937 rng(0x6d62);
  for (auto base : kAllBases) {
    const char prefix = static_cast<char>(base);
    CAPTURE(prefix);
    for (int i = 0; i < 300; ++i) {
      Bytes data(i == 0 ? 0 : rng() % 48);
      for (auto& b : data) b = static_cast<std::uint8_t>(i % 3 == 0 ? 0 : rng());  // some all-zero inputs
      const std::string text = multibase_encode(base, data);
      REQUIRE(!text.empty());
      CHECK(text.front() == prefix);
      auto decoded = multibase_decode(text);
      REQUIRE(outcome_of(decoded).ok());
      CHECK(to_hex(decoded.value()) == to_hex(data));
      CHECK(multibase_encode(base, decoded.value()) == text);
    }
    // A bare prefix is the empty byte string.
    auto bare = multibase_decode(std::string(1, prefix));
    REQUIRE(outcome_of(bare).ok());
    CHECK(bare.value().empty());
  }
}

TEST_CASE("multibase: case rules of the base16 and base32 prefixes") {
  CHECK(outcome_of(multibase_decode("f0aff")).ok());
  CHECK(outcome_of(multibase_decode("F0AFF")).ok());
  CHECK(outcome_of(multibase_decode("f0123")).ok());  // digits only: either prefix
  CHECK(outcome_of(multibase_decode("F0123")).ok());
  CHECK(outcome_of(multibase_decode("f0aFf")) == Errc::hex_invalid_char);
  CHECK(outcome_of(multibase_decode("f0AFF")) == Errc::hex_invalid_char);
  CHECK(outcome_of(multibase_decode("F0aFF")) == Errc::hex_invalid_char);
  CHECK(outcome_of(multibase_decode("F0aff")) == Errc::hex_invalid_char);
  // Like hex_decode's own errors, the detail names the offset (within the encoded part).
  CHECK(detail_of(multibase_decode("f00aB")).find("offset 3") != std::string::npos);
  CHECK(detail_of(multibase_decode("F00Ab")).find("offset 3") != std::string::npos);

  CHECK(outcome_of(multibase_decode("bmzxw6")).ok());
  CHECK(outcome_of(multibase_decode("BMZXW6")).ok());
  CHECK(outcome_of(multibase_decode("bMZXW6")) == Errc::base32_invalid_char);
  CHECK(outcome_of(multibase_decode("Bmzxw6")) == Errc::base32_invalid_char);
  CHECK(outcome_of(multibase_decode("cMY======")) == Errc::base32_invalid_char);
  CHECK(outcome_of(multibase_decode("Cmy======")) == Errc::base32_invalid_char);
}

TEST_CASE("multibase: empty input") {
  CHECK(outcome_of(multibase_decode("")) == Errc::multibase_empty);
}

TEST_CASE("multibase: unsupported prefixes, printable and not") {
  // Prefixes the spec defines that weft does not support, and ones it does not define.
  for (const char* text : {"Z796573", "0101", "1abc", "h", "x", "Qm", "/ip4", " f00"}) {
    CAPTURE(text);
    auto decoded = multibase_decode(text);
    CHECK(outcome_of(decoded) == Errc::multibase_unsupported);
    CHECK(detail_of(decoded) == std::string("prefix '") + text[0] + "'");
  }
  for (const auto& [text, hex_] : {std::pair{std::string("\x00" "f00", 4), "00"},
                                  std::pair{std::string("\xff"), "ff"},
                                  std::pair{std::string("\x7f" "abc"), "7f"},
                                  std::pair{std::string("\n"), "0a"},
                                  std::pair{std::string("\xc3\xa9"), "c3"}}) {
    const char* hex = hex_;
    CAPTURE(hex);
    auto decoded = multibase_decode(text);
    CHECK(outcome_of(decoded) == Errc::multibase_unsupported);
    CHECK(detail_of(decoded) == std::string("prefix byte 0x") + hex);
  }
  // Every byte that is not a supported prefix is refused.
  const std::string supported = "fFbBcCkKzmMuU";
  for (int c = 0; c < 256; ++c) {
    CAPTURE(c);
    const char prefix = static_cast<char>(c);
    const bool is_supported = supported.find(prefix) != std::string::npos;
    CHECK((outcome_of(multibase_decode(std::string(1, prefix))) == Errc::multibase_unsupported) != is_supported);
  }
}

TEST_CASE("multibase: errors of the base are passed up unchanged") {
  CHECK(outcome_of(multibase_decode("f0")) == Errc::hex_odd_length);
  CHECK(outcome_of(multibase_decode("fzz")) == Errc::hex_invalid_char);
  CHECK(outcome_of(multibase_decode("F000")) == Errc::hex_odd_length);
  CHECK(outcome_of(multibase_decode("F0G")) == Errc::hex_invalid_char);
  CHECK(outcome_of(multibase_decode("b1")) == Errc::base32_invalid_length);
  CHECK(outcome_of(multibase_decode("bmz")) == Errc::base32_nonzero_padding_bits);
  CHECK(outcome_of(multibase_decode("bm0")) == Errc::base32_invalid_char);
  CHECK(outcome_of(multibase_decode("cmy")) == Errc::base32_invalid_length);
  CHECK(outcome_of(multibase_decode("Cmy=====")) == Errc::base32_invalid_length);
  CHECK(outcome_of(multibase_decode("z0")) == Errc::base58_invalid_char);
  CHECK(outcome_of(multibase_decode("z" + std::string(kMaxBase58Chars + 1, '2'))) == Errc::base58_too_long);
  CHECK(outcome_of(multibase_decode("mZg==")) == Errc::base64_invalid_char);
  CHECK(outcome_of(multibase_decode("mZ")) == Errc::base64_invalid_length);
  CHECK(outcome_of(multibase_decode("mZh")) == Errc::base64_nonzero_padding_bits);
  CHECK(outcome_of(multibase_decode("MZg")) == Errc::base64_invalid_length);
  CHECK(outcome_of(multibase_decode("M-_8=")) == Errc::base64_invalid_char);
  CHECK(outcome_of(multibase_decode("u+/8")) == Errc::base64_invalid_char);
  CHECK(outcome_of(multibase_decode("U-_8")) == Errc::base64_invalid_length);
  CHECK(outcome_of(multibase_decode("U-_9=")) == Errc::base64_nonzero_padding_bits);

  // The detail still names the offset within the encoded part.
  auto bad = multibase_decode("zabc0");
  CHECK(detail_of(bad).find("offset 3") != std::string::npos);
}
