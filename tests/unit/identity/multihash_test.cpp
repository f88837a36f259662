// Multihash: sha2-256 and identity against known values, round trips, and every
// multihash error (truncation at every point, trailing bytes, digest length bounds,
// varint errors in the code and the length).

#include "identity/multihash.hpp"

#include <doctest/doctest.h>

#include <random>
#include <string>

#include "identity/varint.hpp"
#include "test_bytes.hpp"

using namespace weft;
using namespace weft::identity;
using weft::test::bytes;
using weft::test::bytes_of;
using weft::test::detail_of;
using weft::test::outcome_of;
using weft::test::to_hex;

namespace {

constexpr const char* kSha256Empty = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
constexpr const char* kSha256Foo = "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae";

Bytes concat(Bytes a, ByteView b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

// Wire form built by hand: varint(code) varint(length) digest.
Bytes wire(std::uint64_t code, std::uint64_t length, ByteView digest) {
  Bytes out;
  append_uvarint(out, code);
  append_uvarint(out, length);
  out.insert(out.end(), digest.begin(), digest.end());
  return out;
}

void check_round_trip(const Multihash& mh) {
  const Bytes encoded = mh.encode();
  CHECK(to_hex(encoded) == to_hex(wire(mh.code, mh.digest.size(), mh.digest)));
  auto decoded = decode_multihash(encoded);
  REQUIRE(outcome_of(decoded).ok());
  CHECK(decoded.value() == mh);
  auto prefix = decode_multihash_prefix(encoded);
  REQUIRE(outcome_of(prefix).ok());
  CHECK(prefix.value().hash == mh);
  CHECK(prefix.value().length == encoded.size());
}

}  // namespace

TEST_CASE("multihash: sha2-256 of \"foo\" and of the empty string") {
  const Multihash foo = sha2_256_multihash(bytes_of("foo"));
  CHECK(foo.code == multihash_code::sha2_256);
  CHECK(to_hex(foo.digest) == kSha256Foo);
  CHECK(to_hex(foo.encode()) == std::string("1220") + kSha256Foo);

  const Multihash empty = sha2_256_multihash({});
  CHECK(to_hex(empty.digest) == kSha256Empty);
  CHECK(to_hex(empty.encode()) == std::string("1220") + kSha256Empty);

  check_round_trip(foo);
  check_round_trip(empty);
}

TEST_CASE("multihash: identity") {
  const Multihash foo = identity_multihash(bytes_of("foo"));
  CHECK(foo.code == multihash_code::identity);
  CHECK(foo.digest == bytes_of("foo"));
  CHECK(to_hex(foo.encode()) == "0003666f6f");
  CHECK(to_hex(identity_multihash({}).encode()) == "0000");
  check_round_trip(foo);
  check_round_trip(identity_multihash({}));
  check_round_trip(identity_multihash(Bytes(kMaxDigestBytes, 0xab)));
}

TEST_CASE("multihash: round trips of other codes, multi-byte codes and random digests") {
  check_round_trip(Multihash{0x13, Bytes(64, 0x5a)});                   // sha2-512
  check_round_trip(Multihash{0xb220, Bytes(32, 0x01)});                 // blake2b-256: 3-byte code
  check_round_trip(Multihash{kMaxUvarintValue, Bytes(1, 0x00)});        // 9-byte code
  check_round_trip(Multihash{0x42, {}});
  CHECK(to_hex(Multihash{0xb220, bytes({0xaa})}.encode()) == "a0e40201aa");

  std::mt19937_64 rng(0x1220);
  for (int i = 0; i < 1000; ++i) {
    Bytes data(rng() % (kMaxDigestBytes + 1));
    for (auto& b : data) b = static_cast<std::uint8_t>(rng());
    check_round_trip(identity_multihash(data));
    check_round_trip(sha2_256_multihash(data));
    Multihash other{(rng() >> 1) >> (rng() % 63), data};
    if (other.code == multihash_code::sha2_256) continue;
    check_round_trip(other);
  }
}

TEST_CASE("multihash: truncated at every point, in the code, the length and the digest") {
  // A 3-byte code so truncation can fall inside it.
  const Bytes full = Multihash{0xb220, Bytes(32, 0x77)}.encode();  // a0e402 20 <32 bytes>
  REQUIRE(full.size() == 3 + 1 + 32);
  for (std::size_t cut = 0; cut < full.size(); ++cut) {
    CAPTURE(cut);
    const ByteView part = ByteView(full).first(cut);
    auto prefix = decode_multihash_prefix(part);
    CHECK(outcome_of(prefix) == Errc::multihash_truncated);
    CHECK(outcome_of(decode_multihash(part)) == Errc::multihash_truncated);
    const std::string detail = detail_of(prefix);
    if (cut < 3) {
      CHECK(detail.find("code") != std::string::npos);
    } else if (cut < 4) {
      CHECK(detail.find("length") != std::string::npos);
    } else {
      CHECK(detail.find("digest needs 32 bytes, " + std::to_string(cut - 4) + " left") != std::string::npos);
    }
  }
  const Bytes sha = sha2_256_multihash(bytes_of("foo")).encode();
  for (std::size_t cut = 0; cut < sha.size(); ++cut) {
    CAPTURE(cut);
    CHECK(outcome_of(decode_multihash(ByteView(sha).first(cut))) == Errc::multihash_truncated);
  }
}

TEST_CASE("multihash: trailing bytes, and the prefix decoder leaves them alone") {
  const Bytes mh = sha2_256_multihash(bytes_of("foo")).encode();
  for (const Bytes& tail : {bytes({0x00}), bytes({0x12, 0x20}), Bytes(100, 0xff)}) {
    const Bytes input = concat(mh, tail);
    auto whole = decode_multihash(input);
    CHECK(outcome_of(whole) == Errc::multihash_trailing_bytes);
    CHECK(detail_of(whole).find(std::to_string(tail.size())) != std::string::npos);
    auto prefix = decode_multihash_prefix(input);
    REQUIRE(outcome_of(prefix).ok());
    CHECK(prefix.value().length == mh.size());
    CHECK(to_hex(prefix.value().hash.digest) == kSha256Foo);
  }
  // Two back to back: the second starts where the first's length says.
  const Bytes id = identity_multihash(bytes_of("bar")).encode();
  const Bytes both = concat(mh, id);
  auto first = decode_multihash_prefix(both);
  REQUIRE(outcome_of(first).ok());
  auto second = decode_multihash(ByteView(both).subspan(first.value().length));
  REQUIRE(outcome_of(second).ok());
  CHECK(second.value().digest == bytes_of("bar"));
}

TEST_CASE("multihash: sha2-256 digests must be 32 bytes") {
  for (std::size_t n : {0, 1, 31, 33, 64}) {
    CAPTURE(n);
    const Bytes input = wire(multihash_code::sha2_256, n, Bytes(n, 0x11));
    CHECK(outcome_of(decode_multihash(input)) == Errc::multihash_bad_digest_length);
    CHECK(outcome_of(decode_multihash_prefix(input)) == Errc::multihash_bad_digest_length);
  }
  // The declared length is checked even when enough bytes follow for 32.
  CHECK(outcome_of(decode_multihash_prefix(wire(multihash_code::sha2_256, 31, Bytes(40, 0x11)))) ==
        Errc::multihash_bad_digest_length);
  // Other codes are not held to 32.
  CHECK(outcome_of(decode_multihash(wire(multihash_code::identity, 31, Bytes(31, 0x11)))).ok());
  CHECK(outcome_of(decode_multihash(wire(0x13, 33, Bytes(33, 0x11)))).ok());
}

TEST_CASE("multihash: declared digest length above kMaxDigestBytes") {
  CHECK(outcome_of(decode_multihash(wire(0x00, kMaxDigestBytes, Bytes(kMaxDigestBytes, 0)))).ok());
  for (std::uint64_t n : {std::uint64_t{kMaxDigestBytes + 1}, std::uint64_t{128}, std::uint64_t{1} << 32,
                          kMaxUvarintValue}) {
    CAPTURE(n);
    // Refused from the header alone, before any digest bytes are needed.
    CHECK(outcome_of(decode_multihash_prefix(wire(0x00, n, {}))) == Errc::multihash_digest_too_long);
    CHECK(outcome_of(decode_multihash(wire(0x13, n, Bytes(70, 0)))) == Errc::multihash_digest_too_long);
  }
  CHECK(outcome_of(decode_multihash(wire(multihash_code::sha2_256, 65, {}))) == Errc::multihash_digest_too_long);
}

TEST_CASE("multihash: varint errors in the code and the length keep their code") {
  struct Case {
    Bytes input;
    Errc expected;
    const char* where;
  };
  const Case cases[] = {
      {bytes({0x80, 0x00, 0x00}), Errc::varint_overlong, "multihash code"},
      {bytes({0x92, 0x00, 0x20}), Errc::varint_overlong, "multihash code"},
      {concat(Bytes(9, 0x80), bytes({0x01, 0x00})), Errc::varint_overflow, "multihash code"},
      {bytes({0x12, 0xa0, 0x00}), Errc::varint_overlong, "multihash digest length"},
      {bytes({0x00, 0x80, 0x00}), Errc::varint_overlong, "multihash digest length"},
      {concat(bytes({0x00}), Bytes(9, 0xff)), Errc::varint_overflow, "multihash digest length"},
  };
  for (const auto& c : cases) {
    CAPTURE(to_hex(c.input));
    auto prefix = decode_multihash_prefix(c.input);
    CHECK(outcome_of(prefix) == c.expected);
    CHECK(detail_of(prefix).rfind(c.where, 0) == 0);
    CHECK(outcome_of(decode_multihash(c.input)) == c.expected);
  }
}
