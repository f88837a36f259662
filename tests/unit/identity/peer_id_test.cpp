// Tests for src/identity/peer_id.cpp: derivation, binary and text forms, validation.
#include <weft/peer_id.hpp>

#include "identity/hex.hpp"
#include "identity/multibase.hpp"
#include "test_bytes.hpp"

#include <doctest/doctest.h>
#include <sodium.h>

#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace weft {
namespace {

using test::outcome_of;
using test::hex;


Bytes concat(Bytes a, ByteView b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

// libp2p/specs peer-ids/peer-ids.md: the Ed25519 test-vector public key, and the PeerId
// it derives (identity multihash 00 24 <36-byte protobuf>; base58btc and CIDv1 base32).
constexpr std::string_view kSpecEd25519Public =
    "080112201ed1e8fae2c4a144b8be8fd4b47bf3d3b34b871c3cacf6010f0e42d474fce27e";
constexpr std::string_view kSpecEd25519PeerId = "12D3KooWBtg3aaRMjxwedh83aGiUkwSxDwUZkzuJcfaqUmo7R3pq";
constexpr std::string_view kSpecEd25519Cid = "bafzaajaiaejcahwr5d5ofrfbis4l5d6uwr57hu5tjodrypfm6yaq6dsc2r2pzyt6";

// The spec's "Decoding" examples. The Qm... id and the bafz... CID are the same sha2-256
// PeerId; the 12D3KooW... id is an unrelated Ed25519 key.
constexpr std::string_view kSpecSha256PeerId = "QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5N";
constexpr std::string_view kSpecSha256Cid = "bafzbeie5745rpv2m6tjyuugywy4d5ewrqgqqhfnf445he3omzpjbx5xqxe";
constexpr std::string_view kSpecSha256Multihash =
    "12209dff3b17d74cf4d38a50d8b6383e92d181a10395a5e73a726dcccbd21bf6f0b9";
constexpr std::string_view kSpecExampleEd25519PeerId = "12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA";
constexpr std::string_view kSpecExampleEd25519Cid =
    "bafzaajaiaejcal72gwuz2or47oyxxn6b3rkwdmmkrxgkjxzy3rqt5kczyn7lcm3l";
constexpr std::string_view kSpecExampleEd25519Public =
    "2ffa35a99d3a3cfbb17bb7c1dc5561b18a8dcca4df38dc613ea859c37eb1336b";

/// "<multibase prefix><CID bytes>" with the given version and codec bytes.
std::string cid_text(identity::Multibase base, ByteView version_and_codec, ByteView multihash) {
  return identity::multibase_encode(base, concat(Bytes(version_and_codec.begin(), version_and_codec.end()), multihash));
}

PeerId random_sha256_id() {
  Bytes digest(32);
  randombytes_buf(digest.data(), digest.size());
  return PeerId::from_bytes(concat(test::bytes({0x12, 0x20}), digest)).value();
}

}  // namespace

TEST_CASE("peer_id: the spec's Ed25519 key derives its identity-multihash PeerId") {
  const PublicKey key = PublicKey::from_protobuf(hex(kSpecEd25519Public)).value();
  const PeerId id = PeerId::from_public_key(key);
  CHECK(id.bytes() == concat(test::bytes({0x00, 0x24}), hex(kSpecEd25519Public)));
  CHECK(id.to_base58() == kSpecEd25519PeerId);
  CHECK(id.to_string() == kSpecEd25519PeerId);
  CHECK(id.to_cid() == kSpecEd25519Cid);
  CHECK(id.matches(key));
  REQUIRE(id.public_key().has_value());
  CHECK(*id.public_key() == key);

  auto parsed = PeerId::parse(kSpecEd25519PeerId);
  REQUIRE(parsed);
  CHECK(parsed.value() == id);
  auto from_cid = PeerId::parse(kSpecEd25519Cid);
  REQUIRE(from_cid);
  CHECK(from_cid.value() == id);
}

TEST_CASE("peer_id: the spec's text examples: Qm... and bafz... are one sha2-256 PeerId") {
  auto base58 = PeerId::parse(kSpecSha256PeerId);
  auto cid = PeerId::parse(kSpecSha256Cid);
  REQUIRE(base58);
  REQUIRE(cid);
  CHECK(base58.value() == cid.value());
  CHECK(base58.value().bytes() == hex(kSpecSha256Multihash));
  CHECK(base58.value().to_base58() == kSpecSha256PeerId);
  CHECK(base58.value().to_cid() == kSpecSha256Cid);
  CHECK_FALSE(base58.value().public_key().has_value());  // a hash: no key inside
  auto from_bytes = PeerId::from_bytes(hex(kSpecSha256Multihash));
  REQUIRE(from_bytes);
  CHECK(from_bytes.value() == base58.value());

  auto ed = PeerId::parse(kSpecExampleEd25519PeerId);
  REQUIRE(ed);
  CHECK(ed.value().bytes().size() == 38);
  CHECK(ed.value().to_base58() == kSpecExampleEd25519PeerId);
  CHECK(ed.value().to_cid() == kSpecExampleEd25519Cid);
  const std::optional<PublicKey> ed_key = ed.value().public_key();
  REQUIRE(ed_key.has_value());
  CHECK(Bytes(ed_key->raw().begin(), ed_key->raw().end()) == hex(kSpecExampleEd25519Public));
  CHECK(ed.value().matches(*ed_key));
  CHECK_FALSE(ed.value() == base58.value());
  auto ed_cid = PeerId::parse(kSpecExampleEd25519Cid);
  REQUIRE(ed_cid);
  CHECK(ed_cid.value() == ed.value());
}

TEST_CASE("peer_id: generated keys: 12D3KooW text, CID and bytes all round-trip") {
  for (int i = 0; i < 300; ++i) {
    const Keypair key = Keypair::generate();
    const PeerId id = PeerId::from_public_key(key.public_key());
    REQUIRE(id.bytes().size() == 38);
    CHECK(id.bytes()[0] == 0x00);
    CHECK(id.bytes()[1] == 36);
    const std::string text = id.to_base58();
    CHECK(text.size() == 52);
    CHECK(text.rfind("12D3KooW", 0) == 0);
    const std::string cid = id.to_cid();
    CHECK(cid.rfind("bafzaajaiaejc", 0) == 0);

    auto parsed = PeerId::parse(text);
    REQUIRE(parsed);
    CHECK(parsed.value() == id);
    auto parsed_cid = PeerId::parse(cid);
    REQUIRE(parsed_cid);
    CHECK(parsed_cid.value() == id);
    auto from_bytes = PeerId::from_bytes(id.bytes());
    REQUIRE(from_bytes);
    CHECK(from_bytes.value() == id);
    REQUIRE(id.public_key().has_value());
    CHECK(*id.public_key() == key.public_key());
    CHECK(id.matches(key.public_key()));
  }
  const PeerId a = PeerId::from_public_key(Keypair::generate().public_key());
  CHECK_FALSE(a.matches(Keypair::generate().public_key()));
}

TEST_CASE("peer_id: sha2-256 PeerIds (Qm...) parse and round-trip") {
  for (int i = 0; i < 50; ++i) {
    const PeerId id = random_sha256_id();
    const std::string text = id.to_base58();
    CHECK(text.size() == 46);
    CHECK(text.rfind("Qm", 0) == 0);
    CHECK(id.to_cid().rfind("bafzbei", 0) == 0);
    auto parsed = PeerId::parse(text);
    REQUIRE(parsed);
    CHECK(parsed.value() == id);
    CHECK(parsed.value().to_base58() == text);
    auto parsed_cid = PeerId::parse(id.to_cid());
    REQUIRE(parsed_cid);
    CHECK(parsed_cid.value() == id);
    CHECK_FALSE(id.public_key().has_value());
    CHECK_FALSE(id.matches(Keypair::generate().public_key()));
  }
}

TEST_CASE("peer_id: a CID in any supported multibase parses to the same PeerId") {
  const PeerId id = PeerId::parse(kSpecEd25519PeerId).value();
  const Bytes v1_key = test::bytes({0x01, 0x72});
  using identity::Multibase;
  for (Multibase base : {Multibase::base32, Multibase::base32_upper, Multibase::base32_pad, Multibase::base58btc,
                         Multibase::base16, Multibase::base16_upper, Multibase::base64, Multibase::base64url,
                         Multibase::base64url_pad}) {
    const std::string text = cid_text(base, v1_key, id.bytes());
    CAPTURE(text);
    auto parsed = PeerId::parse(text);
    REQUIRE(parsed);
    CHECK(parsed.value() == id);
  }
}

TEST_CASE("peer_id: a CID with the wrong version or codec is peer_id_bad_encoding") {
  const Bytes multihash = PeerId::parse(kSpecEd25519PeerId).value().bytes();
  using identity::Multibase;
  struct Case {
    const char* name;
    Bytes prefix;
  };
  const Case cases[] = {
      {"version 0", test::bytes({0x00, 0x72})},
      {"version 2", test::bytes({0x02, 0x72})},
      {"version 1 as an overlong varint", test::bytes({0x81, 0x00, 0x72})},
      {"codec raw (0x55)", test::bytes({0x01, 0x55})},
      {"codec dag-pb (0x70)", test::bytes({0x01, 0x70})},
      {"codec libp2p-key as an overlong varint", test::bytes({0x01, 0xF2, 0x00})},
      {"codec 0x0172 (two bytes, low byte 0x72)", test::bytes({0x01, 0xF2, 0x02})},
  };
  for (const auto& c : cases) {
    CAPTURE(c.name);
    CHECK(outcome_of(PeerId::parse(cid_text(Multibase::base32, c.prefix, multihash))) == Errc::peer_id_bad_encoding);
  }
  // A CID cut off inside its header.
  CHECK(outcome_of(PeerId::parse(cid_text(Multibase::base32, Bytes{}, Bytes{}))) == Errc::peer_id_bad_encoding);
  CHECK(outcome_of(PeerId::parse(cid_text(Multibase::base32, test::bytes({0x01}), Bytes{}))) ==
        Errc::peer_id_bad_encoding);
  // CIDv0 is a bare sha2-256 multihash: base58 of it is a Qm... PeerId, but in a
  // multibase it has no version and no codec.
  CHECK(outcome_of(PeerId::parse(identity::multibase_encode(Multibase::base32, hex(kSpecSha256Multihash)))) ==
        Errc::peer_id_bad_encoding);
}

TEST_CASE("peer_id: text that is neither base58btc nor a CID is peer_id_bad_encoding") {
  for (std::string_view text : {
           "",
           "12D3KooW0",                                          // '0' is not base58
           "12D3KooWBtg3aaRMjxwedh83aGiUkwSxDwUZkzuJcfaqUmo7R3pI",  // 'I' is not base58
           "QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5l",       // 'l' is not base58
           "Qx",                                                 // 'Q' alone is no multibase
           "bafz!",                                              // not base32
           "bafzaajaiaejcahwr5d5ofrfbis4l5d6uwr57hu5tjodrypfm6yaq6dsc2r2pzyT6",  // 'T' in 'b'
           "bafzaajaiaejcahwr5d5ofrfbis4l5d6uwr57hu5tjodrypfm6yaq6dsc2r2pzy",    // bad length
           "xyz",                                                // unknown multibase
           " 12D3KooWBtg3aaRMjxwedh83aGiUkwSxDwUZkzuJcfaqUmo7R3pq",  // leading space
           "12D3KooWBtg3aaRMjxwedh83aGiUkwSxDwUZkzuJcfaqUmo7R3pq\n",  // trailing newline
       }) {
    CAPTURE(text);
    CHECK(outcome_of(PeerId::parse(text)) == Errc::peer_id_bad_encoding);
  }
  // Far longer than any PeerId: refused before decoding.
  CHECK(outcome_of(PeerId::parse(std::string(300, '1'))) == Errc::peer_id_bad_encoding);
  CHECK(outcome_of(PeerId::parse("b" + std::string(100000, 'a'))) == Errc::peer_id_bad_encoding);
}

TEST_CASE("peer_id: from_bytes accepts identity <= 42 bytes and sha2-256, nothing else") {
  SUBCASE("identity digests of 0..42 bytes are accepted and round-trip") {
    for (std::size_t n = 0; n <= kMaxInlineKeyBytes; ++n) {
      const Bytes multihash = concat(test::bytes({0x00, static_cast<int>(n)}), Bytes(n, 0xAB));
      auto id = PeerId::from_bytes(multihash);
      REQUIRE(id);
      CHECK(id.value().bytes() == multihash);
      auto text = PeerId::parse(id.value().to_base58());
      REQUIRE(text);
      CHECK(text.value() == id.value());
      auto cid = PeerId::parse(id.value().to_cid());
      REQUIRE(cid);
      CHECK(cid.value() == id.value());
      CHECK_FALSE(id.value().public_key().has_value());  // 0xAB... is no key protobuf
    }
  }
  SUBCASE("identity digests above 42 bytes: peer_id_invalid") {
    for (std::size_t n : {43, 44, 64, 65, 127}) {
      CAPTURE(n);
      const Bytes multihash = concat(test::bytes({0x00, static_cast<int>(n)}), Bytes(n, 0xAB));
      CHECK(outcome_of(PeerId::from_bytes(multihash)) == Errc::peer_id_invalid);
      CHECK(outcome_of(PeerId::parse(identity::multibase_encode(identity::Multibase::base32,
                                                              concat(test::bytes({0x01, 0x72}), multihash)))) ==
            Errc::peer_id_invalid);
    }
    // Its base58 text starts with '1', so it is taken as a bare multihash and refused.
    const Bytes multihash43 = concat(test::bytes({0x00, 43}), Bytes(43, 0x01));
    const std::string text43 = identity::multibase_encode(identity::Multibase::base58btc, multihash43).substr(1);
    REQUIRE(text43.front() == '1');
    CHECK(outcome_of(PeerId::parse(text43)) == Errc::peer_id_invalid);
  }
  SUBCASE("malformed or foreign multihashes: peer_id_invalid") {
    const Bytes sha = hex(kSpecSha256Multihash);
    struct Case {
      const char* name;
      Bytes bytes;
    };
    const Case cases[] = {
        {"empty", Bytes{}},
        {"code only", test::bytes({0x12})},
        {"sha2-256 digest cut short", Bytes(sha.begin(), sha.end() - 1)},
        {"sha2-256 with a trailing byte", concat(sha, test::bytes({0x00}))},
        {"sha2-256 declaring 31 bytes", concat(test::bytes({0x12, 0x1F}), Bytes(31, 1))},
        {"sha2-256 declaring 33 bytes", concat(test::bytes({0x12, 0x21}), Bytes(33, 1))},
        {"sha2-512 (0x13)", concat(test::bytes({0x13, 0x40}), Bytes(64, 1))},
        {"sha1 (0x11)", concat(test::bytes({0x11, 0x14}), Bytes(20, 1))},
        {"identity code as an overlong varint", concat(test::bytes({0x80, 0x00, 0x01}), test::bytes({0x01}))},
        {"identity with a trailing byte", test::bytes({0x00, 0x01, 0xAA, 0xBB})},
        {"identity length past the end", test::bytes({0x00, 0x05, 0xAA})},
    };
    for (const auto& c : cases) {
      CAPTURE(c.name);
      CHECK(outcome_of(PeerId::from_bytes(c.bytes)) == Errc::peer_id_invalid);
    }
  }
}

TEST_CASE("peer_id: equality, ordering and hashing make it a map key") {
  std::vector<PeerId> ids;
  for (int i = 0; i < 100; ++i) ids.push_back(PeerId::from_public_key(Keypair::generate().public_key()));
  for (int i = 0; i < 100; ++i) ids.push_back(random_sha256_id());

  std::map<PeerId, int> ordered;
  std::unordered_map<PeerId, int> hashed;
  for (int i = 0; i < static_cast<int>(ids.size()); ++i) {
    CHECK(ordered.emplace(ids[i], i).second);
    CHECK(hashed.emplace(ids[i], i).second);
  }
  REQUIRE(ordered.size() == ids.size());
  REQUIRE(hashed.size() == ids.size());
  for (int i = 0; i < static_cast<int>(ids.size()); ++i) {
    // A separately parsed copy finds the same entry.
    const PeerId copy = PeerId::parse(ids[i].to_base58()).value();
    CHECK(copy == ids[i]);
    CHECK((copy <=> ids[i]) == std::strong_ordering::equal);
    CHECK(std::hash<PeerId>{}(copy) == std::hash<PeerId>{}(ids[i]));
    CHECK(ordered.at(copy) == i);
    CHECK(hashed.at(copy) == i);
  }
  // The map's order is the byte order of the multihashes: identity ids (0x00...) first.
  const PeerId* previous = nullptr;
  for (const auto& [id, index] : ordered) {
    if (previous != nullptr) {
      CHECK(*previous < id);
      CHECK(std::lexicographical_compare(previous->bytes().begin(), previous->bytes().end(), id.bytes().begin(),
                                         id.bytes().end()));
    }
    previous = &id;
  }
  CHECK(ordered.begin()->first.bytes()[0] == 0x00);
  CHECK(ordered.rbegin()->first.bytes()[0] == 0x12);
  // Different ids: not equal, strictly ordered one way.
  CHECK(ids[0] != ids[1]);
  CHECK(((ids[0] < ids[1]) != (ids[1] < ids[0])));
}

}  // namespace weft
