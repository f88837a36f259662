#include "config_file.hpp"

#include <toml++/toml.h>

#include <fmt/format.h>

#include <cmath>
#include <cstdint>
#include <fstream>
#include <limits>
#include <set>
#include <sstream>
#include <type_traits>
#include <vector>

namespace weft::cli {
namespace {

/// Every field of the file, in file order: the top-level keys first, then each table's keys
/// together. `visit(table, key, field, comment)`; `table` is "" for the top level.
template <class Config, class Visit>
void visit_fields(Config& c, Visit&& v) {
  v("", "data_dir", c.data_dir, "Where the node keeps its state (identity key); empty: $HOME/.weft.");
  v("", "identity_key_file", c.identity_key_file, "The identity key file; empty: <data_dir>/identity.key. Created on first start.");
  v("", "listen", c.listen, "Listen addresses, /ip4|ip6/<address>/tcp/<port> (port 0 picks a free one).");
  v("", "log_level", c.log_level, "trace, debug, info, warn, error, critical or off.");
  v("", "shutdown_timeout_ms", c.shutdown_timeout_ms, "On stop, how long open streams may drain before connections close.");

  auto& h = c.handshake;
  v("handshake", "versions", h.versions, "Handshake versions spoken; the highest common one is chosen (2: AES-256-GCM channel, where the CPU has it; 1: ChaCha20-Poly1305).");
  v("handshake", "max_clock_skew_ms", h.max_clock_skew_ms, "Largest accepted difference between a peer's clock and ours.");
  v("handshake", "max_early_data_bytes", h.max_early_data_bytes, "Largest early data (addresses, protocols) a dialer may send.");
  v("handshake", "handshake_timeout_ms", h.handshake_timeout_ms, "Deadline for all four handshake messages.");
  v("handshake", "max_pending_handshakes", h.max_pending_handshakes, "Inbound handshakes in progress at once.");
  v("handshake", "max_pending_handshakes_per_ip", h.max_pending_handshakes_per_ip, "Inbound handshakes in progress from one IP address.");

  auto& ch = c.channel;
  v("channel", "max_frame_plaintext_bytes", ch.max_frame_plaintext_bytes, "Largest plaintext of one encrypted frame.");
  v("channel", "rekey_interval_frames", ch.rekey_interval_frames, "Frames sealed with one key before the next key.");

  auto& m = c.mux;
  v("mux", "receive_window_bytes", m.receive_window_bytes, "Receive window per stream (at least 262144).");
  v("mux", "max_send_buffer_bytes", m.max_send_buffer_bytes, "Bytes a stream may queue for sending.");
  v("mux", "max_streams", m.max_streams, "Streams per connection, both directions.");
  v("mux", "max_accept_backlog", m.max_accept_backlog, "Inbound streams waiting to be accepted.");
  v("mux", "max_ack_backlog", m.max_ack_backlog, "Outbound streams the peer has not acknowledged.");
  v("mux", "max_frame_payload_bytes", m.max_frame_payload_bytes, "Largest data frame payload sent.");
  v("mux", "max_transmit_batch_bytes", m.max_transmit_batch_bytes, "Largest batch of frames written at once.");
  v("mux", "max_control_queue_bytes", m.max_control_queue_bytes, "Control frames queued; a peer causing more is dropped.");
  v("mux", "max_pending_pongs", m.max_pending_pongs, "Ping answers queued at once.");
  v("mux", "keepalive_interval_ms", m.keepalive_interval_ms, "Keep-alive ping after this long without a frame; 0 disables.");
  v("mux", "keepalive_timeout_ms", m.keepalive_timeout_ms, "An unanswered keep-alive ping ends the session after this long.");

  auto& t = c.connections;
  v("connections", "max_connections_per_peer", t.max_connections_per_peer, "Connections to one peer (dials included).");
  v("connections", "max_total_connections", t.max_total_connections, "Connections in the table.");
  v("connections", "max_inbound_connections", t.max_inbound_connections, "Inbound connections; the rest stay free for our dials.");
  v("connections", "max_streams_per_connection", t.max_streams_per_connection, "Leased streams on one connection.");
  v("connections", "streams_before_new_connection", t.streams_before_new_connection, "Leased streams on every connection to a peer before another is dialed.");
  v("connections", "connect_timeout_ms", t.connect_timeout_ms, "Dial plus handshake.");
  v("connections", "acquire_timeout_ms", t.acquire_timeout_ms, "How long a request waits for a stream when limits are reached.");
  v("connections", "max_waiting_acquirers", t.max_waiting_acquirers, "Requests waiting for a stream at once.");
  v("connections", "idle_timeout_ms", t.idle_timeout_ms, "A connection without streams this long is closed (keep-alive peers spared).");
  v("connections", "cleanup_interval_ms", t.cleanup_interval_ms, "How often idle eviction and the leak report run.");
  v("connections", "health_check_interval_ms", t.health_check_interval_ms, "How often connection health is evaluated.");
  v("connections", "keep_alive_count", t.keep_alive_count, "Most-used peers kept connected.");
  v("connections", "min_connections_per_keep_alive_peer", t.min_connections_per_keep_alive_peer, "Connections kept to each of them.");
  v("connections", "simultaneous_dial_window_ms", t.simultaneous_dial_window_ms, "Inbound and outbound connections to one peer this close are a simultaneous dial.");
  v("connections", "lease_leak_threshold_ms", t.lease_leak_threshold_ms, "A stream held longer is reported once.");
  v("connections", "failed_peer_memory_ms", t.failed_peer_memory_ms, "A peer without connections is forgotten this long after its last failed dial.");
  v("connections", "protocol_preamble_timeout_ms", t.protocol_preamble_timeout_ms, "How long an inbound stream may take to name its protocol.");
  v("connections", "warmup_peers", t.warmup_peers, "Peers dialed at start: addresses ending in /p2p/<PeerId> (--bootstrap adds to these).");

  auto& b = t.backoff;
  v("connections.backoff", "max_retry_attempts", b.max_retry_attempts, "Retries of a failed dial.");
  v("connections.backoff", "initial_backoff_ms", b.initial_backoff_ms, "Ceiling of the first retry's delay.");
  v("connections.backoff", "backoff_multiplier", b.backoff_multiplier, "Growth of the ceiling per retry.");
  v("connections.backoff", "max_backoff_ms", b.max_backoff_ms, "No delay exceeds this.");
  v("connections.backoff", "min_backoff_ms", b.min_backoff_ms, "No delay is below this.");

  auto& cb = t.circuit;
  v("connections.circuit", "circuit_failure_threshold", cb.circuit_failure_threshold, "Consecutive dial failures that open a peer's breaker.");
  v("connections.circuit", "circuit_open_ms", cb.circuit_open_ms, "How long the breaker stays open before a trial dial.");
  v("connections.circuit", "circuit_half_open_successes", cb.circuit_half_open_successes, "Trial successes that close it.");

  auto& hs = t.health;
  v("connections.health", "health_threshold", hs.health_threshold, "Below this score a connection is degraded.");
  v("connections.health", "health_recover_threshold", hs.health_recover_threshold, "At this score a degraded connection recovers.");
  v("connections.health", "failure_weight", hs.failure_weight, "Weight of recent failures.");
  v("connections.health", "rtt_weight", hs.rtt_weight, "Weight of the smoothed round-trip time.");
  v("connections.health", "age_weight", hs.age_weight, "Weight of the connection's age.");
  v("connections.health", "idle_weight", hs.idle_weight, "Weight of time since last use.");
  v("connections.health", "use_weight", hs.use_weight, "Weight of the number of uses.");
  v("connections.health", "failures_for_zero_score", hs.failures_for_zero_score, "Decayed failures at which the failure factor is 0.");
  v("connections.health", "failure_half_life_ms", hs.failure_half_life_ms, "A failure counts half after this long.");
  v("connections.health", "rtt_ewma_alpha", hs.rtt_ewma_alpha, "Weight of each new RTT sample.");
  v("connections.health", "rtt_full_score_ms", hs.rtt_full_score_ms, "RTT at or below which the RTT factor is 1.");
  v("connections.health", "rtt_zero_score_ms", hs.rtt_zero_score_ms, "RTT at or above which the RTT factor is 0.");
  v("connections.health", "age_fresh_ms", hs.age_fresh_ms, "Younger connections score 1.0 for age.");
  v("connections.health", "age_old_ms", hs.age_old_ms, "Younger ones score 0.8, older 0.5.");
  v("connections.health", "idle_recent_ms", hs.idle_recent_ms, "Used more recently: 1.0 for idleness.");
  v("connections.health", "idle_stale_ms", hs.idle_stale_ms, "Used more recently: 0.8, else 0.5.");
  v("connections.health", "uses_some", hs.uses_some, "More uses: 0.8 for operations.");
  v("connections.health", "uses_many", hs.uses_many, "More uses: 1.0 for operations.");
  v("connections.health", "max_missed_keepalives", hs.max_missed_keepalives, "Missed keep-alives that make a connection dead.");

  auto& u = t.usage;
  v("connections.usage", "usage_half_life_ms", u.usage_half_life_ms, "A use counts half after this long (keep-alive ranking).");
  v("connections.usage", "max_tracked_peers", u.max_tracked_peers, "Peers whose usage is tracked.");

  auto& r = c.requests;
  v("requests", "max_request_bytes", r.max_request_bytes, "Largest request sent or accepted.");
  v("requests", "max_response_bytes", r.max_response_bytes, "Largest response sent or accepted.");
  v("requests", "default_timeout_ms", r.default_timeout_ms, "Timeout of a request made without one.");

  auto& a = c.admin;
  v("admin", "enabled", a.enabled, "Serve the local admin HTTP API (weft status, peers, connect).");
  v("admin", "listen", a.listen, "<ip>:<port> of the API, unauthenticated: keep it on loopback. Port 0 picks one; the bound address goes to <data_dir>/api.addr.");
  v("admin", "max_connections", a.max_connections, "Admin connections at once; more are closed at once.");
  v("admin", "max_header_bytes", a.max_header_bytes, "Largest request header block (past it: 431).");
  v("admin", "max_body_bytes", a.max_body_bytes, "Largest request body (past it: 413).");
  v("admin", "request_timeout_ms", a.request_timeout_ms, "Bound on reading a request, doing it (a connect's dial) and replying.");
  v("admin", "max_subscribers", a.max_subscribers, "Topic streams (weft subscribe) open at once (each holds one of max_connections); more get 429; 0: none.");
  v("admin", "stream_queue_messages", a.stream_queue_messages, "Per topic stream: lines waiting for a slow client; past it lines are dropped and reported.");
  v("admin", "stream_queue_bytes", a.stream_queue_bytes, "Per topic stream: bytes of lines waiting for a slow client; past it lines are dropped and reported.");

  auto& pm = c.peer_manager;
  v("peer_manager", "enabled", pm.enabled, "Off: no peer manager, peerstore, peer exchange or inbound gate.");
  v("peer_manager", "low_watermark", pm.low_watermark, "Below this many connections, known peers are dialed.");
  v("peer_manager", "high_watermark", pm.high_watermark, "Above this many, connections are trimmed back to low_watermark.");
  v("peer_manager", "grace_period_ms", pm.grace_period_ms, "A younger connection is never trimmed.");
  v("peer_manager", "max_trims_per_tick", pm.max_trims_per_tick, "Connections trimmed per tick while above the low watermark.");
  v("peer_manager", "tick_interval_ms", pm.tick_interval_ms, "How often the peer manager trims, dials and expires bans.");
  v("peer_manager", "max_concurrent_dials", pm.max_concurrent_dials, "Peer manager dials in flight at once.");
  v("peer_manager", "dial_timeout_ms", pm.dial_timeout_ms, "A dial not finished in this long counts as failed.");
  v("peer_manager", "dial_backoff_initial_ms", pm.dial_backoff_initial_ms, "Ceiling of the redial delay after a peer's first failed dial.");
  v("peer_manager", "dial_backoff_multiplier", pm.dial_backoff_multiplier, "Growth of that ceiling per further failure (at least 1).");
  v("peer_manager", "dial_backoff_max_ms", pm.dial_backoff_max_ms, "No redial delay exceeds this.");
  v("peer_manager", "dial_backoff_min_ms", pm.dial_backoff_min_ms, "No redial delay is below this.");
  v("peer_manager", "penalty_protocol_violation", pm.penalty_protocol_violation, "Points for a protocol violation.");
  v("peer_manager", "penalty_bad_handshake_signature", pm.penalty_bad_handshake_signature, "Points for a handshake signature that does not verify.");
  v("peer_manager", "penalty_flood", pm.penalty_flood, "Points for exceeding a message, stream or request limit.");
  v("peer_manager", "penalty_invalid_message", pm.penalty_invalid_message, "Points for a message that does not parse or validate.");
  v("peer_manager", "penalty_invalid_peer_exchange", pm.penalty_invalid_peer_exchange, "Points for a peer exchange response over the limits or malformed.");
  v("peer_manager", "ban_threshold", pm.ban_threshold, "A peer whose points reach this is banned (above 0).");
  v("peer_manager", "penalty_half_life_ms", pm.penalty_half_life_ms, "Points halve every this long; 0 keeps them.");
  v("peer_manager", "ban_duration_ms", pm.ban_duration_ms, "How long a ban lasts.");
  v("peer_manager", "max_banned_peers", pm.max_banned_peers, "Bans held at once; past it the one ending soonest is dropped.");
  v("peer_manager", "max_tracked_peers", pm.max_tracked_peers, "Peers whose points and dial backoff are remembered.");

  auto& in = pm.inbound;
  v("peer_manager.inbound", "max_connections_per_ipv4", in.max_connections_per_ipv4, "Inbound connections (handshaking or open) from one IPv4 address.");
  v("peer_manager.inbound", "max_connections_per_ipv6_56", in.max_connections_per_ipv6_56, "Inbound connections (handshaking or open) from one IPv6 /56.");
  v("peer_manager.inbound", "accept_rate_per_s", in.accept_rate_per_s, "Inbound connections accepted per second, on average.");
  v("peer_manager.inbound", "accept_burst", in.accept_burst, "Inbound connections accepted at once after a quiet spell.");
  v("peer_manager.inbound", "max_banned_ips", in.max_banned_ips, "Banned addresses remembered at once.");

  auto& px = pm.exchange;
  v("peer_manager.exchange", "max_message_bytes", px.max_message_bytes, "Largest peer exchange response sent or accepted.");
  v("peer_manager.exchange", "max_peers_per_response", px.max_peers_per_response, "Peers in one peer exchange response.");
  v("peer_manager.exchange", "max_addrs_per_peer", px.max_addrs_per_peer, "Addresses per peer in a peer exchange response.");
  v("peer_manager.exchange", "max_addr_bytes", px.max_addr_bytes, "Bytes of one address (or PeerId) in a peer exchange response.");
  v("peer_manager.exchange", "interval_ms", px.interval_ms, "How often a random connected peer is asked for peers (new peers are asked at once).");
  v("peer_manager.exchange", "request_timeout_ms", px.request_timeout_ms, "Bound on one peer exchange once its stream is open.");
  v("peer_manager.exchange", "min_answer_interval_ms", px.min_answer_interval_ms, "A peer asking again sooner is refused.");

  auto& ps = pm.peerstore;
  v("peer_manager.peerstore", "max_peers", ps.max_peers, "Peers remembered (banned ones included).");
  v("peer_manager.peerstore", "max_banned_peers", ps.max_banned_peers, "Peers with a running ban remembered; below max_peers.");
  v("peer_manager.peerstore", "max_addresses_per_peer", ps.max_addresses_per_peer, "Addresses remembered per peer.");
  v("peer_manager.peerstore", "max_addresses_per_subnet", ps.max_addresses_per_subnet, "Addresses learned from others in one IPv4 /24 or IPv6 /48.");
  v("peer_manager.peerstore", "peer_exchange_ttl_ms", ps.peer_exchange_ttl_ms, "Lifetime of an address learned through peer exchange.");
  v("peer_manager.peerstore", "inbound_ttl_ms", ps.inbound_ttl_ms, "Lifetime of an address a peer advertised when it connected.");
  v("peer_manager.peerstore", "flush_interval_ms", ps.flush_interval_ms, "How often changes are written to <data_dir>/peerstore.db.");

  auto& g = c.gossip;
  v("gossip", "enabled", g.enabled, "Off: no gossip router (no /meshsub/1.2.0 streams).");
  v("gossip", "d", g.d, "Target mesh degree per topic.");
  v("gossip", "d_lo", g.d_lo, "Below this many mesh peers, the heartbeat grafts up to d.");
  v("gossip", "d_hi", g.d_hi, "Above this many mesh peers, the heartbeat prunes down to d.");
  v("gossip", "d_lazy", g.d_lazy, "Peers that get IHAVE gossip per topic and heartbeat, at least.");
  v("gossip", "heartbeat_interval_ms", g.heartbeat_interval_ms, "How often the mesh is maintained and gossip emitted.");
  v("gossip", "fanout_ttl_ms", g.fanout_ttl_ms, "A topic we publish to without subscribing is forgotten after this long unused.");
  v("gossip", "seen_ttl_ms", g.seen_ttl_ms, "How long a message id is remembered (duplicates dropped).");
  v("gossip", "flood_publish", g.flood_publish, "Our own messages go to every topic peer above the publish threshold, not only the mesh.");
  v("gossip", "max_message_bytes", g.max_message_bytes, "Bytes of one message's data (larger ones are refused and penalized).");
  v("gossip", "max_topics_per_peer", g.max_topics_per_peer, "Topics one peer may subscribe to.");
  v("gossip", "idontwant_min_message_bytes", g.idontwant_min_message_bytes, "Messages at least this large are announced with IDONTWANT.");
  v("gossip", "stagger_min_message_bytes", g.stagger_min_message_bytes, "Forwarded messages at least this large are sent to the mesh one peer at a time.");
  v("gossip", "stagger_first_peers", g.stagger_first_peers, "Staggered sends: mesh peers sent the message at once.");
  v("gossip", "stagger_interval_us", g.stagger_interval_us, "Staggered sends: microseconds between the next peers; 0 sends to all at once.");
  v("gossip", "signature_threads", g.signature_threads, "Threads checking message signatures off the network thread; 0: on it.");
  v("gossip", "max_queued_bytes_per_peer", g.max_queued_bytes_per_peer, "Bytes waiting to be sent to one peer; past it the lowest priority is dropped.");
  v("gossip", "max_pending_validations_per_topic", g.max_pending_validations_per_topic, "Messages of one topic waiting for its validator; past it a new one is ignored and counted.");
  v("gossip", "max_pending_signature_checks", g.max_pending_signature_checks, "Messages waiting for their signature check (signature_threads > 0); past it a new one is ignored and counted.");
  v("gossip", "max_seen_entries", g.max_seen_entries, "Message ids remembered to drop duplicates; past it the oldest are forgotten.");
  v("gossip", "max_cached_messages", g.max_cached_messages, "Messages kept to answer IWANT; past it a message is delivered and forwarded but not served.");
}

std::string full_key(std::string_view table, std::string_view key) {
  return table.empty() ? std::string(key) : std::string(table) + "." + std::string(key);
}

Error key_error(const std::string& key, const std::string& what) {
  return Error(Errc::config_invalid, "key '" + key + "': " + what);
}

const char* type_name(const toml::node& n) {
  switch (n.type()) {
    case toml::node_type::string: return "string";
    case toml::node_type::integer: return "integer";
    case toml::node_type::floating_point: return "float";
    case toml::node_type::boolean: return "boolean";
    case toml::node_type::array: return "array";
    case toml::node_type::table: return "table";
    default: return "date/time";
  }
}

template <class T>
Result<void> read_value(const toml::node& n, const std::string& key, T& out) {
  if constexpr (std::is_same_v<T, std::string>) {
    if (!n.is_string()) return key_error(key, std::string("expected a string, got ") + type_name(n));
    out = *n.value<std::string>();
  } else if constexpr (std::is_same_v<T, bool>) {  // before the unsigned types: bool is one
    if (!n.is_boolean()) return key_error(key, std::string("expected true or false, got ") + type_name(n));
    out = *n.value<bool>();
  } else if constexpr (std::is_same_v<T, double>) {
    if (!n.is_number()) return key_error(key, std::string("expected a number, got ") + type_name(n));
    out = *n.value<double>();
    if (!std::isfinite(out) || out < 0) return key_error(key, "expected a finite non-negative number");
  } else if constexpr (std::is_unsigned_v<T>) {
    if (!n.is_integer()) return key_error(key, std::string("expected a non-negative integer, got ") + type_name(n));
    const std::int64_t v = *n.value<std::int64_t>();
    if (v < 0 || static_cast<std::uint64_t>(v) > std::numeric_limits<T>::max()) {
      return key_error(key, "expected an integer in 0.." + std::to_string(std::numeric_limits<T>::max()) +
                                ", got " + std::to_string(v));
    }
    out = static_cast<T>(v);
  } else {  // std::vector<E>
    if (!n.is_array()) return key_error(key, std::string("expected an array, got ") + type_name(n));
    T values;
    std::size_t i = 0;
    for (const toml::node& element : *n.as_array()) {
      typename T::value_type v{};
      if (auto r = read_value(element, key + "[" + std::to_string(i++) + "]", v); !r) return r.error();
      values.push_back(std::move(v));
    }
    out = std::move(values);
  }
  return success();
}

/// Every key of `table` (under `prefix`) is a known key or a known table.
Result<void> check_keys(const toml::table& table, const std::string& prefix, const std::set<std::string>& keys,
                        const std::set<std::string>& tables) {
  for (const auto& [name, node] : table) {
    const std::string key = full_key(prefix, name.str());
    if (keys.count(key) != 0) continue;
    if (tables.count(key) != 0 && node.is_table()) {
      if (auto r = check_keys(*node.as_table(), key, keys, tables); !r) return r;
      continue;
    }
    if (tables.count(key) != 0) return key_error(key, std::string("expected a table, got ") + type_name(node));
    return Error(Errc::config_invalid, "unknown key '" + key + "'");
  }
  return success();
}

std::string quoted(const std::string& s) {
  std::string out = "\"";
  for (char ch : s) {
    if (ch == '"' || ch == '\\') out += '\\';
    if (static_cast<unsigned char>(ch) < 0x20) {
      out += fmt::format("\\u{:04x}", static_cast<unsigned>(ch));
      continue;
    }
    out += ch;
  }
  return out + "\"";
}

std::string toml_text(const std::string& v) { return quoted(v); }
std::string toml_text(bool v) { return v ? "true" : "false"; }
std::string toml_text(double v) {
  std::string text = fmt::format("{}", v);  // shortest text that reads back the same
  if (text.find_first_of(".en") == std::string::npos) text += ".0";
  return text;
}
template <class T>
std::string toml_text(const T& v) {
  if constexpr (std::is_unsigned_v<T>) {
    return std::to_string(v);
  } else {
    std::string out = "[";
    for (std::size_t i = 0; i < v.size(); ++i) out += (i ? ", " : "") + toml_text(v[i]);
    return out + "]";
  }
}

}  // namespace

Result<NodeConfig> parse_node_config(std::string_view text, std::string_view source) {
  toml::table root;
  try {
    root = toml::parse(text, source);
  } catch (const toml::parse_error& e) {
    const auto& where = e.source().begin;
    return Error(Errc::config_invalid, fmt::format("{}:{}:{}: {}", source, where.line, where.column, e.description()));
  }
  std::set<std::string> keys;
  std::set<std::string> tables;
  NodeConfig defaults;
  visit_fields(defaults, [&](std::string_view table, std::string_view key, auto&, const char*) {
    keys.insert(full_key(table, key));
    while (!table.empty()) {  // "connections.backoff" and "connections"
      tables.insert(std::string(table));
      const auto last = table.rfind('.');
      table = last == std::string_view::npos ? std::string_view() : table.substr(0, last);
    }
  });
  if (auto r = check_keys(root, "", keys, tables); !r) return r.error().with_context(source);

  NodeConfig config;
  Result<void> status = success();
  visit_fields(config, [&](std::string_view table, std::string_view key, auto& field, const char*) {
    if (!status) return;
    const std::string name = full_key(table, key);
    const toml::node* node = root.at_path(name).node();
    if (node == nullptr) return;
    status = read_value(*node, name, field);
  });
  if (!status) return status.error().with_context(source);
  return config;
}

Result<NodeConfig> read_node_config(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error(Errc::config_invalid, "cannot read " + path.string());
  std::ostringstream text;
  text << in.rdbuf();
  return parse_node_config(text.str(), path.string());
}

std::string default_config_text() { return config_text(NodeConfig{}); }

std::string config_text(const NodeConfig& config) {
  std::string out =
      "# weft node configuration (TOML). Every key is shown with its default; a key left out\n"
      "# keeps its default, an unknown key is an error. Durations are milliseconds (*_ms),\n"
      "# sizes bytes (*_bytes). `weft node run --config FILE`; --listen, --bootstrap, --data-dir\n"
      "# and --log-level override the file.\n";
  std::string current_table;
  visit_fields(config, [&](std::string_view table, std::string_view key, const auto& field, const char* comment) {
    if (table != current_table) {
      current_table = std::string(table);
      out += "\n[" + current_table + "]\n";
    }
    out += "# " + std::string(comment) + "\n" + std::string(key) + " = " + toml_text(field) + "\n";
  });
  return out;
}

}  // namespace weft::cli
