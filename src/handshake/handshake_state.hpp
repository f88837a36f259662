#pragma once
// Internal to the handshake machine: its state, shared by handshake_machine.cpp (framing,
// the put() loop, results), handshake_initiator.cpp and handshake_responder.cpp (one
// function per phase each side handles). Not part of any interface.

#include "handshake/handshake_framing.hpp"
#include "handshake/handshake_machine.hpp"
#include "handshake/handshake_messages.hpp"
#include "handshake/transcript.hpp"
#include "util/wipe_on_exit.hpp"

#include <optional>

namespace weft::handshake {

/// What the machine waits for next.
enum class Phase { await_hello, await_hello_ack, await_auth, await_finished, done };

/// HandshakeMachine::State is this (the machine's pimpl derives from it, so the phase
/// handlers below need no access to the machine's private parts).
struct HandshakeState {
  HandshakeState(Role role_in, const Keypair& identity_in, const HandshakeConfig& config_in, RandomSource random_in)
      : role(role_in), identity(identity_in), config(config_in), random(std::move(random_in)) {}

  Role role;
  Keypair identity;
  HandshakeConfig config;
  RandomSource random;
  ReplayCache* replay_cache = nullptr;   ///< responder only
  std::optional<PeerId> expected_peer;   ///< initiator only
  Bytes our_early_data;                  ///< initiator only: the serialized EarlyData it sends

  Phase phase = Phase::done;
  FrameReader reader{0};
  Bytes output;

  // Secrets: wiped by wipe() as soon as the handshake ends (SecretKey wipes on overwrite).
  util::SecretKey ephemeral_secret;
  std::optional<util::SecretKey> dh;
  HandshakeKeys keys;
  util::SecretKey expected_mac;  ///< initiator: the Finished MAC it expects

  X25519Key ephemeral_public{};
  util::Hash transcript{};  ///< the latest T_n
  std::uint32_t version = 0;
  std::optional<PublicKey> peer_key;  ///< initiator: the authenticated responder's key
  std::optional<Result<Established>> result;

  /// Ends the handshake with `error` (output already queued, e.g. a Reject, stays).
  Error fail(Error error);
  /// Ends the handshake with a session.
  void succeed(Established established);
  void wipe();
  /// Fills `secret` and `nonce` from the RandomSource and derives the public key.
  void generate_ephemeral(Nonce& nonce);
};

/// Milliseconds since the Unix epoch (0 for earlier times).
std::uint64_t unix_ms(WallTime now);
/// handshake_clock_skew with the measured skew when |peer − now| > window.
Result<void> check_clock(std::uint64_t peer_ms, WallTime now, std::uint64_t window_ms);

// Per-phase handlers. Each validates one whole frame in the order docs/handshake.md gives,
// queues the reply and advances `phase`; an error leaves the state for fail().
void start_initiator(HandshakeState& s, WallTime now, const EarlyData& early_data);
Result<void> initiator_on_hello_ack(HandshakeState& s, WallTime now);
Result<void> initiator_on_finished(HandshakeState& s);
Result<void> responder_on_hello(HandshakeState& s, WallTime now);
Result<void> responder_on_auth(HandshakeState& s);

}  // namespace weft::handshake
