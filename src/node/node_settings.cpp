#include "node/node_settings.hpp"

#include "node/api_address.hpp"
#include "peer/peer_manager_settings.hpp"

#include <chrono>

namespace weft::node {
namespace {

using std::chrono::milliseconds;

Error invalid(const std::string& key, const std::string& why) { return Error(Errc::config_invalid, key + ": " + why); }

}  // namespace

Result<conn::PoolConfig> to_pool_config(const NodeConfig& c) {
  if (c.handshake.versions.empty()) return invalid("handshake.versions", "must name at least one version");
  if (c.handshake.handshake_timeout_ms == 0) return invalid("handshake.handshake_timeout_ms", "must be positive");
  if (c.handshake.max_pending_handshakes == 0) return invalid("handshake.max_pending_handshakes", "must be positive");
  if (c.handshake.max_pending_handshakes_per_ip == 0) {
    return invalid("handshake.max_pending_handshakes_per_ip", "must be positive");
  }
  if (c.connections.max_total_connections == 0) return invalid("connections.max_total_connections", "must be positive");
  if (c.connections.max_connections_per_peer == 0) {
    return invalid("connections.max_connections_per_peer", "must be positive");
  }
  if (c.connections.max_streams_per_connection == 0) {
    return invalid("connections.max_streams_per_connection", "must be positive");
  }
  if (c.channel.max_frame_plaintext_bytes == 0) return invalid("channel.max_frame_plaintext_bytes", "must be positive");

  conn::PoolConfig pool;
  handshake::HandshakeConfig& hs = pool.listener.handshake;
  hs.versions = c.handshake.versions;
  hs.max_clock_skew_ms = c.handshake.max_clock_skew_ms;
  hs.max_early_data_bytes = c.handshake.max_early_data_bytes;
  hs.handshake_timeout_ms = c.handshake.handshake_timeout_ms;
  pool.listener.max_pending_handshakes = c.handshake.max_pending_handshakes;
  pool.listener.max_pending_handshakes_per_ip = c.handshake.max_pending_handshakes_per_ip;
  pool.listener.channel.max_frame_plaintext_bytes = c.channel.max_frame_plaintext_bytes;
  pool.listener.channel.rekey_interval_frames = c.channel.rekey_interval_frames;
  pool.dial.handshake = hs;
  pool.dial.channel = pool.listener.channel;
  pool.dial.connect_timeout_ms = c.connections.connect_timeout_ms;

  mux::SessionConfig& m = pool.mux;
  m.receive_window_bytes = c.mux.receive_window_bytes;
  m.max_send_buffer_bytes = c.mux.max_send_buffer_bytes;
  m.max_streams = c.mux.max_streams;
  m.max_accept_backlog = c.mux.max_accept_backlog;
  m.max_ack_backlog = c.mux.max_ack_backlog;
  m.max_frame_payload_bytes = c.mux.max_frame_payload_bytes;
  m.max_transmit_batch_bytes = c.mux.max_transmit_batch_bytes;
  m.max_control_queue_bytes = c.mux.max_control_queue_bytes;
  m.max_pending_pongs = c.mux.max_pending_pongs;
  m.keepalive_interval_ms = c.mux.keepalive_interval_ms;
  m.keepalive_timeout_ms = c.mux.keepalive_timeout_ms;

  const ConnectionSettings& cs = c.connections;
  conn::ConnectionTableConfig& t = pool.table;
  t.max_connections_per_peer = cs.max_connections_per_peer;
  t.max_total_connections = cs.max_total_connections;
  t.max_inbound_connections = cs.max_inbound_connections;
  t.max_streams_per_connection = cs.max_streams_per_connection;
  t.streams_before_new_connection = cs.streams_before_new_connection;
  t.connect_timeout_ms = milliseconds(cs.connect_timeout_ms);
  t.acquire_timeout_ms = milliseconds(cs.acquire_timeout_ms);
  t.max_waiting_acquirers = cs.max_waiting_acquirers;
  t.idle_timeout_ms = milliseconds(cs.idle_timeout_ms);
  t.cleanup_interval_ms = milliseconds(cs.cleanup_interval_ms);
  t.health_check_interval_ms = milliseconds(cs.health_check_interval_ms);
  t.keep_alive_count = cs.keep_alive_count;
  t.min_connections_per_keep_alive_peer = cs.min_connections_per_keep_alive_peer;
  t.simultaneous_dial_window_ms = milliseconds(cs.simultaneous_dial_window_ms);
  t.lease_leak_threshold_ms = milliseconds(cs.lease_leak_threshold_ms);
  t.failed_peer_memory_ms = milliseconds(cs.failed_peer_memory_ms);
  pool.protocol_preamble_timeout_ms = milliseconds(cs.protocol_preamble_timeout_ms);

  t.backoff.max_retry_attempts = cs.backoff.max_retry_attempts;
  t.backoff.initial_backoff_ms = milliseconds(cs.backoff.initial_backoff_ms);
  t.backoff.backoff_multiplier = cs.backoff.backoff_multiplier;
  t.backoff.max_backoff_ms = milliseconds(cs.backoff.max_backoff_ms);
  t.backoff.min_backoff_ms = milliseconds(cs.backoff.min_backoff_ms);

  t.circuit.circuit_failure_threshold = cs.circuit.circuit_failure_threshold;
  t.circuit.circuit_open_ms = milliseconds(cs.circuit.circuit_open_ms);
  t.circuit.circuit_half_open_successes = cs.circuit.circuit_half_open_successes;

  const HealthSettings& h = cs.health;
  t.health.health_threshold = h.health_threshold;
  t.health.health_recover_threshold = h.health_recover_threshold;
  t.health.failure_weight = h.failure_weight;
  t.health.rtt_weight = h.rtt_weight;
  t.health.age_weight = h.age_weight;
  t.health.idle_weight = h.idle_weight;
  t.health.use_weight = h.use_weight;
  t.health.failures_for_zero_score = h.failures_for_zero_score;
  t.health.failure_half_life_ms = milliseconds(h.failure_half_life_ms);
  t.health.rtt_ewma_alpha = h.rtt_ewma_alpha;
  t.health.rtt_full_score_ms = milliseconds(h.rtt_full_score_ms);
  t.health.rtt_zero_score_ms = milliseconds(h.rtt_zero_score_ms);
  t.health.age_fresh_ms = milliseconds(h.age_fresh_ms);
  t.health.age_old_ms = milliseconds(h.age_old_ms);
  t.health.idle_recent_ms = milliseconds(h.idle_recent_ms);
  t.health.idle_stale_ms = milliseconds(h.idle_stale_ms);
  t.health.uses_some = h.uses_some;
  t.health.uses_many = h.uses_many;
  t.health.max_missed_keepalives = h.max_missed_keepalives;

  t.usage.usage_half_life_ms = milliseconds(cs.usage.usage_half_life_ms);
  t.usage.max_tracked_peers = cs.usage.max_tracked_peers;

  for (const auto& text : cs.warmup_peers) {
    const std::string key = "connections.warmup_peers '" + text + "'";
    auto address = Multiaddr::parse(text);
    if (!address) return invalid(key, address.error().message());
    auto peer = address.value().peer_id();
    if (!peer) return invalid(key, "must end in /p2p/<PeerId>");
    auto it = std::find_if(t.warmup_peers.begin(), t.warmup_peers.end(),
                           [&](const conn::WarmupPeer& w) { return w.peer == *peer; });
    if (it != t.warmup_peers.end()) {
      it->addresses.push_back(address.value());
    } else {
      t.warmup_peers.push_back(conn::WarmupPeer{*peer, {address.value()}});
    }
  }
  return pool;
}

Result<std::optional<PeerServiceConfig>> to_peer_service_config(const NodeConfig& config, const conn::PoolConfig& pool,
                                                                const std::optional<std::filesystem::path>& data_dir) {
  const PeerManagerSettings& pm = config.peer_manager;
  if (!pm.enabled) return std::optional<PeerServiceConfig>();
  PeerServiceConfig c;
  BOOST_OUTCOME_TRY(manager, peer::to_peer_manager_config(pm));
  BOOST_OUTCOME_TRY(exchange, peer::to_peer_exchange_limits(pm.exchange));
  BOOST_OUTCOME_TRY(store, peer::to_peerstore_config(pm.peerstore));
  c.manager = manager;
  c.exchange = exchange;
  c.store = store;
  c.gate = peer::to_inbound_gate_config(config);
  if (pm.exchange.interval_ms == 0) return invalid("peer_manager.exchange.interval_ms", "must be at least 1");
  if (pm.exchange.request_timeout_ms == 0) {
    return invalid("peer_manager.exchange.request_timeout_ms", "must be at least 1");
  }
  c.exchange_interval = milliseconds(pm.exchange.interval_ms);
  c.exchange_timeout = milliseconds(pm.exchange.request_timeout_ms);
  c.min_answer_interval = milliseconds(pm.exchange.min_answer_interval_ms);
  c.flush_interval = milliseconds(pm.peerstore.flush_interval_ms);
  if (data_dir) c.store_path = *data_dir / "peerstore.db";
  c.bootstrap = pool.table.warmup_peers;
  return std::optional<PeerServiceConfig>(std::move(c));
}

Result<std::optional<GossipServiceConfig>> to_gossip_config(const NodeConfig& config) {
  const GossipSettings& g = config.gossip;
  if (!g.enabled) return std::optional<GossipServiceConfig>();
  gossip::GossipConfig c;
  c.d = g.d;
  c.d_lo = g.d_lo;
  c.d_hi = g.d_hi;
  c.d_lazy = g.d_lazy;
  c.heartbeat_interval_ms = g.heartbeat_interval_ms;
  c.fanout_ttl_ms = g.fanout_ttl_ms;
  c.seen_ttl_ms = g.seen_ttl_ms;
  c.flood_publish = g.flood_publish;
  c.rpc.max_message_bytes = g.max_message_bytes;
  c.rpc.max_rpc_bytes = g.max_message_bytes + 64 * 1024;
  c.max_topics_per_peer = g.max_topics_per_peer;
  c.idontwant_min_message_bytes = g.idontwant_min_message_bytes;
  c.stagger_min_message_bytes = g.stagger_min_message_bytes;
  c.stagger_first_peers = g.stagger_first_peers;
  c.stagger_interval_us = g.stagger_interval_us;
  c.max_queued_bytes_per_peer = g.max_queued_bytes_per_peer;
  c.async_signature_checks = g.signature_threads > 0;
  // A zero cap would ignore every message of a validated topic, every message while
  // signatures are checked off the thread, or forget every id at once (duplicates pass).
  if (g.max_pending_validations_per_topic == 0) {
    return invalid("gossip.max_pending_validations_per_topic", "must be positive");
  }
  if (g.max_pending_signature_checks == 0) return invalid("gossip.max_pending_signature_checks", "must be positive");
  if (g.max_seen_entries == 0) return invalid("gossip.max_seen_entries", "must be positive");
  if (g.max_cached_messages == 0) return invalid("gossip.max_cached_messages", "must be positive");
  c.max_pending_validations_per_topic = g.max_pending_validations_per_topic;
  c.max_pending_signature_checks = g.max_pending_signature_checks;
  c.max_seen_entries = g.max_seen_entries;
  c.max_cached_messages = g.max_cached_messages;
  if (auto checked = gossip::check_config(c); !checked) return invalid("gossip", checked.error().message());
  return std::optional<GossipServiceConfig>(GossipServiceConfig{std::move(c), g.signature_threads});
}

RequestConfig to_request_config(const NodeConfig& config) {
  RequestConfig r;
  r.max_request_bytes = config.requests.max_request_bytes;
  r.max_response_bytes = config.requests.max_response_bytes;
  return r;
}

Result<std::optional<AdminConfig>> to_admin_config(const NodeConfig& config) {
  const AdminSettings& a = config.admin;
  if (!a.enabled) return std::optional<AdminConfig>();
  auto listen = parse_api_address(a.listen);
  if (!listen) return invalid("admin.listen", listen.error().detail());
  if (a.max_connections == 0) return invalid("admin.max_connections", "must be positive");
  if (a.max_header_bytes == 0) return invalid("admin.max_header_bytes", "must be positive");
  // connect and publish carry a body: 0 would refuse every one with 413.
  if (a.max_body_bytes == 0) return invalid("admin.max_body_bytes", "must be positive");
  if (a.request_timeout_ms == 0) return invalid("admin.request_timeout_ms", "must be positive");
  // max_subscribers takes any value: 0 turns topic streams off (every one: 429), and as each
  // stream holds one of max_connections, a larger value is capped by that in effect (no
  // error, so that lowering max_connections alone keeps a config valid).
  if (a.stream_queue_messages == 0) return invalid("admin.stream_queue_messages", "must be positive");
  if (a.stream_queue_bytes == 0) return invalid("admin.stream_queue_bytes", "must be positive");
  AdminConfig admin;
  admin.listen = listen.value();
  admin.max_connections = a.max_connections;
  admin.max_header_bytes = a.max_header_bytes;
  admin.max_body_bytes = a.max_body_bytes;
  admin.request_timeout = milliseconds(a.request_timeout_ms);
  admin.max_subscribers = a.max_subscribers;
  admin.stream_queue_messages = a.stream_queue_messages;
  admin.stream_queue_bytes = a.stream_queue_bytes;
  return std::optional<AdminConfig>(admin);
}

Result<tcp::endpoint> listen_endpoint(const std::string& text) {
  auto address = Multiaddr::parse(text);
  if (!address) return address.error();
  auto target = address.value().to_tcp_endpoint();
  if (!target || address.value().peer_id() ||
      (target.value().kind != TcpEndpoint::HostKind::ip4 && target.value().kind != TcpEndpoint::HostKind::ip6)) {
    return Error(Errc::multiaddr_not_tcp, "a listen address is /ip4|ip6/<address>/tcp/<port>");
  }
  boost::system::error_code ec;
  auto ip = asio::ip::make_address(target.value().host, ec);
  if (ec) return Error(Errc::multiaddr_invalid_value, target.value().host);
  return tcp::endpoint(ip, target.value().port);
}

Multiaddr full_address(const tcp::endpoint& endpoint, const PeerId& id) {
  TcpEndpoint target;
  target.kind = endpoint.address().is_v4() ? TcpEndpoint::HostKind::ip4 : TcpEndpoint::HostKind::ip6;
  target.host = endpoint.address().to_string();
  target.port = endpoint.port();
  // An address we bound always converts; /p2p/ with our own id always parses.
  auto address = Multiaddr::from_tcp_endpoint(target).value();
  return Multiaddr::parse(address.to_string() + "/p2p/" + id.to_string()).value();
}

}  // namespace weft::node
