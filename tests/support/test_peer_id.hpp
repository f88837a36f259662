#pragma once
// PeerIds for tests that only need distinct, ordered peers.

#include <weft/peer_id.hpp>

#include <cstdint>

namespace weft::test {

/// A sha2-256 PeerId whose digest is 32 copies of `n`: test_peer(a) < test_peer(b) iff a < b.
inline PeerId test_peer(std::uint8_t n) {
  Bytes multihash{0x12, 0x20};
  multihash.resize(2 + 32, n);
  return PeerId::from_bytes(multihash).value();
}

}  // namespace weft::test
