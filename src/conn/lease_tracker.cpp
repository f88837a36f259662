#include "conn/lease_tracker.hpp"

namespace weft::conn {

bool LeaseTracker::on_acquire(LeaseId id, const PeerId& peer, TimePoint now, util::SourceLocation where,
                              bool pinned) {
  const auto [it, inserted] = leases_.try_emplace(id, LeaseRecord{id, peer, now, where, pinned, false});
  if (!inserted) return false;
  if (!pinned) watched_.emplace(now, id);
  return true;
}

bool LeaseTracker::on_release(LeaseId id) {
  const auto it = leases_.find(id);
  if (it == leases_.end()) return false;
  watched_.erase({it->second.acquired_at, id});
  leases_.erase(it);
  return true;
}

bool LeaseTracker::set_pinned(LeaseId id, bool pinned) {
  const auto it = leases_.find(id);
  if (it == leases_.end()) return false;
  LeaseRecord& lease = it->second;
  lease.pinned = pinned;
  if (pinned) {
    watched_.erase({lease.acquired_at, id});
  } else if (!lease.reported) {
    watched_.emplace(lease.acquired_at, id);
  }
  return true;
}

std::vector<OverdueLease> LeaseTracker::overdue(TimePoint now, std::chrono::milliseconds threshold) {
  std::vector<OverdueLease> out;
  while (!watched_.empty()) {
    const auto [acquired_at, id] = *watched_.begin();
    if (now - acquired_at <= threshold) break;  // the rest were acquired later still
    watched_.erase(watched_.begin());
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
