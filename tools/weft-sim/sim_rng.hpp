#pragma once
// The simulator's randomness: independent seeded streams (splitmix64, as the router's), so
// one --seed gives one run and drawing more in one part (say, the network) does not shift
// another (say, the topology).

#include "gossip/gossip_rng.hpp"

#include <cstdint>

namespace weft::sim {

/// Which part of the simulation a stream feeds; each gets its own sequence.
enum class Stream : std::uint64_t {
  topology = 1,
  roles = 2,
  network = 3,
  publish = 4,
  attack = 5,
  routers = 6,
  keys = 7,
};

class SimRng {
 public:
  /// The stream `stream` of run `seed`.
  SimRng(std::uint64_t seed, Stream stream) : rng_(mix(seed, static_cast<std::uint64_t>(stream))) {}
  explicit SimRng(std::uint64_t raw_seed) : rng_(raw_seed) {}

  std::uint64_t next() noexcept { return rng_.next(); }
  /// In [0, n); n must be positive.
  std::size_t below(std::size_t n) noexcept { return rng_.below(n); }
  /// In [0, 1), 53 bits.
  double uniform() noexcept { return static_cast<double>(rng_.next() >> 11) * 0x1.0p-53; }
  /// True with probability p (p <= 0: never, p >= 1: always).
  bool chance(double p) noexcept { return p > 0 && (p >= 1 || uniform() < p); }
  template <class T>
  void shuffle(std::vector<T>& v) noexcept { rng_.shuffle(v); }

  /// A well-spread value from two (used to derive per-node seeds).
  static std::uint64_t mix(std::uint64_t a, std::uint64_t b) noexcept {
    gossip::GossipRng r(a * 0x9E3779B97F4A7C15ull ^ (b + 0x632BE59BD9B4E019ull));
    r.next();
    return r.next();
  }

 private:
  gossip::GossipRng rng_;
};

}  // namespace weft::sim
