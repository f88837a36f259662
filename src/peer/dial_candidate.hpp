#pragma once
// A known peer that could be dialed: what the peerstore ranks (Peerstore::dial_candidates,
// exchange_sample) and the peer manager picks from at each tick.

#include <weft/multiaddr.hpp>
#include <weft/peer_id.hpp>

#include <vector>

namespace weft::peer {

struct DialCandidate {
  PeerId peer;
  /// In the order to try: trusted sources first, then inbound, then peer exchange; empty:
  /// the manager skips it.
  std::vector<Multiaddr> addresses;
  double score = 0;      ///< the store's score; higher is dialed first
  bool dialing = false;  ///< the caller is already dialing it (set by the caller)
};

}  // namespace weft::peer
