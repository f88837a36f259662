#include "peer/peer_manager.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <tuple>

namespace weft::peer {

std::string_view to_string(MisbehaviourKind kind) noexcept {
  switch (kind) {
    case MisbehaviourKind::protocol_violation: return "protocol_violation";
    case MisbehaviourKind::bad_handshake_signature: return "bad_handshake_signature";
    case MisbehaviourKind::flood: return "flood";
    case MisbehaviourKind::invalid_message: return "invalid_message";
    case MisbehaviourKind::invalid_peer_exchange: return "invalid_peer_exchange";
  }
  return "unknown";
}

std::string_view to_string(TrimReason reason) noexcept {
  switch (reason) {
    case TrimReason::above_high_watermark: return "above_high_watermark";
    case TrimReason::peer_banned: return "peer_banned";
  }
  return "unknown";
}

std::string_view to_string(BanReason reason) noexcept {
  switch (reason) {
    case BanReason::misbehaviour: return "misbehaviour";
    case BanReason::manual: return "manual";
  }
  return "unknown";
}

std::string_view to_string(UnbanReason reason) noexcept {
  switch (reason) {
    case UnbanReason::expired: return "expired";
    case UnbanReason::evicted: return "evicted";
    case UnbanReason::manual: return "manual";
  }
  return "unknown";
}

std::string_view to_string(PeerEvent::Kind kind) noexcept {
  switch (kind) {
    case PeerEvent::Kind::discovered: return "discovered";
    case PeerEvent::Kind::connected: return "connected";
    case PeerEvent::Kind::trimmed: return "trimmed";
    case PeerEvent::Kind::banned: return "banned";
    case PeerEvent::Kind::unbanned: return "unbanned";
  }
  return "unknown";
}

namespace {

conn::BackoffConfig backoff_config(const PeerManagerConfig& c) {
  conn::BackoffConfig b;
  b.max_retry_attempts = std::numeric_limits<std::uint32_t>::max();
  b.initial_backoff_ms = c.dial_backoff_initial_ms;
  b.backoff_multiplier = c.dial_backoff_multiplier;
  b.max_backoff_ms = c.dial_backoff_max_ms;
  b.min_backoff_ms = c.dial_backoff_min_ms;
  return b;
}

PeerEvent event(PeerEvent::Kind kind, const PeerId& peer) {
  return PeerEvent{kind, peer, std::nullopt, TrimReason::above_high_watermark, BanReason::misbehaviour};
}

}  // namespace

PeerManager::PeerManager(PeerManagerConfig config, conn::UnitRandom random)
    : config_(config), backoff_(backoff_config(config), std::move(random)) {}

// ---- per-peer state ---------------------------------------------------------------------

const PeerManager::PeerState* PeerManager::find_state(const PeerId& peer) const {
  const auto it = peers_.find(peer);
  return it == peers_.end() ? nullptr : &it->second;
}

bool PeerManager::evictable(const PeerId& peer, const PeerState& s) const {
  return s.connections == 0 && s.protect_tags.empty() && keep_alive_.count(peer) == 0 && dials_.count(peer) == 0;
}

void PeerManager::evict_one_tracked() {
  auto victim = peers_.end();
  for (auto it = peers_.begin(); it != peers_.end(); ++it) {
    if (!evictable(it->first, it->second)) continue;
    if (victim == peers_.end() || it->second.last_seen < victim->second.last_seen ||
        (it->second.last_seen == victim->second.last_seen && it->first < victim->first)) {
      victim = it;
    }
  }
  if (victim == peers_.end()) return;  // everyone is connected or protected: bounded by the caller
  peers_.erase(victim);
  ++stats_.tracked_peers_evicted;
}

PeerManager::PeerState& PeerManager::state(const PeerId& peer, TimePoint now) {
  auto it = peers_.find(peer);
  if (it == peers_.end()) {
    if (peers_.size() >= config_.max_tracked_peers) evict_one_tracked();
    it = peers_.emplace(peer, PeerState{}).first;
    it->second.points_at = now;
  }
  it->second.last_seen = std::max(it->second.last_seen, now);
  return it->second;
}

double PeerManager::decayed_points(const PeerState& s, TimePoint now) const {
  if (s.points <= 0 || config_.penalty_half_life_ms.count() <= 0 || now <= s.points_at) return s.points;
  const double half_lives = std::chrono::duration<double, std::milli>(now - s.points_at).count() /
                            static_cast<double>(config_.penalty_half_life_ms.count());
  return s.points * std::exp2(-half_lives);
}

double PeerManager::points(const PeerId& peer, TimePoint now) const {
  const PeerState* s = find_state(peer);
  return s == nullptr ? 0.0 : decayed_points(*s, now);
}

double PeerManager::value(const PeerId& peer, TimePoint now) const {
  const PeerState* s = find_state(peer);
  return s == nullptr ? 0.0 : s->score - decayed_points(*s, now);
}

bool PeerManager::is_protected(const PeerId& peer) const {
  if (keep_alive_.count(peer) != 0) return true;
  const PeerState* s = find_state(peer);
  return s != nullptr && !s->protect_tags.empty();
}

TimePoint PeerManager::dial_ready_at(const PeerId& peer, TimePoint now) const {
  const PeerState* s = find_state(peer);
  if (s == nullptr || !s->dial_not_before || *s->dial_not_before <= now) return now;
  return *s->dial_not_before;
}

std::uint32_t PeerManager::dial_failures(const PeerId& peer) const {
  const PeerState* s = find_state(peer);
  return s == nullptr ? 0 : s->dial_failures;
}

// ---- connections ------------------------------------------------------------------------

bool PeerManager::handle_connection_opened(const OpenedConnection& c, TimePoint now) {
  if (connections_.count(c.id) != 0) {
    ++stats_.unknown_connection_reports;
    return false;
  }
  ++stats_.connections_opened;
  PeerState& s = state(c.peer, now);
  const bool first = s.connections == 0;
  ++s.connections;
  Connection& conn = connections_.emplace(c.id, Connection{c.peer, c.direction, c.remote, c.opened_at, false}).first->second;
  if (is_banned(c.peer, now)) {
    ++stats_.connections_refused_banned;
    trim(c.id, conn, TrimReason::peer_banned);
    return false;
  }
  if (first) {
    PeerEvent e = event(PeerEvent::Kind::connected, c.peer);
    e.connection = c.id;
    emit(std::move(e));
  }
  return true;
}

bool PeerManager::handle_connection_closed(ConnectionId id, TimePoint now) {
  const auto it = connections_.find(id);
  if (it == connections_.end()) {
    ++stats_.unknown_connection_reports;
    return false;
  }
  ++stats_.connections_closed;
  if (it->second.trimming) --trimming_count_;
  if (auto p = peers_.find(it->second.peer); p != peers_.end()) {
    if (p->second.connections > 0) --p->second.connections;
    p->second.last_seen = std::max(p->second.last_seen, now);
  }
  connections_.erase(it);
  return true;
}

void PeerManager::trim(ConnectionId id, Connection& c, TrimReason reason) {
  if (c.trimming) return;
  c.trimming = true;
  ++trimming_count_;
  ++(reason == TrimReason::peer_banned ? stats_.trims_banned : stats_.trims_watermark);
  actions_.emplace_back(Trim{id, c.peer, reason});
  PeerEvent e = event(PeerEvent::Kind::trimmed, c.peer);
  e.connection = id;
  e.trim_reason = reason;
  emit(std::move(e));
}

void PeerManager::trim_peer(const PeerId& peer) {
  for (auto& [id, c] : connections_) {
    if (c.peer == peer) trim(id, c, TrimReason::peer_banned);
  }
}

// ---- protection and scores --------------------------------------------------------------

void PeerManager::set_peer_score(const PeerId& peer, double score, TimePoint now) { state(peer, now).score = score; }

void PeerManager::protect(const PeerId& peer, const std::string& tag, TimePoint now) {
  state(peer, now).protect_tags.insert(tag);
}

bool PeerManager::unprotect(const PeerId& peer, const std::string& tag) {
  const auto it = peers_.find(peer);
  if (it == peers_.end()) return keep_alive_.count(peer) != 0;
  it->second.protect_tags.erase(tag);
  return is_protected(peer);
}

void PeerManager::set_keep_alive_peers(std::span<const PeerId> peers) {
  keep_alive_ = std::unordered_set<PeerId>(peers.begin(), peers.end());
}

// ---- discovery and dials ----------------------------------------------------------------

bool PeerManager::handle_discovered(const PeerId& peer, TimePoint now) {
  if (is_banned(peer, now)) {
    ++stats_.discovered_ignored_banned;
    return false;
  }
  if (peers_.count(peer) == 0) {
    ++stats_.peers_discovered;
    emit(event(PeerEvent::Kind::discovered, peer));
  }
  state(peer, now);
  return true;
}

void PeerManager::record_dial_failure(const PeerId& peer, TimePoint now) {
  PeerState& s = state(peer, now);
  if (s.dial_failures < std::numeric_limits<std::uint32_t>::max()) ++s.dial_failures;
  s.dial_not_before = now + backoff_.delay_for(s.dial_failures);
}

void PeerManager::handle_dial_result(const PeerId& peer, bool success, TimePoint now) {
  dials_.erase(peer);
  if (success) {
    ++stats_.dials_succeeded;
    PeerState& s = state(peer, now);
    s.dial_failures = 0;
    s.dial_not_before.reset();
    return;
  }
  ++stats_.dials_failed;
  record_dial_failure(peer, now);
}

void PeerManager::expire_dials(TimePoint now) {
  for (auto it = dials_.begin(); it != dials_.end();) {
    if (now - it->second < config_.dial_timeout_ms) {
      ++it;
      continue;
    }
    const PeerId peer = it->first;
    it = dials_.erase(it);
    ++stats_.dials_timed_out;
    ++stats_.dials_failed;
    record_dial_failure(peer, now);
  }
}

void PeerManager::dial_below_watermark(TimePoint now, std::span<const DialCandidate> candidates) {
  const std::size_t have = connection_count() + dials_.size();
  if (trimming_ || have >= config_.low_watermark || dials_.size() >= config_.max_concurrent_dials) return;
  const std::size_t slots =
      std::min(config_.low_watermark - have, config_.max_concurrent_dials - dials_.size());

  std::vector<const DialCandidate*> eligible;
  std::unordered_set<PeerId> seen;
  for (const DialCandidate& c : candidates) {
    if (!seen.insert(c.peer).second) continue;  // a duplicate entry: judged once
    const PeerState* s = find_state(c.peer);
    if (s != nullptr && s->connections > 0) {
      ++stats_.candidates_skipped_connected;
    } else if (is_banned(c.peer, now)) {
      ++stats_.candidates_skipped_banned;
    } else if (c.dialing || dials_.count(c.peer) != 0) {
      ++stats_.candidates_skipped_dialing;
    } else if (dial_ready_at(c.peer, now) > now) {
      ++stats_.candidates_skipped_backoff;
    } else if (c.addresses.empty()) {
      ++stats_.candidates_skipped_no_address;
    } else {
      eligible.push_back(&c);
    }
  }
  const auto order = [&](const DialCandidate* a, const DialCandidate* b) {
    const double va = a->score - points(a->peer, now);
    const double vb = b->score - points(b->peer, now);
    if (va != vb) return va > vb;
    return a->peer < b->peer;
  };
  const std::size_t n = std::min(slots, eligible.size());
  std::partial_sort(eligible.begin(), eligible.begin() + static_cast<std::ptrdiff_t>(n), eligible.end(), order);
  for (std::size_t i = 0; i < n; ++i) {
    const DialCandidate& c = *eligible[i];
    dials_.emplace(c.peer, now);
    state(c.peer, now);
    ++stats_.dials_started;
    actions_.emplace_back(Dial{c.peer, c.addresses});
  }
}

// ---- trimming -----------------------------------------------------------------------------

std::optional<ConnectionId> PeerManager::pick_trim_victim(TimePoint now) const {
  // Active (not trimming) connections per peer, for rule 1.
  std::unordered_map<PeerId, std::size_t> active;
  for (const auto& [id, c] : connections_) {
    if (!c.trimming) ++active[c.peer];
  }
  using Key = std::tuple<int, double, int, std::int64_t, ConnectionId>;
  std::optional<Key> best;
  std::optional<ConnectionId> victim;
  for (const auto& [id, c] : connections_) {
    if (c.trimming || is_protected(c.peer) || now - c.opened_at < config_.grace_period_ms) continue;
    const Key key{active[c.peer] > 1 ? 0 : 1, value(c.peer, now), c.direction == Direction::inbound ? 0 : 1,
                  -c.opened_at.time_since_epoch().count(), id};
    if (!best || key < *best) {
      best = key;
      victim = id;
    }
  }
  return victim;
}

void PeerManager::trim_above_watermark(TimePoint now) {
  if (connection_count() > config_.high_watermark) trimming_ = true;
  if (!trimming_) return;
  for (std::size_t i = 0; i < config_.max_trims_per_tick && connection_count() > config_.low_watermark; ++i) {
    const auto victim = pick_trim_victim(now);
    if (!victim) {
      ++stats_.trims_blocked;
      break;
    }
    trim(*victim, connections_.at(*victim), TrimReason::above_high_watermark);
  }
  if (connection_count() <= config_.low_watermark) trimming_ = false;
}

// ---- bans -------------------------------------------------------------------------------

bool PeerManager::is_banned(const PeerId& peer, TimePoint now) const {
  const auto it = bans_.find(peer);
  return it != bans_.end() && now < it->second;
}

std::optional<TimePoint> PeerManager::ban_until(const PeerId& peer) const {
  const auto it = bans_.find(peer);
  if (it == bans_.end()) return std::nullopt;
  return it->second;
}

bool PeerManager::insert_ban(const PeerId& peer, TimePoint until) {
  if (const auto it = bans_.find(peer); it != bans_.end()) {
    it->second = std::max(it->second, until);
    return true;
  }
  if (config_.max_banned_peers == 0) return false;
  if (bans_.size() >= config_.max_banned_peers) {
    auto soonest = bans_.begin();
    for (auto it = bans_.begin(); it != bans_.end(); ++it) {
      if (it->second < soonest->second || (it->second == soonest->second && it->first < soonest->first)) soonest = it;
    }
    if (soonest->second > until) return false;  // the new ban would be the one dropped
    actions_.emplace_back(Unban{soonest->first, UnbanReason::evicted});
    emit(event(PeerEvent::Kind::unbanned, soonest->first));
    bans_.erase(soonest);
    ++stats_.bans_evicted;
  }
  bans_.emplace(peer, until);
  return true;
}

void PeerManager::apply_ban(const PeerId& peer, TimePoint until, BanReason reason, MisbehaviourKind kind) {
  if (auto it = peers_.find(peer); it != peers_.end()) it->second.points = 0;
  dials_.erase(peer);
  if (!insert_ban(peer, until)) {
    // The table is full of bans that all end later (or holds none): this one is the one
    // dropped. Its connections still go.
    ++stats_.bans_evicted;
    trim_peer(peer);
    return;
  }
  Ban ban{peer, bans_.at(peer), reason, kind, {}};
  for (const auto& [id, c] : connections_) {
    if (c.peer == peer && c.remote &&
        std::find(ban.addresses.begin(), ban.addresses.end(), *c.remote) == ban.addresses.end()) {
      ban.addresses.push_back(*c.remote);
    }
  }
  actions_.emplace_back(std::move(ban));
  PeerEvent e = event(PeerEvent::Kind::banned, peer);
  e.ban_reason = reason;
  emit(std::move(e));
  trim_peer(peer);
}

bool PeerManager::handle_misbehaviour(const PeerId& peer, MisbehaviourKind kind, TimePoint now) {
  ++stats_.misbehaviour_reports[static_cast<std::size_t>(kind)];
  if (is_banned(peer, now)) {
    ++stats_.misbehaviour_while_banned;
    return false;
  }
  PeerState& s = state(peer, now);
  s.points = decayed_points(s, now) + config_.penalty(kind);
  s.points_at = now;
  if (s.points < config_.ban_threshold) return false;
  ++stats_.bans_misbehaviour;
  apply_ban(peer, now + config_.ban_duration_ms, BanReason::misbehaviour, kind);
  return true;
}

void PeerManager::ban(const PeerId& peer, milliseconds duration, TimePoint now) {
  ++stats_.bans_manual;
  apply_ban(peer, now + duration, BanReason::manual, MisbehaviourKind::protocol_violation);
}

bool PeerManager::unban(const PeerId& peer) {
  if (bans_.erase(peer) == 0) return false;
  ++stats_.unbans_manual;
  actions_.emplace_back(Unban{peer, UnbanReason::manual});
  emit(event(PeerEvent::Kind::unbanned, peer));
  return true;
}

std::size_t PeerManager::restore_bans(std::span<const BanRecord> bans, TimePoint now) {
  std::vector<const BanRecord*> live;
  for (const BanRecord& b : bans) {
    if (b.until <= now) {
      actions_.emplace_back(Unban{b.peer, UnbanReason::expired});
      ++stats_.bans_expired;
    } else {
      live.push_back(&b);
    }
  }
  // Latest end first, so that when the table fills up the bans that end soonest are dropped.
  std::stable_sort(live.begin(), live.end(), [](const BanRecord* a, const BanRecord* b) { return a->until > b->until; });
  std::size_t loaded = 0;
  for (const BanRecord* b : live) {
    const bool known = bans_.count(b->peer) != 0;
    if (!known && bans_.size() >= config_.max_banned_peers) {
      actions_.emplace_back(Unban{b->peer, UnbanReason::evicted});
      ++stats_.bans_evicted;
      continue;
    }
    insert_ban(b->peer, b->until);
    dials_.erase(b->peer);
    trim_peer(b->peer);
    if (!known) {
      ++loaded;
      ++stats_.bans_restored;
    }
  }
  return loaded;
}

void PeerManager::expire_bans(TimePoint now) {
  std::vector<PeerId> ended;
  for (const auto& [peer, until] : bans_) {
    if (until <= now) ended.push_back(peer);
  }
  std::sort(ended.begin(), ended.end());  // deterministic action order
  for (const PeerId& peer : ended) {
    bans_.erase(peer);
    ++stats_.bans_expired;
    actions_.emplace_back(Unban{peer, UnbanReason::expired});
    emit(event(PeerEvent::Kind::unbanned, peer));
  }
}

// ---- tick and outputs -------------------------------------------------------------------

void PeerManager::tick(TimePoint now, std::span<const DialCandidate> candidates) {
  expire_bans(now);
  expire_dials(now);
  trim_above_watermark(now);
  dial_below_watermark(now, candidates);
}

// g++ 12 at -O2 reports the moved-from variant's members as maybe-uninitialized here (a
// false positive of its variant move analysis); clang is silent.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
std::optional<PeerAction> PeerManager::poll_action() {
  if (actions_.empty()) return std::nullopt;
  std::optional<PeerAction> out(std::in_place, std::move(actions_.front()));
  actions_.pop_front();
  return out;
}
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

std::optional<PeerEvent> PeerManager::poll_event() {
  if (events_.empty()) return std::nullopt;
  PeerEvent e = std::move(events_.front());
  events_.pop_front();
  return e;
}

}  // namespace weft::peer
