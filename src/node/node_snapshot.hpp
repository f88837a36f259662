#pragma once
// What the admin API reports about a running node: plain values copied out of the network
// thread's state (no Asio, no pointers into the pool), so rendering them needs no locks.

#include <weft/multiaddr.hpp>
#include <weft/node_events.hpp>
#include <weft/peer_id.hpp>

#include "peer/inbound_gate.hpp"
#include "peer/peer_manager.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace weft::node {

/// Counters of the peer manager's driver (node/peer_service.hpp); its parts keep their own
/// (PeerManagerStats, InboundGateStats).
struct PeerServiceCounters {
  std::uint64_t exchanges_sent = 0;      ///< peer exchange requests made
  std::uint64_t exchanges_failed = 0;    ///< ... that got no usable answer
  std::uint64_t exchanges_invalid = 0;   ///< ... whose answer broke the protocol (reported)
  std::uint64_t exchanges_answered = 0;  ///< requests from peers answered with a sample
  std::uint64_t exchanges_refused = 0;   ///< requests refused (malformed, or too soon again)
  std::uint64_t addresses_learned = 0;   ///< new addresses stored from exchanges and adverts
  std::uint64_t store_flushes = 0;
  std::uint64_t store_flush_errors = 0;
  std::uint64_t bad_signature_bans = 0;  ///< addresses banned for a bad handshake signature
};

/// The peer manager's state and counters.
struct PeerManagerSnapshot {
  std::size_t known_peers = 0;  ///< peerstore records
  std::size_t known_addresses = 0;
  std::size_t connected_peers = 0;
  std::size_t connections = 0;  ///< the count the watermarks apply to
  std::size_t low_watermark = 0;
  std::size_t high_watermark = 0;
  std::size_t dials_in_flight = 0;
  std::size_t banned_peers = 0;
  std::size_t banned_addresses = 0;
  bool trimming = false;
  std::string store_path;  ///< empty: in memory
  PeerServiceCounters counters;
  peer::PeerManagerStats manager;
  peer::InboundGateStats gate;
};

struct StatusSnapshot {
  PeerId peer_id;
  std::vector<Multiaddr> listen_addresses;  ///< full form, ending in /p2p/<peer_id>
  std::uint64_t uptime_ms = 0;              ///< since this run's start()
  std::size_t inbound = 0;                  ///< open connections (every state but closed) by direction
  std::size_t outbound = 0;
  NodeStatistics statistics;
  std::optional<PeerManagerSnapshot> peer_manager;  ///< nullopt: the peer manager is off
};

struct ConnectionSnapshot {
  std::uint64_t id = 0;
  bool inbound = false;
  /// "connecting", "ready", "busy", "draining" or "closed" (the table's state).
  std::string state;
  /// /ip4|ip6/<address>/tcp/<port> of the other end; empty while connecting.
  std::string remote_address;
  /// Since the handshake completed; nullopt while connecting.
  std::optional<std::uint64_t> age_ms;
  std::size_t leased_streams = 0;  ///< streams handed out by the table on it
  std::size_t open_streams = 0;    ///< yamux streams open on it, both directions
  std::optional<double> rtt_ms;    ///< smoothed keep-alive round trip, once measured
  bool degraded = false;           ///< its health score is below the threshold
};

/// One subscribed gossip topic; its counters count since it was subscribed
/// (weft::TopicStatistics has their meaning).
struct TopicSnapshot {
  std::string topic;
  std::size_t mesh_peers = 0;  ///< peers in our mesh for it
  std::size_t peers = 0;       ///< connected peers subscribed to it
  std::uint64_t delivered = 0;
  std::uint64_t duplicates = 0;
  std::uint64_t rejected = 0;
  std::uint64_t ignored = 0;
  std::uint64_t dropped = 0;
  std::uint64_t idontwant_sent = 0;
  std::uint64_t idontwant_received = 0;
};

/// The gossip router's topics and main counters.
struct GossipSnapshot {
  bool enabled = false;
  std::vector<TopicSnapshot> topics;  ///< by name
  std::uint64_t published = 0;
  std::uint64_t delivered = 0;   ///< messages accepted (delivered to our subscribers)
  std::uint64_t duplicates = 0;  ///< copies dropped before any signature work
  std::uint64_t rejected = 0;    ///< invalid or rejected messages
  std::uint64_t ignored = 0;     ///< ignored by a validator, or past a validation/signature queue
};

struct PeerSnapshot {
  PeerId peer_id;
  std::vector<ConnectionSnapshot> connections;  ///< by id
  std::optional<double> score;  ///< the peerstore's score; nullopt without a peer manager
};

}  // namespace weft::node
