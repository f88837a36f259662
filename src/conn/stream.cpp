#include "conn/stream.hpp"

namespace weft::conn {

Stream::Stream(std::shared_ptr<MuxedConnection> connection, mux::StreamId id, Side side, std::string protocol)
    : connection_(std::move(connection)), id_(id), side_(side), protocol_(std::move(protocol)),
      status_read_(side == Side::acceptor), status_owed_(side == Side::acceptor) {}

Stream::Stream(Stream&& other) noexcept
    : connection_(std::move(other.connection_)), id_(other.id_), side_(other.side_),
      protocol_(std::move(other.protocol_)), status_read_(other.status_read_), status_owed_(other.status_owed_),
      write_closed_(other.write_closed_),
      read_ended_(other.read_ended_), failed_(other.failed_) {
  other.connection_.reset();
}

Stream& Stream::operator=(Stream&& other) noexcept {
  if (this != &other) {
    abandon();
    connection_ = std::move(other.connection_);
    other.connection_.reset();
    id_ = other.id_;
    side_ = other.side_;
    protocol_ = std::move(other.protocol_);
    status_read_ = other.status_read_;
    status_owed_ = other.status_owed_;
    write_closed_ = other.write_closed_;
    read_ended_ = other.read_ended_;
    failed_ = other.failed_;
  }
  return *this;
}

Stream::~Stream() { abandon(); }

void Stream::abandon() noexcept {
  if (!connection_) return;
  if (!finished()) connection_->reset(id_);
  connection_->forget(id_);
  connection_.reset();
}

asio::awaitable<Result<std::size_t>> Stream::read_some(std::span<std::uint8_t> out) {
  if (!connection_) co_return Error(Errc::mux_stream_closed, "no stream");
  if (read_ended_) co_return std::size_t{0};
  while (!status_read_) {
    std::uint8_t status = 0;
    // Buffered bytes are taken at once; only an empty stream waits.
    auto n = connection_->try_read(id_, std::span<std::uint8_t>(&status, 1));
    while (n && n.value() == 0) {
      co_await connection_->until_readable(id_);
      n = connection_->try_read(id_, std::span<std::uint8_t>(&status, 1));
    }
    if (!n) {
      failed_ = true;
      if (n.error() == Errc::mux_stream_closed) {
        co_return Error(Errc::request_malformed, "stream ended before the protocol status");
      }
      co_return n.error();
    }
    status_read_ = true;
    if (status == static_cast<std::uint8_t>(StreamStatus::unknown_protocol)) {
      failed_ = true;
      co_return Error(Errc::request_unknown_protocol, "'" + protocol_ + "'");
    }
    if (status != static_cast<std::uint8_t>(StreamStatus::accepted)) {
      failed_ = true;
      co_return Error(Errc::request_malformed, "protocol status " + std::to_string(status));
    }
  }
  if (out.empty()) co_return std::size_t{0};
  auto n = connection_->try_read(id_, out);
  while (n && n.value() == 0) {
    co_await connection_->until_readable(id_);
    n = connection_->try_read(id_, out);
  }
  if (!n && n.error() == Errc::mux_stream_closed) {
    read_ended_ = true;  // the peer's FIN: end of stream (resets read as mux_stream_reset)
    co_return std::size_t{0};
  }
  if (!n) failed_ = true;
  co_return n;
}

asio::awaitable<Result<void>> Stream::read_exact(std::span<std::uint8_t> out) {
  std::size_t done = 0;
  while (done < out.size()) {
    auto n = co_await read_some(out.subspan(done));
    if (!n) co_return n.error();
    if (n.value() == 0) co_return Error(Errc::request_malformed, "stream ended early");
    done += n.value();
  }
  co_return success();
}

Result<void> Stream::send_status_if_owed() {
  if (!status_owed_) return success();
  const auto accepted = static_cast<std::uint8_t>(StreamStatus::accepted);
  // A stream's first byte always fits its window; failing means the stream is gone.
  auto written = connection_->try_write(id_, ByteView(&accepted, 1));
  if (!written) return written.error();
  if (written.value() != 1) return Error(Errc::mux_stream_closed, "protocol status not taken");
  status_owed_ = false;
  return success();
}

asio::awaitable<Result<void>> Stream::write_all(ByteView data) {
  if (!connection_) co_return Error(Errc::mux_stream_closed, "no stream");
  if (auto status = send_status_if_owed(); !status) {
    failed_ = true;
    co_return status.error();
  }
  // What the window takes now is written without a nested coroutine; only the rest waits.
  auto taken = connection_->try_write(id_, data);
  if (taken && taken.value() == data.size()) co_return success();
  if (!taken) {
    failed_ = true;
    co_return taken.error();
  }
  auto result = co_await connection_->write_all(id_, data.subspan(taken.value()));
  if (!result) failed_ = true;
  co_return result;
}

Result<void> Stream::close_write() {
  if (!connection_) return Error(Errc::mux_stream_closed, "no stream");
  if (auto status = send_status_if_owed(); !status) {
    failed_ = true;
    return status.error();
  }
  auto result = connection_->close_write(id_);
  if (result) write_closed_ = true;
  return result;
}

void Stream::reset() {
  if (!connection_) return;
  connection_->reset(id_);
  write_closed_ = read_ended_ = true;  // nothing left to do; the destructor sends nothing more
}

}  // namespace weft::conn

namespace weft::conn {

Result<Stream> open_protocol_stream(std::shared_ptr<MuxedConnection> connection, std::string protocol) {
  if (protocol.empty() || protocol.size() > kMaxProtocolNameBytes) {
    return Error(Errc::request_malformed, "protocol name must be 1.." + std::to_string(kMaxProtocolNameBytes) + " bytes");
  }
  BOOST_OUTCOME_TRY(id, connection->open_stream());
  // The preamble always fits: a new stream has at least 256 KiB of window.
  const Bytes preamble = encode_protocol_preamble(protocol);
  auto written = connection->try_write(id, preamble);
  if (!written || written.value() != preamble.size()) {
    connection->reset(id);
    return written ? Error(Errc::mux_stream_closed, "preamble not taken") : written.error();
  }
  return Stream(std::move(connection), id, Stream::Side::opener, std::move(protocol));
}

}  // namespace weft::conn
