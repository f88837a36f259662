#pragma once
// The router's send queues: one per peer, byte-bounded, in four priorities (control >
// own publish > forward > IHAVE gossip). pop() serves peers round-robin and, within a
// peer, the highest priority first, FIFO inside a priority; pop_for() serves one peer the
// same way, for a driver that writes to each peer when its stream is free (take_pushed()
// names the peers that got something since it last asked).
//
// Past a peer's byte cap the lowest priority goes first: whole items, oldest first, from
// the lowest non-empty priority, until the queue fits (an item larger than the cap alone
// never fits and is dropped too). Nothing a slow peer does grows memory past the cap.

#include <weft/peer_id.hpp>

#include "gossip/rpc.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <set>
#include <vector>

namespace weft::gossip {

enum class Priority : std::uint8_t { control = 0, publish = 1, forward = 2, gossip = 3 };
inline constexpr std::size_t kPriorities = 4;

/// One RPC for one peer, what poll_outbound() hands the driver.
struct Outbound {
  PeerId peer;
  Rpc rpc;
  Priority priority = Priority::control;
};

class OutboundQueue {
 public:
  explicit OutboundQueue(std::size_t max_bytes_per_peer) : max_bytes_per_peer_(max_bytes_per_peer) {}

  struct Dropped {
    std::size_t items = 0;
    std::size_t bytes = 0;
    /// The messages the dropped items carried (shared, not copied), for per-topic counts.
    std::vector<MessagePtr> messages;
  };

  /// Queues `rpc` for `peer`. `message_id`: set when the RPC carries exactly that one
  /// message, so drop_message() can find it. Returns what the byte cap made it drop.
  Dropped push(const PeerId& peer, Rpc rpc, Priority priority, std::optional<MessageId> message_id = {});

  /// Removes queued copies of message `id` for `peer` (the peer said IDONTWANT); returns
  /// how many were removed.
  std::size_t drop_message(const PeerId& peer, const MessageId& id);

  std::optional<Outbound> pop();
  /// The next item for `peer` (highest priority first), or nothing when it has none.
  std::optional<Outbound> pop_for(const PeerId& peer);
  /// The peers that had an item queued since the last call, each once (at most one entry
  /// per peer is kept between calls).
  std::vector<PeerId> take_pushed();

  /// Forgets everything queued for `peer`.
  void remove_peer(const PeerId& peer);

  std::size_t queued_bytes(const PeerId& peer) const;
  std::size_t queued_items(const PeerId& peer) const;
  bool empty() const noexcept { return ready_.empty(); }

 private:
  struct Item {
    Rpc rpc;
    std::size_t bytes = 0;
    std::optional<MessageId> message_id;
  };
  struct PeerQueue {
    std::array<std::deque<Item>, kPriorities> items;
    std::size_t bytes = 0;
    std::size_t count = 0;
    bool in_ready = false;  ///< listed in ready_
  };

  std::size_t max_bytes_per_peer_;
  std::map<PeerId, PeerQueue> queues_;
  std::deque<PeerId> ready_;  ///< peers with something queued, in service order
  std::set<PeerId> pushed_;   ///< for take_pushed()
};

}  // namespace weft::gossip
