#include "gossip/gossip_config.hpp"

#include <initializer_list>
#include <string>
#include <utility>

namespace weft::gossip {
namespace {

Error invalid(std::string rule) { return Error(Errc::gossip_config_invalid, std::move(rule)); }

bool is_decay(double f) { return f > 0.0 && f <= 1.0; }

Result<void> check_topic_params(const TopicScoreParams& p, const std::string& name) {
  for (double f : {p.first_message_deliveries_decay, p.mesh_message_deliveries_decay, p.mesh_failure_penalty_decay,
                   p.invalid_message_deliveries_decay}) {
    if (!is_decay(f)) return invalid(name + ": decay factors must be in (0, 1]");
  }
  if (p.time_in_mesh_weight < 0 || p.first_message_deliveries_weight < 0) {
    return invalid(name + ": P1 and P2 weights must not be negative");
  }
  if (p.mesh_message_deliveries_weight > 0 || p.mesh_failure_penalty_weight > 0 ||
      p.invalid_message_deliveries_weight > 0) {
    return invalid(name + ": P3, P3b and P4 weights must not be positive");
  }
  if (p.mesh_message_deliveries_cap < p.mesh_message_deliveries_threshold) {
    return invalid(name + ": mesh_message_deliveries_cap below its threshold");
  }
  return success();
}

}  // namespace

Result<void> check_config(const GossipConfig& c) {
  if (c.d > 0) {
    if (c.d_lo > c.d || c.d > c.d_hi) return invalid("need d_lo <= d <= d_hi");
    if (c.d_score > c.d) return invalid("need d_score <= d");
    if (c.d_out >= c.d_lo || c.d_out > c.d / 2) return invalid("need d_out < d_lo and d_out <= d / 2");
  }
  if (c.heartbeat_interval_ms == 0) return invalid("heartbeat_interval_ms must be at least 1");
  if (c.history_windows == 0 || c.gossip_windows > c.history_windows) {
    return invalid("need 1 <= history_windows and gossip_windows <= history_windows");
  }
  if (!(c.gossip_factor >= 0.0 && c.gossip_factor <= 1.0)) return invalid("gossip_factor must be in [0, 1]");
  const ScoreThresholds& t = c.thresholds;
  if (!(t.graylist < t.publish && t.publish <= t.gossip && t.gossip <= 0.0)) {
    return invalid("need graylist < publish <= gossip <= 0");
  }
  if (t.accept_px < 0.0 || t.opportunistic_graft < 0.0) {
    return invalid("accept_px and opportunistic_graft thresholds must not be negative");
  }
  if (c.rpc.max_message_bytes + 1024 > c.rpc.max_rpc_bytes) {
    return invalid("max_rpc_bytes must exceed max_message_bytes by at least 1 KiB");
  }
  const PeerScoreParams& s = c.score;
  if (!is_decay(s.behaviour_penalty_decay)) return invalid("behaviour_penalty_decay must be in (0, 1]");
  if (s.ip_colocation_factor_weight > 0 || s.behaviour_penalty_weight > 0) {
    return invalid("P6 and P7 weights must not be positive");
  }
  if (s.ip_colocation_factor_threshold < 1) return invalid("ip_colocation_factor_threshold must be at least 1");
  if (s.decay_interval_ms == 0) return invalid("decay_interval_ms must be at least 1");
  if (s.default_topic) {
    BOOST_OUTCOME_TRY(check_topic_params(*s.default_topic, "default_topic"));
  }
  for (const auto& [topic, p] : s.topics) {
    BOOST_OUTCOME_TRY(check_topic_params(p, "topic '" + topic + "'"));
  }
  return success();
}

}  // namespace weft::gossip
