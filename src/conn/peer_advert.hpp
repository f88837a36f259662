#pragma once
// What a peer tells about itself when it dials us: the addresses it listens on and the
// protocols it serves, carried in the handshake's early data (docs/handshake.md). Only the
// dialing side sends it, so a pool learns it about its inbound connections.

#include <weft/multiaddr.hpp>

#include "handshake/handshake_machine.hpp"

#include <cstddef>
#include <string>
#include <vector>

namespace weft::conn {

struct PeerAdvert {
  std::vector<Multiaddr> listen_addresses;
  std::vector<std::string> protocols;
  friend bool operator==(const PeerAdvert&, const PeerAdvert&) = default;
};

/// Our early data: `listen` then `protocols`, in order, as many of each as fit in
/// `max_bytes` serialized (an entry that does not fit is left out with everything after it).
handshake::EarlyData make_early_data(const std::vector<Multiaddr>& listen, const std::vector<std::string>& protocols,
                                     std::size_t max_bytes);

/// The peer's advert from its early data. Addresses that do not parse are skipped; the
/// handshake has already bounded the whole (max_early_data_bytes) and checked protocol ids.
PeerAdvert read_advert(const handshake::EarlyData& early_data);

}  // namespace weft::conn
