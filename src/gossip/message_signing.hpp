#pragma once
// Message authorship under libp2p's StrictSign policy (specs pubsub/README.md, "Message
// Signing"), and message ids.
//
// A signed message carries from (the author's PeerId), an 8-byte big-endian seqno, the
// topic, and an Ed25519 signature over "libp2p-pubsub:" || the message marshalled with
// only fields 1-4 (from, data, seqno, topic) as present. `key` carries the author's
// PublicKey protobuf when the PeerId does not inline it; for Ed25519 PeerIds it is omitted.

#include <weft/error.hpp>
#include <weft/keys.hpp>
#include <weft/peer_id.hpp>

#include "gossip/rpc.hpp"

#include <cstdint>
#include <string_view>

namespace weft::gossip {

inline constexpr std::string_view kSignaturePrefix = "libp2p-pubsub:";
inline constexpr std::size_t kSeqnoBytes = 8;

/// How a topic names its messages.
enum class MessageIdMode {
  author_seqno,  ///< from || seqno (libp2p's default): free to compute, unique per author
  content,       ///< BLAKE2b-256 of data: copies from different authors are one message
};

/// A message from `author` on `topic`, signed, without `key` (Ed25519 PeerIds inline it).
Message make_signed_message(const Keypair& author, TopicId topic, Bytes data, std::uint64_t seqno);

/// The StrictSign checks, cheapest first.
/// Errors: gossip_message_invalid (no topic, no from, or a seqno that is not 8 bytes),
/// gossip_author_mismatch (from is not a PeerId; key does not decode, or is not the key
/// `from` derives from; no key given and from does not inline one), gossip_bad_signature
/// (missing, not 64 bytes, or not verifying).
Result<void> verify_message(const Message& message);

/// The id of `message` under `mode` (no validation: an absent field counts as empty).
MessageId message_id(const Message& message, MessageIdMode mode);

/// The seqno as a number (big-endian), or 0 when it is absent or not 8 bytes.
std::uint64_t seqno_value(const Message& message) noexcept;

}  // namespace weft::gossip
