#pragma once
// What a session tells its driver and application (Session::poll_event()).

#include <weft/error.hpp>

#include "mux/frame_header.hpp"
#include "mux/session_config.hpp"

#include <variant>

namespace weft::mux::event {

/// The peer opened a stream; accept() hands it out (FIFO).
struct InboundStream {
  StreamId id;
};
/// Data arrived on a stream whose receive buffer was empty: read() until it returns 0.
struct Readable {
  StreamId id;
};
/// A write() that took less than offered may now take more.
struct Writable {
  StreamId id;
};
/// The peer half-closed the stream (FIN): after the buffered data, read() fails with
/// mux_stream_closed.
struct ReadClosed {
  StreamId id;
};
/// The peer reset the stream (mux_stream_reset; the detail has the peer's code, if any).
/// The stream is gone: its unread data is dropped.
struct StreamReset {
  StreamId id;
  Error reason;
};
/// The session ended; nothing more happens except that poll_transmit() may still return
/// a final go-away, which the driver sends before closing the connection.
struct SessionClosed {
  Error reason;
};
/// A keep-alive or ping() answered after `rtt`.
struct PingRtt {
  Duration rtt;
};

}  // namespace weft::mux::event

namespace weft::mux {

using Event = std::variant<event::InboundStream, event::Readable, event::Writable, event::ReadClosed,
                           event::StreamReset, event::SessionClosed, event::PingRtt>;

}  // namespace weft::mux
