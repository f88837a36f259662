#pragma once
// Every setting of a weft node, each with the default the code uses. One struct per layer;
// `weft config default` prints them all as TOML (one table per struct, keys named as the
// fields here), and `weft node run --config FILE` reads that file back.
//
// Durations are whole milliseconds (`*_ms`), sizes bytes (`*_bytes`). No field is read
// after Node::create() copied the config; changing it later changes nothing.

#include <weft/keys.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace weft {

/// The four-phase handshake (docs/handshake.md, "Limits").
struct HandshakeSettings {
  /// Versions we speak; the responder picks the highest both speak. Not empty. Version 1
  /// encrypts the channel with ChaCha20-Poly1305, version 2 with AES-256-GCM; a host whose
  /// CPU lacks AES-NI leaves version 2 out of what it offers and accepts.
  std::vector<std::uint32_t> versions{2, 1};
  /// A peer's timestamp may differ from our clock by at most this much (inclusive).
  std::uint64_t max_clock_skew_ms = 300'000;
  /// Largest early data (listen addresses, protocols) an initiator may send.
  std::size_t max_early_data_bytes = 4096;
  /// Deadline for all four phases.
  std::uint64_t handshake_timeout_ms = 10'000;
  /// Inbound handshakes in progress at once, and from one IP address; past either the
  /// connection is closed before a byte is read.
  std::size_t max_pending_handshakes = 256;
  std::size_t max_pending_handshakes_per_ip = 16;
};

/// The encrypted channel after the handshake.
struct ChannelSettings {
  std::size_t max_frame_plaintext_bytes = 65536;
  /// Frames sealed with one key before both directions step to the next key.
  std::uint64_t rekey_interval_frames = std::uint64_t{1} << 20;
};

/// A yamux session per connection (docs/mux.md, "Limits").
struct MuxSettings {
  std::uint32_t receive_window_bytes = 256 * 1024;
  std::uint32_t max_send_buffer_bytes = 256 * 1024;
  std::size_t max_streams = 256;
  std::size_t max_accept_backlog = 256;
  std::size_t max_ack_backlog = 256;
  std::uint32_t max_frame_payload_bytes = 16 * 1024;
  std::size_t max_transmit_batch_bytes = 64 * 1024;
  std::size_t max_control_queue_bytes = 16 * 1024;
  std::size_t max_pending_pongs = 32;
  /// 0 disables keep-alive pings.
  std::uint64_t keepalive_interval_ms = 30'000;
  std::uint64_t keepalive_timeout_ms = 10'000;
};

/// Dial retries (exponential backoff with full jitter).
struct BackoffSettings {
  std::uint32_t max_retry_attempts = 3;
  std::uint64_t initial_backoff_ms = 1000;
  double backoff_multiplier = 2.0;
  std::uint64_t max_backoff_ms = 60'000;
  std::uint64_t min_backoff_ms = 100;
};

/// The per-peer circuit breaker.
struct CircuitSettings {
  std::uint32_t circuit_failure_threshold = 5;
  std::uint64_t circuit_open_ms = 30'000;
  std::uint32_t circuit_half_open_successes = 3;
};

/// Connection health scoring (docs/connection_policy.md).
struct HealthSettings {
  double health_threshold = 0.6;
  double health_recover_threshold = 0.7;
  double failure_weight = 0.40;
  double rtt_weight = 0.25;
  double age_weight = 0.15;
  double idle_weight = 0.15;
  double use_weight = 0.05;
  double failures_for_zero_score = 3.0;
  std::uint64_t failure_half_life_ms = 60'000;
  double rtt_ewma_alpha = 0.125;
  std::uint64_t rtt_full_score_ms = 100;
  std::uint64_t rtt_zero_score_ms = 2000;
  std::uint64_t age_fresh_ms = 3'600'000;
  std::uint64_t age_old_ms = 7'200'000;
  std::uint64_t idle_recent_ms = 60'000;
  std::uint64_t idle_stale_ms = 300'000;
  std::uint64_t uses_some = 10;
  std::uint64_t uses_many = 100;
  std::uint32_t max_missed_keepalives = 3;
};

/// How the table ranks peers for keep-alive.
struct UsageSettings {
  std::uint64_t usage_half_life_ms = 300'000;
  std::size_t max_tracked_peers = 4096;
};

/// The connection table (docs/connection_table.md, "Configuration").
struct ConnectionSettings {
  std::size_t max_connections_per_peer = 3;
  std::size_t max_total_connections = 1000;
  std::size_t max_inbound_connections = 800;
  std::size_t max_streams_per_connection = 256;
  std::size_t streams_before_new_connection = 64;
  std::uint64_t connect_timeout_ms = 10'000;
  std::uint64_t acquire_timeout_ms = 5'000;
  std::size_t max_waiting_acquirers = 10'000;
  std::uint64_t idle_timeout_ms = 300'000;
  std::uint64_t cleanup_interval_ms = 30'000;
  std::uint64_t health_check_interval_ms = 30'000;
  std::size_t keep_alive_count = 5;
  std::size_t min_connections_per_keep_alive_peer = 1;
  std::uint64_t simultaneous_dial_window_ms = 5'000;
  std::uint64_t lease_leak_threshold_ms = 60'000;
  /// A peer without connections is forgotten this long after its last failed dial.
  std::uint64_t failed_peer_memory_ms = 600'000;
  /// How long an inbound stream may take to name its protocol.
  std::uint64_t protocol_preamble_timeout_ms = 10'000;
  /// Peers dialed at start without blocking it (the table's warm-up peers): full addresses
  /// ending in /p2p/<PeerId>. These are the bootstrap peers: the peer manager also keeps
  /// them in its peerstore (source bootstrap) and asks them for peers.
  std::vector<std::string> warmup_peers;
  BackoffSettings backoff;
  CircuitSettings circuit;
  HealthSettings health;
  UsageSettings usage;
};

/// Request/response (one stream per request).
struct RequestSettings {
  std::size_t max_request_bytes = 1024 * 1024;
  std::size_t max_response_bytes = 1024 * 1024;
  /// The timeout of a request made without one.
  std::uint64_t default_timeout_ms = 10'000;
};

/// The local admin HTTP API (`weft status`, `weft peers`, `weft connect`; docs/architecture.md,
/// "Admin API"). It has no authentication: whoever reaches it can make the node dial, so it
/// listens on loopback unless `listen` says otherwise. While it runs, its bound address is in
/// <data_dir>/api.addr.
struct AdminSettings {
  bool enabled = true;
  /// "<ip>:<port>", IPv6 in brackets ("[::1]:5001"). Port 0 picks a free port, so that several
  /// nodes on one machine need no port each; clients find it in <data_dir>/api.addr.
  std::string listen = "127.0.0.1:0";
  /// Admin connections open at once; one more is closed at once.
  std::size_t max_connections = 16;
  /// Largest request header block and body; past either the request is refused (431, 413).
  std::size_t max_header_bytes = 8 * 1024;
  std::size_t max_body_bytes = 64 * 1024;
  /// Bound on one exchange: reading the request, doing it (a connect's dial) and replying.
  std::uint64_t request_timeout_ms = 30'000;
  /// Topic streams (GET /v1/subscribe) open at once; one more is refused with 429. Each also
  /// holds one of max_connections.
  std::size_t max_subscribers = 8;
  /// Per topic stream: lines waiting for a slow client, by count and by bytes; past either
  /// a line is dropped, counted and reported in the stream as {"dropped": N}.
  std::size_t stream_queue_messages = 1024;
  std::size_t stream_queue_bytes = 8 * 1024 * 1024;
};

/// Inbound connection limits applied before the handshake (src/peer/inbound_gate.hpp).
/// The pending-handshake caps are HandshakeSettings' max_pending_handshakes(_per_ip).
struct InboundSettings {
  /// Connections (pending + established) from one IPv4 address.
  std::size_t max_connections_per_ipv4 = 8;
  /// Connections (pending + established) from one IPv6 /56.
  std::size_t max_connections_per_ipv6_56 = 32;
  /// Accept token bucket: tokens per second and capacity.
  double accept_rate_per_s = 50.0;
  std::size_t accept_burst = 100;
  std::size_t max_banned_ips = 4096;
};

/// The peer exchange protocol's limits (src/peer/peer_exchange.hpp).
struct PeerExchangeSettings {
  std::size_t max_message_bytes = 96 * 1024;
  std::size_t max_peers_per_response = 32;
  std::size_t max_addrs_per_peer = 8;
  std::size_t max_addr_bytes = 256;
  /// How often one connected peer (chosen at random) is asked for peers; each new peer is
  /// asked once when it connects.
  std::uint64_t interval_ms = 30'000;
  /// Bound on one exchange once its stream is open.
  std::uint64_t request_timeout_ms = 10'000;
  /// A peer asking again sooner than this gets a refusal, not a new sample.
  std::uint64_t min_answer_interval_ms = 1'000;
};

/// The peerstore (docs/peerstore.md): what the node remembers about other peers, in
/// <data_dir>/peerstore.db when the node has a data directory (in memory otherwise).
struct PeerstoreSettings {
  std::size_t max_peers = 10'000;
  std::size_t max_banned_peers = 1'000;
  std::size_t max_addresses_per_peer = 16;
  /// Addresses in one IPv4 /24 or IPv6 /48 learned from untrusted sources.
  std::size_t max_addresses_per_subnet = 64;
  std::uint64_t peer_exchange_ttl_ms = 3'600'000;
  std::uint64_t inbound_ttl_ms = 3'600'000;
  /// How often changes are written to the file (and once more at stop).
  std::uint64_t flush_interval_ms = 5'000;
};

/// The peer manager (docs/peer_manager.md): connection targets, dialing, misbehaviour and
/// bans.
struct PeerManagerSettings {
  /// Off: no peer manager, no peerstore, no peer exchange, no inbound gate (the table and
  /// its own limits alone; for embedders that choose their peers themselves).
  bool enabled = true;
  std::size_t low_watermark = 32;
  std::size_t high_watermark = 64;
  std::uint64_t grace_period_ms = 20'000;
  std::size_t max_trims_per_tick = 1;
  std::uint64_t tick_interval_ms = 1'000;
  std::size_t max_concurrent_dials = 8;
  std::uint64_t dial_timeout_ms = 30'000;
  std::uint64_t dial_backoff_initial_ms = 1'000;
  double dial_backoff_multiplier = 2.0;
  std::uint64_t dial_backoff_max_ms = 300'000;
  std::uint64_t dial_backoff_min_ms = 100;
  /// Misbehaviour points per report kind.
  double penalty_protocol_violation = 20.0;
  double penalty_bad_handshake_signature = 100.0;
  double penalty_flood = 25.0;
  double penalty_invalid_message = 10.0;
  double penalty_invalid_peer_exchange = 20.0;
  double ban_threshold = 100.0;
  std::uint64_t penalty_half_life_ms = 600'000;
  std::uint64_t ban_duration_ms = 3'600'000;
  std::size_t max_banned_peers = 4096;
  std::size_t max_tracked_peers = 4096;
  InboundSettings inbound;
  PeerExchangeSettings exchange;
  PeerstoreSettings peerstore;
};

/// Gossip (gossipsub v1.1/v1.2 on `/meshsub/1.2.0`; docs/gossip.md). The router's other
/// parameters (scoring, v1.2 limits, caches) keep their defaults.
struct GossipSettings {
  bool enabled = true;
  std::size_t d = 6;
  std::size_t d_lo = 4;
  std::size_t d_hi = 12;
  std::size_t d_lazy = 6;
  std::uint64_t heartbeat_interval_ms = 1000;
  std::uint64_t fanout_ttl_ms = 60'000;
  std::uint64_t seen_ttl_ms = 120'000;
  bool flood_publish = true;
  /// Bytes of one message's data; an RPC may carry one such message plus 64 KiB.
  std::size_t max_message_bytes = 1024 * 1024;
  std::size_t max_topics_per_peer = 64;
  /// Messages at or above this size are announced with IDONTWANT (v1.2).
  std::size_t idontwant_min_message_bytes = 1024;
  /// Staggered sends (docs/gossip.md): a forwarded message of at least this size goes to
  /// `stagger_first_peers` mesh peers at once and to the others one every
  /// `stagger_interval_us`, unless their IDONTWANT or copy arrives first. 0 µs: all at once.
  std::size_t stagger_min_message_bytes = 16 * 1024;
  std::size_t stagger_first_peers = 1;
  std::uint64_t stagger_interval_us = 10000;
  /// What may wait to be sent to one peer; past it the lowest priority is dropped.
  std::size_t max_queued_bytes_per_peer = 8 * 1024 * 1024;
  /// Threads that check message signatures off the network thread; 0 checks them on it.
  std::size_t signature_threads = 1;
  /// Messages of one topic waiting for its validator (Node::set_validator); past it a new
  /// one is ignored (not marked seen) and counted.
  std::size_t max_pending_validations_per_topic = 1024;
  /// Messages waiting for their signature check (signature_threads > 0); past it a new one
  /// is ignored (not marked seen) and counted.
  std::size_t max_pending_signature_checks = 4096;
  /// Message ids remembered to drop duplicates (for seen_ttl_ms); past it the oldest go.
  std::size_t max_seen_entries = 262'144;
  /// Messages kept to answer IWANT requests; past it a message is still delivered and
  /// forwarded, but not served to IWANT.
  std::size_t max_cached_messages = 65'536;
};

struct NodeConfig {
  /// Where the node keeps its state; empty means $HOME/.weft. Created (mode 0700) if missing.
  std::string data_dir;
  /// The identity key file; empty means <data_dir>/identity.key. Created on first start.
  std::string identity_key_file;
  /// Used instead of the key file when set (tests, embedders with their own key store).
  /// Not part of the config file.
  std::optional<Keypair> identity;
  /// /ip4|ip6/<address>/tcp/<port>; port 0 picks a free one.
  std::vector<std::string> listen{"/ip4/0.0.0.0/tcp/4001"};
  /// "trace", "debug", "info", "warn", "error", "critical" or "off". The library does not
  /// log; `weft node run` sets its logger to this level.
  std::string log_level = "info";
  /// stop() waits this long for connections to drain before closing them hard.
  std::uint64_t shutdown_timeout_ms = 5'000;

  HandshakeSettings handshake;
  ChannelSettings channel;
  MuxSettings mux;
  ConnectionSettings connections;
  RequestSettings requests;
  AdminSettings admin;
  PeerManagerSettings peer_manager;
  GossipSettings gossip;
};

}  // namespace weft
