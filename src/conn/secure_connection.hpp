#pragma once
// An established, encrypted connection: the TCP stream after a successful handshake, with
// the channel's sealer and decoder (driver; the framing rules live in src/channel).
//
// One reader and one writer at a time: receive() may be awaited by one coroutine, while
// send() may be called from any coroutine on the same executor. Sends are queued and
// written by a single writer coroutine, which writes everything queued so far with one
// write call, so many small messages cost one system call.

#include <weft/error.hpp>
#include <weft/peer_id.hpp>

#include "channel/channel_config.hpp"
#include "channel/frame_decoder.hpp"
#include "channel/frame_sealer.hpp"
#include "handshake/handshake_machine.hpp"
#include "util/asio.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace weft::conn {

class SecureConnection : public std::enable_shared_from_this<SecureConnection> {
 public:
  /// `leftover`: bytes read after the handshake's last message; they are the first bytes of
  /// the channel. Call start() once, after construction.
  SecureConnection(beast::tcp_stream stream, handshake::Established session, Bytes leftover,
                   const channel::ChannelConfig& config);

  /// Starts the writer. Must be called once, on the stream's executor.
  void start();

  const PeerId& peer() const noexcept { return session_.peer; }
  const handshake::Established& session() const noexcept { return session_; }
  tcp::endpoint remote_endpoint() const noexcept { return remote_; }

  /// Queues `plaintext` for sending. Up to max_frame_plaintext_bytes it is one frame and
  /// arrives whole from one receive(); larger plaintext is split into several; an empty
  /// one sends nothing. Does nothing once closed.
  void send(ByteView plaintext);

  /// The next plaintext message from the peer, or why the connection ended
  /// (channel_closed when the peer closed cleanly; the channel's error otherwise).
  asio::awaitable<Result<Bytes>> receive();

  /// Closes the connection (idempotent). Pending sends are dropped; receive() returns
  /// `reason`.
  void close(Error reason);

  /// Sealed bytes queued or being written. Senders keep this under a high-water mark of
  /// their choosing (yielding to the executor meanwhile): send() itself never blocks.
  std::size_t queued_bytes() const noexcept { return outbox_.size() + in_flight_bytes_; }

  bool closed() const noexcept { return closed_.has_value(); }
  /// Why it closed, once closed.
  const std::optional<Error>& close_reason() const noexcept { return closed_; }

 private:
  asio::awaitable<void> write_loop();

  beast::tcp_stream stream_;
  handshake::Established session_;
  tcp::endpoint remote_;
  channel::FrameSealer sealer_;
  channel::FrameDecoder decoder_;
  Bytes pending_input_;     ///< handshake leftovers, fed to the decoder on the first receive()
  Bytes outbox_;            ///< sealed frames not yet handed to the writer
  std::size_t in_flight_bytes_ = 0;  ///< size of the write in progress
  asio::steady_timer wake_writer_;
  std::optional<Error> closed_;
};

}  // namespace weft::conn
