// The initiator's side of the handshake: Hello out, HelloAck in, Auth out, Finished in.
#include "handshake/handshake_state.hpp"

#include <sodium.h>

#include <algorithm>
#include <string>

namespace weft::handshake {
namespace {

using State = HandshakeState;

bool offered(const std::vector<std::uint32_t>& ours, std::uint32_t version) {
  return std::find(ours.begin(), ours.end(), version) != ours.end();
}

Error rejected(const State& s, const RejectMessage& reject, WallTime now) {
  if (reject.reason == RejectReason::version_mismatch) {
    return Error(Errc::handshake_version_mismatch, "responder speaks " + format_versions(reject.versions) +
                                                       ", we offered " + format_versions(s.config.versions));
  }
  auto measured = check_clock(reject.timestamp_ms, now, s.config.max_clock_skew_ms);
  if (!measured) return measured.error().with_context("responder rejected our clock");
  return Error(Errc::handshake_clock_skew, "responder rejected our clock; we measure a skew within ±" +
                                               std::to_string(s.config.max_clock_skew_ms) + " ms");
}

}  // namespace

void start_initiator(State& s, WallTime now, const EarlyData& early_data) {
  if (s.config.versions.empty() || s.config.versions.size() > kMaxVersions) {
    s.fail(Error(Errc::handshake_malformed, "config: " + std::to_string(s.config.versions.size()) +
                                                " versions, want 1.." + std::to_string(kMaxVersions)));
    return;
  }
  s.our_early_data = serialize_early_data(early_data);
  if (s.our_early_data.size() > s.config.max_early_data_bytes) {
    s.fail(Error(Errc::handshake_too_large, "our early data is " + std::to_string(s.our_early_data.size()) +
                                                " bytes, max " + std::to_string(s.config.max_early_data_bytes)));
    return;
  }
  HelloMessage hello;
  hello.versions = s.config.versions;
  s.generate_ephemeral(hello.nonce);
  hello.ephemeral_key = s.ephemeral_public;
  hello.timestamp_ms = unix_ms(now);
  s.output = frame_message(serialize_hello(hello));
  s.transcript = transcript_start(s.output);
  s.phase = Phase::await_hello_ack;
  s.reader.reset(kHelloAckCapBytes);
}

Result<void> initiator_on_hello_ack(State& s, WallTime now) {
  BOOST_OUTCOME_TRY(ack, parse_hello_ack(s.reader.body()));
  if (ack.reject) return rejected(s, *ack.reject, now);
  const AcceptMessage& accept = ack.accept;
  if (!offered(s.config.versions, accept.version)) {
    return Error(Errc::handshake_version_mismatch, "responder chose version " + std::to_string(accept.version) +
                                                       ", we offered " + format_versions(s.config.versions));
  }
  BOOST_OUTCOME_TRYV(check_clock(accept.timestamp_ms, now, s.config.max_clock_skew_ms));
  s.dh = x25519_shared(s.ephemeral_secret, accept.ephemeral_key);
  s.ephemeral_secret = {};
  if (!s.dh) return Error(Errc::handshake_bad_key, "responder's ephemeral key has low order");

  const util::Hash t2 = transcript_next(s.transcript, ack.accept_bytes);
  s.keys = derive_handshake_keys(*s.dh, t2);
  auto plaintext = util::aead_open(s.keys.responder, 0, t2, ack.sealed_identity);
  if (!plaintext) return Error(Errc::handshake_decrypt_failed, "HelloAck sealed_identity");
  BOOST_OUTCOME_TRY(proof, parse_identity_proof(*plaintext));
  auto key = PublicKey::from_protobuf(proof.public_key);
  if (!key) return Error(Errc::handshake_bad_key, "responder identity: " + key.error().message());
  if (key.value() == s.identity.public_key()) return Error(Errc::handshake_self_dial, "responder has our key");
  PeerId peer = PeerId::from_public_key(key.value());
  if (s.expected_peer && *s.expected_peer != peer) {
    return Error(Errc::handshake_peer_id_mismatch,
                 "expected " + s.expected_peer->to_string() + ", got " + peer.to_string());
  }
  if (!key.value().verify(responder_signed_bytes(t2), proof.signature)) {
    return Error(Errc::handshake_bad_signature, "responder's transcript signature");
  }
  s.version = accept.version;

  // Phase 3: our identity and early data, sealed under k_i.
  const util::Hash t3 = transcript_next(t2, s.reader.frame());
  IdentityProofMessage our_proof{s.identity.public_key().to_protobuf(),
                                 s.identity.sign(initiator_signed_bytes(t3, s.our_early_data))};
  Bytes sealed;
  util::aead_seal(s.keys.initiator, 0, t3, serialize_auth_payload({std::move(our_proof), s.our_early_data}), sealed);
  Bytes frame = frame_message(serialize_auth(sealed));
  s.transcript = transcript_next(t3, frame);  // T4
  s.expected_mac = finished_mac(s.keys.finished, s.transcript);
  s.keys.initiator = {};
  s.keys.finished = {};
  s.output.insert(s.output.end(), frame.begin(), frame.end());
  s.expected_peer = std::move(peer);  // from here on, the authenticated responder
  s.peer_key = key.value();
  s.phase = Phase::await_finished;
  s.reader.reset(kFinishedCapBytes);
  return success();
}

Result<void> initiator_on_finished(State& s) {
  BOOST_OUTCOME_TRY(sealed, parse_finished(s.reader.body()));
  auto mac = util::aead_open(s.keys.responder, 1, s.transcript, sealed);
  if (!mac) return Error(Errc::handshake_decrypt_failed, "Finished does not open");
  util::WipeOnExit wipe_mac{*mac};
  if (mac->size() != util::kHashBytes ||
      sodium_memcmp(mac->data(), s.expected_mac.bytes().data(), util::kHashBytes) != 0) {
    return Error(Errc::handshake_decrypt_failed, "Finished MAC does not match");
  }
  const util::Hash t5 = transcript_next(s.transcript, s.reader.frame());
  s.succeed(Established{*s.expected_peer, *s.peer_key, s.version, {}, derive_session_keys(*s.dh, t5, true)});
  return success();
}

}  // namespace weft::handshake
