#include "node/node_events_mapping.hpp"

#include <string>

namespace weft {

const char* to_string(NodeEvent::Kind kind) noexcept {
  switch (kind) {
    case NodeEvent::Kind::connected: return "connected";
    case NodeEvent::Kind::disconnected: return "disconnected";
    case NodeEvent::Kind::degraded: return "degraded";
    case NodeEvent::Kind::recovered: return "recovered";
    case NodeEvent::Kind::circuit_opened: return "circuit_opened";
    case NodeEvent::Kind::circuit_closed: return "circuit_closed";
    case NodeEvent::Kind::pool_exhausted: return "pool_exhausted";
    case NodeEvent::Kind::lease_leaked: return "lease_leaked";
    case NodeEvent::Kind::refused: return "refused";
    case NodeEvent::Kind::peer_discovered: return "peer_discovered";
    case NodeEvent::Kind::peer_trimmed: return "peer_trimmed";
    case NodeEvent::Kind::peer_banned: return "peer_banned";
    case NodeEvent::Kind::peer_unbanned: return "peer_unbanned";
    case NodeEvent::Kind::peerstore_set_aside: return "peerstore_set_aside";
    case NodeEvent::Kind::gossip_slow_peer: return "gossip_slow_peer";
  }
  return "unknown";
}

namespace node {

NodeEvent to_node_event(const conn::TableEvent& e) {
  using From = conn::TableEvent::Kind;
  using To = NodeEvent::Kind;
  NodeEvent out{To::connected, e.peer, e.connection, e.direction == conn::Direction::inbound, e.reason, {}};
  switch (e.kind) {
    case From::connected: out.kind = To::connected; break;
    case From::disconnected: out.kind = To::disconnected; break;
    case From::degraded: out.kind = To::degraded; break;
    case From::recovered: out.kind = To::recovered; break;
    case From::circuit_opened: out.kind = To::circuit_opened; break;
    case From::circuit_closed: out.kind = To::circuit_closed; break;
    case From::pool_exhausted: out.kind = To::pool_exhausted; break;
    case From::lease_leaked: out.kind = To::lease_leaked; break;
  }
  if (e.leak) {
    out.detail = "held " + std::to_string(e.leak->held.count()) + " ms, acquired at " + e.leak->where.file_name() + ":" +
                 std::to_string(e.leak->where.line());
  }
  return out;
}

NodeEvent refused_event(const tcp::endpoint& remote, const Error& reason) {
  const std::string address = remote.address().to_string();
  NodeEvent out{NodeEvent::Kind::refused, std::nullopt, 0, true, reason,
                (remote.address().is_v6() ? "[" + address + "]" : address) + ":" + std::to_string(remote.port())};
  return out;
}

NodeStatistics to_node_statistics(const conn::PoolStats& s) {
  NodeStatistics out;
  out.connecting = s.connecting;
  out.ready = s.ready;
  out.busy = s.busy;
  out.draining = s.draining;
  out.closed = s.closed;
  out.connections_per_peer = s.connections_per_peer;
  out.leased_streams = s.leased_streams;
  out.waiting_acquirers = s.waiting_acquirers;
  out.acquired = s.acquired;
  out.connections_created = s.connections_created;
  out.connections_closed = s.connections_closed;
  out.connections_reused = s.connections_reused;
  out.connections_failed = s.connections_failed;
  out.acquires_timed_out = s.acquires_timed_out;
  out.bytes_in = s.bytes_in;
  out.bytes_out = s.bytes_out;
  out.hit_rate = s.hit_rate();
  out.average_connect_ms = s.average_connect_ms();
  out.average_rtt_ms = s.average_rtt_ms();
  out.summary = s.summary();
  return out;
}

}  // namespace node
}  // namespace weft
