#pragma once
// Which peers we use most, for choosing the keep_alive_count peers that idle eviction spares
// (sans-IO; the caller passes `now`).
//
// Each peer has a use count that decays exponentially: a use counts 1 when it happens, half
// after usage_half_life_ms, a quarter after twice that. Peers rank by decayed count (most
// first), then by last use (most recent first), then by PeerId (smallest first), so the
// ranking is a total order and the same inputs always give the same answer.
//
// At most max_tracked_peers peers are tracked. A use by an untracked peer when full evicts
// the lowest-ranked peer (counted in evictions()): a flood of one-off peers can only push
// out peers that are used even less, never the busy ones. Not thread-safe: one per table.

#include <weft/peer_id.hpp>

#include "conn/pool_time.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <unordered_map>
#include <vector>

namespace weft::conn {

struct PeerUsageConfig {
  /// A use counts half after this long. Default: the idle timeout, so a use one idle
  /// period ago weighs half as much as one now.
  std::chrono::milliseconds usage_half_life_ms{300'000};
  /// Peers tracked at once; past it the least-used peer is forgotten.
  std::size_t max_tracked_peers = 4096;
};

class PeerUsage {
 public:
  explicit PeerUsage(PeerUsageConfig config = {});

  /// `peer` was used (a stream leased to it) at `now`.
  void on_use(const PeerId& peer, TimePoint now);

  /// Stops tracking `peer` (e.g. it was banned). No effect when untracked.
  void forget(const PeerId& peer);

  /// The decayed use count at `now`; 0 for an untracked peer.
  double decayed_count(const PeerId& peer, TimePoint now) const;
  /// The last use, or nullopt for an untracked peer.
  std::optional<TimePoint> last_use(const PeerId& peer) const;

  /// The min(k, size()) highest-ranked peers at `now`, best first.
  std::vector<PeerId> top(std::size_t k, TimePoint now) const;

  std::size_t size() const noexcept { return entries_.size(); }
  /// Peers forgotten to stay within max_tracked_peers.
  std::uint64_t evictions() const noexcept { return evictions_; }

 private:
  struct Entry {
    double count = 0.0;  ///< decayed count as of last_use
    TimePoint last_use{};
  };
  struct Ranked {
    double count;
    TimePoint last_use;
    const PeerId* peer;
  };

  double decayed(const Entry& e, TimePoint now) const;
  Ranked ranked(const PeerId& peer, const Entry& e, TimePoint now) const;
  static bool ranks_before(const Ranked& a, const Ranked& b);
  void evict_lowest(TimePoint now);

  using Entries = std::unordered_map<PeerId, Entry>;
  /// A cached pointer into entries_ that copies and moves of the PeerUsage never carry
  /// over (they start with no cache): it would point into the other map.
  struct EntryCache {
    Entries::value_type* entry = nullptr;
    EntryCache() = default;
    EntryCache(const EntryCache&) noexcept {}
    EntryCache& operator=(const EntryCache&) noexcept {
      entry = nullptr;
      return *this;
    }
  };

  PeerUsageConfig config_;
  Entries entries_;
  /// The entry on_use() touched last, or nullptr: a pointer into entries_ (stable when it
  /// rehashes), cleared whenever an entry is erased. Uses of the same peer in a row (the
  /// usual pattern: one busy peer) compare PeerIds instead of hashing one.
  EntryCache last_;
  std::uint64_t evictions_ = 0;
};

}  // namespace weft::conn
