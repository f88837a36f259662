#include "conn/peer_backoff.hpp"

#include <utility>

namespace weft::conn {

PeerBackoff::PeerBackoff(BackoffConfig config, UnitRandom random) : backoff_(config, std::move(random)) {}

std::optional<TimePoint> PeerBackoff::on_failure(TimePoint now) {
  const std::optional<std::chrono::milliseconds> delay = backoff_.next_delay();
  if (!delay) {
    exhausted_ = true;
    not_before_.reset();
    return std::nullopt;
  }
  not_before_ = now + *delay;
  return not_before_;
}

void PeerBackoff::reset() noexcept {
  backoff_.reset();
  not_before_.reset();
  exhausted_ = false;
}

bool PeerBackoff::ready(TimePoint now) const noexcept {
  if (exhausted_) return false;
  return !not_before_ || now >= *not_before_;
}

std::optional<TimePoint> PeerBackoff::ready_at(TimePoint now) const noexcept {
  if (exhausted_) return std::nullopt;
  if (!not_before_ || now >= *not_before_) return now;
  return not_before_;
}

}  // namespace weft::conn
