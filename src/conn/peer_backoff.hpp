#pragma once
// "May I dial this peer now?" for one peer: a Backoff plus the instant before which the
// next retry must not start (sans-IO; the caller passes `now`).
//
// A peer that never failed, or whose backoff was reset, is ready at once. Each failure
// schedules the next retry at now + a jittered delay. A retry series ends when its
// max_retry_attempts retries are used up: the failure that ends it schedules a cool-down
// (the delay the next retry would have had) and gives the next series the full budget, so
// a peer is never shut out for good; the circuit breaker is what stops a peer that keeps
// failing across series. reset() (a success, or reset_backoff(peer)) makes it ready at once.

#include "conn/backoff.hpp"
#include "conn/pool_time.hpp"

#include <cstdint>
#include <optional>

namespace weft::conn {

class PeerBackoff {
 public:
  PeerBackoff(BackoffConfig config, UnitRandom random);

  /// A dial to the peer failed at `now`. Returns when the series' next automatic retry may
  /// start, or nullopt when this failure ends the series (max_retry_attempts retries were
  /// made): then the peer cools down (ready_at() tells until when) and series_ended() is true.
  std::optional<TimePoint> on_failure(TimePoint now);

  /// A dial succeeded: same as reset().
  void on_success() noexcept { reset(); }

  /// Forgets the failures: ready at once, with the full retry budget.
  void reset() noexcept;

  /// True when a dial may start at `now` (from the scheduled instant inclusive).
  bool ready(TimePoint now) const noexcept;

  /// The earliest instant at or after `now` when a dial may start: `now` itself when
  /// ready, else the scheduled retry or the end of the cool-down.
  TimePoint ready_at(TimePoint now) const noexcept;

  /// True from the failure that ended a retry series until reset() or the next failure.
  bool series_ended() const noexcept { return series_ended_; }
  /// Retries scheduled in the current series.
  std::uint32_t attempts() const noexcept { return backoff_.attempts(); }
  /// True when a failure is remembered (a retry or cool-down is or was scheduled).
  bool failed_since_reset() const noexcept { return not_before_.has_value(); }

 private:
  Backoff backoff_;
  std::optional<TimePoint> not_before_;  ///< the last scheduled retry or cool-down end
  bool series_ended_ = false;
};

}  // namespace weft::conn
