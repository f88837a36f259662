// check_config: the defaults pass; each rule refuses the first value past it, with its detail.

#include "gossip/gossip_config.hpp"

#include "test_bytes.hpp"

#include <doctest/doctest.h>

#include <functional>
#include <string>

using namespace weft;
using namespace weft::gossip;
using weft::test::detail_of;
using weft::test::outcome_of;

namespace {

// `ok` keeps the config valid at the edge of the rule; `bad` crosses it.
void check_rule(const std::function<void(GossipConfig&)>& ok, const std::function<void(GossipConfig&)>& bad,
                const std::string& detail_part) {
  GossipConfig edge;
  ok(edge);
  CHECK(outcome_of(check_config(edge)).ok());
  GossipConfig over;
  bad(over);
  auto r = check_config(over);
  CHECK(outcome_of(r) == Errc::gossip_config_invalid);
  CHECK(detail_of(r).find(detail_part) != std::string::npos);
}

}  // namespace

TEST_CASE("config: the defaults are valid, and so is a mesh turned off (a bootstrapper)") {
  CHECK(outcome_of(check_config(GossipConfig{})).ok());
  GossipConfig off;
  off.d = off.d_lo = off.d_hi = off.d_out = off.d_score = 0;
  CHECK(outcome_of(check_config(off)).ok());
}

TEST_CASE("config: each rule at its edge and one past it") {
  check_rule([](GossipConfig& c) { c.d_lo = 6; }, [](GossipConfig& c) { c.d_lo = 7; }, "d_lo <= d <= d_hi");
  check_rule([](GossipConfig& c) { c.d_hi = 6; }, [](GossipConfig& c) { c.d_hi = 5; }, "d_lo <= d <= d_hi");
  check_rule([](GossipConfig& c) { c.d_score = 6; }, [](GossipConfig& c) { c.d_score = 7; }, "d_score");
  check_rule([](GossipConfig& c) { c.d_out = 3; }, [](GossipConfig& c) { c.d_out = 4; }, "d_out");
  check_rule([](GossipConfig& c) { c.d_lo = 2; c.d_out = 1; }, [](GossipConfig& c) { c.d_lo = 2; c.d_out = 2; }, "d_out");
  check_rule([](GossipConfig& c) { c.heartbeat_interval_ms = 1; }, [](GossipConfig& c) { c.heartbeat_interval_ms = 0; },
             "heartbeat");
  check_rule([](GossipConfig& c) { c.gossip_windows = 5; }, [](GossipConfig& c) { c.gossip_windows = 6; }, "windows");
  check_rule([](GossipConfig& c) { c.gossip_factor = 1.0; }, [](GossipConfig& c) { c.gossip_factor = 1.01; },
             "gossip_factor");
  check_rule([](GossipConfig& c) { c.thresholds.gossip = 0; }, [](GossipConfig& c) { c.thresholds.gossip = 0.1; },
             "graylist < publish");
  check_rule([](GossipConfig& c) { c.thresholds.publish = -10; }, [](GossipConfig& c) { c.thresholds.publish = -9; },
             "graylist < publish");
  check_rule([](GossipConfig& c) { c.thresholds.graylist = -51; }, [](GossipConfig& c) { c.thresholds.graylist = -50; },
             "graylist < publish");
  check_rule([](GossipConfig& c) { c.thresholds.accept_px = 0; }, [](GossipConfig& c) { c.thresholds.accept_px = -1; },
             "accept_px");
  check_rule([](GossipConfig& c) { c.rpc.max_rpc_bytes = c.rpc.max_message_bytes + 1024; },
             [](GossipConfig& c) { c.rpc.max_rpc_bytes = c.rpc.max_message_bytes + 1023; }, "max_rpc_bytes");
  check_rule([](GossipConfig& c) { c.score.behaviour_penalty_decay = 1.0; },
             [](GossipConfig& c) { c.score.behaviour_penalty_decay = 0.0; }, "behaviour_penalty_decay");
  check_rule([](GossipConfig& c) { c.score.behaviour_penalty_weight = 0; },
             [](GossipConfig& c) { c.score.behaviour_penalty_weight = 1; }, "P6 and P7");
  check_rule([](GossipConfig& c) { c.score.ip_colocation_factor_threshold = 1; },
             [](GossipConfig& c) { c.score.ip_colocation_factor_threshold = 0.5; }, "ip_colocation_factor_threshold");
  check_rule([](GossipConfig& c) { c.score.decay_interval_ms = 1; }, [](GossipConfig& c) { c.score.decay_interval_ms = 0; },
             "decay_interval_ms");
  check_rule([](GossipConfig& c) { c.score.default_topic->invalid_message_deliveries_decay = 1.0; },
             [](GossipConfig& c) { c.score.default_topic->invalid_message_deliveries_decay = 1.5; }, "default_topic: decay");
  check_rule([](GossipConfig& c) { c.score.default_topic->first_message_deliveries_weight = 0; },
             [](GossipConfig& c) { c.score.default_topic->first_message_deliveries_weight = -1; }, "P1 and P2");
  check_rule([](GossipConfig& c) { c.score.default_topic->invalid_message_deliveries_weight = 0; },
             [](GossipConfig& c) { c.score.default_topic->invalid_message_deliveries_weight = 1; }, "P3, P3b and P4");
  check_rule([](GossipConfig& c) { c.score.topics["x"].mesh_message_deliveries_cap = 1; },
             [](GossipConfig& c) { c.score.topics["x"].mesh_message_deliveries_cap = 0.5; }, "topic 'x'");
}
