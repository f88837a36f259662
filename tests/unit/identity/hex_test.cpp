// Base16: lower-case out, either case in, odd lengths and bad characters (with offsets).

#include "identity/hex.hpp"

#include <doctest/doctest.h>

#include <cctype>
#include <random>
#include <string>

#include "test_bytes.hpp"

using namespace weft;
using namespace weft::identity;
using weft::test::bytes;
using weft::test::detail_of;
using weft::test::outcome_of;
using weft::test::to_hex;

TEST_CASE("hex: encodes lower-case, two digits per byte") {
  CHECK(hex_encode({}) == "");
  CHECK(hex_encode(bytes({0x00, 0x01, 0xab, 0xcd, 0xef, 0xff})) == "0001abcdefff");
  for (int b = 0; b < 256; ++b) {
    CAPTURE(b);
    const char* digits = "0123456789abcdef";
    const std::string expected{digits[b >> 4], digits[b & 0xF]};
    CHECK(hex_encode(bytes({b})) == expected);
  }
}

TEST_CASE("hex: decodes either case and mixed case") {
  for (const char* text : {"0001abcdefff", "0001ABCDEFFF", "0001aBcDeFfF"}) {
    CAPTURE(text);
    auto decoded = hex_decode(text);
    REQUIRE(outcome_of(decoded).ok());
    CHECK(to_hex(decoded.value()) == "0001abcdefff");
  }
  auto empty = hex_decode("");
  REQUIRE(outcome_of(empty).ok());
  CHECK(empty.value().empty());
}

TEST_CASE("hex: odd length") {
  CHECK(outcome_of(hex_decode("a")) == Errc::hex_odd_length);
  CHECK(outcome_of(hex_decode("abc")) == Errc::hex_odd_length);
  CHECK(outcome_of(hex_decode("000")) == Errc::hex_odd_length);
}

TEST_CASE("hex: invalid characters, with their offset") {
  struct Case {
    std::string text;
    std::size_t offset;
  };
  const Case cases[] = {
      {"g0", 0}, {"0g", 1}, {"00zz", 2}, {"000x", 3}, {"0x00", 1}, {" 0", 0}, {"0 ", 1},
      {"/0", 0}, {":0", 0}, {"@0", 0},   {"G0", 0},   {"`0", 0},   {"0G", 1},
      {"\xc3\xa9", 0}, {std::string("00\0\0", 4), 2}, {"aa-1", 2},
  };
  for (const auto& c : cases) {
    CAPTURE(c.text);
    auto decoded = hex_decode(c.text);
    CHECK(outcome_of(decoded) == Errc::hex_invalid_char);
    CHECK(detail_of(decoded).find("offset " + std::to_string(c.offset)) != std::string::npos);
  }
}

TEST_CASE("hex: exactly the 22 hex digits are accepted, in either position") {
  for (int c = 0; c < 256; ++c) {
    CAPTURE(c);
    const char ch = static_cast<char>(c);
    const bool is_digit = std::isxdigit(c) != 0;
    CHECK(outcome_of(hex_decode(std::string{'0', ch})).ok() == is_digit);
    CHECK(outcome_of(hex_decode(std::string{ch, '0'})).ok() == is_digit);
  }
}

TEST_CASE("hex: seeded random round trips") {
  std::mt19937 rng(16);
  for (int i = 0; i < 2000; ++i) {
    Bytes data(rng() % 80);
    for (auto& b : data) b = static_cast<std::uint8_t>(rng());
    const std::string text = hex_encode(data);
    CHECK(text == to_hex(data));
    auto decoded = hex_decode(text);
    REQUIRE(outcome_of(decoded).ok());
    CHECK(decoded.value() == data);
  }
}
