#pragma once
// A deterministic handshake::RandomSource for tests and fuzz targets: the bytes are
// BLAKE2b-256 blocks of (seed, counter), so one seed always gives the same stream.

#include "handshake/handshake_machine.hpp"
#include "util/crypto.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <memory>

namespace weft::test {

inline handshake::RandomSource seeded_random(std::uint8_t seed) {
  auto counter = std::make_shared<std::uint64_t>(0);
  return [seed, counter](std::span<std::uint8_t> out) {
    for (std::size_t done = 0; done < out.size();) {
      std::array<std::uint8_t, 9> input{seed};
      for (int i = 0; i < 8; ++i) input[1 + i] = static_cast<std::uint8_t>(*counter >> (8 * i));
      ++*counter;
      const util::Hash block = util::blake2b({input});
      const std::size_t n = std::min(block.size(), out.size() - done);
      std::copy_n(block.begin(), n, out.begin() + static_cast<std::ptrdiff_t>(done));
      done += n;
    }
  };
}

}  // namespace weft::test
