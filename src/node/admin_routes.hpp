#pragma once
// The admin API's HTTP surface without the sockets: which endpoint a request names, and the
// JSON body of every answer (docs/architecture.md, "Admin API"). The server (admin_api)
// reads a request, calls route_admin_request(), asks the node for what the call needs and
// renders the answer with the *_reply functions.
//
//   GET  /v1/status   200 {peer_id, listen_addrs, uptime_ms, connections{...}, pool{...}, admin{...}}
//   GET  /v1/peers    200 {peers: [{peer_id, connections: [{id, direction, state, remote_addr,
//                          age_ms, streams{leased, open}, rtt_ms, health}]}]}
//   POST /v1/connect  {"addr": "/ip4/…/tcp/…/p2p/<PeerId>"}  200 {peer_id}
//   GET  /v1/topics   200 {enabled, topics: [{topic, mesh_peers, peers}], published, delivered,
//                          duplicates, rejected}
//   POST /v1/publish  {"topic": "t", "data": "<base64>"}  200 {id: "<hex>"}
//   GET  /v1/subscribe?topic=<percent-encoded topic>  200, then one JSON line per message
//                     as it arrives, until the client or the node ends it (topic_stream.hpp
//                     has the lines; the body ends with the connection); 409 gossip_off,
//                     429 too_many_subscribers
//
// Every error is {"error": "<code>", "message": "<one line>"}:
//   400 bad_request (unparsable HTTP), bad_json, missing_field, bad_multiaddr, bad_base64,
//   bad_message (too large, topic too long); 404 not_found; 405 method_not_allowed (with
//   an Allow header); 409 gossip_off; 429 too_many_subscribers; 413 body_too_large; 431 header_too_large;
//   502 connect_failed, no_peers (nobody to publish to); 503 unavailable (stopping);
//   504 timeout (the request took longer than request_timeout_ms).
// A query string is ignored but by /v1/subscribe (missing_field without a non-empty topic,
// bad_query for a malformed percent escape). No function here throws on any input.

#include <weft/error.hpp>
#include <weft/multiaddr.hpp>
#include <weft/peer_id.hpp>

#include "node/node_snapshot.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace weft::node {

/// One HTTP answer: status code, JSON body, and the Allow header's value for a 405.
struct AdminReply {
  unsigned status = 200;
  std::string body;
  std::string allow;
};

enum class AdminEndpoint : std::uint8_t { status, peers, connect, topics, publish, subscribe };

/// A well-formed request for an endpoint; `address` is the connect target (a TCP address
/// ending in /p2p/<PeerId>), set only for connect; `topic` for publish and subscribe, `data`
/// only for publish.
struct AdminCall {
  AdminEndpoint endpoint = AdminEndpoint::status;
  Multiaddr address;
  std::string topic;
  Bytes data;
};

/// What the admin server counted since it started (shown under "admin" in /v1/status).
/// One counter per limit that refuses something.
struct AdminCounters {
  std::uint64_t requests = 0;        ///< requests read completely
  std::uint64_t errors = 0;          ///< answers with a 4xx or 5xx status
  std::uint64_t refused_busy = 0;    ///< connections closed at once at max_connections
  std::uint64_t too_large = 0;       ///< requests past max_header_bytes or max_body_bytes
  std::uint64_t timed_out = 0;       ///< exchanges that passed request_timeout_ms
  std::uint64_t subscribers = 0;     ///< topic streams open now (a gauge)
  std::uint64_t stream_dropped = 0;  ///< stream lines dropped at a full subscriber queue
};

/// The value of `name` in a URL query ("a=1&topic=x%2Fy"), percent-decoded ('+' is a
/// space); nullopt when absent; an error (bad_query's message) for a malformed escape.
Result<std::optional<std::string>> query_parameter(std::string_view target, std::string_view name);

/// The call a request names, or the error answer for it (404, 405, 400).
std::variant<AdminCall, AdminReply> route_admin_request(std::string_view method, std::string_view target,
                                                        std::string_view body);

AdminReply status_reply(const StatusSnapshot& status, const AdminCounters& counters);
AdminReply peers_reply(const std::vector<PeerSnapshot>& peers);
/// 200 with the peer's id; 503 unavailable for pool_closed / node_not_running; else 502
/// connect_failed with the error's message.
AdminReply connect_reply(const Result<PeerId>& result);
AdminReply topics_reply(const GossipSnapshot& gossip);
/// 200 with the message id in hex; 409 gossip_off (config_invalid), 502 no_peers, 400
/// bad_message (too large, topic too long), 503 unavailable (node_not_running, pool_closed).
AdminReply publish_reply(const Result<std::string>& id);
AdminReply error_reply(unsigned status, std::string_view code, std::string_view message);

}  // namespace weft::node
