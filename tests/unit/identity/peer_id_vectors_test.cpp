// Keys and PeerIds against the JavaScript libp2p reference (tests/vectors/peer_id_js.jsonl
// and peer_id_parse_js.jsonl; fields in tests/differential/README.md).
//
// weft implements Ed25519 only, so Ed25519 vectors are checked end to end (seed -> keys ->
// protobufs -> PeerId -> signatures) while secp256k1, RSA and ECDSA vectors check PeerId
// parsing and printing and that their keys are refused with key_unsupported_type.

#include <weft/keys.hpp>
#include <weft/peer_id.hpp>

#include "identity/hex.hpp"
#include "identity/multihash.hpp"
#include "jsonl.hpp"
#include "test_bytes.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace weft {
namespace {

using identity::hex_decode;
using nlohmann::json;
using test::outcome_of;
using test::str_field;
using test::to_hex;

Bytes hex_field(const json& record, const char* key) {
  const std::string text = str_field(record, key);
  auto bytes = hex_decode(text);
  REQUIRE_MESSAGE(bytes.has_value(), key << " is not hex: " << text);
  return std::move(bytes).value();
}

const std::vector<json>& peer_id_vectors() {
  static const std::vector<json> vectors = test::read_jsonl(test::vectors_path("peer_id_js.jsonl"));
  return vectors;
}

const std::vector<json>& parse_vectors() {
  static const std::vector<json> vectors = test::read_jsonl(test::vectors_path("peer_id_parse_js.jsonl"));
  return vectors;
}

std::string describe(const Result<PeerId>& r) { return r ? r.value().to_base58() : r.error().message(); }

/// The same bytes with one bit flipped (bit `bit % 8` of byte `bit / 8`).
Bytes flip_bit(ByteView in, std::size_t bit) {
  Bytes out(in.begin(), in.end());
  out[bit / 8] ^= static_cast<std::uint8_t>(1u << (bit % 8));
  return out;
}

}  // namespace

TEST_CASE("peer_id_js: every kind the generator documents is present") {
  std::size_t ed25519 = 0, secp256k1 = 0, rsa = 0, ecdsa = 0;
  for (const auto& v : peer_id_vectors()) {
    const std::string kind = str_field(v, "kind");
    ed25519 += kind == "ed25519";
    secp256k1 += kind == "secp256k1";
    rsa += kind == "rsa";
    ecdsa += kind == "ecdsa-p256";
  }
  CHECK(ed25519 == 50);
  CHECK(secp256k1 == 8);
  CHECK(rsa == 4);
  CHECK(ecdsa == 3);
  CHECK(ed25519 + secp256k1 + rsa + ecdsa == peer_id_vectors().size());
}

TEST_CASE("peer_id_js: Ed25519 keys, PeerIds and signatures match js byte for byte") {
  test::MismatchLog log("peer_id_js ed25519");
  std::size_t checked = 0;
  for (const auto& v : peer_id_vectors()) {
    if (str_field(v, "kind") != "ed25519") continue;
    ++checked;
    const auto index = v.value("index", -1);
    const std::string peer_id_text = str_field(v, "peer_id");
    const std::string cid_text = str_field(v, "peer_id_cid");
    CAPTURE(index);
    CAPTURE(peer_id_text);
    const auto mismatch = [&](const std::string& what) {
      log.add("ed25519", "index " + std::to_string(index) + ": " + what);
    };

    const Bytes seed = hex_field(v, "seed_hex");
    const Bytes private_pb = hex_field(v, "private_key_protobuf_hex");
    const Bytes public_pb = hex_field(v, "public_key_protobuf_hex");
    const Bytes public_raw = hex_field(v, "public_key_raw_hex");
    const Bytes multihash = hex_field(v, "multihash_hex");

    // Seed -> key pair: the same public key and the same two protobufs.
    auto from_seed = Keypair::from_seed(seed);
    REQUIRE(from_seed.has_value());
    const Keypair& key = from_seed.value();
    CHECK(to_hex(key.public_key().raw()) == to_hex(public_raw));
    CHECK(to_hex(key.public_key().to_protobuf()) == to_hex(public_pb));
    CHECK(to_hex(key.to_protobuf()) == to_hex(private_pb));
    if (key.public_key().raw().size() != public_raw.size() ||
        !std::equal(public_raw.begin(), public_raw.end(), key.public_key().raw().begin())) {
      mismatch("from_seed public key " + to_hex(key.public_key().raw()) + ", js " + to_hex(public_raw));
    }

    // js's PrivateKey protobuf (the key-file format) loads and re-encodes unchanged.
    auto loaded = Keypair::from_protobuf(private_pb);
    CHECK(outcome_of(loaded).ok());
    if (loaded) {
      CHECK(to_hex(loaded.value().to_protobuf()) == to_hex(private_pb));
      CHECK(loaded.value().public_key() == key.public_key());
    } else {
      mismatch("Keypair::from_protobuf refused js's private key: " + loaded.error().message());
    }

    // js's PublicKey protobuf loads and re-encodes unchanged.
    auto public_key = PublicKey::from_protobuf(public_pb);
    CHECK(outcome_of(public_key).ok());
    if (public_key) {
      CHECK(public_key.value() == key.public_key());
      CHECK(to_hex(public_key.value().to_protobuf()) == to_hex(public_pb));
    } else {
      mismatch("PublicKey::from_protobuf refused js's public key: " + public_key.error().message());
    }

    // PeerId derivation and both text forms.
    const PeerId id = PeerId::from_public_key(key.public_key());
    CHECK(id.to_base58() == peer_id_text);
    CHECK(id.to_cid() == cid_text);
    CHECK(to_hex(id.bytes()) == to_hex(multihash));
    if (id.to_base58() != peer_id_text) mismatch("PeerId " + id.to_base58() + ", js " + peer_id_text);
    if (id.to_cid() != cid_text) mismatch("CID " + id.to_cid() + ", js " + cid_text);
    CHECK(id.matches(key.public_key()));
    const auto inlined = id.public_key();
    REQUIRE(inlined.has_value());
    CHECK(*inlined == key.public_key());

    const auto parsed_b58 = PeerId::parse(peer_id_text);
    const auto parsed_cid = PeerId::parse(cid_text);
    CHECK(outcome_of(parsed_b58).ok());
    CHECK(outcome_of(parsed_cid).ok());
    if (parsed_b58 && parsed_cid) {
      CHECK(parsed_b58.value() == id);
      CHECK(parsed_cid.value() == id);
      CHECK(to_hex(parsed_cid.value().bytes()) == to_hex(parsed_b58.value().bytes()));
    } else {
      mismatch("PeerId::parse: base58 -> " + describe(parsed_b58) + ", CID -> " + describe(parsed_cid));
    }
    auto from_multihash = PeerId::from_bytes(multihash);
    CHECK(outcome_of(from_multihash).ok());
    if (from_multihash) CHECK(from_multihash.value() == id);

    // Signatures: Ed25519 is deterministic, so weft signs to the same bytes, and js's
    // signature verifies; flipping any one bit of the signature (one bit per byte,
    // cycling through the bit positions) or of the message makes it fail.
    const Bytes message = hex_field(v, "message_hex");
    const Bytes signature = hex_field(v, "signature_hex");
    const std::string message_text = to_hex(message);
    CAPTURE(message_text);
    CHECK(to_hex(key.sign(message)) == to_hex(signature));
    const bool verifies = key.public_key().verify(message, signature);
    CHECK(verifies);
    if (!verifies) mismatch("js signature over message " + to_hex(message) + " does not verify");
    for (std::size_t byte = 0; byte < signature.size(); ++byte) {
      const std::size_t bit = byte * 8 + byte % 8;
      CAPTURE(bit);
      CHECK_FALSE(key.public_key().verify(message, flip_bit(signature, bit)));
    }
    if (!message.empty()) CHECK_FALSE(key.public_key().verify(flip_bit(message, 0), signature));
    CHECK_FALSE(key.public_key().verify(message, ByteView(signature).first(signature.size() - 1)));
  }
  CHECK(checked == 50);
  MESSAGE(log.report(checked));
  CHECK(log.count() == 0);
}

TEST_CASE("peer_id_js: secp256k1 and RSA PeerIds parse and print as js; their keys are unsupported") {
  test::MismatchLog log("peer_id_js secp256k1/rsa");
  std::size_t checked = 0;
  for (const auto& v : peer_id_vectors()) {
    const std::string kind = str_field(v, "kind");
    if (kind != "secp256k1" && kind != "rsa") continue;
    ++checked;
    const auto index = v.value("index", -1);
    const std::string peer_id_text = str_field(v, "peer_id");
    const std::string cid_text = str_field(v, "peer_id_cid");
    CAPTURE(kind);
    CAPTURE(index);
    CAPTURE(peer_id_text);
    const auto mismatch = [&](const std::string& what) {
      log.add(kind, "index " + std::to_string(index) + ": " + what);
    };
    const Bytes multihash = hex_field(v, "multihash_hex");
    const Bytes public_pb = hex_field(v, "public_key_protobuf_hex");
    const Bytes private_pb = hex_field(v, "private_key_protobuf_hex");

    const auto parsed_b58 = PeerId::parse(peer_id_text);
    const auto parsed_cid = PeerId::parse(cid_text);
    CHECK(outcome_of(parsed_b58).ok());
    CHECK(outcome_of(parsed_cid).ok());
    if (!parsed_b58 || !parsed_cid) {
      mismatch("PeerId::parse: base58 -> " + describe(parsed_b58) + ", CID -> " + describe(parsed_cid));
      continue;
    }
    const PeerId& id = parsed_b58.value();
    CHECK(parsed_cid.value() == id);
    CHECK(to_hex(id.bytes()) == to_hex(multihash));
    CHECK(id.to_base58() == peer_id_text);
    CHECK(id.to_cid() == cid_text);
    if (id.to_base58() != peer_id_text || id.to_cid() != cid_text) {
      mismatch("prints " + id.to_base58() + " / " + id.to_cid());
    }
    // The derivation rule (identity multihash up to 42 bytes, sha2-256 above) applied to
    // js's PublicKey protobuf gives js's multihash: 37-byte secp256k1 keys are inlined,
    // RSA keys hashed.
    const auto expected = public_pb.size() <= kMaxInlineKeyBytes ? identity::identity_multihash(public_pb)
                                                                 : identity::sha2_256_multihash(public_pb);
    CHECK(to_hex(expected.encode()) == to_hex(multihash));
    CHECK(kind == (public_pb.size() <= kMaxInlineKeyBytes ? "secp256k1" : "rsa"));
    // An inlined key of a type weft does not implement is not returned.
    CHECK_FALSE(id.public_key().has_value());

    CHECK(outcome_of(PublicKey::from_protobuf(public_pb)) == Errc::key_unsupported_type);
    CHECK(outcome_of(Keypair::from_protobuf(private_pb)) == Errc::key_unsupported_type);
  }
  CHECK(checked == 12);
  MESSAGE(log.report(checked));
  CHECK(log.count() == 0);
}

// ECDSA vectors carry known_diff: js puts a js-only encoding in PublicKey.Data and derives
// an identity multihash of 91 bytes, which no PeerId may have (at most 42 bytes inline;
// longer keys are sha2-256 hashed). weft's own expectation: that "PeerId" and its CID are
// refused as peer_id_invalid, and the keys as an unsupported type.
TEST_CASE("peer_id_js: ECDSA (known_diff): weft refuses the js-only PeerId and the keys") {
  std::size_t checked = 0;
  for (const auto& v : peer_id_vectors()) {
    if (str_field(v, "kind") != "ecdsa-p256") continue;
    ++checked;
    CAPTURE(v.value("index", -1));
    CHECK(v.contains("known_diff"));
    const std::string b58 = str_field(v, "key_multihash_b58");
    const std::string cid = str_field(v, "key_cid");
    CAPTURE(b58);
    CHECK(outcome_of(PeerId::parse(b58)) == Errc::peer_id_invalid);
    CHECK(outcome_of(PeerId::parse(cid)) == Errc::peer_id_invalid);
    CHECK(outcome_of(PeerId::from_bytes(hex_field(v, "multihash_hex"))) == Errc::peer_id_invalid);
    CHECK(outcome_of(PublicKey::from_protobuf(hex_field(v, "public_key_protobuf_hex"))) ==
          Errc::key_unsupported_type);
    CHECK(outcome_of(Keypair::from_protobuf(hex_field(v, "private_key_protobuf_hex"))) ==
          Errc::key_unsupported_type);
  }
  CHECK(checked == 3);
}

// --- peer_id_parse_js.jsonl ----------------------------------------------------------

namespace {

/// What weft does with a parse vector on purpose where it differs from js. Keyed by the
/// vector's kind and note (every such vector has a note naming the case); `error` empty
/// means weft accepts.
struct ParseDifference {
  std::string_view kind;
  std::string_view note;
  std::optional<Errc> error;  ///< nullopt: weft accepts
  std::string_view reason;
};

// Deliberate differences from js (peer_id_parse_js). Each entry is one case; the test
// fails if a listed case stops occurring in the vectors, so the table cannot go stale.
//
// weft is STRICTER than js on:
//  - Ed25519 private keys whose stored public half does not match the seed (64-byte form)
//    or whose two public copies differ (legacy 96-byte form): js keeps the stored public
//    key, so the file names a PeerId the secret cannot sign for. weft: key_mismatch.
//  - PublicKey / PrivateKey protobufs that are not in the deterministic encoding (fields
//    reversed, Type repeated, an unknown extra field): the peer-ids spec ("Keys") requires
//    tag order, every field once and no other fields, and a PeerId is the hash of exactly
//    these bytes, so accepting another encoding of the same key would give two PeerIds for
//    one key. go and rust (general protobuf decoders) accept them like js. weft: key_malformed.
//  - Ed25519 public keys that are small-order (all zero, the identity point) or not a
//    canonical point encoding (all 0xff): they have no secret key, or alias another key.
//    weft: key_invalid.
// weft does not implement (key_unsupported_type): secp256k1 and RSA keys, which js loads.
// weft is MORE LENIENT than js on PeerId text, following the spec and go/rust:
//  - CIDs in other multibases ("B..." base32upper, "z..." base58btc): the peer-ids spec
//    ("Decoding") says text not starting with '1' or "Qm" is a multibase CID, and
//    go-libp2p's peer.Decode uses cid.Decode (any multibase). js's peerIdFromString wants
//    an explicit decoder for anything but base32 'b' and base36 'k'.
//  - identity multihashes whose digest is not a valid PublicKey ("abc", or a PublicKey
//    with 31-byte Data): js decodes the inlined key and fails; go-libp2p (IDFromBytes:
//    mh.Cast) and rust-libp2p (PeerId::from_multihash: identity with digest <= 42 bytes)
//    accept them, and a PeerId is only a multihash until a key is checked against it.
constexpr ParseDifference kParseDifferences[] = {
    {"private_key_protobuf", "96-byte form with mismatched public halves", Errc::key_mismatch, "public copies differ"},
    {"private_key_protobuf", "64-byte form whose public half does not match the seed", Errc::key_mismatch,
     "public half does not match the seed"},
    {"private_key_protobuf", "fields in reverse order", Errc::key_malformed, "not deterministic"},
    {"private_key_protobuf", "unknown extra field 3", Errc::key_malformed, "not deterministic"},
    {"private_key_protobuf", "Type field repeated", Errc::key_malformed, "not deterministic"},
    {"private_key_protobuf", "secp256k1", Errc::key_unsupported_type, "Ed25519 only"},
    {"public_key_protobuf", "fields in reverse order", Errc::key_malformed, "not deterministic"},
    {"public_key_protobuf", "all-zero Ed25519 key (small order point)", Errc::key_invalid, "small order"},
    {"public_key_protobuf", "Ed25519 identity point encoding", Errc::key_invalid, "small order"},
    {"public_key_protobuf", "non-canonical / invalid Ed25519 encoding", Errc::key_invalid, "not canonical"},
    {"public_key_protobuf", "secp256k1", Errc::key_unsupported_type, "Ed25519 only"},
    {"public_key_protobuf", "RSA", Errc::key_unsupported_type, "Ed25519 only"},
    {"peer_id_string", "base32upper CID", std::nullopt, "spec: any multibase CID"},
    {"peer_id_string", "base58btc CIDv1 (z...)", std::nullopt, "spec: any multibase CID"},
    {"peer_id_string", "identity multihash of \"abc\"", std::nullopt, "go/rust: any identity digest <= 42"},
    {"peer_id_string", "identity multihash of an Ed25519 PublicKey with 31-byte Data", std::nullopt,
     "go/rust: any identity digest <= 42"},
};

const ParseDifference* find_difference(std::string_view kind, std::string_view note) {
  for (const auto& d : kParseDifferences) {
    if (d.kind == kind && d.note == note) return &d;
  }
  return nullptr;
}

/// weft's answer to one parse vector, reduced to accept/reject plus what it produced.
struct ParseResult {
  test::Outcome outcome;
  std::string peer_id;        ///< base58 PeerId when accepted
  std::string canonical_hex;  ///< re-encoded key protobuf when accepted (keys only)
  std::string public_hex;     ///< public key protobuf when accepted (private keys only)
  std::string cid;            ///< CID text when accepted (peer id strings only)
  std::string multihash_hex;  ///< (peer id strings only)
};

ParseResult run_parse_vector(const json& v) {
  const std::string kind = str_field(v, "kind");
  ParseResult r;
  if (kind == "peer_id_string") {
    auto id = PeerId::parse(str_field(v, "input"));
    r.outcome = outcome_of(id);
    if (id) {
      r.peer_id = id.value().to_base58();
      r.cid = id.value().to_cid();
      r.multihash_hex = to_hex(id.value().bytes());
    }
  } else if (kind == "private_key_protobuf") {
    auto key = Keypair::from_protobuf(hex_field(v, "input_hex"));
    r.outcome = outcome_of(key);
    if (key) {
      r.peer_id = PeerId::from_public_key(key.value().public_key()).to_base58();
      r.canonical_hex = to_hex(key.value().to_protobuf());
      r.public_hex = to_hex(key.value().public_key().to_protobuf());
    }
  } else if (kind == "public_key_protobuf") {
    auto key = PublicKey::from_protobuf(hex_field(v, "input_hex"));
    r.outcome = outcome_of(key);
    if (key) {
      r.peer_id = PeerId::from_public_key(key.value()).to_base58();
      r.canonical_hex = to_hex(key.value().to_protobuf());
    }
  } else {
    FAIL("unknown kind " << kind);
  }
  return r;
}

std::string input_of(const json& v) {
  return v.contains("input") ? test::json_quote(str_field(v, "input")) : "hex " + str_field(v, "input_hex");
}

}  // namespace

TEST_CASE("peer_id_parse_js: weft accepts what js accepts, and rejects what js rejects, except as listed") {
  test::MismatchLog log("peer_id_parse_js");
  std::vector<bool> difference_seen(std::size(kParseDifferences), false);
  std::size_t agreed_ok = 0, agreed_reject = 0, deliberate = 0;
  for (const auto& v : parse_vectors()) {
    const std::string kind = str_field(v, "kind");
    const std::string note = str_field(v, "note");
    const bool js_ok = v.value("ok", false);
    const std::string input = input_of(v);
    const std::string js = js_ok ? "ok " + str_field(v, "peer_id") : "error: " + str_field(v, "error");
    CAPTURE(kind);
    CAPTURE(note);
    CAPTURE(input);
    CAPTURE(js);
    const ParseResult weft = run_parse_vector(v);
    const std::string got = weft.outcome.ok() ? "ok " + weft.peer_id : weft.outcome.text;
    CAPTURE(got);
    const auto mismatch = [&](const std::string& what) {
      log.add(kind + ": " + what,
              (note.empty() ? "" : "[" + note + "] ") + input.substr(0, 80) + ": js " + js + "; weft " + got);
    };

    if (const ParseDifference* d = find_difference(kind, note)) {
      // A listed deliberate difference: weft's own expectation, not js's.
      ++deliberate;
      difference_seen[static_cast<std::size_t>(d - kParseDifferences)] = true;
      CAPTURE(d->reason);
      CHECK(js_ok == d->error.has_value());  // listed only where js answers the other way
      if (d->error) {
        CHECK(weft.outcome == *d->error);
        if (!(weft.outcome == *d->error)) mismatch("deliberate difference: expected weft to refuse");
      } else {
        CHECK(weft.outcome.ok());
        if (!weft.outcome.ok()) {
          mismatch("deliberate difference: expected weft to accept");
        } else {
          // Accepted: the PeerId round-trips through both of weft's text forms.
          const auto again_b58 = PeerId::parse(weft.peer_id);
          const auto again_cid = PeerId::parse(weft.cid);
          REQUIRE(again_b58.has_value());
          REQUIRE(again_cid.has_value());
          CHECK(again_b58.value().to_cid() == weft.cid);
          CHECK(to_hex(again_cid.value().bytes()) == weft.multihash_hex);
          if (note == "base32upper CID") {
            std::string lower = str_field(v, "input");
            std::transform(lower.begin(), lower.end(), lower.begin(),
                           [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
            CHECK(weft.cid == lower);
          }
        }
      }
      continue;
    }

    CHECK(weft.outcome.ok() == js_ok);
    if (weft.outcome.ok() != js_ok) {
      mismatch("acceptance differs");
      continue;
    }
    if (!js_ok) {
      ++agreed_reject;
      continue;
    }
    ++agreed_ok;
    CHECK(weft.peer_id == str_field(v, "peer_id"));
    if (weft.peer_id != str_field(v, "peer_id")) mismatch("PeerId differs");
    if (kind == "peer_id_string") {
      CHECK(weft.cid == str_field(v, "peer_id_cid"));
      CHECK(weft.multihash_hex == str_field(v, "multihash_hex"));
      if (weft.cid != str_field(v, "peer_id_cid")) mismatch("CID differs");
    } else {
      CHECK(weft.canonical_hex == str_field(v, "canonical_hex"));
      if (weft.canonical_hex != str_field(v, "canonical_hex")) mismatch("canonical encoding differs");
      if (kind == "private_key_protobuf") CHECK(weft.public_hex == str_field(v, "public_key_protobuf_hex"));
    }
  }
  for (std::size_t i = 0; i < std::size(kParseDifferences); ++i) {
    CAPTURE(kParseDifferences[i].kind);
    CAPTURE(kParseDifferences[i].note);
    CHECK_MESSAGE(difference_seen[i], "listed deliberate difference matches no vector: remove it");
  }
  MESSAGE("peer_id_parse_js: " << agreed_ok << " accepted by both, " << agreed_reject << " rejected by both, "
                               << deliberate << " deliberate differences");
  MESSAGE(log.report(parse_vectors().size()));
  CHECK(log.count() == 0);
  CHECK(agreed_ok > 0);
  CHECK(agreed_reject > 0);
}

}  // namespace weft
