#pragma once
// A deterministic conn::UnitRandom for tests: doubles in [0, 1) made from the 53 high bits
// of each 8 bytes of seeded_random(seed), so one seed always gives the same sequence.

#include "conn/backoff.hpp"
#include "seeded_random.hpp"

#include <array>
#include <cstdint>

namespace weft::test {

inline conn::UnitRandom seeded_unit_random(std::uint8_t seed) {
  return [bytes = seeded_random(seed)]() {
    std::array<std::uint8_t, 8> b{};
    bytes(b);
    std::uint64_t v = 0;
    for (const std::uint8_t x : b) v = (v << 8) | x;
    return static_cast<double>(v >> 11) * 0x1.0p-53;
  };
}

}  // namespace weft::test
