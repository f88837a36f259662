// base58btc: published vectors (draft-msporny-base58, Bitcoin Core's base58 tests), leading
// zeros, invalid characters with offsets, the length bound, an independent 64-bit oracle
// and random round trips in both directions.

#include "identity/base58.hpp"

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

constexpr std::string_view kAlphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

Bytes from_hex(std::string_view hex) {
  Bytes out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<std::uint8_t>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  }
  return out;
}

void check_vector(const Bytes& data, std::string_view text) {
  CAPTURE(text);
  CHECK(base58_encode(data) == text);
  auto decoded = base58_decode(text);
  REQUIRE(outcome_of(decoded).ok());
  CHECK(to_hex(decoded.value()) == to_hex(data));
}

}  // namespace

TEST_CASE("base58: draft-msporny-base58 examples") {
  check_vector(bytes_of("Hello World!"), "2NEpo7TZRRrLZSi2U");
  check_vector(bytes_of("The quick brown fox jumps over the lazy dog."),
               "USm3fpXnKG5EUBx2ndxBDMPVciP5hGey2Jh4NDv6gmeo1LkMeiKrLJUUBk6Z");
  check_vector(from_hex("0000287fb4cd"), "11233QC4");
}

TEST_CASE("base58: Bitcoin Core vectors") {
  check_vector(from_hex("61"), "2g");
  check_vector(from_hex("626262"), "a3gV");
  check_vector(from_hex("bf4f89001e670274dd"), "3SEo3LWLoPntC");
  check_vector(from_hex("00eb15231dfceb60925886b67d065299925915aeb172c06647"), "1NS17iag9jJgTHD1VXjvLCEnZuQ3rJDE9L");
  // Every alphabet character once, in order.
  check_vector(from_hex("000111d38e5fc9071ffcd20b4a763cc9ae4f252bb4e48fd66a835e252ada93ff480d6dd43dc62a641155a5"),
               kAlphabet);
}

TEST_CASE("base58: long inputs (vectors computed with Python integers)") {
  Bytes ascending(256);
  for (int i = 0; i < 256; ++i) ascending[i] = static_cast<std::uint8_t>(i);
  check_vector(ascending,
               "1cWB5HCBdLjAuqGGReWE3R3CguuwSjw6RHn39s2yuDRTS5NsBgNiFpWgAnEx6VQi8csexkgYw3mdYrMH"
               "r8x9i7aEwP8kZ7vccXWqKDvGv3u1GxFKPuAkn8JCPPGDMf3vMMnbzm6Nh9zh1gcNsMvH3ZNLmP5fSG6D"
               "Gbbi2tuwMWPthr4boWwCxf7ewSgNQeacyozhKDDQQ1qL5fQFUW52QKUZDZ5fw3KXNQJMcNTcaB723Lch"
               "jeKun7MuGW5qyCBZYzA1KjofN1gYBV3NqyhQJ3Ns746GNuf9N2pQPmHz4xpnSrrfCvy6TVVz5d4Pdrje"
               "shsWQwpZsZGzvbdAdN8MKV5QsBDY");
  const Bytes descending(ascending.rbegin(), ascending.rend());
  check_vector(descending,
               "CqFXikQpYU36v9H3hxQj61r38coek8SwL1mCGWxTx4UxQPC4Cb7hcgpU75QJHoeBRW8jwW2wFv7t2P7G"
               "iSkk2XJ8pWR6bJ9wrKSktCa16yURhMSS1Vew8hh7qobLPWZNSzrZ6zBRpLzwJLdrKcWsc6rpDpMQMCGH"
               "fiKPesYWzyFUgoUf1eNmkxRYxAwZqGmgsjAy98wzVEVAn5gLA2gnWqVVWxLbwVRFsnXr8kQbGriMjJN5"
               "1QqM2KbdN1idx8wHEZyyBCFHH5MEjr3qSssjPmhpfBN5m21gaMJP2PRqkVMKJWGwZYHkGaa9DEQFqi5X"
               "RvBQhr22FY3ZBtjaoq6FUMZAiFeerj");
}

TEST_CASE("base58: empty and leading zero bytes are leading '1's") {
  check_vector({}, "");
  check_vector(bytes({0x00}), "1");
  check_vector(bytes({0x00, 0x00}), "11");
  check_vector(Bytes(10, 0x00), "1111111111");
  check_vector(bytes({0x00, 0x00, 0x00, 0x01}), "1112");
  check_vector(bytes({0xff}), "5Q");
  check_vector(bytes({0x00, 0xff}), "15Q");
  // A zero byte after the first non-zero one is not a '1'.
  check_vector(bytes({0x01, 0x00}), "5R");
}

TEST_CASE("base58: invalid characters, with their offset") {
  struct Case {
    std::string text;
    std::size_t offset;
  };
  const Case cases[] = {
      {"0", 0},  {"O", 0},       {"I", 0},         {"l", 0},   {"2NEp0", 4},
      {"1110", 3}, {"11O", 2},   {"2NEpo7TZRRrLZSiIU", 15}, {"+", 0}, {"/", 0},
      {" 2", 0}, {"2 ", 1},      {"2\xc3\xa9", 1}, {std::string("2\0", 2), 1}, {"2=", 1},
  };
  for (const auto& c : cases) {
    CAPTURE(c.text);
    auto decoded = base58_decode(c.text);
    CHECK(outcome_of(decoded) == Errc::base58_invalid_char);
    CHECK(detail_of(decoded).find("offset " + std::to_string(c.offset)) != std::string::npos);
  }
}

TEST_CASE("base58: exactly the 58 alphabet characters are accepted") {
  for (int c = 0; c < 256; ++c) {
    CAPTURE(c);
    const char ch = static_cast<char>(c);
    const bool in_alphabet = kAlphabet.find(ch) != std::string_view::npos;
    CHECK(outcome_of(base58_decode(std::string{'2', ch})).ok() == in_alphabet);
    CHECK(outcome_of(base58_decode(std::string(1, ch))).ok() == in_alphabet);
  }
}

TEST_CASE("base58: input above kMaxBase58Chars is refused before it is read") {
  CHECK(outcome_of(base58_decode(std::string(kMaxBase58Chars, 'z'))).ok());
  CHECK(outcome_of(base58_decode(std::string(kMaxBase58Chars, '1'))).ok());
  CHECK(outcome_of(base58_decode(std::string(kMaxBase58Chars + 1, 'z'))) == Errc::base58_too_long);
  CHECK(outcome_of(base58_decode(std::string(kMaxBase58Chars + 1, '1'))) == Errc::base58_too_long);
  CHECK(outcome_of(base58_decode(std::string(kMaxBase58Chars + 1, '0'))) == Errc::base58_too_long);
  // The bound is in characters and the largest allowed input decodes to its full value.
  auto all_ones = base58_decode(std::string(kMaxBase58Chars, '1'));
  REQUIRE(outcome_of(all_ones).ok());
  CHECK(all_ones.value() == Bytes(kMaxBase58Chars, 0x00));
  auto big = base58_decode(std::string(kMaxBase58Chars, 'z'));
  REQUIRE(outcome_of(big).ok());
  CHECK(base58_encode(big.value()) == std::string(kMaxBase58Chars, 'z'));
}

TEST_CASE("base58: agrees with a 64-bit oracle on random integers") {
  std::mt19937_64 rng(58);
  for (int i = 0; i < 5000; ++i) {
    const std::uint64_t value = rng() >> (rng() % 64);
    std::string expected;
    for (std::uint64_t v = value; v != 0; v /= 58) expected.insert(expected.begin(), kAlphabet[v % 58]);
    Bytes data;  // big-endian, no leading zero bytes
    for (int shift = 56; shift >= 0; shift -= 8) {
      const auto b = static_cast<std::uint8_t>(value >> shift);
      if (b != 0 || !data.empty()) data.push_back(b);
    }
    CAPTURE(value);
    check_vector(data, expected);
  }
}

TEST_CASE("base58: seeded random round trips, bytes to text and text to bytes") {
  std::mt19937 rng(5858);
  for (int i = 0; i < 2000; ++i) {
    Bytes data(rng() % 8, 0x00);  // leading zeros
    const std::size_t rest = rng() % 70;
    for (std::size_t k = 0; k < rest; ++k) data.push_back(static_cast<std::uint8_t>(rng()));
    const std::string text = base58_encode(data);
    CAPTURE(text);
    std::size_t zeros = 0;
    while (zeros < data.size() && data[zeros] == 0) ++zeros;
    CHECK(text.find_first_not_of('1') == (zeros == text.size() ? std::string::npos : zeros));
    CHECK(text.find_first_not_of(kAlphabet) == std::string::npos);
    auto decoded = base58_decode(text);
    REQUIRE(outcome_of(decoded).ok());
    CHECK(to_hex(decoded.value()) == to_hex(data));
  }
  // Every string over the alphabet is canonical: it decodes and re-encodes to itself.
  for (int i = 0; i < 2000; ++i) {
    std::string text(rng() % 60, '1');
    for (auto& c : text) c = rng() % 4 == 0 ? '1' : kAlphabet[rng() % 58];
    CAPTURE(text);
    auto decoded = base58_decode(text);
    REQUIRE(outcome_of(decoded).ok());
    CHECK(base58_encode(decoded.value()) == text);
  }
}
