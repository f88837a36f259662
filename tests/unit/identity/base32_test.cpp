// RFC 4648 base32: the RFC's vectors unpadded and padded, case modes, invalid lengths,
// non-zero padding bits (for every final character), padding rules and round trips.

#include "identity/base32.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cctype>
#include <random>
#include <string>
#include <string_view>

#include "test_bytes.hpp"

using namespace weft;
using namespace weft::identity;
using weft::test::bytes_of;
using weft::test::detail_of;
using weft::test::outcome_of;
using weft::test::to_hex;

namespace {

constexpr std::string_view kLower = "abcdefghijklmnopqrstuvwxyz234567";

std::string upper(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return s;
}

struct Vector {
  const char* data;
  const char* unpadded;
  const char* padded;
};

// RFC 4648 section 10, lower-cased.
constexpr Vector kRfcVectors[] = {
    {"", "", ""},
    {"f", "my", "my======"},
    {"fo", "mzxq", "mzxq===="},
    {"foo", "mzxw6", "mzxw6==="},
    {"foob", "mzxw6yq", "mzxw6yq="},
    {"fooba", "mzxw6ytb", "mzxw6ytb"},
    {"foobar", "mzxw6ytboi", "mzxw6ytboi======"},
};

}  // namespace

TEST_CASE("base32: RFC 4648 vectors, unpadded and padded, both cases") {
  for (const auto& v : kRfcVectors) {
    CAPTURE(v.data);
    const Bytes data = bytes_of(v.data);
    CHECK(base32_encode(data) == v.unpadded);
    CHECK(base32_encode(data, Base32Case::lower) == v.unpadded);
    CHECK(base32_encode(data, Base32Case::upper) == upper(v.unpadded));
    CHECK(base32_encode_padded(data) == v.padded);
    CHECK(base32_encode_padded(data, Base32Case::upper) == upper(v.padded));

    for (const auto& [text_, mode] : {std::pair{std::string(v.unpadded), Base32Case::lower},
                              std::pair{upper(v.unpadded), Base32Case::upper},
                              std::pair{std::string(v.unpadded), Base32Case::any},
                              std::pair{upper(v.unpadded), Base32Case::any}}) {
      const std::string& text = text_;  // clang 14: a lambda (CAPTURE) cannot capture a binding
      CAPTURE(text);
      auto decoded = base32_decode(text, mode);
      REQUIRE(outcome_of(decoded).ok());
      CHECK(decoded.value() == data);
    }
    for (const auto& [text_, mode] : {std::pair{std::string(v.padded), Base32Case::lower},
                              std::pair{upper(v.padded), Base32Case::upper},
                              std::pair{upper(v.padded), Base32Case::any}}) {
      const std::string& text = text_;
      CAPTURE(text);
      auto decoded = base32_decode_padded(text, mode);
      REQUIRE(outcome_of(decoded).ok());
      CHECK(decoded.value() == data);
    }
  }
}

TEST_CASE("base32: case modes") {
  // The default is lower-case.
  CHECK(outcome_of(base32_decode("mzxw6")).ok());
  CHECK(outcome_of(base32_decode("MZXW6")) == Errc::base32_invalid_char);

  auto lower_rejects_upper = base32_decode("mzXw6", Base32Case::lower);
  CHECK(outcome_of(lower_rejects_upper) == Errc::base32_invalid_char);
  CHECK(detail_of(lower_rejects_upper).find("offset 2") != std::string::npos);

  auto upper_rejects_lower = base32_decode("MZXw6", Base32Case::upper);
  CHECK(outcome_of(upper_rejects_lower) == Errc::base32_invalid_char);
  CHECK(detail_of(upper_rejects_lower).find("offset 3") != std::string::npos);

  auto mixed = base32_decode("mZxW6", Base32Case::any);
  REQUIRE(outcome_of(mixed).ok());
  CHECK(mixed.value() == bytes_of("foo"));

  // Digits are the same in every mode.
  for (auto mode : {Base32Case::lower, Base32Case::upper, Base32Case::any}) {
    auto digits = base32_decode("234567", mode);  // 6 chars: a length error, not a char error
    CHECK(outcome_of(digits) == Errc::base32_invalid_length);
    CHECK(outcome_of(base32_decode("77", mode)) == Errc::base32_nonzero_padding_bits);
    auto sevens = base32_decode("74", mode);
    REQUIRE(outcome_of(sevens).ok());
    CHECK(to_hex(sevens.value()) == "ff");
  }
  CHECK(outcome_of(base32_decode_padded("MY======", Base32Case::lower)) == Errc::base32_invalid_char);
  CHECK(outcome_of(base32_decode_padded("my======", Base32Case::upper)) == Errc::base32_invalid_char);
}

TEST_CASE("base32: lengths of 1, 3 and 6 mod 8 encode no byte string") {
  for (std::size_t n = 0; n <= 24; ++n) {
    CAPTURE(n);
    const std::size_t r = n % 8;
    const bool invalid = r == 1 || r == 3 || r == 6;
    auto decoded = base32_decode(std::string(n, 'a'));
    if (invalid) {
      CHECK(outcome_of(decoded) == Errc::base32_invalid_length);
    } else {
      REQUIRE(outcome_of(decoded).ok());
      CHECK(decoded.value().size() == n * 5 / 8);
    }
  }
}

TEST_CASE("base32: invalid characters, with their offset") {
  struct Case {
    std::string text;
    std::size_t offset;
  };
  const Case cases[] = {
      {"m0", 1}, {"m1", 1}, {"m8", 1}, {"m9", 1}, {"=y", 0}, {"my==", 2}, {" mzx", 0},
      {"mzxw6yt\xc3", 7}, {std::string("mz\0q", 4), 2}, {"mzx@", 3}, {"mzx{", 3}, {"mzx[", 3},
  };
  for (const auto& c : cases) {
    CAPTURE(c.text);
    auto decoded = base32_decode(c.text, Base32Case::any);
    CHECK(outcome_of(decoded) == Errc::base32_invalid_char);
    CHECK(detail_of(decoded).find("offset " + std::to_string(c.offset)) != std::string::npos);
  }
  // Unpadded decoding does not accept padding.
  CHECK(outcome_of(base32_decode("my======")) == Errc::base32_invalid_char);
}

TEST_CASE("base32: non-zero padding bits in the final character are rejected") {
  CHECK(outcome_of(base32_decode("mz")) == Errc::base32_nonzero_padding_bits);       // 2 spare bits
  CHECK(outcome_of(base32_decode("mzxr")) == Errc::base32_nonzero_padding_bits);     // 4 spare bits
  CHECK(outcome_of(base32_decode("mzxw7")) == Errc::base32_nonzero_padding_bits);    // 1 spare bit
  CHECK(outcome_of(base32_decode("mzxw6yr")) == Errc::base32_nonzero_padding_bits);  // 3 spare bits
  CHECK(outcome_of(base32_decode_padded("mz======")) == Errc::base32_nonzero_padding_bits);
  CHECK(outcome_of(base32_decode_padded("mzxw6yr=")) == Errc::base32_nonzero_padding_bits);

  // For every valid length, each of the 32 final characters is accepted exactly when its
  // spare bits are zero, and an accepted text re-encodes to itself.
  std::mt19937 rng(32);
  for (std::size_t len : {2, 4, 5, 7, 10, 12, 13, 15}) {
    const std::size_t spare_bits = (len * 5) % 8;
    std::string text(len - 1, 'a');
    for (auto& c : text) c = kLower[rng() % 32];
    for (std::size_t v = 0; v < 32; ++v) {
      const std::string candidate = text + kLower[v];
      CAPTURE(candidate);
      auto decoded = base32_decode(candidate);
      const bool zero_spare = (v & ((1u << spare_bits) - 1)) == 0;
      if (zero_spare) {
        REQUIRE(outcome_of(decoded).ok());
        CHECK(base32_encode(decoded.value()) == candidate);
      } else {
        CHECK(outcome_of(decoded) == Errc::base32_nonzero_padding_bits);
      }
    }
  }
}

TEST_CASE("base32: padded form needs exactly the encoder's padding") {
  // Not a multiple of 8.
  for (const char* text : {"my", "my=", "my=====", "my=======", "mzxw6ytboi", "mzxw6ytboi=", "m"}) {
    CAPTURE(text);
    CHECK(outcome_of(base32_decode_padded(text)) == Errc::base32_invalid_length);
  }
  // A multiple of 8, but a padding count no data length gives (7, 5, 2 or 8 '=').
  for (const char* text : {"m=======", "mzx=====", "mzxw6y==", "========", "mzxw6ytbm=======",
                           "mzxw6ytbmzx====="}) {
    CAPTURE(text);
    CHECK(outcome_of(base32_decode_padded(text)) == Errc::base32_invalid_length);
  }
  // '=' anywhere but the end.
  CHECK_FALSE(outcome_of(base32_decode_padded("=my=====")).ok());
  CHECK(outcome_of(base32_decode_padded("mzxw6=q=")) == Errc::base32_invalid_char);
  CHECK(outcome_of(base32_decode_padded("mzxw=6==")) == Errc::base32_invalid_length);
  CHECK(outcome_of(base32_decode_padded("my======mzxw6ytb")) == Errc::base32_invalid_char);
  // No padding where the data fills the block.
  CHECK(outcome_of(base32_decode_padded("mzxw6ytb")).ok());
  CHECK(outcome_of(base32_decode_padded("")).ok());
}

TEST_CASE("base32: seeded random round trips in every case mode") {
  std::mt19937 rng(3232);
  for (int i = 0; i < 2000; ++i) {
    Bytes data(rng() % 40);
    for (auto& b : data) b = static_cast<std::uint8_t>(rng());
    for (auto mode : {Base32Case::lower, Base32Case::upper}) {
      const std::string text = base32_encode(data, mode);
      CHECK(text.size() == (data.size() * 8 + 4) / 5);
      const std::string padded = base32_encode_padded(data, mode);
      CHECK(padded.size() % 8 == 0);
      CHECK(padded.substr(0, text.size()) == text);
      CHECK(padded.find_first_not_of('=', text.size()) == std::string::npos);
      for (auto decode_mode : {mode, Base32Case::any}) {
        auto decoded = base32_decode(text, decode_mode);
        REQUIRE(outcome_of(decoded).ok());
        CHECK(decoded.value() == data);
        auto decoded_padded = base32_decode_padded(padded, decode_mode);
        REQUIRE(outcome_of(decoded_padded).ok());
        CHECK(decoded_padded.value() == data);
      }
    }
  }
}
