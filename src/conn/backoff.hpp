#pragma once
// Exponential backoff with full jitter (sans-IO; randomness injected).
//
// Retry n (1-based) waits a delay drawn uniformly from [floor, ceiling(n)], where
//   ceiling(n) = min(max_backoff_ms, initial_backoff_ms * backoff_multiplier^(n-1))
//   floor      = min(min_backoff_ms, max_backoff_ms)
// and the floor wins when it is above ceiling(n). This is "full jitter" as in the AWS
// Architecture Blog's "Exponential Backoff and Jitter" (which found it spreads competing
// retriers best for the least total work), with the lower bound go-libp2p's
// discovery/backoff FullJitter adds, so that a retry is never immediate. Jitter matters
// here: when a popular peer restarts, every node that lost it would otherwise redial it in
// lock step.
//
// After max_retry_attempts delays, next_delay() returns nullopt until reset().

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>

namespace weft::conn {

/// Returns a value uniformly distributed in [0, 1). Values outside are clamped into [0, 1].
/// Production passes one backed by a seeded engine; tests pass a fixed-seed one.
using UnitRandom = std::function<double()>;

struct BackoffConfig {
  /// Retries allowed after the first failure; next_delay() gives this many delays.
  std::uint32_t max_retry_attempts = 3;
  /// Ceiling of the first retry's delay.
  std::chrono::milliseconds initial_backoff_ms{1000};
  /// Growth of the ceiling per retry (values below 1 act as 1).
  double backoff_multiplier = 2.0;
  /// No delay exceeds this.
  std::chrono::milliseconds max_backoff_ms{60'000};
  /// No delay is below this (unless max_backoff_ms is lower): no immediate redial.
  std::chrono::milliseconds min_backoff_ms{100};
};

class Backoff {
 public:
  Backoff(BackoffConfig config, UnitRandom random);

  /// The delay before the next retry, counting it as an attempt; nullopt once
  /// max_retry_attempts delays have been given (the attempt count then stays put).
  std::optional<std::chrono::milliseconds> next_delay();

  /// A jittered delay in [floor(), ceiling(attempt)], without counting an attempt.
  std::chrono::milliseconds delay_for(std::uint32_t attempt);

  /// Forgets every attempt: the next delay is the first one again.
  void reset() noexcept { attempts_ = 0; }

  /// Delays given since construction or the last reset().
  std::uint32_t attempts() const noexcept { return attempts_; }

  /// The jitter range of retry `attempt` (1-based): [floor(), ceiling(attempt)].
  std::chrono::milliseconds ceiling(std::uint32_t attempt) const;
  std::chrono::milliseconds floor() const;

  const BackoffConfig& config() const noexcept { return config_; }

 private:
  BackoffConfig config_;
  UnitRandom random_;
  std::uint32_t attempts_ = 0;
};

}  // namespace weft::conn
