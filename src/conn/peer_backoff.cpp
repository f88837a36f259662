#include "conn/peer_backoff.hpp"

#include <utility>

namespace weft::conn {

PeerBackoff::PeerBackoff(BackoffConfig config, UnitRandom random) : backoff_(config, std::move(random)) {}

std::optional<TimePoint> PeerBackoff::on_failure(TimePoint now) {
  if (const std::optional<std::chrono::milliseconds> delay = backoff_.next_delay()) {
    series_ended_ = false;
    not_before_ = now + *delay;
    return not_before_;
  }
  // The series is over: cool down for as long as one more retry would have waited, then
  // start the next series with the full budget.
  series_ended_ = true;
  not_before_ = now + backoff_.delay_for(backoff_.attempts() + 1);
  backoff_.reset();
  return std::nullopt;
}

void PeerBackoff::reset() noexcept {
  backoff_.reset();
  not_before_.reset();
  series_ended_ = false;
}

bool PeerBackoff::ready(TimePoint now) const noexcept { return !not_before_ || now >= *not_before_; }

TimePoint PeerBackoff::ready_at(TimePoint now) const noexcept {
  if (!not_before_ || now >= *not_before_) return now;
  return *not_before_;
}

}  // namespace weft::conn
