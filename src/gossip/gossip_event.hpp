#pragma once
// What the router tells the application (GossipRouter::poll_event()).

#include <weft/error.hpp>
#include <weft/peer_id.hpp>

#include "gossip/rpc.hpp"

#include <variant>
#include <vector>

namespace weft::gossip::event {

/// An accepted message on a topic we subscribe to, once per message id.
struct Delivery {
  TopicId topic;
  MessageId id;
  MessagePtr message;
  PeerId source;  ///< the peer it came from first
};

/// A message waits for the topic's validator: answer with report_validation(id, ...).
struct ValidationRequest {
  TopicId topic;
  MessageId id;
  MessagePtr message;
  PeerId source;
};

/// With GossipConfig::async_signature_checks: check the message's signature
/// (verify_message, safe on any thread) and answer with report_signature(id, ...).
struct SignatureCheck {
  MessageId id;
  MessagePtr message;
};

/// A peer was penalized (its score lowered) for `reason`.
struct PeerPenalized {
  PeerId peer;
  Error reason;
};

/// A peer's send queue passed its byte cap: lower-priority RPCs were dropped.
struct SlowPeer {
  PeerId peer;
  std::size_t dropped_items = 0;
  std::size_t dropped_bytes = 0;
};

/// A peer that pruned us offered others to connect to (we trust it enough to listen).
struct PeerExchange {
  TopicId topic;
  PeerId from;
  std::vector<PeerInfo> peers;
};

}  // namespace weft::gossip::event

namespace weft::gossip {
using GossipEvent = std::variant<event::Delivery, event::ValidationRequest, event::PeerPenalized,
                                 event::SlowPeer, event::PeerExchange, event::SignatureCheck>;
}
