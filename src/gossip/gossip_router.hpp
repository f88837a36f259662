#pragma once
// The gossipsub router (v1.0 mesh, v1.1 hardening, v1.2 IDONTWANT), sans-IO: it takes
// peers, RPCs, ticks and `now`, and returns RPCs to send and events; it never reads a
// clock or touches a socket (STYLE rule 1). docs/gossip.md has the algorithms and limits.
//
// Contract with its driver: after every handle_*/subscribe/publish call, take the RPCs
// into the peers' streams — all of poll_outbound(), or, better, poll_outbound_for(peer)
// whenever that peer's stream can take more (take_peers_with_outbound() says whom), so
// that what waits stays in the router's prioritized, byte-capped queue — and drain
// poll_event() into the application; call handle_tick() at next_deadline(). RPCs go to
// peers that are up, and only to them.

#include <weft/error.hpp>
#include <weft/keys.hpp>
#include <weft/peer_id.hpp>

#include "gossip/gossip_config.hpp"
#include "gossip/gossip_event.hpp"
#include "gossip/gossip_rng.hpp"
#include "gossip/gossip_stats.hpp"
#include "gossip/gossip_time.hpp"
#include "gossip/message_cache.hpp"
#include "gossip/outbound_queue.hpp"
#include "gossip/peer_score.hpp"
#include "gossip/seen_cache.hpp"

#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace weft::gossip {

/// Who opened the connection: outbound peers count toward the D_out quota.
enum class Direction { inbound, outbound };

/// A validator's verdict. `defer`: the application answers later with report_validation().
enum class Validation { accept, reject, ignore, defer };

/// Judges a message on `topic` (already signature-checked). Called once per message id.
using Validator = std::function<Validation(const TopicId& topic, const Message& message, const PeerId& source)>;

class GossipRouter {
 public:
  /// `config` should pass check_config() (gossip_config.hpp); the composition root checks it.
  GossipRouter(Keypair identity, GossipConfig config, TimePoint now);

  // ---- inputs ----

  /// A peer speaking the gossip protocol is connected. `ip`: its address as text, for IP
  /// colocation scoring (empty: unknown, not counted). A peer already up is left as is.
  void handle_peer_up(const PeerId& peer, Direction direction, const std::string& ip);
  /// The peer's connection is gone: it leaves every mesh, its queue is dropped.
  void handle_peer_down(const PeerId& peer);
  /// One RPC from `peer` (decoded by decode_rpc). RPCs from peers not up are ignored.
  void handle_rpc(const PeerId& peer, const Rpc& rpc, TimePoint now);
  /// The driver could not decode an RPC from `peer` (decode_rpc's or the frame reader's
  /// error): counted and penalized like a limit the peer broke.
  void handle_rpc_error(const PeerId& peer, const Error& error, TimePoint now);
  /// Runs the heartbeat if it is due.
  void handle_tick(TimePoint now);

  void subscribe(const TopicId& topic);
  void unsubscribe(const TopicId& topic);
  /// Sets (or, with an empty function, clears) the validator of `topic`. Without one,
  /// every signed message is accepted.
  void set_validator(const TopicId& topic, Validator validator);
  /// The application's verdict on a deferred message. False if `id` is not waiting (already
  /// judged, dropped, or never deferred).
  bool report_validation(const MessageId& id, Validation result, TimePoint now);

  /// The answer to a SignatureCheck event (async_signature_checks), verify_message's result:
  /// success continues the message as if it had been checked inside handle_rpc, with the
  /// copies that arrived meanwhile counted; an error penalizes its sender with that error.
  /// False if `id` is not waiting.
  bool report_signature(const MessageId& id, const Result<void>& verdict, TimePoint now);

  /// Signs and sends a message. Errors: gossip_message_too_large, gossip_topic_too_long,
  /// gossip_no_peers (nobody to send it to; nothing is kept).
  Result<MessageId> publish(const TopicId& topic, Bytes data, TimePoint now);

  // ---- outputs ----

  std::optional<Outbound> poll_outbound();
  /// The next RPC for one peer (control first): for a driver that pulls a peer's RPCs when
  /// its stream can take them, so priorities, the byte cap and IDONTWANT act on what waits.
  std::optional<Outbound> poll_outbound_for(const PeerId& peer);
  /// The peers that had RPCs queued since the last call (each once): whom to poll.
  std::vector<PeerId> take_peers_with_outbound() { return queue_.take_pushed(); }
  std::optional<GossipEvent> poll_event();
  /// When handle_tick() must next run: the heartbeat or the next staggered send.
  std::optional<TimePoint> next_deadline() const;

  // ---- inspection ----

  const PeerId& local_peer() const noexcept { return self_; }
  const GossipConfig& config() const noexcept { return config_; }
  /// The counters, with those the caches and the score keep themselves filled in.
  GossipStats stats() const;
  std::vector<PeerId> mesh_peers(const TopicId& topic) const;
  std::vector<PeerId> fanout_peers(const TopicId& topic) const;
  std::vector<PeerId> topic_peers(const TopicId& topic) const;
  bool subscribed(const TopicId& topic) const;
  /// The topic's message counters since it was subscribed; nullopt when we do not
  /// subscribe to it (only subscribed topics keep counters).
  std::optional<TopicCounters> topic_counters(const TopicId& topic) const;
  bool in_backoff(const TopicId& topic, const PeerId& peer) const;
  std::size_t queued_bytes(const PeerId& peer) const { return queue_.queued_bytes(peer); }
  std::size_t seen_size() const noexcept { return seen_.size(); }
  std::size_t cached_messages() const noexcept { return mcache_.size(); }
  std::size_t pending_validations() const noexcept { return pending_.size(); }
  std::size_t pending_signature_checks() const noexcept { return verifying_.size(); }
  std::size_t pending_promises() const noexcept;
  std::size_t idontwant_entries(const PeerId& peer) const;
  std::size_t known_topics() const noexcept { return topics_.size(); }
  std::uint64_t heartbeats() const noexcept { return heartbeats_; }
  /// The peer's current score (peer_score.hpp); 0 for peers never seen.
  double score(const PeerId& peer) const;
  const PeerScore& peer_score() const noexcept { return score_; }
  /// P5: the application's opinion of a peer (weighted by app_specific_weight).
  void set_app_score(const PeerId& peer, double value) { score_.set_app_score(peer, value); }

 private:
  struct PeerState {
    Direction direction = Direction::inbound;
    std::string ip;
    std::set<TopicId> topics;
    std::size_t ihave_rpcs = 0;       ///< RPCs with IHAVE this heartbeat
    std::size_t iwant_ids_asked = 0;  ///< ids we asked this peer for this heartbeat
    std::size_t idontwant_entries = 0;  ///< IDONTWANT entries taken this heartbeat
    std::unordered_set<MessageId> dont_send;
    std::deque<std::pair<TimePoint, MessageId>> dont_send_order;  ///< oldest first
    ControlMessage control;           ///< GRAFT / PRUNE / IWANT to flush
    std::vector<ControlIHave> gossip; ///< IHAVE to flush
  };
  struct TopicState {
    bool subscribed = false;
    std::set<PeerId> peers;   ///< up peers subscribed to the topic
    std::set<PeerId> mesh;
    std::set<PeerId> fanout;
    std::optional<TimePoint> fanout_published;  ///< set while the topic has a fanout
    std::map<PeerId, TimePoint> backoff;        ///< no GRAFT either way before this time
    Validator validator;
    std::size_t pending = 0;                    ///< deferred validations
    TopicCounters counters;                     ///< counted while subscribed; reset at subscribe
  };
  struct Pending {
    MessagePtr message;
    TopicId topic;
    PeerId source;
    std::set<PeerId> also_from;  ///< peers that sent copies while it waited
    bool idontwant_sent = false;  ///< sent on receipt, before the signature check
  };

  // receive (gossip_router_receive.cpp)
  void handle_subscriptions(const PeerId& peer, PeerState& ps, const std::vector<SubOpts>& subs);
  void handle_message(const PeerId& peer, const MessagePtr& message);
  /// What follows a good signature: seen, IDONTWANT, validation. `pending.also_from` holds
  /// the peers whose copies arrived while the signature was checked.
  void take_verified(const MessageId& id, Pending pending);
  /// IDONTWANT on receipt, before the signature check: for a large message that is not
  /// ours, from a source in good standing (score >= 0).
  bool wants_early_idontwant(const PeerId& source, const Message& message);
  /// A copy we announced with IDONTWANT failed its signature check: remember its id, so
  /// that the heartbeat asks a mesh peer for the genuine message (refetch_forged).
  void remember_forged(const MessageId& id, const Pending& pending);
  /// Heartbeat: IWANT, to one random mesh peer but the forger, for each remembered id
  /// whose genuine message has not arrived; each id is asked once, then forgotten.
  void refetch_forged();
  void finish_validation(const MessageId& id, Pending pending, Validation result);
  void accept_message(const MessageId& id, const Pending& pending);
  void send_idontwant(const TopicId& topic, const MessageId& id, const PeerId& source);
  // control (gossip_router_control.cpp)
  void handle_control(const PeerId& peer, PeerState& ps, const ControlMessage& control);
  void handle_ihave(const PeerId& peer, PeerState& ps, const std::vector<ControlIHave>& ihave);
  void handle_iwant(const PeerId& peer, const std::vector<ControlIWant>& iwant);
  void handle_graft(const PeerId& peer, PeerState& ps, const std::vector<ControlGraft>& graft);
  void handle_prune(const PeerId& peer, const std::vector<ControlPrune>& prune);
  void handle_idontwant(const PeerId& peer, PeerState& ps, const std::vector<ControlIDontWant>& idontwant);
  /// Counts a received IDONTWANT id under its message's topic, when we know the message
  /// (cached, in validation or in a signature check) and subscribe to its topic.
  void count_idontwant(const MessageId& id);
  // heartbeat (gossip_router_heartbeat.cpp)
  void heartbeat();
  void maintain_mesh(const TopicId& topic, TopicState& t);
  void maintain_fanout(const TopicId& topic, TopicState& t);
  void emit_gossip(const TopicId& topic, const TopicState& t, const std::set<PeerId>& exclude);
  void check_promises();
  void expire_idontwant(PeerState& ps);
  // shared (gossip_router.cpp)
  void advance(TimePoint now);
  void graft(const TopicId& topic, TopicState& t, const PeerId& peer);
  void prune(const TopicId& topic, TopicState& t, const PeerId& peer, Duration backoff, bool px);
  void queue_prune(const PeerId& peer, const TopicId& topic, Duration backoff, bool px);
  void send(const PeerId& peer, Rpc rpc, Priority priority, std::optional<MessageId> message_id = {});
  void forward(const MessageId& id, const MessagePtr& message, const std::set<PeerId>& to, Priority priority);
  void send_copy(const PeerId& peer, const MessageId& id, const MessagePtr& message, Priority priority);
  // staggered sends (gossip_router_stagger.cpp)
  bool staggers(const Message& message, std::size_t peers) const;
  void stagger(const MessageId& id, const MessagePtr& message, std::vector<PeerId> peers, Priority priority);
  void release_staggered();
  void cancel_staggered(const MessageId& id, const PeerId& peer);
  void penalize(const PeerId& peer, Error reason);
  void behaviour_penalty(const PeerId& peer, Error reason);
  void flush();
  void remove_from_topic(const TopicId& topic, const PeerId& peer);
  void forget_topic_if_idle(const TopicId& topic);
  MessageIdMode id_mode(const TopicId& topic) const;
  std::vector<PeerId> select_peers(const TopicState& t, std::size_t n, double min_score,
                                   const std::set<PeerId>& exclude);
  bool is_backed_off(const TopicState& t, const PeerId& peer) const;
  bool is_outbound(const PeerId& peer) const;
  /// The counters of `topic` if we subscribe to it, else null (nothing is counted).
  TopicCounters* counters_of(const TopicId& topic);
  static Duration from_ms(std::uint64_t ms_value) { return std::chrono::milliseconds(ms_value); }

  Keypair identity_;
  PeerId self_;
  GossipConfig config_;
  GossipRng rng_;
  TimePoint now_;
  std::optional<TimePoint> next_heartbeat_;
  TimePoint next_decay_;
  std::uint64_t heartbeats_ = 0;
  std::uint64_t seqno_;
  GossipStats stats_;
  PeerScore score_;

  std::map<PeerId, PeerState> peers_;
  std::map<TopicId, TopicState> topics_;
  SeenCache seen_;
  MessageCache mcache_;
  std::unordered_map<MessageId, Pending> pending_;
  std::unordered_map<MessageId, Pending> verifying_;  ///< async_signature_checks: waiting for report_signature
  /// IWANT follow-ups: message id -> peer that advertised it -> deadline.
  std::map<MessageId, std::map<PeerId, TimePoint>> promises_;
  OutboundQueue queue_;
  std::deque<GossipEvent> events_;
  std::set<PeerId> dirty_;  ///< peers with control or gossip waiting for flush()
  struct StaggeredSend {
    MessageId id;
    MessagePtr message;
    PeerId peer;
    Priority priority;
  };
  std::multimap<TimePoint, StaggeredSend> staggered_;  ///< by due time
  struct ForgedCopy {
    TopicId topic;
    PeerId forger;
  };
  std::unordered_map<MessageId, ForgedCopy> forged_;  ///< ids to refetch, max_forged_refetches
};

}  // namespace weft::gossip
