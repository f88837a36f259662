// The admin API's topic streams (GET /v1/subscribe) over real loopback sockets: the server
// with a scripted backend for the stream's behaviour and limits (order, topics kept apart,
// a full queue's {"dropped": N}, the subscriber cap, a client going away, stop(), no
// overall deadline), then real nodes: each line's fields, and the embedder's own handler
// and subscriptions undisturbed by streams coming and going.

#include "admin_server_fixture.hpp"
#include "http_stream_client.hpp"
#include "node_test_support.hpp"
#include "test_peer_id.hpp"

#include "identity/base64.hpp"
#include "identity/hex.hpp"
#include "node/admin_api.hpp"
#include "util/asio.hpp"

#include <weft/node.hpp>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <future>
#include <map>
#include <thread>

namespace weft {
namespace {

using json = nlohmann::json;
using namespace std::chrono_literals;
using test::eventually;
using test::HttpStream;

// --- the server alone, with a scripted backend ------------------------------------------

struct StreamBackend : node::AdminBackend {
  node::StatusSnapshot status() override { return {test::test_peer(1), {}, 0, 0, 0, {}, std::nullopt}; }
  std::vector<node::PeerSnapshot> peers() override { return {}; }
  void connect(Multiaddr, ConnectCallback done) override { done(Error(Errc::dial_failed, "scripted")); }
  Result<std::uint64_t> add_topic_listener(const std::string& topic, LineListener listener) override {
    if (gossip_off) return Error(Errc::config_invalid, "gossip is off");
    listeners.emplace(next, std::make_pair(topic, std::move(listener)));
    return next++;
  }
  void remove_topic_listener(std::uint64_t token) override { listeners.erase(token); }
  /// Hands `line` to every listener of `topic`, as a node delivers a message.
  void emit(const std::string& topic, const std::string& line) {
    for (auto& [token, listener] : listeners) {
      if (listener.first == topic) listener.second(line);
    }
  }
  bool gossip_off = false;
  std::map<std::uint64_t, std::pair<std::string, LineListener>> listeners;
  std::uint64_t next = 1;
};

struct StreamServer : test::AdminServerFixture<StreamBackend> {
  using AdminServerFixture::AdminServerFixture;
  std::size_t listeners() {
    return on_io([this] { return backend->listeners.size(); });
  }
  void emit(const std::string& topic, const std::string& line) {
    on_io([&] {
      backend->emit(topic, line);
      return 0;
    });
  }
};

/// Opens a stream on `topic` and waits until its header came and its listener is there.
std::unique_ptr<HttpStream> open_stream(StreamServer& server, const std::string& topic, std::size_t listeners_then) {
  auto stream = std::make_unique<HttpStream>(server.port(), "/v1/subscribe?topic=" + topic);
  REQUIRE(stream->read_header() == 200);
  REQUIRE(eventually([&] { return server.listeners() == listeners_then; }));
  return stream;
}

}  // namespace

TEST_CASE("topic stream: lines of its topic, in order, as they come; another topic's are not mixed in") {
  StreamServer f;
  auto a = std::make_unique<HttpStream>(f.port(), "/v1/subscribe?topic=a");
  REQUIRE(a->read_header() == 200);
  CHECK(a->header("Content-Type") == "application/x-ndjson");
  CHECK(a->header("Connection") == "close");
  CHECK(a->header("Content-Length").empty());
  REQUIRE(eventually([&] { return f.listeners() == 1; }));
  auto b = open_stream(f, "b", 2);
  CHECK(f.counters().subscribers == 2);

  f.emit("a", "1");
  CHECK(a->next_line() == std::optional<std::string>("1"));  // before the next is emitted
  f.emit("b", "x");
  f.emit("a", "2");
  CHECK(a->next_line() == std::optional<std::string>("2"));
  CHECK(b->next_line() == std::optional<std::string>("x"));
}

TEST_CASE("topic stream: a full queue drops, counts, and says {\"dropped\": N} where the lines were lost") {
  node::AdminConfig config;
  config.stream_queue_messages = 2;
  StreamServer f(config);
  auto s = open_stream(f, "t", 1);
  // Five lines in one turn of the network thread: the writer cannot take any before all
  // are queued, so two fit and three are dropped.
  f.on_io([&] {
    for (int i = 1; i <= 5; ++i) f.backend->emit("t", "l" + std::to_string(i));
    return 0;
  });
  f.emit("t", "l6");
  CHECK(s->next_line() == std::optional<std::string>("l1"));
  CHECK(s->next_line() == std::optional<std::string>("l2"));
  CHECK(s->next_line() == std::optional<std::string>(R"({"dropped":3})"));
  CHECK(s->next_line() == std::optional<std::string>("l6"));
  CHECK(f.counters().stream_dropped == 3);
}

TEST_CASE("topic stream: the byte cap drops too") {
  node::AdminConfig config;
  config.stream_queue_bytes = 10;
  StreamServer f(config);
  auto s = open_stream(f, "t", 1);
  f.on_io([&] {
    f.backend->emit("t", "12345678");  // fits
    f.backend->emit("t", "123");       // 11 > 10: dropped
    f.backend->emit("t", "12");        // fits
    return 0;
  });
  CHECK(s->next_line() == std::optional<std::string>("12345678"));
  CHECK(s->next_line() == std::optional<std::string>(R"({"dropped":1})"));
  CHECK(s->next_line() == std::optional<std::string>("12"));
}

TEST_CASE("topic stream: the client going away removes its listener at once") {
  StreamServer f;
  auto s = open_stream(f, "t", 1);
  s->close();
  CHECK(eventually([&] { return f.listeners() == 0; }));
  CHECK(eventually([&] { return f.counters().subscribers == 0; }));
  CHECK(eventually([&] { return f.on_io([&] { return f.server->open_connections(); }) == 0; }));
}

TEST_CASE("topic stream: past max_subscribers a stream is refused with 429; a freed slot takes a new one") {
  node::AdminConfig config;
  config.max_subscribers = 1;
  StreamServer f(config);
  auto first = open_stream(f, "t", 1);
  HttpStream second(f.port(), "/v1/subscribe?topic=t");
  CHECK(second.read_header() == 429);
  const json refusal = json::parse(second.rest());
  CHECK(refusal.at("error") == "too_many_subscribers");
  CHECK(f.listeners() == 1);
  first->close();
  REQUIRE(eventually([&] { return f.counters().subscribers == 0; }));
  auto third = open_stream(f, "t", 1);
  f.emit("t", "hello");
  CHECK(third->next_line() == std::optional<std::string>("hello"));
}

TEST_CASE("topic stream: with gossip off it is 409 gossip_off; a bad request is answered before any stream") {
  StreamServer f;
  f.on_io([&] {
    f.backend->gossip_off = true;
    return 0;
  });
  HttpStream off(f.port(), "/v1/subscribe?topic=t");
  CHECK(off.read_header() == 409);
  CHECK(json::parse(off.rest()).at("error") == "gossip_off");
  HttpStream no_topic(f.port(), "/v1/subscribe");
  CHECK(no_topic.read_header() == 400);
  CHECK(json::parse(no_topic.rest()).at("error") == "missing_field");
  CHECK(f.counters().subscribers == 0);
}

TEST_CASE("topic stream: stop() ends the stream (the body ends) and removes the listener") {
  StreamServer f;
  auto s = open_stream(f, "t", 1);
  f.emit("t", "last");
  CHECK(s->next_line() == std::optional<std::string>("last"));
  f.on_io([&] {
    f.server->stop();
    return 0;
  });
  CHECK(s->next_line() == std::nullopt);
  CHECK(f.listeners() == 0);
}

TEST_CASE("topic stream: request_timeout_ms does not end a quiet stream") {
  node::AdminConfig config;
  config.request_timeout = 50ms;
  StreamServer f(config);
  auto s = open_stream(f, "t", 1);
  std::this_thread::sleep_for(400ms);  // eight request timeouts with nothing to send
  f.emit("t", "still here");
  CHECK(s->next_line() == std::optional<std::string>("still here"));
  CHECK(f.counters().timed_out == 0);
}

TEST_CASE("topic stream: a client that takes no line within request_timeout_ms is cut off") {
  node::AdminConfig config;
  config.request_timeout = 200ms;
  config.stream_queue_bytes = 64 * 1024 * 1024;
  StreamServer f(config);
  // A 4 KiB receive buffer that is never read: the server's send buffer (autotuned up to
  // net.ipv4.tcp_wmem's max, 4 MiB by default; 16 MiB is well past it) fills and a write stalls.
  HttpStream s(f.port(), "/v1/subscribe?topic=t", 4096);
  REQUIRE(s.read_header() == 200);
  REQUIRE(eventually([&] { return f.listeners() == 1; }));
  const std::string mebibyte(1024 * 1024, 'x');
  f.on_io([&] {
    for (int i = 0; i < 16; ++i) f.backend->emit("t", mebibyte);
    return 0;
  });
  CHECK(eventually([&] { return f.listeners() == 0; }));
  CHECK(eventually([&] { return f.counters().timed_out == 1; }));
  CHECK(f.counters().subscribers == 0);
}

// --- real nodes -----------------------------------------------------------------------------

namespace {

using test::gossip_node;

std::uint16_t admin_port(const Node& node) {
  const std::string address = node.admin_address();
  REQUIRE(address.rfind("127.0.0.1:", 0) == 0);
  return static_cast<std::uint16_t>(std::stoi(address.substr(10)));
}

Bytes bytes_of(const std::string& s) { return Bytes(s.begin(), s.end()); }

/// Publishes until it is sent (the peer's subscription may not have arrived yet); the id.
std::string publish(Node& node, const std::string& topic, const std::string& data) {
  Result<std::string> id = Error(Errc::gossip_no_peers);
  REQUIRE(eventually([&] {
    id = node.publish(topic, bytes_of(data)).get();
    return id.has_value();
  }));
  return id.value();
}

/// The topics `node` lists in /v1/topics.
std::vector<std::string> listed_topics(const Node& node) {
  const auto answer = test::http_exchange(admin_port(node), test::http_request("GET", "/v1/topics"));
  REQUIRE(answer.status == 200);
  std::vector<std::string> topics;
  const json body = json::parse(answer.body);  // named: a range-for over a temporary's member dangles
  for (const json& t : body.at("topics")) topics.push_back(t.at("topic").get<std::string>());
  return topics;
}

bool lists(const Node& node, const std::string& topic) {
  const auto topics = listed_topics(node);
  return std::find(topics.begin(), topics.end(), topic) != topics.end();
}

std::string hex_of(const std::string& raw) {
  return identity::hex_encode(ByteView(reinterpret_cast<const std::uint8_t*>(raw.data()), raw.size()));
}

}  // namespace

TEST_CASE("topic stream on a node: each message's fields; the embedder's handler keeps its messages and topic") {
  auto a = test::make_node(gossip_node());
  test::start_node(*a);
  NodeConfig config = gossip_node();
  config.connections.warmup_peers = {a->listen_addresses().at(0).to_string()};
  auto b = test::make_node(config);
  test::Recorder<TopicMessage> handler;
  b->subscribe("blocks", handler.callback());
  test::start_node(*b);

  auto blocks = std::make_unique<HttpStream>(admin_port(*b), "/v1/subscribe?topic=blocks");
  REQUIRE(blocks->read_header() == 200);
  HttpStream other(admin_port(*b), "/v1/subscribe?topic=other%2Fone");
  REQUIRE(other.read_header() == 200);
  REQUIRE(eventually([&] { return lists(*b, "other/one"); }));  // the stream subscribed it

  const std::string id = publish(*a, "blocks", "block 1");
  const auto line = blocks->next_line();
  REQUIRE(line.has_value());
  const json m = json::parse(*line);
  CHECK(m.at("topic") == "blocks");
  CHECK(m.at("from") == a->peer_id().to_string());
  CHECK(m.at("seqno").is_number_unsigned());
  CHECK(m.at("id") == hex_of(id));
  CHECK(m.at("data") == identity::base64_encode(bytes_of("block 1"), identity::Base64Alphabet::standard,
                                                identity::Base64Padding::padded));
  CHECK(m.at("received_from") == a->peer_id().to_string());
  const std::string at = m.at("received_at").get<std::string>();
  CHECK(at.size() == 24);  // 2026-11-23T14:05:09.123Z
  CHECK(at[10] == 'T');
  CHECK(at[19] == '.');
  CHECK(at.back() == 'Z');
  REQUIRE(handler.wait_for_count(1).size() == 1);  // the embedder's handler got it too

  publish(*a, "other/one", "elsewhere");
  const auto other_line = other.next_line();
  REQUIRE(other_line.has_value());
  CHECK(json::parse(*other_line).at("topic") == "other/one");
  publish(*a, "blocks", "block 2");
  const auto next = blocks->next_line();  // not the other topic's message
  REQUIRE(next.has_value());
  CHECK(json::parse(*next).at("data") == "YmxvY2sgMg==");
  CHECK(handler.wait_for_count(2).size() == 2);

  // The blocks stream goes: the embedder's subscription stays and still gets messages.
  blocks->close();
  REQUIRE(eventually([&] {
    const auto status = test::http_exchange(admin_port(*b), test::http_request("GET", "/v1/status"));
    return json::parse(status.body).at("admin").at("subscribers") == 1;
  }));
  CHECK(lists(*b, "blocks"));
  publish(*a, "blocks", "block 3");
  const auto after = handler.wait_for_count(3);
  REQUIRE(after.size() == 3);
  CHECK(after[2].data == bytes_of("block 3"));

  // The other stream was all that wanted its topic: closing it leaves the topic.
  other.close();
  CHECK(eventually([&] { return !lists(*b, "other/one"); }));
  CHECK(lists(*b, "blocks"));

  // A new stream on the embedder's topic, then gone again: the handler is not replaced.
  {
    HttpStream again(admin_port(*b), "/v1/subscribe?topic=blocks");
    REQUIRE(again.read_header() == 200);
    publish(*a, "blocks", "block 4");
    const auto fourth = again.next_line();
    REQUIRE(fourth.has_value());
    CHECK(json::parse(*fourth).at("data") == "YmxvY2sgNA==");
  }
  publish(*a, "blocks", "block 5");
  CHECK(handler.wait_for_count(5).size() == 5);
  CHECK(lists(*b, "blocks"));
}

TEST_CASE("topic stream on a node: admin.max_subscribers and admin.stream_queue_bytes bound the node's streams") {
  auto a = test::make_node(gossip_node());
  test::start_node(*a);
  NodeConfig config = gossip_node();
  config.connections.warmup_peers = {a->listen_addresses().at(0).to_string()};
  config.admin.max_subscribers = 1;
  config.admin.stream_queue_bytes = 64;  // less than any message's line
  auto b = test::make_node(config);
  test::start_node(*b);

  HttpStream first(admin_port(*b), "/v1/subscribe?topic=blocks");
  REQUIRE(first.read_header() == 200);
  HttpStream second(admin_port(*b), "/v1/subscribe?topic=blocks");
  CHECK(second.read_header() == 429);
  CHECK(json::parse(second.rest()).at("error") == "too_many_subscribers");

  REQUIRE(eventually([&] { return lists(*b, "blocks"); }));
  publish(*a, "blocks", "a message whose line is longer than 64 bytes");
  CHECK(first.next_line() == std::optional<std::string>(R"({"dropped":1})"));
  const auto status = test::http_exchange(admin_port(*b), test::http_request("GET", "/v1/status"));
  CHECK(json::parse(status.body).at("admin").at("stream_dropped") == 1);
}

TEST_CASE("topic stream on a node: stopping the node ends the stream") {
  auto node = test::make_node(gossip_node());
  test::start_node(*node);
  HttpStream s(admin_port(*node), "/v1/subscribe?topic=t");
  REQUIRE(s.read_header() == 200);
  REQUIRE(eventually([&] { return lists(*node, "t"); }));
  node->stop();
  CHECK(s.next_line() == std::nullopt);
}

}  // namespace weft
