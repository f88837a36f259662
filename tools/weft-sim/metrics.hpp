#pragma once
// What a run measured, and how it is printed. Only honest nodes count: deliveries of
// honest messages to honest nodes other than the publisher, bytes honest nodes sent from
// the first publish on, their router counters, their meshes at the end.

#include "event_queue.hpp"
#include "wire_size.hpp"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace weft::sim {

/// Order statistics of durations, in simulated milliseconds (nearest rank, as the anchor).
struct LatencySummary {
  std::size_t n = 0;
  double p50 = 0, p99 = 0, max = 0;
};
LatencySummary summarize(std::vector<SimTime> values);

/// Counts deliveries (once per node and message) and latencies.
class DeliveryLog {
 public:
  DeliveryLog(std::size_t nodes, std::size_t messages);
  /// Message `index` left its publisher at `at`; `receivers`: honest nodes that should get it.
  void published(std::uint32_t index, SimTime at, std::size_t receivers);
  /// Node `node` delivered message `index` at `at`. Repeats (a restarted node) are ignored.
  void delivered(std::uint32_t node, std::uint32_t index, SimTime at);

  std::size_t published_count() const noexcept { return published_; }
  std::size_t expected() const noexcept { return expected_; }
  std::size_t deliveries() const noexcept { return latencies_.size(); }
  LatencySummary latency() const { return summarize(latencies_); }
  /// For messages every expected receiver got: last delivery minus publish time.
  LatencySummary last_node_latency() const;
  std::size_t fully_delivered() const;

 private:
  struct Entry {
    SimTime published_at = -1;
    std::size_t receivers = 0;
    std::size_t delivered = 0;
    SimTime last = 0;
  };
  std::size_t messages_;
  std::vector<Entry> entries_;
  std::vector<std::uint8_t> seen_;  ///< node x message
  std::vector<SimTime> latencies_;
  std::size_t published_ = 0;
  std::size_t expected_ = 0;
};

/// Sums of router counters over honest nodes.
struct RouterTotals {
  std::uint64_t messages_received = 0;
  std::uint64_t messages_duplicate = 0;
  std::uint64_t messages_invalid = 0;
  std::uint64_t messages_rejected = 0;
  std::uint64_t idontwant_sent = 0;
  std::uint64_t idontwant_suppressed = 0;
  std::uint64_t ihave_sent = 0;
  std::uint64_t ihave_ignored = 0;
  std::uint64_t iwant_sent_ids = 0;
  std::uint64_t iwant_served = 0;
  std::uint64_t promises_broken = 0;
  std::uint64_t graft_refused = 0;
  std::uint64_t rpcs_graylisted = 0;
  std::uint64_t peers_penalized = 0;
  std::uint64_t queue_dropped_items = 0;

  RouterTotals& operator+=(const RouterTotals& o);
};

struct SimResult {
  // the run
  std::size_t nodes = 0, messages = 0, size = 0;
  std::uint64_t seed = 0;
  std::string topology;
  double mean_degree = 0;
  std::string edges_sha256;
  double latency_min_ms = 0, latency_max_ms = 0, loss = 0, bandwidth_mbps = 0, rate = 0;
  std::uint64_t stagger_interval_us = 0;
  std::size_t blackhole = 0, invalid = 0, ihave_flood = 0, churned = 0;
  std::size_t honest_nodes = 0;
  // delivery
  std::size_t published = 0, publish_errors = 0, expected_deliveries = 0, deliveries = 0;
  std::size_t messages_fully_delivered = 0;
  LatencySummary latency, last_node_latency;
  // traffic (honest senders, first publish to end)
  std::uint64_t wire_bytes = 0, control_bytes = 0, rpcs_sent = 0;
  RouterTotals router;
  // the meshes at the end (honest nodes that are up): size -> nodes
  std::map<std::size_t, std::size_t> mesh_degree;
  /// Honest nodes' links to attackers, and of those the ones where the honest side scores
  /// the attacker below the graylist threshold / has it in its mesh, at the end.
  std::size_t attacker_links = 0, attacker_links_graylisted = 0, attacker_links_in_mesh = 0;
  // the simulator
  std::uint64_t events = 0, rpcs_delivered = 0, rpcs_lost = 0;
  double sim_seconds = 0;
  double wall_seconds = 0;
  double cpu_seconds = 0;  ///< user + system CPU of this process during the run
  std::uint64_t peak_rss_kib = 0;
};

/// One JSON object, keys in a fixed order. Without `with_wall`, wall_seconds,
/// cpu_seconds and peak_rss_kib (the only fields that differ between runs of one seed) are
/// left out; with it they come last.
nlohmann::ordered_json to_json(const SimResult& result, bool with_wall);

/// This process's peak resident set, KiB (getrusage).
std::uint64_t peak_rss_kib();
/// This process's user + system CPU time so far, seconds (getrusage).
double cpu_seconds();

}  // namespace weft::sim
