#pragma once
// The peer manager's decisions, sans-IO (STYLE.md rule 1): keep the connection count
// between low_watermark and high_watermark, dial known peers by score with per-peer
// backoff when below, trim the least valuable connections when above, and turn
// misbehaviour reports into points, points into bans, bans into trims. The caller passes
// `now`, reports what happened (handle_*), ticks it every tick_interval_ms with the
// peerstore's dial candidates, and carries out what poll_action() returns.
//
// Rules (docs/peer_manager.md has the full statement and the reasons):
//  - Trimming starts at a tick that sees more than high_watermark connections and goes on,
//    max_trims_per_tick per tick, until at most low_watermark remain. A connection being
//    trimmed no longer counts. Never trimmed for the watermark: connections of protected
//    or keep-alive peers, connections younger than grace_period_ms.
//  - Trim order, lowest value first (each step breaks the ties of the one before):
//      1. a connection whose peer has another (not trimmed) connection;
//      2. lower peer value = store score (set_peer_score) minus misbehaviour points;
//      3. inbound before outbound (we chose our outbound peers; inbound ones are cheap to
//         create, so shedding them first resists eclipse by inbound flooding);
//      4. younger before older (long-lived connections have proven themselves);
//      5. lower ConnectionId.
//  - Dialing happens at a tick (not while trimming) when connections + dials in flight <
//    low_watermark: up to the shortfall, never more than max_concurrent_dials in flight.
//    Candidates are skipped when connected, banned, being dialed (by us or, per the
//    caller's flag, by anyone), in dial backoff, or without addresses; the rest are taken
//    by value (store score minus points) descending, then PeerId ascending.
//  - Misbehaviour adds penalty points (decaying with penalty_half_life_ms); at
//    ban_threshold the peer is banned for ban_duration_ms: Ban action, banned event, and
//    every connection of the peer trimmed, protected or not, young or not. Bans end at the
//    first tick at or after their end (Unban action). A connection from a banned peer is
//    trimmed as soon as it is reported.
//
// Memory: per-peer state for at most max_tracked_peers peers (plus any that are connected
// or protected, which the caller bounds), at most max_banned_peers bans, at most
// max_concurrent_dials dials in flight; the action and event queues hold what the last
// calls produced until polled.
//
// Not thread-safe: one owner calls everything.

#include <weft/peer_id.hpp>

#include "conn/backoff.hpp"
#include "peer/dial_candidate.hpp"
#include "peer/peer_actions.hpp"
#include "peer/peer_manager_config.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace weft::peer {

/// A connection the caller's table accepted or established (after the handshake).
struct OpenedConnection {
  ConnectionId id = 0;
  PeerId peer;
  Direction direction = Direction::outbound;
  std::optional<IpKey> remote;  ///< the remote address's key, when it is an IP
  TimePoint opened_at;
};


/// A ban as persisted by the caller (from a Ban action) and handed back at start.
struct BanRecord {
  PeerId peer;
  TimePoint until;
};

struct PeerManagerStats {
  std::uint64_t connections_opened = 0;
  std::uint64_t connections_closed = 0;
  /// Connections reported open from a banned peer (each trimmed at once).
  std::uint64_t connections_refused_banned = 0;
  /// Opened twice or closed without being open: caller bugs, ignored.
  std::uint64_t unknown_connection_reports = 0;

  std::uint64_t trims_watermark = 0;
  std::uint64_t trims_banned = 0;
  /// Ticks that had connections to trim but none that could be (protected, keep-alive or
  /// in their grace period).
  std::uint64_t trims_blocked = 0;

  std::uint64_t dials_started = 0;
  std::uint64_t dials_succeeded = 0;
  std::uint64_t dials_failed = 0;
  std::uint64_t dials_timed_out = 0;  ///< in flight longer than dial_timeout_ms (also failed)
  std::uint64_t candidates_skipped_connected = 0;
  std::uint64_t candidates_skipped_banned = 0;
  std::uint64_t candidates_skipped_dialing = 0;
  std::uint64_t candidates_skipped_backoff = 0;
  std::uint64_t candidates_skipped_no_address = 0;

  /// Reports per kind, indexed by static_cast<std::size_t>(MisbehaviourKind).
  std::array<std::uint64_t, kMisbehaviourKindCount> misbehaviour_reports{};
  std::uint64_t misbehaviour_while_banned = 0;  ///< reports about an already banned peer

  std::uint64_t bans_misbehaviour = 0;
  std::uint64_t bans_manual = 0;
  std::uint64_t bans_restored = 0;
  std::uint64_t bans_expired = 0;
  std::uint64_t bans_evicted = 0;  ///< dropped early to stay within max_banned_peers
  std::uint64_t unbans_manual = 0;

  std::uint64_t peers_discovered = 0;
  std::uint64_t discovered_ignored_banned = 0;
  std::uint64_t tracked_peers_evicted = 0;

  std::uint64_t misbehaviour_for(MisbehaviourKind k) const noexcept {
    return misbehaviour_reports[static_cast<std::size_t>(k)];
  }
};

class PeerManager {
 public:
  /// `random` draws the dial backoff's jitter (values in [0, 1]; tests pass a constant).
  PeerManager(PeerManagerConfig config, conn::UnitRandom random);

  // ---- inputs ---------------------------------------------------------------------------

  /// A connection entered the caller's table. Emits `connected` for the peer's first one;
  /// from a banned peer: a Trim (peer_banned) at once, and returns false.
  bool handle_connection_opened(const OpenedConnection& connection, TimePoint now);

  /// A connection left the caller's table (trimmed or not). Returns false for an unknown id.
  bool handle_connection_closed(ConnectionId connection, TimePoint now);

  /// The outcome of a dial (ours or the caller's): success resets the peer's backoff, a
  /// failure extends it. Frees the dial's slot when it was one of ours.
  void handle_dial_result(const PeerId& peer, bool success, TimePoint now);

  /// A peer learned of (peer exchange, bootstrap, inbound). Emits `discovered` when the
  /// manager held no state for it. Returns false (nothing emitted) for a banned peer.
  bool handle_discovered(const PeerId& peer, TimePoint now);

  /// Adds the peer's misbehaviour points for `kind`; bans it when they reach
  /// ban_threshold. Returns true when this report banned it.
  bool handle_misbehaviour(const PeerId& peer, MisbehaviourKind kind, TimePoint now);

  /// The store's score of a connected peer (trim value); 0 until set.
  void set_peer_score(const PeerId& peer, double score, TimePoint now);

  /// Protection tags: a peer with at least one is never trimmed for the watermark.
  void protect(const PeerId& peer, const std::string& tag, TimePoint now);
  /// Returns true when the peer is still protected by another tag.
  bool unprotect(const PeerId& peer, const std::string& tag);
  /// Replaces the set of keep-alive peers (the table's most used ones): never trimmed for
  /// the watermark while in the set.
  void set_keep_alive_peers(std::span<const PeerId> peers);

  /// Bans `peer` for `duration` from `now` (BanReason::manual), as a misbehaviour ban does.
  void ban(const PeerId& peer, milliseconds duration, TimePoint now);
  /// Ends a ban early; emits Unban (manual). Returns false when the peer was not banned.
  bool unban(const PeerId& peer);

  /// Loads persisted bans at start. Ended ones (until <= now) are not loaded and come back
  /// as Unban (expired) so the caller deletes them; when more than max_banned_peers remain,
  /// the ones ending latest are kept and the rest come back as Unban (evicted). A peer
  /// already banned keeps the later end. Loaded bans emit no Ban action (they are already
  /// persisted) but do trim connections of their peers. Returns how many were loaded.
  std::size_t restore_bans(std::span<const BanRecord> bans, TimePoint now);

  /// Expires bans and overdue dials, trims above high_watermark, dials below
  /// low_watermark from `candidates`.
  void tick(TimePoint now, std::span<const DialCandidate> candidates);

  // ---- outputs --------------------------------------------------------------------------

  std::optional<PeerAction> poll_action();
  std::optional<PeerEvent> poll_event();

  // ---- queries --------------------------------------------------------------------------

  bool is_banned(const PeerId& peer, TimePoint now) const;
  std::optional<TimePoint> ban_until(const PeerId& peer) const;
  /// Misbehaviour points at `now` (decayed).
  double points(const PeerId& peer, TimePoint now) const;
  bool is_protected(const PeerId& peer) const;
  /// When the peer may be dialed again (`now` when it may be dialed now).
  TimePoint dial_ready_at(const PeerId& peer, TimePoint now) const;
  /// Consecutive failed dials of the peer since its last success.
  std::uint32_t dial_failures(const PeerId& peer) const;
  /// Connections not being trimmed (the count the watermarks apply to).
  std::size_t connection_count() const noexcept { return connections_.size() - trimming_count_; }
  std::size_t dials_in_flight() const noexcept { return dials_.size(); }
  std::size_t banned_count() const noexcept { return bans_.size(); }
  std::size_t tracked_peers() const noexcept { return peers_.size(); }
  bool trimming() const noexcept { return trimming_; }

  const PeerManagerStats& stats() const noexcept { return stats_; }
  const PeerManagerConfig& config() const noexcept { return config_; }

 private:
  struct PeerState {
    std::size_t connections = 0;   ///< open connections, trimmed-but-not-closed included
    double points = 0;             ///< misbehaviour points at points_at
    TimePoint points_at;
    double score = 0;              ///< set_peer_score
    std::uint32_t dial_failures = 0;
    std::optional<TimePoint> dial_not_before;
    std::set<std::string> protect_tags;
    TimePoint last_seen;
  };
  struct Connection {
    PeerId peer;
    Direction direction = Direction::outbound;
    std::optional<IpKey> remote;
    TimePoint opened_at;
    bool trimming = false;
  };

  PeerState& state(const PeerId& peer, TimePoint now);
  const PeerState* find_state(const PeerId& peer) const;
  bool evictable(const PeerId& peer, const PeerState& s) const;
  void evict_one_tracked();
  double decayed_points(const PeerState& s, TimePoint now) const;
  double value(const PeerId& peer, TimePoint now) const;

  void apply_ban(const PeerId& peer, TimePoint until, BanReason reason, MisbehaviourKind kind);
  bool insert_ban(const PeerId& peer, TimePoint until);
  void trim(ConnectionId id, Connection& c, TrimReason reason);
  void trim_peer(const PeerId& peer);

  void expire_bans(TimePoint now);
  void expire_dials(TimePoint now);
  void trim_above_watermark(TimePoint now);
  std::optional<ConnectionId> pick_trim_victim(TimePoint now) const;
  void dial_below_watermark(TimePoint now, std::span<const DialCandidate> candidates);
  void record_dial_failure(const PeerId& peer, TimePoint now);

  void emit(PeerEvent event) { events_.push_back(std::move(event)); }

  PeerManagerConfig config_;
  conn::Backoff backoff_;  ///< only delay_for() is used: the per-peer counts live in PeerState
  std::unordered_map<PeerId, PeerState> peers_;
  std::map<ConnectionId, Connection> connections_;
  std::size_t trimming_count_ = 0;
  std::unordered_map<PeerId, TimePoint> bans_;       ///< peer -> end (exclusive)
  std::unordered_map<PeerId, TimePoint> dials_;      ///< our dials in flight -> start
  std::unordered_set<PeerId> keep_alive_;
  bool trimming_ = false;
  std::deque<PeerAction> actions_;
  std::deque<PeerEvent> events_;
  PeerManagerStats stats_;
};

}  // namespace weft::peer
