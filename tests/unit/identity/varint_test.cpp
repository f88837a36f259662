// Unsigned varint (multiformats/unsigned-varint): spec examples, the 9-byte / 2^63-1
// bound on both sides, minimality, truncation, the incremental decoder's contract at
// every split, and seeded random round trips.

#include "identity/varint.hpp"

#include <doctest/doctest.h>

#include <cstdint>
#include <optional>
#include <random>
#include <vector>

#include "test_bytes.hpp"

using namespace weft;
using namespace weft::identity;
using weft::test::bytes;
using weft::test::for_each_split;
using weft::test::outcome_of;
using weft::test::to_hex;

namespace {

Bytes encode(std::uint64_t value) {
  Bytes out;
  append_uvarint(out, value);
  return out;
}

Bytes concat(Bytes a, ByteView b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

struct Example {
  std::uint64_t value;
  Bytes wire;
};

// The spec's examples plus zero and the 9-byte maximum.
std::vector<Example> examples() {
  return {
      {0, bytes({0x00})},
      {1, bytes({0x01})},
      {127, bytes({0x7f})},
      {128, bytes({0x80, 0x01})},
      {255, bytes({0xff, 0x01})},
      {300, bytes({0xac, 0x02})},
      {16384, bytes({0x80, 0x80, 0x01})},
      {kMaxUvarintValue, bytes({0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f})},
  };
}

// Checks that `wire` decodes, whole and at every split, to exactly `value`.
void check_decodes(ByteView wire, std::uint64_t value) {
  auto whole = decode_uvarint(wire);
  REQUIRE(outcome_of(whole).ok());
  CHECK(whole.value().value == value);
  CHECK(whole.value().length == wire.size());
  // Incremental: every proper prefix is "need more", never an error; the whole is the value.
  for_each_split(wire, [&](ByteView first, ByteView) {
    CAPTURE(first.size());
    auto part = decode_uvarint_prefix(first);
    REQUIRE(outcome_of(part).ok());
    if (first.size() < wire.size()) {
      CHECK_FALSE(part.value().has_value());
      CHECK(outcome_of(decode_uvarint(first)) == Errc::varint_truncated);
    } else {
      REQUIRE(part.value().has_value());
      CHECK(part.value()->value == value);
      CHECK(part.value()->length == wire.size());
    }
  });
}

// Checks that `wire` fails with `expected` once all of it is seen, and that the
// incremental decoder says "need more" (never an error) before the last byte.
void check_fails(ByteView wire, Errc expected) {
  CHECK(outcome_of(decode_uvarint(wire)) == expected);
  CHECK(outcome_of(decode_uvarint_prefix(wire)) == expected);
  for (std::size_t cut = 0; cut < wire.size(); ++cut) {
    CAPTURE(cut);
    auto part = decode_uvarint_prefix(wire.first(cut));
    REQUIRE(outcome_of(part).ok());
    CHECK_FALSE(part.value().has_value());
  }
  // Bytes after the offending one change nothing.
  const Bytes longer = concat(Bytes(wire.begin(), wire.end()), bytes({0x01, 0x80, 0x00}));
  CHECK(outcome_of(decode_uvarint(longer)) == expected);
  CHECK(outcome_of(decode_uvarint_prefix(longer)) == expected);
}

}  // namespace

TEST_CASE("uvarint: spec examples encode, size and decode") {
  for (const auto& ex : examples()) {
    CAPTURE(ex.value);
    CHECK(to_hex(encode(ex.value)) == to_hex(ex.wire));
    CHECK(uvarint_size(ex.value) == ex.wire.size());
    check_decodes(ex.wire, ex.value);
  }
}

TEST_CASE("uvarint: append_uvarint appends and leaves earlier bytes alone") {
  Bytes out = bytes({0xde, 0xad});
  append_uvarint(out, 300);
  append_uvarint(out, 1);
  CHECK(to_hex(out) == "deadac0201");
}

TEST_CASE("uvarint: first and last value of every length 1..9") {
  for (std::size_t k = 1; k <= kMaxUvarintBytes; ++k) {
    CAPTURE(k);
    // Smallest k-byte value: 0x80 x (k-1), 0x01 (k == 1: 0x00).
    const std::uint64_t lo = k == 1 ? 0 : std::uint64_t{1} << (7 * (k - 1));
    Bytes lo_wire(k - 1, 0x80);
    lo_wire.push_back(k == 1 ? 0x00 : 0x01);
    // Largest k-byte value: 0xff x (k-1), 0x7f.
    const std::uint64_t hi = k == kMaxUvarintBytes ? kMaxUvarintValue : (std::uint64_t{1} << (7 * k)) - 1;
    Bytes hi_wire(k - 1, 0xff);
    hi_wire.push_back(0x7f);

    CHECK(uvarint_size(lo) == k);
    CHECK(uvarint_size(hi) == k);
    CHECK(to_hex(encode(lo)) == to_hex(lo_wire));
    CHECK(to_hex(encode(hi)) == to_hex(hi_wire));
    check_decodes(lo_wire, lo);
    check_decodes(hi_wire, hi);
    if (k < kMaxUvarintBytes) CHECK(uvarint_size(hi + 1) == k + 1);
  }
  CHECK(kMaxUvarintValue == 0x7fffffffffffffffULL);
}

TEST_CASE("uvarint: the 9-byte boundary, both sides") {
  // Inside: 2^63-1 and 2^56 are the largest and smallest 9-byte values.
  check_decodes(bytes({0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f}), kMaxUvarintValue);
  check_decodes(bytes({0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01}), std::uint64_t{1} << 56);
  // Outside: a 9th byte with the continuation bit set, whatever its payload (2^63 would
  // be 0x80 x 9, 0x01).
  check_fails(bytes({0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}), Errc::varint_overflow);
  check_fails(bytes({0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x80}), Errc::varint_overflow);
  check_fails(bytes({0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80}), Errc::varint_overflow);
  check_fails(bytes({0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x81}), Errc::varint_overflow);
  // Eight continuation bytes are still only "need more".
  CHECK(outcome_of(decode_uvarint(Bytes(8, 0xff))) == Errc::varint_truncated);
}

TEST_CASE("uvarint: only the minimal encoding is accepted") {
  check_fails(bytes({0x80, 0x00}), Errc::varint_overlong);                    // 0 in 2 bytes
  check_fails(bytes({0x81, 0x00}), Errc::varint_overlong);                    // 1 in 2 bytes
  check_fails(bytes({0xff, 0x00}), Errc::varint_overlong);                    // 127 in 2 bytes
  check_fails(bytes({0x81, 0x80, 0x00}), Errc::varint_overlong);              // 1 in 3 bytes
  check_fails(bytes({0xac, 0x82, 0x00}), Errc::varint_overlong);              // 300 in 3 bytes
  check_fails(bytes({0x80, 0x80, 0x80, 0x00}), Errc::varint_overlong);
  check_fails(bytes({0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00}), Errc::varint_overlong);
  // A zero group in the middle is fine; only a zero last byte (after the first) is not.
  check_decodes(bytes({0x80, 0x80, 0x01}), 16384);
  check_decodes(bytes({0x00}), 0);
}

TEST_CASE("uvarint: truncated input") {
  CHECK(outcome_of(decode_uvarint({})) == Errc::varint_truncated);
  CHECK(outcome_of(decode_uvarint(bytes({0x80}))) == Errc::varint_truncated);
  CHECK(outcome_of(decode_uvarint(bytes({0xff, 0xff}))) == Errc::varint_truncated);
  CHECK(outcome_of(decode_uvarint(bytes({0xac}))) == Errc::varint_truncated);

  auto empty = decode_uvarint_prefix({});
  REQUIRE(outcome_of(empty).ok());
  CHECK_FALSE(empty.value().has_value());
}

TEST_CASE("uvarint: bytes after the varint are left alone, at every split") {
  const Bytes tail = bytes({0x80, 0x00, 0xff});  // would be an error if it were read
  for (const auto& ex : examples()) {
    const std::uint64_t value = ex.value;
    const Bytes& wire = ex.wire;
    CAPTURE(value);
    const Bytes input = concat(wire, tail);
    auto whole = decode_uvarint(input);
    REQUIRE(outcome_of(whole).ok());
    CHECK(whole.value().value == value);
    CHECK(whole.value().length == wire.size());
    for_each_split(input, [&](ByteView first, ByteView) {
      CAPTURE(first.size());
      auto part = decode_uvarint_prefix(first);
      REQUIRE(outcome_of(part).ok());
      CHECK(part.value().has_value() == (first.size() >= wire.size()));
      if (part.value()) {
        CHECK(part.value()->value == value);
        CHECK(part.value()->length == wire.size());
      }
    });
  }
}

TEST_CASE("uvarint: seeded random round trips over the full range") {
  std::mt19937_64 rng(20240601);
  for (int i = 0; i < 20000; ++i) {
    // Uniform bit width 0..63, so short and long encodings are equally exercised.
    const std::uint64_t value = (rng() >> 1) >> (rng() % 64);
    CAPTURE(value);
    const Bytes wire = encode(value);
    REQUIRE(wire.size() == uvarint_size(value));
    REQUIRE(wire.size() <= kMaxUvarintBytes);
    const Bytes input = concat(wire, bytes({static_cast<int>(rng() & 0xff)}));
    auto decoded = decode_uvarint(input);
    REQUIRE(outcome_of(decoded).ok());
    CHECK(decoded.value().value == value);
    CHECK(decoded.value().length == wire.size());
    if (i % 100 == 0) check_decodes(wire, value);
  }
}

TEST_CASE("uvarint: on random bytes the two decoders agree and values re-encode exactly") {
  std::mt19937 rng(7);
  for (int i = 0; i < 50000; ++i) {
    Bytes input(rng() % 12);
    // Mostly continuation bytes, so long and overflowing encodings are common.
    for (auto& b : input) b = static_cast<std::uint8_t>(rng() % 4 != 0 ? (rng() | 0x80) : rng() % 3);
    CAPTURE(to_hex(input));
    auto whole = decode_uvarint(input);
    auto part = decode_uvarint_prefix(input);
    if (!part.has_value()) {
      CHECK(outcome_of(whole).code == part.error().code());
    } else if (!part.value().has_value()) {
      CHECK(outcome_of(whole) == Errc::varint_truncated);
      CHECK(input.size() < kMaxUvarintBytes);
    } else {
      REQUIRE(outcome_of(whole).ok());
      CHECK(whole.value().value == part.value()->value);
      CHECK(whole.value().length == part.value()->length);
      CHECK(whole.value().value <= kMaxUvarintValue);
      CHECK(to_hex(encode(whole.value().value)) == to_hex(ByteView(input).first(whole.value().length)));
    }
  }
}
