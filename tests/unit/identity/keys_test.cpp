// Tests for src/identity/keys.cpp: libp2p key encodings, Ed25519 validation, signatures.
#include <weft/keys.hpp>

#include "identity/hex.hpp"
#include "test_bytes.hpp"

#include <doctest/doctest.h>
#include <sodium.h>

#include <set>
#include <string>
#include <string_view>

namespace weft {
namespace {

using test::outcome_of;
using test::hex;


Bytes concat(Bytes a, ByteView b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

// libp2p/specs peer-ids/peer-ids.md, "Test vectors".
constexpr std::string_view kSpecEd25519Private =
    "080112407e0830617c4a7de83925dfb2694556b12936c477a0e1feb2e148ec9da60fee7d"
    "1ed1e8fae2c4a144b8be8fd4b47bf3d3b34b871c3cacf6010f0e42d474fce27e";
constexpr std::string_view kSpecEd25519Public =
    "080112201ed1e8fae2c4a144b8be8fd4b47bf3d3b34b871c3cacf6010f0e42d474fce27e";
constexpr std::string_view kSpecSecp256k1Private =
    "0802122053DADF1D5A164D6B4ACDB15E24AA4C5B1D3461BDBD42ABEDB0A4404D56CED8FB";
constexpr std::string_view kSpecSecp256k1Public =
    "08021221037777e994e452c21604f91de093ce415f5432f701dd8cd1a7a6fea0e630bfca99";
constexpr std::string_view kSpecEcdsaPublic =
    "0803125b3059301306072a8648ce3d020106082a8648ce3d03010703420004de3d300fa36ae0e8f5d530899d83abab44abf316"
    "1f162a4bc901d8e6ecda020e8b6d5f8da30525e71d6851510c098e5c47c646a597fb4dcec034e9f77c409e62";
constexpr std::string_view kSpecEcdsaPrivate =
    "08031279307702010104203E5B1FE9712E6C314942A750BD67485DE3C1EFE85B1BFB520AE8F9AE3DFA4A4CA00A06082A8648CE"
    "3D030107A14403420004DE3D300FA36AE0E8F5D530899D83ABAB44ABF3161F162A4BC901D8E6ECDA020E8B6D5F8DA30525E71D"
    "6851510C098E5C47C646A597FB4DCEC034E9F77C409E62";

// RFC 8032 section 7.1, TEST 1 (empty message) and TEST 2 (one byte 0x72).
constexpr std::string_view kRfcSeed1 = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
constexpr std::string_view kRfcPublic1 = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
constexpr std::string_view kRfcSignature1 =
    "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe"
    "24655141438e7a100b";
constexpr std::string_view kRfcSeed2 = "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb";
constexpr std::string_view kRfcPublic2 = "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c";
constexpr std::string_view kRfcSignature2 =
    "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302a"
    "eeb00d291612bb0c00";

// The group order L, little-endian.
constexpr std::string_view kGroupOrderL = "edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010";

// The eight small-order points' encodings (orders 1, 2, 4, 4, 8, 8, 8, 8).
constexpr std::string_view kSmallOrderPoints[] = {
    "0100000000000000000000000000000000000000000000000000000000000000",
    "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
    "0000000000000000000000000000000000000000000000000000000000000000",
    "0000000000000000000000000000000000000000000000000000000000000080",
    "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",
    "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa",
    "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05",
    "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85",
};

/// A libp2p key envelope built by hand: 08 <type> 12 <len> <data>.
Bytes envelope(int type, ByteView data) {
  REQUIRE(data.size() < 128);
  Bytes out{0x08, static_cast<std::uint8_t>(type), 0x12, static_cast<std::uint8_t>(data.size())};
  return concat(std::move(out), data);
}

Bytes seed_bytes(std::uint8_t fill) { return Bytes(kEd25519SeedBytes, fill); }

}  // namespace

TEST_CASE("keys: the peer-ids spec Ed25519 vector decodes, re-encodes and derives its public key") {
  const Bytes private_pb = hex(kSpecEd25519Private);
  const Bytes public_pb = hex(kSpecEd25519Public);

  auto key = Keypair::from_protobuf(private_pb);
  REQUIRE(key);
  CHECK(key.value().to_protobuf() == private_pb);
  CHECK(key.value().public_key().to_protobuf() == public_pb);
  CHECK(key.value().public_key().type() == KeyType::ed25519);

  auto public_key = PublicKey::from_protobuf(public_pb);
  REQUIRE(public_key);
  CHECK(public_key.value() == key.value().public_key());
  CHECK(public_key.value().to_protobuf() == public_pb);
  CHECK(Bytes(public_key.value().raw().begin(), public_key.value().raw().end()) ==
        Bytes(public_pb.begin() + 4, public_pb.end()));

  // The seed alone gives the same key.
  auto from_seed = Keypair::from_seed(ByteView(private_pb).subspan(4, 32));
  REQUIRE(from_seed);
  CHECK(from_seed.value().public_key() == public_key.value());
}

TEST_CASE("keys: RFC 8032 vectors: seed to public key, deterministic signatures") {
  struct Vector {
    std::string_view seed, public_key, signature;
    Bytes message;
  };
  const Vector vectors[] = {{kRfcSeed1, kRfcPublic1, kRfcSignature1, {}},
                            {kRfcSeed2, kRfcPublic2, kRfcSignature2, test::bytes({0x72})}};
  for (const auto& v : vectors) {
    auto key = Keypair::from_seed(hex(v.seed));
    REQUIRE(key);
    const auto raw = key.value().public_key().raw();
    CHECK(Bytes(raw.begin(), raw.end()) == hex(v.public_key));
    const Signature signature = key.value().sign(v.message);
    CHECK(Bytes(signature.begin(), signature.end()) == hex(v.signature));
    CHECK(key.value().public_key().verify(v.message, hex(v.signature)));
  }
}

TEST_CASE("keys: from_seed is deterministic and seed-sensitive") {
  auto a = Keypair::from_seed(seed_bytes(1));
  auto b = Keypair::from_seed(seed_bytes(1));
  auto c = Keypair::from_seed(seed_bytes(2));
  REQUIRE(a);
  REQUIRE(b);
  REQUIRE(c);
  CHECK(a.value().public_key() == b.value().public_key());
  CHECK(a.value().to_protobuf() == b.value().to_protobuf());
  CHECK(a.value().sign(test::bytes_of("m")) == b.value().sign(test::bytes_of("m")));
  CHECK_FALSE(a.value().public_key() == c.value().public_key());
  // The private encoding is exactly 08 01 12 40 seed public.
  const Bytes pb = a.value().to_protobuf();
  REQUIRE(pb.size() == 68);
  CHECK(Bytes(pb.begin(), pb.begin() + 4) == test::bytes({0x08, 0x01, 0x12, 0x40}));
  CHECK(Bytes(pb.begin() + 4, pb.begin() + 36) == seed_bytes(1));
  const auto raw = a.value().public_key().raw();
  CHECK(Bytes(pb.begin() + 36, pb.end()) == Bytes(raw.begin(), raw.end()));
}

TEST_CASE("keys: from_seed refuses a seed that is not 32 bytes (key_bad_length)") {
  for (std::size_t n : {0, 1, 31, 33, 64}) {
    CAPTURE(n);
    CHECK(outcome_of(Keypair::from_seed(Bytes(n, 7))) == Errc::key_bad_length);
  }
}

TEST_CASE("keys: a few hundred generated keys round-trip through both protobufs") {
  std::set<Bytes> seen;
  for (int i = 0; i < 300; ++i) {
    const Keypair key = Keypair::generate();
    const Bytes private_pb = key.to_protobuf();
    const Bytes public_pb = key.public_key().to_protobuf();
    REQUIRE(private_pb.size() == 68);
    REQUIRE(public_pb.size() == 36);
    CHECK(Bytes(public_pb.begin(), public_pb.begin() + 4) == test::bytes({0x08, 0x01, 0x12, 0x20}));
    CHECK(seen.insert(public_pb).second);  // fresh randomness every time

    auto back = Keypair::from_protobuf(private_pb);
    REQUIRE(back);
    CHECK(back.value().public_key() == key.public_key());
    CHECK(back.value().to_protobuf() == private_pb);

    auto public_back = PublicKey::from_protobuf(public_pb);
    REQUIRE(public_back);
    CHECK(public_back.value() == key.public_key());
    auto raw_back = PublicKey::from_raw(key.public_key().raw());
    REQUIRE(raw_back);
    CHECK(raw_back.value() == key.public_key());

    const Bytes message = test::bytes({i & 0xFF, (i >> 8) & 0xFF, 0x42});
    CHECK(key.public_key().verify(message, back.value().sign(message)));
  }
}

TEST_CASE("keys: Keypair copies sign like the original and outlive it") {
  const Bytes message = test::bytes_of("copy me");
  Keypair original = Keypair::generate();
  Keypair copy(original);
  CHECK(copy.public_key() == original.public_key());
  CHECK(copy.sign(message) == original.sign(message));
  Keypair assigned = Keypair::generate();
  CHECK_FALSE(assigned.public_key() == original.public_key());
  assigned = original;
  CHECK(assigned.to_protobuf() == original.to_protobuf());
  {
    Keypair temporary(original);
    copy = temporary;
  }
  CHECK(original.public_key().verify(message, copy.sign(message)));
}

TEST_CASE("keys: verify accepts the signature and rejects every tampering") {
  const Keypair key = Keypair::from_seed(seed_bytes(9)).value();
  const Keypair other = Keypair::from_seed(seed_bytes(10)).value();
  const Bytes message = test::bytes_of("weft identity layer");
  const Signature signature = key.sign(message);
  REQUIRE(key.public_key().verify(message, signature));

  SUBCASE("a flipped bit anywhere in the signature") {
    for (std::size_t bit = 0; bit < signature.size() * 8; ++bit) {
      Signature bad = signature;
      bad[bit / 8] ^= static_cast<std::uint8_t>(1u << (bit % 8));
      CAPTURE(bit);
      CHECK_FALSE(key.public_key().verify(message, bad));
    }
  }
  SUBCASE("a flipped bit anywhere in the message") {
    for (std::size_t bit = 0; bit < message.size() * 8; ++bit) {
      Bytes bad = message;
      bad[bit / 8] ^= static_cast<std::uint8_t>(1u << (bit % 8));
      CAPTURE(bit);
      CHECK_FALSE(key.public_key().verify(bad, signature));
    }
    Bytes longer = message;
    longer.push_back(0);
    CHECK_FALSE(key.public_key().verify(longer, signature));
    CHECK_FALSE(key.public_key().verify(ByteView(message).first(message.size() - 1), signature));
  }
  SUBCASE("the wrong key") {
    CHECK_FALSE(other.public_key().verify(message, signature));
    CHECK(other.public_key().verify(message, other.sign(message)));
    CHECK_FALSE(key.public_key().verify(message, other.sign(message)));
  }
  SUBCASE("a signature that is not 64 bytes") {
    const Bytes sig(signature.begin(), signature.end());
    CHECK_FALSE(key.public_key().verify(message, ByteView(sig).first(63)));
    CHECK_FALSE(key.public_key().verify(message, concat(sig, test::bytes({0}))));
    CHECK_FALSE(key.public_key().verify(message, Bytes{}));
  }
  SUBCASE("the non-canonical twin S + L (malleability)") {
    // (S + L)·B == S·B, so a verifier that skips the S < L check accepts this.
    Signature twin = signature;
    const Bytes order = hex(kGroupOrderL);
    unsigned carry = 0;
    for (std::size_t i = 0; i < 32; ++i) {
      const unsigned sum = twin[32 + i] + order[i] + carry;
      twin[32 + i] = static_cast<std::uint8_t>(sum & 0xFF);
      carry = sum >> 8;
    }
    REQUIRE(carry == 0);
    REQUIRE(twin != signature);
    CHECK_FALSE(key.public_key().verify(message, twin));
  }
  SUBCASE("a small-order R with S = 0") {
    // Accepted by verifiers that allow a small-order R for some keys; never by us.
    for (auto point : kSmallOrderPoints) {
      Signature forged{};
      const Bytes r = hex(point);
      std::copy(r.begin(), r.end(), forged.begin());
      CHECK_FALSE(key.public_key().verify(message, forged));
    }
  }
}

TEST_CASE("keys: from_raw accepts prime-order points and refuses everything else") {
  SUBCASE("wrong length: key_bad_length") {
    for (std::size_t n : {0, 31, 33, 36}) {
      CAPTURE(n);
      CHECK(outcome_of(PublicKey::from_raw(Bytes(n, 0x11))) == Errc::key_bad_length);
    }
  }
  SUBCASE("all-zero and every small-order point: key_invalid") {
    CHECK(outcome_of(PublicKey::from_raw(Bytes(32, 0))) == Errc::key_invalid);
    for (auto point : kSmallOrderPoints) {
      CAPTURE(point);
      CHECK(outcome_of(PublicKey::from_raw(hex(point))) == Errc::key_invalid);
    }
  }
  SUBCASE("non-canonical encodings (y >= p, with either sign bit): key_invalid") {
    for (int k = 0; k < 19; ++k) {
      for (std::uint8_t sign : {0x00, 0x80}) {
        Bytes encoding(32, 0xFF);
        encoding[0] = static_cast<std::uint8_t>(0xED + k);  // y = p + k, p = 2^255 - 19
        encoding[31] = static_cast<std::uint8_t>(0x7F | sign);
        CAPTURE(k);
        CHECK(outcome_of(PublicKey::from_raw(encoding)) == Errc::key_invalid);
      }
    }
    // y = 2^255 - 1, the largest 255-bit value.
    Bytes top(32, 0xFF);
    top[31] = 0x7F;
    CHECK(outcome_of(PublicKey::from_raw(top)) == Errc::key_invalid);
  }
  SUBCASE("a valid key plus a small-order component (outside the prime-order subgroup): key_invalid") {
    const Keypair key = Keypair::from_seed(seed_bytes(3)).value();
    for (auto point : {kSmallOrderPoints[1], kSmallOrderPoints[4]}) {
      std::array<std::uint8_t, 32> mixed{};
      REQUIRE(crypto_core_ed25519_add(mixed.data(), key.public_key().raw().data(), hex(point).data()) == 0);
      CHECK(outcome_of(PublicKey::from_raw(mixed)) == Errc::key_invalid);
    }
  }
  SUBCASE("a point not on the curve: key_invalid") {
    // y = 2 has no x on edwards25519.
    Bytes off_curve(32, 0);
    off_curve[0] = 2;
    CHECK(outcome_of(PublicKey::from_raw(off_curve)) == Errc::key_invalid);
  }
  SUBCASE("the spec and RFC keys are accepted") {
    CHECK(PublicKey::from_raw(hex(kRfcPublic1)));
    CHECK(PublicKey::from_raw(hex(kRfcPublic2)));
    CHECK(PublicKey::from_raw(ByteView(hex(kSpecEd25519Public)).subspan(4)));
  }
}

TEST_CASE("keys: PublicKey::from_protobuf errors") {
  const Bytes good = hex(kSpecEd25519Public);
  const Bytes raw(good.begin() + 4, good.end());
  REQUIRE(PublicKey::from_protobuf(good));

  SUBCASE("bytes that are not a protobuf, or lack a field: key_malformed") {
    CHECK(outcome_of(PublicKey::from_protobuf(Bytes{})) == Errc::key_malformed);
    CHECK(outcome_of(PublicKey::from_protobuf(test::bytes({0xFF, 0xFF, 0xFF}))) == Errc::key_malformed);
    CHECK(outcome_of(PublicKey::from_protobuf(test::bytes({0x08, 0x01}))) == Errc::key_malformed);  // no Data
    CHECK(outcome_of(PublicKey::from_protobuf(ByteView(good).subspan(2))) == Errc::key_malformed);  // no Type
    for (std::size_t cut = 0; cut < good.size(); ++cut) {
      CAPTURE(cut);
      CHECK(outcome_of(PublicKey::from_protobuf(ByteView(good).first(cut))) == Errc::key_malformed);
    }
  }
  SUBCASE("other key types: key_unsupported_type") {
    CHECK(outcome_of(PublicKey::from_protobuf(hex(kSpecSecp256k1Public))) == Errc::key_unsupported_type);
    CHECK(outcome_of(PublicKey::from_protobuf(hex(kSpecEcdsaPublic))) == Errc::key_unsupported_type);
    CHECK(outcome_of(PublicKey::from_protobuf(envelope(0, test::bytes({0x30, 0x00})))) ==
          Errc::key_unsupported_type);  // RSA
    CHECK(outcome_of(PublicKey::from_protobuf(envelope(9, raw))) == Errc::key_unsupported_type);  // unknown
    auto rsa = PublicKey::from_protobuf(envelope(0, raw));
    REQUIRE_FALSE(rsa);
    CHECK(rsa.error().detail().find("RSA") != std::string::npos);
  }
  SUBCASE("Ed25519 data of the wrong length: key_bad_length") {
    CHECK(outcome_of(PublicKey::from_protobuf(envelope(1, ByteView(raw).first(31)))) == Errc::key_bad_length);
    CHECK(outcome_of(PublicKey::from_protobuf(envelope(1, concat(raw, test::bytes({0}))))) ==
          Errc::key_bad_length);
    CHECK(outcome_of(PublicKey::from_protobuf(envelope(1, Bytes{}))) == Errc::key_bad_length);
  }
  SUBCASE("Ed25519 data that is no valid point: key_invalid") {
    CHECK(outcome_of(PublicKey::from_protobuf(envelope(1, Bytes(32, 0)))) == Errc::key_invalid);
    CHECK(outcome_of(PublicKey::from_protobuf(envelope(1, hex(kSmallOrderPoints[4])))) == Errc::key_invalid);
  }
  SUBCASE("a non-deterministic encoding of a valid key: key_malformed") {
    // Data then Type.
    CHECK(outcome_of(PublicKey::from_protobuf(concat(concat(test::bytes({0x12, 0x20}), raw), test::bytes({0x08, 0x01})))) ==
          Errc::key_malformed);
    // Overlong varint for Type (0x81 0x00 == 1).
    CHECK(outcome_of(PublicKey::from_protobuf(concat(test::bytes({0x08, 0x81, 0x00, 0x12, 0x20}), raw))) ==
          Errc::key_malformed);
    // Overlong varint for the Data length.
    CHECK(outcome_of(PublicKey::from_protobuf(concat(test::bytes({0x08, 0x01, 0x12, 0xA0, 0x00}), raw))) ==
          Errc::key_malformed);
    // An unknown field after Data, and Type repeated.
    CHECK(outcome_of(PublicKey::from_protobuf(concat(good, test::bytes({0x18, 0x01})))) == Errc::key_malformed);
    CHECK(outcome_of(PublicKey::from_protobuf(concat(test::bytes({0x08, 0x01}), good))) == Errc::key_malformed);
    // Data repeated (the last one wins in protobuf, so this would be a second encoding).
    CHECK(outcome_of(PublicKey::from_protobuf(concat(test::bytes({0x08, 0x01, 0x12, 0x01, 0x00}),
                                                   ByteView(good).subspan(2)))) == Errc::key_malformed);
  }
}

TEST_CASE("keys: Keypair::from_protobuf errors and the legacy 96-byte form") {
  const Bytes good = hex(kSpecEd25519Private);
  const Bytes data(good.begin() + 4, good.end());  // seed || public
  const ByteView seed = ByteView(data).first(32);
  const ByteView public_half = ByteView(data).subspan(32);
  const Bytes expected_public = hex(kSpecEd25519Public);

  SUBCASE("malformed: key_malformed") {
    CHECK(outcome_of(Keypair::from_protobuf(Bytes{})) == Errc::key_malformed);
    CHECK(outcome_of(Keypair::from_protobuf(test::bytes_of("not a key"))) == Errc::key_malformed);
    for (std::size_t cut = 0; cut < good.size(); ++cut) {
      CAPTURE(cut);
      CHECK(outcome_of(Keypair::from_protobuf(ByteView(good).first(cut))) == Errc::key_malformed);
    }
    CHECK(outcome_of(Keypair::from_protobuf(concat(good, test::bytes({0x18, 0x00})))) == Errc::key_malformed);
  }
  SUBCASE("other key types: key_unsupported_type") {
    CHECK(outcome_of(Keypair::from_protobuf(hex(kSpecSecp256k1Private))) == Errc::key_unsupported_type);
    CHECK(outcome_of(Keypair::from_protobuf(hex(kSpecEcdsaPrivate))) == Errc::key_unsupported_type);
    CHECK(outcome_of(Keypair::from_protobuf(envelope(0, data))) == Errc::key_unsupported_type);  // RSA envelope
  }
  SUBCASE("wrong data lengths: key_bad_length") {
    for (std::size_t n : {0, 32, 63, 65, 95, 97}) {
      CAPTURE(n);
      Bytes body = concat(concat(data, data), data);
      body.resize(n);
      CHECK(outcome_of(Keypair::from_protobuf(envelope(1, body))) == Errc::key_bad_length);
    }
    // A PublicKey encoding handed over as a private key.
    CHECK(outcome_of(Keypair::from_protobuf(expected_public)) == Errc::key_bad_length);
  }
  SUBCASE("public half not derived from the seed: key_mismatch") {
    Bytes flipped = good;
    flipped.back() ^= 0x01;
    auto result = Keypair::from_protobuf(flipped);
    CHECK(outcome_of(result) == Errc::key_mismatch);
    // Another valid key's public half.
    const Keypair other = Keypair::from_seed(seed_bytes(4)).value();
    CHECK(outcome_of(Keypair::from_protobuf(envelope(1, concat(Bytes(seed.begin(), seed.end()),
                                                             other.public_key().raw())))) == Errc::key_mismatch);
  }
  SUBCASE("legacy seed || public || public is accepted and re-encoded as 64 bytes") {
    auto legacy = Keypair::from_protobuf(envelope(1, concat(data, public_half)));
    REQUIRE(legacy);
    CHECK(legacy.value().public_key().to_protobuf() == expected_public);
    CHECK(legacy.value().to_protobuf() == good);
  }
  SUBCASE("legacy form with differing public copies: key_mismatch") {
    Bytes third(public_half.begin(), public_half.end());
    third[5] ^= 0x20;
    CHECK(outcome_of(Keypair::from_protobuf(envelope(1, concat(data, third)))) == Errc::key_mismatch);
    // Both copies equal but not derived from the seed.
    Bytes wrong = data;
    wrong[40] ^= 0x01;
    CHECK(outcome_of(Keypair::from_protobuf(envelope(1, concat(wrong, ByteView(wrong).subspan(32))))) ==
          Errc::key_mismatch);
  }
}

}  // namespace weft
