#pragma once
// One simulated gossip run: N real GossipRouters (the code nodes run) on a simulated
// network and clock, all subscribed to one topic. Single-threaded and deterministic: one
// config (seed included) gives one SimResult, wall time and RSS aside.
//
// Timeline: at 0 every router starts (its first heartbeat at a seeded offset in [0, 1 s),
// so heartbeats are spread out) and every link comes up; from `warmup` on, `messages`
// messages of `size` bytes are published at `rate` per second, each by a random honest node
// that is up; the run ends `drain` after the last publish. Attackers (attackers.hpp) act
// from the first publish on; churned nodes go down once at a random time in the publish
// window and come back `churn_downtime` later as a fresh router (same identity, state lost).

#include "metrics.hpp"
#include "topology.hpp"

#include "gossip/gossip_config.hpp"

#include <weft/error.hpp>

#include <cstddef>
#include <cstdint>
#include <string>

namespace weft::sim {

enum class TopologyKind { random_regular, anchor };

struct SimConfig {
  std::size_t nodes = 100;
  std::size_t messages = 10;
  std::size_t size = 1024;          ///< data bytes per message
  std::uint64_t seed = 1;
  TopologyKind topology = TopologyKind::random_regular;
  std::size_t degree = 8;           ///< random-regular degree (the anchor dials 4)
  double latency_min_ms = 30;       ///< per-link one-way latency, uniform in [min, max]
  double latency_max_ms = 70;
  double loss = 0;                  ///< per-RPC loss probability
  double bandwidth_mbps = 0;        ///< per-node upload; 0 = unlimited
  double rate = 10;                 ///< publishes per simulated second
  std::uint64_t warmup_ms = 5000;   ///< before the first publish (mesh formation)
  std::uint64_t drain_ms = 5000;    ///< after the last publish
  double blackhole = 0;             ///< fractions of nodes per attacker kind
  double invalid = 0;
  double ihave_flood = 0;
  double churn = 0;                 ///< fraction of honest nodes that go down once
  std::uint64_t churn_downtime_ms = 5000;
  /// The routers' stagger_interval_us (gossip_config.hpp, "Staggered sends"); 0 turns it off.
  std::uint64_t stagger_interval_us = gossip::GossipConfig{}.stagger_interval_us;
  /// Every RPC through encode_rpc_frame + decode_rpc (as on a real stream) instead of
  /// handing the receiver the sender's values; the same run, slower.
  bool wire_codec = false;
};

/// Errors: config_invalid, the detail naming the setting (a fraction outside [0, 1] or
/// attacker fractions summing past 1, fewer than 2 nodes, more than 1,000,000 nodes or
/// 10,000,000 messages or 10^9 node-messages (the delivery log's byte per pair), a
/// latency range with min > max or negative, a non-positive rate, a degree the random
/// regular generator cannot meet, a size past the router's message limit, fewer than 2
/// honest nodes when messages are to be published).
Result<void> check_sim_config(const SimConfig& config);

/// Runs the simulation. Errors: those of check_sim_config, and config_invalid when no
/// connected random regular graph of that degree came out (random_regular_topology).
Result<SimResult> run_simulation(const SimConfig& config);

}  // namespace weft::sim
