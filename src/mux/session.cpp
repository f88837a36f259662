// Session: construction, the application's calls and the shared bookkeeping. The receive
// path is in session_receive.cpp, the transmit path in session_transmit.cpp.

#include "mux/session.hpp"

#include <algorithm>
#include <limits>
#include <string>

namespace weft::mux {
namespace {

SessionConfig clamped(SessionConfig c) {
  c.receive_window_bytes = std::max(c.receive_window_bytes, kInitialWindowBytes);
  c.max_send_buffer_bytes = std::max<std::uint32_t>(c.max_send_buffer_bytes, 1);
  c.max_streams = std::max<std::size_t>(c.max_streams, 1);
  c.max_ack_backlog = std::max<std::size_t>(c.max_ack_backlog, 1);
  c.max_frame_payload_bytes = std::max<std::uint32_t>(c.max_frame_payload_bytes, 1);
  c.max_transmit_batch_bytes = std::max(c.max_transmit_batch_bytes, kHeaderBytes + 1);
  c.keepalive_timeout_ms = std::max<std::uint64_t>(c.keepalive_timeout_ms, 1);
  return c;
}

std::string sid(StreamId id) { return "stream " + std::to_string(id); }

}  // namespace

Session::Session(Role role, SessionConfig config, TimePoint now)
    : role_(role),
      config_(clamped(config)),
      next_outbound_id_(role == Role::initiator ? 1 : 2),
      next_ping_at_(now + std::chrono::milliseconds(config_.keepalive_interval_ms)) {}

// ---- application calls ----

Result<StreamId> Session::open_stream() {
  if (closed_) return Error(Errc::mux_session_closed, close_reason_.message());
  if (local_go_away_ || remote_go_away_) {
    return Error(Errc::mux_session_closed,
                 local_go_away_ ? "open after we sent go away" : "open after the peer sent go away");
  }
  if (streams_.size() >= config_.max_streams) {
    ++stats_.opens_refused;
    return Error(Errc::mux_too_many_streams, std::to_string(streams_.size()) + " streams open (max_streams)");
  }
  if (unacked_outbound_ >= config_.max_ack_backlog) {
    ++stats_.opens_refused;
    return Error(Errc::mux_too_many_streams,
                 std::to_string(unacked_outbound_) + " streams not acknowledged by the peer (max_ack_backlog)");
  }
  if (next_outbound_id_ > std::numeric_limits<StreamId>::max()) {
    ++stats_.opens_refused;
    return Error(Errc::mux_too_many_streams, "stream ids used up");
  }
  const auto id = static_cast<StreamId>(next_outbound_id_);
  next_outbound_id_ += 2;
  StreamState& s = streams_[id];
  s.outbound = true;
  s.accepted = true;
  s.syn_pending = true;
  s.extra_window_pending = config_.receive_window_bytes > kInitialWindowBytes;
  ++unacked_outbound_;
  ++stats_.streams_opened;
  schedule(id, s);
  return id;
}

std::optional<StreamId> Session::accept() {
  if (closed_ || backlog_.empty()) return std::nullopt;
  const StreamId id = backlog_.front();
  backlog_.pop_front();
  StreamState& s = streams_.at(id);  // invariant: every backlog id is in the table
  s.accepted = true;
  s.ack_pending = true;
  s.extra_window_pending = config_.receive_window_bytes > kInitialWindowBytes;
  ++stats_.streams_accepted;
  if (!s.recv.empty()) events_.push_back(event::Readable{id});
  if (s.read_closed) events_.push_back(event::ReadClosed{id});
  schedule(id, s);
  return id;
}

Result<StreamState*> Session::visible(StreamId id, const char* op) {
  if (closed_) return Error(Errc::mux_session_closed, std::string(op) + ": " + close_reason_.message());
  const auto it = streams_.find(id);
  if (it != streams_.end()) {
    if (it->second.rst_pending) return Error(Errc::mux_stream_closed, std::string(op) + ": " + sid(id) + " was reset");
    if (!it->second.accepted) {
      return Error(Errc::mux_unknown_stream, std::string(op) + ": " + sid(id) + " is not accepted yet");
    }
    return &it->second;
  }
  if (ever_used(id)) return Error(Errc::mux_stream_closed, std::string(op) + ": " + sid(id) + " is closed");
  return Error(Errc::mux_unknown_stream, std::string(op) + ": " + sid(id) + " was never opened");
}

std::size_t Session::capacity(const StreamState& s) const noexcept {
  if (s.write_closed || s.rst_pending) return 0;
  const std::size_t room = config_.max_send_buffer_bytes - std::min<std::size_t>(s.send.size(), config_.max_send_buffer_bytes);
  return static_cast<std::size_t>(std::min<std::uint64_t>(s.send_credit, room));
}

Result<std::size_t> Session::write(StreamId id, ByteView data) {
  BOOST_OUTCOME_TRY(s, visible(id, "write"));
  if (s->write_closed) return Error(Errc::mux_stream_closed, "write: " + sid(id) + " after close_write");
  const std::size_t n = std::min(data.size(), capacity(*s));
  if (n < data.size()) s->want_writable = true;
  if (n > 0) {
    s->send.append(data.first(n));
    s->send_credit -= n;
    schedule(id, *s);
  }
  return n;
}

Result<std::size_t> Session::read(StreamId id, std::span<std::uint8_t> out) {
  // The end of a stream is how reading usually ends, not a fault: that error carries no
  // detail, so the last read of every stream builds no message.
  if (!closed_ && !streams_.contains(id) && ever_used(id)) return Error(Errc::mux_stream_closed);
  BOOST_OUTCOME_TRY(s, visible(id, "read"));
  if (s->recv.empty()) {
    if (s->read_closed) return Error(Errc::mux_stream_closed);
    return std::size_t{0};
  }
  const std::size_t n = s->recv.read(out);
  if (n > 0) schedule(id, *s);
  maybe_remove(id);
  return n;
}

Result<void> Session::close_write(StreamId id) {
  BOOST_OUTCOME_TRY(s, visible(id, "close_write"));
  if (s->write_closed) return success();
  s->write_closed = true;
  s->fin_pending = true;
  s->want_writable = false;
  schedule(id, *s);
  return success();
}

void Session::reset(StreamId id) {
  if (closed_) return;
  const auto it = streams_.find(id);
  if (it == streams_.end() || it->second.rst_pending) return;
  StreamState& s = it->second;
  if (!s.accepted) drop_from_backlog(id);
  if (s.outbound && s.syn_pending) {  // the peer never heard of it: nothing to send
    remove(id);
    return;
  }
  ++stats_.resets_sent;
  s.recv.clear();
  s.send.clear();
  s.rst_pending = true;
  s.accepted = false;  // gone for the application
  s.syn_pending = s.ack_pending = s.fin_pending = false;
  s.want_writable = false;
  schedule(id, s);
}

void Session::go_away() {
  if (closed_ || local_go_away_) return;
  local_go_away_ = true;
  control_.push_back({FrameHeader{FrameType::go_away, 0, 0, static_cast<std::uint32_t>(GoAwayCode::normal)}});
  finish_if_drained();
}

void Session::close(GoAwayCode code) {
  if (closed_) return;
  local_go_away_ = true;
  control_.clear();
  pending_pongs_ = 0;
  control_.push_back({FrameHeader{FrameType::go_away, 0, 0, static_cast<std::uint32_t>(code)}});
  end(Error(Errc::mux_session_closed, "closed by us (go away code " + std::to_string(static_cast<std::uint32_t>(code)) + ")"));
}

void Session::ping(TimePoint now) {
  if (closed_ || ping_sent_at_) return;
  ping_id_ = next_ping_id_++;
  ping_sent_at_ = now;
  ++stats_.pings_sent;
  control_.push_back({FrameHeader{FrameType::ping, kFlagSyn, 0, ping_id_}});
}

void Session::handle_tick(TimePoint now) {
  if (closed_) return;
  if (ping_sent_at_ && now - *ping_sent_at_ >= std::chrono::milliseconds(config_.keepalive_timeout_ms)) {
    fail(Error(Errc::mux_keepalive_timeout,
               "ping " + std::to_string(ping_id_) + " unanswered for " + std::to_string(config_.keepalive_timeout_ms) + " ms"),
         GoAwayCode::internal_error);
    return;
  }
  if (config_.keepalive_interval_ms > 0 && !ping_sent_at_ && now >= next_ping_at_) ping(now);
}

std::optional<TimePoint> Session::next_deadline() const {
  if (closed_) return std::nullopt;
  if (ping_sent_at_) return *ping_sent_at_ + std::chrono::milliseconds(config_.keepalive_timeout_ms);
  if (config_.keepalive_interval_ms == 0) return std::nullopt;
  return next_ping_at_;
}

std::optional<Event> Session::poll_event() {
  if (events_.empty()) return std::nullopt;
  Event e = std::move(events_.front());
  events_.pop_front();
  return e;
}

bool Session::is_open(StreamId id) const {
  if (closed_) return false;
  const auto it = streams_.find(id);
  return it != streams_.end() && it->second.accepted && !it->second.rst_pending;
}

std::size_t Session::writable_bytes(StreamId id) const {
  if (!is_open(id)) return 0;
  return capacity(streams_.at(id));
}

SessionStats Session::stats() const {
  SessionStats s = stats_;
  s.open_streams = streams_.size();
  s.accept_backlog = backlog_.size();
  s.unacked_outbound = unacked_outbound_;
  s.queued_control_bytes = control_.size() * kHeaderBytes;
  for (const auto& [id, st] : streams_) {
    s.queued_send_bytes += st.send.size();
    s.buffered_receive_bytes += st.recv.size();
    s.heap_bytes += st.send.capacity() + st.recv.capacity();
  }
  return s;
}

// ---- bookkeeping ----

void Session::maybe_writable(StreamId id, StreamState& s) {
  if (s.want_writable && s.accepted && capacity(s) > 0) {
    s.want_writable = false;
    events_.push_back(event::Writable{id});
  }
}

void Session::maybe_remove(StreamId id) {
  const auto it = streams_.find(id);
  if (it == streams_.end()) return;
  const StreamState& s = it->second;
  if (s.read_closed && s.fin_sent && s.recv.empty()) remove(id);
}

void Session::remove(StreamId id) {
  const auto it = streams_.find(id);
  if (it == streams_.end()) return;
  if (it->second.outbound && !it->second.acked) --unacked_outbound_;
  if (!it->second.accepted && !it->second.outbound) drop_from_backlog(id);
  streams_.erase(it);
  finish_if_drained();
}

void Session::drop_from_backlog(StreamId id) {
  backlog_.erase_first(id);
}

void Session::finish_if_drained() {
  if (closed_ || !(local_go_away_ || remote_go_away_) || !streams_.empty()) return;
  end(Error(Errc::mux_session_closed,
            std::string(local_go_away_ ? "we" : "the peer") + " sent go away and the last stream ended"));
}

Error Session::fail(Error error, GoAwayCode code) {
  if (error == Errc::mux_protocol_error) ++stats_.protocol_errors;
  if (error == Errc::mux_window_exceeded) ++stats_.window_exceeded;
  if (error == Errc::mux_unknown_stream) ++stats_.unknown_stream_frames;
  if (error == Errc::mux_stream_id_reused) ++stats_.stream_ids_reused;
  if (error == Errc::mux_too_many_streams) ++stats_.control_queue_overflows;
  if (error == Errc::mux_keepalive_timeout) ++stats_.keepalive_timeouts;
  control_.clear();
  pending_pongs_ = 0;
  control_.push_back({FrameHeader{FrameType::go_away, 0, 0, static_cast<std::uint32_t>(code)}});
  end(error);
  return error;
}

void Session::end(Error reason) {
  closed_ = true;
  close_reason_ = reason;
  streams_.clear();
  backlog_.clear();
  tx_queue_.clear();
  unacked_outbound_ = 0;
  ping_sent_at_.reset();
  events_.push_back(event::SessionClosed{std::move(reason)});
}

}  // namespace weft::mux
