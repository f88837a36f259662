// GossipRouter: RPCs in — limits, subscriptions, messages and their validation.

#include "gossip/gossip_router.hpp"

namespace weft::gossip {

void GossipRouter::handle_rpc(const PeerId& peer, const Rpc& rpc, TimePoint now) {
  advance(now);
  ++stats_.rpcs_received;
  auto it = peers_.find(peer);
  if (it == peers_.end()) {
    ++stats_.rpcs_from_unknown_peers;
    return;
  }
  if (score(peer) < config_.thresholds.graylist) {
    ++stats_.rpcs_graylisted;
    return;
  }
  if (auto ok = check_rpc_limits(rpc, config_.rpc); !ok) {
    handle_rpc_error(peer, ok.error(), now);
    return;
  }
  handle_subscriptions(peer, it->second, rpc.subscriptions);
  for (const MessagePtr& message : rpc.publish) handle_message(peer, message);
  // handle_message() never removes peers, so `it` is still valid.
  handle_control(peer, it->second, rpc.control);
  flush();
}

void GossipRouter::handle_rpc_error(const PeerId& peer, const Error& error, TimePoint now) {
  advance(now);
  ++stats_.rpcs_over_limits;
  if (peers_.count(peer) != 0) behaviour_penalty(peer, error);
}

void GossipRouter::handle_subscriptions(const PeerId& peer, PeerState& ps, const std::vector<SubOpts>& subs) {
  bool over_cap = false;
  for (const SubOpts& sub : subs) {
    if (!sub.subscribe) {
      if (ps.topics.count(sub.topic) != 0) remove_from_topic(sub.topic, peer);
      continue;
    }
    if (ps.topics.count(sub.topic) != 0) continue;
    if (ps.topics.size() >= config_.max_topics_per_peer) {
      ++stats_.subscriptions_over_topic_cap;
      over_cap = true;
      continue;
    }
    ps.topics.insert(sub.topic);
    topics_[sub.topic].peers.insert(peer);
  }
  if (over_cap) {
    behaviour_penalty(peer, Error(Errc::gossip_too_many_topics,
                         "limit " + std::to_string(config_.max_topics_per_peer) + " topics per peer"));
  }
}

void GossipRouter::handle_message(const PeerId& peer, const MessagePtr& message) {
  ++stats_.messages_received;
  if (!message->topic) {
    ++stats_.messages_invalid;
    behaviour_penalty(peer, Error(Errc::gossip_message_invalid, "no topic"));
    return;
  }
  const TopicId& topic = *message->topic;
  auto t = topics_.find(topic);
  if (t == topics_.end() || !t->second.subscribed) {
    ++stats_.messages_unsubscribed;
    return;
  }
  TopicCounters& counters = t->second.counters;
  const MessageId id = message_id(*message, id_mode(topic));
  // A copy of a message already taken in: dropped before any signature work.
  if (auto p = pending_.find(id); p != pending_.end()) {
    ++stats_.messages_duplicate;
    ++counters.duplicates;
    if (peer != p->second.source) p->second.also_from.insert(peer);
    score_.duplicate_message(peer, id, topic, now_);
    return;
  }
  if (auto v = verifying_.find(id); v != verifying_.end()) {  // its signature is being checked
    ++stats_.messages_duplicate;
    ++counters.duplicates;
    if (peer != v->second.source) v->second.also_from.insert(peer);
    score_.duplicate_message(peer, id, topic, now_);
    return;
  }
  if (seen_.contains(id, now_)) {
    ++stats_.messages_duplicate;
    ++counters.duplicates;
    score_.duplicate_message(peer, id, topic, now_);
    if (!staggered_.empty()) cancel_staggered(id, peer);  // it has the message
    return;
  }
  const bool early_idontwant = wants_early_idontwant(peer, *message);
  if (config_.async_signature_checks) {
    if (verifying_.size() >= config_.max_pending_signature_checks) {
      ++stats_.signature_queue_full;
      ++counters.ignored;
      return;
    }
    ++stats_.signature_checks_requested;
    if (early_idontwant) send_idontwant(topic, id, peer);
    verifying_.emplace(id, Pending{message, topic, peer, {}, early_idontwant});
    events_.push_back(event::SignatureCheck{id, message});
    return;
  }
  if (early_idontwant) send_idontwant(topic, id, peer);
  if (auto valid = verify_message(*message); !valid) {
    ++stats_.messages_invalid;
    ++counters.rejected;
    score_.invalid_message(peer, topic);
    penalize(peer, valid.error());
    if (early_idontwant) remember_forged(id, Pending{message, topic, peer, {}, true});
    return;
  }
  take_verified(id, Pending{message, topic, peer, {}, early_idontwant});
}

bool GossipRouter::report_signature(const MessageId& id, const Result<void>& verdict, TimePoint now) {
  advance(now);
  auto it = verifying_.find(id);
  if (it == verifying_.end()) return false;
  Pending pending = std::move(it->second);
  verifying_.erase(it);
  if (!verdict) {
    ++stats_.messages_invalid;
    if (TopicCounters* c = counters_of(pending.topic)) ++c->rejected;
    score_.invalid_message(pending.source, pending.topic);
    penalize(pending.source, verdict.error());
    if (pending.idontwant_sent) remember_forged(id, pending);
  } else if (topics_.count(pending.topic) == 0 || !topics_.at(pending.topic).subscribed) {
    ++stats_.messages_unsubscribed;  // we left the topic while it was checked
  } else {
    take_verified(id, std::move(pending));
  }
  flush();
  return true;
}

void GossipRouter::take_verified(const MessageId& id, Pending pending) {
  const MessagePtr& message = pending.message;
  const TopicId topic = pending.topic;
  const PeerId peer = pending.source;
  seen_.insert(id, now_);
  score_.validate_message(id, now_);
  promises_.erase(id);
  if (message->from && *message->from == self_.bytes()) {
    ++stats_.messages_own;
    return;
  }
  if (!pending.idontwant_sent && message->data_bytes() >= config_.idontwant_min_message_bytes) {
    send_idontwant(topic, id, peer);
  }

  TopicState& ts = topics_.at(topic);
  const Validation verdict = ts.validator ? ts.validator(topic, *message, peer) : Validation::accept;
  if (verdict != Validation::defer) {
    finish_validation(id, std::move(pending), verdict);
    return;
  }
  if (ts.pending >= config_.max_pending_validations_per_topic) {
    ++stats_.validation_queue_full;
    if (ts.subscribed) ++ts.counters.ignored;
    seen_.erase(id);  // never judged: a later copy gets its chance
    return;
  }
  ++ts.pending;
  events_.push_back(event::ValidationRequest{topic, id, message, peer});
  pending_.emplace(id, std::move(pending));
}

bool GossipRouter::report_validation(const MessageId& id, Validation result, TimePoint now) {
  advance(now);
  auto it = pending_.find(id);
  if (it == pending_.end() || result == Validation::defer) return false;
  Pending pending = std::move(it->second);
  pending_.erase(it);
  auto t = topics_.find(pending.topic);
  if (t != topics_.end() && t->second.pending > 0) --t->second.pending;
  const TopicId topic = pending.topic;
  finish_validation(id, std::move(pending), result);
  forget_topic_if_idle(topic);
  flush();
  return true;
}

void GossipRouter::finish_validation(const MessageId& id, Pending pending, Validation result) {
  switch (result) {
    case Validation::accept:
      accept_message(id, pending);
      return;
    case Validation::reject:
      ++stats_.messages_rejected;
      if (TopicCounters* c = counters_of(pending.topic)) ++c->rejected;
      score_.reject_message(pending.source, id, pending.topic, now_);
      penalize(pending.source, Error(Errc::gossip_message_rejected, "topic " + pending.topic));
      for (const PeerId& peer : pending.also_from) {
        penalize(peer, Error(Errc::gossip_message_rejected, "topic " + pending.topic));
      }
      return;
    case Validation::ignore:
    case Validation::defer:
      ++stats_.messages_ignored;
      if (TopicCounters* c = counters_of(pending.topic)) ++c->ignored;
      score_.ignore_message(id, now_);
      return;
  }
}

void GossipRouter::accept_message(const MessageId& id, const Pending& pending) {
  ++stats_.messages_accepted;
  score_.deliver_message(pending.source, id, pending.topic, now_);
  mcache_.put(id, pending.message);
  auto t = topics_.find(pending.topic);
  if (t == topics_.end()) return;
  if (t->second.subscribed) {
    ++t->second.counters.delivered;
    events_.push_back(event::Delivery{pending.topic, id, pending.message, pending.source});
  }
  std::set<PeerId> to;
  for (const PeerId& peer : t->second.mesh) {
    if (peer == pending.source || pending.also_from.count(peer) != 0) continue;
    if (pending.message->from && *pending.message->from == peer.bytes()) continue;  // back to its author
    to.insert(peer);
  }
  forward(id, pending.message, to, Priority::forward);
}

bool GossipRouter::wants_early_idontwant(const PeerId& source, const Message& message) {
  if (!config_.early_idontwant) return false;
  if (message.data_bytes() < config_.idontwant_min_message_bytes) return false;
  if (message.from && *message.from == self_.bytes()) return false;  // our own, back again
  if (score(source) < 0) return false;
  ++stats_.idontwant_before_check;
  return true;
}

void GossipRouter::remember_forged(const MessageId& id, const Pending& pending) {
  if (forged_.count(id) != 0) return;
  if (forged_.size() >= config_.max_forged_refetches) {
    ++stats_.forged_refetch_over_cap;
    return;
  }
  forged_.emplace(id, ForgedCopy{pending.topic, pending.source});
}

void GossipRouter::refetch_forged() {
  for (const auto& [id, copy] : forged_) {
    if (seen_.contains(id, now_) || pending_.count(id) != 0 || verifying_.count(id) != 0) continue;
    auto t = topics_.find(copy.topic);
    if (t == topics_.end() || !t->second.subscribed) continue;
    std::vector<PeerId> candidates;
    for (const PeerId& peer : t->second.mesh) {
      if (peer != copy.forger && score(peer) >= config_.thresholds.gossip) candidates.push_back(peer);
    }
    if (candidates.empty()) continue;
    const PeerId& peer = candidates[rng_.below(candidates.size())];
    PeerState& ps = peers_.at(peer);
    ps.control.iwant.push_back({{id}});
    dirty_.insert(peer);
    ++stats_.forged_refetch_sent;
  }
  forged_.clear();
}

void GossipRouter::send_idontwant(const TopicId& topic, const MessageId& id, const PeerId& source) {
  auto t = topics_.find(topic);
  if (t == topics_.end()) return;
  for (const PeerId& peer : t->second.mesh) {
    if (peer == source) continue;
    Rpc rpc;
    rpc.control.idontwant.push_back({{id}});
    send(peer, std::move(rpc), Priority::control);
    ++stats_.idontwant_sent;
    if (t->second.subscribed) ++t->second.counters.idontwant_sent;
  }
}

}  // namespace weft::gossip
