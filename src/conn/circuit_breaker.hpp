#pragma once
// Per-peer circuit breaker (sans-IO): stops dialing a peer that keeps failing, then lets
// single trial dials through until the peer has proven itself again.
//
//   Closed   --circuit_failure_threshold consecutive failures-->  Open
//   Open     --circuit_open_ms elapsed (seen by check)---------->  HalfOpen
//   HalfOpen --a failure-------------------------------------->  Open (for another circuit_open_ms)
//   HalfOpen --circuit_half_open_successes successes---------->  Closed
//
// While Open every check() is rejected with the time left. In HalfOpen at most one trial is
// outstanding: check() admits one, and rejects every other until that trial reports
// (on_success / on_failure / on_cancelled). A success in Closed resets the consecutive-failure count.
//
// Results are taken as they come: a failure reported while Open is ignored (the breaker is
// already open), and in HalfOpen any reported result is taken as the trial's. The table
// dials a peer at most once at a time, so no stale result from an earlier state can arrive.
// Not thread-safe: one per peer, on the network thread.

#include "conn/pool_time.hpp"

#include <chrono>
#include <cstdint>
#include <optional>

namespace weft::conn {

struct CircuitBreakerConfig {
  /// Consecutive failures in Closed that open the breaker (a value of 0 acts as 1).
  std::uint32_t circuit_failure_threshold = 5;
  /// How long the breaker stays Open before it admits a trial.
  std::chrono::milliseconds circuit_open_ms{30'000};
  /// Trial successes in HalfOpen that close the breaker (a value of 0 acts as 1).
  std::uint32_t circuit_half_open_successes = 3;
};

enum class CircuitState { closed, open, half_open };

/// A state change, reported by the call that caused it, so the table can emit
/// CircuitOpened / CircuitClosed. half_opened has no public event; it is reported for logs.
enum class CircuitTransition { opened, half_opened, closed };

/// The answer to "may I dial this peer now?".
struct CircuitCheck {
  enum class Verdict {
    allowed,   ///< Closed: dial freely
    trial,     ///< HalfOpen: this caller is the one trial; it must report its result
    rejected,  ///< Open, or HalfOpen with a trial outstanding
  };
  Verdict verdict = Verdict::allowed;
  /// For rejected while Open: time until the breaker admits a trial (> 0). Zero otherwise,
  /// including rejected in HalfOpen, where the wait ends when the outstanding trial reports.
  std::chrono::milliseconds retry_after{0};
  /// Set when this check moved the breaker from Open to HalfOpen.
  std::optional<CircuitTransition> transition;

  bool admitted() const noexcept { return verdict != Verdict::rejected; }
};

class CircuitBreaker {
 public:
  explicit CircuitBreaker(CircuitBreakerConfig config = {});

  /// Asks to dial at `now`. Moves Open to HalfOpen once circuit_open_ms have passed since
  /// the breaker opened (at exactly that instant included). Every rejection is counted.
  CircuitCheck check(TimePoint now);

  /// An admitted dial (or trial) failed. Returns opened when this failure opens the breaker:
  /// the threshold-th consecutive failure in Closed, or any failure in HalfOpen.
  std::optional<CircuitTransition> on_failure(TimePoint now);

  /// An admitted dial (or trial) succeeded. Returns closed when this is the
  /// circuit_half_open_successes-th trial success in HalfOpen.
  std::optional<CircuitTransition> on_success();

  /// An admitted dial ended without a result (cancelled, the table shutting down). In
  /// HalfOpen this frees the trial slot without counting anything, so the next check() may
  /// admit a new trial; in the other states it does nothing.
  void on_cancelled() noexcept;

  CircuitState state() const noexcept { return state_; }
  /// Failures since the last success while Closed (0 in the other states).
  std::uint32_t consecutive_failures() const noexcept { return consecutive_failures_; }
  /// Trial successes so far in the current HalfOpen period.
  std::uint32_t half_open_successes() const noexcept { return half_open_successes_; }
  /// True in HalfOpen while an admitted trial has not reported.
  bool trial_outstanding() const noexcept { return trial_outstanding_; }
  /// While Open: when check() will admit a trial. nullopt in the other states.
  std::optional<TimePoint> open_until() const noexcept;

  /// Times the breaker entered Open (from Closed or from HalfOpen).
  std::uint64_t times_opened() const noexcept { return times_opened_; }
  /// check() calls answered rejected.
  std::uint64_t rejections() const noexcept { return rejections_; }

 private:
  void open(TimePoint now);

  CircuitBreakerConfig config_;
  CircuitState state_ = CircuitState::closed;
  std::uint32_t consecutive_failures_ = 0;
  std::uint32_t half_open_successes_ = 0;
  bool trial_outstanding_ = false;
  TimePoint opened_at_{};  ///< meaningful only while Open
  std::uint64_t times_opened_ = 0;
  std::uint64_t rejections_ = 0;
};

}  // namespace weft::conn
