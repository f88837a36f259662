#pragma once
// A yamux session over one secure connection (libp2p/specs yamux; docs/mux.md), as a
// sans-IO state machine: the driver feeds decrypted bytes with handle_bytes(), sends what
// poll_transmit() returns, delivers poll_event()s, and calls handle_tick() at
// next_deadline(). Nothing here reads a clock or does I/O.
//
// Contract:
// - Any split of the incoming byte stream gives the same events, the same transmitted
//   bytes and the same error.
// - A violation by the peer ends the session at once: handle_bytes() returns the error
//   (mux_*), a go-away with the matching code is queued (poll_transmit() returns it and
//   nothing else), and a SessionClosed event carries the same error.
// - Memory is bounded: each stream holds at most receive_window_bytes received and
//   max_send_buffer_bytes to send; the table at most max_streams streams; control frames
//   at most max_control_queue_bytes (+ one ping and one go-away); one transmit batch at
//   most max_transmit_batch_bytes. Events are bounded by what one call produces as long as
//   the driver drains poll_event() after every call, as it must.
// - Flow control is per stream: a stream nobody reads stops only itself.

#include <weft/bytes.hpp>
#include <weft/error.hpp>

#include "mux/frame_header.hpp"
#include "mux/frame_reader.hpp"
#include "mux/session_config.hpp"
#include "mux/session_event.hpp"
#include "mux/session_stats.hpp"
#include "util/small_fifo.hpp"
#include "mux/stream_state.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <unordered_map>

namespace weft::mux {

class Session {
 public:
  /// `now` starts the keep-alive clock. Config values out of range are clamped
  /// (docs/mux.md, "Limits").
  Session(Role role, SessionConfig config, TimePoint now);

  // ---- input ----

  /// Feeds decrypted bytes from the peer. Returns in.size() (everything is consumed;
  /// partial frames are kept), or the violation that ended the session. Bytes after a
  /// frame that ended the session (a peer's error go-away) are dropped. On a closed
  /// session: mux_session_closed, nothing consumed.
  Result<std::size_t> handle_bytes(ByteView in, TimePoint now);

  /// Sends keep-alive pings and ends the session when one goes unanswered.
  void handle_tick(TimePoint now);

  // ---- streams ----

  /// Opens a stream; its SYN goes with the first frame poll_transmit() sends for it (data
  /// written before then, or a window update). Errors: mux_session_closed (closed, or a
  /// go-away sent or received), mux_too_many_streams (max_streams, max_ack_backlog, or
  /// stream ids used up).
  Result<StreamId> open_stream();

  /// The next inbound stream from the backlog (FIFO); its ACK goes with the next frame
  /// for it. Data or a FIN that came before accept raise Readable / ReadClosed now.
  std::optional<StreamId> accept();

  /// Takes up to the peer's remaining window for the stream (and the send buffer room);
  /// returns the bytes taken: fewer than offered (0 included) means wait for Writable.
  /// Errors: mux_session_closed, mux_stream_closed (after close_write(), or a stream that
  /// is gone: reset or finished), mux_unknown_stream (never opened, or not yet accepted).
  Result<std::size_t> write(StreamId id, ByteView data);

  /// Moves received bytes into `out`; 0 means none yet (wait for Readable). Consuming
  /// data sends a window update once at least half the window is free again.
  /// Errors: mux_stream_closed once the peer's FIN is reached (end of stream) or for a
  /// stream that is gone (without a detail: it is the usual end); mux_session_closed,
  /// mux_unknown_stream as for write().
  Result<std::size_t> read(StreamId id, std::span<std::uint8_t> out);

  /// Half-closes our direction: a FIN follows the data already written. Idempotent.
  /// Errors as for write(), except that a second call succeeds.
  Result<void> close_write(StreamId id);

  /// Abandons a stream in either direction (accepted or still in the backlog): queued
  /// and unread data are dropped, an RST is sent (none if nothing was ever sent for it),
  /// and the id is gone for the application at once. Unknown ids are ignored.
  void reset(StreamId id);

  // ---- session ----

  /// Graceful shutdown: sends go-away (normal); inbound SYNs are refused and open_stream()
  /// fails from now on; existing streams continue, and the session closes
  /// (SessionClosed, mux_session_closed) when the last one ends.
  void go_away();

  /// Ends the session now: sends go-away with `code`, drops every stream, and emits
  /// SessionClosed (mux_session_closed). Does nothing on a closed session.
  void close(GoAwayCode code = GoAwayCode::normal);

  /// Sends a ping now unless one is outstanding; its answer raises PingRtt.
  void ping(TimePoint now);

  // ---- output ----

  /// The next batch of encoded frames, whole frames only, at most
  /// max_transmit_batch_bytes (or one frame); empty when there is nothing to send.
  /// Control frames come first, then streams round robin, one frame per stream per turn.
  /// The view is valid until the next call of any non-const member.
  ByteView poll_transmit();

  std::optional<Event> poll_event();

  /// False when poll_transmit() would certainly return nothing; true when it may return
  /// something (a queued stream can turn out to have nothing left to send).
  bool wants_transmit() const noexcept { return !control_.empty() || !tx_queue_.empty(); }

  /// When handle_tick() is next due; nullopt when keep-alive is off or the session closed.
  std::optional<TimePoint> next_deadline() const;

  // ---- state ----

  bool closed() const noexcept { return closed_; }
  /// True once the peer sent a normal go-away: open_stream() fails from then on.
  bool go_away_received() const noexcept { return remote_go_away_; }
  /// Why the session closed; meaningful once closed().
  const Error& close_reason() const noexcept { return close_reason_; }
  Role role() const noexcept { return role_; }
  const SessionConfig& config() const noexcept { return config_; }
  /// The last measured round trip.
  std::optional<Duration> rtt() const noexcept { return rtt_; }
  /// True while the application may use `id` (opened or accepted, not reset, not finished).
  bool is_open(StreamId id) const;
  /// What write() would take now from `id` (0 for ids that cannot be written).
  std::size_t writable_bytes(StreamId id) const;
  /// True when reading has opened enough of the stream's window that an update is due
  /// (poll_transmit() would send it); false for an unknown stream.
  bool owes_window_update(StreamId id) const noexcept;
  SessionStats stats() const;

 private:
  struct ControlFrame {
    FrameHeader header;
  };

  // receive path (session_receive.cpp)
  Result<void> on_header(const FrameHeader& h, TimePoint now);
  Result<void> on_syn(const FrameHeader& h);
  Result<void> on_stream_frame(const FrameHeader& h);
  void on_payload(ByteView payload);
  void on_frame_done();
  Result<void> on_ping(const FrameHeader& h, TimePoint now);
  void on_go_away(const FrameHeader& h);
  Result<void> refuse(StreamId id, std::uint64_t& counter);
  bool ever_used(StreamId id) const noexcept;
  bool ours(StreamId id) const noexcept;

  // transmit path (session_transmit.cpp)
  void schedule(StreamId id, StreamState& s);
  bool has_output(const StreamState& s) const noexcept;
  std::uint32_t window_delta(const StreamState& s) const noexcept;
  bool window_update_due(const StreamState& s) const noexcept;
  /// Emits the stream's next frame if it fits in `room`; false (nothing done) if not.
  bool emit_stream_frame(StreamId id, StreamState& s, std::size_t room);
  void emit(const FrameHeader& h, ByteView payload = {});
  bool push_control(const FrameHeader& h);

  // shared (session.cpp)
  Result<StreamState*> visible(StreamId id, const char* op);
  std::size_t capacity(const StreamState& s) const noexcept;
  void maybe_writable(StreamId id, StreamState& s);
  void maybe_remove(StreamId id);
  void remove(StreamId id);
  void drop_from_backlog(StreamId id);
  void finish_if_drained();
  Error fail(Error error, GoAwayCode code);
  void end(Error reason);

  Role role_;
  SessionConfig config_;
  FrameReader reader_;
  std::unordered_map<StreamId, StreamState> streams_;
  util::SmallFifo<StreamId> backlog_;      ///< inbound, not accepted; every id is in streams_
  util::SmallFifo<StreamId> tx_queue_;     ///< streams with output, round robin; ids may be stale
  util::SmallFifo<ControlFrame> control_;  ///< pongs, refusals, our ping, go-away
  std::size_t pending_pongs_ = 0;     ///< ping answers in control_
  std::size_t unacked_outbound_ = 0;
  Bytes batch_;                       ///< the last poll_transmit() result
  util::SmallFifo<Event> events_;

  std::uint64_t next_outbound_id_;    ///< 64 bits: detects exhaustion of the 32-bit space
  StreamId last_inbound_id_ = 0;      ///< highest id the peer opened (admitted or refused)

  // The inbound frame in progress.
  FrameHeader current_;
  bool current_delivers_ = false;     ///< its payload goes to streams_[current_.stream_id]

  // Keep-alive.
  TimePoint next_ping_at_;
  std::optional<TimePoint> ping_sent_at_;  ///< set while our ping is outstanding
  std::uint32_t ping_id_ = 0;
  std::uint32_t next_ping_id_ = 1;
  std::optional<Duration> rtt_;

  bool local_go_away_ = false;
  bool remote_go_away_ = false;
  bool closed_ = false;
  Error close_reason_;
  SessionStats stats_;
};

}  // namespace weft::mux
