#include "handshake/transcript.hpp"

#include "util/sodium.hpp"

#include <sodium.h>

namespace weft::handshake {

util::Hash transcript_start(ByteView hello_frame) {
  return util::blake2b({as_bytes(kTranscriptLabel), hello_frame});
}

util::Hash transcript_next(const util::Hash& previous, ByteView part) { return util::blake2b({previous, part}); }

X25519Key x25519_public(const util::SecretKey& secret) {
  util::ensure_sodium();
  X25519Key out{};
  crypto_scalarmult_base(out.data(), secret.bytes().data());
  return out;
}

std::optional<util::SecretKey> x25519_shared(const util::SecretKey& secret, const X25519Key& peer) {
  util::ensure_sodium();
  util::SecretKey shared;
  if (crypto_scalarmult(shared.bytes().data(), secret.bytes().data(), peer.data()) != 0) return std::nullopt;
  return shared;
}

util::SecretKey kdf(const util::SecretKey& dh, std::string_view label, ByteView context) {
  return util::blake2b_keyed(dh, {as_bytes(label), context});
}

HandshakeKeys derive_handshake_keys(const util::SecretKey& dh, const util::Hash& t2) {
  return {kdf(dh, "weft/hs/r2i", t2), kdf(dh, "weft/hs/i2r", t2), kdf(dh, "weft/hs/finished", t2)};
}

util::SecretKey finished_mac(const util::SecretKey& finished_key, const util::Hash& t4) {
  return util::blake2b_keyed(finished_key, {t4});
}

channel::SessionKeys derive_session_keys(const util::SecretKey& dh, const util::Hash& t5, bool initiator) {
  util::SecretKey i2r = kdf(dh, "weft/session/i2r", t5);
  util::SecretKey r2i = kdf(dh, "weft/session/r2i", t5);
  if (initiator) return {i2r, r2i};
  return {r2i, i2r};
}

Bytes responder_signed_bytes(const util::Hash& t2) {
  Bytes out(kResponderSignLabel.begin(), kResponderSignLabel.end());
  out.insert(out.end(), t2.begin(), t2.end());
  return out;
}

Bytes initiator_signed_bytes(const util::Hash& t3, ByteView early_data) {
  const util::Hash early_hash = util::blake2b({early_data});
  Bytes out(kInitiatorSignLabel.begin(), kInitiatorSignLabel.end());
  out.insert(out.end(), t3.begin(), t3.end());
  out.insert(out.end(), early_hash.begin(), early_hash.end());
  return out;
}

}  // namespace weft::handshake
