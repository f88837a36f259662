#pragma once
// Every knob of the connection table (docs/connection_table.md), with its default. Each
// limit has a counter in PoolStats or an event when it is hit.

#include <weft/multiaddr.hpp>
#include <weft/peer_id.hpp>

#include "conn/backoff.hpp"
#include "conn/circuit_breaker.hpp"
#include "conn/health_score.hpp"
#include "conn/peer_usage.hpp"

#include <chrono>
#include <cstddef>
#include <vector>

namespace weft::conn {

/// A peer dialed when the table starts, without waiting for an acquire.
struct WarmupPeer {
  PeerId peer;
  std::vector<Multiaddr> addresses;
};

struct ConnectionTableConfig {
  /// Connections to one peer, in every state but closed (dials in progress count).
  std::size_t max_connections_per_peer = 3;
  /// Connections in the table, in every state but closed.
  std::size_t max_total_connections = 1000;
  /// Inbound connections; past it new inbound ones are refused, so that outbound slots
  /// (max_total_connections - this) stay free for our own dials.
  std::size_t max_inbound_connections = 800;
  /// Leased streams on one connection (the muxer enforces its own cap on all streams).
  std::size_t max_streams_per_connection = 256;
  /// A second connection to a peer is dialed only once every connection to it carries at
  /// least this many leased streams.
  std::size_t streams_before_new_connection = 64;

  /// Dial plus handshake (enforced by the driver).
  std::chrono::milliseconds connect_timeout_ms{10'000};
  /// How long an acquire waits for a stream when limits are reached or a dial is running.
  std::chrono::milliseconds acquire_timeout_ms{5'000};
  /// Acquires waiting at once, over all peers; past it an acquire fails at once.
  std::size_t max_waiting_acquirers = 10'000;

  /// A connection with no leased stream for this long is closed (keep-alive peers spared).
  std::chrono::milliseconds idle_timeout_ms{300'000};
  /// How often idle eviction and the leak report run.
  std::chrono::milliseconds cleanup_interval_ms{30'000};
  /// How often health scores are evaluated (Degraded / Recovered events, dead connections).
  std::chrono::milliseconds health_check_interval_ms{30'000};

  /// The most-used peers whose connections idle eviction spares and that are redialed
  /// (with backoff) when their last connection drops.
  std::size_t keep_alive_count = 5;
  std::size_t min_connections_per_keep_alive_peer = 1;
  /// Dialed at start, without blocking it.
  std::vector<WarmupPeer> warmup_peers;

  /// An inbound and an outbound connection to the same peer established within this
  /// window of each other are a simultaneous dial: one is closed (docs/connection_table.md).
  std::chrono::milliseconds simultaneous_dial_window_ms{5'000};

  /// A peer with no connection and no waiting acquire is forgotten (its backoff and breaker
  /// with it) this long after its last failed dial; a peer that never failed, at once. Keeps
  /// the per-peer records bounded by the peers in use plus the recently failed ones.
  std::chrono::milliseconds failed_peer_memory_ms{600'000};

  /// A lease held longer than this is reported (LeaseLeaked event), once.
  std::chrono::milliseconds lease_leak_threshold_ms{60'000};

  /// Retries of a failed dial while acquires wait, and redials of keep-alive peers.
  BackoffConfig backoff;
  CircuitBreakerConfig circuit;
  HealthScoreConfig health;
  PeerUsageConfig usage;
};

}  // namespace weft::conn
