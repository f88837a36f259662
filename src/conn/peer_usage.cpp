#include "conn/peer_usage.hpp"

#include <algorithm>
#include <cmath>

namespace weft::conn {

PeerUsage::PeerUsage(PeerUsageConfig config) : config_(config) {}

void PeerUsage::on_use(const PeerId& peer, TimePoint now) {
  if (last_.entry == nullptr || last_.entry->first != peer) {
    auto it = entries_.find(peer);
    if (it == entries_.end()) {
      if (config_.max_tracked_peers == 0) return;
      if (entries_.size() >= config_.max_tracked_peers) evict_lowest(now);
      it = entries_.emplace(peer, Entry{0.0, now}).first;
    }
    last_.entry = &*it;
  }
  Entry& e = last_.entry->second;
  e.count = decayed(e, now) + 1.0;
  e.last_use = std::max(e.last_use, now);
}

void PeerUsage::forget(const PeerId& peer) {
  if (entries_.erase(peer) > 0) last_.entry = nullptr;
}

double PeerUsage::decayed_count(const PeerId& peer, TimePoint now) const {
  const auto it = entries_.find(peer);
  return it == entries_.end() ? 0.0 : decayed(it->second, now);
}

std::optional<TimePoint> PeerUsage::last_use(const PeerId& peer) const {
  const auto it = entries_.find(peer);
  if (it == entries_.end()) return std::nullopt;
  return it->second.last_use;
}

std::vector<PeerId> PeerUsage::top(std::size_t k, TimePoint now) const {
  std::vector<Ranked> all;
  all.reserve(entries_.size());
  for (const auto& [peer, e] : entries_) all.push_back(ranked(peer, e, now));
  const std::size_t n = std::min(k, all.size());
  std::partial_sort(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(n), all.end(), ranks_before);
  std::vector<PeerId> out;
  out.reserve(n);
  for (std::size_t i = 0; i < n; ++i) out.push_back(*all[i].peer);
  return out;
}

double PeerUsage::decayed(const Entry& e, TimePoint now) const {
  if (config_.usage_half_life_ms.count() <= 0 || now <= e.last_use) return e.count;
  const double half_lives = std::chrono::duration<double, std::milli>(now - e.last_use).count() /
                            static_cast<double>(config_.usage_half_life_ms.count());
  return e.count * std::exp2(-half_lives);
}

PeerUsage::Ranked PeerUsage::ranked(const PeerId& peer, const Entry& e, TimePoint now) const {
  return Ranked{decayed(e, now), e.last_use, &peer};
}

bool PeerUsage::ranks_before(const Ranked& a, const Ranked& b) {
  if (a.count != b.count) return a.count > b.count;
  if (a.last_use != b.last_use) return a.last_use > b.last_use;
  return *a.peer < *b.peer;
}

void PeerUsage::evict_lowest(TimePoint now) {
  auto lowest = entries_.end();
  std::optional<Ranked> lowest_rank;
  for (auto it = entries_.begin(); it != entries_.end(); ++it) {
    const Ranked r = ranked(it->first, it->second, now);
    if (!lowest_rank || ranks_before(*lowest_rank, r)) {
      lowest = it;
      lowest_rank = r;
    }
  }
  if (lowest == entries_.end()) return;
  entries_.erase(lowest);
  last_.entry = nullptr;
  ++evictions_;
}

}  // namespace weft::conn
