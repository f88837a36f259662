#pragma once
// "May I dial this peer now?" for one peer: a Backoff plus the instant before which the
// next retry must not start (sans-IO; the caller passes `now`).
//
// A peer that never failed, or whose backoff was reset, is ready at once. Each failure
// schedules the next retry at now + a jittered delay. When the retries are used up the peer
// is exhausted: not ready until reset() (a success, or reset_backoff(peer) from the user).

#include "conn/backoff.hpp"
#include "conn/pool_time.hpp"

#include <cstdint>
#include <optional>

namespace weft::conn {

class PeerBackoff {
 public:
  PeerBackoff(BackoffConfig config, UnitRandom random);

  /// A dial to the peer failed at `now`. Returns when the next retry may start, or nullopt
  /// when max_retry_attempts retries have already been scheduled (the peer is exhausted).
  std::optional<TimePoint> on_failure(TimePoint now);

  /// A dial succeeded: same as reset().
  void on_success() noexcept { reset(); }

  /// Forgets the failures: ready at once, with the full retry budget.
  void reset() noexcept;

  /// True when a dial may start at `now` (from the scheduled instant inclusive).
  bool ready(TimePoint now) const noexcept;

  /// The earliest instant at or after `now` when a dial may start: `now` itself when
  /// ready, the scheduled instant while waiting, nullopt when exhausted.
  std::optional<TimePoint> ready_at(TimePoint now) const noexcept;

  bool exhausted() const noexcept { return exhausted_; }
  /// Retries scheduled since the last reset.
  std::uint32_t attempts() const noexcept { return backoff_.attempts(); }

 private:
  Backoff backoff_;
  std::optional<TimePoint> not_before_;  ///< set while a retry is scheduled
  bool exhausted_ = false;
};

}  // namespace weft::conn
