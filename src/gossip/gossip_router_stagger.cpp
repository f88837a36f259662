// GossipRouter: staggered sends of large messages (GossipConfig::stagger_*). A copy held
// back waits in `staggered_` until its due time; handle_tick() releases what is due, unless
// the peer said IDONTWANT for it or sent us a copy meanwhile.

#include "gossip/gossip_router.hpp"

#include <chrono>

namespace weft::gossip {

bool GossipRouter::staggers(const Message& message, std::size_t peers) const {
  return config_.stagger_interval_us > 0 && message.data_bytes() >= config_.stagger_min_message_bytes &&
         peers > config_.stagger_first_peers;
}

void GossipRouter::stagger(const MessageId& id, const MessagePtr& message, std::vector<PeerId> peers,
                           Priority priority) {
  rng_.shuffle(peers);
  const auto interval = std::chrono::microseconds(config_.stagger_interval_us);
  for (std::size_t i = 0; i < peers.size(); ++i) {
    if (i < config_.stagger_first_peers || staggered_.size() >= config_.max_staggered_sends) {
      send_copy(peers[i], id, message, priority);
      continue;
    }
    const auto due = now_ + interval * static_cast<std::int64_t>(i + 1 - config_.stagger_first_peers);
    staggered_.emplace(due, StaggeredSend{id, message, peers[i], priority});
    ++stats_.staggered_sends;
  }
}

void GossipRouter::release_staggered() {
  while (!staggered_.empty() && staggered_.begin()->first <= now_) {
    auto due = staggered_.extract(staggered_.begin());
    const StaggeredSend& s = due.mapped();
    const auto peer = peers_.find(s.peer);
    if (peer == peers_.end()) continue;  // gone meanwhile
    if (peer->second.dont_send.count(s.id) != 0) {
      ++stats_.stagger_suppressed;
      continue;
    }
    send_copy(s.peer, s.id, s.message, s.priority);
  }
}

void GossipRouter::cancel_staggered(const MessageId& id, const PeerId& peer) {
  for (auto it = staggered_.begin(); it != staggered_.end();) {
    if (it->second.peer == peer && it->second.id == id) {
      it = staggered_.erase(it);
      ++stats_.stagger_suppressed;
    } else {
      ++it;
    }
  }
}

std::optional<TimePoint> GossipRouter::next_deadline() const {
  if (staggered_.empty()) return next_heartbeat_;
  const TimePoint first = staggered_.begin()->first;
  if (!next_heartbeat_) return first;
  return std::min(first, *next_heartbeat_);
}

}  // namespace weft::gossip
