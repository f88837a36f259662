#pragma once
// A snapshot of the connection table's statistics (the list), filled by the table
// on request; the ratios are computed here so every reader divides the same way.
//
// Gauges describe the moment of the snapshot; counters count since the table started and
// never decrease.

#include <weft/peer_id.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>

namespace weft::conn {

struct PoolStats {
  // --- gauges: connections by state (one list per state in the table) ---
  std::size_t connecting = 0;
  std::size_t ready = 0;
  std::size_t busy = 0;
  std::size_t draining = 0;
  std::size_t closed = 0;  ///< closed but not yet removed
  /// Connections per peer (every state but closed); peers without one are absent.
  std::map<PeerId, std::size_t> connections_per_peer;
  std::size_t leased_streams = 0;
  std::size_t waiting_acquirers = 0;

  // --- counters ---
  std::uint64_t acquired = 0;             ///< acquires that got a stream
  std::uint64_t connections_created = 0;  ///< established (inbound and outbound)
  std::uint64_t connections_closed = 0;
  std::uint64_t connections_reused = 0;   ///< acquires served by an existing connection
  std::uint64_t connections_failed = 0;   ///< dials or handshakes that failed
  std::uint64_t acquires_timed_out = 0;   ///< acquires that gave up after acquire_timeout_ms
  /// Sum and count of dial-to-established times of outbound connections.
  std::chrono::microseconds connect_time_total{0};
  std::uint64_t connect_time_samples = 0;
  /// Sum and count of the current connections' smoothed RTTs (a gauge, like the states).
  std::chrono::microseconds rtt_total{0};
  std::uint64_t rtt_samples = 0;
  std::uint64_t bytes_in = 0;
  std::uint64_t bytes_out = 0;

  /// connecting + ready + busy + draining.
  std::size_t open_connections() const noexcept;
  /// connections_reused / acquired, in [0, 1]; 0 before the first acquire.
  double hit_rate() const noexcept;
  /// connections_reused / connections_created: how many times a connection serves again
  /// on average (may exceed 1); 0 before the first connection.
  double reuse_rate() const noexcept;
  /// Mean connect time in milliseconds; 0 without samples.
  double average_connect_ms() const noexcept;
  /// Mean smoothed RTT in milliseconds; 0 without samples.
  double average_rtt_ms() const noexcept;

  /// One line for logs and `weft status`, e.g. "connections 3 (connecting 0, ready 2, busy 1,
  /// draining 0, closed 0), peers 2, leased 4, waiting 0, acquired 10, created 3, closed 0,
  /// reused 7, failed 1, timed out 0, hit rate 70.0%, reuse rate 2.33, connect 12.500 ms,
  /// rtt 0.250 ms, bytes in 100 out 200".
  std::string summary() const;
};

}  // namespace weft::conn
