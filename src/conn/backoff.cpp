#include "conn/backoff.hpp"

#include <algorithm>
#include <cmath>
#include <utility>

namespace weft::conn {

Backoff::Backoff(BackoffConfig config, UnitRandom random) : config_(config), random_(std::move(random)) {
  config_.backoff_multiplier = std::max(config_.backoff_multiplier, 1.0);
  config_.initial_backoff_ms = std::max(config_.initial_backoff_ms, std::chrono::milliseconds(0));
  config_.max_backoff_ms = std::max(config_.max_backoff_ms, std::chrono::milliseconds(0));
  config_.min_backoff_ms = std::max(config_.min_backoff_ms, std::chrono::milliseconds(0));
}

std::optional<std::chrono::milliseconds> Backoff::next_delay() {
  if (attempts_ >= config_.max_retry_attempts) return std::nullopt;
  ++attempts_;
  return delay_for(attempts_);
}

std::chrono::milliseconds Backoff::delay_for(std::uint32_t attempt) {
  const std::chrono::milliseconds low = floor();
  const std::chrono::milliseconds high = ceiling(attempt);
  if (high <= low) return low;
  const double u = std::clamp(random_(), 0.0, 1.0);
  const auto span = static_cast<double>((high - low).count());
  const auto offset = static_cast<std::chrono::milliseconds::rep>(u * span);
  return std::min(high, low + std::chrono::milliseconds(offset));
}

std::chrono::milliseconds Backoff::ceiling(std::uint32_t attempt) const {
  const double cap = static_cast<double>(config_.max_backoff_ms.count());
  const double exponent = attempt == 0 ? 0.0 : static_cast<double>(attempt - 1);
  // Computed in double and capped before converting: the product may overflow to inf.
  const double grown = static_cast<double>(config_.initial_backoff_ms.count()) *
                       std::pow(config_.backoff_multiplier, exponent);
  return std::chrono::milliseconds(static_cast<std::chrono::milliseconds::rep>(std::min(grown, cap)));
}

std::chrono::milliseconds Backoff::floor() const {
  return std::min(config_.min_backoff_ms, config_.max_backoff_ms);
}

}  // namespace weft::conn
