#pragma once
// What the node knows about other peers (docs/peerstore.md): per PeerId its addresses (each
// with a source and an expiry), public key, protocols, first/last seen, connection outcomes,
// a score and a ban. Sans-IO and single-threaded: every call that needs the time takes `now`
// (wall clock, because records outlive the process; times are kept at millisecond
// resolution so that what is persisted equals what is held). Nothing is read from a clock.
//
// Everything is bounded by PeerstoreConfig: peers, banned peers, addresses per peer,
// addresses per subnet, protocols and key bytes. Each cap hit is counted in PeerstoreStats.
// Changes are tracked (take_changes) so PeerstoreDb can persist exactly what changed.

#include "peer/address_subnet.hpp"
#include "peer/dial_candidate.hpp"

#include <weft/bytes.hpp>
#include <weft/error.hpp>
#include <weft/multiaddr.hpp>
#include <weft/peer_id.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

namespace weft::peer {

using WallTime = std::chrono::system_clock::time_point;

/// Where an address was learned. Trusted sources (config, bootstrap) never expire and are
/// exempt from the per-subnet cap; their peers are never evicted to make room.
enum class AddressSource : std::uint8_t {
  config = 0,         ///< addresses from the node's configuration (config file, CLI flags)
  bootstrap = 1,      ///< bootstrap peers handed to the peer manager
  inbound = 2,        ///< the peer told us itself (its advertised listen addresses)
  peer_exchange = 3,  ///< another peer told us (unverified)
};
inline constexpr std::uint8_t kLastAddressSource = 3;

/// "config", "bootstrap", "inbound", "peer_exchange".
const char* to_string(AddressSource source) noexcept;
bool is_trusted(AddressSource source) noexcept;

struct PeerstoreConfig {
  /// Peer records, banned ones included. Past it the worst evictable peer makes room.
  std::size_t max_peers = 10'000;
  /// Peers with a running ban. Past it the ban that ends soonest is dropped (counted).
  std::size_t max_banned_peers = 1'000;
  std::size_t max_addresses_per_peer = 16;
  /// Addresses (over all peers) in one IPv4 /24, IPv6 /48, or without an IP; only
  /// addresses from untrusted sources are refused at the cap.
  std::size_t max_addresses_per_subnet = 64;
  /// Default lifetimes when add_addresses is given none.
  std::chrono::milliseconds peer_exchange_ttl_ms{3'600'000};   // 1 h
  std::chrono::milliseconds inbound_ttl_ms{3'600'000};         // 1 h
  /// Any TTL passed in is clamped to this.
  std::chrono::milliseconds max_address_ttl_ms{86'400'000};   // 24 h
  std::size_t max_protocols_per_peer = 32;
  std::size_t max_protocol_bytes = 128;
  std::size_t max_public_key_bytes = 128;
  /// Scores stay in [min_score, max_score]; new peers start at 0.
  double min_score = -100.0;
  double max_score = 100.0;
  double connect_success_reward = 1.0;
  double dial_failure_penalty = 1.0;
  /// Peers below this score are left out of exchange samples.
  double exchange_min_score = 0.0;
};

/// Errors: config_invalid naming the setting (zero caps, max_banned_peers >= max_peers,
/// min_score > 0 or max_score < 0, a negative or non-finite reward / penalty, zero TTLs).
Result<void> validate(const PeerstoreConfig& config);

struct AddressRecord {
  Multiaddr address;  ///< never empty, never ends in /p2p/
  AddressSource source = AddressSource::peer_exchange;
  std::optional<WallTime> expires_at;  ///< nullopt: never (trusted sources)

  bool live(WallTime now) const noexcept { return !expires_at || *expires_at > now; }
  friend bool operator==(const AddressRecord&, const AddressRecord&) = default;
};

struct PeerRecord {
  explicit PeerRecord(PeerId peer) : id(std::move(peer)) {}

  PeerId id;
  std::vector<AddressRecord> addresses;  ///< at most max_addresses_per_peer, distinct
  std::optional<Bytes> public_key;       ///< at most max_public_key_bytes
  std::vector<std::string> protocols;    ///< at most max_protocols_per_peer names
  WallTime first_seen{};  ///< when the record was created
  WallTime last_seen{};   ///< last connect / disconnect / inbound address (creation at first)
  std::uint32_t successes = 0;             ///< connections established
  std::uint32_t failures = 0;              ///< dials that failed
  std::uint32_t consecutive_failures = 0;  ///< failures since the last success
  std::optional<WallTime> last_connected;
  std::optional<WallTime> last_failure;
  double score = 0.0;                 ///< in [min_score, max_score]
  std::optional<WallTime> ban_until;  ///< banned while now < ban_until

  bool banned(WallTime now) const noexcept { return ban_until && now < *ban_until; }
  bool has_live_address(WallTime now) const noexcept;
  bool has_trusted_address() const noexcept;

  friend bool operator==(const PeerRecord&, const PeerRecord&) = default;
};

/// Counters; each rises when a cap or rule refuses or drops something.
struct PeerstoreStats {
  std::uint64_t peers_evicted = 0;            ///< dropped at max_peers to make room
  std::uint64_t peers_refused = 0;            ///< new peer refused: nobody evictable at max_peers
  std::uint64_t bans_dropped = 0;             ///< ban dropped at max_banned_peers
  std::uint64_t addresses_refused_peer_cap = 0;   ///< at max_addresses_per_peer, nothing replaceable
  std::uint64_t addresses_replaced_peer_cap = 0;  ///< at max_addresses_per_peer, a weaker one replaced
  std::uint64_t addresses_refused_subnet_cap = 0; ///< at max_addresses_per_subnet
  std::uint64_t addresses_refused_banned = 0;     ///< addresses offered for a banned peer
  std::uint64_t addresses_refused_invalid = 0;    ///< empty, or /p2p/ naming another peer
  std::uint64_t addresses_expired = 0;
  std::uint64_t peers_expired = 0;            ///< removed by expire(): nothing left to keep
  std::uint64_t protocols_truncated = 0;      ///< names dropped at max_protocols_per_peer / _bytes
  std::uint64_t public_keys_refused = 0;      ///< above max_public_key_bytes
  std::uint64_t restore_dropped = 0;          ///< loaded records or addresses over a cap
  std::uint64_t change_set_overflows = 0;     ///< change tracking fell back to a full rewrite
};

/// What add_addresses did.
struct AddResult {
  bool peer_created = false;  ///< a new record was made (a "peer discovered" event)
  std::size_t added = 0;      ///< new addresses stored
  std::size_t refreshed = 0;  ///< known addresses whose expiry or source improved
  std::size_t refused = 0;    ///< refused by a cap or rule (see stats for which)
};

/// What changed since the last take_changes(): peers whose record must be written (or
/// deleted, when the store no longer has them); or everything (`full_rewrite`).
struct PeerstoreChanges {
  std::vector<PeerId> peers;
  bool full_rewrite = false;
  bool empty() const noexcept { return peers.empty() && !full_rewrite; }
};

class Peerstore {
 public:
  explicit Peerstore(PeerstoreConfig config = {});

  const PeerstoreConfig& config() const noexcept { return config_; }
  const PeerstoreStats& stats() const noexcept { return stats_; }

  /// Stores `addresses` for `peer`, creating its record if needed (which may evict the
  /// worst evictable peer, or be refused when none is). `ttl` defaults to the source's TTL
  /// and is clamped to max_address_ttl_ms; trusted sources never expire. A known address
  /// keeps the later expiry and the more trusted source. A trailing /p2p/<peer> is
  /// stripped; an empty address or one naming another peer is refused. Addresses for a
  /// banned peer are refused. Per-peer and per-subnet caps apply (docs/peerstore.md).
  AddResult add_addresses(const PeerId& peer, const std::vector<Multiaddr>& addresses,
                          AddressSource source, std::optional<std::chrono::milliseconds> ttl,
                          WallTime now);

  /// Identity data from the handshake / early data. Empty keys and keys above
  /// max_public_key_bytes are refused; protocols are truncated to the caps. No-ops (false) for an unknown peer.
  bool set_public_key(const PeerId& peer, ByteView key);
  bool set_protocols(const PeerId& peer, std::vector<std::string> protocols);

  /// A connection to `peer` was established: creates the record if needed (like
  /// add_addresses with no address), counts a success, rewards the score, sets last_seen.
  /// False when the store is full and nobody is evictable.
  bool record_connected(const PeerId& peer, WallTime now);
  /// A dial failed: counts it, penalises the score. False (nothing stored) for an unknown peer.
  bool record_dial_failure(const PeerId& peer, WallTime now);
  /// The last connection closed: sets last_seen. False for an unknown peer.
  bool record_disconnected(const PeerId& peer, WallTime now);

  /// Adds `delta` to the score, clamped. Returns the new score, nullopt for an unknown peer.
  std::optional<double> adjust_score(const PeerId& peer, double delta, WallTime now);

  /// Bans `peer` until `until` (a later existing ban is kept), creating the record if
  /// needed so the ban survives; drops the peer's addresses. At max_banned_peers the ban
  /// ending soonest is dropped (possibly this one, if it ends first). Returns false when
  /// the ban could not be stored.
  bool ban(const PeerId& peer, WallTime until, WallTime now);
  /// Lifts a ban at once. False for an unknown or unbanned peer.
  bool unban(const PeerId& peer);
  bool is_banned(const PeerId& peer, WallTime now) const;

  /// Forgets a peer entirely. False when unknown.
  bool remove(const PeerId& peer);
  /// Forgets every peer and pending change (stats are kept): for a store whose backing
  /// file was set aside.
  void clear();

  /// Drops addresses whose expiry is at or before `now`, ends finished bans, and removes
  /// peers left with no address and no running ban. Returns the number of peers removed.
  std::size_t expire(WallTime now);

  /// Peers not banned, not in `exclude`, with a live address: by score (highest first),
  /// then last_seen (most recent first), then PeerId. At most `limit`.
  std::vector<DialCandidate> dial_candidates(WallTime now, const std::unordered_set<PeerId>& exclude,
                                             std::size_t limit) const;

  /// A uniformly shuffled sample of at most `max_peers` good peers (not banned, score at
  /// least exchange_min_score, live addresses), each with at most `max_addresses` live
  /// addresses, for answering a peer-exchange request. Same store, `now` and `seed` give
  /// the same sample.
  std::vector<DialCandidate> exchange_sample(WallTime now, const std::unordered_set<PeerId>& exclude,
                                             std::size_t max_peers, std::size_t max_addresses,
                                             std::uint64_t seed) const;

  const PeerRecord* find(const PeerId& peer) const;
  std::size_t size() const noexcept { return peers_.size(); }
  std::size_t address_count() const noexcept { return address_count_; }
  /// Addresses currently counted against `subnet`'s cap.
  std::size_t subnet_count(const SubnetKey& subnet) const;
  /// Records with a ban_until set (running or not yet expired by expire()).
  std::size_t banned_count() const noexcept { return banned_; }
  void for_each(const std::function<void(const PeerRecord&)>& visit) const;

  /// Persistence hooks (PeerstoreDb). take_changes() returns and clears the change set;
  /// mark_all_changed() asks for a full rewrite (e.g. after a failed write).
  PeerstoreChanges take_changes();
  void mark_all_changed() noexcept { all_changed_ = true; changed_.clear(); }

  /// Inserts a record read from storage, enforcing every cap (what does not fit is dropped
  /// and counted in restore_dropped; the store is then marked for a full rewrite). Does not
  /// mark the peer changed. Returns false when the record was dropped entirely.
  bool restore(PeerRecord record);

 private:
  PeerRecord* find_mut(const PeerId& peer);
  /// The record for `peer`, created (evicting if needed) when absent; nullptr when full.
  PeerRecord* find_or_create(const PeerId& peer, WallTime now, bool& created);
  bool evict_one();
  void erase(std::unordered_map<PeerId, PeerRecord>::iterator it);
  void clear_addresses(PeerRecord& record);
  void drop_address(PeerRecord& record, std::size_t index);
  bool add_one(PeerRecord& record, const Multiaddr& address, AddressSource source,
               std::optional<WallTime> expires_at, AddResult& result);
  void set_ban(PeerRecord& record, std::optional<WallTime> until);
  void enforce_ban_cap(WallTime now);
  void mark_changed(const PeerId& peer);
  double clamp_score(double score) const noexcept;

  PeerstoreConfig config_;
  PeerstoreStats stats_;
  std::unordered_map<PeerId, PeerRecord> peers_;
  std::unordered_map<SubnetKey, std::size_t> subnet_counts_;  ///< untrusted + trusted addresses
  std::size_t address_count_ = 0;
  std::size_t banned_ = 0;  ///< records with ban_until set
  std::unordered_set<PeerId> changed_;  ///< bounded by max_peers * 2, else all_changed_
  bool all_changed_ = false;
};

}  // namespace weft::peer
