#pragma once
// The handshake's transcript hash and key schedule (docs/handshake.md, "The four
// messages"): T1..T5, the X25519 agreement, the handshake keys, the Finished MAC, the
// session keys and the exact bytes each side signs. Pure functions of their inputs.

#include <weft/bytes.hpp>

#include "channel/session_keys.hpp"
#include "handshake/handshake_messages.hpp"
#include "util/crypto.hpp"

#include <optional>

namespace weft::handshake {

inline constexpr std::string_view kTranscriptLabel = "weft/handshake/1";
inline constexpr std::string_view kResponderSignLabel = "weft/handshake/1 responder";
inline constexpr std::string_view kInitiatorSignLabel = "weft/handshake/1 initiator";

/// T1 = H("weft/handshake/1" || frame_1).
util::Hash transcript_start(ByteView hello_frame);
/// T(n+1) = H(Tn || part).
util::Hash transcript_next(const util::Hash& previous, ByteView part);

/// The X25519 public key of `secret`.
X25519Key x25519_public(const util::SecretKey& secret);
/// X25519(secret, peer); nullopt when libsodium refuses (a low-order peer key: all-zero result).
std::optional<util::SecretKey> x25519_shared(const util::SecretKey& secret, const X25519Key& peer);

/// KDF(label, context) = BLAKE2b-256 keyed with `dh` over label || context.
util::SecretKey kdf(const util::SecretKey& dh, std::string_view label, ByteView context);

/// The phase-2..4 keys, all derived from dh and T2.
struct HandshakeKeys {
  util::SecretKey responder;  ///< k_r: HelloAck's sealed_identity (counter 0), Finished (counter 1)
  util::SecretKey initiator;  ///< k_i: Auth (counter 0)
  util::SecretKey finished;   ///< keys the Finished MAC
};
HandshakeKeys derive_handshake_keys(const util::SecretKey& dh, const util::Hash& t2);

/// MAC = BLAKE2b-256 keyed with the finished key over T4.
util::SecretKey finished_mac(const util::SecretKey& finished_key, const util::Hash& t4);

/// Session keys from dh and T5, as the given side sees them (send/recv).
channel::SessionKeys derive_session_keys(const util::SecretKey& dh, const util::Hash& t5, bool initiator);

/// "weft/handshake/1 responder" || T2.
Bytes responder_signed_bytes(const util::Hash& t2);
/// "weft/handshake/1 initiator" || T3 || H(early_data).
Bytes initiator_signed_bytes(const util::Hash& t3, ByteView early_data);

}  // namespace weft::handshake
