#pragma once
// The libp2p pubsub RPC as plain values (protocol/gossip.proto): what the router takes in
// and hands out. No protobuf types here; the codec (rpc_codec.hpp) converts.

#include <weft/bytes.hpp>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace weft::gossip {

/// A topic id: arbitrary bytes (usually UTF-8 text).
using TopicId = std::string;
/// A message id: arbitrary bytes (from || seqno by default, or a content hash).
using MessageId = std::string;

/// A pubsub Message. Every field keeps its proto2 presence, because the signature covers
/// the marshalled fields 1-4 exactly as present.
struct Message {
  std::optional<Bytes> from;       ///< the author's PeerId bytes
  std::optional<Bytes> data;
  std::optional<Bytes> seqno;      ///< 8 bytes big-endian under StrictSign
  std::optional<TopicId> topic;
  std::optional<Bytes> signature;
  std::optional<Bytes> key;        ///< the author's PublicKey protobuf, if present

  std::size_t data_bytes() const noexcept { return data ? data->size() : 0; }
  friend bool operator==(const Message&, const Message&) = default;
};

/// Messages are shared between the cache, the queues of many peers and the application.
using MessagePtr = std::shared_ptr<const Message>;

struct SubOpts {
  bool subscribe = false;
  TopicId topic;
  friend bool operator==(const SubOpts&, const SubOpts&) = default;
};

struct ControlIHave {
  TopicId topic;
  std::vector<MessageId> ids;
  friend bool operator==(const ControlIHave&, const ControlIHave&) = default;
};

struct ControlIWant {
  std::vector<MessageId> ids;
  friend bool operator==(const ControlIWant&, const ControlIWant&) = default;
};

struct ControlGraft {
  TopicId topic;
  friend bool operator==(const ControlGraft&, const ControlGraft&) = default;
};

/// A peer offered in a PRUNE (peer exchange). The signed record is passed on opaque.
struct PeerInfo {
  Bytes peer_id;
  Bytes signed_peer_record;
  friend bool operator==(const PeerInfo&, const PeerInfo&) = default;
};

struct ControlPrune {
  TopicId topic;
  std::vector<PeerInfo> peers;
  std::optional<std::uint64_t> backoff_s;  ///< the backoff the pruning peer applies, seconds
  friend bool operator==(const ControlPrune&, const ControlPrune&) = default;
};

struct ControlIDontWant {
  std::vector<MessageId> ids;
  friend bool operator==(const ControlIDontWant&, const ControlIDontWant&) = default;
};

struct ControlMessage {
  std::vector<ControlIHave> ihave;
  std::vector<ControlIWant> iwant;
  std::vector<ControlGraft> graft;
  std::vector<ControlPrune> prune;
  std::vector<ControlIDontWant> idontwant;

  bool empty() const noexcept {
    return ihave.empty() && iwant.empty() && graft.empty() && prune.empty() && idontwant.empty();
  }
  friend bool operator==(const ControlMessage&, const ControlMessage&) = default;
};

struct Rpc {
  std::vector<SubOpts> subscriptions;
  std::vector<MessagePtr> publish;
  ControlMessage control;

  bool empty() const noexcept { return subscriptions.empty() && publish.empty() && control.empty(); }
};

/// Equal when every field is equal and the messages are equal by value.
bool operator==(const Rpc& a, const Rpc& b);

/// An upper bound on the encoded size of `rpc` (without the length prefix), cheap to
/// compute: what send queues count.
std::size_t estimated_rpc_bytes(const Rpc& rpc) noexcept;

}  // namespace weft::gossip
