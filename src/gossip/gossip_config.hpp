#pragma once
// The router's settings, each with its default (docs/gossip.md has the reasoning). Every
// limit has a counter in GossipStats.

#include "gossip/message_signing.hpp"
#include "gossip/rpc.hpp"
#include "gossip/rpc_codec.hpp"
#include "gossip/score_params.hpp"

#include <cstddef>
#include <cstdint>
#include <set>

namespace weft::gossip {

/// The five score thresholds of gossipsub v1.1 (docs/gossip.md, "Scores").
struct ScoreThresholds {
  double gossip = -10.0;      ///< below: no IHAVE/IWANT to or from the peer
  double publish = -50.0;     ///< below: our own messages are not sent to the peer
  double graylist = -80.0;    ///< below: the peer's RPCs are ignored
  double accept_px = 10.0;    ///< at or above: PX from the peer's PRUNE is passed on
  double opportunistic_graft = 5.0;  ///< a mesh whose median is below grafts better peers
};

struct GossipConfig {
  // --- mesh (gossipsub v1.0) ---
  std::size_t d = 6;        ///< target mesh degree
  std::size_t d_lo = 4;     ///< below this, the heartbeat grafts up to d
  std::size_t d_hi = 12;    ///< above this, the heartbeat prunes down to d
  std::size_t d_lazy = 6;   ///< the least number of peers that get IHAVE gossip per topic
  std::uint64_t heartbeat_interval_ms = 1000;
  std::uint64_t heartbeat_initial_delay_ms = 100;
  std::uint64_t fanout_ttl_ms = 60'000;     ///< a fanout topic unpublished this long is forgotten
  std::size_t history_windows = 5;          ///< heartbeats a message stays in the message cache
  std::size_t gossip_windows = 3;           ///< of those, the newest advertised in IHAVE
  std::size_t max_cached_messages = 65'536; ///< message cache entry cap
  std::uint64_t seen_ttl_ms = 120'000;      ///< how long a message id stays in the seen cache
  std::size_t max_seen_entries = 262'144;   ///< seen cache entry cap (oldest evicted)

  // --- gossipsub v1.1 ---
  std::size_t d_score = 4;   ///< when pruning, the best-scoring peers kept
  std::size_t d_out = 2;     ///< outbound peers kept in each mesh (< d_lo, <= d/2)
  double gossip_factor = 0.25;
  std::uint64_t prune_backoff_ms = 60'000;
  std::uint64_t unsubscribe_backoff_ms = 10'000;
  std::uint64_t max_prune_backoff_ms = 3'600'000;  ///< a peer's PRUNE backoff is capped at this
  std::size_t prune_peers = 16;                    ///< PX peers sent with a PRUNE (and accepted)
  bool flood_publish = true;
  std::size_t gossip_retransmission = 3;           ///< IWANT answers per peer and message
  std::uint64_t opportunistic_graft_ticks = 60;    ///< heartbeats between opportunistic grafts
  std::size_t opportunistic_graft_peers = 2;
  ScoreThresholds thresholds;
  PeerScoreParams score;

  // --- gossipsub v1.2 ---
  /// Messages with at least this many data bytes are announced with IDONTWANT.
  std::size_t idontwant_min_message_bytes = 1024;
  /// Send IDONTWANT on receipt, before the signature check, as go-libp2p does, when the
  /// sending peer's score is not negative; false: only after a good signature.
  bool early_idontwant = true;
  /// When such a copy fails its signature check, the mesh was told IDONTWANT for a message
  /// we do not have: at the next heartbeat, unless the genuine one came meanwhile, we ask
  /// one mesh peer for it with IWANT. At most this many ids wait for that.
  std::size_t max_forged_refetches = 256;
  std::size_t max_idontwant_ids_per_peer = 1024;  ///< remembered IDONTWANT ids per peer
  /// IDONTWANT entries taken per peer and heartbeat (go-libp2p: 1000). One entry per message
  /// is the usual shape, so this must stay above the message rate a mesh peer relays.
  std::size_t max_idontwant_messages_per_heartbeat = 1000;
  std::uint64_t idontwant_ttl_ms = 3000;
  /// Staggered sends (weft's own, wire-compatible): a message of at least
  /// `stagger_min_message_bytes` goes at once to `stagger_first_peers` of the peers it is
  /// for, chosen at random, and to the others one by one, `stagger_interval_us` apart. A
  /// peer whose IDONTWANT or copy of the message arrives first is not sent it, so large
  /// messages cross each mesh link about once instead of both ways. 0 turns it off.
  std::size_t stagger_min_message_bytes = 16 * 1024;
  std::size_t stagger_first_peers = 1;
  std::uint64_t stagger_interval_us = 10000;
  std::size_t max_staggered_sends = 4096;  ///< waiting sends; past it a copy goes at once

  // --- limits on what peers send ---
  RpcLimits rpc;
  std::size_t max_topics_per_peer = 64;
  std::size_t max_ihave_messages_per_heartbeat = 10;  ///< RPCs with IHAVE taken per peer
  std::size_t max_iwant_ids_per_heartbeat = 5000;     ///< ids we ask one peer for per heartbeat
  std::uint64_t iwant_followup_ms = 3000;             ///< a promised message must arrive by then
  std::size_t max_pending_validations_per_topic = 1024;
  /// Signature checks leave the router as SignatureCheck events, answered by
  /// report_signature(), so that a driver can run them off its network thread. Off: they
  /// run inside handle_rpc.
  bool async_signature_checks = false;
  /// Messages waiting for their signature check at once; past it a new one is ignored (not
  /// marked seen: a later copy gets its chance) and counted.
  std::size_t max_pending_signature_checks = 4096;
  std::size_t max_queued_bytes_per_peer = 8 * 1024 * 1024;

  // --- identity and randomness ---
  std::set<TopicId> content_id_topics;  ///< topics whose message id is BLAKE2b-256(data)
  std::uint64_t rng_seed = 0;           ///< one seed, one run (drivers seed from the OS)
};

/// Checks that the settings agree with each other and with the gossipsub specs:
/// d_lo <= d <= d_hi, d_score <= d, d_out < d_lo and d_out <= d / 2 (unless the mesh is
/// off, d = 0), gossip_windows <= history_windows, gossip_factor in [0, 1], thresholds
/// graylist < publish <= gossip <= 0 and accept_px, opportunistic_graft >= 0, decay
/// factors in (0, 1], a heartbeat of at least 1 ms, and room in an RPC for one message of
/// max_message_bytes. Errors: gossip_config_invalid, the detail naming the rule.
Result<void> check_config(const GossipConfig& config);

}  // namespace weft::gossip
