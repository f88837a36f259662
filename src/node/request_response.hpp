#pragma once
// Request/response over pooled streams (the seed documents' send_to_peer): one stream per
// request, carried on the connection table's least-loaded connection to the peer.
//
// Wire, after the stream's protocol preamble (conn/stream.hpp):
//   request:  uvarint length, the request bytes, FIN
//   response: one status byte, uvarint length, the response bytes, FIN
// Status: 0 ok; 1 the request was above the responder's cap; 2 the handler failed (the
// bytes are its error message, at most 1 KiB).
//
// Errors a requester sees: request_too_large (ours or the peer's cap), request_timeout,
// request_unknown_protocol (no handler there), peer_gone (the stream or connection died),
// request_malformed (a response that does not parse), request_failed (the peer's handler
// failed), and the pool's acquire errors (dial_failed, circuit_open, pool_exhausted,
// connect_timeout).

#include <weft/bytes.hpp>
#include <weft/error.hpp>
#include <weft/multiaddr.hpp>
#include <weft/peer_id.hpp>

#include "conn/connection_pool.hpp"
#include "util/asio.hpp"

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace weft::node {

struct RequestConfig {
  std::size_t max_request_bytes = 1024 * 1024;
  std::size_t max_response_bytes = 1024 * 1024;
};

enum class ResponseStatus : std::uint8_t { ok = 0, too_large = 1, handler_failed = 2 };

/// Answers one request: the response bytes, or an error whose message goes back.
using RequestHandler = std::function<asio::awaitable<Result<Bytes>>(PeerId from, Bytes request)>;

/// Serves `protocol` on `pool` with `handler` (replaces any handler for it).
void serve_requests(conn::ConnectionPool& pool, std::string protocol, RequestHandler handler, RequestConfig config = {});

/// Sends `request` to `peer` (dialing `addresses` if needed) and returns the response.
/// `timeout` bounds the exchange once a stream is leased (acquiring has its own timeout).
asio::awaitable<Result<Bytes>> request(std::shared_ptr<conn::ConnectionPool> pool, PeerId peer,
                                       std::vector<Multiaddr> addresses, std::string protocol, Bytes request,
                                       std::chrono::milliseconds timeout, RequestConfig config = {});

/// The same on a stream the caller already leased for `protocol` (it stays the caller's:
/// ended by the exchange, returned to the pool when the lease goes).
asio::awaitable<Result<Bytes>> request_on(conn::Stream& stream, Bytes request, std::chrono::milliseconds timeout,
                                          RequestConfig config = {});

}  // namespace weft::node
