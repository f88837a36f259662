#include "conn/muxed_connection.hpp"

#include "util/buffer_recycler.hpp"

namespace weft::conn {
namespace {

mux::TimePoint steady_now() { return std::chrono::steady_clock::now(); }

}  // namespace

MuxedConnection::MuxedConnection(std::shared_ptr<SecureConnection> secure, mux::Role role,
                                 mux::SessionConfig config, Callbacks callbacks)
    : secure_(std::move(secure)),
      session_(role, config, steady_now()),
      callbacks_(std::move(callbacks)),
      clock_(secure_->executor()),
      parked_(asio::query(secure_->executor(), asio::execution::context)) {}

void MuxedConnection::start() {
  std::weak_ptr<MuxedConnection> weak = weak_from_this();
  secure_->on_drained([weak] {
    if (auto self = weak.lock()) self->pump_now();
  });
  // No coroutine: an idle connection holds only the pending readiness wait.
  secure_->start_receiving([self = shared_from_this()](Result<Bytes> message) { self->on_message(std::move(message)); });
  arm_clock();
}

Result<mux::StreamId> MuxedConnection::open_stream() {
  auto id = session_.open_stream();
  pump();
  return id;
}

Result<std::size_t> MuxedConnection::try_read(mux::StreamId id, std::span<std::uint8_t> out) {
  if (const auto it = resets_.find(id); it != resets_.end()) return it->second;
  auto n = session_.read(id, out);
  if (!n) {
    forget_if_gone(id);
    return n.error();
  }
  if (n.value() > 0) {
    // Reading may have opened the window enough to send an update. Only then: a pump
    // posted now would run before a reply written later in this turn, and send apart.
    if (session_.owes_window_update(id)) pump();
  } else if (closed_) {
    return Error(Errc::mux_session_closed);
  }
  return n;
}

asio::awaitable<Result<std::size_t>> MuxedConnection::read_some(mux::StreamId id, std::span<std::uint8_t> out) {
  auto self = shared_from_this();
  for (;;) {
    auto n = try_read(id, out);
    if (!n || n.value() > 0 || out.empty()) co_return n;
    co_await until_readable(id);
  }
}

asio::awaitable<Result<void>> MuxedConnection::write_all(mux::StreamId id, ByteView data) {
  auto self = shared_from_this();
  while (!data.empty()) {
    if (const auto it = resets_.find(id); it != resets_.end()) co_return it->second;
    auto n = session_.write(id, data);
    if (!n) {
      forget_if_gone(id);
      co_return n.error();
    }
    data = data.subspan(n.value());
    pump();
    if (data.empty()) break;
    if (closed_) co_return Error(Errc::mux_session_closed);
    co_await until_writable(id);
  }
  co_return success();
}

Result<std::size_t> MuxedConnection::try_write(mux::StreamId id, ByteView data) {
  if (const auto it = resets_.find(id); it != resets_.end()) return it->second;
  auto n = session_.write(id, data);
  if (!n) {
    forget_if_gone(id);
    return n.error();
  }
  pump();
  return n;
}

Result<void> MuxedConnection::close_write(mux::StreamId id) {
  auto result = session_.close_write(id);
  pump();
  return result;
}

void MuxedConnection::reset(mux::StreamId id) {
  session_.reset(id);
  forget_if_gone(id);
  pump();
}

void MuxedConnection::forget(mux::StreamId id) {
  resets_.erase(id);
  forget_if_gone(id);
}

void MuxedConnection::forget_if_gone(mux::StreamId id) {
  if (session_.is_open(id)) return;
  wake(id, true, true);
}

void MuxedConnection::go_away() {
  session_.go_away();
  pump();
}

void MuxedConnection::close(Error reason) {
  if (closed_) return;
  session_.close();
  flush();  // the go-away, if the socket still takes it
  finish(reason);
}

void MuxedConnection::on_message(Result<Bytes> message) {
  begin_turn();
  handle_message(message);
  if (message) util::recycle_buffer(message.value());  // the session copied what it keeps
  end_turn();
}

void MuxedConnection::handle_message(const Result<Bytes>& message) {
  if (closed_) return;
  if (!message) {
    session_.close(mux::GoAwayCode::normal);
    finish(message.error());
    return;
  }
  auto used = session_.handle_bytes(message.value(), steady_now());
  if (!used) {
    pump_now_in_turn();  // sends the go-away naming the violation
    if (!closed_) finish(used.error());
    return;
  }
  // Readers and new streams first; what the session owes the peer (a new stream's ACK,
  // window updates, pongs) leaves on the posted pump, after them: a handler that answers
  // in this turn sends its reply in the same write as the ACK. When the session owes
  // nothing, nothing is posted: a woken reader's own calls post the pump they need.
  deliver_events();
  if (closed_) return;
  if (session_.wants_transmit()) {
    pump();
  } else {
    arm_clock();
  }
}

void MuxedConnection::pump() {
  if (closed_ || pump_posted_) return;
  if (in_resume_) {  // a coroutine resumed at the end of a network turn: sent when it suspends
    pump_after_resume_ = true;
    return;
  }
  pump_posted_ = true;
  asio::post(secure_->executor(), [self = shared_from_this()] {
    self->pump_posted_ = false;
    self->pump_now();
  });
}

void MuxedConnection::pump_now() {
  begin_turn();
  pump_now_in_turn();
  end_turn();
}

void MuxedConnection::pump_now_in_turn() {
  if (closed_) return;
  flush();
  deliver_events();
  if (closed_) return;
  flush();  // callbacks may have written
  arm_clock();
}

void MuxedConnection::deliver_events() {
  while (auto event = session_.poll_event()) {
    dispatch(std::move(*event));
    if (closed_) return;
  }
  if (!go_away_reported_ && session_.go_away_received()) {
    go_away_reported_ = true;
    if (callbacks_.on_go_away) callbacks_.on_go_away();
  }
}

void MuxedConnection::flush() {
  while (secure_->queued_bytes() < kSendHighWaterBytes && !secure_->closed()) {
    const ByteView batch = session_.poll_transmit();
    if (batch.empty()) break;
    secure_->send_now(batch);  // the session batched it: written at once, no write completion to run
  }
}

void MuxedConnection::dispatch(mux::Event event) {
  std::visit(
      [this](auto& e) {
        using E = std::decay_t<decltype(e)>;
        if constexpr (std::is_same_v<E, mux::event::InboundStream>) {
          while (auto id = session_.accept()) {
            if (callbacks_.on_inbound_stream) {
              callbacks_.on_inbound_stream(*id);
            } else {
              session_.reset(*id);
            }
          }
        } else if constexpr (std::is_same_v<E, mux::event::Readable> || std::is_same_v<E, mux::event::ReadClosed>) {
          wake(e.id, true, false);
        } else if constexpr (std::is_same_v<E, mux::event::Writable>) {
          wake(e.id, false, true);
        } else if constexpr (std::is_same_v<E, mux::event::StreamReset>) {
          resets_.insert_or_assign(e.id, Error(Errc::mux_stream_reset, e.reason.detail()));
          forget_if_gone(e.id);
        } else if constexpr (std::is_same_v<E, mux::event::SessionClosed>) {
          flush();  // a go-away the session queued
          finish(e.reason);
        } else if constexpr (std::is_same_v<E, mux::event::PingRtt>) {
          if (callbacks_.on_ping_rtt) callbacks_.on_ping_rtt(e.rtt);
        }
      },
      event);
}

void MuxedConnection::wake(mux::StreamId id, bool readers, bool writers) {
  parked_.wake(id, readers, writers);
  if (turn_depth_ == 0) post_woken();
}

void MuxedConnection::wake_all() {
  parked_.wake_all();
  if (turn_depth_ == 0) post_woken();
}

void MuxedConnection::post_woken() {
  while (auto resumer = parked_.take_woken()) asio::post(secure_->executor(), std::move(*resumer));
}

void MuxedConnection::end_turn() {
  if (--turn_depth_ > 0 || (!parked_.has_woken() && !pump_after_resume_)) return;
  resume_woken();
}

void MuxedConnection::resume_woken() {
  auto self = shared_from_this();  // a resumed coroutine may drop the last other reference
  for (int resumed = 0; resumed < kMaxResumesPerTurn;) {
    if (auto resumer = parked_.take_woken()) {
      in_resume_ = true;
      (*resumer)();  // runs the coroutine until it suspends again
      in_resume_ = false;
      ++resumed;
      continue;
    }
    if (!pump_after_resume_) break;
    // What the resumed coroutines wrote; a posted pump sends it anyway (with what else
    // this turn's posted handlers write).
    pump_after_resume_ = false;
    if (!pump_posted_) {
      ++turn_depth_;  // what the pump's events wake is resumed in this loop
      pump_now_in_turn();
      --turn_depth_;
    }
  }
  post_woken();  // past the bound: later turns
  if (pump_after_resume_) {
    pump_after_resume_ = false;
    pump();
  }
}

void MuxedConnection::arm_clock() {
  const auto deadline = session_.next_deadline();
  if (!deadline || closed_) {
    if (clock_armed_for_) clock_.cancel();
    clock_armed_for_.reset();
    return;
  }
  // Activity only pushes the deadline later: re-arm only when it moved earlier.
  if (clock_armed_for_ && *clock_armed_for_ <= *deadline) return;
  clock_armed_for_ = deadline;
  clock_.expires_at(*deadline);
  clock_.async_wait([weak = weak_from_this()](const boost::system::error_code& ec) {
    if (ec) return;
    auto self = weak.lock();
    if (!self || self->closed_) return;
    self->clock_armed_for_.reset();
    self->session_.handle_tick(steady_now());
    self->pump_now();
  });
}

void MuxedConnection::finish(const Error& reason) {
  if (closed_) return;
  closed_ = true;
  clock_.cancel();
  wake_all();
  resets_.clear();
  secure_->close(reason);
  if (callbacks_.on_closed) callbacks_.on_closed(reason);
}

}  // namespace weft::conn
