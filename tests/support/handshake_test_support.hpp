#pragma once
// Shared by the handshake tests: deterministic keys and randomness, a fake clock, a pair of
// machines pumped against each other in memory (with a hook to tamper with or split each
// message in flight), and hand-built peers that know the key schedule, for the attacks an
// honest machine would never make.

#include <weft/keys.hpp>

#include "handshake/handshake_framing.hpp"
#include "handshake/handshake_machine.hpp"
#include "handshake/handshake_messages.hpp"
#include "handshake/transcript.hpp"
#include "seeded_random.hpp"

#include <algorithm>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

namespace weft::test {

using namespace weft::handshake;

/// The fake clock's epoch for every test: 2023-11-14T22:13:20Z.
inline const WallTime kT0{std::chrono::milliseconds(1'700'000'000'000)};

inline WallTime at(std::int64_t offset_ms) { return kT0 + std::chrono::milliseconds(offset_ms); }


inline Keypair keypair(std::uint8_t seed) { return Keypair::from_seed(Bytes(32, seed)).value(); }

inline Bytes concat(Bytes a, ByteView b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

/// An initiator and a responder wired back to back. Configure the public fields, then
/// start() and pump().
struct HandshakePair {
  Keypair initiator_key = keypair(1);
  Keypair responder_key = keypair(2);
  HandshakeConfig initiator_config;
  HandshakeConfig responder_config;
  std::optional<PeerId> expected_peer;
  EarlyData early_data;
  WallTime initiator_now = kT0;
  WallTime responder_now = kT0;
  std::uint8_t initiator_seed = 11;
  std::uint8_t responder_seed = 22;
  std::shared_ptr<ReplayCache> cache = std::make_shared<ReplayCache>();

  std::optional<HandshakeMachine> initiator;
  std::optional<HandshakeMachine> responder;
  std::vector<Bytes> frames;  ///< every message as sent, before any tampering (index 0 = Hello)

  /// Called with (message index, bytes) before delivery; may change the bytes.
  std::function<void(std::size_t, Bytes&)> tamper;
  /// Delivers a message; the default is one put(). May split it.
  std::function<void(std::size_t, ByteView, HandshakeMachine&, WallTime)> deliver;

  void start() {
    initiator.emplace(HandshakeMachine::initiator(initiator_key, initiator_config, seeded_random(initiator_seed),
                                                  initiator_now, expected_peer, early_data));
    responder.emplace(
        HandshakeMachine::responder(responder_key, responder_config, seeded_random(responder_seed), *cache));
  }

  /// Moves bytes both ways until neither side has anything to send.
  void pump() {
    for (bool moved = true; moved;) {
      const bool forward = send(*initiator, *responder, responder_now);
      const bool back = send(*responder, *initiator, initiator_now);
      moved = forward || back;
    }
  }

  void run() {
    start();
    pump();
  }

  bool both_succeeded() const { return succeeded(*initiator) && succeeded(*responder); }

  static bool succeeded(const HandshakeMachine& m) { return m.finished() && m.result()->has_value(); }
  static const Established& session(const HandshakeMachine& m) { return m.result()->value(); }
  static const Error& failure(const HandshakeMachine& m) { return m.result()->error(); }
  static bool failed_with(const HandshakeMachine& m, Errc code) {
    return m.finished() && !m.result()->has_value() && m.result()->error() == code;
  }

 private:
  bool send(HandshakeMachine& from, HandshakeMachine& to, WallTime to_now) {
    Bytes out = from.take_output();
    if (out.empty()) return false;
    const std::size_t index = frames.size();
    frames.push_back(out);
    if (tamper) tamper(index, out);
    if (deliver) {
      deliver(index, out, to, to_now);
    } else {
      (void)to.put(out, to_now);
    }
    return true;
  }
};

/// A hand-built peer that knows the key schedule: builds any Hello / HelloAck / Auth /
/// Finished, properly sealed or not, so tests can reach each check of the machine.
struct ManualPeer {
  util::SecretKey ephemeral;
  X25519Key ephemeral_public{};
  std::optional<util::SecretKey> dh;
  HandshakeKeys keys;
  util::Hash t1{}, t2{}, t3{}, t4{};

  explicit ManualPeer(std::uint8_t seed) {
    ephemeral.bytes().fill(seed);
    ephemeral_public = x25519_public(ephemeral);
  }

  /// A Hello frame (our ephemeral key unless `key` is given).
  Bytes hello(WallTime now, std::vector<std::uint32_t> versions = {1}, std::optional<X25519Key> key = {},
              std::uint8_t nonce_byte = 0x42) {
    HelloMessage h;
    h.versions = std::move(versions);
    h.ephemeral_key = key.value_or(ephemeral_public);
    h.nonce.fill(nonce_byte);
    h.timestamp_ms = static_cast<std::uint64_t>(now.time_since_epoch().count());
    Bytes frame = frame_message(serialize_hello(h));
    t1 = transcript_start(frame);
    return frame;
  }

  /// As initiator: reads the responder's HelloAck frame and derives the keys.
  void on_hello_ack(const Bytes& frame) {
    auto ack = parse_hello_ack(frame_body(frame)).value();
    dh = x25519_shared(ephemeral, ack.accept.ephemeral_key);
    t2 = transcript_next(t1, ack.accept_bytes);
    keys = derive_handshake_keys(*dh, t2);
    t3 = transcript_next(t2, frame);
  }

  /// As initiator: an Auth frame carrying `key_bytes` and `signature`.
  Bytes auth(ByteView key_bytes, const Signature& signature, ByteView early_data) {
    Bytes sealed;
    util::aead_seal(keys.initiator, 0, t3,
                    serialize_auth_payload({{Bytes(key_bytes.begin(), key_bytes.end()), signature},
                                            Bytes(early_data.begin(), early_data.end())}),
                    sealed);
    Bytes frame = frame_message(serialize_auth(sealed));
    t4 = transcript_next(t3, frame);
    return frame;
  }

  /// As initiator: an honest Auth by `identity`.
  Bytes auth_by(const Keypair& identity, ByteView early_data) {
    return auth(identity.public_key().to_protobuf(), identity.sign(initiator_signed_bytes(t3, early_data)),
                early_data);
  }

  /// As responder to `hello_frame`: a HelloAck accepting with `accept` (our ephemeral key
  /// unless accept.ephemeral_key is nonzero), proving `key_bytes` with `signature`; when
  /// `signer` is given the signature is its honest one over T2.
  Bytes hello_ack(const Bytes& hello_frame, AcceptMessage accept, ByteView key_bytes,
                  const Keypair* signer, Signature signature = {}) {
    auto hello = parse_hello(frame_body(hello_frame)).value();
    if (accept.ephemeral_key == X25519Key{}) accept.ephemeral_key = ephemeral_public;
    t1 = transcript_start(hello_frame);
    const Bytes accept_bytes = serialize_accept(accept);
    t2 = transcript_next(t1, accept_bytes);
    dh = x25519_shared(ephemeral, hello.ephemeral_key);
    keys = derive_handshake_keys(*dh, t2);
    if (signer != nullptr) signature = signer->sign(responder_signed_bytes(t2));
    Bytes sealed;
    util::aead_seal(keys.responder, 0, t2,
                    serialize_identity_proof({Bytes(key_bytes.begin(), key_bytes.end()), signature}), sealed);
    Bytes frame = frame_message(serialize_hello_ack_accept(accept_bytes, sealed));
    t3 = transcript_next(t2, frame);
    return frame;
  }

  /// The body of a frame (the bytes after its prefix).
  static ByteView frame_body(const Bytes& frame) {
    std::size_t prefix = 1;
    while (frame[prefix - 1] & 0x80) ++prefix;
    return ByteView(frame).subspan(prefix);
  }
};

/// An Ed25519 PublicKey protobuf whose key is the identity point (small order: invalid).
inline Bytes invalid_identity_key() {
  Bytes key{0x08, 0x01, 0x12, 0x20, 0x01};
  key.resize(36, 0x00);
  return key;
}

/// X25519 public keys of small order: every agreement with them is all zeros.
inline std::vector<X25519Key> low_order_keys() {
  X25519Key zero{};
  X25519Key one{};
  one[0] = 1;
  // A point of order 8 (from libsodium's blacklist).
  const X25519Key order8{0xe0, 0xeb, 0x7a, 0x7c, 0x3b, 0x41, 0xb8, 0xae, 0x16, 0x56, 0xe3,
                         0xfa, 0xf1, 0x9f, 0xc4, 0x6a, 0xda, 0x09, 0x8d, 0xeb, 0x9c, 0x32,
                         0xb1, 0xfd, 0x86, 0x62, 0x05, 0x16, 0x5f, 0x49, 0xb8, 0x00};
  return {zero, one, order8};
}

}  // namespace weft::test
