#include "conn/pool_stats.hpp"

#include <fmt/format.h>

namespace weft::conn {
namespace {

double ratio(double num, double den) noexcept { return den == 0.0 ? 0.0 : num / den; }

double mean_ms(std::chrono::microseconds total, std::uint64_t samples) noexcept {
  return ratio(static_cast<double>(total.count()) / 1000.0, static_cast<double>(samples));
}

}  // namespace

std::size_t PoolStats::open_connections() const noexcept { return connecting + ready + busy + draining; }

double PoolStats::hit_rate() const noexcept {
  return ratio(static_cast<double>(connections_reused), static_cast<double>(acquired));
}

double PoolStats::reuse_rate() const noexcept {
  return ratio(static_cast<double>(connections_reused), static_cast<double>(connections_created));
}

double PoolStats::average_connect_ms() const noexcept { return mean_ms(connect_time_total, connect_time_samples); }

double PoolStats::average_rtt_ms() const noexcept { return mean_ms(rtt_total, rtt_samples); }

std::string PoolStats::summary() const {
  return fmt::format(
      "connections {} (connecting {}, ready {}, busy {}, draining {}, closed {}), peers {}, leased {}, "
      "waiting {}, acquired {}, created {}, closed {}, reused {}, failed {}, timed out {}, hit rate {:.1f}%, "
      "reuse rate {:.2f}, connect {:.3f} ms, rtt {:.3f} ms, bytes in {} out {}",
      open_connections(), connecting, ready, busy, draining, closed, connections_per_peer.size(), leased_streams,
      waiting_acquirers, acquired, connections_created, connections_closed, connections_reused, connections_failed,
      acquires_timed_out, hit_rate() * 100.0, reuse_rate(), average_connect_ms(), average_rtt_ms(), bytes_in,
      bytes_out);
}

}  // namespace weft::conn
