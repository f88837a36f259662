// GossipRouter: control messages in — IHAVE, IWANT, GRAFT, PRUNE, IDONTWANT.

#include "gossip/gossip_router.hpp"

#include <algorithm>

namespace weft::gossip {

void GossipRouter::handle_control(const PeerId& peer, PeerState& ps, const ControlMessage& control) {
  if (!control.idontwant.empty()) handle_idontwant(peer, ps, control.idontwant);
  if (!control.ihave.empty()) handle_ihave(peer, ps, control.ihave);
  if (!control.iwant.empty()) handle_iwant(peer, control.iwant);
  if (!control.graft.empty()) handle_graft(peer, ps, control.graft);
  if (!control.prune.empty()) handle_prune(peer, control.prune);
}

void GossipRouter::handle_ihave(const PeerId& peer, PeerState& ps, const std::vector<ControlIHave>& ihave) {
  stats_.ihave_received += ihave.size();
  if (score(peer) < config_.thresholds.gossip) {
    stats_.ihave_ignored += ihave.size();
    return;
  }
  if (++ps.ihave_rpcs > config_.max_ihave_messages_per_heartbeat) {
    stats_.ihave_ignored += ihave.size();
    if (ps.ihave_rpcs == config_.max_ihave_messages_per_heartbeat + 1) {
      behaviour_penalty(peer, Error(Errc::gossip_ihave_flood, "more than " +
                                                         std::to_string(config_.max_ihave_messages_per_heartbeat) +
                                                         " IHAVE RPCs in one heartbeat"));
    }
    return;
  }
  if (ps.iwant_ids_asked >= config_.max_iwant_ids_per_heartbeat) {
    stats_.ihave_ignored += ihave.size();
    return;
  }
  std::vector<MessageId> wanted;
  std::unordered_set<MessageId> listed;
  for (const ControlIHave& entry : ihave) {
    auto t = topics_.find(entry.topic);
    if (t == topics_.end() || !t->second.subscribed) {
      ++stats_.ihave_ignored;
      continue;
    }
    for (const MessageId& id : entry.ids) {
      if (seen_.contains(id, now_) || pending_.count(id) != 0 || verifying_.count(id) != 0 ||
          !listed.insert(id).second) {
        continue;
      }
      wanted.push_back(id);
    }
  }
  const std::size_t budget = config_.max_iwant_ids_per_heartbeat - ps.iwant_ids_asked;
  if (wanted.size() > budget) {
    rng_.shuffle(wanted);
    wanted.resize(budget);
  }
  if (wanted.empty()) return;
  ps.iwant_ids_asked += wanted.size();
  stats_.iwant_sent_ids += wanted.size();
  // Track one of the ids: if it does not arrive in time, the advertiser broke its promise.
  promises_[wanted[rng_.below(wanted.size())]].emplace(peer, now_ + from_ms(config_.iwant_followup_ms));
  ps.control.iwant.push_back({std::move(wanted)});
  dirty_.insert(peer);
}

void GossipRouter::handle_iwant(const PeerId& peer, const std::vector<ControlIWant>& iwant) {
  if (score(peer) < config_.thresholds.gossip) return;
  for (const ControlIWant& entry : iwant) {
    for (const MessageId& id : entry.ids) {
      auto found = mcache_.get_for_peer(id, peer);
      if (!found) {
        ++stats_.iwant_missing;
        continue;
      }
      if (found->second > config_.gossip_retransmission) {
        ++stats_.iwant_over_retransmission;
        continue;
      }
      ++stats_.iwant_served;
      // Sent even if the peer said IDONTWANT for it before: asking for it overrides that.
      send_copy(peer, id, found->first, Priority::forward);
    }
  }
}

void GossipRouter::handle_graft(const PeerId& peer, PeerState& ps, const std::vector<ControlGraft>& graft) {
  stats_.graft_received += graft.size();
  for (const ControlGraft& g : graft) {
    auto it = topics_.find(g.topic);
    if (it == topics_.end() || !it->second.subscribed) {
      ++stats_.graft_unknown_topic;  // ignored: no PRUNE to answer spam with (v1.1)
      continue;
    }
    TopicState& t = it->second;
    if (t.mesh.count(peer) != 0) continue;
    if (is_backed_off(t, peer)) {
      ++stats_.graft_during_backoff;
      ++stats_.graft_refused;
      behaviour_penalty(peer, Error(Errc::gossip_graft_backoff, "topic " + g.topic));
      prune(g.topic, t, peer, from_ms(config_.prune_backoff_ms), false);
      continue;
    }
    if (score(peer) < 0 || ps.topics.count(g.topic) == 0) {
      ++stats_.graft_refused;
      prune(g.topic, t, peer, from_ms(config_.prune_backoff_ms), false);
      continue;
    }
    // At D_hi only outbound peers get in, so inbound sybils cannot fill the mesh (v1.1).
    if (t.mesh.size() >= config_.d_hi && ps.direction == Direction::inbound) {
      ++stats_.graft_refused;
      prune(g.topic, t, peer, from_ms(config_.prune_backoff_ms), true);
      continue;
    }
    t.mesh.insert(peer);
    score_.graft(peer, g.topic, now_);
  }
}

void GossipRouter::handle_prune(const PeerId& peer, const std::vector<ControlPrune>& prune_list) {
  stats_.prune_received += prune_list.size();
  for (const ControlPrune& p : prune_list) {
    // Only a topic we join has a mesh to leave; remembering backoffs for others would let
    // a peer keep any number of topics alive.
    auto it = topics_.find(p.topic);
    if (it == topics_.end() || !it->second.subscribed) continue;
    TopicState& t = it->second;
    if (t.mesh.erase(peer) != 0) score_.prune(peer, p.topic, now_);
    Duration backoff = from_ms(config_.prune_backoff_ms);
    if (p.backoff_s) {
      const std::uint64_t cap_s = config_.max_prune_backoff_ms / 1000;
      if (*p.backoff_s > cap_s) ++stats_.prune_backoff_capped;
      backoff = std::chrono::seconds(std::min(*p.backoff_s, cap_s));
    }
    t.backoff[peer] = std::max(t.backoff[peer], now_ + backoff);
    if (p.peers.empty()) continue;
    if (score(peer) < config_.thresholds.accept_px) {
      ++stats_.px_ignored;
      continue;
    }
    ++stats_.px_received;
    std::vector<PeerInfo> offered(p.peers.begin(),
                                  p.peers.begin() + static_cast<std::ptrdiff_t>(
                                                        std::min(p.peers.size(), config_.prune_peers)));
    events_.push_back(event::PeerExchange{p.topic, peer, std::move(offered)});
  }
}

void GossipRouter::handle_idontwant(const PeerId& peer, PeerState& ps,
                                    const std::vector<ControlIDontWant>& idontwant) {
  for (const ControlIDontWant& entry : idontwant) {
    if (++ps.idontwant_entries > config_.max_idontwant_messages_per_heartbeat) {
      ++stats_.idontwant_over_cap;
      continue;
    }
    for (const MessageId& id : entry.ids) {
      ++stats_.idontwant_received_ids;
      count_idontwant(id);
      if (ps.dont_send.count(id) != 0) continue;
      if (ps.dont_send.size() >= config_.max_idontwant_ids_per_peer) {
        ++stats_.idontwant_over_cap;
        break;
      }
      ps.dont_send.insert(id);
      ps.dont_send_order.emplace_back(now_, id);
      stats_.idontwant_dropped_queued += queue_.drop_message(peer, id);
    }
  }
}

void GossipRouter::count_idontwant(const MessageId& id) {
  std::optional<TopicId> topic;
  if (MessagePtr message = mcache_.get(id)) {
    topic = message->topic;
  } else if (auto p = pending_.find(id); p != pending_.end()) {
    topic = p->second.topic;
  } else if (auto v = verifying_.find(id); v != verifying_.end()) {
    topic = v->second.topic;
  }
  if (!topic) return;
  if (TopicCounters* c = counters_of(*topic)) ++c->idontwant_received;
}

}  // namespace weft::gossip
