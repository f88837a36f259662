#include <weft/keys.hpp>

#include "identity/varint.hpp"
#include "keys.pb.h"
#include "util/sodium.hpp"
#include "util/wipe_on_exit.hpp"

#include <sodium.h>

#include <climits>
#include <cstring>
#include <string>

namespace weft {
namespace {

using PublicKeyBytes = std::array<std::uint8_t, kEd25519PublicKeyBytes>;

/// Ed25519 private key Data: seed || public key (preferred), or seed || public || public
/// (the legacy form the peer-ids spec asks readers to accept).
constexpr std::size_t kPrivateDataBytes = kEd25519SeedBytes + kEd25519PublicKeyBytes;
constexpr std::size_t kLegacyPrivateDataBytes = kPrivateDataBytes + kEd25519PublicKeyBytes;

using util::WipeOnExit;

std::string key_type_name(int type) {
  const auto* descriptor = wire::KeyType_descriptor()->FindValueByNumber(type);
  return std::to_string(type) + " (" + (descriptor != nullptr ? descriptor->name() : std::string("unknown")) + ")";
}

/// The deterministic encoding the peer-ids spec requires: field 1 (varint Type), then
/// field 2 (length-delimited Data), minimal varints, nothing else.
bool is_deterministic_envelope(ByteView encoded, int type, std::size_t data_size) {
  Bytes header{0x08};
  identity::append_uvarint(header, static_cast<std::uint64_t>(type));
  header.push_back(0x12);
  identity::append_uvarint(header, data_size);
  return encoded.size() == header.size() + data_size &&
         std::equal(header.begin(), header.end(), encoded.begin());
}

/// Parses a libp2p key envelope ({Type, Data}) in its deterministic encoding and checks
/// that it holds an Ed25519 key. Returns Data (moved out, so no copy stays behind in the
/// message). Errors: key_malformed, key_unsupported_type.
template <class Message>
Result<std::string> ed25519_data(ByteView encoded, const char* what) {
  Message message;
  if (encoded.size() > static_cast<std::size_t>(INT_MAX) ||
      !message.ParsePartialFromArray(encoded.data(), static_cast<int>(encoded.size()))) {
    return Error(Errc::key_malformed, std::string("not a libp2p ") + what + " protobuf");
  }
  const bool has_data = message.has_data();  // before mutable_data(), which marks Data present
  std::string data = std::move(*message.mutable_data());
  WipeOnExit wipe{data};
  WipeOnExit wipe_husk{*message.mutable_data()};  // a short string is copied, not moved
  if (!message.has_type()) {
    // proto2 keeps a Type outside the KeyType enum as an unknown varint field 1.
    const auto& unknown = message.unknown_fields();
    for (int i = 0; i < unknown.field_count(); ++i) {
      const auto& field = unknown.field(i);
      if (field.number() == 1 && field.type() == google::protobuf::UnknownField::TYPE_VARINT) {
        return Error(Errc::key_unsupported_type,
                     std::string(what) + " key type " + std::to_string(field.varint()) + " (unknown)");
      }
    }
    return Error(Errc::key_malformed, std::string(what) + " has no Type field");
  }
  if (message.type() != wire::Ed25519) {
    return Error(Errc::key_unsupported_type, std::string(what) + " key type " + key_type_name(message.type()) +
                                                 ", only Ed25519 (1) is supported");
  }
  if (!has_data) return Error(Errc::key_malformed, std::string(what) + " has no Data field");
  if (!is_deterministic_envelope(encoded, message.type(), data.size())) {
    return Error(Errc::key_malformed, std::string(what) +
                                          " is not in the deterministic encoding (Type then Data, minimal "
                                          "varints, no other fields)");
  }
  std::string out = std::move(data);  // `wipe` now clears the moved-from husk only
  return out;
}

}  // namespace

Result<PublicKey> PublicKey::from_raw(ByteView raw) {
  util::ensure_sodium();
  if (raw.size() != kEd25519PublicKeyBytes) {
    return Error(Errc::key_bad_length, "Ed25519 public key of " + std::to_string(raw.size()) + " bytes, need 32");
  }
  // Refuses y >= p, small-order points and points outside the prime-order subgroup.
  if (crypto_core_ed25519_is_valid_point(raw.data()) != 1) {
    return Error(Errc::key_invalid, "not a canonical Ed25519 point of prime order");
  }
  PublicKeyBytes key;
  std::memcpy(key.data(), raw.data(), key.size());
  return PublicKey(key);
}

Result<PublicKey> PublicKey::from_protobuf(ByteView encoded) {
  BOOST_OUTCOME_TRY(data, ed25519_data<wire::PublicKey>(encoded, "PublicKey"));
  return from_raw(as_bytes(data));
}

Bytes PublicKey::to_protobuf() const {
  wire::PublicKey message;
  message.set_type(wire::Ed25519);
  message.set_data(key_.data(), key_.size());
  Bytes out(message.ByteSizeLong());
  message.SerializeToArray(out.data(), static_cast<int>(out.size()));
  return out;
}

bool PublicKey::verify(ByteView message, ByteView signature) const noexcept {
  util::ensure_sodium();
  if (signature.size() != kEd25519SignatureBytes) return false;
  // libsodium refuses S >= L, a small-order R and a small-order or non-canonical key.
  return crypto_sign_verify_detached(signature.data(), message.data(), message.size(), key_.data()) == 0;
}

Keypair::Keypair(const std::array<std::uint8_t, 64>& secret, PublicKey public_key)
    : secret_(secret), public_key_(public_key) {}

Keypair::Keypair(const Keypair& other) = default;
Keypair& Keypair::operator=(const Keypair& other) = default;

Keypair::~Keypair() { sodium_memzero(secret_.data(), secret_.size()); }

Keypair Keypair::generate() {
  util::ensure_sodium();
  std::array<std::uint8_t, kEd25519SeedBytes> seed;
  randombytes_buf(seed.data(), seed.size());
  auto key = from_seed(seed);
  sodium_memzero(seed.data(), seed.size());
  return std::move(key).value();
}

Result<Keypair> Keypair::from_seed(ByteView seed) {
  util::ensure_sodium();
  if (seed.size() != kEd25519SeedBytes) {
    return Error(Errc::key_bad_length, "Ed25519 seed of " + std::to_string(seed.size()) + " bytes, need 32");
  }
  PublicKeyBytes public_bytes;
  std::array<std::uint8_t, 64> secret;
  crypto_sign_seed_keypair(public_bytes.data(), secret.data(), seed.data());
  auto public_key = PublicKey::from_raw(public_bytes);
  if (!public_key) {
    sodium_memzero(secret.data(), secret.size());
    return std::move(public_key).error();
  }
  Keypair key(secret, public_key.value());
  sodium_memzero(secret.data(), secret.size());
  return key;
}

Result<Keypair> Keypair::from_protobuf(ByteView encoded) {
  BOOST_OUTCOME_TRY(data, ed25519_data<wire::PrivateKey>(encoded, "PrivateKey"));
  WipeOnExit wipe{data};
  if (data.size() != kPrivateDataBytes && data.size() != kLegacyPrivateDataBytes) {
    return Error(Errc::key_bad_length, "Ed25519 private key data of " + std::to_string(data.size()) +
                                           " bytes, need 64 (seed || public key) or the legacy 96 "
                                           "(seed || public key || public key)");
  }
  const ByteView bytes = as_bytes(data);
  const ByteView stored_public = bytes.subspan(kEd25519SeedBytes, kEd25519PublicKeyBytes);
  if (data.size() == kLegacyPrivateDataBytes &&
      sodium_memcmp(stored_public.data(), bytes.subspan(kPrivateDataBytes).data(), kEd25519PublicKeyBytes) != 0) {
    return Error(Errc::key_mismatch, "the two public key copies of the legacy 96-byte form differ");
  }
  BOOST_OUTCOME_TRY(key, from_seed(bytes.first(kEd25519SeedBytes)));
  if (sodium_memcmp(key.public_key().raw().data(), stored_public.data(), kEd25519PublicKeyBytes) != 0) {
    return Error(Errc::key_mismatch, "stored public key differs from the one the seed derives");
  }
  return std::move(key);
}

Bytes Keypair::to_protobuf() const {
  wire::PrivateKey message;
  message.set_type(wire::Ed25519);
  message.set_data(secret_.data(), secret_.size());
  Bytes out(message.ByteSizeLong());
  message.SerializeToArray(out.data(), static_cast<int>(out.size()));
  // The protobuf's copy of the secret lives in a std::string the library owns.
  auto* data = message.mutable_data();
  sodium_memzero(data->data(), data->size());
  return out;
}

Signature Keypair::sign(ByteView message) const noexcept {
  Signature signature;
  crypto_sign_detached(signature.data(), nullptr, message.data(), message.size(), secret_.data());
  return signature;
}

}  // namespace weft
