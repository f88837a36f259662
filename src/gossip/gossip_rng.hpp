#pragma once
// The router's randomness: util::SeededRng (splitmix64), so one seed gives one run on
// every platform.

#include "util/seeded_rng.hpp"

#include <cstddef>
#include <vector>

namespace weft::gossip {

using GossipRng = util::SeededRng;

/// Keeps the first `n` elements (for element types without a default constructor).
template <class T>
void truncate(std::vector<T>& v, std::size_t n) {
  if (v.size() > n) v.erase(v.begin() + static_cast<std::ptrdiff_t>(n), v.end());
}

}  // namespace weft::gossip
