// ConnectionTable: connection records, their state transitions, granting leases, dialing
// and what follows a dial (connection_table.hpp has the contract).

#include "conn/connection_table.hpp"

#include "util/assert.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace weft::conn {
namespace {

bool legal(ConnectionState from, ConnectionState to) {
  using S = ConnectionState;
  switch (from) {
    case S::connecting: return to == S::ready || to == S::closed;
    case S::ready: return to == S::busy || to == S::draining || to == S::closed;
    case S::busy: return to == S::ready || to == S::draining || to == S::closed;
    case S::draining: return to == S::closed;
    case S::closed: return false;
  }
  return false;
}

}  // namespace

ConnectionTable::PeerEntry& ConnectionTable::entry(const PeerId& peer) {
  auto it = peers_.find(peer);
  if (it == peers_.end()) it = peers_.emplace(peer, PeerEntry(config_, random_)).first;
  return it->second;
}

void ConnectionTable::transition(Connection& c, ConnectionState to) {
  WEFT_ASSERT(legal(c.state, to), "illegal connection state transition");
  by_state_[index(c.state)].erase(c.id);
  by_state_[index(to)].insert(c.id);
  if (to == ConnectionState::closed && c.direction == Direction::inbound) --inbound_open_;
  c.state = to;
  // (set by the callers that know the time: see resolve_simultaneous_dial)
}

ConnectionTable::Connection& ConnectionTable::add_connection(const PeerId& peer, Direction direction,
                                                             ConnectionState state, TimePoint now) {
  const ConnectionId id = next_connection_id_++;
  Connection& c = connections_.try_emplace(id, id, peer, direction, state, now, config_.health).first->second;
  by_state_[index(state)].insert(id);
  entry(peer).connections.push_back(id);
  return c;
}

void ConnectionTable::erase_connection(ConnectionId id) {
  const auto it = connections_.find(id);
  if (it == connections_.end()) return;
  by_state_[index(it->second.state)].erase(id);
  if (const auto pit = peers_.find(it->second.peer); pit != peers_.end()) std::erase(pit->second.connections, id);
  connections_.erase(it);
}

void ConnectionTable::close_connection(Connection& c, Error reason, bool graceful) {
  transition(c, ConnectionState::closed);
  ++counters_.connections_closed;
  emit(TableEvent::Kind::disconnected, c, reason);
  actions_.emplace_back(CloseAction{c.id, std::move(reason), graceful});
}

void ConnectionTable::maybe_forget_peer(const PeerId& peer, TimePoint now) {
  const auto it = peers_.find(peer);
  if (it == peers_.end()) return;
  const PeerEntry& e = it->second;
  if (!e.connections.empty() || !e.waiters.empty() || e.retry_at) return;
  const bool never_failed = e.breaker.state() == CircuitState::closed && e.breaker.consecutive_failures() == 0 &&
                            !e.backoff.failed_since_reset();
  // A failure is remembered (backoff, breaker) for failed_peer_memory_ms, and at least
  // until the backoff and an open breaker have run out.
  const bool failure_forgotten = now - e.last_failure >= config_.failed_peer_memory_ms && e.backoff.ready(now) &&
                                 e.breaker.state() != CircuitState::open;
  if (never_failed || failure_forgotten) peers_.erase(it);
}

std::size_t ConnectionTable::total_open() const {
  return connections_.size() - by_state_[index(ConnectionState::closed)].size();
}

ConnectionTable::Connection* ConnectionTable::least_loaded(const PeerEntry& e) {
  Connection* best = nullptr;
  for (ConnectionId id : e.connections) {
    Connection& c = connections_.at(id);
    if (c.state != ConnectionState::ready || !c.health.usable() || c.leases >= config_.max_streams_per_connection) {
      continue;
    }
    if (best == nullptr || c.leases < best->leases || (c.leases == best->leases && c.id < best->id)) best = &c;
  }
  return best;
}

std::size_t ConnectionTable::open_connections(const PeerEntry& e) const {
  return static_cast<std::size_t>(std::count_if(e.connections.begin(), e.connections.end(), [this](ConnectionId id) {
    return connections_.at(id).state != ConnectionState::closed;
  }));
}

bool ConnectionTable::dial_running(const PeerEntry& e) const {
  return std::any_of(e.connections.begin(), e.connections.end(),
                     [this](ConnectionId id) { return connections_.at(id).state == ConnectionState::connecting; });
}

bool ConnectionTable::may_dial(const PeerEntry& e) const {
  return !shut_down_ && open_connections(e) < config_.max_connections_per_peer &&
         total_open() < config_.max_total_connections;
}

void ConnectionTable::grant(AcquireId id, Connection& c, TimePoint now, util::SourceLocation where) {
  const LeaseId lease = next_lease_id_++;
  ++c.leases;
  if (c.leases >= config_.max_streams_per_connection) transition(c, ConnectionState::busy);
  if (auto node = lease_nodes_.take(); !node.empty()) {
    node.key() = lease;
    node.mapped() = LeaseInfo{c.id};
    leases_.insert(std::move(node));  // lease ids are unique: always inserted
  } else {
    leases_.emplace(lease, LeaseInfo{c.id});
  }
  lease_tracker_.on_acquire(lease, c.peer, now, where);
  usage_.on_use(c.peer, now);
  c.health.on_use(now);
  ++counters_.acquired;
  actions_.emplace_back(GrantAction{id, lease, c.id});
}

void ConnectionTable::serve_waiters(const PeerId& peer, TimePoint now) {
  const auto it = peers_.find(peer);
  if (it == peers_.end()) return;
  PeerEntry& e = it->second;
  while (!e.waiters.empty()) {
    Connection* c = least_loaded(e);
    if (c == nullptr) break;
    const Waiter w = e.waiters.front();
    e.waiters.pop_front();
    waiting_.erase(w.id);
    if (c->established_at < w.enqueued_at) ++counters_.connections_reused;
    grant(w.id, *c, now, w.where);
  }
  if (e.waiters.empty()) {
    slot_waiters_.erase(peer);
    return;
  }
  // Still waiting and no connection can take a lease: dial if nothing is under way.
  if (dial_running(e) || e.retry_at || !may_dial(e)) return;
  if (!e.backoff.ready(now)) {  // backing off: the retry dials (waiters past it expire)
    schedule_retry(e, e.backoff.ready_at(now), false);
    return;
  }
  const CircuitCheck check = e.breaker.check(now);
  if (!check.admitted()) {
    fail_waiters(e, Error(Errc::circuit_open, fmt::format("{}: retry in {} ms", peer.to_string(),
                                                          check.retry_after.count())));
    return;
  }
  e.dial_is_trial = check.verdict == CircuitCheck::Verdict::trial;
  slot_waiters_.erase(peer);
  start_dial(peer, now);
}

void ConnectionTable::start_dial(const PeerId& peer, TimePoint now) {
  PeerEntry& e = entry(peer);
  if (e.addresses.empty()) {
    if (e.dial_is_trial) e.breaker.on_cancelled();
    e.dial_is_trial = false;
    fail_waiters(e, Error(Errc::dial_failed, peer.to_string() + ": no known address"));
    return;
  }
  Connection& c = add_connection(peer, Direction::outbound, ConnectionState::connecting, now);
  actions_.emplace_back(DialAction{c.id, peer, e.addresses});
}

void ConnectionTable::fail_waiters(PeerEntry& e, const Error& reason) {
  e.waiters.for_each([&](const Waiter& w) {
    waiting_.erase(w.id);
    actions_.emplace_back(FailAction{w.id, reason});
  });
  e.waiters.clear();
}

void ConnectionTable::serve_slot_waiters(TimePoint now) {
  const std::vector<PeerId> peers(slot_waiters_.begin(), slot_waiters_.end());
  for (const PeerId& peer : peers) {
    if (total_open() >= config_.max_total_connections) return;
    serve_waiters(peer, now);
  }
}

void ConnectionTable::on_dial_failed(Connection& c, const Error& error, TimePoint now) {
  const PeerId peer = c.peer;
  transition(c, ConnectionState::closed);
  erase_connection(c.id);
  ++counters_.connections_failed;
  PeerEntry& e = peers_.at(peer);
  e.dial_is_trial = false;
  e.last_failure = now;
  if (e.breaker.on_failure(now) == CircuitTransition::opened) {
    emit_peer(TableEvent::Kind::circuit_opened, peer, error);
    e.retry_at.reset();
    fail_waiters(e, Error(Errc::circuit_open, fmt::format("{}: opened after {} failed dials; last: {}",
                                                          peer.to_string(), config_.circuit.circuit_failure_threshold,
                                                          error.message())));
  } else {
    const std::optional<TimePoint> retry = e.backoff.on_failure(now);
    const bool wanted = !e.waiters.empty() || keep_alive_peers(now).count(peer) > 0;
    TimePoint last_deadline = now;
    e.waiters.for_each([&](const Waiter& w) { last_deadline = std::max(last_deadline, w.deadline); });
    e.retry_is_keep_alive = false;
    if (retry && wanted && (e.waiters.empty() || *retry < last_deadline) && !shut_down_) {
      schedule_retry(e, *retry, false);
    } else {
      e.retry_at.reset();
      fail_waiters(e, error);
    }
  }
  serve_slot_waiters(now);
  maybe_forget_peer(peer, now);
}

void ConnectionTable::add_waiter(PeerEntry& e, const PeerId& peer, const Waiter& waiter) {
  e.waiters.push_back(waiter);
  waiting_.emplace(waiter.id, peer);
  push_wakeup(waiter.deadline);
}

void ConnectionTable::schedule_retry(PeerEntry& e, TimePoint at, bool keep_alive) {
  e.retry_at = at;
  e.retry_is_keep_alive = keep_alive;
  push_wakeup(at);
}

void ConnectionTable::push_wakeup(TimePoint at) {
  wakeups_.push(at);
  // Stale entries (granted or cancelled waiters, reset retries) stay until they pass: when
  // they outnumber the live ones, rebuild from the live ones so the queue stays bounded.
  if (wakeups_.size() <= 64 + 4 * (waiting_.size() + peers_.size())) return;
  std::vector<TimePoint> live;
  for (const auto& [peer, e] : peers_) {
    if (e.retry_at) live.push_back(*e.retry_at);
    e.waiters.for_each([&](const Waiter& w) { live.push_back(w.deadline); });
  }
  wakeups_ = decltype(wakeups_)(std::greater<>(), std::move(live));
}

void ConnectionTable::dial_due_retry(const PeerId& peer, TimePoint now) {
  PeerEntry& e = peers_.at(peer);
  e.retry_at.reset();
  e.retry_is_keep_alive = false;
  if (shut_down_ || dial_running(e)) return;
  const bool wanted = !e.waiters.empty() || keep_alive_peers(now).count(peer) > 0;
  if (!wanted || !may_dial(e)) return;
  const CircuitCheck check = e.breaker.check(now);
  if (!check.admitted()) {
    fail_waiters(e, Error(Errc::circuit_open,
                          fmt::format("{}: retry in {} ms", peer.to_string(), check.retry_after.count())));
    return;
  }
  e.dial_is_trial = check.verdict == CircuitCheck::Verdict::trial;
  start_dial(peer, now);
}

bool ConnectionTable::inbound_wins_simultaneous_dial(const PeerEntry& e, const PeerId& peer, TimePoint now) const {
  if (!(peer < local_)) return false;  // the rule keeps the dial of the smaller PeerId: ours
  return std::any_of(e.connections.begin(), e.connections.end(), [&](ConnectionId id) {
    const Connection& c = connections_.at(id);
    if (c.direction != Direction::outbound) return false;
    if (c.state == ConnectionState::connecting) return true;
    const bool usable = c.state == ConnectionState::ready || c.state == ConnectionState::busy;
    return usable && now - c.established_at <= config_.simultaneous_dial_window_ms;
  });
}

Error ConnectionTable::backoff_error(const PeerEntry& e, const PeerId& peer, TimePoint now) const {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(e.backoff.ready_at(now) - now);
  return Error(Errc::dial_failed,
               fmt::format("{}: backing off after failed dials{}; next dial in {} ms (reset_backoff clears it)",
                           peer.to_string(),
                           e.backoff.series_ended()
                               ? fmt::format(" (retries exhausted: max_retry_attempts {})",
                                             config_.backoff.max_retry_attempts)
                               : std::string(),
                           left.count()));
}

void ConnectionTable::resolve_simultaneous_dial(Connection& fresh, TimePoint now) {
  PeerEntry& e = peers_.at(fresh.peer);
  for (ConnectionId id : e.connections) {
    Connection& other = connections_.at(id);
    if (other.id == fresh.id || other.direction == fresh.direction) continue;
    if (other.state != ConnectionState::ready && other.state != ConnectionState::busy) continue;
    const auto apart = fresh.established_at > other.established_at ? fresh.established_at - other.established_at
                                                                    : other.established_at - fresh.established_at;
    if (apart > config_.simultaneous_dial_window_ms) continue;
    // Both sides apply the same rule to the same pair: keep the connection dialed by the
    // smaller PeerId (ours is the outbound one). The loser takes no new leases at once, but
    // is closed only once the window has passed without leases: by then the peer has made
    // the same decision and opens no more streams on it, so none is refused in flight.
    const bool keep_ours = local_ < fresh.peer;
    Connection& loser = (fresh.direction == Direction::outbound) == keep_ours ? other : fresh;
    transition(loser, ConnectionState::draining);
    loser.draining_since = now;
    return;
  }
}

Error ConnectionTable::limit_error(const PeerEntry& e, const PeerId& peer, WaitReason reason) const {
  switch (reason) {
    case WaitReason::streams:
      return Error(Errc::pool_exhausted,
                   fmt::format("{}: {} connections with {} leased streams each (max_connections_per_peer, "
                               "max_streams_per_connection)",
                               peer.to_string(), open_connections(e), config_.max_streams_per_connection));
    case WaitReason::total:
      return Error(Errc::pool_exhausted, fmt::format("{} connections open (max_total_connections)", total_open()));
    case WaitReason::dial:
      break;
  }
  return Error(Errc::connect_timeout,
               fmt::format("{}: no connection within acquire_timeout_ms ({} ms)", peer.to_string(),
                           config_.acquire_timeout_ms.count()));
}

void ConnectionTable::emit(TableEvent::Kind kind, const Connection& c, Error reason) {
  events_.push_back(TableEvent{kind, c.peer, c.id, c.direction, std::move(reason), std::nullopt});
}

void ConnectionTable::emit_peer(TableEvent::Kind kind, const PeerId& peer, Error reason) {
  events_.push_back(TableEvent{kind, peer, 0, Direction::outbound, std::move(reason), std::nullopt});
}

}  // namespace weft::conn
