#pragma once
// Encoding and decoding of pubsub RPCs (protocol/gossip.proto), with limits. Decoding first
// walks the wire format and counts, so an RPC over a limit is refused before protobuf
// allocates anything for it; then it parses and converts to the plain values of rpc.hpp.

#include <weft/bytes.hpp>
#include <weft/error.hpp>

#include "gossip/rpc.hpp"

#include <cstddef>

namespace weft::gossip {

/// What one RPC may hold. Every field is a limit with a counter in the router's stats.
struct RpcLimits {
  /// Bytes of one RPC after its length prefix. Must leave room for one message of
  /// max_message_bytes and its envelope.
  std::size_t max_rpc_bytes = 1024 * 1024 + 64 * 1024;
  /// Bytes of one message's data.
  std::size_t max_message_bytes = 1024 * 1024;
  /// Bytes of one topic id (subscriptions, messages and control entries).
  std::size_t max_topic_bytes = 256;
  std::size_t max_subscriptions_per_rpc = 256;
  std::size_t max_messages_per_rpc = 256;
  /// IHAVE + IWANT + GRAFT + PRUNE + IDONTWANT entries, plus the PX peers of the PRUNEs.
  std::size_t max_control_entries_per_rpc = 512;
  /// Message ids in one IHAVE, IWANT or IDONTWANT entry (go-libp2p's MaxIHaveLength).
  std::size_t max_ids_per_control_entry = 5000;
};

/// Decodes one RPC body (no length prefix).
/// Errors: gossip_rpc_too_large (body above max_rpc_bytes), gossip_rpc_malformed (not a
/// valid RPC protobuf), gossip_message_too_large, gossip_topic_too_long,
/// gossip_too_many_subscriptions, gossip_too_many_messages, gossip_too_many_control,
/// gossip_too_many_ids. The first limit crossed, in wire order, is the one reported.
Result<Rpc> decode_rpc(ByteView body, const RpcLimits& limits);

/// Checks an RPC already in memory against the same limits as decode_rpc (the router runs
/// this on what it is handed, so a caller that builds RPCs itself is held to them too).
Result<void> check_rpc_limits(const Rpc& rpc, const RpcLimits& limits);

/// The protobuf encoding of `rpc` (no length prefix).
Bytes encode_rpc(const Rpc& rpc);

/// The uvarint length prefix followed by encode_rpc(rpc): one frame of the gossip stream.
Bytes encode_rpc_frame(const Rpc& rpc);

/// The marshalled Message with only fields 1-4 (from, data, seqno, topic) as present:
/// what StrictSign signs after the "libp2p-pubsub:" prefix.
Bytes encode_message_for_signing(const Message& message);

}  // namespace weft::gossip
