#pragma once
// What a Node reports to its subscribers, and its statistics snapshot.

#include <weft/error.hpp>
#include <weft/peer_id.hpp>

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace weft {

/// One change in the node's connection table.
struct NodeEvent {
  enum class Kind : std::uint8_t {
    connected,       ///< a connection was established (see `inbound`)
    disconnected,    ///< a connection closed; `reason` says why
    degraded,        ///< a connection's health fell below the threshold; `reason` says why
    recovered,       ///< it recovered
    circuit_opened,  ///< the peer's breaker opened: requests to it fail fast for a while
    circuit_closed,  ///< the breaker closed again
    pool_exhausted,  ///< a request had to wait for (or failed on) a limit; `reason` names it
    lease_leaked,    ///< a stream was held longer than lease_leak_threshold_ms; `detail` says where
    refused,         ///< an inbound connection was refused (failed handshake, a cap); `detail`
                     ///< is the remote "address:port", `reason` why; no `peer`
    // The peer manager's (absent when NodeConfig::peer_manager.enabled is false):
    peer_discovered,  ///< a peer new to the peerstore; `detail` says how it was learned
    peer_trimmed,     ///< one of its connections is being closed; `reason` says why
    peer_banned,      ///< it is banned; `reason` says why and until when
    peer_unbanned,    ///< its ban ended
    peerstore_set_aside,  ///< the peerstore file was unreadable and moved aside (`detail`:
                          ///< where to); `reason` is what was wrong; no `peer`
    gossip_slow_peer,     ///< RPCs to a gossip peer were dropped from its full send queue,
                          ///< lowest priority first (`reason` says how many); at most one
                          ///< per peer and second
  };
  Kind kind = Kind::connected;
  std::optional<PeerId> peer;  ///< set for every kind but refused and peerstore_set_aside
  std::uint64_t connection = 0;  ///< the connection's id within this node
  bool inbound = false;
  Error reason;  ///< no error (code 0) for connected, recovered, circuit_closed, lease_leaked
  /// lease_leaked: how long the stream was held and where it was acquired; refused: the remote.
  std::string detail;
};

/// A gossip message delivered on a subscribed topic.
struct TopicMessage {
  std::string topic;
  std::string id;               ///< the message id's bytes (author PeerId bytes || seqno by default)
  std::optional<PeerId> author; ///< who signed it
  std::uint64_t seqno = 0;      ///< the author's sequence number
  std::vector<std::uint8_t> data;
  PeerId received_from;         ///< the peer it came from first
};

/// "connected", "disconnected", ... (the enumerator's name).
const char* to_string(NodeEvent::Kind kind) noexcept;

/// A snapshot of the connection table. Gauges describe the moment it was taken; counters
/// count since start() and never decrease.
struct NodeStatistics {
  // gauges
  std::size_t connecting = 0;
  std::size_t ready = 0;
  std::size_t busy = 0;
  std::size_t draining = 0;
  std::size_t closed = 0;
  std::map<PeerId, std::size_t> connections_per_peer;
  std::size_t leased_streams = 0;
  std::size_t waiting_acquirers = 0;
  // counters
  std::uint64_t acquired = 0;
  std::uint64_t connections_created = 0;
  std::uint64_t connections_closed = 0;
  std::uint64_t connections_reused = 0;
  std::uint64_t connections_failed = 0;
  std::uint64_t acquires_timed_out = 0;
  std::uint64_t bytes_in = 0;
  std::uint64_t bytes_out = 0;
  // derived
  double hit_rate = 0;            ///< connections_reused / acquired
  double average_connect_ms = 0;  ///< mean dial-to-established time of outbound connections
  double average_rtt_ms = 0;      ///< mean smoothed RTT of the current connections
  /// One line for logs, e.g. "connections 3 (connecting 0, ready 2, ...), peers 2, ...".
  std::string summary;

  /// connecting + ready + busy + draining.
  std::size_t open_connections() const noexcept { return connecting + ready + busy + draining; }
};

}  // namespace weft
