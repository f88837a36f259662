#include "conn/secure_connection.hpp"

#include "conn/read_scratch.hpp"

namespace weft::conn {

SecureConnection::SecureConnection(tcp::socket socket, tcp::endpoint remote, handshake::Established session,
                                   Bytes leftover, const channel::ChannelConfig& config)
    : socket_(std::move(socket)),
      remote_(remote),
      session_(std::move(session)),
      sealer_(session_.keys.send, config, handshake::channel_cipher(session_.version)),
      decoder_(session_.keys.recv, config, handshake::channel_cipher(session_.version)),
      pending_input_(std::move(leftover)) {}

void SecureConnection::send(ByteView plaintext) {
  if (closed_) return;
  sealer_.seal_all(plaintext, outbox_);
  start_write();
}

void SecureConnection::send_now(ByteView plaintext) {
  if (closed_) return;
  sealer_.seal_all(plaintext, outbox_);
  write_now();
}

void SecureConnection::write_now() {
  if (closed_ || !writing_.empty() || outbox_.empty()) return;
  boost::system::error_code ec;
  const std::size_t n = socket_.write_some(asio::buffer(outbox_), ec);  // non-blocking socket
  if (ec && ec != asio::error::would_block && ec != asio::error::try_again) {
    close(Error(Errc::channel_closed, "write failed: " + ec.message()));
    return;
  }
  if (!ec && n == outbox_.size()) {
    outbox_.clear();  // keeps its capacity for the next batch
    return;
  }
  if (!ec) outbox_.erase(outbox_.begin(), outbox_.begin() + static_cast<std::ptrdiff_t>(n));
  start_write();  // the rest when the socket takes it
}

void SecureConnection::start_write() {
  if (closed_ || !writing_.empty() || outbox_.empty()) return;
  writing_.swap(outbox_);  // everything queued so far goes out in one write (outbox_ is now empty)
  asio::async_write(socket_, asio::buffer(writing_),
                    [self = shared_from_this()](const boost::system::error_code& ec, std::size_t) {
                      self->on_written(ec);
                    });
}

void SecureConnection::on_written(const boost::system::error_code& ec) {
  writing_.clear();  // keeps its capacity: the next batch swaps it in as the outbox
  if (ec) {
    close(Error(Errc::channel_closed, "write failed: " + ec.message()));
    return;
  }
  start_write();
  if (writing_.empty() && on_drained_) on_drained_();
}

void SecureConnection::trim_buffers() noexcept {
  if (outbox_.empty() && writing_.empty()) {
    Bytes().swap(outbox_);
    Bytes().swap(writing_);
  }
}

asio::awaitable<Result<Bytes>> SecureConnection::receive() {
  auto self = shared_from_this();  // alive while a receive is pending
  if (!pending_input_.empty()) {
    Bytes input;
    input.swap(pending_input_);
    if (auto used = decoder_.put(input); !used) close(used.error());
  }
  while (!closed_) {
    if (auto frame = decoder_.poll_frame()) co_return std::move(*frame);
    boost::system::error_code ec;
    co_await socket_.async_wait(tcp::socket::wait_read, asio::redirect_error(asio::use_awaitable, ec));
    if (closed_) break;
    if (ec) {
      close(Error(Errc::channel_closed, "read failed: " + ec.message()));
      break;
    }
    drain_socket();
  }
  co_return *closed_;
}

void SecureConnection::drain_socket() {
  // Drain what the kernel holds now, one scratch-sized read at a time.
  const auto scratch = read_scratch();
  boost::system::error_code ec;
  for (;;) {
    const std::size_t n = socket_.read_some(asio::buffer(scratch.data(), scratch.size()), ec);
    if (ec == asio::error::would_block) break;
    if (ec) {
      close(ec == asio::error::eof ? Error(Errc::channel_closed, "closed by the peer")
                                   : Error(Errc::channel_closed, "read failed: " + ec.message()));
      break;
    }
    if (auto used = decoder_.put(ByteView(scratch.data(), n)); !used) {
      close(used.error());
      break;
    }
    if (n < scratch.size()) break;  // the kernel buffer is empty
  }
}

void SecureConnection::start_receiving(ReceiveHandler handler) {
  // Posted, as a coroutine's start would be: the owner finishes setting up (and its own
  // owner registers it) before the handshake's leftover bytes are delivered.
  asio::post(socket_.get_executor(), [self = shared_from_this(), handler = std::move(handler)]() mutable {
    if (!self->pending_input_.empty()) {
      Bytes input;
      input.swap(self->pending_input_);
      if (auto used = self->decoder_.put(input); !used) self->close(used.error());
    }
    self->deliver_and_wait(std::move(handler));
  });
}

void SecureConnection::deliver_and_wait(ReceiveHandler handler) {
  auto self = shared_from_this();  // the handler may drop the owner's reference
  while (!closed_) {
    auto frame = decoder_.poll_frame();
    if (!frame) break;
    handler(std::move(*frame));
  }
  if (closed_) {
    handler(*closed_);
    return;
  }
  socket_.async_wait(tcp::socket::wait_read,
                     [self = std::move(self), handler = std::move(handler)](const boost::system::error_code& ec) mutable {
                       self->on_readable(ec, std::move(handler));
                     });
}

void SecureConnection::on_readable(const boost::system::error_code& ec, ReceiveHandler handler) {
  if (!closed_) {
    if (ec) {
      close(Error(Errc::channel_closed, "read failed: " + ec.message()));
    } else {
      drain_socket();
    }
  }
  deliver_and_wait(std::move(handler));
}

void SecureConnection::close(Error reason) {
  if (closed_) return;
  closed_ = std::move(reason);
  outbox_.clear();
  on_drained_ = nullptr;  // it may hold the owner: break the cycle
  boost::system::error_code ignored;
  socket_.close(ignored);
}

}  // namespace weft::conn
