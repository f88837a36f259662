#pragma once
// Whether to accept an inbound TCP connection, decided before the handshake spends any
// work on it (sans-IO: the caller passes `now` and reports what happened). ABUSE.md rows
// 16, 26 and 29: floods from one address or one IPv6 site, half-open handshake floods and
// accept storms are refused cheaply, each refusal counted by reason.
//
// Counting: each admitted connection is "pending" until on_handshake_done(), then, if the
// handshake succeeded, "established" until on_connection_closed(). The per-address caps
// count pending + established under the address's IpKey (IPv4 /32, IPv6 /56).
//
// Order of the checks in admit(), first failure wins: banned address, pending-handshake
// cap, per-key pending cap, per-key connection cap, accept rate. Only an admitted
// connection takes a token from the rate bucket, so refused connections (which cost us an
// accept() and a close()) do not starve honest ones of tokens.
//
// Memory: one entry per key with pending or established connections (removed at zero), so
// the map is bounded by the connections the node holds; the ban list is capped at
// max_banned_ips (the ban ending soonest is dropped to make room).
//
// Not thread-safe: one owner (the network thread) calls everything.

#include "peer/ip_key.hpp"
#include "peer/peer_manager_config.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <string_view>
#include <unordered_map>

namespace weft::peer {

enum class InboundRefusal : std::uint8_t {
  ip_banned,              ///< the address's key is banned (ban_ip) until a later instant
  pending_full,           ///< max_pending_handshakes handshakes already in progress
  pending_per_ip_full,    ///< max_pending_handshakes_per_ip in progress from this key
  ipv4_connections_full,  ///< max_connections_per_ipv4 from this IPv4 address
  ipv6_subnet_full,       ///< max_connections_per_ipv6_56 from this IPv6 /56
  rate_limited,           ///< the accept token bucket is empty
};
inline constexpr std::size_t kInboundRefusalCount = 6;

/// "ip_banned", "pending_full", ... (the enumerator's name, for logs and statistics).
std::string_view to_string(InboundRefusal reason) noexcept;

struct InboundGateStats {
  std::uint64_t admitted = 0;
  std::uint64_t refused_total = 0;
  /// Refusals per reason, indexed by static_cast<std::size_t>(InboundRefusal).
  std::array<std::uint64_t, kInboundRefusalCount> refused{};
  std::uint64_t handshakes_succeeded = 0;
  std::uint64_t handshakes_failed = 0;
  /// on_handshake_done / on_connection_closed for an address with nothing to release: a
  /// caller bug, counted and otherwise ignored.
  std::uint64_t unmatched_reports = 0;
  /// Bans dropped early because the ban list was full.
  std::uint64_t bans_evicted = 0;

  std::uint64_t refused_for(InboundRefusal r) const noexcept { return refused[static_cast<std::size_t>(r)]; }
};

/// admit()'s answer: admitted, or the reason for the refusal.
struct InboundDecision {
  bool admitted = false;
  InboundRefusal reason = InboundRefusal::ip_banned;  ///< meaningful only when !admitted
  IpKey key;

  explicit operator bool() const noexcept { return admitted; }
};

class InboundGate {
 public:
  /// The bucket starts full (accept_burst tokens) at `start`.
  InboundGate(InboundGateConfig config, TimePoint start);

  /// Decides on a connection from `key` at `now`. When admitted, the connection counts as
  /// pending for `key` until on_handshake_done(key, ...).
  InboundDecision admit(const IpKey& key, TimePoint now);

  /// The handshake of a connection admitted for `key` finished. success: it becomes
  /// established until on_connection_closed(key). Returns false (and counts
  /// unmatched_reports) when no pending connection of `key` is known.
  bool on_handshake_done(const IpKey& key, bool success);

  /// An established connection of `key` closed. Returns false (and counts
  /// unmatched_reports) when none is known.
  bool on_connection_closed(const IpKey& key);

  /// Refuses `key` until `until` (exclusive); a later ban of the same key replaces it.
  void ban_ip(const IpKey& key, TimePoint until);
  void unban_ip(const IpKey& key);
  bool is_banned(const IpKey& key, TimePoint now) const;

  /// Drops expired bans (admit() also ignores them; this frees their memory).
  void expire_bans(TimePoint now);

  std::size_t pending() const noexcept { return pending_total_; }
  std::size_t pending_for(const IpKey& key) const;
  std::size_t established_for(const IpKey& key) const;
  std::size_t tracked_keys() const noexcept { return per_key_.size(); }
  std::size_t banned_ips() const noexcept { return bans_.size(); }
  /// Tokens (fractional) in the accept bucket at `now`; an accept needs one. Const: the
  /// bucket itself is refilled only by admit().
  double tokens(TimePoint now) const noexcept;

  const InboundGateStats& stats() const noexcept { return stats_; }
  const InboundGateConfig& config() const noexcept { return config_; }

 private:
  struct Counts {
    std::size_t pending = 0;
    std::size_t established = 0;
  };

  InboundDecision refuse(const IpKey& key, InboundRefusal reason);
  void refill(TimePoint now) noexcept;
  void drop_if_empty(std::unordered_map<IpKey, Counts>::iterator it);

  InboundGateConfig config_;
  std::unordered_map<IpKey, Counts> per_key_;
  std::map<IpKey, TimePoint> bans_;
  std::size_t pending_total_ = 0;
  double tokens_ = 0;
  TimePoint last_refill_;
  InboundGateStats stats_;
};

}  // namespace weft::peer
