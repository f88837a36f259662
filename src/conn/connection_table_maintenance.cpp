// ConnectionTable: the periodic work — expiring waiting acquires, idle eviction that
// spares keep-alive and retained peers, keep-alive redials, health checks and the lease-leak report.

#include "conn/connection_table.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace weft::conn {

std::set<PeerId> ConnectionTable::keep_alive_peers(TimePoint now) const {
  const auto top = usage_.top(config_.keep_alive_count, now);
  return {top.begin(), top.end()};
}

void ConnectionTable::expire_waiters(TimePoint now) {
  for (auto& [peer, e] : peers_) {
    while (!e.waiters.empty() && e.waiters.front().deadline <= now) {
      const Waiter w = e.waiters.front();
      e.waiters.pop_front();
      waiting_.erase(w.id);
      ++counters_.acquires_timed_out;
      WaitReason reason = WaitReason::dial;
      if (!dial_running(e) && !e.retry_at) {
        reason = open_connections(e) >= config_.max_connections_per_peer ? WaitReason::streams : WaitReason::total;
      }
      Error error = limit_error(e, peer, reason);
      if (reason != WaitReason::dial) emit_peer(TableEvent::Kind::pool_exhausted, peer, error);
      actions_.emplace_back(FailAction{w.id, std::move(error)});
    }
    if (e.waiters.empty()) slot_waiters_.erase(peer);
  }
}

void ConnectionTable::forget_idle_peers(TimePoint now) {
  std::vector<PeerId> idle;
  for (const auto& [peer, e] : peers_) {
    if (e.connections.empty() && e.waiters.empty() && !e.retry_at) idle.push_back(peer);
  }
  for (const PeerId& peer : idle) maybe_forget_peer(peer, now);
}

void ConnectionTable::evict_idle(TimePoint now) {
  const std::set<PeerId> keep = keep_alive_peers(now);
  // Candidates in id order (oldest first), so that eviction is deterministic.
  const std::vector<ConnectionId> ready(by_state_[index(ConnectionState::ready)].begin(),
                                        by_state_[index(ConnectionState::ready)].end());
  for (ConnectionId id : ready) {
    Connection& c = connections_.at(id);
    if (c.leases > 0 || now - c.last_released < config_.idle_timeout_ms) continue;
    if (keep.count(c.peer) > 0 || retained_.count(c.peer) > 0) {
      const PeerEntry& e = peers_.at(c.peer);
      const auto usable = std::count_if(e.connections.begin(), e.connections.end(), [this](ConnectionId other) {
        const auto s = connections_.at(other).state;
        return s == ConnectionState::ready || s == ConnectionState::busy;
      });
      if (static_cast<std::size_t>(usable) <= config_.min_connections_per_keep_alive_peer) continue;
    }
    close_connection(c, Error(Errc::channel_closed,
                              fmt::format("idle for {} ms (idle_timeout_ms)",
                                          std::chrono::duration_cast<std::chrono::milliseconds>(now - c.last_released)
                                              .count())));
  }
}

void ConnectionTable::close_drained(TimePoint now) {
  const std::vector<ConnectionId> draining(by_state_[index(ConnectionState::draining)].begin(),
                                           by_state_[index(ConnectionState::draining)].end());
  for (ConnectionId id : draining) {
    Connection& c = connections_.at(id);
    if (c.leases > 0 || now - c.draining_since < config_.simultaneous_dial_window_ms) continue;
    close_connection(c, Error(Errc::channel_closed, "simultaneous dial: the other connection is kept"));
  }
}

void ConnectionTable::schedule_keep_alive_redial(const PeerId& peer, TimePoint now) {
  const auto it = peers_.find(peer);
  if (it == peers_.end()) return;
  PeerEntry& e = it->second;
  if (open_connections(e) > 0 || e.retry_at || keep_alive_peers(now).count(peer) == 0) return;
  // A drop is not a failed dial: redial after the shortest backoff; if that dial fails,
  // the usual backoff (and the breaker) take over.
  schedule_retry(e, now + config_.backoff.min_backoff_ms, true);
}

void ConnectionTable::check_health(TimePoint now) {
  std::vector<ConnectionId> ids;
  for (const auto& [id, c] : connections_) {
    if (c.state == ConnectionState::ready || c.state == ConnectionState::busy || c.state == ConnectionState::draining) {
      ids.push_back(id);
    }
  }
  std::sort(ids.begin(), ids.end());
  for (ConnectionId id : ids) {
    Connection& c = connections_.at(id);
    if (const auto change = c.health.evaluate(now)) {
      if (*change == HealthTransition::degraded) {
        emit(TableEvent::Kind::degraded, c,
             Error(Errc::connection_degraded, fmt::format("health score {:.2f}", c.health.score(now))));
      } else if (*change == HealthTransition::recovered) {
        emit(TableEvent::Kind::recovered, c);
        serve_waiters(c.peer, now);  // it may take leases again
      }
    }
    if (c.health.dead() && c.state != ConnectionState::closed) {
      close_connection(c, Error(Errc::mux_keepalive_timeout, "dead: keep-alive pings unanswered"), false);
      schedule_keep_alive_redial(c.peer, now);
    }
  }
}

void ConnectionTable::report_leaks(TimePoint now) {
  for (auto& leak : lease_tracker_.overdue(now, config_.lease_leak_threshold_ms)) {
    const auto it = leases_.find(leak.id);
    const ConnectionId connection = it == leases_.end() ? 0 : it->second.connection;
    PeerId peer = leak.peer;
    events_.push_back(TableEvent{TableEvent::Kind::lease_leaked, std::move(peer), connection, Direction::outbound,
                                 Error(), std::move(leak)});
  }
}

}  // namespace weft::conn
