#pragma once
// Reassembles length-prefixed RPCs (uvarint length, then that many bytes) from any split of
// the gossip stream (STYLE rule 2): "need more input" is not an error.

#include <weft/bytes.hpp>
#include <weft/error.hpp>

#include <cstddef>
#include <optional>

namespace weft::gossip {

class RpcFrameReader {
 public:
  /// `max_rpc_bytes`: the largest body accepted (RpcLimits::max_rpc_bytes).
  explicit RpcFrameReader(std::size_t max_rpc_bytes) : max_rpc_bytes_(max_rpc_bytes) {}

  /// Takes bytes up to the end of one frame and returns how many it took. While a whole
  /// frame waits for poll_frame(), it takes nothing (returns 0): the caller polls, then
  /// offers the rest. The body is allocated only after its length passed the cap.
  /// Errors: gossip_rpc_too_large (a length above the cap, or a prefix that can only
  /// decode to one), gossip_rpc_malformed (a non-minimal or overflowing prefix). After an
  /// error the stream is unusable: every later put() fails the same way.
  Result<std::size_t> put(ByteView in);

  /// The next whole frame's body, once; nullopt while it is incomplete.
  std::optional<Bytes> poll_frame();

  /// Bytes held for the frame in progress (prefix and body).
  std::size_t buffered_bytes() const noexcept { return prefix_.size() + body_.size(); }

 private:
  std::size_t max_rpc_bytes_;
  Bytes prefix_;               ///< the length prefix so far, until it decodes
  std::optional<std::size_t> body_bytes_;  ///< set once the prefix decoded
  Bytes body_;
  bool ready_ = false;         ///< body_ is whole and waits for poll_frame()
  std::optional<Error> failed_;
};

}  // namespace weft::gossip
