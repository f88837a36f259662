#include "conn/lease_tracker.hpp"

namespace weft::conn {

bool LeaseTracker::on_acquire(LeaseId id, const PeerId& peer, TimePoint now, util::SourceLocation where,
                              bool pinned) {
  if (auto node = lease_nodes_.take(); !node.empty()) {
    // Field by field: assigning the PeerId reuses the kept record's bytes.
    node.key() = id;
    LeaseRecord& lease = node.mapped();
    lease.id = id;
    lease.peer = peer;
    lease.acquired_at = now;
    lease.where = where;
    lease.pinned = pinned;
    lease.reported = false;
    auto inserted = leases_.insert(std::move(node));
    if (!inserted.inserted) {
      lease_nodes_.keep(std::move(inserted.node));
      return false;
    }
  } else if (!leases_.try_emplace(id, LeaseRecord{id, peer, now, where, pinned, false}).second) {
    return false;
  }
  if (!pinned) watch(now, id);
  return true;
}

bool LeaseTracker::on_release(LeaseId id) {
  const auto it = leases_.find(id);
  if (it == leases_.end()) return false;
  unwatch(it->second.acquired_at, id);
  lease_nodes_.erase(leases_, it);
  return true;
}

void LeaseTracker::watch(TimePoint acquired_at, LeaseId id) {
  // Leases are mostly acquired in time order: the end is the usual place (hint).
  if (auto node = watched_nodes_.take(); !node.empty()) {
    node.value() = {acquired_at, id};
    watched_.insert(watched_.end(), std::move(node));
    watched_nodes_.keep(std::move(node));  // still ours only when that entry was there already
  } else {
    watched_.emplace_hint(watched_.end(), acquired_at, id);
  }
}

void LeaseTracker::unwatch(TimePoint acquired_at, LeaseId id) {
  const auto it = watched_.find({acquired_at, id});
  if (it != watched_.end()) watched_nodes_.erase(watched_, it);
}

bool LeaseTracker::set_pinned(LeaseId id, bool pinned) {
  const auto it = leases_.find(id);
  if (it == leases_.end()) return false;
  LeaseRecord& lease = it->second;
  lease.pinned = pinned;
  if (pinned) {
    unwatch(lease.acquired_at, id);
  } else if (!lease.reported) {
    watch(lease.acquired_at, id);
  }
  return true;
}

std::vector<OverdueLease> LeaseTracker::overdue(TimePoint now, std::chrono::milliseconds threshold) {
  std::vector<OverdueLease> out;
  while (!watched_.empty()) {
    const auto [acquired_at, id] = *watched_.begin();
    if (now - acquired_at <= threshold) break;  // the rest were acquired later still
    watched_nodes_.erase(watched_, watched_.begin());
    LeaseRecord& lease = leases_.at(id);
    lease.reported = true;
    ++reported_;
    out.push_back(OverdueLease{id, lease.peer, acquired_at,
                               std::chrono::duration_cast<std::chrono::milliseconds>(now - acquired_at), lease.where});
  }
  return out;
}

const LeaseRecord* LeaseTracker::find(LeaseId id) const {
  const auto it = leases_.find(id);
  return it == leases_.end() ? nullptr : &it->second;
}

}  // namespace weft::conn
