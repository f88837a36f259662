#pragma once
// The router's counters: every limit and every drop has one.

#include <cstdint>

namespace weft::gossip {

/// One subscribed topic's message counters, since it was subscribed. Only topics we
/// subscribe to keep them, so their number is bounded by our own subscriptions.
struct TopicCounters {
  std::uint64_t delivered = 0;           ///< accepted and handed to the application
  std::uint64_t duplicates = 0;          ///< copies dropped as already seen (or in validation)
  std::uint64_t rejected = 0;            ///< invalid signature, or the validator's reject
  std::uint64_t ignored = 0;             ///< the validator's ignore, or a full validation/signature queue
  std::uint64_t dropped = 0;             ///< copies dropped from a full peer send queue
  std::uint64_t idontwant_sent = 0;      ///< message ids announced (one per mesh peer told)
  std::uint64_t idontwant_received = 0;  ///< ids received of messages we know (cached or in validation)
};

struct GossipStats {
  // RPCs
  std::uint64_t rpcs_received = 0;
  std::uint64_t rpcs_from_unknown_peers = 0;   ///< RPCs from a peer not up
  std::uint64_t rpcs_graylisted = 0;           ///< RPCs ignored: peer below graylist threshold
  std::uint64_t rpcs_over_limits = 0;          ///< RPCs refused by check_rpc_limits / the decoder
  // subscriptions
  std::uint64_t subscriptions_over_topic_cap = 0;  ///< SUBSCRIBEs past max_topics_per_peer
  // messages
  std::uint64_t messages_received = 0;
  std::uint64_t messages_unsubscribed = 0;     ///< on a topic we do not subscribe to
  std::uint64_t messages_duplicate = 0;        ///< dropped before any signature work
  std::uint64_t messages_invalid = 0;          ///< failed StrictSign checks
  std::uint64_t messages_own = 0;              ///< our own messages coming back
  std::uint64_t messages_accepted = 0;
  std::uint64_t messages_rejected = 0;
  std::uint64_t messages_ignored = 0;
  std::uint64_t validation_queue_full = 0;     ///< deferred validations past the per-topic cap
  std::uint64_t signature_checks_requested = 0;  ///< async_signature_checks: SignatureCheck events
  std::uint64_t signature_queue_full = 0;      ///< messages ignored at max_pending_signature_checks
  std::uint64_t messages_forwarded = 0;        ///< copies queued to peers
  std::uint64_t staggered_sends = 0;           ///< copies held back to be sent one by one
  std::uint64_t stagger_suppressed = 0;        ///< ... then not sent: IDONTWANT or a copy came first
  std::uint64_t published = 0;
  std::uint64_t publish_no_peers = 0;
  std::uint64_t publish_refused = 0;           ///< too large or topic too long
  // control
  std::uint64_t ihave_received = 0;
  std::uint64_t ihave_ignored = 0;             ///< over the per-heartbeat caps, low score or unknown topic
  std::uint64_t iwant_sent_ids = 0;
  std::uint64_t iwant_served = 0;
  std::uint64_t iwant_missing = 0;             ///< asked for a message not (or no longer) cached
  std::uint64_t iwant_over_retransmission = 0;
  std::uint64_t promises_broken = 0;
  std::uint64_t graft_received = 0;
  std::uint64_t graft_unknown_topic = 0;
  std::uint64_t graft_refused = 0;             ///< answered with PRUNE
  std::uint64_t graft_during_backoff = 0;
  std::uint64_t prune_received = 0;
  std::uint64_t px_received = 0;               ///< PRUNEs whose PX we passed on
  std::uint64_t px_ignored = 0;                ///< PX from a peer below accept_px_threshold
  std::uint64_t grafts_sent = 0;
  std::uint64_t prunes_sent = 0;
  std::uint64_t ihave_sent = 0;
  // v1.2
  std::uint64_t idontwant_sent = 0;
  std::uint64_t idontwant_received_ids = 0;
  std::uint64_t idontwant_over_cap = 0;        ///< ids or entries past the per-peer caps
  std::uint64_t idontwant_suppressed = 0;      ///< copies not queued because the peer said IDONTWANT
  std::uint64_t idontwant_dropped_queued = 0;  ///< copies removed from a queue by IDONTWANT
  std::uint64_t idontwant_before_check = 0;    ///< messages announced before their signature check
  std::uint64_t forged_refetch_sent = 0;       ///< IWANTs for ids a forged copy made us announce
  std::uint64_t forged_refetch_over_cap = 0;   ///< such ids not remembered (max_forged_refetches)
  // queues
  std::uint64_t queue_dropped_items = 0;
  std::uint64_t queue_dropped_bytes = 0;
  std::uint64_t prune_backoff_capped = 0;      ///< PRUNE backoffs cut to max_prune_backoff_ms
  // caches (filled in by GossipRouter::stats())
  std::uint64_t seen_evicted = 0;              ///< seen ids dropped at max_seen_entries
  std::uint64_t cache_refused = 0;             ///< messages not cached at max_cached_messages
  // scores
  std::uint64_t peers_penalized = 0;
  std::uint64_t retained_scores_evicted = 0;   ///< at PeerScoreParams::max_retained_peers
  std::uint64_t delivery_records_evicted = 0;  ///< at PeerScoreParams::max_delivery_records
};

}  // namespace weft::gossip
