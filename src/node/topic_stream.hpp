#pragma once
// The admin API's topic stream (`GET /v1/subscribe?topic=T`) without the sockets: the JSON
// line for one delivered message, and the bounded queue of lines waiting for a (possibly
// slow) HTTP client.
//
// Lines (one JSON object each, no newline here):
//   {"topic": "t", "from": "<PeerId>"|null, "seqno": 7, "id": "<hex>", "data": "<base64>",
//    "received_at": "2026-11-23T14:05:09.123Z", "received_from": "<PeerId>"}
//   {"dropped": 3}   3 messages were dropped here (the queue was full)
//
// The queue holds at most max_messages lines and max_bytes bytes of them; a line past
// either is dropped and counted, and the count comes out as a {"dropped": N} line in the
// place of the lost messages (after the lines queued before them, before any later one).
// Not thread-safe (the network thread owns it). Nothing here throws on any input.

#include "node/gossip_service.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>

namespace weft::node {

/// `at` in UTC as RFC 3339 with milliseconds: "2026-11-23T14:05:09.123Z".
std::string rfc3339_milliseconds(std::chrono::system_clock::time_point at);

/// The stream line of `delivery`, received at `received_at`.
std::string topic_message_line(const GossipDelivery& delivery, std::chrono::system_clock::time_point received_at);

/// {"dropped": n}
std::string dropped_line(std::uint64_t n);

class TopicStreamQueue {
 public:
  /// Both bounds at least 1 (0 is taken as 1).
  TopicStreamQueue(std::size_t max_messages, std::size_t max_bytes);

  /// Queues `line`; false if it was dropped (the queue is full, by count or bytes).
  bool push(std::string line);
  /// The next line to send (a {"dropped": N} line where messages were lost), or nullopt.
  std::optional<std::string> pop();

  bool empty() const noexcept { return lines_.empty() && pending_dropped_ == 0; }
  std::size_t queued() const noexcept { return lines_.size(); }
  std::size_t queued_bytes() const noexcept { return bytes_; }
  /// Lines dropped since the queue was made.
  std::uint64_t dropped() const noexcept { return dropped_; }

 private:
  struct Entry {
    std::string line;
    std::uint64_t dropped_before = 0;  ///< messages lost just before this one
  };
  std::size_t max_messages_;
  std::size_t max_bytes_;
  std::deque<Entry> lines_;
  std::size_t bytes_ = 0;
  std::uint64_t pending_dropped_ = 0;  ///< lost after the last queued line
  std::uint64_t dropped_ = 0;
};

}  // namespace weft::node
