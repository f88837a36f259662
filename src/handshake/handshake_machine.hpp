#pragma once
// The four-phase handshake as a sans-IO state machine (docs/handshake.md).
//
// The driver feeds the peer's bytes with put(), sends whatever take_output() returns, and
// stops when finished(): result() then holds the established session or the reason it
// failed. The machine never reads a clock (every call takes `now`), never draws randomness
// except through the injected RandomSource, and never does I/O. The overall deadline is
// the driver's job (handshake_timeout).
//
// Cheap checks come first: size, magic, version, timestamp window and the nonce replay
// cache are all checked before any Diffie-Hellman or signature work.

#include <weft/bytes.hpp>
#include <weft/error.hpp>
#include <weft/keys.hpp>
#include <weft/peer_id.hpp>

#include "channel/session_keys.hpp"
#include "handshake/handshake_config.hpp"
#include "handshake/replay_cache.hpp"

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace weft::handshake {

/// Wall-clock time as the handshake sees it (Unix epoch), passed in by the caller.
using WallTime = std::chrono::time_point<std::chrono::system_clock, std::chrono::milliseconds>;

/// Fills the span with cryptographically secure random bytes (libsodium's randombytes_buf
/// in production; a seeded generator in tests).
using RandomSource = std::function<void(std::span<std::uint8_t>)>;

/// What a peer told us in its early data (phase 3 for the initiator; weft's responder
/// sends none today).
struct EarlyData {
  std::vector<Bytes> listen_addrs;     ///< binary multiaddrs, as received (not validated here)
  std::vector<std::string> protocols;  ///< protocol ids, e.g. "/weft/ping/1"
  friend bool operator==(const EarlyData&, const EarlyData&) = default;
};

/// A completed handshake.
struct Established {
  PeerId peer;
  PublicKey peer_key;
  std::uint32_t version = 0;
  EarlyData peer_early_data;  ///< empty on the initiator side
  channel::SessionKeys keys;  ///< send/receive keys for this side
};

enum class Role { initiator, responder };

class HandshakeMachine {
 public:
  /// An initiator. Its Hello is ready in take_output() at once. With `expected_peer`, a
  /// responder with any other identity fails with handshake_peer_id_mismatch.
  static HandshakeMachine initiator(const Keypair& identity, const HandshakeConfig& config, RandomSource random,
                                    WallTime now, std::optional<PeerId> expected_peer = std::nullopt,
                                    EarlyData our_early_data = {});

  /// A responder. `replay_cache` is shared by every responder of one listener and must
  /// outlive the machine.
  static HandshakeMachine responder(const Keypair& identity, const HandshakeConfig& config, RandomSource random,
                                    ReplayCache& replay_cache);

  HandshakeMachine(HandshakeMachine&&) noexcept;
  HandshakeMachine& operator=(HandshakeMachine&&) noexcept;
  ~HandshakeMachine();  ///< wipes every secret it still holds

  /// Feeds bytes received from the peer. Returns how many were consumed: after the last
  /// phase, bytes that follow belong to the secure channel and are not consumed. A
  /// returned error is also stored in result(); the machine is then finished and any
  /// output it left (a Reject the peer can act on) should still be sent before closing.
  /// Calling put() on a finished machine consumes nothing and returns 0.
  Result<std::size_t> put(ByteView in, WallTime now);

  /// Bytes to send to the peer, in order; empty when there is nothing new.
  Bytes take_output();

  Role role() const noexcept;
  bool finished() const noexcept;

  /// Set once finished(): the session, or why the handshake failed.
  const std::optional<Result<Established>>& result() const noexcept;

 private:
  struct State;
  explicit HandshakeMachine(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace weft::handshake
