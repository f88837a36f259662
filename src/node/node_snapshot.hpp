#pragma once
// What the admin API reports about a running node: plain values copied out of the network
// thread's state (no Asio, no pointers into the pool), so rendering them needs no locks.

#include <weft/multiaddr.hpp>
#include <weft/node_events.hpp>
#include <weft/peer_id.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace weft::node {

struct StatusSnapshot {
  PeerId peer_id;
  std::vector<Multiaddr> listen_addresses;  ///< full form, ending in /p2p/<peer_id>
  std::uint64_t uptime_ms = 0;              ///< since this run's start()
  std::size_t inbound = 0;                  ///< open connections (every state but closed) by direction
  std::size_t outbound = 0;
  NodeStatistics statistics;
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

struct PeerSnapshot {
  PeerId peer_id;
  std::vector<ConnectionSnapshot> connections;  ///< by id
};

}  // namespace weft::node
