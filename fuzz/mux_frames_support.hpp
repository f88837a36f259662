#pragma once
// Shared by fuzz/mux_frames.cpp and fuzz/make_mux_seeds.cpp: the configurations the
// first input byte selects and the input layout.
//
// Input: [mode] then ops until the input ends. mode bit 0: role (0 initiator, 1 responder);
// bits 1-2: which of configs(). Each op is one byte, some followed by an argument byte:
//   op % 12 == 0  [n]  feed the next n bytes (or what is left) to handle_bytes()
//              1       open_stream()
//              2       accept()
//              3  [k]  write 1 + k*97 bytes to a known stream (chosen by the op's high bits)
//              4  [k]  read up to 1 + k*211 bytes from a known stream
//              5       close_write() a known stream
//              6       reset() a known stream
//              7  [k]  advance the clock by k*100 ms, then handle_tick()
//              8       poll_transmit() (also done after every op)
//              9       ping()
//              10      go_away()
//              11      close()
// "Known" streams are those open_stream() returned or accept() handed out; the op byte's
// bits 4-7 pick one (modulo how many).

#include "mux/session_config.hpp"

#include <array>
#include <cstdint>

namespace weft::fuzz {

inline mux::SessionConfig mux_config(std::uint8_t mode) {
  mux::SessionConfig c;
  switch ((mode >> 1) & 3) {
    case 0: break;  // the defaults
    case 1:  // every cap small, so limits are within a few frames' reach
      c.max_streams = 3;
      c.max_accept_backlog = 2;
      c.max_ack_backlog = 2;
      c.max_frame_payload_bytes = 7;
      c.max_transmit_batch_bytes = 40;
      c.max_send_buffer_bytes = 100;
      c.max_control_queue_bytes = 48;
      c.max_pending_pongs = 2;
      c.keepalive_interval_ms = 1000;
      c.keepalive_timeout_ms = 500;
      break;
    case 2:  // a larger window
      c.receive_window_bytes = 1 << 20;
      c.max_frame_payload_bytes = 1000;
      break;
    default:  // keep-alive off
      c.keepalive_interval_ms = 0;
      c.max_streams = 8;
      break;
  }
  return c;
}

}  // namespace weft::fuzz
