#include "conn/circuit_breaker.hpp"

#include <algorithm>

namespace weft::conn {

CircuitBreaker::CircuitBreaker(CircuitBreakerConfig config) : config_(config) {
  config_.circuit_failure_threshold = std::max<std::uint32_t>(config_.circuit_failure_threshold, 1);
  config_.circuit_half_open_successes = std::max<std::uint32_t>(config_.circuit_half_open_successes, 1);
}

CircuitCheck CircuitBreaker::check(TimePoint now) {
  CircuitCheck result;
  switch (state_) {
    case CircuitState::closed:
      return result;
    case CircuitState::open: {
      const TimePoint until = opened_at_ + config_.circuit_open_ms;
      if (now < until) {
        ++rejections_;
        result.verdict = CircuitCheck::Verdict::rejected;
        // Round up so that a caller who waits retry_after is never early.
        result.retry_after = std::chrono::ceil<std::chrono::milliseconds>(until - now);
        return result;
      }
      state_ = CircuitState::half_open;
      half_open_successes_ = 0;
      trial_outstanding_ = true;
      result.verdict = CircuitCheck::Verdict::trial;
      result.transition = CircuitTransition::half_opened;
      return result;
    }
    case CircuitState::half_open:
      if (trial_outstanding_) {
        ++rejections_;
        result.verdict = CircuitCheck::Verdict::rejected;
        return result;
      }
      trial_outstanding_ = true;
      result.verdict = CircuitCheck::Verdict::trial;
      return result;
  }
  return result;
}

std::optional<CircuitTransition> CircuitBreaker::on_failure(TimePoint now) {
  switch (state_) {
    case CircuitState::closed:
      if (++consecutive_failures_ < config_.circuit_failure_threshold) return std::nullopt;
      open(now);
      return CircuitTransition::opened;
    case CircuitState::open:
      return std::nullopt;
    case CircuitState::half_open:
      open(now);
      return CircuitTransition::opened;
  }
  return std::nullopt;
}

std::optional<CircuitTransition> CircuitBreaker::on_success() {
  switch (state_) {
    case CircuitState::closed:
      consecutive_failures_ = 0;
      return std::nullopt;
    case CircuitState::open:
      return std::nullopt;
    case CircuitState::half_open:
      trial_outstanding_ = false;
      if (++half_open_successes_ < config_.circuit_half_open_successes) return std::nullopt;
      state_ = CircuitState::closed;
      half_open_successes_ = 0;
      consecutive_failures_ = 0;
      return CircuitTransition::closed;
  }
  return std::nullopt;
}

void CircuitBreaker::on_cancelled() noexcept {
  if (state_ == CircuitState::half_open) trial_outstanding_ = false;
}

std::optional<TimePoint> CircuitBreaker::open_until() const noexcept {
  if (state_ != CircuitState::open) return std::nullopt;
  return opened_at_ + config_.circuit_open_ms;
}

void CircuitBreaker::open(TimePoint now) {
  state_ = CircuitState::open;
  opened_at_ = now;
  consecutive_failures_ = 0;
  half_open_successes_ = 0;
  trial_outstanding_ = false;
  ++times_opened_;
}

}  // namespace weft::conn
