// The responder's side of the handshake: Hello in, HelloAck out, Auth in, Finished out.
#include "handshake/handshake_state.hpp"

#include <algorithm>
#include <limits>
#include <string>

namespace weft::handshake {
namespace {

using State = HandshakeState;

/// The highest version both speak, if any.
std::optional<std::uint32_t> highest_common(const std::vector<std::uint32_t>& ours,
                                            const std::vector<std::uint32_t>& theirs) {
  std::optional<std::uint32_t> best;
  for (auto v : theirs) {
    if (std::find(ours.begin(), ours.end(), v) != ours.end() && (!best || v > *best)) best = v;
  }
  return best;
}

void queue_reject(State& s, RejectReason reason, WallTime now) {
  const Bytes frame = frame_message(serialize_hello_ack_reject({reason, s.config.versions, unix_ms(now)}));
  s.output.insert(s.output.end(), frame.begin(), frame.end());
}

}  // namespace

Result<void> responder_on_hello(State& s, WallTime now) {
  // Cheap checks first: nothing below the replay cache costs more than a hash lookup.
  BOOST_OUTCOME_TRY(hello, parse_hello(s.reader.body()));
  const auto version = highest_common(s.config.versions, hello.versions);
  if (!version) {
    queue_reject(s, RejectReason::version_mismatch, now);
    return Error(Errc::handshake_version_mismatch, "initiator speaks " + format_versions(hello.versions) +
                                                       ", we speak " + format_versions(s.config.versions));
  }
  if (auto clock = check_clock(hello.timestamp_ms, now, s.config.max_clock_skew_ms); !clock) {
    queue_reject(s, RejectReason::clock_skew, now);
    return clock.error();
  }
  const std::uint64_t window = s.config.max_clock_skew_ms;
  const std::uint64_t expires_at = hello.timestamp_ms > std::numeric_limits<std::uint64_t>::max() - window
                                       ? std::numeric_limits<std::uint64_t>::max()
                                       : hello.timestamp_ms + window;
  if (!s.replay_cache->insert(hello.nonce, expires_at, unix_ms(now))) {
    return Error(Errc::handshake_replayed_nonce, "Hello nonce seen inside the window");
  }

  AcceptMessage accept;
  accept.version = *version;
  s.generate_ephemeral(accept.nonce);
  accept.ephemeral_key = s.ephemeral_public;
  accept.timestamp_ms = unix_ms(now);
  s.dh = x25519_shared(s.ephemeral_secret, hello.ephemeral_key);
  s.ephemeral_secret = {};
  if (!s.dh) return Error(Errc::handshake_bad_key, "initiator's ephemeral key has low order");

  const util::Hash t1 = transcript_start(s.reader.frame());
  const Bytes accept_bytes = serialize_accept(accept);
  const util::Hash t2 = transcript_next(t1, accept_bytes);
  s.keys = derive_handshake_keys(*s.dh, t2);
  const IdentityProofMessage proof{s.identity.public_key().to_protobuf(),
                                   s.identity.sign(responder_signed_bytes(t2))};
  Bytes sealed;
  util::aead_seal(s.keys.responder, 0, t2, serialize_identity_proof(proof), sealed);
  const Bytes frame = frame_message(serialize_hello_ack_accept(accept_bytes, sealed));
  s.transcript = transcript_next(t2, frame);  // T3
  s.output.insert(s.output.end(), frame.begin(), frame.end());
  s.version = *version;
  s.phase = Phase::await_auth;
  s.reader.reset(s.config.max_early_data_bytes + kAuthOverheadBytes);
  return success();
}

Result<void> responder_on_auth(State& s) {
  BOOST_OUTCOME_TRY(sealed, parse_auth(s.reader.body()));
  auto plaintext = util::aead_open(s.keys.initiator, 0, s.transcript, sealed);
  if (!plaintext) return Error(Errc::handshake_decrypt_failed, "Auth does not open");
  BOOST_OUTCOME_TRY(payload, parse_auth_payload(*plaintext, s.config.max_early_data_bytes));
  auto key = PublicKey::from_protobuf(payload.proof.public_key);
  if (!key) return Error(Errc::handshake_bad_key, "initiator identity: " + key.error().message());
  if (key.value() == s.identity.public_key()) return Error(Errc::handshake_self_dial, "initiator has our key");
  if (!key.value().verify(initiator_signed_bytes(s.transcript, payload.early_data), payload.proof.signature)) {
    return Error(Errc::handshake_bad_signature, "initiator's transcript signature");
  }
  BOOST_OUTCOME_TRY(early_data, parse_early_data(payload.early_data));

  // Phase 4: key confirmation under k_r, counter 1.
  const util::Hash t4 = transcript_next(s.transcript, s.reader.frame());
  Bytes sealed_mac;
  util::aead_seal(s.keys.responder, 1, t4, finished_mac(s.keys.finished, t4).bytes(), sealed_mac);
  const Bytes frame = frame_message(serialize_finished(sealed_mac));
  s.output.insert(s.output.end(), frame.begin(), frame.end());
  const util::Hash t5 = transcript_next(t4, frame);
  s.succeed(Established{PeerId::from_public_key(key.value()), key.value(), s.version, std::move(early_data),
                        derive_session_keys(*s.dh, t5, false)});
  return success();
}

}  // namespace weft::handshake
