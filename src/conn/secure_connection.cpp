#include "conn/secure_connection.hpp"

#include <array>

namespace weft::conn {
namespace {

/// How much one read asks the kernel for. Frames larger than this arrive in several reads.
constexpr std::size_t kReadChunkBytes = 64 * 1024;

}  // namespace

SecureConnection::SecureConnection(beast::tcp_stream stream, handshake::Established session, Bytes leftover,
                                   const channel::ChannelConfig& config)
    : stream_(std::move(stream)),
      session_(std::move(session)),
      sealer_(session_.keys.send, config),
      decoder_(session_.keys.recv, config),
      pending_input_(std::move(leftover)),
      wake_writer_(stream_.get_executor()) {
  boost::system::error_code ec;
  remote_ = stream_.socket().remote_endpoint(ec);
  wake_writer_.expires_at(asio::steady_timer::time_point::max());
}

void SecureConnection::start() {
  stream_.expires_never();
  asio::co_spawn(stream_.get_executor(), [self = shared_from_this()] { return self->write_loop(); },
                 asio::detached);
}

void SecureConnection::send(ByteView plaintext) {
  if (closed_) return;
  sealer_.seal_all(plaintext, outbox_);
  wake_writer_.cancel();
}

asio::awaitable<void> SecureConnection::write_loop() {
  auto self = shared_from_this();  // keeps the connection alive while the writer runs
  Bytes writing;
  while (!closed_) {
    if (outbox_.empty()) {
      boost::system::error_code ignored;
      co_await wake_writer_.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
      continue;
    }
    writing.clear();
    writing.swap(outbox_);  // everything queued so far goes out in one write
    in_flight_bytes_ = writing.size();
    boost::system::error_code ec;
    co_await asio::async_write(stream_, asio::buffer(writing), asio::redirect_error(asio::use_awaitable, ec));
    in_flight_bytes_ = 0;
    if (ec) close(Error(Errc::channel_closed, "write failed: " + ec.message()));
  }
}

asio::awaitable<Result<Bytes>> SecureConnection::receive() {
  if (!pending_input_.empty()) {
    Bytes input;
    input.swap(pending_input_);
    if (auto used = decoder_.put(input); !used) close(used.error());
  }
  std::array<std::uint8_t, 4096> small;
  Bytes large;
  while (!closed_) {
    if (auto frame = decoder_.poll_frame()) co_return std::move(*frame);
    // Read into a small stack buffer while idle; switch to a large one only for bulk data.
    const bool bulk = !large.empty();
    const asio::mutable_buffer buffer = bulk ? asio::buffer(large) : asio::buffer(small);
    boost::system::error_code ec;
    const std::size_t n =
        co_await stream_.async_read_some(buffer, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
      close(ec == asio::error::eof ? Error(Errc::channel_closed, "closed by the peer")
                                   : Error(Errc::channel_closed, "read failed: " + ec.message()));
      break;
    }
    if (!bulk && n == small.size()) large.resize(kReadChunkBytes);
    const ByteView data(static_cast<const std::uint8_t*>(buffer.data()), n);
    if (auto used = decoder_.put(data); !used) close(used.error());
  }
  co_return *closed_;
}

void SecureConnection::close(Error reason) {
  if (closed_) return;
  closed_ = std::move(reason);
  outbox_.clear();
  wake_writer_.cancel();
  boost::system::error_code ignored;
  stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
  stream_.close();
}

}  // namespace weft::conn
