// Request/response over pooled streams (src/node/request_response): replies, and each
// error a requester can see — unknown protocol, timeout, too large either side, a failing
// handler, and a peer that goes away mid-request.

#include "pool_peer.hpp"
#include "io_test_support.hpp"
#include "node/request_response.hpp"
#include "util/asio.hpp"

#include <weft/keys.hpp>
#include <weft/multiaddr.hpp>
#include <weft/peer_id.hpp>

#include <doctest/doctest.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>

namespace weft {
namespace {

using namespace std::chrono_literals;
using test::store_into;

using Peer = test::PoolPeer;

Bytes bytes_of(const std::string& s) { return Bytes(s.begin(), s.end()); }

asio::awaitable<Result<Bytes>> upper_case(PeerId, Bytes request) {
  for (auto& b : request) b = static_cast<std::uint8_t>(std::toupper(b));
  co_return request;
}

asio::awaitable<Result<Bytes>> failing(PeerId, Bytes) { co_return Error(Errc::request_failed, "no such block"); }

asio::awaitable<Result<Bytes>> never(PeerId, Bytes) {
  asio::steady_timer forever(co_await asio::this_coro::executor, std::chrono::hours(1));
  boost::system::error_code ignored;
  co_await forever.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
  co_return Bytes{};
}

Result<Bytes> run_request(asio::io_context& io, Peer& from, Peer& to, std::string protocol, Bytes body,
                          std::chrono::milliseconds timeout = 5'000ms, node::RequestConfig config = {}) {
  std::optional<Result<Bytes>> out;
  asio::co_spawn(io,
                 store_into(out, node::request(from.pool, to.id(), {to.address}, std::move(protocol), std::move(body),
                                               timeout, config)),
                 asio::detached);
  test::run_until(io, [&] { return out.has_value(); });
  return std::move(*out);
}

}  // namespace

TEST_CASE("request: the handler's response comes back; the stream is returned") {
  asio::io_context io;
  Peer a(io), b(io);
  node::serve_requests(*b.pool, "/upper", upper_case);
  for (int i = 0; i < 3; ++i) {
    auto reply = run_request(io, a, b, "/upper", bytes_of("hello " + std::to_string(i)));
    REQUIRE(reply.has_value());
    CHECK(reply.value() == bytes_of("HELLO " + std::to_string(i)));
  }
  auto empty = run_request(io, a, b, "/upper", {});
  REQUIRE(empty.has_value());
  CHECK(empty.value().empty());
  const auto stats = a.pool->stats();
  CHECK(stats.leased_streams == 0);
  CHECK(stats.connections_created == 1);
  CHECK(stats.connections_reused == 3);
}

TEST_CASE("request: a protocol the peer does not serve is request_unknown_protocol") {
  asio::io_context io;
  Peer a(io), b(io);
  auto reply = run_request(io, a, b, "/missing", bytes_of("x"));
  REQUIRE_FALSE(reply.has_value());
  CHECK(reply.error() == Errc::request_unknown_protocol);
}

TEST_CASE("request: no response within the timeout is request_timeout") {
  asio::io_context io;
  Peer a(io), b(io);
  node::serve_requests(*b.pool, "/never", never);
  auto reply = run_request(io, a, b, "/never", bytes_of("x"), 200ms);
  REQUIRE_FALSE(reply.has_value());
  CHECK(reply.error() == Errc::request_timeout);
  node::serve_requests(*b.pool, "/upper", upper_case);
  CHECK(run_request(io, a, b, "/upper", bytes_of("ok")).has_value());  // the connection is fine
}

TEST_CASE("request: a request above our cap fails before sending; above the peer's cap, with its cap") {
  asio::io_context io;
  Peer a(io), b(io);
  node::RequestConfig small;
  small.max_request_bytes = 10;
  node::serve_requests(*b.pool, "/upper", upper_case, small);
  node::RequestConfig tiny;
  tiny.max_request_bytes = 4;
  auto ours = run_request(io, a, b, "/upper", bytes_of("12345"), 5'000ms, tiny);
  REQUIRE_FALSE(ours.has_value());
  CHECK(ours.error() == Errc::request_too_large);
  CHECK(a.pool->stats().acquired == 0);  // refused before any stream

  auto theirs = run_request(io, a, b, "/upper", bytes_of("0123456789A"));
  REQUIRE_FALSE(theirs.has_value());
  CHECK(theirs.error() == Errc::request_too_large);
  CHECK(theirs.error().detail().find("10") != std::string::npos);
}

TEST_CASE("request: a response above our cap is request_too_large") {
  asio::io_context io;
  Peer a(io), b(io);
  node::serve_requests(*b.pool, "/upper", upper_case);
  node::RequestConfig config;
  config.max_response_bytes = 3;
  auto reply = run_request(io, a, b, "/upper", bytes_of("four"), 5'000ms, config);
  REQUIRE_FALSE(reply.has_value());
  CHECK(reply.error() == Errc::request_too_large);
}

TEST_CASE("request: a failing handler is request_failed with its message") {
  asio::io_context io;
  Peer a(io), b(io);
  node::serve_requests(*b.pool, "/fail", failing);
  auto reply = run_request(io, a, b, "/fail", bytes_of("x"));
  REQUIRE_FALSE(reply.has_value());
  CHECK(reply.error() == Errc::request_failed);
  CHECK(reply.error().detail().find("no such block") != std::string::npos);
}

TEST_CASE("request: a peer that goes away mid-request is peer_gone") {
  asio::io_context io;
  Peer a(io), b(io);
  node::serve_requests(*b.pool, "/never", never);
  std::optional<Result<Bytes>> out;
  asio::co_spawn(io, store_into(out, node::request(a.pool, b.id(), {b.address}, "/never", bytes_of("x"), 10'000ms)),
                 asio::detached);
  test::run_until(io, [&] { return b.pool->stats().open_connections() > 0; });
  // b drops every connection, as a killed process would.
  for (conn::ConnectionId id = 1; id < 10; ++id) {
    if (auto c = b.pool->connection(id)) c->close(Error(Errc::channel_closed, "killed"));
  }
  test::run_until(io, [&] { return out.has_value(); });
  REQUIRE_FALSE(out->has_value());
  CHECK(out->error() == Errc::peer_gone);
}

}  // namespace weft
