#include "conn/connection_table.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>

namespace weft::conn {
ConnectionTable::ConnectionTable(PeerId local, ConnectionTableConfig config, UnitRandom random)
    : local_(std::move(local)), config_(std::move(config)), random_(std::move(random)), usage_(config_.usage) {}

void ConnectionTable::start(TimePoint now) {
  if (started_) return;
  started_ = true;
  next_cleanup_ = now + config_.cleanup_interval_ms;
  next_health_check_ = now + config_.health_check_interval_ms;
  for (const auto& warm : config_.warmup_peers) {
    if (warm.peer == local_) continue;
    PeerEntry& e = entry(warm.peer);
    e.addresses = warm.addresses;
    if (!dial_running(e) && open_connections(e) == 0 && may_dial(e)) start_dial(warm.peer, now);
  }
}

// --- requests ----------------------------------------------------------------------

AcquireId ConnectionTable::acquire(const PeerId& peer, std::vector<Multiaddr> addresses, TimePoint now,
                                   util::SourceLocation where) {
  const AcquireId id = next_acquire_id_++;
  if (shut_down_) {
    actions_.emplace_back(FailAction{id, Error(Errc::pool_closed)});
    return id;
  }
  if (peer == local_) {
    actions_.emplace_back(FailAction{id, Error(Errc::handshake_self_dial, "acquire for our own PeerId")});
    return id;
  }
  PeerEntry& e = entry(peer);
  if (!addresses.empty()) e.addresses = std::move(addresses);
  if (e.retry_is_keep_alive) {  // a pending keep-alive redial must not delay a caller
    e.retry_at.reset();
    e.retry_is_keep_alive = false;
  }

  if (Connection* c = least_loaded(e); c != nullptr && c->leases < config_.streams_before_new_connection) {
    ++counters_.connections_reused;
    grant(id, *c, now, where);
    return id;
  }
  // Every usable connection carries streams_before_new_connection leases or more (or
  // there is none): scale out if allowed, else use the least loaded one if it has room.
  const bool dial_wanted = !dial_running(e) && may_dial(e) && !e.retry_at && e.backoff.ready(now);
  if (Connection* c = least_loaded(e); c != nullptr) {
    ++counters_.connections_reused;
    grant(id, *c, now, where);
    if (dial_wanted) {
      const CircuitCheck check = e.breaker.check(now);
      if (check.admitted()) {
        e.dial_is_trial = check.verdict == CircuitCheck::Verdict::trial;
        start_dial(peer, now);
      }
    }
    return id;
  }

  // No connection can take a lease: this acquire waits (for a dial or a released stream),
  // or fails at once when waiting cannot help.
  const auto fail_now = [&](Error reason) {
    actions_.emplace_back(FailAction{id, std::move(reason)});
    maybe_forget_peer(peer, now);
    return id;
  };
  if (waiting_.size() >= config_.max_waiting_acquirers) {
    Error reason(Errc::pool_exhausted, fmt::format("{} acquires already waiting (max_waiting_acquirers)",
                                                  waiting_.size()));
    emit_peer(TableEvent::Kind::pool_exhausted, peer, reason);
    return fail_now(std::move(reason));
  }
  const Waiter waiter{id, now, now + config_.acquire_timeout_ms, where, WaitReason::dial};
  if (dial_running(e) || e.retry_at) {  // a dial is under way or scheduled: wait for it
    add_waiter(e, peer, waiter);
    return id;
  }
  const CircuitCheck check = e.breaker.check(now);
  if (!check.admitted()) {
    return fail_now(
        Error(Errc::circuit_open, fmt::format("{}: retry in {} ms", peer.to_string(), check.retry_after.count())));
  }
  const bool trial = check.verdict == CircuitCheck::Verdict::trial;
  if (!e.backoff.ready(now)) {
    if (trial) e.breaker.on_cancelled();
    // Backing off: wait for the retry if it comes before this acquire's deadline.
    if (e.backoff.ready_at(now) > waiter.deadline) return fail_now(backoff_error(e, peer, now));
    schedule_retry(e, e.backoff.ready_at(now), false);
    add_waiter(e, peer, waiter);
    return id;
  }
  if (may_dial(e)) {
    add_waiter(e, peer, waiter);
    e.dial_is_trial = trial;
    start_dial(peer, now);  // may fail the waiter at once (no known address)
    return id;
  }
  if (trial) e.breaker.on_cancelled();
  const WaitReason reason =
      open_connections(e) >= config_.max_connections_per_peer ? WaitReason::streams : WaitReason::total;
  if (reason == WaitReason::total) slot_waiters_.insert(peer);
  emit_peer(TableEvent::Kind::pool_exhausted, peer, limit_error(e, peer, reason));
  add_waiter(e, peer, Waiter{id, now, waiter.deadline, where, reason});
  return id;
}

void ConnectionTable::cancel(AcquireId acquire, TimePoint now) {
  const auto it = waiting_.find(acquire);
  if (it == waiting_.end()) return;
  PeerEntry& e = peers_.at(it->second);
  e.waiters.erase_if([acquire](const Waiter& w) { return w.id == acquire; });
  const PeerId peer = it->second;
  waiting_.erase(it);
  if (e.waiters.empty()) slot_waiters_.erase(peer);
  maybe_forget_peer(peer, now);
}

void ConnectionTable::release(LeaseId lease, LeaseOutcome outcome, TimePoint now) {
  const auto it = leases_.find(lease);
  if (it == leases_.end()) return;
  const ConnectionId id = it->second.connection;
  lease_nodes_.erase(leases_, it);
  lease_tracker_.on_release(lease);
  const auto cit = connections_.find(id);
  if (cit == connections_.end()) return;  // the connection is gone already
  Connection& c = cit->second;
  --c.leases;
  c.last_released = now;
  if (outcome.failed) c.health.on_failure(now);
  if (c.state == ConnectionState::busy) transition(c, ConnectionState::ready);
  if (c.state == ConnectionState::draining && c.leases == 0 &&
      (shut_down_ || now - c.draining_since >= config_.simultaneous_dial_window_ms)) {
    close_connection(c, Error(Errc::channel_closed, "drained"));
    return;
  }
  // Nothing waits anywhere (the usual case on a warm pool): serving would find the peer's
  // entry only to do nothing.
  if (waiting_.empty() && slot_waiters_.empty()) return;
  serve_waiters(c.peer, now);  // (serving never erases a connection: c.peer stays valid)
}

void ConnectionTable::pin(LeaseId lease, bool pinned) { lease_tracker_.set_pinned(lease, pinned); }

void ConnectionTable::reset_backoff(const PeerId& peer, TimePoint now) {
  const auto it = peers_.find(peer);
  if (it == peers_.end()) return;
  PeerEntry& e = it->second;
  e.backoff.reset();
  const bool keep_alive_redial = e.retry_is_keep_alive;
  e.retry_at.reset();
  e.retry_is_keep_alive = false;
  if (keep_alive_redial && !shut_down_) schedule_retry(e, now, false);  // still wanted: dial at the next tick
  serve_waiters(peer, now);
  maybe_forget_peer(peer, now);
}

void ConnectionTable::shutdown(TimePoint now) {
  if (shut_down_) return;
  shut_down_ = true;
  for (auto& [peer, e] : peers_) fail_waiters(e, Error(Errc::pool_closed));
  slot_waiters_.clear();
  std::vector<ConnectionId> ids;
  for (const auto& [id, c] : connections_) ids.push_back(id);
  std::sort(ids.begin(), ids.end());
  for (ConnectionId id : ids) {
    Connection& c = connections_.at(id);
    if (c.state == ConnectionState::closed) continue;
    if (c.state == ConnectionState::connecting) {
      // The dial's result is still reported; it is closed then.
      continue;
    }
    if (c.leases > 0) {
      if (c.state != ConnectionState::draining) transition(c, ConnectionState::draining);
      c.draining_since = now;
    } else {
      close_connection(c, Error(Errc::pool_closed));
    }
  }
}

bool ConnectionTable::close(ConnectionId connection, Error reason, TimePoint now) {
  const auto it = connections_.find(connection);
  if (it == connections_.end()) return false;
  Connection& c = it->second;
  if (c.state == ConnectionState::closed || c.state == ConnectionState::connecting) return false;
  const PeerId peer = c.peer;
  close_connection(c, std::move(reason));
  serve_waiters(peer, now);  // its waiters may dial a replacement now that a slot is free
  return true;
}

void ConnectionTable::set_retained(const PeerId& peer, bool retained) {
  if (retained) {
    retained_.insert(peer);
  } else {
    retained_.erase(peer);
  }
}

// --- driver reports ------------------------------------------------------------------

void ConnectionTable::handle_dial_result(ConnectionId connection, const Result<void>& result, TimePoint now) {
  const auto it = connections_.find(connection);
  if (it == connections_.end() || it->second.state != ConnectionState::connecting) return;
  Connection& c = it->second;
  PeerEntry& e = peers_.at(c.peer);
  const bool trial = e.dial_is_trial;
  e.dial_is_trial = false;
  if (!result) {
    on_dial_failed(c, result.error(), now);
    return;
  }
  (void)trial;
  ++counters_.connections_created;
  counters_.connect_time_total += std::chrono::duration_cast<std::chrono::microseconds>(now - c.dial_started);
  ++counters_.connect_time_samples;
  e.backoff.on_success();
  e.retry_at.reset();
  if (e.breaker.on_success() == CircuitTransition::closed) emit_peer(TableEvent::Kind::circuit_closed, c.peer);
  c.established_at = now;
  c.last_released = now;
  c.health = HealthScore(now, config_.health);
  transition(c, ConnectionState::ready);
  emit(TableEvent::Kind::connected, c);
  if (shut_down_) {
    close_connection(c, Error(Errc::pool_closed));
    return;
  }
  resolve_simultaneous_dial(c, now);
  serve_waiters(c.peer, now);
}

Result<ConnectionId> ConnectionTable::handle_inbound(const PeerId& peer, TimePoint now) {
  if (shut_down_) return Error(Errc::pool_closed);
  if (inbound_open_ >= config_.max_inbound_connections) {
    Error reason(Errc::pool_exhausted, fmt::format("{} inbound connections (max_inbound_connections)", inbound_open_));
    emit_peer(TableEvent::Kind::pool_exhausted, peer, reason);
    return reason;
  }
  const std::size_t total = total_open();
  if (total >= config_.max_total_connections) {
    Error reason(Errc::pool_exhausted, fmt::format("{} connections (max_total_connections)", total));
    emit_peer(TableEvent::Kind::pool_exhausted, peer, reason);
    return reason;
  }
  PeerEntry& e = entry(peer);
  if (open_connections(e) >= config_.max_connections_per_peer && !inbound_wins_simultaneous_dial(e, peer, now)) {
    Error reason(Errc::pool_exhausted,
                 fmt::format("{} already has {} connections (max_connections_per_peer)", peer.to_string(),
                             open_connections(e)));
    emit_peer(TableEvent::Kind::pool_exhausted, peer, reason);
    maybe_forget_peer(peer, now);
    return reason;
  }
  Connection& c = add_connection(peer, Direction::inbound, ConnectionState::ready, now);
  ++counters_.connections_created;
  ++inbound_open_;
  emit(TableEvent::Kind::connected, c);
  const ConnectionId id = c.id;
  resolve_simultaneous_dial(c, now);
  serve_waiters(peer, now);
  return id;
}

void ConnectionTable::handle_closed(ConnectionId connection, const Error& reason, TimePoint now) {
  const auto it = connections_.find(connection);
  if (it == connections_.end()) return;
  Connection& c = it->second;
  if (c.state == ConnectionState::connecting) {
    on_dial_failed(c, reason, now);
    return;
  }
  const PeerId peer = c.peer;
  const bool by_us = c.state == ConnectionState::closed;
  if (!by_us) {
    transition(c, ConnectionState::closed);
    ++counters_.connections_closed;
    emit(TableEvent::Kind::disconnected, c, reason);
  }
  erase_connection(connection);
  if (!by_us && !shut_down_) schedule_keep_alive_redial(peer, now);
  serve_slot_waiters(now);
  serve_waiters(peer, now);
  maybe_forget_peer(peer, now);
}

void ConnectionTable::handle_ping(ConnectionId connection, FractionalMs rtt, TimePoint now) {
  (void)now;
  if (const auto it = connections_.find(connection); it != connections_.end()) it->second.health.on_ping_rtt(rtt);
}

void ConnectionTable::handle_ping_missed(ConnectionId connection, TimePoint now) {
  const auto it = connections_.find(connection);
  if (it == connections_.end()) return;
  Connection& c = it->second;
  if (c.health.on_ping_missed(now) == HealthTransition::died && c.state != ConnectionState::closed &&
      c.state != ConnectionState::connecting) {
    close_connection(c, Error(Errc::mux_keepalive_timeout, "dead: keep-alive pings unanswered"), false);
    schedule_keep_alive_redial(c.peer, now);
  }
}

void ConnectionTable::handle_go_away(ConnectionId connection, TimePoint now) {
  const auto it = connections_.find(connection);
  if (it == connections_.end()) return;
  Connection& c = it->second;
  if (c.state != ConnectionState::ready && c.state != ConnectionState::busy) return;
  if (c.leases == 0) {
    close_connection(c, Error(Errc::mux_session_closed, "the peer sent go-away"));
  } else {
    transition(c, ConnectionState::draining);
    c.draining_since = now - config_.simultaneous_dial_window_ms;  // close as soon as drained
  }
  serve_waiters(c.peer, now);
}

void ConnectionTable::handle_tick(TimePoint now) {
  if (!started_) return;
  while (!wakeups_.empty() && wakeups_.top() <= now) wakeups_.pop();
  expire_waiters(now);
  // Dials whose backoff is over.
  std::vector<PeerId> due;
  for (const auto& [peer, e] : peers_) {
    if (e.retry_at && *e.retry_at <= now) due.push_back(peer);
  }
  for (const auto& peer : due) {
    dial_due_retry(peer, now);
    maybe_forget_peer(peer, now);
  }
  if (now >= next_cleanup_) {
    close_drained(now);
    evict_idle(now);
    report_leaks(now);
    forget_idle_peers(now);
    next_cleanup_ = now + config_.cleanup_interval_ms;
  }
  if (now >= next_health_check_) {
    check_health(now);
    next_health_check_ = now + config_.health_check_interval_ms;
  }
}

// --- outputs -------------------------------------------------------------------------

std::optional<TableAction> ConnectionTable::poll_action() {
  if (action_head_ == actions_.size()) return std::nullopt;
  TableAction a = std::move(actions_[action_head_++]);
  if (action_head_ == actions_.size()) {
    actions_.clear();
    action_head_ = 0;
    // Bounded: a burst (a shutdown, say) does not keep its storage for good.
    if (actions_.capacity() > kKeptActionCapacity) actions_.shrink_to_fit();
  }
  return a;
}

std::optional<TableEvent> ConnectionTable::poll_event() {
  if (events_.empty()) return std::nullopt;
  TableEvent e = std::move(events_.front());
  events_.pop_front();
  return e;
}

std::optional<TimePoint> ConnectionTable::next_deadline() const {
  if (!started_) return std::nullopt;
  TimePoint next = std::min(next_cleanup_, next_health_check_);
  if (!wakeups_.empty()) next = std::min(next, wakeups_.top());
  return next;
}

// --- inspection ----------------------------------------------------------------------

PoolStats ConnectionTable::stats() const {
  PoolStats s = counters_;
  s.connecting = by_state_[index(ConnectionState::connecting)].size();
  s.ready = by_state_[index(ConnectionState::ready)].size();
  s.busy = by_state_[index(ConnectionState::busy)].size();
  s.draining = by_state_[index(ConnectionState::draining)].size();
  s.closed = by_state_[index(ConnectionState::closed)].size();
  s.connections_per_peer.clear();
  s.rtt_total = {};
  s.rtt_samples = 0;
  for (const auto& [id, c] : connections_) {
    if (c.state == ConnectionState::closed) continue;
    ++s.connections_per_peer[c.peer];
    if (const auto rtt = c.health.smoothed_rtt()) {
      s.rtt_total += std::chrono::duration_cast<std::chrono::microseconds>(*rtt);
      ++s.rtt_samples;
    }
  }
  s.leased_streams = leases_.size();
  s.waiting_acquirers = waiting_.size();
  return s;
}

std::optional<ConnectionState> ConnectionTable::state(ConnectionId connection) const {
  const auto it = connections_.find(connection);
  if (it == connections_.end()) return std::nullopt;
  return it->second.state;
}

std::optional<Direction> ConnectionTable::direction(ConnectionId connection) const {
  const auto it = connections_.find(connection);
  if (it == connections_.end()) return std::nullopt;
  return it->second.direction;
}

std::optional<PeerId> ConnectionTable::peer_of(ConnectionId connection) const {
  const auto it = connections_.find(connection);
  if (it == connections_.end()) return std::nullopt;
  return it->second.peer;
}

std::size_t ConnectionTable::leases(ConnectionId connection) const {
  const auto it = connections_.find(connection);
  return it == connections_.end() ? 0 : it->second.leases;
}

std::vector<ConnectionId> ConnectionTable::connections(const PeerId& peer) const {
  const auto it = peers_.find(peer);
  if (it == peers_.end()) return {};
  return it->second.connections;
}

}  // namespace weft::conn
