// Tests for src/peer/peer_manager_settings.cpp: the defaults map onto the src/peer configs'
// defaults, every field is carried over, and each inconsistent setting is refused naming
// its key.
#include "peer/peer_manager_settings.hpp"

#include <doctest/doctest.h>

#include <string>

namespace weft::peer {
namespace {

using std::chrono::milliseconds;

bool names(const Error& e, const std::string& key) { return e.message().find(key) != std::string::npos; }

}  // namespace

TEST_CASE("peer manager settings: the defaults are the configs' defaults") {
  const NodeConfig node;
  const PeerManagerConfig c = to_peer_manager_config(node.peer_manager).value();
  const PeerManagerConfig d;
  CHECK(c.low_watermark == d.low_watermark);
  CHECK(c.high_watermark == d.high_watermark);
  CHECK(c.grace_period_ms == d.grace_period_ms);
  CHECK(c.max_trims_per_tick == d.max_trims_per_tick);
  CHECK(c.tick_interval_ms == d.tick_interval_ms);
  CHECK(c.max_concurrent_dials == d.max_concurrent_dials);
  CHECK(c.dial_timeout_ms == d.dial_timeout_ms);
  CHECK(c.dial_backoff_initial_ms == d.dial_backoff_initial_ms);
  CHECK(c.dial_backoff_multiplier == d.dial_backoff_multiplier);
  CHECK(c.dial_backoff_max_ms == d.dial_backoff_max_ms);
  CHECK(c.dial_backoff_min_ms == d.dial_backoff_min_ms);
  CHECK(c.penalties == d.penalties);
  CHECK(c.ban_threshold == d.ban_threshold);
  CHECK(c.penalty_half_life_ms == d.penalty_half_life_ms);
  CHECK(c.ban_duration_ms == d.ban_duration_ms);
  CHECK(c.max_banned_peers == d.max_banned_peers);
  CHECK(c.max_tracked_peers == d.max_tracked_peers);

  const InboundGateConfig g = to_inbound_gate_config(node);
  const InboundGateConfig gd;
  CHECK(g.max_connections_per_ipv4 == gd.max_connections_per_ipv4);
  CHECK(g.max_connections_per_ipv6_56 == gd.max_connections_per_ipv6_56);
  CHECK(g.max_pending_handshakes == gd.max_pending_handshakes);
  CHECK(g.max_pending_handshakes_per_ip == gd.max_pending_handshakes_per_ip);
  CHECK(g.accept_rate_per_s == gd.accept_rate_per_s);
  CHECK(g.accept_burst == gd.accept_burst);
  CHECK(g.max_banned_ips == gd.max_banned_ips);

  const PeerExchangeLimits l = to_peer_exchange_limits(node.peer_manager.exchange).value();
  const PeerExchangeLimits ld;
  CHECK(l.max_message_bytes == ld.max_message_bytes);
  CHECK(l.max_peers_per_response == ld.max_peers_per_response);
  CHECK(l.max_addrs_per_peer == ld.max_addrs_per_peer);
  CHECK(l.max_addr_bytes == ld.max_addr_bytes);
}

TEST_CASE("peer manager settings: changed values are carried over") {
  NodeConfig node;
  PeerManagerSettings& s = node.peer_manager;
  s.low_watermark = 1;
  s.high_watermark = 2;
  s.grace_period_ms = 3;
  s.penalty_protocol_violation = 1;
  s.penalty_bad_handshake_signature = 2;
  s.penalty_flood = 3;
  s.penalty_invalid_message = 4;
  s.penalty_invalid_peer_exchange = 5;
  s.ban_duration_ms = 7;
  node.handshake.max_pending_handshakes = 9;
  node.handshake.max_pending_handshakes_per_ip = 10;
  s.inbound.max_connections_per_ipv4 = 11;
  const PeerManagerConfig c = to_peer_manager_config(s).value();
  CHECK(c.low_watermark == 1);
  CHECK(c.high_watermark == 2);
  CHECK(c.grace_period_ms == milliseconds(3));
  CHECK(c.penalty(MisbehaviourKind::protocol_violation) == 1);
  CHECK(c.penalty(MisbehaviourKind::bad_handshake_signature) == 2);
  CHECK(c.penalty(MisbehaviourKind::flood) == 3);
  CHECK(c.penalty(MisbehaviourKind::invalid_message) == 4);
  CHECK(c.penalty(MisbehaviourKind::invalid_peer_exchange) == 5);
  CHECK(c.ban_duration_ms == milliseconds(7));
  const InboundGateConfig g = to_inbound_gate_config(node);
  CHECK(g.max_pending_handshakes == 9);
  CHECK(g.max_pending_handshakes_per_ip == 10);
  CHECK(g.max_connections_per_ipv4 == 11);
}

TEST_CASE("peer manager settings: inconsistent values are refused, naming the key") {
  const auto refused = [](auto change, const std::string& key) {
    PeerManagerSettings s;
    change(s);
    auto r = to_peer_manager_config(s);
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error() == Errc::config_invalid);
    CHECK(names(r.error(), "peer_manager." + key));
  };
  refused([](PeerManagerSettings& s) { s.low_watermark = 65; }, "low_watermark");
  refused([](PeerManagerSettings& s) { s.max_trims_per_tick = 0; }, "max_trims_per_tick");
  refused([](PeerManagerSettings& s) { s.tick_interval_ms = 0; }, "tick_interval_ms");
  refused([](PeerManagerSettings& s) { s.dial_backoff_multiplier = 0.5; }, "dial_backoff_multiplier");
  refused([](PeerManagerSettings& s) { s.dial_backoff_min_ms = s.dial_backoff_max_ms + 1; }, "dial_backoff_min_ms");
  refused([](PeerManagerSettings& s) { s.ban_threshold = 0; }, "ban_threshold");
  PeerManagerSettings equal;
  equal.low_watermark = equal.high_watermark;
  CHECK(to_peer_manager_config(equal).has_value());
}

TEST_CASE("peer exchange settings: inconsistent limits are refused, naming the key") {
  const auto refused = [](auto change, const std::string& key) {
    PeerExchangeSettings s;
    change(s);
    auto r = to_peer_exchange_limits(s);
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error() == Errc::config_invalid);
    CHECK(names(r.error(), "peer_manager.exchange." + key));
  };
  refused([](PeerExchangeSettings& s) { s.max_peers_per_response = 0; }, "max_peers_per_response");
  refused([](PeerExchangeSettings& s) { s.max_addrs_per_peer = 0; }, "max_addrs_per_peer");
  refused([](PeerExchangeSettings& s) { s.max_addr_bytes = 63; }, "max_addr_bytes");
  refused([](PeerExchangeSettings& s) { s.max_peers_per_response = 4097; }, "max_peers_per_response");
  refused([](PeerExchangeSettings& s) { s.max_addrs_per_peer = 4097; }, "max_addrs_per_peer");
  refused([](PeerExchangeSettings& s) { s.max_addr_bytes = 65537; }, "max_addr_bytes");
  refused([](PeerExchangeSettings& s) { s.max_peers_per_response = 64; }, "max_message_bytes");
  PeerExchangeSettings s;
  s.max_addr_bytes = 64;
  CHECK(to_peer_exchange_limits(s).has_value());
}

}  // namespace weft::peer
