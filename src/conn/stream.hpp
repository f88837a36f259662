#pragma once
// One multiplexed stream to a peer, speaking one protocol (driver handle). Streams start
// with a protocol preamble (docs/connection_table.md, "Streams"): the opener sends the
// protocol name (uvarint length, then the name) and may write at once; the acceptor
// answers one status byte — 0 accepted, 1 unknown protocol — before its data. An unknown
// protocol is answered at once; "accepted" goes out with the acceptor's first write or
// FIN, so that a reply leaves as one frame. The opener's first read consumes that byte:
// an unknown protocol reads as request_unknown_protocol.
//
// Contract: use on the connection's executor; one reader and one writer at a time. The
// handle keeps the connection alive. Destroying it resets the stream unless both
// directions finished (our FIN sent, the peer's FIN read).

#include <weft/error.hpp>
#include <weft/peer_id.hpp>

#include "conn/muxed_connection.hpp"
#include "conn/protocol_preamble.hpp"

#include <memory>
#include <span>
#include <string>

namespace weft::conn {

enum class StreamStatus : std::uint8_t { accepted = 0, unknown_protocol = 1 };

class Stream {
 public:
  enum class Side : std::uint8_t { opener, acceptor };

  Stream(std::shared_ptr<MuxedConnection> connection, mux::StreamId id, Side side, std::string protocol);
  Stream(Stream&& other) noexcept;
  Stream& operator=(Stream&& other) noexcept;
  Stream(const Stream&) = delete;
  Stream& operator=(const Stream&) = delete;
  ~Stream();

  const PeerId& peer() const { return connection_->peer(); }
  const std::string& protocol() const noexcept { return protocol_; }
  mux::StreamId id() const noexcept { return id_; }
  bool valid() const noexcept { return connection_ != nullptr; }

  /// Up to out.size() bytes; 0 at the end of the stream (the peer's FIN). Errors:
  /// request_unknown_protocol (opener: the peer refused the protocol), mux_stream_reset,
  /// mux_session_closed.
  asio::awaitable<Result<std::size_t>> read_some(std::span<std::uint8_t> out);
  /// Exactly out.size() bytes, or request_malformed if the stream ends first.
  asio::awaitable<Result<void>> read_exact(std::span<std::uint8_t> out);
  asio::awaitable<Result<void>> write_all(ByteView data);
  /// Sends FIN: we write no more.
  Result<void> close_write();
  /// Abandons the stream in both directions (RST).
  void reset();

  /// True once our FIN went out and the peer's was read.
  bool finished() const noexcept { return write_closed_ && read_ended_; }
  /// True once a read or write failed (reset, connection lost, unknown protocol).
  bool failed() const noexcept { return failed_; }

 private:
  void abandon() noexcept;
  /// Acceptor: the "accepted" status byte, once, ahead of the first write or FIN.
  Result<void> send_status_if_owed();

  std::shared_ptr<MuxedConnection> connection_;
  mux::StreamId id_ = 0;
  Side side_ = Side::opener;
  std::string protocol_;
  bool status_read_ = false;  ///< opener: the acceptor's status byte was consumed
  bool status_owed_ = false;  ///< acceptor: "accepted" not sent yet
  bool write_closed_ = false;
  bool read_ended_ = false;
  bool failed_ = false;
};

/// Opens a stream on `connection` and writes its preamble for `protocol` (1 to
/// kMaxProtocolNameBytes bytes; request_malformed otherwise). No round trip: the
/// acceptor's verdict arrives with the first read.
Result<Stream> open_protocol_stream(std::shared_ptr<MuxedConnection> connection, std::string protocol);

}  // namespace weft::conn
