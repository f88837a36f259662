// Session: the transmit path. poll_transmit() drains the control queue first, then gives
// each stream with output one frame per turn (round robin), so one busy stream cannot
// starve the others.

#include "mux/session.hpp"

#include <algorithm>

namespace weft::mux {

bool Session::push_control(const FrameHeader& h) {
  if ((control_.size() + 1) * kHeaderBytes > config_.max_control_queue_bytes) return false;
  control_.push_back({h});
  return true;
}

std::uint32_t Session::window_delta(const StreamState& s) const noexcept {
  if (!s.accepted || s.read_closed || s.rst_pending) return 0;
  // Invariant: recv.size() + recv_credit <= receive_window_bytes.
  return config_.receive_window_bytes - static_cast<std::uint32_t>(s.recv.size()) - s.recv_credit;
}

bool Session::window_update_due(const StreamState& s) const noexcept {
  const std::uint32_t delta = window_delta(s);
  return delta > 0 && (s.extra_window_pending || delta >= config_.receive_window_bytes / 2);
}

bool Session::owes_window_update(StreamId id) const noexcept {
  const auto it = streams_.find(id);
  return it != streams_.end() && window_update_due(it->second);
}

bool Session::has_output(const StreamState& s) const noexcept {
  return s.rst_pending || s.syn_pending || s.ack_pending || s.fin_pending || !s.send.empty() || window_update_due(s);
}

void Session::schedule(StreamId id, StreamState& s) {
  if (s.in_tx_queue || !has_output(s)) return;
  s.in_tx_queue = true;
  tx_queue_.push_back(id);
}

void Session::emit(const FrameHeader& h, ByteView payload) {
  append_header(h, batch_);
  batch_.insert(batch_.end(), payload.begin(), payload.end());
  ++stats_.frames_sent;
}

bool Session::emit_stream_frame(StreamId id, StreamState& s, std::size_t room) {
  if (s.rst_pending) {
    emit(FrameHeader{FrameType::window_update, kFlagRst, id, 0});
    remove(id);
    return true;
  }
  const auto open_flags = static_cast<std::uint16_t>((s.syn_pending ? kFlagSyn : 0) | (s.ack_pending ? kFlagAck : 0));
  const bool fin_now = s.fin_pending && s.send.empty();
  if (window_update_due(s) || (s.send.empty() && (open_flags != 0 || fin_now))) {
    const std::uint32_t delta = window_delta(s);
    s.recv_credit += delta;
    s.extra_window_pending = false;
    s.syn_pending = s.ack_pending = false;
    emit(FrameHeader{FrameType::window_update, static_cast<std::uint16_t>(open_flags | (fin_now ? kFlagFin : 0)), id, delta});
    if (fin_now) {
      s.fin_pending = false;
      s.fin_sent = true;
      maybe_remove(id);
    }
    return true;
  }
  // Data: a whole frame of up to max_frame_payload_bytes, or the next batch. A batch cap
  // below one full frame makes frames smaller, never batches larger.
  const std::size_t n = std::min({s.send.size(), std::size_t{config_.max_frame_payload_bytes},
                                  config_.max_transmit_batch_bytes - kHeaderBytes});
  if (kHeaderBytes + n > room) return false;
  const bool fin = s.fin_pending && n == s.send.size();
  s.syn_pending = s.ack_pending = false;
  append_header(FrameHeader{FrameType::data, static_cast<std::uint16_t>(open_flags | (fin ? kFlagFin : 0)), id,
                            static_cast<std::uint32_t>(n)},
                batch_);
  s.send.read_into(n, batch_);
  ++stats_.frames_sent;
  stats_.data_bytes_sent += n;
  maybe_writable(id, s);
  if (fin) {
    s.fin_pending = false;
    s.fin_sent = true;
    maybe_remove(id);
  }
  return true;
}

ByteView Session::poll_transmit() {
  batch_.clear();
  const std::size_t cap = config_.max_transmit_batch_bytes;
  while (!control_.empty() && batch_.size() + kHeaderBytes <= cap) {
    const FrameHeader h = control_.front().header;
    control_.pop_front();
    if (h.type == FrameType::ping && h.has(kFlagAck)) {
      --pending_pongs_;
      ++stats_.pongs_sent;
    }
    emit(h);
  }
  if (closed_) return batch_;
  while (!tx_queue_.empty()) {
    const std::size_t room = cap - batch_.size();
    if (room < kHeaderBytes) break;
    const StreamId id = tx_queue_.front();
    const auto it = streams_.find(id);
    if (it == streams_.end()) {  // removed since it was queued
      tx_queue_.pop_front();
      continue;
    }
    StreamState& s = it->second;
    if (!has_output(s)) {
      s.in_tx_queue = false;
      tx_queue_.pop_front();
      continue;
    }
    tx_queue_.pop_front();
    s.in_tx_queue = false;
    if (!emit_stream_frame(id, s, room)) {  // its next frame goes first in the next batch
      s.in_tx_queue = true;
      tx_queue_.push_front(id);
      break;
    }
    const auto again = streams_.find(id);
    if (again != streams_.end()) schedule(id, again->second);
  }
  return batch_;
}

}  // namespace weft::mux
