#include "handshake/replay_cache.hpp"

namespace weft::handshake {

ReplayCache::ReplayCache(std::size_t capacity) : capacity_(capacity) {}

bool ReplayCache::insert(const Nonce& nonce, std::uint64_t expires_at_ms, std::uint64_t now_ms) {
  expire(now_ms);
  if (expiry_by_nonce_.contains(nonce)) return false;
  // Already past its window: no Hello carrying it can pass the timestamp check again.
  if (expires_at_ms < now_ms || capacity_ == 0) return true;
  if (expiry_by_nonce_.size() >= capacity_) {
    const auto soonest = by_expiry_.begin();
    expiry_by_nonce_.erase(soonest->second);
    by_expiry_.erase(soonest);
    ++evictions_;
  }
  expiry_by_nonce_.emplace(nonce, expires_at_ms);
  by_expiry_.emplace(expires_at_ms, nonce);
  return true;
}

std::size_t ReplayCache::size() const noexcept { return expiry_by_nonce_.size(); }

void ReplayCache::expire(std::uint64_t now_ms) {
  // An entry lives through its expires_at_ms inclusive.
  while (!by_expiry_.empty() && by_expiry_.begin()->first < now_ms) {
    expiry_by_nonce_.erase(by_expiry_.begin()->second);
    by_expiry_.erase(by_expiry_.begin());
  }
}

}  // namespace weft::handshake
