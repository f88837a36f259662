#pragma once
// Gauges and counters of one session (Session::stats()). Every limit and every kind of
// peer misbehaviour has its counter (docs/mux.md, "Limits" and "Violations").

#include <cstddef>
#include <cstdint>

namespace weft::mux {

struct SessionStats {
  // --- gauges (now) ---
  std::size_t open_streams = 0;            ///< streams in the table, both directions
  std::size_t accept_backlog = 0;          ///< inbound streams waiting for accept()
  std::size_t unacked_outbound = 0;        ///< our streams the peer has not acknowledged
  std::size_t queued_send_bytes = 0;       ///< stream data taken by write(), not yet transmitted
  std::size_t queued_control_bytes = 0;    ///< control frames waiting for poll_transmit()
  std::size_t buffered_receive_bytes = 0;  ///< received data not yet read
  std::size_t heap_bytes = 0;              ///< stream buffers' storage

  // --- traffic (since construction) ---
  std::uint64_t frames_received = 0;
  std::uint64_t frames_sent = 0;
  std::uint64_t data_bytes_received = 0;
  std::uint64_t data_bytes_sent = 0;
  std::uint64_t streams_opened = 0;    ///< by us
  std::uint64_t streams_inbound = 0;   ///< by the peer, admitted to the backlog
  std::uint64_t streams_accepted = 0;
  std::uint64_t resets_sent = 0;
  std::uint64_t resets_received = 0;
  std::uint64_t pings_sent = 0;
  std::uint64_t pongs_sent = 0;

  // --- limits hit ---
  std::uint64_t streams_refused_max_streams = 0;  ///< inbound SYN past max_streams (RST)
  std::uint64_t streams_refused_backlog = 0;      ///< inbound SYN past max_accept_backlog (RST)
  std::uint64_t streams_refused_go_away = 0;      ///< inbound SYN after a go-away (RST)
  std::uint64_t opens_refused = 0;                ///< open_stream() past max_streams / max_ack_backlog
  std::uint64_t pings_dropped = 0;                ///< pings past max_pending_pongs, unanswered
  std::uint64_t control_queue_overflows = 0;      ///< session ended: control queue full

  // --- peer misbehaviour ---
  std::uint64_t protocol_errors = 0;        ///< session ended with mux_protocol_error
  std::uint64_t window_exceeded = 0;        ///< session ended with mux_window_exceeded
  std::uint64_t unknown_stream_frames = 0;  ///< session ended: frame for a never-opened id
  std::uint64_t stream_ids_reused = 0;      ///< session ended with mux_stream_id_reused
  std::uint64_t closed_stream_frames = 0;   ///< frames for streams already closed, ignored
  std::uint64_t unexpected_pongs = 0;       ///< ping answers we did not ask for, ignored
  std::uint64_t keepalive_timeouts = 0;
};

}  // namespace weft::mux
