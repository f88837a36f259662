#pragma once
// The ids of messages already taken in (signature checked), so a copy is dropped before
// any signature or validation work (ABUSE.md row 31). An entry lives for `ttl` after its
// insertion; the cache never holds more than `max_entries`: inserting into a full cache
// first drops the oldest entry (counted in evictions()).

#include "gossip/gossip_time.hpp"
#include "gossip/rpc.hpp"

#include <cstddef>
#include <cstdint>
#include <list>
#include <unordered_map>
#include <utility>

namespace weft::gossip {

class SeenCache {
 public:
  SeenCache(Duration ttl, std::size_t max_entries);

  /// Records `id` at `now`. Returns false, changing nothing, if it is already present.
  bool insert(const MessageId& id, TimePoint now);
  /// True while `id` was inserted less than ttl before `now`.
  bool contains(const MessageId& id, TimePoint now) const;
  /// Forgets `id` (a message dropped before it was judged, so a later copy is examined).
  void erase(const MessageId& id);
  /// Drops every entry whose ttl has run out at `now`.
  void expire(TimePoint now);

  std::size_t size() const noexcept { return by_id_.size(); }
  std::uint64_t evictions() const noexcept { return evictions_; }

 private:
  using Order = std::list<std::pair<TimePoint, MessageId>>;  ///< oldest first

  Duration ttl_;
  std::size_t max_entries_;
  Order order_;
  std::unordered_map<MessageId, Order::iterator> by_id_;
  std::uint64_t evictions_ = 0;
};

}  // namespace weft::gossip
