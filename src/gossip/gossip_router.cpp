#include "gossip/gossip_router.hpp"

#include <algorithm>

namespace weft::gossip {

GossipRouter::GossipRouter(Keypair identity, GossipConfig config, TimePoint now)
    : identity_(std::move(identity)),
      self_(PeerId::from_public_key(identity_.public_key())),
      config_(std::move(config)),
      rng_(config_.rng_seed),
      now_(now),
      next_heartbeat_(now + from_ms(config_.heartbeat_initial_delay_ms)),
      next_decay_(now + from_ms(config_.score.decay_interval_ms)),
      seqno_(rng_.next() >> 1),
      score_(config_.score),
      seen_(from_ms(config_.seen_ttl_ms), config_.max_seen_entries),
      mcache_(config_.history_windows, config_.gossip_windows, config_.max_cached_messages),
      queue_(config_.max_queued_bytes_per_peer) {}

// ---- peers ----------------------------------------------------------------------------------

void GossipRouter::handle_peer_up(const PeerId& peer, Direction direction, const std::string& ip) {
  if (peer == self_ || peers_.count(peer) != 0) return;
  PeerState& ps = peers_[peer];
  ps.direction = direction;
  ps.ip = ip;
  score_.add_peer(peer, ip, now_);
  Rpc hello;
  for (const auto& [topic, t] : topics_) {
    if (t.subscribed) hello.subscriptions.push_back({true, topic});
  }
  if (!hello.empty()) send(peer, std::move(hello), Priority::control);
}

void GossipRouter::handle_peer_down(const PeerId& peer) {
  auto it = peers_.find(peer);
  if (it == peers_.end()) return;
  score_.remove_peer(peer, now_);  // before leaving the meshes: P3b applies to them
  const std::set<TopicId> topics = it->second.topics;
  for (const TopicId& topic : topics) remove_from_topic(topic, peer);
  for (auto& [topic, t] : topics_) t.fanout.erase(peer);  // fanout peers left on unsubscribe already
  peers_.erase(it);
  dirty_.erase(peer);
  queue_.remove_peer(peer);
}

// ---- subscriptions ----------------------------------------------------------------------------

void GossipRouter::subscribe(const TopicId& topic) {
  TopicState& t = topics_[topic];
  if (t.subscribed) return;
  t.subscribed = true;
  t.counters = TopicCounters{};
  for (const auto& [peer, ps] : peers_) send(peer, Rpc{{{true, topic}}, {}, {}}, Priority::control);
  // Join: the fanout peers first, then others, up to d (gossipsub v1.0 "JOIN").
  for (const PeerId& peer : t.fanout) {
    if (t.mesh.size() >= config_.d) break;
    if (score(peer) >= 0 && !is_backed_off(t, peer)) graft(topic, t, peer);
  }
  t.fanout.clear();
  t.fanout_published.reset();
  if (t.mesh.size() < config_.d) {
    for (const PeerId& peer : select_peers(t, config_.d - t.mesh.size(), 0.0, t.mesh)) graft(topic, t, peer);
  }
  flush();
}

void GossipRouter::unsubscribe(const TopicId& topic) {
  auto it = topics_.find(topic);
  if (it == topics_.end() || !it->second.subscribed) return;
  TopicState& t = it->second;
  t.subscribed = false;
  for (const auto& [peer, ps] : peers_) send(peer, Rpc{{{false, topic}}, {}, {}}, Priority::control);
  const std::set<PeerId> mesh = t.mesh;
  for (const PeerId& peer : mesh) prune(topic, t, peer, from_ms(config_.unsubscribe_backoff_ms), false);
  flush();
  forget_topic_if_idle(topic);
}

void GossipRouter::set_validator(const TopicId& topic, Validator validator) {
  if (!validator && topics_.count(topic) == 0) return;
  topics_[topic].validator = std::move(validator);
  forget_topic_if_idle(topic);
}

// ---- publish --------------------------------------------------------------------------------

Result<MessageId> GossipRouter::publish(const TopicId& topic, Bytes data, TimePoint now) {
  advance(now);
  if (data.size() > config_.rpc.max_message_bytes) {
    ++stats_.publish_refused;
    return Error(Errc::gossip_message_too_large, std::to_string(data.size()) + " bytes, limit " +
                                                     std::to_string(config_.rpc.max_message_bytes));
  }
  if (topic.size() > config_.rpc.max_topic_bytes) {
    ++stats_.publish_refused;
    return Error(Errc::gossip_topic_too_long, std::to_string(topic.size()) + " bytes");
  }
  TopicState& t = topics_[topic];
  const double threshold = config_.thresholds.publish;
  std::set<PeerId> to;
  if (config_.flood_publish) {
    for (const PeerId& peer : t.peers) {
      if (score(peer) >= threshold) to.insert(peer);
    }
  } else if (t.subscribed && !t.mesh.empty()) {
    to = t.mesh;
  } else {
    if (t.fanout.size() < config_.d) {
      for (const PeerId& peer : select_peers(t, config_.d - t.fanout.size(), threshold, t.fanout)) {
        t.fanout.insert(peer);
      }
    }
    to = t.fanout;
    if (!to.empty() && !t.subscribed) t.fanout_published = now;
  }
  if (to.empty()) {
    ++stats_.publish_no_peers;
    forget_topic_if_idle(topic);
    return Error(Errc::gossip_no_peers, "topic has no peers to publish to");
  }
  auto message = std::make_shared<const Message>(make_signed_message(identity_, topic, std::move(data), ++seqno_));
  const MessageId id = message_id(*message, id_mode(topic));
  seen_.insert(id, now);
  mcache_.put(id, message);
  ++stats_.published;
  forward(id, message, to, Priority::publish);
  return id;
}

// ---- outputs --------------------------------------------------------------------------------

std::optional<Outbound> GossipRouter::poll_outbound() { return queue_.pop(); }

std::optional<Outbound> GossipRouter::poll_outbound_for(const PeerId& peer) { return queue_.pop_for(peer); }

std::optional<GossipEvent> GossipRouter::poll_event() {
  if (events_.empty()) return std::nullopt;
  GossipEvent e = std::move(events_.front());
  events_.pop_front();
  return e;
}

// ---- inspection -----------------------------------------------------------------------------

namespace {
std::vector<PeerId> to_vector(const std::set<PeerId>& s) { return {s.begin(), s.end()}; }
}  // namespace

std::vector<PeerId> GossipRouter::mesh_peers(const TopicId& topic) const {
  auto it = topics_.find(topic);
  return it == topics_.end() ? std::vector<PeerId>{} : to_vector(it->second.mesh);
}
std::vector<PeerId> GossipRouter::fanout_peers(const TopicId& topic) const {
  auto it = topics_.find(topic);
  return it == topics_.end() ? std::vector<PeerId>{} : to_vector(it->second.fanout);
}
std::vector<PeerId> GossipRouter::topic_peers(const TopicId& topic) const {
  auto it = topics_.find(topic);
  return it == topics_.end() ? std::vector<PeerId>{} : to_vector(it->second.peers);
}
GossipStats GossipRouter::stats() const {
  GossipStats s = stats_;
  s.seen_evicted = seen_.evictions();
  s.cache_refused = mcache_.refused();
  s.retained_scores_evicted = score_.retained_evicted();
  s.delivery_records_evicted = score_.records_evicted();
  return s;
}

std::optional<TopicCounters> GossipRouter::topic_counters(const TopicId& topic) const {
  auto it = topics_.find(topic);
  if (it == topics_.end() || !it->second.subscribed) return std::nullopt;
  return it->second.counters;
}

TopicCounters* GossipRouter::counters_of(const TopicId& topic) {
  auto it = topics_.find(topic);
  return it == topics_.end() || !it->second.subscribed ? nullptr : &it->second.counters;
}

bool GossipRouter::subscribed(const TopicId& topic) const {
  auto it = topics_.find(topic);
  return it != topics_.end() && it->second.subscribed;
}
bool GossipRouter::in_backoff(const TopicId& topic, const PeerId& peer) const {
  auto it = topics_.find(topic);
  return it != topics_.end() && is_backed_off(it->second, peer);
}
std::size_t GossipRouter::pending_promises() const noexcept {
  std::size_t n = 0;
  for (const auto& [id, by_peer] : promises_) n += by_peer.size();
  return n;
}
std::size_t GossipRouter::idontwant_entries(const PeerId& peer) const {
  auto it = peers_.find(peer);
  return it == peers_.end() ? 0 : it->second.dont_send.size();
}
double GossipRouter::score(const PeerId& peer) const { return score_.score(peer, now_); }

// ---- shared helpers -------------------------------------------------------------------------

void GossipRouter::advance(TimePoint now) {
  if (now > now_) now_ = now;
}

bool GossipRouter::is_backed_off(const TopicState& t, const PeerId& peer) const {
  auto it = t.backoff.find(peer);
  return it != t.backoff.end() && now_ < it->second;
}

bool GossipRouter::is_outbound(const PeerId& peer) const {
  auto it = peers_.find(peer);
  return it != peers_.end() && it->second.direction == Direction::outbound;
}

MessageIdMode GossipRouter::id_mode(const TopicId& topic) const {
  return config_.content_id_topics.count(topic) != 0 ? MessageIdMode::content : MessageIdMode::author_seqno;
}

std::vector<PeerId> GossipRouter::select_peers(const TopicState& t, std::size_t n, double min_score,
                                               const std::set<PeerId>& exclude) {
  std::vector<PeerId> candidates;
  for (const PeerId& peer : t.peers) {
    if (exclude.count(peer) == 0 && !is_backed_off(t, peer) && score(peer) >= min_score) {
      candidates.push_back(peer);
    }
  }
  rng_.shuffle(candidates);
  truncate(candidates, n);
  return candidates;
}

void GossipRouter::graft(const TopicId& topic, TopicState& t, const PeerId& peer) {
  auto ps = peers_.find(peer);
  if (ps == peers_.end() || !t.mesh.insert(peer).second) return;  // only peers that are up
  score_.graft(peer, topic, now_);
  ps->second.control.graft.push_back({topic});
  dirty_.insert(peer);
  ++stats_.grafts_sent;
}

void GossipRouter::prune(const TopicId& topic, TopicState& t, const PeerId& peer, Duration backoff, bool px) {
  if (t.mesh.erase(peer) != 0) score_.prune(peer, topic, now_);
  t.backoff[peer] = std::max(t.backoff[peer], now_ + backoff);
  queue_prune(peer, topic, backoff, px);
}

void GossipRouter::queue_prune(const PeerId& peer, const TopicId& topic, Duration backoff, bool px) {
  auto ps = peers_.find(peer);
  if (ps == peers_.end()) return;  // RPCs go only to peers that are up
  ControlPrune p{topic, {}, static_cast<std::uint64_t>(std::chrono::ceil<std::chrono::seconds>(backoff).count())};
  if (px) {
    // Peer exchange: other well-behaved peers of the topic, never the pruned one.
    auto it = topics_.find(topic);
    if (it != topics_.end()) {
      for (const PeerId& other : select_peers(it->second, config_.prune_peers, 0.0, {peer})) {
        p.peers.push_back({other.bytes(), {}});
      }
    }
  }
  ps->second.control.prune.push_back(std::move(p));
  dirty_.insert(peer);
  ++stats_.prunes_sent;
}

void GossipRouter::send(const PeerId& peer, Rpc rpc, Priority priority, std::optional<MessageId> message_id) {
  const OutboundQueue::Dropped dropped = queue_.push(peer, std::move(rpc), priority, std::move(message_id));
  if (dropped.items == 0) return;
  stats_.queue_dropped_items += dropped.items;
  stats_.queue_dropped_bytes += dropped.bytes;
  for (const MessagePtr& message : dropped.messages) {
    if (!message->topic) continue;
    if (TopicCounters* c = counters_of(*message->topic)) ++c->dropped;
  }
  events_.push_back(event::SlowPeer{peer, dropped.items, dropped.bytes});
}

void GossipRouter::forward(const MessageId& id, const MessagePtr& message, const std::set<PeerId>& to,
                           Priority priority) {
  std::vector<PeerId> targets;
  for (const PeerId& peer : to) {
    auto it = peers_.find(peer);
    if (it == peers_.end()) continue;
    if (it->second.dont_send.count(id) != 0) {
      ++stats_.idontwant_suppressed;
      continue;
    }
    targets.push_back(peer);
  }
  if (priority == Priority::forward && staggers(*message, targets.size())) {
    return stagger(id, message, std::move(targets), priority);
  }
  for (const PeerId& peer : targets) send_copy(peer, id, message, priority);
}

void GossipRouter::send_copy(const PeerId& peer, const MessageId& id, const MessagePtr& message, Priority priority) {
  Rpc rpc;
  rpc.publish.push_back(message);
  send(peer, std::move(rpc), priority, id);
  if (priority == Priority::forward) ++stats_.messages_forwarded;
}

void GossipRouter::penalize(const PeerId& peer, Error reason) {
  ++stats_.peers_penalized;
  events_.push_back(event::PeerPenalized{peer, std::move(reason)});
}

void GossipRouter::behaviour_penalty(const PeerId& peer, Error reason) {
  score_.add_penalty(peer, 1.0);
  penalize(peer, std::move(reason));
}

void GossipRouter::flush() {
  for (const PeerId& peer : dirty_) {
    auto it = peers_.find(peer);
    if (it == peers_.end()) continue;
    PeerState& ps = it->second;
    if (!ps.control.empty()) {
      Rpc rpc;
      rpc.control = std::move(ps.control);
      ps.control = ControlMessage{};
      send(peer, std::move(rpc), Priority::control);
    }
    if (!ps.gossip.empty()) {
      Rpc rpc;
      rpc.control.ihave = std::move(ps.gossip);
      ps.gossip.clear();
      send(peer, std::move(rpc), Priority::gossip);
    }
  }
  dirty_.clear();
}

void GossipRouter::remove_from_topic(const TopicId& topic, const PeerId& peer) {
  auto it = topics_.find(topic);
  if (it == topics_.end()) return;
  TopicState& t = it->second;
  t.peers.erase(peer);
  if (t.mesh.erase(peer) != 0) score_.prune(peer, topic, now_);
  t.fanout.erase(peer);
  auto ps = peers_.find(peer);
  if (ps != peers_.end()) ps->second.topics.erase(topic);
  forget_topic_if_idle(topic);
}

void GossipRouter::forget_topic_if_idle(const TopicId& topic) {
  auto it = topics_.find(topic);
  if (it == topics_.end()) return;
  const TopicState& t = it->second;
  if (t.subscribed || !t.peers.empty() || !t.fanout.empty() || t.validator || t.pending > 0) return;
  for (const auto& [peer, until] : t.backoff) {
    if (now_ < until) return;  // a running backoff must survive (it is honoured both ways)
  }
  topics_.erase(it);
}

}  // namespace weft::gossip
