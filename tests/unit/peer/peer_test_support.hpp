#pragma once
// Peers, addresses and times for the peerstore tests.

#include "peer/peerstore.hpp"

#include <weft/multiaddr.hpp>
#include <weft/peer_id.hpp>

#include <chrono>
#include <cstdint>
#include <string>

namespace weft::test {

/// A sha2-256 PeerId whose digest encodes `n` (distinct for every n; ordered like n's bytes).
inline PeerId numbered_peer(std::uint32_t n) {
  Bytes multihash{0x12, 0x20};
  multihash.resize(2 + 32, 0x5a);
  for (int i = 0; i < 4; ++i) multihash[2 + static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(n >> (24 - 8 * i));
  return PeerId::from_bytes(multihash).value();
}

inline Multiaddr ma(const std::string& text) { return Multiaddr::parse(text).value(); }

/// /ip4/10.<n/256>.<n%256>.1/tcp/4001: a different /24 for every n below 65536.
inline Multiaddr subnet_address(std::uint32_t n, std::uint16_t port = 4001) {
  return ma("/ip4/10." + std::to_string((n >> 8) & 0xff) + "." + std::to_string(n & 0xff) + ".1/tcp/" +
            std::to_string(port));
}

/// A fixed, millisecond-aligned wall-clock instant (2026-11-01T00:00:00Z).
inline peer::WallTime t0() { return peer::WallTime(std::chrono::seconds(1'793'491'200)); }

inline std::chrono::milliseconds ms(long long n) { return std::chrono::milliseconds(n); }

}  // namespace weft::test
