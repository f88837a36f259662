#include "node/admin_routes.hpp"

#include "identity/base64.hpp"
#include "identity/hex.hpp"

#include <nlohmann/json.hpp>

namespace weft::node {
namespace {

using json = nlohmann::json;

/// Never throws: text from the network or from error details may be invalid UTF-8, which
/// nlohmann's default dump would throw on; it is replaced with U+FFFD instead.
std::string dump(const json& value) { return value.dump(-1, ' ', false, json::error_handler_t::replace); }

AdminReply ok(const json& body) { return AdminReply{200, dump(body), {}}; }

AdminReply method_not_allowed(std::string_view allowed) {
  AdminReply reply = error_reply(405, "method_not_allowed", "use " + std::string(allowed));
  reply.allow = std::string(allowed);
  return reply;
}

std::variant<AdminCall, AdminReply> connect_call(std::string_view body) {
  const json request = json::parse(body.begin(), body.end(), nullptr, /*allow_exceptions=*/false);
  if (request.is_discarded()) return error_reply(400, "bad_json", "the body is not JSON");
  if (!request.is_object()) return error_reply(400, "bad_json", "the body is not a JSON object");
  const auto addr = request.find("addr");
  if (addr == request.end() || !addr->is_string()) {
    return error_reply(400, "missing_field", "\"addr\" (a string) is required");
  }
  const std::string& text = addr->get_ref<const std::string&>();
  auto address = Multiaddr::parse(text);
  if (!address) return error_reply(400, "bad_multiaddr", "'" + text + "': " + address.error().message());
  if (auto tcp = address.value().to_tcp_endpoint(); !tcp) {
    return error_reply(400, "bad_multiaddr", "'" + text + "': " + tcp.error().message());
  }
  if (!address.value().peer_id()) {
    return error_reply(400, "bad_multiaddr", "'" + text + "' must end in /p2p/<PeerId>");
  }
  return AdminCall{AdminEndpoint::connect, std::move(address).value(), {}, {}};
}

std::variant<AdminCall, AdminReply> publish_call(std::string_view body) {
  const json request = json::parse(body.begin(), body.end(), nullptr, /*allow_exceptions=*/false);
  if (request.is_discarded()) return error_reply(400, "bad_json", "the body is not JSON");
  if (!request.is_object()) return error_reply(400, "bad_json", "the body is not a JSON object");
  const auto topic = request.find("topic");
  if (topic == request.end() || !topic->is_string() || topic->get_ref<const std::string&>().empty()) {
    return error_reply(400, "missing_field", "\"topic\" (a non-empty string) is required");
  }
  const auto data = request.find("data");
  if (data == request.end() || !data->is_string()) {
    return error_reply(400, "missing_field", "\"data\" (a base64 string) is required");
  }
  auto bytes = identity::base64_decode(data->get_ref<const std::string&>(), identity::Base64Alphabet::standard,
                                       identity::Base64Padding::padded);
  if (!bytes) return error_reply(400, "bad_base64", "\"data\": " + bytes.error().message());
  return AdminCall{AdminEndpoint::publish, Multiaddr(), topic->get<std::string>(), std::move(bytes).value()};
}

std::variant<AdminCall, AdminReply> subscribe_call(std::string_view target) {
  auto topic = query_parameter(target, "topic");
  if (!topic) return error_reply(400, "bad_query", "topic: " + topic.error().detail());
  if (!topic.value() || topic.value()->empty()) {
    return error_reply(400, "missing_field", "the query needs topic=<topic> (non-empty, percent-encoded)");
  }
  return AdminCall{AdminEndpoint::subscribe, Multiaddr(), std::move(*topic.value()), {}};
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

Result<std::string> percent_decode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '+') {
      out.push_back(' ');
    } else if (text[i] != '%') {
      out.push_back(text[i]);
    } else {
      const int high = i + 2 < text.size() ? hex_digit(text[i + 1]) : -1;
      const int low = i + 2 < text.size() ? hex_digit(text[i + 2]) : -1;
      if (high < 0 || low < 0) return Error(Errc::config_invalid, "a '%' must start an escape of two hex digits");
      out.push_back(static_cast<char>(high * 16 + low));
      i += 2;
    }
  }
  return out;
}

const char* direction(bool inbound) { return inbound ? "inbound" : "outbound"; }

json connection_json(const ConnectionSnapshot& c) {
  json out = {
      {"id", c.id},
      {"direction", direction(c.inbound)},
      {"state", c.state},
      {"remote_addr", c.remote_address.empty() ? json(nullptr) : json(c.remote_address)},
      {"age_ms", c.age_ms ? json(*c.age_ms) : json(nullptr)},
      {"streams", {{"leased", c.leased_streams}, {"open", c.open_streams}}},
      {"rtt_ms", c.rtt_ms ? json(*c.rtt_ms) : json(nullptr)},
      {"health", c.degraded ? "degraded" : "healthy"},
  };
  return out;
}

json pool_json(const NodeStatistics& s) {
  json per_peer = json::object();
  for (const auto& [peer, count] : s.connections_per_peer) per_peer[peer.to_string()] = count;
  return {
      {"connecting", s.connecting},
      {"ready", s.ready},
      {"busy", s.busy},
      {"draining", s.draining},
      {"closed", s.closed},
      {"connections_per_peer", std::move(per_peer)},
      {"leased_streams", s.leased_streams},
      {"waiting_acquirers", s.waiting_acquirers},
      {"acquired", s.acquired},
      {"connections_created", s.connections_created},
      {"connections_closed", s.connections_closed},
      {"connections_reused", s.connections_reused},
      {"connections_failed", s.connections_failed},
      {"acquires_timed_out", s.acquires_timed_out},
      {"bytes_in", s.bytes_in},
      {"bytes_out", s.bytes_out},
      {"hit_rate", s.hit_rate},
      {"average_connect_ms", s.average_connect_ms},
      {"average_rtt_ms", s.average_rtt_ms},
      {"summary", s.summary},
  };
}

json peer_manager_json(const PeerManagerSnapshot& p) {
  json refused = json::object();
  for (std::size_t i = 0; i < peer::kInboundRefusalCount; ++i) {
    refused[std::string(peer::to_string(static_cast<peer::InboundRefusal>(i)))] = p.gate.refused[i];
  }
  const auto& m = p.manager;
  return {
      {"known_peers", p.known_peers},
      {"known_addrs", p.known_addresses},
      {"connected_peers", p.connected_peers},
      {"connections", p.connections},
      {"low_watermark", p.low_watermark},
      {"high_watermark", p.high_watermark},
      {"dials_in_flight", p.dials_in_flight},
      {"banned_peers", p.banned_peers},
      {"banned_addrs", p.banned_addresses},
      {"trimming", p.trimming},
      {"peerstore", p.store_path.empty() ? json(nullptr) : json(p.store_path)},
      {"dials", {{"started", m.dials_started}, {"succeeded", m.dials_succeeded}, {"failed", m.dials_failed}}},
      {"trims", {{"watermark", m.trims_watermark}, {"banned", m.trims_banned}}},
      {"bans", {{"misbehaviour", m.bans_misbehaviour}, {"expired", m.bans_expired}}},
      {"exchange",
       {{"sent", p.counters.exchanges_sent},
        {"failed", p.counters.exchanges_failed},
        {"invalid", p.counters.exchanges_invalid},
        {"answered", p.counters.exchanges_answered},
        {"refused", p.counters.exchanges_refused},
        {"addrs_learned", p.counters.addresses_learned}}},
      {"inbound", {{"admitted", p.gate.admitted}, {"refused", std::move(refused)}}},
      {"store", {{"flushes", p.counters.store_flushes}, {"flush_errors", p.counters.store_flush_errors}}},
  };
}

}  // namespace

std::variant<AdminCall, AdminReply> route_admin_request(std::string_view method, std::string_view target,
                                                        std::string_view body) {
  const std::string_view path = target.substr(0, target.find('?'));
  if (path == "/v1/status" || path == "/v1/peers") {
    if (method != "GET") return method_not_allowed("GET");
    return AdminCall{path == "/v1/status" ? AdminEndpoint::status : AdminEndpoint::peers, Multiaddr(), {}, {}};
  }
  if (path == "/v1/topics") {
    if (method != "GET") return method_not_allowed("GET");
    return AdminCall{AdminEndpoint::topics, Multiaddr(), {}, {}};
  }
  if (path == "/v1/connect") {
    if (method != "POST") return method_not_allowed("POST");
    return connect_call(body);
  }
  if (path == "/v1/publish") {
    if (method != "POST") return method_not_allowed("POST");
    return publish_call(body);
  }
  if (path == "/v1/subscribe") {
    if (method != "GET") return method_not_allowed("GET");
    return subscribe_call(target);
  }
  return error_reply(404, "not_found",
                     "no endpoint " + std::string(path) +
                         " (see /v1/status, /v1/peers, /v1/connect, /v1/topics, /v1/publish, /v1/subscribe)");
}

Result<std::optional<std::string>> query_parameter(std::string_view target, std::string_view name) {
  const std::size_t mark = target.find('?');
  if (mark == std::string_view::npos) return std::optional<std::string>();
  std::string_view query = target.substr(mark + 1);
  query = query.substr(0, query.find('#'));
  while (!query.empty()) {
    const std::size_t amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    const std::size_t eq = pair.find('=');
    BOOST_OUTCOME_TRY(key, percent_decode(pair.substr(0, eq)));
    if (key != name) continue;
    BOOST_OUTCOME_TRY(value, percent_decode(eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1)));
    return std::optional<std::string>(std::move(value));
  }
  return std::optional<std::string>();
}

AdminReply status_reply(const StatusSnapshot& status, const AdminCounters& counters) {
  json listen = json::array();
  for (const auto& address : status.listen_addresses) listen.push_back(address.to_string());
  const NodeStatistics& s = status.statistics;
  json body = {
      {"peer_id", status.peer_id.to_string()},
      {"listen_addrs", std::move(listen)},
      {"uptime_ms", status.uptime_ms},
      {"connections",
       {{"open", s.open_connections()},
        {"inbound", status.inbound},
        {"outbound", status.outbound},
        {"peers", s.connections_per_peer.size()}}},
      {"pool", pool_json(s)},
      {"admin",
       {{"requests", counters.requests},
        {"errors", counters.errors},
        {"refused_busy", counters.refused_busy},
        {"too_large", counters.too_large},
        {"timed_out", counters.timed_out},
        {"subscribers", counters.subscribers},
        {"stream_dropped", counters.stream_dropped}}},
  };
  body["peer_manager"] = status.peer_manager ? peer_manager_json(*status.peer_manager) : json(nullptr);
  return ok(body);
}

AdminReply peers_reply(const std::vector<PeerSnapshot>& peers) {
  json list = json::array();
  for (const auto& peer : peers) {
    json connections = json::array();
    for (const auto& c : peer.connections) connections.push_back(connection_json(c));
    list.push_back({{"peer_id", peer.peer_id.to_string()},
                    {"score", peer.score ? json(*peer.score) : json(nullptr)},
                    {"connections", std::move(connections)}});
  }
  return ok({{"peers", std::move(list)}});
}

AdminReply connect_reply(const Result<PeerId>& result) {
  if (result) return ok({{"peer_id", result.value().to_string()}});
  if (result.error() == Errc::pool_closed || result.error() == Errc::node_not_running) {
    return error_reply(503, "unavailable", result.error().message());
  }
  return error_reply(502, "connect_failed", result.error().message());
}

AdminReply topics_reply(const GossipSnapshot& gossip) {
  json topics = json::array();
  for (const auto& t : gossip.topics) {
    topics.push_back({{"topic", t.topic},
                      {"mesh_peers", t.mesh_peers},
                      {"peers", t.peers},
                      {"delivered", t.delivered},
                      {"duplicates", t.duplicates},
                      {"rejected", t.rejected},
                      {"ignored", t.ignored},
                      {"dropped", t.dropped},
                      {"idontwant_sent", t.idontwant_sent},
                      {"idontwant_received", t.idontwant_received}});
  }
  return ok({{"enabled", gossip.enabled},
             {"topics", std::move(topics)},
             {"published", gossip.published},
             {"delivered", gossip.delivered},
             {"duplicates", gossip.duplicates},
             {"rejected", gossip.rejected},
             {"ignored", gossip.ignored}});
}

AdminReply publish_reply(const Result<std::string>& id) {
  if (id) {
    const std::string& raw = id.value();
    return ok({{"id", identity::hex_encode(ByteView(reinterpret_cast<const std::uint8_t*>(raw.data()), raw.size()))}});
  }
  const Error& e = id.error();
  if (e == Errc::config_invalid) return error_reply(409, "gossip_off", e.message());
  if (e == Errc::gossip_no_peers) return error_reply(502, "no_peers", e.message());
  if (e == Errc::node_not_running || e == Errc::pool_closed) return error_reply(503, "unavailable", e.message());
  return error_reply(400, "bad_message", e.message());
}

AdminReply error_reply(unsigned status, std::string_view code, std::string_view message) {
  return AdminReply{status, dump({{"error", code}, {"message", message}}), {}};
}

}  // namespace weft::node
