#pragma once
// One stream's state inside a Session (docs/mux.md, "Stream states"). Plain data: the
// Session owns every transition.

#include "mux/byte_ring.hpp"
#include "mux/frame_header.hpp"

#include <cstdint>

namespace weft::mux {

struct StreamState {
  bool outbound = false;  ///< we opened it
  bool accepted = false;  ///< visible to the application (always for outbound)

  // What the next frame we send for it must carry.
  bool syn_pending = false;  ///< outbound: SYN not yet sent
  bool ack_pending = false;  ///< inbound, accepted: ACK not yet sent
  bool fin_pending = false;  ///< close_write() called, FIN not yet sent (sent after the buffered data)
  bool rst_pending = false;  ///< reset() called, RST not yet sent; invisible to the application
  bool extra_window_pending = false;  ///< our window exceeds the initial one and the peer does not know yet

  bool acked = false;         ///< outbound: the peer's ACK arrived
  bool write_closed = false;  ///< close_write() called
  bool fin_sent = false;
  bool read_closed = false;   ///< the peer's FIN arrived
  bool want_writable = false; ///< a write() took less than offered: emit Writable when it can take more
  bool in_tx_queue = false;   ///< listed in the session's transmit round robin

  /// Bytes the peer still lets us send, minus what write() already took.
  std::uint64_t send_credit = kInitialWindowBytes;
  /// Bytes the peer may still send us before our next window update.
  std::uint32_t recv_credit = kInitialWindowBytes;

  ByteRing recv;  ///< received, not yet read; at most the receive window
  ByteRing send;  ///< taken by write(), not yet transmitted; at most max_send_buffer_bytes
};

}  // namespace weft::mux
