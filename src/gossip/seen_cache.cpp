#include "gossip/seen_cache.hpp"

namespace weft::gossip {

SeenCache::SeenCache(Duration ttl, std::size_t max_entries) : ttl_(ttl), max_entries_(max_entries) {}

bool SeenCache::insert(const MessageId& id, TimePoint now) {
  expire(now);
  if (by_id_.count(id) != 0) return false;
  if (max_entries_ == 0) return true;
  if (by_id_.size() >= max_entries_) {
    by_id_.erase(order_.front().second);
    order_.pop_front();
    ++evictions_;
  }
  order_.emplace_back(now, id);
  by_id_.emplace(id, std::prev(order_.end()));
  return true;
}

bool SeenCache::contains(const MessageId& id, TimePoint now) const {
  auto it = by_id_.find(id);
  return it != by_id_.end() && now - it->second->first < ttl_;
}

void SeenCache::erase(const MessageId& id) {
  auto it = by_id_.find(id);
  if (it == by_id_.end()) return;
  order_.erase(it->second);
  by_id_.erase(it);
}

void SeenCache::expire(TimePoint now) {
  while (!order_.empty() && now - order_.front().first >= ttl_) {
    by_id_.erase(order_.front().second);
    order_.pop_front();
  }
}

}  // namespace weft::gossip
