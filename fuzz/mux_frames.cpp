// Fuzzes the yamux Session with arbitrary peer bytes (the entry point the connection
// driver calls) interleaved with application calls chosen by the input; layout in
// fuzz/mux_frames_support.hpp. Invariants after every step:
// - handle_bytes() consumes everything or fails; once closed it fails with
//   mux_session_closed and consumes nothing.
// - poll_transmit() returns whole, well-formed frames within the batch cap, data frames
//   within max_frame_payload_bytes; after a session error only the go-away.
// - memory stays within the configured bounds (streams, backlog, buffers, control queue).

#include "mux/session.hpp"

#include "mux_frames_support.hpp"

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <vector>

using namespace weft;
using namespace weft::mux;

namespace {

void check_batch(const Session& s, bool closed_before, ByteView batch) {
  const SessionConfig& c = s.config();
  if (batch.size() > c.max_transmit_batch_bytes) __builtin_trap();
  std::size_t at = 0;
  while (at < batch.size()) {
    if (batch.size() - at < kHeaderBytes) __builtin_trap();
    auto h = decode_header(batch.subspan(at).first<kHeaderBytes>());
    if (!h) __builtin_trap();
    if ((h.value().flags & ~kKnownFlags) != 0) __builtin_trap();
    if (h.value().payload_bytes() > c.max_frame_payload_bytes) __builtin_trap();
    if (closed_before && h.value().type != FrameType::go_away && h.value().type != FrameType::ping &&
        !h.value().has(kFlagRst)) {
      __builtin_trap();  // a closed session sends only what was queued as control
    }
    at += kHeaderBytes + h.value().payload_bytes();
  }
  if (at != batch.size()) __builtin_trap();
}

void check_bounds(const Session& s) {
  const SessionConfig& c = s.config();
  const SessionStats st = s.stats();
  if (st.open_streams > c.max_streams) __builtin_trap();
  if (st.accept_backlog > c.max_accept_backlog) __builtin_trap();
  if (st.buffered_receive_bytes > st.open_streams * std::size_t{c.receive_window_bytes}) __builtin_trap();
  if (st.queued_send_bytes > st.open_streams * std::size_t{c.max_send_buffer_bytes}) __builtin_trap();
  if (st.queued_control_bytes > c.max_control_queue_bytes + 2 * kHeaderBytes) __builtin_trap();
  // A ring holds at most twice its bound (and at least 1 KiB while it holds anything).
  if (st.heap_bytes > st.open_streams * (2 * (std::size_t{c.receive_window_bytes} + c.max_send_buffer_bytes) + 2048)) {
    __builtin_trap();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const std::uint8_t mode = data[0];
  const SessionConfig config = fuzz::mux_config(mode);
  TimePoint now = TimePoint{} + std::chrono::hours(1);
  Session s((mode & 1) ? Role::responder : Role::initiator, config, now);
  std::vector<StreamId> known;
  std::vector<std::uint8_t> buf(1 + 255 * 211);
  std::size_t at = 1;
  auto arg = [&]() -> std::uint8_t { return at < size ? data[at++] : 0; };
  auto pick = [&](std::uint8_t op) -> StreamId { return known.empty() ? 1 : known[(op >> 4) % known.size()]; };
  while (at < size) {
    const std::uint8_t op = data[at++];
    switch (op % 12) {
      case 0: {
        const std::size_t n = std::min<std::size_t>(arg(), size - at);
        const bool was_closed = s.closed();
        auto used = s.handle_bytes(ByteView(data + at, n), now);
        if (was_closed && (used || !(used.error() == Errc::mux_session_closed))) __builtin_trap();
        if (used && used.value() != n) __builtin_trap();
        if (!used && !s.closed()) __builtin_trap();
        at += n;
        break;
      }
      case 1:
        if (auto id = s.open_stream()) known.push_back(id.value());
        break;
      case 2:
        if (auto id = s.accept()) known.push_back(*id);
        break;
      case 3: {
        const std::size_t n = 1 + std::size_t{arg()} * 97;
        std::fill_n(buf.begin(), n, op);
        const std::size_t room = s.writable_bytes(pick(op));
        auto took = s.write(pick(op), ByteView(buf.data(), n));
        if (took && took.value() != std::min(n, room)) __builtin_trap();
        break;
      }
      case 4: {
        const std::size_t n = 1 + std::size_t{arg()} * 211;
        auto got = s.read(pick(op), std::span<std::uint8_t>(buf.data(), n));
        if (got && got.value() > n) __builtin_trap();
        break;
      }
      case 5: (void)s.close_write(pick(op)); break;
      case 6: s.reset(pick(op)); break;
      case 7:
        now += std::chrono::milliseconds(100 * std::uint64_t{arg()});
        s.handle_tick(now);
        break;
      case 8: break;
      case 9: s.ping(now); break;
      case 10: s.go_away(); break;
      case 11: s.close(GoAwayCode::normal); break;
    }
    const bool closed_before = s.closed();
    check_batch(s, closed_before, s.poll_transmit());
    check_bounds(s);
    while (auto e = s.poll_event()) (void)e;
  }
  return 0;
}
