#pragma once
// Recently accepted messages, for IHAVE gossip and IWANT answers (gossipsub v1.0
// "Message Cache"). Time is cut into heartbeat windows: shift() opens a new window and
// forgets the oldest, so a message is served for `history_windows` heartbeats and
// advertised during the first `gossip_windows` of them. At most `max_entries` messages
// are held; put() into a full cache refuses (counted in refused()).
//
// It also counts how often each peer asked for each message, so IWANT answers to one peer
// can be capped (gossipsub v1.1 "Spam Protection Measures").

#include <weft/peer_id.hpp>

#include "gossip/rpc.hpp"

#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <unordered_map>
#include <vector>

namespace weft::gossip {

class MessageCache {
 public:
  MessageCache(std::size_t history_windows, std::size_t gossip_windows, std::size_t max_entries);

  /// Adds an accepted message to the newest window. False if present or the cache is full.
  bool put(const MessageId& id, MessagePtr message);

  /// The message, while it is cached.
  MessagePtr get(const MessageId& id) const;

  /// For an IWANT from `peer`: the message and how many times `peer` has now asked for it
  /// (this request included); nullopt when it is not cached.
  std::optional<std::pair<MessagePtr, std::size_t>> get_for_peer(const MessageId& id, const PeerId& peer);

  /// Ids of `topic` in the newest gossip_windows windows, newest window first.
  std::vector<MessageId> gossip_ids(const TopicId& topic) const;

  /// Opens a new window and forgets the messages of the oldest one beyond history_windows.
  void shift();

  std::size_t size() const noexcept { return entries_.size(); }
  std::uint64_t refused() const noexcept { return refused_; }

 private:
  struct Entry {
    MessagePtr message;
    std::map<PeerId, std::size_t> requests;  ///< IWANTs per peer
  };
  struct WindowItem {
    MessageId id;
    TopicId topic;
  };

  std::size_t history_windows_;
  std::size_t gossip_windows_;
  std::size_t max_entries_;
  std::deque<std::vector<WindowItem>> windows_;  ///< front is the newest
  std::unordered_map<MessageId, Entry> entries_;
  std::uint64_t refused_ = 0;
};

}  // namespace weft::gossip
