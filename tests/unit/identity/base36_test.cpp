#include "identity/base36.hpp"

#include "test_bytes.hpp"

#include <doctest/doctest.h>

#include <random>

using namespace weft;
using namespace weft::identity;
using weft::test::bytes;
using weft::test::bytes_of;
using weft::test::outcome_of;

TEST_CASE("base36: multibase spec vectors") {
  // multiformats/multibase tests: "yes mani !" and leading zero bytes.
  CHECK(base36_encode(bytes_of("yes mani !")) == "2lcpzo5yikidynfl");
  CHECK(base36_encode(bytes_of("yes mani !"), Base36Case::upper) == "2LCPZO5YIKIDYNFL");
  CHECK(base36_decode("2lcpzo5yikidynfl").value() == bytes_of("yes mani !"));
  CHECK(base36_encode(bytes({0x00, 0x01})) == "01");
  CHECK(base36_encode(bytes({0x00, 0x00, 0xff})) == "0073");
  CHECK(base36_decode("0073").value() == bytes({0x00, 0x00, 0xff}));
  CHECK(base36_encode({}) == "");
  CHECK(base36_decode("").value().empty());
}

TEST_CASE("base36: each case accepts only its own letters") {
  CHECK(outcome_of(base36_decode("2LCPZO5YIKIDYNFL")) == Errc::base36_invalid_char);
  CHECK(outcome_of(base36_decode("2lcpzo5yikidynfl", Base36Case::upper)) == Errc::base36_invalid_char);
  CHECK(base36_decode("2LCPZO5YIKIDYNFL", Base36Case::upper).value() == bytes_of("yes mani !"));
}

TEST_CASE("base36: invalid characters name their offset") {
  struct Case {
    const char* text;
    int offset;
  };
  for (const Case c : {Case{"ab-c", 2}, Case{"0 ", 1}, Case{"\xff", 0}, Case{"zz_", 2}}) {
    CAPTURE(c.text);
    auto decoded = base36_decode(c.text);
    CHECK(outcome_of(decoded) == Errc::base36_invalid_char);
    CHECK(test::detail_of(decoded) == "at offset " + std::to_string(c.offset));
  }
}

TEST_CASE("base36: input above the bound is refused before decoding") {
  CHECK(base36_decode(std::string(kMaxBase36Chars, 'z')).has_value());
  CHECK(outcome_of(base36_decode(std::string(kMaxBase36Chars + 1, 'z'))) == Errc::base36_too_long);
}

TEST_CASE("base36: random round trips in both cases") {
  std::mt19937 rng(36);
  for (int i = 0; i < 2000; ++i) {
    Bytes data(rng() % 48);
    for (auto& b : data) b = static_cast<std::uint8_t>(rng() % 4 == 0 ? 0 : rng());
    for (auto letter_case : {Base36Case::lower, Base36Case::upper}) {
      const auto text = base36_encode(data, letter_case);
      CAPTURE(text);
      CHECK(base36_decode(text, letter_case).value() == data);
    }
  }
}
