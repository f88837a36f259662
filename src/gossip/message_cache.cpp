#include "gossip/message_cache.hpp"

#include <algorithm>

namespace weft::gossip {

MessageCache::MessageCache(std::size_t history_windows, std::size_t gossip_windows, std::size_t max_entries)
    : history_windows_(std::max<std::size_t>(history_windows, 1)),
      gossip_windows_(std::min(gossip_windows, history_windows_)),
      max_entries_(max_entries),
      windows_(1) {}

bool MessageCache::put(const MessageId& id, MessagePtr message) {
  if (entries_.count(id) != 0) return false;
  if (entries_.size() >= max_entries_) {
    ++refused_;
    return false;
  }
  TopicId topic = message->topic.value_or(TopicId());
  entries_.emplace(id, Entry{std::move(message), {}});
  windows_.front().push_back({id, std::move(topic)});
  return true;
}

MessagePtr MessageCache::get(const MessageId& id) const {
  auto it = entries_.find(id);
  return it == entries_.end() ? nullptr : it->second.message;
}

std::optional<std::pair<MessagePtr, std::size_t>> MessageCache::get_for_peer(const MessageId& id,
                                                                             const PeerId& peer) {
  auto it = entries_.find(id);
  if (it == entries_.end()) return std::nullopt;
  const std::size_t n = ++it->second.requests[peer];
  return std::pair{it->second.message, n};
}

std::vector<MessageId> MessageCache::gossip_ids(const TopicId& topic) const {
  std::vector<MessageId> out;
  for (std::size_t w = 0; w < gossip_windows_ && w < windows_.size(); ++w) {
    for (const WindowItem& item : windows_[w]) {
      if (item.topic == topic) out.push_back(item.id);
    }
  }
  return out;
}

void MessageCache::shift() {
  windows_.emplace_front();
  while (windows_.size() > history_windows_) {
    for (const WindowItem& item : windows_.back()) entries_.erase(item.id);
    windows_.pop_back();
  }
}

}  // namespace weft::gossip
