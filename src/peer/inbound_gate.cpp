#include "peer/inbound_gate.hpp"

#include <algorithm>

namespace weft::peer {

std::string_view to_string(InboundRefusal reason) noexcept {
  switch (reason) {
    case InboundRefusal::ip_banned: return "ip_banned";
    case InboundRefusal::pending_full: return "pending_full";
    case InboundRefusal::pending_per_ip_full: return "pending_per_ip_full";
    case InboundRefusal::ipv4_connections_full: return "ipv4_connections_full";
    case InboundRefusal::ipv6_subnet_full: return "ipv6_subnet_full";
    case InboundRefusal::rate_limited: return "rate_limited";
  }
  return "unknown";
}

InboundGate::InboundGate(InboundGateConfig config, TimePoint start)
    : config_(config), tokens_(static_cast<double>(config.accept_burst)), last_refill_(start) {}

InboundDecision InboundGate::refuse(const IpKey& key, InboundRefusal reason) {
  ++stats_.refused_total;
  ++stats_.refused[static_cast<std::size_t>(reason)];
  return InboundDecision{false, reason, key};
}

void InboundGate::refill(TimePoint now) noexcept {
  if (now <= last_refill_) return;  // time never runs backwards for the bucket
  const double seconds = std::chrono::duration<double>(now - last_refill_).count();
  tokens_ = std::min(static_cast<double>(config_.accept_burst), tokens_ + seconds * config_.accept_rate_per_s);
  last_refill_ = now;
}

double InboundGate::tokens(TimePoint now) const noexcept {
  double t = tokens_;
  if (now > last_refill_) {
    const double seconds = std::chrono::duration<double>(now - last_refill_).count();
    t = std::min(static_cast<double>(config_.accept_burst), t + seconds * config_.accept_rate_per_s);
  }
  return t;
}

InboundDecision InboundGate::admit(const IpKey& key, TimePoint now) {
  if (is_banned(key, now)) return refuse(key, InboundRefusal::ip_banned);
  if (pending_total_ >= config_.max_pending_handshakes) return refuse(key, InboundRefusal::pending_full);
  const auto it = per_key_.find(key);
  const Counts counts = it == per_key_.end() ? Counts{} : it->second;
  if (counts.pending >= config_.max_pending_handshakes_per_ip) {
    return refuse(key, InboundRefusal::pending_per_ip_full);
  }
  const bool v4 = key.family() == IpKey::Family::ipv4;
  const std::size_t cap = v4 ? config_.max_connections_per_ipv4 : config_.max_connections_per_ipv6_56;
  if (counts.pending + counts.established >= cap) {
    return refuse(key, v4 ? InboundRefusal::ipv4_connections_full : InboundRefusal::ipv6_subnet_full);
  }
  refill(now);
  if (tokens_ < 1.0) return refuse(key, InboundRefusal::rate_limited);
  tokens_ -= 1.0;
  ++per_key_[key].pending;
  ++pending_total_;
  ++stats_.admitted;
  return InboundDecision{true, InboundRefusal::ip_banned, key};
}

void InboundGate::drop_if_empty(std::unordered_map<IpKey, Counts>::iterator it) {
  if (it->second.pending == 0 && it->second.established == 0) per_key_.erase(it);
}

bool InboundGate::on_handshake_done(const IpKey& key, bool success) {
  const auto it = per_key_.find(key);
  if (it == per_key_.end() || it->second.pending == 0) {
    ++stats_.unmatched_reports;
    return false;
  }
  --it->second.pending;
  --pending_total_;
  if (success) {
    ++it->second.established;
    ++stats_.handshakes_succeeded;
  } else {
    ++stats_.handshakes_failed;
  }
  drop_if_empty(it);
  return true;
}

bool InboundGate::on_connection_closed(const IpKey& key) {
  const auto it = per_key_.find(key);
  if (it == per_key_.end() || it->second.established == 0) {
    ++stats_.unmatched_reports;
    return false;
  }
  --it->second.established;
  drop_if_empty(it);
  return true;
}

void InboundGate::ban_ip(const IpKey& key, TimePoint until) {
  if (bans_.find(key) == bans_.end() && bans_.size() >= config_.max_banned_ips) {
    if (config_.max_banned_ips == 0) return;
    const auto soonest = std::min_element(bans_.begin(), bans_.end(),
                                          [](const auto& a, const auto& b) { return a.second < b.second; });
    bans_.erase(soonest);
    ++stats_.bans_evicted;
  }
  bans_[key] = until;
}

void InboundGate::unban_ip(const IpKey& key) { bans_.erase(key); }

bool InboundGate::is_banned(const IpKey& key, TimePoint now) const {
  const auto it = bans_.find(key);
  return it != bans_.end() && now < it->second;
}

void InboundGate::expire_bans(TimePoint now) {
  std::erase_if(bans_, [now](const auto& entry) { return entry.second <= now; });
}

std::size_t InboundGate::pending_for(const IpKey& key) const {
  const auto it = per_key_.find(key);
  return it == per_key_.end() ? 0 : it->second.pending;
}

std::size_t InboundGate::established_for(const IpKey& key) const {
  const auto it = per_key_.find(key);
  return it == per_key_.end() ? 0 : it->second.established;
}

}  // namespace weft::peer
