#pragma once
// A secure connection carrying a yamux session (driver): moves bytes between the
// SecureConnection and the mux::Session, runs the keep-alive clock, and lets coroutines
// read and write individual streams. The protocol logic is the Session's (src/mux).
//
// Contract: single executor. Stream reads and writes suspend until the Session says the
// stream is readable / writable; at most one reader and one writer per stream at a time.
// A coroutine woken by the network (data, FIN, window, reset) is resumed at the end of the
// network turn that woke it, on that turn's stack, not in a later turn of the executor: a
// reply arrives and its reader runs in the same turn. What such a resumed coroutine writes
// on this connection is sent at the end of that turn too (unless a pump is already posted,
// which then sends it). A coroutine woken by an application call (reset, forget, close) is
// resumed by a posted handler, never inside that call.
// Sealed output is kept under kSendHighWaterBytes: past it, stream data stays in the
// Session (bounded by its send buffers and the peer's windows) until the socket drains.

#include <weft/error.hpp>
#include <weft/peer_id.hpp>

#include "conn/parked_coroutines.hpp"
#include "conn/secure_connection.hpp"
#include "mux/session.hpp"
#include "util/asio.hpp"

#include <functional>
#include <memory>
#include <span>
#include <unordered_map>

namespace weft::conn {

class MuxedConnection : public std::enable_shared_from_this<MuxedConnection> {
 public:
  /// Sealed bytes queued on the socket past which no more stream data is pulled.
  static constexpr std::size_t kSendHighWaterBytes = 256 * 1024;

  struct Callbacks {
    /// The peer opened a stream (already accepted).
    std::function<void(mux::StreamId)> on_inbound_stream;
    /// A keep-alive ping was answered after `rtt`.
    std::function<void(mux::Duration)> on_ping_rtt;
    /// The peer sent go-away: no new streams on this connection (once).
    std::function<void()> on_go_away;
    /// The connection ended (once); `reason` says why.
    std::function<void(const Error&)> on_closed;
  };

  MuxedConnection(std::shared_ptr<SecureConnection> secure, mux::Role role, mux::SessionConfig config,
                  Callbacks callbacks);

  /// Starts reading and the keep-alive clock. Call once.
  void start();

  const PeerId& peer() const noexcept { return secure_->peer(); }
  const SecureConnection& secure() const noexcept { return *secure_; }
  bool closed() const noexcept { return closed_; }
  mux::SessionStats stats() const { return session_.stats(); }
  std::optional<mux::Duration> rtt() const noexcept { return session_.rtt(); }

  /// Opens an outbound stream (its SYN leaves with its first data).
  Result<mux::StreamId> open_stream();
  /// Suspends until the stream may have changed: data or FIN arrived, it was reset, or the
  /// connection ended. The caller re-checks with try_read / try_write. One waiter per
  /// stream and direction.
  asio::awaitable<void> until_readable(mux::StreamId id) {
    return parked_.park(id, ParkedCoroutines::Event::readable);
  }
  asio::awaitable<void> until_writable(mux::StreamId id) {
    return parked_.park(id, ParkedCoroutines::Event::writable);
  }
  /// Reads up to out.size() bytes, waiting for some. mux_stream_closed at the end of the
  /// stream (the peer's FIN) or after our own reset; mux_stream_reset when the peer reset
  /// it; mux_session_closed when the connection ended.
  asio::awaitable<Result<std::size_t>> read_some(mux::StreamId id, std::span<std::uint8_t> out);
  /// read_some without waiting: 0 when nothing is buffered yet (same errors).
  Result<std::size_t> try_read(mux::StreamId id, std::span<std::uint8_t> out);
  /// Writes what the stream takes now without waiting (a new stream takes at least its
  /// initial window, 256 KiB); returns the bytes taken. Errors as write_all's.
  Result<std::size_t> try_write(mux::StreamId id, ByteView data);
  /// Writes all of `data`, waiting for window as needed.
  asio::awaitable<Result<void>> write_all(mux::StreamId id, ByteView data);
  /// Sends FIN after what was written.
  Result<void> close_write(mux::StreamId id);
  /// Abandons the stream (RST).
  void reset(mux::StreamId id);
  /// The application is done with the stream: forgets its waiters once the session has.
  void forget(mux::StreamId id);

  /// Graceful: go-away, existing streams finish, then the connection closes.
  void go_away();
  /// Closes now: the session (go-away sent if possible) and the socket.
  void close(Error reason);

 private:
  /// Coroutines resumed at the end of one network turn; past it, the rest are posted.
  static constexpr int kMaxResumesPerTurn = 256;

  /// Each message from the SecureConnection (start_receiving), then its end.
  void on_message(Result<Bytes> message);
  void handle_message(const Result<Bytes>& message);
  /// A network turn (on_message, pump_now) begins / ends; at the end of the outermost one,
  /// the coroutines it woke are resumed.
  void begin_turn() noexcept { ++turn_depth_; }
  void end_turn();
  /// Resumes the woken coroutines, then sends what they wrote; repeats while that wakes more.
  void resume_woken();
  /// After an application call into the session: runs pump_now() once, after the calls
  /// made in this turn of the executor, so that a stream's SYN, preamble, data and FIN
  /// written back to back leave as one yamux frame in one sealed channel frame and one write.
  void pump();
  /// Sends the session's output, dispatches its events, re-arms the clock.
  void pump_now();
  void pump_now_in_turn();
  void flush();
  /// Dispatches the session's events (wakes readers and writers, hands over new streams)
  /// and reports a go-away received, once.
  void deliver_events();
  void dispatch(mux::Event event);
  /// Wakes the coroutines parked on the stream (or all): inside a network turn they are
  /// resumed at its end, otherwise their resumption is posted.
  void wake(mux::StreamId id, bool readers, bool writers);
  void wake_all();
  /// Posts the resumption of every woken coroutine.
  void post_woken();
  void arm_clock();
  void finish(const Error& reason);
  /// Wakes the stream's waiters once the session no longer knows the stream.
  void forget_if_gone(mux::StreamId id);

  std::shared_ptr<SecureConnection> secure_;
  mux::Session session_;
  Callbacks callbacks_;
  asio::steady_timer clock_;
  std::optional<mux::TimePoint> clock_armed_for_;
  ParkedCoroutines parked_;
  int turn_depth_ = 0;             ///< nested network turns under way
  bool in_resume_ = false;         ///< resume_woken() is running coroutines
  bool pump_after_resume_ = false; ///< a resumed coroutine asked for a pump
  /// Streams the peer reset, until the application forgets them: reads and writes on
  /// them fail with mux_stream_reset (the session itself no longer knows them).
  std::unordered_map<mux::StreamId, Error> resets_;
  bool closed_ = false;
  bool go_away_reported_ = false;
  bool pump_posted_ = false;  ///< a pump_now() is posted and has not run yet
};

}  // namespace weft::conn
