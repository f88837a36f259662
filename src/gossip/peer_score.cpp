#include "gossip/peer_score.hpp"

#include <algorithm>
#include <cmath>

namespace weft::gossip {
namespace {

Duration from_ms(std::uint64_t v) { return std::chrono::milliseconds(v); }

double decayed(double value, double factor, double to_zero) {
  const double v = value * factor;
  return v < to_zero ? 0.0 : v;
}

}  // namespace

PeerScore::PeerScore(PeerScoreParams params) : params_(std::move(params)) {}

const TopicScoreParams* PeerScore::topic_params(const TopicId& topic) const {
  auto it = params_.topics.find(topic);
  if (it != params_.topics.end()) return &it->second;
  return params_.default_topic ? &*params_.default_topic : nullptr;
}

PeerScore::TopicStats* PeerScore::topic_stats(const PeerId& peer, const TopicId& topic) {
  auto it = peers_.find(peer);
  if (it == peers_.end() || topic_params(topic) == nullptr) return nullptr;
  return &it->second.topics[topic];
}

// ---- peers ----------------------------------------------------------------------------------

void PeerScore::add_peer(const PeerId& peer, const std::string& ip, TimePoint) {
  PeerStats& s = peers_[peer];  // a retained record comes back with its counters
  if (s.connected && !s.ip.empty()) drop_ip(peer, s.ip);
  s.connected = true;
  s.ip = ip;
  if (!ip.empty()) peers_by_ip_[ip].insert(peer);
}

void PeerScore::remove_peer(const PeerId& peer, TimePoint now) {
  auto it = peers_.find(peer);
  if (it == peers_.end() || !it->second.connected) return;
  // A positive score is not worth keeping; anything else is, so reconnecting resets nothing.
  if (score(peer, now) > 0) {
    if (!it->second.ip.empty()) drop_ip(peer, it->second.ip);
    peers_.erase(it);
    return;
  }
  PeerStats& s = it->second;
  for (auto& [topic, stats] : s.topics) {
    if (!stats.in_mesh) continue;
    if (const TopicScoreParams* p = topic_params(topic)) apply_mesh_failure(*p, stats, now);
    stats.in_mesh = false;
  }
  if (!s.ip.empty()) drop_ip(peer, s.ip);
  s.connected = false;
  s.expires = now + from_ms(params_.retain_score_ms);
  std::size_t retained = 0;
  for (const auto& [id, ps] : peers_) retained += ps.connected ? 0 : 1;
  while (retained > params_.max_retained_peers) {
    auto oldest = peers_.end();
    for (auto p = peers_.begin(); p != peers_.end(); ++p) {
      if (!p->second.connected && (oldest == peers_.end() || p->second.expires < oldest->second.expires)) oldest = p;
    }
    peers_.erase(oldest);
    ++retained_evicted_;
    --retained;
  }
}

void PeerScore::drop_ip(const PeerId& peer, const std::string& ip) {
  auto it = peers_by_ip_.find(ip);
  if (it == peers_by_ip_.end()) return;
  it->second.erase(peer);
  if (it->second.empty()) peers_by_ip_.erase(it);
}

void PeerScore::graft(const PeerId& peer, const TopicId& topic, TimePoint now) {
  if (TopicStats* s = topic_stats(peer, topic)) {
    s->in_mesh = true;
    s->graft_time = now;
  }
}

void PeerScore::prune(const PeerId& peer, const TopicId& topic, TimePoint now) {
  TopicStats* s = topic_stats(peer, topic);
  if (s == nullptr || !s->in_mesh) return;
  apply_mesh_failure(*topic_params(topic), *s, now);
  s->in_mesh = false;
}

double PeerScore::mesh_deficit(const TopicScoreParams& p, const TopicStats& s, TimePoint now) const {
  if (!s.in_mesh || now - s.graft_time <= from_ms(p.mesh_message_deliveries_activation_ms)) return 0.0;
  if (s.mesh_deliveries >= p.mesh_message_deliveries_threshold) return 0.0;
  return p.mesh_message_deliveries_threshold - s.mesh_deliveries;
}

void PeerScore::apply_mesh_failure(const TopicScoreParams& p, TopicStats& s, TimePoint now) const {
  const double deficit = mesh_deficit(p, s, now);
  s.mesh_failure_penalty += deficit * deficit;
}

// ---- messages -------------------------------------------------------------------------------

void PeerScore::validate_message(const MessageId& id, TimePoint now) {
  if (records_.count(id) != 0) return;
  if (params_.max_delivery_records == 0) return;
  while (records_.size() >= params_.max_delivery_records && !record_order_.empty()) {
    auto [at, old] = record_order_.front();
    record_order_.pop_front();
    auto r = records_.find(old);
    if (r != records_.end() && r->second.first_seen == at) {
      records_.erase(r);
      ++records_evicted_;
    }
  }
  records_.emplace(id, Record{Status::validating, now, {}, {}});
  record_order_.emplace_back(now, id);
}

void PeerScore::mark_first_delivery(const PeerId& peer, const TopicId& topic) {
  TopicStats* s = topic_stats(peer, topic);
  if (s == nullptr) return;
  const TopicScoreParams& p = *topic_params(topic);
  s->first_deliveries = std::min(s->first_deliveries + 1, p.first_message_deliveries_cap);
  if (s->in_mesh) s->mesh_deliveries = std::min(s->mesh_deliveries + 1, p.mesh_message_deliveries_cap);
}

void PeerScore::mark_near_first(const PeerId& peer, const TopicId& topic) {
  TopicStats* s = topic_stats(peer, topic);
  if (s == nullptr || !s->in_mesh) return;
  s->mesh_deliveries = std::min(s->mesh_deliveries + 1, topic_params(topic)->mesh_message_deliveries_cap);
}

void PeerScore::mark_invalid(const PeerId& peer, const TopicId& topic) {
  if (TopicStats* s = topic_stats(peer, topic)) s->invalid_deliveries += 1;
}

void PeerScore::deliver_message(const PeerId& source, const MessageId& id, const TopicId& topic, TimePoint now) {
  mark_first_delivery(source, topic);
  auto r = records_.find(id);
  if (r == records_.end()) return;
  r->second.status = Status::valid;
  r->second.validated = now;
  for (const PeerId& peer : r->second.peers) {
    if (peer != source) mark_near_first(peer, topic);
  }
  r->second.peers.clear();
}

void PeerScore::reject_message(const PeerId& source, const MessageId& id, const TopicId& topic, TimePoint) {
  mark_invalid(source, topic);
  auto r = records_.find(id);
  if (r == records_.end()) return;
  r->second.status = Status::invalid;
  for (const PeerId& peer : r->second.peers) {
    if (peer != source) mark_invalid(peer, topic);
  }
  r->second.peers.clear();
}

void PeerScore::ignore_message(const MessageId& id, TimePoint) {
  auto r = records_.find(id);
  if (r == records_.end()) return;
  r->second.status = Status::ignored;
  r->second.peers.clear();
}

void PeerScore::invalid_message(const PeerId& peer, const TopicId& topic) { mark_invalid(peer, topic); }

void PeerScore::duplicate_message(const PeerId& peer, const MessageId& id, const TopicId& topic, TimePoint now) {
  auto r = records_.find(id);
  if (r == records_.end()) return;
  Record& rec = r->second;
  switch (rec.status) {
    case Status::validating:
      if (peers_.count(peer) != 0) rec.peers.insert(peer);
      return;
    case Status::valid: {
      const TopicScoreParams* p = topic_params(topic);
      if (p != nullptr && now - rec.validated <= from_ms(p->mesh_message_deliveries_window_ms)) {
        mark_near_first(peer, topic);
      }
      return;
    }
    case Status::invalid:
      mark_invalid(peer, topic);
      return;
    case Status::ignored:
      return;
  }
}

void PeerScore::add_penalty(const PeerId& peer, double count) {
  auto it = peers_.find(peer);
  if (it != peers_.end()) it->second.behaviour_penalty += count;
}

void PeerScore::set_app_score(const PeerId& peer, double value) {
  auto it = peers_.find(peer);
  if (it != peers_.end()) it->second.app_score = value;
}

// ---- decay and the score ---------------------------------------------------------------------

void PeerScore::refresh(TimePoint now) {
  const double zero = params_.decay_to_zero;
  for (auto it = peers_.begin(); it != peers_.end();) {
    PeerStats& s = it->second;
    if (!s.connected && now >= s.expires) {
      it = peers_.erase(it);
      continue;
    }
    for (auto t = s.topics.begin(); t != s.topics.end();) {
      const TopicScoreParams* p = topic_params(t->first);
      TopicStats& ts = t->second;
      if (p != nullptr) {
        ts.first_deliveries = decayed(ts.first_deliveries, p->first_message_deliveries_decay, zero);
        ts.mesh_deliveries = decayed(ts.mesh_deliveries, p->mesh_message_deliveries_decay, zero);
        ts.mesh_failure_penalty = decayed(ts.mesh_failure_penalty, p->mesh_failure_penalty_decay, zero);
        ts.invalid_deliveries = decayed(ts.invalid_deliveries, p->invalid_message_deliveries_decay, zero);
      }
      const bool idle = !ts.in_mesh && ts.first_deliveries == 0 && ts.mesh_deliveries == 0 &&
                        ts.mesh_failure_penalty == 0 && ts.invalid_deliveries == 0;
      t = idle ? s.topics.erase(t) : std::next(t);
    }
    s.behaviour_penalty = decayed(s.behaviour_penalty, params_.behaviour_penalty_decay, zero);
    ++it;
  }
  const Duration ttl = from_ms(params_.delivery_record_ttl_ms);
  while (!record_order_.empty() && now - record_order_.front().first >= ttl) {
    auto r = records_.find(record_order_.front().second);
    if (r != records_.end() && r->second.first_seen == record_order_.front().first) records_.erase(r);
    record_order_.pop_front();
  }
}

double PeerScore::score(const PeerId& peer, TimePoint now) const {
  auto it = peers_.find(peer);
  if (it == peers_.end()) return 0.0;
  const PeerStats& s = it->second;
  double topics = 0.0;
  for (const auto& [topic, ts] : s.topics) {
    const TopicScoreParams* p = topic_params(topic);
    if (p == nullptr) continue;
    double t = 0.0;
    if (ts.in_mesh && p->time_in_mesh_quantum_ms > 0) {
      const double quanta = std::floor(std::chrono::duration<double, std::milli>(now - ts.graft_time).count() /
                                       static_cast<double>(p->time_in_mesh_quantum_ms));
      t += p->time_in_mesh_weight * std::min(quanta, p->time_in_mesh_cap);
    }
    t += p->first_message_deliveries_weight * ts.first_deliveries;
    const double deficit = mesh_deficit(*p, ts, now);
    t += p->mesh_message_deliveries_weight * deficit * deficit;
    t += p->mesh_failure_penalty_weight * ts.mesh_failure_penalty;
    t += p->invalid_message_deliveries_weight * ts.invalid_deliveries * ts.invalid_deliveries;
    topics += p->topic_weight * t;
  }
  if (params_.topic_score_cap > 0 && topics > params_.topic_score_cap) topics = params_.topic_score_cap;
  double score = topics + params_.app_specific_weight * s.app_score;
  if (s.connected && !s.ip.empty() && params_.ip_colocation_whitelist.count(s.ip) == 0) {
    auto same = peers_by_ip_.find(s.ip);
    const double n = same == peers_by_ip_.end() ? 0.0 : static_cast<double>(same->second.size());
    if (n > params_.ip_colocation_factor_threshold) {
      const double surplus = n - params_.ip_colocation_factor_threshold;
      score += params_.ip_colocation_factor_weight * surplus * surplus;
    }
  }
  if (s.behaviour_penalty > params_.behaviour_penalty_threshold) {
    const double excess = s.behaviour_penalty - params_.behaviour_penalty_threshold;
    score += params_.behaviour_penalty_weight * excess * excess;
  }
  return score;
}

}  // namespace weft::gossip
