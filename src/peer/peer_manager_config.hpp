#pragma once
// Settings of the peer manager's sans-IO parts (PeerManager, InboundGate) and the time
// type they take. Every limit has a default, a unit in its name and a counter in the
// owner's statistics. docs/peer_manager.md explains each rule.

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace weft::peer {

/// A monotonic instant passed in by the caller; the core never reads a clock.
using TimePoint = std::chrono::steady_clock::time_point;
using std::chrono::milliseconds;

/// What a peer did wrong. Each kind has its own penalty in PeerManagerConfig.
enum class MisbehaviourKind : std::uint8_t {
  protocol_violation,       ///< a frame or message its protocol forbids (mux, gossip, ...)
  bad_handshake_signature,  ///< a handshake whose signature does not verify
  flood,                    ///< more messages, streams or requests than the limits allow
  invalid_message,          ///< a message that does not parse or fails validation
  invalid_peer_exchange,    ///< a peer exchange response over the limits or malformed
};
inline constexpr std::size_t kMisbehaviourKindCount = 5;

/// "protocol_violation", ... (the enumerator's name).
std::string_view to_string(MisbehaviourKind kind) noexcept;

struct PeerManagerConfig {
  // --- connection targets ---
  /// Below this many connections, known peers are dialed (go-libp2p's connmgr: 160 low,
  /// 192 high; scaled down for small nodes).
  std::size_t low_watermark = 32;
  /// Above this many, connections are trimmed back down to low_watermark.
  std::size_t high_watermark = 64;
  /// A connection younger than this is never trimmed (go-libp2p's connmgr: 20 s).
  milliseconds grace_period_ms{20'000};
  /// Connections trimmed per tick while trimming (the rest wait for the next ticks, so a
  /// burst above high_watermark is shed gradually and each close is seen before the next).
  std::size_t max_trims_per_tick = 1;

  // --- dialing ---
  /// Dials in flight at once (started by the manager, not yet reported).
  std::size_t max_concurrent_dials = 8;
  /// A dial not reported within this long counts as failed and frees its slot.
  milliseconds dial_timeout_ms{30'000};
  /// Per-peer redial delay after n consecutive failures: a jittered value in
  /// [dial_backoff_min_ms, min(dial_backoff_max_ms, dial_backoff_initial_ms * multiplier^(n-1))]
  /// (full jitter, conn::Backoff). A successful dial resets it.
  milliseconds dial_backoff_initial_ms{1'000};
  double dial_backoff_multiplier = 2.0;
  milliseconds dial_backoff_max_ms{300'000};
  milliseconds dial_backoff_min_ms{100};

  // --- misbehaviour and bans ---
  /// Penalty points per report, indexed by MisbehaviourKind.
  std::array<double, kMisbehaviourKindCount> penalties{
      20.0,   // protocol_violation
      100.0,  // bad_handshake_signature: banned at once with the default threshold
      25.0,   // flood
      10.0,   // invalid_message
      20.0,   // invalid_peer_exchange
  };
  /// A peer whose points reach this is banned.
  double ban_threshold = 100.0;
  /// Points halve every this long; 0 keeps them until the ban.
  milliseconds penalty_half_life_ms{600'000};
  /// How long a ban lasts.
  milliseconds ban_duration_ms{3'600'000};
  /// Bans held at once (ABUSE.md row 30); past it the ban ending soonest is dropped.
  std::size_t max_banned_peers = 4096;
  /// Peers whose points, dial backoff and protection are remembered. Past it the state of
  /// an unconnected, unprotected peer seen least recently is forgotten.
  std::size_t max_tracked_peers = 4096;

  /// How often the caller should call tick() (documented cadence; the manager does not
  /// enforce it, its rules are stated per tick).
  milliseconds tick_interval_ms{1'000};

  double penalty(MisbehaviourKind kind) const noexcept { return penalties[static_cast<std::size_t>(kind)]; }
};

struct InboundGateConfig {
  /// Connections (pending + established) from one IPv4 address.
  std::size_t max_connections_per_ipv4 = 8;
  /// Connections (pending + established) from one IPv6 /56 (a site, often many hosts).
  std::size_t max_connections_per_ipv6_56 = 32;
  /// Inbound handshakes in progress at once (as HandshakeSettings' default).
  std::size_t max_pending_handshakes = 256;
  /// Inbound handshakes in progress from one key (as HandshakeSettings' default).
  std::size_t max_pending_handshakes_per_ip = 16;
  /// Accept token bucket: refill rate (tokens per second) and capacity. rate 0: no refill
  /// (at most accept_burst accepts ever; for tests); burst 0 refuses everything.
  double accept_rate_per_s = 50.0;
  std::size_t accept_burst = 100;
  /// Banned addresses remembered at once.
  std::size_t max_banned_ips = 4096;
};

}  // namespace weft::peer
