#include "conn/health_score.hpp"

#include <algorithm>
#include <cmath>

namespace weft::conn {
namespace {

// Seed 003's step values for age, idleness and use.
constexpr double kStepBest = 1.0;
constexpr double kStepGood = 0.8;
constexpr double kStepAgeIdleWorst = 0.5;
constexpr double kStepUseWorst = 0.6;

// `dt` as a count of `half_life`s; 0 for a non-positive half-life (no decay).
double half_lives(TimePoint::duration dt, std::chrono::milliseconds half_life) {
  if (half_life.count() <= 0 || dt.count() <= 0) return 0.0;
  return FractionalMs(dt).count() / static_cast<double>(half_life.count());
}

}  // namespace

HealthScore::HealthScore(TimePoint created_at, HealthScoreConfig config)
    : config_(config), created_at_(created_at), last_used_(created_at), failures_at_(created_at) {
  config_.health_recover_threshold = std::max(config_.health_recover_threshold, config_.health_threshold);
  config_.max_missed_keepalives = std::max<std::uint32_t>(config_.max_missed_keepalives, 1);
}

void HealthScore::on_ping_rtt(FractionalMs rtt) {
  missed_keepalives_ = 0;
  if (!smoothed_rtt_) {
    smoothed_rtt_ = rtt;
  } else {
    *smoothed_rtt_ += config_.rtt_ewma_alpha * (rtt - *smoothed_rtt_);
  }
}

std::optional<HealthTransition> HealthScore::on_ping_missed(TimePoint now) {
  add_failure(now);
  if (dead_) return std::nullopt;
  if (++missed_keepalives_ < config_.max_missed_keepalives) return std::nullopt;
  dead_ = true;
  return HealthTransition::died;
}

void HealthScore::on_failure(TimePoint now) { add_failure(now); }

void HealthScore::on_use(TimePoint now) {
  ++uses_;
  last_used_ = std::max(last_used_, now);
}

std::optional<HealthTransition> HealthScore::evaluate(TimePoint now) {
  if (dead_) return std::nullopt;
  const double s = score(now);
  if (!degraded_ && s < config_.health_threshold) {
    degraded_ = true;
    return HealthTransition::degraded;
  }
  if (degraded_ && s >= config_.health_recover_threshold) {
    degraded_ = false;
    return HealthTransition::recovered;
  }
  return std::nullopt;
}

double HealthScore::decayed_failures(TimePoint now) const {
  return failures_ * std::exp2(-half_lives(now - failures_at_, config_.failure_half_life_ms));
}

HealthFactors HealthScore::factors(TimePoint now) const {
  HealthFactors f;
  if (config_.failures_for_zero_score > 0.0) {
    f.failure = std::max(0.0, 1.0 - decayed_failures(now) / config_.failures_for_zero_score);
  } else {
    f.failure = failures_ > 0.0 ? 0.0 : 1.0;
  }

  if (smoothed_rtt_) {
    const double rtt = smoothed_rtt_->count();
    const auto full = static_cast<double>(config_.rtt_full_score_ms.count());
    const auto zero = static_cast<double>(config_.rtt_zero_score_ms.count());
    if (rtt <= full) {
      f.rtt = 1.0;
    } else if (rtt >= zero) {
      f.rtt = 0.0;
    } else {
      f.rtt = 1.0 - (rtt - full) / (zero - full);
    }
  }

  const TimePoint::duration age = now - created_at_;
  f.age = age < config_.age_fresh_ms ? kStepBest : age < config_.age_old_ms ? kStepGood : kStepAgeIdleWorst;

  const TimePoint::duration idle = now - last_used_;
  f.idle = idle < config_.idle_recent_ms ? kStepBest : idle < config_.idle_stale_ms ? kStepGood : kStepAgeIdleWorst;

  f.use = uses_ > config_.uses_many ? kStepBest : uses_ > config_.uses_some ? kStepGood : kStepUseWorst;
  return f;
}

double HealthScore::score(TimePoint now) const {
  const HealthFactors f = factors(now);
  const double total = config_.failure_weight + config_.rtt_weight + config_.age_weight + config_.idle_weight +
                       config_.use_weight;
  if (total <= 0.0) return 1.0;
  const double sum = config_.failure_weight * f.failure + config_.rtt_weight * f.rtt + config_.age_weight * f.age +
                     config_.idle_weight * f.idle + config_.use_weight * f.use;
  return std::clamp(sum / total, 0.0, 1.0);
}

void HealthScore::add_failure(TimePoint now) {
  // Fold the decay so far into the count, then add the new failure at `now`.
  if (now > failures_at_) {
    failures_ = decayed_failures(now);
    failures_at_ = now;
  }
  failures_ += 1.0;
}

}  // namespace weft::conn
