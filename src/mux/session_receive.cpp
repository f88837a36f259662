// Session: the receive path. Every frame the peer sends is checked here; each violation
// ends the session with its Errc (docs/mux.md, "Violations").

#include "mux/session.hpp"

#include <cstdio>
#include <limits>
#include <string>

namespace weft::mux {
namespace {

std::string sid(StreamId id) { return "stream " + std::to_string(id); }

const char* type_name(FrameType t) {
  switch (t) {
    case FrameType::data: return "data";
    case FrameType::window_update: return "window update";
    case FrameType::ping: return "ping";
    case FrameType::go_away: return "go away";
  }
  return "?";
}

std::string hex_flags(std::uint16_t flags) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "0x%x", static_cast<unsigned>(flags));
  return buf;
}

}  // namespace

bool Session::ours(StreamId id) const noexcept { return (id % 2 == 1) == (role_ == Role::initiator); }

bool Session::ever_used(StreamId id) const noexcept {
  if (id == 0) return false;
  return ours(id) ? id < next_outbound_id_ : id <= last_inbound_id_;
}

Result<std::size_t> Session::handle_bytes(ByteView in, TimePoint now) {
  if (closed_) return Error(Errc::mux_session_closed, close_reason_.message());
  std::size_t pos = 0;
  while (pos < in.size()) {
    auto step = reader_.next(in.subspan(pos));
    if (!step) return fail(step.error(), GoAwayCode::protocol_error);
    pos += step.value().used;
    if (step.value().header) {
      if (auto handled = on_header(*step.value().header, now); !handled) {
        return fail(handled.error(), GoAwayCode::protocol_error);
      }
    }
    if (!step.value().payload.empty()) on_payload(step.value().payload);
    if (step.value().frame_done) on_frame_done();
    if (closed_) break;  // the peer's go-away ended the session: the rest is moot
  }
  return in.size();
}

Result<void> Session::on_header(const FrameHeader& h, TimePoint now) {
  ++stats_.frames_received;
  if (!ping_sent_at_) next_ping_at_ = now + std::chrono::milliseconds(config_.keepalive_interval_ms);
  current_ = h;
  current_delivers_ = false;
  if ((h.flags & ~kKnownFlags) != 0) {
    return Error(Errc::mux_protocol_error, std::string(type_name(h.type)) + " frame with unknown flags " + hex_flags(h.flags));
  }
  switch (h.type) {
    case FrameType::ping: return on_ping(h, now);
    case FrameType::go_away: on_go_away(h); return success();
    case FrameType::data:
    case FrameType::window_update: return on_stream_frame(h);
  }
  return success();
}

Result<void> Session::on_stream_frame(const FrameHeader& h) {
  const StreamId id = h.stream_id;
  if (id == 0) return Error(Errc::mux_protocol_error, std::string(type_name(h.type)) + " frame on stream id 0 (the session)");
  if (h.has(kFlagSyn) && h.has(kFlagAck)) {
    return Error(Errc::mux_protocol_error, std::string(type_name(h.type)) + " frame with SYN and ACK on " + sid(id));
  }
  if (h.has(kFlagSyn)) {
    BOOST_OUTCOME_TRYV(on_syn(h));
  }
  const auto it = streams_.find(id);
  if (it == streams_.end()) {
    if (!ever_used(id)) {
      return Error(Errc::mux_unknown_stream, std::string(type_name(h.type)) + " frame for " + sid(id) + ", which was never opened");
    }
    // Closed, reset or refused: frames still in flight are normal. Data is dropped, but
    // never more than any window we grant could have let through.
    if (h.payload_bytes() > config_.receive_window_bytes) {
      return Error(Errc::mux_window_exceeded, std::to_string(h.length) + " bytes on closed " + sid(id) +
                                                  ", above any window we grant (" +
                                                  std::to_string(config_.receive_window_bytes) + ")");
    }
    if (!h.has(kFlagSyn)) ++stats_.closed_stream_frames;
    return success();
  }
  StreamState& s = it->second;
  if (s.rst_pending) {  // we reset it; the peer has not heard yet
    ++stats_.closed_stream_frames;
    return success();
  }
  if (h.has(kFlagAck)) {
    if (!s.outbound) return Error(Errc::mux_protocol_error, "ACK on " + sid(id) + ", which the peer opened");
    if (!s.acked) {
      s.acked = true;
      --unacked_outbound_;
    }
  }
  if (h.has(kFlagRst)) {
    ++stats_.resets_received;
    if (s.accepted) {
      std::string detail = "reset by the peer";
      if (h.type == FrameType::window_update && h.length != 0) detail += " (code " + std::to_string(h.length) + ")";
      events_.push_back(event::StreamReset{id, Error(Errc::mux_stream_reset, std::move(detail))});
    }
    remove(id);
    return success();
  }
  if (h.type == FrameType::window_update) {
    const std::uint64_t window = s.send_credit + s.send.size() + h.length;
    if (window > std::numeric_limits<std::uint32_t>::max()) {
      return Error(Errc::mux_protocol_error, "window update of " + std::to_string(h.length) + " on " + sid(id) +
                                                 " overflows the 32-bit window");
    }
    s.send_credit += h.length;
    maybe_writable(id, s);
    return success();
  }
  if (h.length > 0) {
    if (s.read_closed) return Error(Errc::mux_protocol_error, std::to_string(h.length) + " bytes on " + sid(id) + " after its FIN");
    if (h.length > s.recv_credit) {
      return Error(Errc::mux_window_exceeded, std::to_string(h.length) + " bytes on " + sid(id) + " with " +
                                                  std::to_string(s.recv_credit) + " bytes of window left");
    }
    current_delivers_ = true;
  }
  return success();
}

Result<void> Session::on_syn(const FrameHeader& h) {
  const StreamId id = h.stream_id;
  if (ours(id)) {
    return Error(Errc::mux_stream_id_reused, "SYN for " + sid(id) + ", an id of our parity (we are the " +
                                                 (role_ == Role::initiator ? "initiator: odd" : "responder: even") + ")");
  }
  if (id <= last_inbound_id_) {
    return Error(Errc::mux_stream_id_reused,
                 "SYN for " + sid(id) + ", not above the last inbound id " + std::to_string(last_inbound_id_));
  }
  if (h.payload_bytes() > kInitialWindowBytes) {
    return Error(Errc::mux_window_exceeded, "SYN on " + sid(id) + " carries " + std::to_string(h.length) +
                                                " bytes, above the initial window " + std::to_string(kInitialWindowBytes));
  }
  last_inbound_id_ = id;
  if (local_go_away_ || remote_go_away_) return refuse(id, stats_.streams_refused_go_away);
  if (streams_.size() >= config_.max_streams) return refuse(id, stats_.streams_refused_max_streams);
  if (backlog_.size() >= config_.max_accept_backlog) return refuse(id, stats_.streams_refused_backlog);
  streams_[id];  // inbound, not accepted: every field's default
  backlog_.push_back(id);
  ++stats_.streams_inbound;
  events_.push_back(event::InboundStream{id});
  return success();
}

Result<void> Session::refuse(StreamId id, std::uint64_t& counter) {
  ++counter;
  if (!push_control(FrameHeader{FrameType::window_update, kFlagRst, id, 0})) {
    return Error(Errc::mux_too_many_streams, "refusing " + sid(id) + ": control queue full (" +
                                                 std::to_string(config_.max_control_queue_bytes) +
                                                 " bytes, max_control_queue_bytes)");
  }
  ++stats_.resets_sent;
  return success();
}

void Session::on_payload(ByteView payload) {
  if (!current_delivers_) return;
  const auto it = streams_.find(current_.stream_id);
  if (it == streams_.end() || it->second.rst_pending) {  // reset by the application meanwhile
    current_delivers_ = false;
    return;
  }
  StreamState& s = it->second;
  const bool was_empty = s.recv.empty();
  s.recv_credit -= static_cast<std::uint32_t>(payload.size());
  s.recv.append(payload);
  stats_.data_bytes_received += payload.size();
  if (was_empty && s.accepted) events_.push_back(event::Readable{current_.stream_id});
}

void Session::on_frame_done() {
  current_delivers_ = false;
  if (current_.type != FrameType::data && current_.type != FrameType::window_update) return;
  if (!current_.has(kFlagFin) || current_.has(kFlagRst)) return;
  const auto it = streams_.find(current_.stream_id);
  if (it == streams_.end() || it->second.rst_pending || it->second.read_closed) return;
  it->second.read_closed = true;
  if (it->second.accepted) events_.push_back(event::ReadClosed{current_.stream_id});
  maybe_remove(current_.stream_id);
}

Result<void> Session::on_ping(const FrameHeader& h, TimePoint now) {
  if (h.has(kFlagSyn) == h.has(kFlagAck)) {
    return Error(Errc::mux_protocol_error, "ping with flags " + hex_flags(h.flags) + " (needs SYN or ACK)");
  }
  if (h.has(kFlagSyn)) {
    if (pending_pongs_ >= config_.max_pending_pongs ||
        !push_control(FrameHeader{FrameType::ping, kFlagAck, 0, h.length})) {
      ++stats_.pings_dropped;
      return success();
    }
    ++pending_pongs_;
    return success();
  }
  if (ping_sent_at_ && h.length == ping_id_) {
    rtt_ = now - *ping_sent_at_;
    ping_sent_at_.reset();
    next_ping_at_ = now + std::chrono::milliseconds(config_.keepalive_interval_ms);
    events_.push_back(event::PingRtt{*rtt_});
  } else {
    ++stats_.unexpected_pongs;
  }
  return success();
}

void Session::on_go_away(const FrameHeader& h) {
  if (h.length == static_cast<std::uint32_t>(GoAwayCode::normal)) {
    remote_go_away_ = true;
    finish_if_drained();
    return;
  }
  std::string what = h.length == static_cast<std::uint32_t>(GoAwayCode::protocol_error)   ? "protocol error"
                     : h.length == static_cast<std::uint32_t>(GoAwayCode::internal_error) ? "internal error"
                                                                                          : "unknown code";
  control_.clear();
  pending_pongs_ = 0;
  end(Error(Errc::mux_session_closed, "the peer sent go away: " + what + " (" + std::to_string(h.length) + ")"));
}

}  // namespace weft::mux
