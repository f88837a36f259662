#pragma once
// An established, encrypted connection: the TCP stream after a successful handshake, with
// the channel's sealer and decoder (driver; the framing rules live in src/channel).
//
// One reader at a time: receive() may be awaited by one coroutine, while send() may be
// called from any code on the same executor. Sends are sealed into one outbox; at most
// one write is in flight and it carries everything queued so far, so many small messages
// cost one system call (send_now: the caller batched already, so the kernel gets it at
// once and no write completion has to run). Reads wait for readability and then read into the thread's
// scratch buffer (conn/read_scratch.hpp): an idle connection holds no buffers, only its
// keys and decoder state.

#include <weft/error.hpp>
#include <weft/peer_id.hpp>

#include "channel/channel_config.hpp"
#include "channel/frame_decoder.hpp"
#include "channel/frame_sealer.hpp"
#include "handshake/handshake_machine.hpp"
#include "util/asio.hpp"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace weft::conn {

class SecureConnection : public std::enable_shared_from_this<SecureConnection> {
 public:
  /// `socket` must be in non-blocking mode (run_handshake leaves it so). `leftover`: bytes
  /// read after the handshake's last message; they are the first bytes of the channel.
  SecureConnection(tcp::socket socket, tcp::endpoint remote, handshake::Established session, Bytes leftover,
                   const channel::ChannelConfig& config);

  const PeerId& peer() const noexcept { return session_.peer; }
  tcp::socket::executor_type executor() noexcept { return socket_.get_executor(); }
  const handshake::Established& session() const noexcept { return session_; }
  tcp::endpoint remote_endpoint() const noexcept { return remote_; }
  /// Keeps `attachment` alive as long as this connection object (e.g. the inbound gate's
  /// admission ticket, whose destruction releases the address's connection slot).
  void hold(std::shared_ptr<void> attachment) { attachment_ = std::move(attachment); }

  /// Queues `plaintext` for sending. Up to max_frame_plaintext_bytes it is one frame and
  /// arrives whole from one receive(); larger plaintext is split into several; an empty
  /// one sends nothing. Does nothing once closed.
  void send(ByteView plaintext);
  /// send() for a caller that batches its own output (one call per batch): unless a write
  /// is in flight, what is queued is written at once, without waiting; if the kernel takes
  /// all of it, no completion runs (queued_bytes() is 0 on return and on_drained() is not
  /// called). Only a remainder is left to an asynchronous write, as with send().
  void send_now(ByteView plaintext);

  /// The next plaintext message from the peer, or why the connection ended
  /// (channel_closed when the peer closed cleanly; the channel's error otherwise).
  asio::awaitable<Result<Bytes>> receive();

  /// Called with each plaintext message in order, then once with why the connection ended
  /// (an error result, as receive() returns it); nothing after that.
  using ReceiveHandler = std::function<void(Result<Bytes>)>;
  /// The callback form of receive() for an owner that reads for the connection's whole
  /// life: while idle, only the pending readiness wait (and the handler in it) is held,
  /// not a chain of coroutine frames. The handler lives in that wait, so it is dropped if
  /// the executor is destroyed first. Nothing is delivered before this returns (the first
  /// delivery is posted). Call once; never together with receive().
  void start_receiving(ReceiveHandler handler);

  /// Closes the connection (idempotent). Pending sends are dropped; receive() returns
  /// `reason`.
  void close(Error reason);

  /// Sealed bytes queued or being written. Senders keep this under a high-water mark of
  /// their choosing (yielding to the executor meanwhile): send() itself never blocks.
  /// Zero once closed (a write in flight is cancelled by the close).
  std::size_t queued_bytes() const noexcept { return closed_ ? 0 : outbox_.size() + writing_.size(); }

  /// Called (on the executor) each time a write completes with nothing left queued, so a
  /// producer that stopped at its high-water mark can resume. One callback; replaces any.
  void on_drained(std::function<void()> callback) { on_drained_ = std::move(callback); }

  /// Frees the send buffers' capacity if nothing is queued or in flight. Bulk senders keep
  /// it between batches (one allocation, not one per batch); an owner calls this on
  /// connections that went idle, so that idle connections stay small.
  void trim_buffers() noexcept;

  /// Heap bytes this connection holds for data: send buffers (capacity) and the decoder's
  /// partial frame and undelivered frames.
  std::size_t buffered_bytes() const noexcept {
    return outbox_.capacity() + writing_.capacity() + decoder_.heap_bytes();
  }

  bool closed() const noexcept { return closed_.has_value(); }
  /// Why it closed, once closed.
  const std::optional<Error>& close_reason() const noexcept { return closed_; }

 private:
  /// Writes the outbox if no write is in flight.
  void start_write();
  /// start_write(), trying a non-blocking write first.
  void write_now();
  void on_written(const boost::system::error_code& ec);
  /// start_receiving(): delivers the decoded messages, then waits for readability (or
  /// delivers the end once closed).
  void deliver_and_wait(ReceiveHandler handler);
  void on_readable(const boost::system::error_code& ec, ReceiveHandler handler);
  /// Reads what the kernel holds into the decoder; closes on error or end of stream.
  void drain_socket();

  tcp::socket socket_;
  tcp::endpoint remote_;
  handshake::Established session_;
  channel::FrameSealer sealer_;
  channel::FrameDecoder decoder_;
  Bytes pending_input_;     ///< handshake leftovers, fed to the decoder on the first receive()
  Bytes outbox_;            ///< sealed frames not yet handed to the writer
  Bytes writing_;           ///< the write in flight (empty when none)
  std::optional<Error> closed_;
  std::function<void()> on_drained_;
  std::shared_ptr<void> attachment_;  ///< hold()
};

}  // namespace weft::conn
