#pragma once
// Settings of a yamux session, each with its default, plus the time and role types the
// session uses (docs/mux.md, "Limits"). Every limit has a counter in SessionStats.

#include <chrono>
#include <cstddef>
#include <cstdint>

namespace weft::mux {

/// Monotonic time, passed in by the caller (the drivers use steady_clock deadlines).
using TimePoint = std::chrono::steady_clock::time_point;
using Duration = std::chrono::steady_clock::duration;

/// The initiator (dialer) opens odd stream ids, the responder even ones (spec).
enum class Role { initiator, responder };

struct SessionConfig {
  /// Receive window per stream: the most unread bytes a stream may hold. Both sides start
  /// at the spec's 256 KiB; a larger value is granted to the peer with the SYN or ACK.
  /// Values below 256 KiB are raised to it (yamux cannot shrink a window).
  std::uint32_t receive_window_bytes = 256 * 1024;
  /// Bytes write() may queue per stream that are not yet handed to poll_transmit(); write()
  /// also never takes more than the peer's window allows.
  std::uint32_t max_send_buffer_bytes = 256 * 1024;
  /// Streams in the table at once, both directions (opened, accepted or waiting to be).
  std::size_t max_streams = 256;
  /// Inbound streams waiting for accept(). The spec asks to buffer at least 256 streams
  /// that are not yet acknowledged.
  std::size_t max_accept_backlog = 256;
  /// Our outbound streams the peer has not acknowledged yet (spec: at most 256).
  std::size_t max_ack_backlog = 256;
  /// Largest payload of a data frame we send (frames we receive are bounded by the window).
  std::uint32_t max_frame_payload_bytes = 16 * 1024;
  /// Largest batch poll_transmit() returns (whole frames; at least one frame).
  std::size_t max_transmit_batch_bytes = 64 * 1024;
  /// Control frames (stream refusals, ping answers) queued for transmit; a peer that makes
  /// us queue more than this ends the session (docs/mux.md).
  std::size_t max_control_queue_bytes = 16 * 1024;
  /// Ping answers queued at once; pings beyond it are dropped and counted.
  std::size_t max_pending_pongs = 32;
  /// A keep-alive ping goes out after this long without a frame from the peer; 0 disables.
  std::uint64_t keepalive_interval_ms = 30'000;
  /// A keep-alive ping unanswered this long ends the session (mux_keepalive_timeout).
  std::uint64_t keepalive_timeout_ms = 10'000;
};

}  // namespace weft::mux
