#pragma once
// Leak report for stream leases (sans-IO): remembers who acquired each live lease and where
// in the source, and names the ones held longer than a threshold.
//
// The table records a lease when it hands one out and drops it when the lease returns. A
// lease held longer than the threshold is reported once (the leak report names it with the
// acquiring source location); it stays tracked until released. Pinned leases are held
// long on purpose (a gossip stream, say) and are never reported; unpinning one makes it
// reportable again, its age still counted from its acquisition.
// The tracker holds one entry per live lease, so it is bounded by the table's stream caps.
// Not thread-safe: one per table, on the network thread.
// A steady acquire/release cycle does not allocate: the nodes of released leases are reused.

#include <weft/peer_id.hpp>

#include "conn/node_recycler.hpp"
#include "conn/pool_time.hpp"
#include "util/source_location.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <set>
#include <unordered_map>
#include <utility>
#include <vector>

namespace weft::conn {

/// Unique per table for the table's lifetime (a counter).
using LeaseId = std::uint64_t;

struct LeaseRecord {
  LeaseId id = 0;
  PeerId peer;
  TimePoint acquired_at{};
  /// Where the user called acquire (captured by the table's public acquire()).
  util::SourceLocation where;
  bool pinned = false;
  bool reported = false;  ///< already named by overdue()
};

struct OverdueLease {
  LeaseId id = 0;
  PeerId peer;
  TimePoint acquired_at{};
  std::chrono::milliseconds held{0};  ///< at the overdue() call, rounded down
  util::SourceLocation where;
};

class LeaseTracker {
 public:
  /// Starts tracking lease `id`. Returns false, changing nothing, if `id` is already tracked.
  bool on_acquire(LeaseId id, const PeerId& peer, TimePoint now, util::SourceLocation where, bool pinned = false);

  /// Stops tracking lease `id`. Returns false if it was not tracked.
  bool on_release(LeaseId id);

  /// Pins or unpins lease `id`. Returns false if it is not tracked.
  bool set_pinned(LeaseId id, bool pinned);

  /// Leases held longer than `threshold` at `now` (now - acquired_at > threshold), not
  /// pinned and not reported before, oldest first (ties by id). Each is marked reported.
  std::vector<OverdueLease> overdue(TimePoint now, std::chrono::milliseconds threshold);

  /// The record of a tracked lease, or nullptr. Valid until the next non-const call.
  const LeaseRecord* find(LeaseId id) const;

  std::size_t size() const noexcept { return leases_.size(); }
  /// Leases reported by overdue() so far: the leak counter.
  std::uint64_t reported() const noexcept { return reported_; }

 private:
  using Leases = std::unordered_map<LeaseId, LeaseRecord>;
  using Watched = std::set<std::pair<TimePoint, LeaseId>>;

  void watch(TimePoint acquired_at, LeaseId id);
  void unwatch(TimePoint acquired_at, LeaseId id);

  Leases leases_;
  /// The leases overdue() may still report (unpinned, unreported), by acquisition time.
  Watched watched_;
  NodeRecycler<Leases> lease_nodes_;
  NodeRecycler<Watched> watched_nodes_;
  std::uint64_t reported_ = 0;
};

}  // namespace weft::conn
