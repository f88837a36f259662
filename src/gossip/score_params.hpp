#pragma once
// Peer scoring parameters (gossipsub v1.1 "Peer Scoring"): P1-P4 per topic, P5-P7 per
// peer. Defaults and their reasoning are in docs/gossip.md ("Scores"); weft applies
// `default_topic` to every topic without its own entry, so invalid messages cost score
// on any topic out of the box.

#include "gossip/rpc.hpp"

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>

namespace weft::gossip {

struct TopicScoreParams {
  double topic_weight = 1.0;
  // P1: time in mesh, in quanta, capped.
  double time_in_mesh_weight = 0.01;
  std::uint64_t time_in_mesh_quantum_ms = 1000;
  double time_in_mesh_cap = 300.0;
  // P2: first deliveries of valid messages, capped at increment, decaying.
  double first_message_deliveries_weight = 0.5;
  double first_message_deliveries_decay = 0.9;
  double first_message_deliveries_cap = 100.0;
  // P3: mesh delivery deficit squared, once the peer is in the mesh `activation` long.
  // Off by default (weight 0): the threshold depends on the topic's message rate.
  double mesh_message_deliveries_weight = 0.0;
  double mesh_message_deliveries_decay = 0.9;
  double mesh_message_deliveries_threshold = 1.0;
  double mesh_message_deliveries_cap = 100.0;
  std::uint64_t mesh_message_deliveries_window_ms = 10;
  std::uint64_t mesh_message_deliveries_activation_ms = 5000;
  // P3b: sticky deficit at prune time.
  double mesh_failure_penalty_weight = 0.0;
  double mesh_failure_penalty_decay = 0.9;
  // P4: invalid messages, squared.
  double invalid_message_deliveries_weight = -10.0;
  double invalid_message_deliveries_decay = 0.99;
};

struct PeerScoreParams {
  std::map<TopicId, TopicScoreParams> topics;        ///< per-topic parameters
  std::optional<TopicScoreParams> default_topic = TopicScoreParams{};  ///< the others (none: unscored)
  double topic_score_cap = 100.0;                    ///< cap on the positive sum of topic scores (0: none)
  // P5: application-specific score (set_app_score), weighted.
  double app_specific_weight = 1.0;
  // P6: peers sharing an IP beyond the threshold, surplus squared.
  double ip_colocation_factor_weight = -5.0;
  double ip_colocation_factor_threshold = 10.0;
  std::set<std::string> ip_colocation_whitelist = {"127.0.0.1", "::1"};
  // P7: behaviour penalties above the threshold, squared, decaying.
  double behaviour_penalty_weight = -10.0;
  double behaviour_penalty_threshold = 1.0;
  double behaviour_penalty_decay = 0.99;
  // Bookkeeping.
  std::uint64_t decay_interval_ms = 1000;
  double decay_to_zero = 0.01;
  std::uint64_t retain_score_ms = 3'600'000;  ///< a disconnected peer's non-positive score is kept this long
  std::size_t max_retained_peers = 4096;      ///< cap on disconnected peers remembered (oldest go first)
  std::size_t max_delivery_records = 262'144; ///< cap on per-message delivery records (oldest go first)
  std::uint64_t delivery_record_ttl_ms = 120'000;
};

}  // namespace weft::gossip
