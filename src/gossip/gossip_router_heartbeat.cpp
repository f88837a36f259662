// GossipRouter: the heartbeat — mesh and fanout maintenance, gossip, expiries.

#include "gossip/gossip_router.hpp"

#include <algorithm>
#include <cmath>

namespace weft::gossip {

void GossipRouter::handle_tick(TimePoint now) {
  advance(now);
  release_staggered();
  if (!next_heartbeat_ || now < *next_heartbeat_) return;
  heartbeat();
  const Duration interval = from_ms(std::max<std::uint64_t>(config_.heartbeat_interval_ms, 1));
  *next_heartbeat_ += interval;
  if (*next_heartbeat_ <= now) next_heartbeat_ = now + interval;  // fell behind: no burst
}

void GossipRouter::heartbeat() {
  ++heartbeats_;
  if (now_ >= next_decay_) {
    score_.refresh(now_);
    next_decay_ = now_ + from_ms(std::max<std::uint64_t>(config_.score.decay_interval_ms, 1));
  }
  for (auto& [peer, ps] : peers_) {
    ps.ihave_rpcs = 0;
    ps.iwant_ids_asked = 0;
    ps.idontwant_entries = 0;
    expire_idontwant(ps);
  }
  check_promises();
  refetch_forged();
  std::vector<TopicId> topics;
  for (auto& [topic, t] : topics_) {
    std::erase_if(t.backoff, [&](const auto& entry) { return entry.second <= now_; });
    topics.push_back(topic);
  }
  for (const TopicId& topic : topics) {
    auto it = topics_.find(topic);
    if (it == topics_.end()) continue;
    TopicState& t = it->second;
    if (t.subscribed) {
      maintain_mesh(topic, t);
      emit_gossip(topic, t, t.mesh);
    } else if (t.fanout_published) {
      maintain_fanout(topic, t);
      if (t.fanout_published) emit_gossip(topic, t, t.fanout);
    }
    forget_topic_if_idle(topic);
  }
  mcache_.shift();
  seen_.expire(now_);
  flush();
}

void GossipRouter::maintain_mesh(const TopicId& topic, TopicState& t) {
  // Peers with a negative score leave the mesh (v1.1).
  const std::set<PeerId> mesh = t.mesh;
  for (const PeerId& peer : mesh) {
    if (score(peer) < 0) prune(topic, t, peer, from_ms(config_.prune_backoff_ms), false);
  }
  if (t.mesh.size() < config_.d_lo) {
    for (const PeerId& peer : select_peers(t, config_.d - t.mesh.size(), 0.0, t.mesh)) graft(topic, t, peer);
  }
  if (t.mesh.size() > config_.d_hi) {
    // Keep the d_score best by score, the rest at random, then make room for d_out
    // outbound peers if the choice holds fewer (v1.1).
    std::vector<PeerId> ranked(t.mesh.begin(), t.mesh.end());
    rng_.shuffle(ranked);
    std::stable_sort(ranked.begin(), ranked.end(),
                     [&](const PeerId& a, const PeerId& b) { return score(a) > score(b); });
    const std::size_t keep_best = std::min(config_.d_score, config_.d);
    std::vector<PeerId> rest(ranked.begin() + static_cast<std::ptrdiff_t>(keep_best), ranked.end());
    rng_.shuffle(rest);
    std::vector<PeerId> keep(ranked.begin(), ranked.begin() + static_cast<std::ptrdiff_t>(keep_best));
    keep.insert(keep.end(), rest.begin(), rest.end());
    truncate(keep, config_.d);
    auto outbound = [&](const PeerId& p) { return is_outbound(p); };
    std::size_t outbound_kept = static_cast<std::size_t>(std::count_if(keep.begin(), keep.end(), outbound));
    if (outbound_kept < config_.d_out) {
      std::vector<PeerId> spare;
      for (const PeerId& p : ranked) {
        if (outbound(p) && std::find(keep.begin(), keep.end(), p) == keep.end()) spare.push_back(p);
      }
      // Replace inbound peers from the end (the random part) with spare outbound ones.
      for (std::size_t i = keep.size(); i-- > 0 && outbound_kept < config_.d_out && !spare.empty();) {
        if (outbound(keep[i])) continue;
        keep[i] = spare.front();
        spare.erase(spare.begin());
        ++outbound_kept;
      }
    }
    const std::set<PeerId> kept(keep.begin(), keep.end());
    for (const PeerId& peer : ranked) {
      if (kept.count(peer) == 0) prune(topic, t, peer, from_ms(config_.prune_backoff_ms), true);
    }
  }
  // Enough peers but too few outbound: graft outbound ones to reach d_out (v1.1).
  if (t.mesh.size() >= config_.d_lo) {
    std::size_t outbound = 0;
    for (const PeerId& p : t.mesh) outbound += is_outbound(p) ? 1 : 0;
    if (outbound < config_.d_out) {
      std::vector<PeerId> candidates;
      for (const PeerId& p : select_peers(t, t.peers.size(), 0.0, t.mesh)) {
        if (is_outbound(p)) candidates.push_back(p);
      }
      for (std::size_t i = 0; i < candidates.size() && outbound < config_.d_out; ++i, ++outbound) {
        graft(topic, t, candidates[i]);
      }
    }
  }
  // Opportunistic grafting: a mesh whose median score is low takes better peers (v1.1).
  if (config_.opportunistic_graft_ticks > 0 && heartbeats_ % config_.opportunistic_graft_ticks == 0 &&
      t.mesh.size() > 1) {
    std::vector<double> scores;
    for (const PeerId& p : t.mesh) scores.push_back(score(p));
    std::sort(scores.begin(), scores.end());
    const double median = scores[scores.size() / 2];
    if (median < config_.thresholds.opportunistic_graft) {
      std::vector<PeerId> better;
      for (const PeerId& p : select_peers(t, t.peers.size(), 0.0, t.mesh)) {
        if (score(p) > median) better.push_back(p);
      }
      truncate(better, config_.opportunistic_graft_peers);
      for (const PeerId& p : better) graft(topic, t, p);
    }
  }
}

void GossipRouter::maintain_fanout(const TopicId&, TopicState& t) {
  if (now_ - *t.fanout_published >= from_ms(config_.fanout_ttl_ms)) {
    t.fanout.clear();
    t.fanout_published.reset();
    return;
  }
  std::erase_if(t.fanout, [&](const PeerId& p) {
    return t.peers.count(p) == 0 || score(p) < config_.thresholds.publish;
  });
  if (t.fanout.size() < config_.d) {
    for (const PeerId& p : select_peers(t, config_.d - t.fanout.size(), config_.thresholds.publish, t.fanout)) {
      t.fanout.insert(p);
    }
  }
}

void GossipRouter::emit_gossip(const TopicId& topic, const TopicState& t, const std::set<PeerId>& exclude) {
  std::vector<MessageId> ids = mcache_.gossip_ids(topic);
  if (ids.empty()) return;
  std::vector<PeerId> candidates;
  for (const PeerId& peer : t.peers) {
    if (exclude.count(peer) == 0 && score(peer) >= config_.thresholds.gossip) candidates.push_back(peer);
  }
  const auto by_factor = static_cast<std::size_t>(std::ceil(config_.gossip_factor * static_cast<double>(candidates.size())));
  const std::size_t target = std::max(config_.d_lazy, by_factor);
  rng_.shuffle(candidates);
  truncate(candidates, target);
  const std::size_t max_ids = config_.rpc.max_ids_per_control_entry;
  for (const PeerId& peer : candidates) {
    std::vector<MessageId> sent = ids;
    if (sent.size() > max_ids) {
      rng_.shuffle(sent);
      sent.resize(max_ids);
    }
    auto ps = peers_.find(peer);
    if (ps == peers_.end()) continue;
    ps->second.gossip.push_back({topic, std::move(sent)});
    dirty_.insert(peer);
    ++stats_.ihave_sent;
  }
}

void GossipRouter::check_promises() {
  for (auto it = promises_.begin(); it != promises_.end();) {
    auto& by_peer = it->second;
    for (auto p = by_peer.begin(); p != by_peer.end();) {
      if (p->second > now_) {
        ++p;
        continue;
      }
      ++stats_.promises_broken;
      if (peers_.count(p->first) != 0) behaviour_penalty(p->first, Error(Errc::gossip_broken_promise));
      p = by_peer.erase(p);
    }
    it = by_peer.empty() ? promises_.erase(it) : std::next(it);
  }
}

void GossipRouter::expire_idontwant(PeerState& ps) {
  const Duration ttl = from_ms(config_.idontwant_ttl_ms);
  while (!ps.dont_send_order.empty() && now_ - ps.dont_send_order.front().first >= ttl) {
    ps.dont_send.erase(ps.dont_send_order.front().second);
    ps.dont_send_order.pop_front();
  }
}

}  // namespace weft::gossip
