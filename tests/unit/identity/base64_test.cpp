// RFC 4648 base64 in the standard, URL-safe and I2P alphabets, padded and unpadded: the
// RFC's vectors, the characters that differ between alphabets, and every error.

#include "identity/base64.hpp"

#include <doctest/doctest.h>

#include <random>
#include <string>
#include <string_view>

#include "test_bytes.hpp"

using namespace weft;
using namespace weft::identity;
using weft::test::bytes;
using weft::test::bytes_of;
using weft::test::detail_of;
using weft::test::outcome_of;
using weft::test::to_hex;

namespace {

constexpr Base64Alphabet kAlphabets[] = {Base64Alphabet::standard, Base64Alphabet::url, Base64Alphabet::i2p};
constexpr Base64Padding kPaddings[] = {Base64Padding::none, Base64Padding::padded};

std::string alphabet_of(Base64Alphabet a) {
  const std::string common = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  switch (a) {
    case Base64Alphabet::standard: return common + "+/";
    case Base64Alphabet::url: return common + "-_";
    case Base64Alphabet::i2p: return common + "-~";
  }
  return common;
}

std::string strip_padding(std::string s) {
  while (!s.empty() && s.back() == '=') s.pop_back();
  return s;
}

// Encodes `data` in every padding mode and checks the text and its decoding.
void check_vector(Base64Alphabet alphabet, const Bytes& data, const std::string& padded) {
  CAPTURE(padded);
  CHECK(base64_encode(data, alphabet, Base64Padding::padded) == padded);
  CHECK(base64_encode(data, alphabet, Base64Padding::none) == strip_padding(padded));
  auto decoded = base64_decode(padded, alphabet, Base64Padding::padded);
  REQUIRE(outcome_of(decoded).ok());
  CHECK(to_hex(decoded.value()) == to_hex(data));
  auto decoded_unpadded = base64_decode(strip_padding(padded), alphabet, Base64Padding::none);
  REQUIRE(outcome_of(decoded_unpadded).ok());
  CHECK(to_hex(decoded_unpadded.value()) == to_hex(data));
}

}  // namespace

TEST_CASE("base64: RFC 4648 section 10 vectors in every alphabet and padding") {
  const std::pair<const char*, const char*> vectors[] = {
      {"", ""},         {"f", "Zg=="},         {"fo", "Zm8="},         {"foo", "Zm9v"},
      {"foob", "Zm9vYg=="}, {"fooba", "Zm9vYmE="}, {"foobar", "Zm9vYmFy"},
  };
  for (auto alphabet : kAlphabets) {
    for (const auto& [data, text] : vectors) check_vector(alphabet, bytes_of(data), text);
  }
}

TEST_CASE("base64: the characters that differ between alphabets") {
  // RFC 4648 section 9's examples, then values 62 and 63 in every position.
  check_vector(Base64Alphabet::standard, bytes({0x14, 0xfb, 0x9c, 0x03, 0xd9, 0x7e}), "FPucA9l+");
  check_vector(Base64Alphabet::url, bytes({0x14, 0xfb, 0x9c, 0x03, 0xd9, 0x7e}), "FPucA9l-");
  check_vector(Base64Alphabet::i2p, bytes({0x14, 0xfb, 0x9c, 0x03, 0xd9, 0x7e}), "FPucA9l-");
  check_vector(Base64Alphabet::standard, bytes({0x14, 0xfb, 0x9c, 0x03, 0xd9}), "FPucA9k=");
  check_vector(Base64Alphabet::standard, bytes({0x14, 0xfb, 0x9c, 0x03}), "FPucAw==");

  check_vector(Base64Alphabet::standard, bytes({0xfb, 0xff}), "+/8=");
  check_vector(Base64Alphabet::url, bytes({0xfb, 0xff}), "-_8=");
  check_vector(Base64Alphabet::i2p, bytes({0xfb, 0xff}), "-~8=");
  check_vector(Base64Alphabet::standard, bytes({0xff, 0xff, 0xff}), "////");
  check_vector(Base64Alphabet::url, bytes({0xff, 0xff, 0xff}), "____");
  check_vector(Base64Alphabet::i2p, bytes({0xff, 0xff, 0xff}), "~~~~");
}

TEST_CASE("base64: invalid characters, with their offset") {
  struct Case {
    Base64Alphabet alphabet;
    std::string text;
    std::size_t offset;
  };
  const Case cases[] = {
      {Base64Alphabet::standard, "Zm9-", 3}, {Base64Alphabet::standard, "Zm9_", 3},
      {Base64Alphabet::standard, "~m9v", 0}, {Base64Alphabet::url, "Zm9+", 3},
      {Base64Alphabet::url, "Z/9v", 1},      {Base64Alphabet::url, "Zm~v", 2},
      {Base64Alphabet::i2p, "Zm9+", 3},      {Base64Alphabet::i2p, "Zm9_", 3},
      {Base64Alphabet::i2p, "Zm9/", 3},      {Base64Alphabet::standard, "Zm9v Zm9", 4},
      {Base64Alphabet::standard, "Zm\xc3\xa9", 2}, {Base64Alphabet::standard, std::string("Zm9\0", 4), 3},
      {Base64Alphabet::standard, "Zm9vY.==", 5},
  };
  for (const auto& c : cases) {
    CAPTURE(c.text);
    for (auto padding : kPaddings) {
      auto decoded = base64_decode(c.text, c.alphabet, padding);
      CHECK(outcome_of(decoded) == Errc::base64_invalid_char);
      CHECK(detail_of(decoded).find("offset " + std::to_string(c.offset)) != std::string::npos);
    }
  }
  // Padding is a character error in the unpadded form.
  CHECK(outcome_of(base64_decode("Zg==", Base64Alphabet::standard, Base64Padding::none)) == Errc::base64_invalid_char);
  CHECK(outcome_of(base64_decode("Zm8=", Base64Alphabet::url, Base64Padding::none)) == Errc::base64_invalid_char);
}

TEST_CASE("base64: exactly the alphabet's 64 characters are accepted") {
  for (auto alphabet : kAlphabets) {
    const std::string chars = alphabet_of(alphabet);
    for (int c = 0; c < 256; ++c) {
      CAPTURE(c);
      const char ch = static_cast<char>(c);
      const bool valid = chars.find(ch) != std::string::npos;
      // "AAA" + ch: four characters, no spare bits.
      CHECK(outcome_of(base64_decode(std::string("AAA") + ch, alphabet, Base64Padding::none)).ok() == valid);
    }
  }
}

TEST_CASE("base64: invalid lengths") {
  for (auto alphabet : kAlphabets) {
    // Unpadded: 1 mod 4 encodes no byte string.
    for (const char* text : {"Z", "Zm9vZ", "Zm9vYmFyZ"}) {
      CAPTURE(text);
      CHECK(outcome_of(base64_decode(text, alphabet, Base64Padding::none)) == Errc::base64_invalid_length);
    }
    // Padded: not a multiple of 4.
    for (const char* text : {"Z", "Zg", "Zg=", "Zm8", "Zm9vYg=", "Zm9vYg===", "Zm9vZ"}) {
      CAPTURE(text);
      CHECK(outcome_of(base64_decode(text, alphabet, Base64Padding::padded)) == Errc::base64_invalid_length);
    }
  }
}

TEST_CASE("base64: non-zero padding bits are rejected, for every final character") {
  CHECK(outcome_of(base64_decode("Zh", Base64Alphabet::standard, Base64Padding::none)) ==
        Errc::base64_nonzero_padding_bits);
  CHECK(outcome_of(base64_decode("Zh==", Base64Alphabet::standard, Base64Padding::padded)) ==
        Errc::base64_nonzero_padding_bits);
  CHECK(outcome_of(base64_decode("Zm9", Base64Alphabet::url, Base64Padding::none)) ==
        Errc::base64_nonzero_padding_bits);
  CHECK(outcome_of(base64_decode("Zm9=", Base64Alphabet::i2p, Base64Padding::padded)) ==
        Errc::base64_nonzero_padding_bits);

  std::mt19937 rng(64);
  for (auto alphabet : kAlphabets) {
    const std::string chars = alphabet_of(alphabet);
    for (std::size_t len : {2, 3, 6, 7, 10, 11}) {
      const std::size_t spare_bits = (len * 6) % 8;
      std::string text(len - 1, 'A');
      for (auto& c : text) c = chars[rng() % 64];
      for (std::size_t v = 0; v < 64; ++v) {
        const std::string candidate = text + chars[v];
        CAPTURE(candidate);
        const bool zero_spare = (v & ((1u << spare_bits) - 1)) == 0;
        auto decoded = base64_decode(candidate, alphabet, Base64Padding::none);
        const std::string padded = candidate + std::string(len % 4 == 2 ? 2 : 1, '=');
        auto decoded_padded = base64_decode(padded, alphabet, Base64Padding::padded);
        if (zero_spare) {
          REQUIRE(outcome_of(decoded).ok());
          CHECK(base64_encode(decoded.value(), alphabet, Base64Padding::none) == candidate);
          REQUIRE(outcome_of(decoded_padded).ok());
          CHECK(base64_encode(decoded_padded.value(), alphabet, Base64Padding::padded) == padded);
        } else {
          CHECK(outcome_of(decoded) == Errc::base64_nonzero_padding_bits);
          CHECK(outcome_of(decoded_padded) == Errc::base64_nonzero_padding_bits);
        }
      }
    }
  }
}

TEST_CASE("base64: padding only where the encoder puts it") {
  const auto std_padded = [](std::string_view text) {
    return outcome_of(base64_decode(text, Base64Alphabet::standard, Base64Padding::padded));
  };
  CHECK(std_padded("").ok());
  CHECK(std_padded("Zm9v").ok());
  CHECK_FALSE(std_padded("Z===").ok());
  CHECK_FALSE(std_padded("====").ok());
  CHECK_FALSE(std_padded("Zm9v====").ok());
  CHECK_FALSE(std_padded("Zg=a").ok());
  CHECK_FALSE(std_padded("Z=g=").ok());
  CHECK_FALSE(std_padded("Zg==Zm9v").ok());
  // A missing '=' is a length error, not silently accepted.
  CHECK(std_padded("Zm8") == Errc::base64_invalid_length);
}

TEST_CASE("base64: seeded random round trips") {
  std::mt19937 rng(6464);
  for (int i = 0; i < 1500; ++i) {
    Bytes data(rng() % 50);
    for (auto& b : data) b = static_cast<std::uint8_t>(rng());
    for (auto alphabet : kAlphabets) {
      for (auto padding : kPaddings) {
        const std::string text = base64_encode(data, alphabet, padding);
        CHECK(text.size() == (padding == Base64Padding::padded ? (data.size() + 2) / 3 * 4 : (data.size() * 4 + 2) / 3));
        auto decoded = base64_decode(text, alphabet, padding);
        REQUIRE(outcome_of(decoded).ok());
        CHECK(decoded.value() == data);
      }
    }
  }
}
