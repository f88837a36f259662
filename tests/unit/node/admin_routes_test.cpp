// The admin API's routing and JSON (src/node/admin_routes): every endpoint, every error
// answer, and the shape of each body.

#include "node/admin_routes.hpp"
#include "test_peer_id.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <string>

namespace weft::node {
namespace {

using json = nlohmann::json;

constexpr const char* kPeerText = "12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA";

AdminReply reply_of(std::variant<AdminCall, AdminReply> routed) {
  REQUIRE(std::holds_alternative<AdminReply>(routed));
  return std::get<AdminReply>(std::move(routed));
}

AdminCall call_of(std::variant<AdminCall, AdminReply> routed) {
  if (auto* reply = std::get_if<AdminReply>(&routed)) FAIL("expected a call, got " << reply->status << " " << reply->body);
  return std::get<AdminCall>(std::move(routed));
}

/// The body parsed; an error body has exactly "error" and "message".
json body_of(const AdminReply& reply) {
  const json body = json::parse(reply.body);
  if (reply.status >= 400) {
    CHECK(body.size() == 2);
    CHECK(body.at("error").is_string());
    CHECK(body.at("message").is_string());
  }
  return body;
}

AdminReply connect_with(const std::string& body) { return reply_of(route_admin_request("POST", "/v1/connect", body)); }

}  // namespace

TEST_CASE("admin routes: each endpoint with its method is a call") {
  CHECK(call_of(route_admin_request("GET", "/v1/status", "")).endpoint == AdminEndpoint::status);
  CHECK(call_of(route_admin_request("GET", "/v1/peers", "")).endpoint == AdminEndpoint::peers);
  CHECK(call_of(route_admin_request("GET", "/v1/status?verbose=1", "")).endpoint == AdminEndpoint::status);
  const std::string addr = std::string("/ip4/127.0.0.1/tcp/4001/p2p/") + kPeerText;
  const AdminCall connect = call_of(route_admin_request("POST", "/v1/connect", json{{"addr", addr}}.dump()));
  CHECK(connect.endpoint == AdminEndpoint::connect);
  CHECK(connect.address.to_string() == addr);
  // Other members are ignored.
  CHECK(call_of(route_admin_request("POST", "/v1/connect", json{{"addr", addr}, {"x", 1}}.dump())).endpoint ==
        AdminEndpoint::connect);
}

TEST_CASE("admin routes: an unknown path is 404, a wrong method 405 with Allow") {
  for (const char* path : {"/", "/v1", "/v1/", "/v1/status/", "/v2/status", "/V1/STATUS", "v1/status", ""}) {
    CAPTURE(path);
    const AdminReply r = reply_of(route_admin_request("GET", path, ""));
    CHECK(r.status == 404);
    CHECK(body_of(r).at("error") == "not_found");
  }
  const AdminReply post_status = reply_of(route_admin_request("POST", "/v1/status", ""));
  CHECK(post_status.status == 405);
  CHECK(post_status.allow == "GET");
  CHECK(body_of(post_status).at("error") == "method_not_allowed");
  CHECK(reply_of(route_admin_request("DELETE", "/v1/peers", "")).allow == "GET");
  const AdminReply get_connect = reply_of(route_admin_request("GET", "/v1/connect", ""));
  CHECK(get_connect.status == 405);
  CHECK(get_connect.allow == "POST");
}

TEST_CASE("admin routes: connect refuses a bad body with 400 and says why") {
  SUBCASE("not JSON") {
    for (const char* body : {"", "{", "addr=/ip4/1.2.3.4", "{\"addr\": }", "\xff\xfe"}) {
      CAPTURE(body);
      const AdminReply r = connect_with(body);
      CHECK(r.status == 400);
      CHECK(body_of(r).at("error") == "bad_json");
    }
  }
  SUBCASE("JSON but not an object") {
    for (const char* body : {"[]", "\"/ip4/1.2.3.4/tcp/1\"", "1", "null"}) {
      const AdminReply r = connect_with(body);
      CHECK(r.status == 400);
      CHECK(body_of(r).at("error") == "bad_json");
    }
  }
  SUBCASE("no addr, or not a string") {
    for (const char* body : {"{}", "{\"address\": \"/ip4/1.2.3.4/tcp/1\"}", "{\"addr\": 1}", "{\"addr\": null}",
                             "{\"addr\": [\"/ip4/1.2.3.4/tcp/1\"]}"}) {
      CAPTURE(body);
      const AdminReply r = connect_with(body);
      CHECK(r.status == 400);
      CHECK(body_of(r).at("error") == "missing_field");
      CHECK(body_of(r).at("message").get<std::string>().find("addr") != std::string::npos);
    }
  }
  SUBCASE("an address that is not a multiaddr, not TCP, or without /p2p/") {
    for (const std::string& addr : {std::string("nonsense"), std::string("/ip4/999.1.1.1/tcp/1"), std::string("/ip4/1.2.3.4/udp/1/p2p/") + kPeerText,
                                   std::string("/ip4/1.2.3.4/tcp/1"), std::string("/ip4/1.2.3.4/tcp/1/p2p/notapeer")}) {
      CAPTURE(addr);
      const AdminReply r = connect_with(json{{"addr", addr}}.dump());
      CHECK(r.status == 400);
      const json body = body_of(r);
      CHECK(body.at("error") == "bad_multiaddr");
      CHECK(body.at("message").get<std::string>().find(addr) != std::string::npos);
    }
  }
  SUBCASE("invalid UTF-8 in the address is answered, not thrown") {
    const AdminReply r = connect_with("{\"addr\": \"/ip4/\\u00ff\xff\"}");
    CHECK(r.status == 400);
    CHECK(json::accept(r.body));  // the body is valid JSON
  }
}

TEST_CASE("admin routes: status carries identity, addresses, uptime, counts, pool and admin counters") {
  StatusSnapshot s{test::test_peer(1), {Multiaddr::parse("/ip4/127.0.0.1/tcp/4001").value()}, 1234, 2, 1, {}, {}};
  s.statistics.ready = 2;
  s.statistics.connecting = 1;
  s.statistics.connections_per_peer = {{test::test_peer(2), 2}, {test::test_peer(3), 1}};
  s.statistics.acquired = 7;
  s.statistics.bytes_in = 99;
  s.statistics.summary = "connections 3";
  AdminCounters counters;
  counters.requests = 5;
  counters.refused_busy = 1;
  const AdminReply r = status_reply(s, counters);
  CHECK(r.status == 200);
  const json body = body_of(r);
  CHECK(body.at("peer_id") == test::test_peer(1).to_string());
  CHECK(body.at("listen_addrs") == json::array({"/ip4/127.0.0.1/tcp/4001"}));
  CHECK(body.at("uptime_ms") == 1234);
  CHECK(body.at("connections") == json{{"open", 3}, {"inbound", 2}, {"outbound", 1}, {"peers", 2}});
  const json& pool = body.at("pool");
  CHECK(pool.at("ready") == 2);
  CHECK(pool.at("acquired") == 7);
  CHECK(pool.at("bytes_in") == 99);
  CHECK(pool.at("connections_per_peer").at(test::test_peer(2).to_string()) == 2);
  CHECK(pool.at("summary") == "connections 3");
  CHECK(body.at("admin").at("requests") == 5);
  CHECK(body.at("admin").at("refused_busy") == 1);
  CHECK(body.at("peer_manager").is_null());  // no peer manager in this snapshot
}

TEST_CASE("admin routes: status shows the peer manager's state and counters when it runs") {
  StatusSnapshot s{test::test_peer(1), {}, 0, 0, 0, {}, PeerManagerSnapshot{}};
  PeerManagerSnapshot& p = *s.peer_manager;
  p.known_peers = 12;
  p.connected_peers = 7;
  p.low_watermark = 32;
  p.store_path = "/tmp/x/peerstore.db";
  p.counters.exchanges_answered = 3;
  p.manager.dials_failed = 2;
  p.gate.refused[static_cast<std::size_t>(peer::InboundRefusal::rate_limited)] = 4;
  const json pm = body_of(status_reply(s, AdminCounters{})).at("peer_manager");
  CHECK(pm.at("known_peers") == 12);
  CHECK(pm.at("connected_peers") == 7);
  CHECK(pm.at("low_watermark") == 32);
  CHECK(pm.at("peerstore") == "/tmp/x/peerstore.db");
  CHECK(pm.at("exchange").at("answered") == 3);
  CHECK(pm.at("dials").at("failed") == 2);
  CHECK(pm.at("inbound").at("refused").at("rate_limited") == 4);
  CHECK(pm.at("inbound").at("refused").at("ip_banned") == 0);
}

TEST_CASE("admin routes: peers lists each peer's connections; unknown values are null") {
  ConnectionSnapshot established;
  established.id = 4;
  established.inbound = true;
  established.state = "ready";
  established.remote_address = "/ip4/127.0.0.1/tcp/5555";
  established.age_ms = 1500;
  established.leased_streams = 1;
  established.open_streams = 2;
  established.rtt_ms = 0.25;
  ConnectionSnapshot dialing;
  dialing.id = 9;
  dialing.state = "connecting";
  dialing.degraded = true;
  const AdminReply r = peers_reply({PeerSnapshot{test::test_peer(2), {established, dialing}, 2.5}});
  CHECK(r.status == 200);
  const json body = body_of(r);
  REQUIRE(body.at("peers").size() == 1);
  const json& peer = body.at("peers").at(0);
  CHECK(peer.at("peer_id") == test::test_peer(2).to_string());
  CHECK(peer.at("score") == 2.5);
  REQUIRE(peer.at("connections").size() == 2);
  CHECK(peer.at("connections").at(0) == json{{"id", 4},
                                             {"direction", "inbound"},
                                             {"state", "ready"},
                                             {"remote_addr", "/ip4/127.0.0.1/tcp/5555"},
                                             {"age_ms", 1500},
                                             {"streams", {{"leased", 1}, {"open", 2}}},
                                             {"rtt_ms", 0.25},
                                             {"health", "healthy"}});
  const json& second = peer.at("connections").at(1);
  CHECK(second.at("direction") == "outbound");
  CHECK(second.at("remote_addr").is_null());
  CHECK(second.at("age_ms").is_null());
  CHECK(second.at("rtt_ms").is_null());
  CHECK(second.at("health") == "degraded");

  CHECK(body_of(peers_reply({})) == json{{"peers", json::array()}});
}

TEST_CASE("admin routes: connect's answer: the peer, 502 for a failed dial, 503 when stopping") {
  const AdminReply ok = connect_reply(test::test_peer(5));
  CHECK(ok.status == 200);
  CHECK(body_of(ok) == json{{"peer_id", test::test_peer(5).to_string()}});

  const AdminReply failed = connect_reply(Error(Errc::dial_failed, "127.0.0.1:1: Connection refused"));
  CHECK(failed.status == 502);
  CHECK(body_of(failed).at("error") == "connect_failed");
  CHECK(body_of(failed).at("message").get<std::string>().find("Connection refused") != std::string::npos);
  CHECK(connect_reply(Error(Errc::connect_timeout)).status == 502);

  for (Errc stopping : {Errc::pool_closed, Errc::node_not_running}) {
    const AdminReply r = connect_reply(Error(stopping));
    CHECK(r.status == 503);
    CHECK(body_of(r).at("error") == "unavailable");
  }
}

TEST_CASE("admin routes: error_reply is one JSON object, whatever the message holds") {
  const AdminReply r = error_reply(418, "teapot", "a \"quoted\"\nline \xff");
  CHECK(r.status == 418);
  const json body = json::parse(r.body);
  CHECK(body.at("error") == "teapot");
  CHECK(r.body.find('\n') == std::string::npos);
}

}  // namespace weft::node

namespace weft::node {

TEST_CASE("admin routes: publish takes a topic and base64 data; topics is a GET") {
  CHECK(call_of(route_admin_request("GET", "/v1/topics", "")).endpoint == AdminEndpoint::topics);
  CHECK(reply_of(route_admin_request("POST", "/v1/topics", "")).status == 405);
  CHECK(reply_of(route_admin_request("GET", "/v1/publish", "")).allow == "POST");

  const AdminCall call =
      call_of(route_admin_request("POST", "/v1/publish", json{{"topic", "blocks"}, {"data", "aGVsbG8="}}.dump()));
  CHECK(call.endpoint == AdminEndpoint::publish);
  CHECK(call.topic == "blocks");
  CHECK(call.data == Bytes{'h', 'e', 'l', 'l', 'o'});
  CHECK(call_of(route_admin_request("POST", "/v1/publish", json{{"topic", "t"}, {"data", ""}}.dump())).data.empty());

  const auto publish_with = [](const std::string& body) {
    return reply_of(route_admin_request("POST", "/v1/publish", body));
  };
  SUBCASE("not JSON, or not an object") {
    CHECK(body_of(publish_with("{")).at("error") == "bad_json");
    CHECK(body_of(publish_with("[]")).at("error") == "bad_json");
  }
  SUBCASE("a missing, empty or non-string topic") {
    for (const json& body : {json{{"data", ""}}, json{{"topic", ""}, {"data", ""}}, json{{"topic", 1}, {"data", ""}}}) {
      const AdminReply r = publish_with(body.dump());
      CHECK(r.status == 400);
      CHECK(body_of(r).at("error") == "missing_field");
    }
  }
  SUBCASE("missing or non-string data") {
    CHECK(body_of(publish_with(json{{"topic", "t"}}.dump())).at("error") == "missing_field");
    CHECK(body_of(publish_with(json{{"topic", "t"}, {"data", 5}}.dump())).at("error") == "missing_field");
  }
  SUBCASE("data that is not base64") {
    const AdminReply r = publish_with(json{{"topic", "t"}, {"data", "not base64!"}}.dump());
    CHECK(r.status == 400);
    CHECK(body_of(r).at("error") == "bad_base64");
  }
}

TEST_CASE("admin routes: publish's answer: the id in hex, or the error's status and code") {
  const AdminReply ok = publish_reply(std::string("\x01\xab", 2));
  CHECK(ok.status == 200);
  CHECK(body_of(ok) == json{{"id", "01ab"}});
  const auto code_of = [](Errc e) {
    const AdminReply r = publish_reply(Error(e, "detail"));
    return std::make_pair(r.status, body_of(r).at("error").get<std::string>());
  };
  CHECK(code_of(Errc::gossip_no_peers) == std::make_pair(502u, std::string("no_peers")));
  CHECK(code_of(Errc::config_invalid) == std::make_pair(409u, std::string("gossip_off")));
  CHECK(code_of(Errc::node_not_running) == std::make_pair(503u, std::string("unavailable")));
  CHECK(code_of(Errc::gossip_message_too_large) == std::make_pair(400u, std::string("bad_message")));
  CHECK(code_of(Errc::gossip_topic_too_long) == std::make_pair(400u, std::string("bad_message")));
}

TEST_CASE("admin routes: topics lists each topic's mesh and peers with the router's counters") {
  GossipSnapshot g;
  g.enabled = true;
  g.topics = {{"blocks", 2, 3, 10, 11, 12, 13, 14, 15, 16}, {"tx", 0, 1}};
  g.published = 4;
  g.delivered = 5;
  g.duplicates = 6;
  g.rejected = 1;
  g.ignored = 7;
  const json body = body_of(topics_reply(g));
  const auto topic = [](const char* name, int mesh, int peers, int first) {
    return json{{"topic", name},
                {"mesh_peers", mesh},
                {"peers", peers},
                {"delivered", first},
                {"duplicates", first == 0 ? 0 : first + 1},
                {"rejected", first == 0 ? 0 : first + 2},
                {"ignored", first == 0 ? 0 : first + 3},
                {"dropped", first == 0 ? 0 : first + 4},
                {"idontwant_sent", first == 0 ? 0 : first + 5},
                {"idontwant_received", first == 0 ? 0 : first + 6}};
  };
  CHECK(body == json{{"enabled", true},
                     {"topics", json::array({topic("blocks", 2, 3, 10), topic("tx", 0, 1, 0)})},
                     {"published", 4},
                     {"delivered", 5},
                     {"duplicates", 6},
                     {"rejected", 1},
                     {"ignored", 7}});
  CHECK(body_of(topics_reply(GossipSnapshot{})).at("enabled") == false);
}

}  // namespace weft::node

namespace weft::node {

TEST_CASE("admin routes: subscribe is a GET with a percent-encoded topic in the query") {
  const AdminCall call = call_of(route_admin_request("GET", "/v1/subscribe?topic=blocks", ""));
  CHECK(call.endpoint == AdminEndpoint::subscribe);
  CHECK(call.topic == "blocks");
  CHECK(call_of(route_admin_request("GET", "/v1/subscribe?x=1&topic=a%2Fb+c%7e&y", "")).topic == "a/b c~");

  SUBCASE("another method is 405") {
    const AdminReply r = reply_of(route_admin_request("POST", "/v1/subscribe?topic=blocks", ""));
    CHECK(r.status == 405);
    CHECK(r.allow == "GET");
  }
  SUBCASE("no topic, or an empty one, is 400 missing_field") {
    for (const char* target : {"/v1/subscribe", "/v1/subscribe?", "/v1/subscribe?topic=", "/v1/subscribe?topics=x"}) {
      CAPTURE(target);
      const AdminReply r = reply_of(route_admin_request("GET", target, ""));
      CHECK(r.status == 400);
      CHECK(body_of(r).at("error") == "missing_field");
    }
  }
  SUBCASE("a malformed escape is 400 bad_query") {
    for (const char* target : {"/v1/subscribe?topic=a%2", "/v1/subscribe?topic=%zz", "/v1/subscribe?to%pic=a"}) {
      CAPTURE(target);
      const AdminReply r = reply_of(route_admin_request("GET", target, ""));
      CHECK(r.status == 400);
      CHECK(body_of(r).at("error") == "bad_query");
    }
  }
}

TEST_CASE("admin routes: query_parameter finds, decodes or reports absence") {
  CHECK(query_parameter("/v1/x", "topic").value() == std::nullopt);
  CHECK(query_parameter("/v1/x?a=1", "topic").value() == std::nullopt);
  CHECK(query_parameter("/v1/x?topic", "topic").value() == std::optional<std::string>(""));
  CHECK(query_parameter("/v1/x?topic=%41%62#frag", "topic").value() == std::optional<std::string>("Ab"));
  CHECK(query_parameter("/v1/x?topic=1&topic=2", "topic").value() == std::optional<std::string>("1"));
  CHECK_FALSE(query_parameter("/v1/x?topic=%4", "topic").has_value());
}

TEST_CASE("admin routes: status shows the topic stream counters") {
  StatusSnapshot s{test::test_peer(1), {}, 0, 0, 0, {}, {}};
  AdminCounters counters;
  counters.subscribers = 2;
  counters.stream_dropped = 9;
  const json body = body_of(status_reply(s, counters));
  CHECK(body.at("admin").at("subscribers") == 2);
  CHECK(body.at("admin").at("stream_dropped") == 9);
}

}  // namespace weft::node
