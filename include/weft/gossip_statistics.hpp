#pragma once
// A running node's gossip counters (Node::gossip_statistics()): plain values copied out of
// the network thread, safe to keep and read on any thread.
//
// Whole-router counters count since the node's start() (a restart begins again at 0).
// Per-topic counters count since the topic was subscribed in this run; only topics we
// subscribe to have entries (a peer cannot add any).

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace weft {

/// One subscribed topic.
struct TopicStatistics {
  std::string topic;
  std::size_t mesh_peers = 0;   ///< peers in our mesh for the topic
  std::size_t peers = 0;        ///< connected peers subscribed to it
  std::uint64_t delivered = 0;  ///< messages accepted and delivered to our handler
  std::uint64_t duplicates = 0; ///< copies dropped as already seen
  std::uint64_t rejected = 0;   ///< invalid signature or validator Reject
  std::uint64_t ignored = 0;    ///< validator Ignore, validation queue full
  std::uint64_t dropped = 0;    ///< copies for this topic dropped from a full peer send queue
  std::uint64_t idontwant_sent = 0;      ///< message ids announced
  std::uint64_t idontwant_received = 0;  ///< message ids
};

struct GossipStatistics {
  bool enabled = false;                 ///< false: gossip is off (gossip.enabled = false)
  std::vector<TopicStatistics> topics;  ///< subscribed topics, by name
  // Whole-router counters since start().
  std::uint64_t published = 0;
  std::uint64_t delivered = 0;   ///< messages accepted
  std::uint64_t duplicates = 0;  ///< copies dropped as already seen
  std::uint64_t rejected = 0;    ///< invalid signature or validator Reject
  std::uint64_t ignored = 0;     ///< validator Ignore, validation or signature queue full
  std::uint64_t messages_received = 0;
  std::uint64_t messages_forwarded = 0;  ///< copies queued to peers
  std::uint64_t rpcs_received = 0;
  std::uint64_t ihave_received = 0;
  std::uint64_t iwant_sent_ids = 0;
  std::uint64_t iwant_served = 0;
  std::uint64_t idontwant_sent = 0;      ///< IDONTWANT messages ids announced
  std::uint64_t idontwant_received = 0;  ///< IDONTWANT message ids received
  std::uint64_t grafts_sent = 0;
  std::uint64_t prunes_sent = 0;
  std::uint64_t send_queue_dropped = 0;  ///< RPC items dropped from full peer send queues
};

}  // namespace weft
