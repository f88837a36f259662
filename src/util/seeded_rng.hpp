#pragma once
// Seeded randomness for sans-IO code: splitmix64, so one seed gives one sequence on every
// platform (std:: distributions and std::shuffle differ between standard libraries).

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace weft::util {

class SeededRng {
 public:
  explicit SeededRng(std::uint64_t seed) : state_(seed) {}

  std::uint64_t next() noexcept {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }

  /// A value in [0, n); n must be positive.
  std::size_t below(std::size_t n) noexcept { return static_cast<std::size_t>(next() % n); }

  /// Fisher-Yates shuffle.
  template <class T>
  void shuffle(std::vector<T>& v) noexcept {
    for (std::size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[below(i)]);
  }

 private:
  std::uint64_t state_;
};

}  // namespace weft::util
