// NodeConfig onto the layers' configs (src/node/node_settings): the public defaults are the
// defaults the layers use, values land in the right fields, a bad value is config_invalid
// naming its key, and listen addresses convert.

#include "node/node_settings.hpp"

#include <doctest/doctest.h>

#include <string>

namespace weft::node {

TEST_CASE("node settings: NodeConfig's defaults are the layers' own defaults") {
  const auto mapped = to_pool_config(NodeConfig{});
  REQUIRE(mapped.has_value());
  const conn::PoolConfig& p = mapped.value();
  const conn::PoolConfig d{};

  CHECK(p.listener.handshake.versions == d.listener.handshake.versions);
  CHECK(p.listener.handshake.max_clock_skew_ms == d.listener.handshake.max_clock_skew_ms);
  CHECK(p.listener.handshake.max_early_data_bytes == d.listener.handshake.max_early_data_bytes);
  CHECK(p.listener.handshake.handshake_timeout_ms == d.listener.handshake.handshake_timeout_ms);
  CHECK(p.listener.max_pending_handshakes == d.listener.max_pending_handshakes);
  CHECK(p.listener.max_pending_handshakes_per_ip == d.listener.max_pending_handshakes_per_ip);
  CHECK(p.listener.channel.max_frame_plaintext_bytes == d.listener.channel.max_frame_plaintext_bytes);
  CHECK(p.listener.channel.rekey_interval_frames == d.listener.channel.rekey_interval_frames);
  CHECK(p.dial.handshake.versions == d.dial.handshake.versions);
  CHECK(p.dial.handshake.handshake_timeout_ms == d.dial.handshake.handshake_timeout_ms);
  CHECK(p.dial.connect_timeout_ms == d.dial.connect_timeout_ms);
  CHECK(p.protocol_preamble_timeout_ms == d.protocol_preamble_timeout_ms);

  CHECK(p.mux.receive_window_bytes == d.mux.receive_window_bytes);
  CHECK(p.mux.max_send_buffer_bytes == d.mux.max_send_buffer_bytes);
  CHECK(p.mux.max_streams == d.mux.max_streams);
  CHECK(p.mux.max_accept_backlog == d.mux.max_accept_backlog);
  CHECK(p.mux.max_ack_backlog == d.mux.max_ack_backlog);
  CHECK(p.mux.max_frame_payload_bytes == d.mux.max_frame_payload_bytes);
  CHECK(p.mux.max_transmit_batch_bytes == d.mux.max_transmit_batch_bytes);
  CHECK(p.mux.max_control_queue_bytes == d.mux.max_control_queue_bytes);
  CHECK(p.mux.max_pending_pongs == d.mux.max_pending_pongs);
  CHECK(p.mux.keepalive_interval_ms == d.mux.keepalive_interval_ms);
  CHECK(p.mux.keepalive_timeout_ms == d.mux.keepalive_timeout_ms);

  const auto& t = p.table;
  const auto& dt = d.table;
  CHECK(t.max_connections_per_peer == dt.max_connections_per_peer);
  CHECK(t.max_total_connections == dt.max_total_connections);
  CHECK(t.max_inbound_connections == dt.max_inbound_connections);
  CHECK(t.max_streams_per_connection == dt.max_streams_per_connection);
  CHECK(t.streams_before_new_connection == dt.streams_before_new_connection);
  CHECK(t.connect_timeout_ms == dt.connect_timeout_ms);
  CHECK(t.acquire_timeout_ms == dt.acquire_timeout_ms);
  CHECK(t.max_waiting_acquirers == dt.max_waiting_acquirers);
  CHECK(t.idle_timeout_ms == dt.idle_timeout_ms);
  CHECK(t.cleanup_interval_ms == dt.cleanup_interval_ms);
  CHECK(t.health_check_interval_ms == dt.health_check_interval_ms);
  CHECK(t.keep_alive_count == dt.keep_alive_count);
  CHECK(t.min_connections_per_keep_alive_peer == dt.min_connections_per_keep_alive_peer);
  CHECK(t.warmup_peers.empty());
  CHECK(t.simultaneous_dial_window_ms == dt.simultaneous_dial_window_ms);
  CHECK(t.lease_leak_threshold_ms == dt.lease_leak_threshold_ms);
  CHECK(t.failed_peer_memory_ms == dt.failed_peer_memory_ms);

  CHECK(t.backoff.max_retry_attempts == dt.backoff.max_retry_attempts);
  CHECK(t.backoff.initial_backoff_ms == dt.backoff.initial_backoff_ms);
  CHECK(t.backoff.backoff_multiplier == dt.backoff.backoff_multiplier);
  CHECK(t.backoff.max_backoff_ms == dt.backoff.max_backoff_ms);
  CHECK(t.backoff.min_backoff_ms == dt.backoff.min_backoff_ms);
  CHECK(t.circuit.circuit_failure_threshold == dt.circuit.circuit_failure_threshold);
  CHECK(t.circuit.circuit_open_ms == dt.circuit.circuit_open_ms);
  CHECK(t.circuit.circuit_half_open_successes == dt.circuit.circuit_half_open_successes);

  const auto& h = t.health;
  const auto& dh = dt.health;
  CHECK(h.health_threshold == dh.health_threshold);
  CHECK(h.health_recover_threshold == dh.health_recover_threshold);
  CHECK(h.failure_weight == dh.failure_weight);
  CHECK(h.rtt_weight == dh.rtt_weight);
  CHECK(h.age_weight == dh.age_weight);
  CHECK(h.idle_weight == dh.idle_weight);
  CHECK(h.use_weight == dh.use_weight);
  CHECK(h.failures_for_zero_score == dh.failures_for_zero_score);
  CHECK(h.failure_half_life_ms == dh.failure_half_life_ms);
  CHECK(h.rtt_ewma_alpha == dh.rtt_ewma_alpha);
  CHECK(h.rtt_full_score_ms == dh.rtt_full_score_ms);
  CHECK(h.rtt_zero_score_ms == dh.rtt_zero_score_ms);
  CHECK(h.age_fresh_ms == dh.age_fresh_ms);
  CHECK(h.age_old_ms == dh.age_old_ms);
  CHECK(h.idle_recent_ms == dh.idle_recent_ms);
  CHECK(h.idle_stale_ms == dh.idle_stale_ms);
  CHECK(h.uses_some == dh.uses_some);
  CHECK(h.uses_many == dh.uses_many);
  CHECK(h.max_missed_keepalives == dh.max_missed_keepalives);
  CHECK(t.usage.usage_half_life_ms == dt.usage.usage_half_life_ms);
  CHECK(t.usage.max_tracked_peers == dt.usage.max_tracked_peers);

  const RequestConfig r = to_request_config(NodeConfig{});
  CHECK(r.max_request_bytes == RequestConfig{}.max_request_bytes);
  CHECK(r.max_response_bytes == RequestConfig{}.max_response_bytes);
}

TEST_CASE("node settings: values land in their fields; warm-up addresses group by peer") {
  NodeConfig c;
  c.handshake.max_clock_skew_ms = 1234;
  c.connections.connect_timeout_ms = 77;
  c.connections.idle_timeout_ms = 88;
  c.connections.health.rtt_zero_score_ms = 99;
  c.mux.keepalive_interval_ms = 0;
  const std::string peer = "12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA";
  c.connections.warmup_peers = {"/ip4/1.2.3.4/tcp/1/p2p/" + peer, "/ip4/1.2.3.5/tcp/2/p2p/" + peer};
  c.requests.max_response_bytes = 5;
  const auto mapped = to_pool_config(c);
  REQUIRE(mapped.has_value());
  CHECK(mapped.value().listener.handshake.max_clock_skew_ms == 1234);
  CHECK(mapped.value().dial.handshake.max_clock_skew_ms == 1234);
  CHECK(mapped.value().table.connect_timeout_ms.count() == 77);
  CHECK(mapped.value().dial.connect_timeout_ms == 77);
  CHECK(mapped.value().table.idle_timeout_ms.count() == 88);
  CHECK(mapped.value().table.health.rtt_zero_score_ms.count() == 99);
  CHECK(mapped.value().mux.keepalive_interval_ms == 0);
  REQUIRE(mapped.value().table.warmup_peers.size() == 1);
  CHECK(mapped.value().table.warmup_peers[0].peer.to_string() == peer);
  CHECK(mapped.value().table.warmup_peers[0].addresses.size() == 2);
  CHECK(to_request_config(c).max_response_bytes == 5);
}

TEST_CASE("node settings: gossip settings are the router's defaults, and values land in their fields") {
  const auto defaults = to_gossip_config(NodeConfig{});
  REQUIRE(defaults.has_value());
  REQUIRE(defaults.value().has_value());
  const gossip::GossipConfig& g = defaults.value()->router;
  const gossip::GossipConfig d{};
  CHECK(g.d == d.d);
  CHECK(g.d_lo == d.d_lo);
  CHECK(g.d_hi == d.d_hi);
  CHECK(g.idontwant_min_message_bytes == d.idontwant_min_message_bytes);
  CHECK(g.stagger_min_message_bytes == d.stagger_min_message_bytes);
  CHECK(g.stagger_first_peers == d.stagger_first_peers);
  CHECK(g.stagger_interval_us == d.stagger_interval_us);

  NodeConfig c;
  c.gossip.stagger_min_message_bytes = 4096;
  c.gossip.stagger_first_peers = 3;
  c.gossip.stagger_interval_us = 0;
  const auto mapped = to_gossip_config(c);
  REQUIRE(mapped.has_value());
  REQUIRE(mapped.value().has_value());
  CHECK(mapped.value()->router.stagger_min_message_bytes == 4096);
  CHECK(mapped.value()->router.stagger_first_peers == 3);
  CHECK(mapped.value()->router.stagger_interval_us == 0);

  c.gossip.enabled = false;
  const auto off = to_gossip_config(c);
  REQUIRE(off.has_value());
  CHECK_FALSE(off.value().has_value());
}

TEST_CASE("node settings: the gossip queue and cache caps are the router's defaults and land in their fields") {
  const auto defaults = to_gossip_config(NodeConfig{});
  REQUIRE(defaults.has_value());
  REQUIRE(defaults.value().has_value());
  const gossip::GossipConfig& g = defaults.value()->router;
  const gossip::GossipConfig d{};
  CHECK(g.max_pending_validations_per_topic == d.max_pending_validations_per_topic);
  CHECK(g.max_pending_signature_checks == d.max_pending_signature_checks);
  CHECK(g.max_seen_entries == d.max_seen_entries);
  CHECK(g.max_cached_messages == d.max_cached_messages);

  NodeConfig c;
  c.gossip.max_pending_validations_per_topic = 7;
  c.gossip.max_pending_signature_checks = 8;
  c.gossip.max_seen_entries = 9;
  c.gossip.max_cached_messages = 10;
  const auto mapped = to_gossip_config(c);
  REQUIRE(mapped.has_value());
  REQUIRE(mapped.value().has_value());
  CHECK(mapped.value()->router.max_pending_validations_per_topic == 7);
  CHECK(mapped.value()->router.max_pending_signature_checks == 8);
  CHECK(mapped.value()->router.max_seen_entries == 9);
  CHECK(mapped.value()->router.max_cached_messages == 10);
}

TEST_CASE("node settings: a zero gossip queue or cache cap is config_invalid naming its key") {
  NodeConfig c;
  std::string key;
  SUBCASE("max_pending_validations_per_topic") {
    c.gossip.max_pending_validations_per_topic = 0;
    key = "gossip.max_pending_validations_per_topic: must be positive";
  }
  SUBCASE("max_pending_signature_checks") {
    c.gossip.max_pending_signature_checks = 0;
    key = "gossip.max_pending_signature_checks: must be positive";
  }
  SUBCASE("max_seen_entries") {
    c.gossip.max_seen_entries = 0;
    key = "gossip.max_seen_entries: must be positive";
  }
  SUBCASE("max_cached_messages") {
    c.gossip.max_cached_messages = 0;
    key = "gossip.max_cached_messages: must be positive";
  }
  const auto mapped = to_gossip_config(c);
  REQUIRE(!mapped.has_value());
  CHECK(mapped.error() == Errc::config_invalid);
  CHECK(mapped.error().message().find(key) != std::string::npos);
  c.gossip.enabled = false;  // not checked when gossip is off
  CHECK(to_gossip_config(c).has_value());
}

TEST_CASE("node settings: the admin topic-stream bounds are the server's defaults and land in their fields") {
  const auto defaults = to_admin_config(NodeConfig{});
  REQUIRE(defaults.has_value());
  REQUIRE(defaults.value().has_value());
  const AdminConfig& a = *defaults.value();
  const AdminConfig d{};
  CHECK(a.max_connections == d.max_connections);
  CHECK(a.max_body_bytes == d.max_body_bytes);
  CHECK(a.max_subscribers == d.max_subscribers);
  CHECK(a.stream_queue_messages == d.stream_queue_messages);
  CHECK(a.stream_queue_bytes == d.stream_queue_bytes);

  NodeConfig c;
  c.admin.max_connections = 4;
  c.admin.max_subscribers = 4;  // all of them may be streams
  c.admin.stream_queue_messages = 3;
  c.admin.stream_queue_bytes = 100;
  auto mapped = to_admin_config(c);
  REQUIRE(mapped.has_value());
  REQUIRE(mapped.value().has_value());
  CHECK(mapped.value()->max_subscribers == 4);
  CHECK(mapped.value()->stream_queue_messages == 3);
  CHECK(mapped.value()->stream_queue_bytes == 100);

  c.admin.max_subscribers = 0;  // topic streams off: every one is refused (429)
  mapped = to_admin_config(c);
  REQUIRE(mapped.has_value());
  CHECK(mapped.value()->max_subscribers == 0);
  c.admin.max_subscribers = 9;  // above max_connections: capped by it in effect, not an error
  mapped = to_admin_config(c);
  REQUIRE(mapped.has_value());
  CHECK(mapped.value()->max_subscribers == 9);
}

TEST_CASE("node settings: a bad admin limit is config_invalid naming its key") {
  NodeConfig c;
  std::string key;
  SUBCASE("max_body_bytes zero") {
    c.admin.max_body_bytes = 0;
    key = "admin.max_body_bytes: must be positive";
  }
  SUBCASE("stream_queue_messages zero") {
    c.admin.stream_queue_messages = 0;
    key = "admin.stream_queue_messages: must be positive";
  }
  SUBCASE("stream_queue_bytes zero") {
    c.admin.stream_queue_bytes = 0;
    key = "admin.stream_queue_bytes: must be positive";
  }
  const auto mapped = to_admin_config(c);
  REQUIRE(!mapped.has_value());
  CHECK(mapped.error() == Errc::config_invalid);
  CHECK(mapped.error().message().find(key) != std::string::npos);
  c.admin.enabled = false;  // not checked when the API is off
  CHECK(to_admin_config(c).has_value());
}

TEST_CASE("node settings: listen addresses") {
  auto v4 = listen_endpoint("/ip4/127.0.0.1/tcp/4001");
  REQUIRE(v4.has_value());
  CHECK(v4.value().port() == 4001);
  auto v6 = listen_endpoint("/ip6/::1/tcp/0");
  REQUIRE(v6.has_value());
  CHECK(v6.value().address().is_v6());
  CHECK(listen_endpoint("/ip4/1.2.3.4/udp/1").error() == Errc::multiaddr_not_tcp);
  CHECK(listen_endpoint("/dns4/example.com/tcp/1").error() == Errc::multiaddr_not_tcp);
  CHECK(listen_endpoint("/ip4/127.0.0.1/tcp/1/p2p/12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA").error() ==
        Errc::multiaddr_not_tcp);
  CHECK(!listen_endpoint("nonsense").has_value());

  const PeerId id = PeerId::parse("12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA").value();
  CHECK(full_address(v4.value(), id).to_string() ==
        "/ip4/127.0.0.1/tcp/4001/p2p/12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA");
  CHECK(full_address(v6.value(), id).to_string().rfind("/ip6/::1/tcp/0/p2p/", 0) == 0);
}

}  // namespace weft::node
