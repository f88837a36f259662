#include "node/request_response.hpp"

#include "identity/varint.hpp"

#include <algorithm>
#include <array>

namespace weft::node {
namespace {

constexpr std::size_t kMaxErrorMessageBytes = 1024;

/// Reads a uvarint one byte at a time. 0 bytes before it: nullopt-like error (ended).
asio::awaitable<Result<std::uint64_t>> read_uvarint(conn::Stream& stream) {
  Bytes prefix;
  for (;;) {
    std::uint8_t byte = 0;
    auto read = co_await stream.read_exact(std::span<std::uint8_t>(&byte, 1));
    if (!read) co_return read.error();
    prefix.push_back(byte);
    auto decoded = identity::decode_uvarint_prefix(prefix);
    if (!decoded) co_return Error(Errc::request_malformed, "length prefix: " + decoded.error().message());
    if (decoded.value()) co_return decoded.value()->value;
  }
}

/// The stream-level error as the requester reports it.
Error exchange_error(const Error& e) {
  if (e == Errc::mux_stream_reset || e == Errc::mux_session_closed || e == Errc::mux_stream_closed) {
    return Error(Errc::peer_gone, e.message());
  }
  return e;
}

asio::awaitable<void> answer(std::shared_ptr<RequestHandler> handler, RequestConfig config, conn::Stream stream) {
  auto length = co_await read_uvarint(stream);
  if (!length) co_return;  // the stream resets as it goes
  Bytes response_head;
  Bytes body;
  if (length.value() > config.max_request_bytes) {
    response_head.push_back(static_cast<std::uint8_t>(ResponseStatus::too_large));
    const std::string message = std::to_string(config.max_request_bytes);
    body.assign(message.begin(), message.end());
  } else {
    Bytes request(static_cast<std::size_t>(length.value()));
    if (auto read = co_await stream.read_exact(request); !read) co_return;
    auto response = co_await (*handler)(stream.peer(), std::move(request));
    if (response && response.value().size() <= config.max_response_bytes) {
      response_head.push_back(static_cast<std::uint8_t>(ResponseStatus::ok));
      body = std::move(response).value();
    } else {
      response_head.push_back(static_cast<std::uint8_t>(ResponseStatus::handler_failed));
      std::string message = response ? "response of " + std::to_string(response.value().size()) +
                                           " bytes is above max_response_bytes"
                                     : response.error().message();
      message.resize(std::min(message.size(), kMaxErrorMessageBytes));
      body.assign(message.begin(), message.end());
    }
  }
  identity::append_uvarint(response_head, body.size());
  if (auto w = co_await stream.write_all(response_head); !w) co_return;
  if (auto w = co_await stream.write_all(body); !w) co_return;
  (void)stream.close_write();
  // Read to the requester's FIN (discarding the body of a refused request) so that the
  // stream ends cleanly: a reset now would drop the response before it is read.
  std::array<std::uint8_t, 1024> discard{};
  for (;;) {
    auto n = co_await stream.read_some(discard);
    if (!n || n.value() == 0) break;
  }
}

}  // namespace

void serve_requests(conn::ConnectionPool& pool, std::string protocol, RequestHandler handler, RequestConfig config) {
  auto shared = std::make_shared<RequestHandler>(std::move(handler));
  pool.set_handler(std::move(protocol), [shared, config, &pool](conn::Stream stream) {
    asio::co_spawn(pool.executor(), answer(shared, config, std::move(stream)), asio::detached);
  });
}

asio::awaitable<Result<Bytes>> request(std::shared_ptr<conn::ConnectionPool> pool, PeerId peer,
                                       std::vector<Multiaddr> addresses, std::string protocol, Bytes request,
                                       std::chrono::milliseconds timeout, RequestConfig config) {
  if (request.size() > config.max_request_bytes) {
    co_return Error(Errc::request_too_large, std::to_string(request.size()) + " bytes, above max_request_bytes " +
                                                 std::to_string(config.max_request_bytes));
  }
  auto lease = co_await pool->acquire(peer, std::move(addresses), protocol);
  if (!lease) co_return lease.error();
  co_return co_await request_on(lease.value().stream(), std::move(request), timeout, config);
}

asio::awaitable<Result<Bytes>> request_on(conn::Stream& stream, Bytes request, std::chrono::milliseconds timeout,
                                          RequestConfig config) {
  if (request.size() > config.max_request_bytes) {
    co_return Error(Errc::request_too_large, std::to_string(request.size()) + " bytes, above max_request_bytes " +
                                                 std::to_string(config.max_request_bytes));
  }

  // The deadline resets the stream, which wakes whatever read or write is waiting.
  auto timed_out = std::make_shared<bool>(false);
  asio::steady_timer deadline(co_await asio::this_coro::executor, timeout);
  deadline.async_wait([timed_out, &stream](const boost::system::error_code& ec) {
    if (ec) return;  // cancelled: the exchange is over (and `stream` may be gone)
    *timed_out = true;
    stream.reset();
  });
  const auto fail = [&](const Error& e) -> Error {
    if (*timed_out) return Error(Errc::request_timeout, "no response within " + std::to_string(timeout.count()) + " ms");
    return exchange_error(e);
  };

  Bytes head;
  identity::append_uvarint(head, request.size());
  if (auto w = co_await stream.write_all(head); !w) co_return fail(w.error());
  if (auto w = co_await stream.write_all(request); !w) co_return fail(w.error());
  if (auto c = stream.close_write(); !c) co_return fail(c.error());

  std::uint8_t status = 0;
  if (auto r = co_await stream.read_exact(std::span<std::uint8_t>(&status, 1)); !r) co_return fail(r.error());
  auto length = co_await read_uvarint(stream);
  if (!length) co_return fail(length.error());
  const std::uint64_t cap = status == static_cast<std::uint8_t>(ResponseStatus::ok) ? config.max_response_bytes
                                                                                    : kMaxErrorMessageBytes;
  if (length.value() > cap) {
    stream.reset();
    co_return Error(Errc::request_too_large, "response of " + std::to_string(length.value()) +
                                                 " bytes, above max_response_bytes " + std::to_string(cap));
  }
  Bytes body(static_cast<std::size_t>(length.value()));
  if (auto r = co_await stream.read_exact(body); !r) co_return fail(r.error());
  std::uint8_t extra = 0;
  auto end = co_await stream.read_some(std::span<std::uint8_t>(&extra, 1));
  deadline.cancel();
  if (!end) co_return fail(end.error());
  if (end.value() != 0) co_return Error(Errc::request_malformed, "bytes after the response");

  const std::string text(body.begin(), body.end());
  switch (static_cast<ResponseStatus>(status)) {
    case ResponseStatus::ok: co_return body;
    case ResponseStatus::too_large: co_return Error(Errc::request_too_large, "the peer's max_request_bytes is " + text);
    case ResponseStatus::handler_failed: co_return Error(Errc::request_failed, text);
  }
  co_return Error(Errc::request_malformed, "response status " + std::to_string(status));
}

}  // namespace weft::node
