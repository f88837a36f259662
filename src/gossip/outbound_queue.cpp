#include "gossip/outbound_queue.hpp"

#include <algorithm>

namespace weft::gossip {

OutboundQueue::Dropped OutboundQueue::push(const PeerId& peer, Rpc rpc, Priority priority,
                                           std::optional<MessageId> message_id) {
  PeerQueue& q = queues_[peer];
  const std::size_t bytes = estimated_rpc_bytes(rpc);
  q.items[static_cast<std::size_t>(priority)].push_back({std::move(rpc), bytes, std::move(message_id)});
  q.bytes += bytes;
  ++q.count;
  Dropped dropped;
  for (std::size_t p = kPriorities; p-- > 0 && q.bytes > max_bytes_per_peer_;) {
    auto& list = q.items[p];
    while (!list.empty() && q.bytes > max_bytes_per_peer_) {
      q.bytes -= list.front().bytes;
      dropped.bytes += list.front().bytes;
      ++dropped.items;
      for (const MessagePtr& message : list.front().rpc.publish) dropped.messages.push_back(message);
      --q.count;
      list.pop_front();
    }
  }
  if (q.count > 0 && !q.in_ready) {
    ready_.push_back(peer);
    q.in_ready = true;
  }
  if (q.count > 0) pushed_.insert(peer);
  return dropped;
}

std::size_t OutboundQueue::drop_message(const PeerId& peer, const MessageId& id) {
  auto it = queues_.find(peer);
  if (it == queues_.end()) return 0;
  PeerQueue& q = it->second;
  std::size_t removed = 0;
  for (auto& list : q.items) {
    for (auto item = list.begin(); item != list.end();) {
      if (item->message_id && *item->message_id == id) {
        q.bytes -= item->bytes;
        --q.count;
        ++removed;
        item = list.erase(item);
      } else {
        ++item;
      }
    }
  }
  return removed;
}

std::optional<Outbound> OutboundQueue::pop() {
  while (!ready_.empty()) {
    const PeerId peer = ready_.front();
    ready_.pop_front();
    auto it = queues_.find(peer);
    if (it == queues_.end()) continue;
    PeerQueue& q = it->second;
    q.in_ready = false;
    for (std::size_t p = 0; p < kPriorities; ++p) {
      auto& list = q.items[p];
      if (list.empty()) continue;
      Outbound out{peer, std::move(list.front().rpc), static_cast<Priority>(p)};
      q.bytes -= list.front().bytes;
      --q.count;
      list.pop_front();
      if (q.count > 0) {
        ready_.push_back(peer);
        q.in_ready = true;
      } else {
        queues_.erase(it);
      }
      return out;
    }
    queues_.erase(it);  // emptied by drop_message()
  }
  return std::nullopt;
}

std::optional<Outbound> OutboundQueue::pop_for(const PeerId& peer) {
  auto it = queues_.find(peer);
  if (it == queues_.end()) return std::nullopt;
  PeerQueue& q = it->second;
  std::optional<Outbound> out;
  for (std::size_t p = 0; p < kPriorities && !out; ++p) {
    auto& list = q.items[p];
    if (list.empty()) continue;
    out = Outbound{peer, std::move(list.front().rpc), static_cast<Priority>(p)};
    q.bytes -= list.front().bytes;
    --q.count;
    list.pop_front();
  }
  // An emptied queue still listed in ready_ stays (empty) until pop() passes it, so that
  // ready_ never lists a peer twice.
  if (q.count == 0 && !q.in_ready) queues_.erase(it);
  return out;
}

std::vector<PeerId> OutboundQueue::take_pushed() {
  std::vector<PeerId> peers(pushed_.begin(), pushed_.end());
  pushed_.clear();
  return peers;
}

void OutboundQueue::remove_peer(const PeerId& peer) {
  queues_.erase(peer);
  std::erase(ready_, peer);
  pushed_.erase(peer);
}

std::size_t OutboundQueue::queued_bytes(const PeerId& peer) const {
  auto it = queues_.find(peer);
  return it == queues_.end() ? 0 : it->second.bytes;
}

std::size_t OutboundQueue::queued_items(const PeerId& peer) const {
  auto it = queues_.find(peer);
  return it == queues_.end() ? 0 : it->second.count;
}

}  // namespace weft::gossip
