#pragma once
// Health of one connection (sans-IO): a score in [0, 1] from five factors, a Degraded /
// Recovered state with hysteresis, and death after too many missed keep-alives.
//
// score = sum(weight_i * factor_i) / sum(weight_i), each factor in [0, 1]. The weights are
// seed 003's (the Iroh pool's perform_health_check), each factor mapped onto what a weft
// connection can observe:
//
//   weight  seed 003 name   factor here
//   0.40    connectivity    failures: 1 - f / failures_for_zero_score, floored at 0, where f
//                           counts failed pings and stream errors, each decaying with
//                           failure_half_life_ms (seed 003 used one fresh ping's latency,
//                           which duplicated the latency factor and ignored failures)
//   0.25    latency         smoothed ping RTT (EWMA, alpha rtt_ewma_alpha as TCP's SRTT):
//                           1 up to rtt_full_score_ms, linear to 0 at rtt_zero_score_ms; 1
//                           before the first sample (the handshake just proved the path).
//                           Seed 003 reached 0 at 100 ms, which would mark every
//                           intercontinental peer unhealthy
//   0.15    age             1.0 below age_fresh_ms (1 h), 0.8 below age_old_ms (2 h), else 0.5
//   0.15    usage           time since last use: 1.0 below idle_recent_ms (60 s), 0.8 below
//                           idle_stale_ms (300 s), else 0.5
//   0.05    operations      uses: 1.0 above uses_many (100), 0.8 above uses_some (10), else 0.6
//
// A connection starts healthy. evaluate() marks it degraded when the score falls below
// health_threshold and recovered only when it climbs back to health_recover_threshold or
// more, so a score hovering at the threshold does not flap. Age and idleness together can
// cost at most 0.15 and a cold connection 0.02 more, so a connection that works is never
// degraded by them alone: with the defaults only failures or a very slow RTT (or both, with
// age) take a connection below 0.6. Failures decay, so a degraded connection that stops
// failing recovers even though the table no longer uses it.
//
// max_missed_keepalives consecutive missed keep-alive pings make the connection dead, for
// good: the table closes and removes it. A ping answered resets the count.
// Not thread-safe: one per connection, on the network thread.

#include "conn/pool_time.hpp"

#include <chrono>
#include <cstdint>
#include <optional>

namespace weft::conn {

/// Milliseconds as a double: any std::chrono duration converts to it implicitly, so a
/// sub-millisecond loopback RTT is kept.
using FractionalMs = std::chrono::duration<double, std::milli>;

struct HealthScoreConfig {
  /// Below this the connection is degraded: the table does not hand it out.
  double health_threshold = 0.6;
  /// A degraded connection recovers at this score or more (hysteresis band above the
  /// threshold; a value below health_threshold acts as health_threshold).
  double health_recover_threshold = 0.7;

  /// Weights (relative: divided by their sum). Seed 003's values.
  double failure_weight = 0.40;
  double rtt_weight = 0.25;
  double age_weight = 0.15;
  double idle_weight = 0.15;
  double use_weight = 0.05;

  /// Decayed failures at which the failure factor reaches 0.
  double failures_for_zero_score = 3.0;
  /// A failure counts half after this long, a quarter after twice as long...
  std::chrono::milliseconds failure_half_life_ms{60'000};

  /// Weight of each new RTT sample in the smoothed RTT.
  double rtt_ewma_alpha = 0.125;
  /// Smoothed RTT at or below which the RTT factor is 1.
  std::chrono::milliseconds rtt_full_score_ms{100};
  /// Smoothed RTT at or above which the RTT factor is 0.
  std::chrono::milliseconds rtt_zero_score_ms{2000};

  std::chrono::milliseconds age_fresh_ms{3'600'000};
  std::chrono::milliseconds age_old_ms{7'200'000};
  std::chrono::milliseconds idle_recent_ms{60'000};
  std::chrono::milliseconds idle_stale_ms{300'000};
  std::uint64_t uses_some = 10;
  std::uint64_t uses_many = 100;

  /// Consecutive missed keep-alive pings that make the connection dead (0 acts as 1).
  std::uint32_t max_missed_keepalives = 3;
};

/// Each factor in [0, 1], before weighting.
struct HealthFactors {
  double failure = 1.0;
  double rtt = 1.0;
  double age = 1.0;
  double idle = 1.0;
  double use = 1.0;
};

/// A change the table turns into an event: Degraded, Recovered, or closing a dead connection.
enum class HealthTransition { degraded, recovered, died };

class HealthScore {
 public:
  /// A connection established at `created_at`; it counts as last used then.
  explicit HealthScore(TimePoint created_at, HealthScoreConfig config = {});

  /// A keep-alive ping was answered after `rtt`: smooths it in and clears missed pings.
  void on_ping_rtt(FractionalMs rtt);
  /// A keep-alive ping went unanswered: one failure and one missed ping. Returns died when
  /// this is the max_missed_keepalives-th consecutive miss (once; later calls return nullopt).
  std::optional<HealthTransition> on_ping_missed(TimePoint now);
  /// A stream on this connection failed (reset, protocol error): one failure.
  void on_failure(TimePoint now);
  /// A stream was opened on this connection.
  void on_use(TimePoint now);

  /// Recomputes the state at `now`. Returns degraded when a healthy connection's score is
  /// below health_threshold, recovered when a degraded one's is at least
  /// health_recover_threshold; nullopt otherwise, and always once dead.
  std::optional<HealthTransition> evaluate(TimePoint now);

  double score(TimePoint now) const;
  HealthFactors factors(TimePoint now) const;

  /// May be handed out: neither degraded (as of the last evaluate) nor dead.
  bool usable() const noexcept { return !degraded_ && !dead_; }
  bool degraded() const noexcept { return degraded_; }
  bool dead() const noexcept { return dead_; }

  /// Failures with their decay applied at `now`.
  double decayed_failures(TimePoint now) const;
  std::optional<FractionalMs> smoothed_rtt() const noexcept { return smoothed_rtt_; }
  std::uint32_t missed_keepalives() const noexcept { return missed_keepalives_; }
  std::uint64_t uses() const noexcept { return uses_; }
  TimePoint created_at() const noexcept { return created_at_; }
  TimePoint last_used() const noexcept { return last_used_; }

 private:
  void add_failure(TimePoint now);

  HealthScoreConfig config_;
  TimePoint created_at_;
  TimePoint last_used_;
  double failures_ = 0.0;          ///< decayed count as of failures_at_
  TimePoint failures_at_{};
  std::optional<FractionalMs> smoothed_rtt_;
  std::uint32_t missed_keepalives_ = 0;
  std::uint64_t uses_ = 0;
  bool degraded_ = false;
  bool dead_ = false;
};

}  // namespace weft::conn
