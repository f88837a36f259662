#pragma once
// The exact size of an RPC on the gossip stream (uvarint length prefix + protobuf), worked
// out from the plain values without serializing: encode_rpc_frame(rpc).size() for every RPC
// (the unit tests hold it to that), at a fraction of the cost, so the simulator can count
// real wire bytes for millions of RPCs.

#include "gossip/rpc.hpp"

#include <cstddef>
#include <cstdint>

namespace weft::sim {

struct WireSize {
  std::size_t frame = 0;     ///< the whole frame: length prefix and RPC
  std::size_t messages = 0;  ///< of those, the bytes of the `publish` entries (tags included)
  /// Everything that is not a message: subscriptions, control, the length prefix.
  std::size_t control() const noexcept { return frame - messages; }
};

/// Bytes of a protobuf varint holding `v`.
std::size_t varint_bytes(std::uint64_t v) noexcept;

/// The size of encode_rpc_frame(rpc), split into messages and the rest.
WireSize rpc_wire_size(const gossip::Rpc& rpc) noexcept;

}  // namespace weft::sim
