#include <weft/keys.hpp>

#include "keys.pb.h"
#include "util/sodium.hpp"

#include <sodium.h>

#include <cstring>

namespace weft {
namespace {

using PublicKeyBytes = std::array<std::uint8_t, kEd25519PublicKeyBytes>;

// Parses a libp2p key envelope ({Type, Data}) and checks it is an Ed25519 key.
template <class Message>
Result<std::string> ed25519_data(ByteView encoded) {
  Message message;
  if (encoded.size() > static_cast<std::size_t>(INT32_MAX) ||
      !message.ParseFromArray(encoded.data(), static_cast<int>(encoded.size()))) {
    return Error(Errc::key_malformed, "not a libp2p key protobuf");
  }
  if (message.type() != wire::Ed25519) {
    return Error(Errc::key_unsupported_type, "key type " + std::to_string(static_cast<int>(message.type())) +
                                                 " (" + wire::KeyType_Name(message.type()) + "), only Ed25519 is supported");
  }
  return message.data();
}

}  // namespace

Result<PublicKey> PublicKey::from_raw(ByteView raw) {
  util::ensure_sodium();
  if (raw.size() != kEd25519PublicKeyBytes) {
    return Error(Errc::key_bad_length, "Ed25519 public key of " + std::to_string(raw.size()) + " bytes, need 32");
  }
  if (crypto_core_ed25519_is_valid_point(raw.data()) != 1) {
    return Error(Errc::key_invalid, "not a canonical Ed25519 point of prime order");
  }
  PublicKeyBytes key;
  std::memcpy(key.data(), raw.data(), key.size());
  return PublicKey(key);
}

Result<PublicKey> PublicKey::from_protobuf(ByteView encoded) {
  BOOST_OUTCOME_TRY(data, ed25519_data<wire::PublicKey>(encoded));
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
  BOOST_OUTCOME_TRY(public_key, PublicKey::from_raw(public_bytes));
  Keypair key(secret, public_key);
  sodium_memzero(secret.data(), secret.size());
  return key;
}

Result<Keypair> Keypair::from_protobuf(ByteView encoded) {
  BOOST_OUTCOME_TRY(data, ed25519_data<wire::PrivateKey>(encoded));
  // go-libp2p and rust-libp2p write seed || public (64 bytes).
  if (data.size() != 64) {
    sodium_memzero(data.data(), data.size());
    return Error(Errc::key_bad_length,
                 "Ed25519 private key data of " + std::to_string(data.size()) + " bytes, need 64 (seed || public key)");
  }
  const ByteView bytes = as_bytes(data);
  auto key = from_seed(bytes.first(kEd25519SeedBytes));
  const ByteView stored_public = bytes.subspan(kEd25519SeedBytes);
  const bool matches = key && sodium_memcmp(key.value().public_key().raw().data(), stored_public.data(),
                                            kEd25519PublicKeyBytes) == 0;
  sodium_memzero(data.data(), data.size());
  if (!key) return key;
  if (!matches) return Error(Errc::key_mismatch, "stored public key differs from the one the seed derives");
  return key;
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
