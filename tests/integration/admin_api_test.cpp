// The admin HTTP API over real loopback sockets (src/node/admin_api): the server with a
// scripted backend for every limit and error path, then real nodes for status, peers,
// connect and the api.addr discovery file.

#include "admin_server_fixture.hpp"
#include "http_test_client.hpp"
#include "run_process.hpp"  // TempDir, read_file
#include "test_peer_id.hpp"

#include "node/admin_api.hpp"
#include "util/asio.hpp"

#include <weft/node.hpp>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <deque>
#include <future>
#include <optional>
#include <thread>

namespace weft {
namespace {

using json = nlohmann::json;
using namespace std::chrono_literals;
using test::http_exchange;
using test::http_request;

/// A bound on waiting for something that must happen (not a performance assertion).
constexpr auto kPatience = 30s;

// --- the server alone, with a scripted backend ------------------------------------------

struct ScriptedBackend : node::AdminBackend {
  node::StatusSnapshot status() override {
    node::StatusSnapshot s{test::test_peer(1), {}, 42, 0, 0, {}, std::nullopt};
    s.statistics.summary = "scripted";
    return s;
  }
  std::vector<node::PeerSnapshot> peers() override { return {node::PeerSnapshot{test::test_peer(2), {}, std::nullopt}}; }
  void connect(Multiaddr address, ConnectCallback done) override {
    connected_to.push_back(address.to_string());
    if (failure) return done(*failure);
    if (peer) return done(*peer);
    held.push_back(std::move(done));  // never answered: the request times out
  }
  std::optional<PeerId> peer;     ///< answer with this peer, or
  std::optional<Error> failure;   ///< with this error; else never
  std::vector<std::string> connected_to;
  std::deque<ConnectCallback> held;
};

/// An AdminServer with the scripted backend on its own network thread.
struct ServerFixture : test::AdminServerFixture<ScriptedBackend> {
  using AdminServerFixture::AdminServerFixture;
  std::size_t open_connections() { return on_io([this] { return server->open_connections(); }); }
  /// Waits until the server holds `n` connections.
  void wait_for_connections(std::size_t n) {
    const auto give_up = std::chrono::steady_clock::now() + kPatience;
    while (open_connections() != n && std::chrono::steady_clock::now() < give_up) std::this_thread::sleep_for(5ms);
    REQUIRE(open_connections() == n);
  }
};

json json_of(const test::HttpAnswer& answer) {
  const json body = json::parse(answer.body, nullptr, false);
  REQUIRE_MESSAGE(!body.is_discarded(), "not JSON: " << answer.body);
  return body;
}

std::string error_of(const test::HttpAnswer& answer) { return json_of(answer).at("error").get<std::string>(); }

const std::string kPeer = "12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA";

}  // namespace

TEST_CASE("admin server: binds loopback on a free port and answers GET /v1/status and /v1/peers with JSON") {
  ServerFixture f;
  CHECK(f.server->local_endpoint().address().to_string() == "127.0.0.1");
  CHECK(f.port() != 0);
  const auto status = http_exchange(f.port(), http_request("GET", "/v1/status"));
  CHECK(status.status == 200);
  CHECK(status.header("Content-Type") == "application/json");
  CHECK(status.header("Connection") == "close");
  const json body = json_of(status);
  CHECK(body.at("peer_id") == test::test_peer(1).to_string());
  CHECK(body.at("uptime_ms") == 42);
  CHECK(body.at("pool").at("summary") == "scripted");
  CHECK(body.at("admin").at("requests") == 1);  // this request

  const auto peers = http_exchange(f.port(), http_request("GET", "/v1/peers"));
  CHECK(peers.status == 200);
  CHECK(json_of(peers).at("peers").at(0).at("peer_id") == test::test_peer(2).to_string());
  CHECK(f.counters().requests == 2);
  CHECK(f.counters().errors == 0);
}

TEST_CASE("admin server: POST /v1/connect answers with the backend's result") {
  ServerFixture f;
  const std::string addr = "/ip4/127.0.0.1/tcp/4001/p2p/" + kPeer;
  const std::string body = json{{"addr", addr}}.dump();

  SUBCASE("connected") {
    f.backend->peer = PeerId::parse(kPeer).value();
    const auto answer = http_exchange(f.port(), http_request("POST", "/v1/connect", body));
    CHECK(answer.status == 200);
    CHECK(json_of(answer) == json{{"peer_id", kPeer}});
    CHECK(f.on_io([&] { return f.backend->connected_to; }) == std::vector<std::string>{addr});
  }
  SUBCASE("the dial failed: 502 with the reason") {
    f.backend->failure = Error(Errc::dial_failed, "Connection refused");
    const auto answer = http_exchange(f.port(), http_request("POST", "/v1/connect", body));
    CHECK(answer.status == 502);
    CHECK(error_of(answer) == "connect_failed");
    CHECK(json_of(answer).at("message").get<std::string>().find("Connection refused") != std::string::npos);
    CHECK(f.counters().errors == 1);
  }
  SUBCASE("the node is stopping: 503") {
    f.backend->failure = Error(Errc::pool_closed);
    const auto answer = http_exchange(f.port(), http_request("POST", "/v1/connect", body));
    CHECK(answer.status == 503);
    CHECK(error_of(answer) == "unavailable");
  }
}

TEST_CASE("admin server: a connect without an answer in request_timeout_ms is 504") {
  node::AdminConfig config;
  config.request_timeout = 200ms;
  ServerFixture f(config);
  const auto answer = http_exchange(
      f.port(), http_request("POST", "/v1/connect", json{{"addr", "/ip4/127.0.0.1/tcp/1/p2p/" + kPeer}}.dump()));
  CHECK(answer.status == 504);
  CHECK(error_of(answer) == "timeout");
  CHECK(f.counters().timed_out == 1);
  // The late answer, when it comes, finds the exchange gone and changes nothing.
  f.on_io([&] {
    for (auto& done : f.backend->held) done(test::test_peer(3));
    return 0;
  });
  CHECK(f.counters().timed_out == 1);
}

TEST_CASE("admin server: every refused request gets its JSON error over HTTP") {
  ServerFixture f;
  struct Case {
    std::string request;
    int status;
    std::string error;
  };
  const std::vector<Case> cases{
      {http_request("GET", "/nope"), 404, "not_found"},
      {http_request("GET", "/v1/statusx"), 404, "not_found"},
      {http_request("POST", "/v1/status", "{}"), 405, "method_not_allowed"},
      {http_request("GET", "/v1/connect"), 405, "method_not_allowed"},
      {http_request("POST", "/v1/connect", "{not json"), 400, "bad_json"},
      {http_request("POST", "/v1/connect", ""), 400, "bad_json"},
      {http_request("POST", "/v1/connect", "{\"address\": \"x\"}"), 400, "missing_field"},
      {http_request("POST", "/v1/connect", "{\"addr\": \"/ip4/1.2.3.4/tcp/99999/p2p/" + kPeer + "\"}"), 400,
       "bad_multiaddr"},
      {http_request("POST", "/v1/connect", "{\"addr\": \"/ip4/1.2.3.4/tcp/1\"}"), 400, "bad_multiaddr"},
      {"NOT HTTP AT ALL\r\n\r\n", 400, "bad_request"},
      {"GET /v1/status HTTP/1.1\r\nContent-Length: x\r\n\r\n", 400, "bad_request"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.request);
    const auto answer = http_exchange(f.port(), c.request);
    CHECK(answer.status == c.status);
    CHECK(error_of(answer) == c.error);
    if (c.status == 405) CHECK(!answer.header("Allow").empty());
  }
  CHECK(f.counters().errors == cases.size());
  CHECK(f.on_io([&] { return f.backend->connected_to.size(); }) == 0);  // nothing reached the node
}

TEST_CASE("admin server: a body over max_body_bytes is 413, a header block over max_header_bytes 431") {
  ServerFixture f;
  const std::size_t max_body = node::AdminConfig{}.max_body_bytes;
  SUBCASE("declared and sent") {
    const std::string body(max_body + 1, 'x');
    const auto answer = http_exchange(f.port(), http_request("POST", "/v1/connect", body));
    CHECK(answer.status == 413);
    CHECK(error_of(answer) == "body_too_large");
    CHECK(f.counters().too_large == 1);
  }
  SUBCASE("chunked, without a declared length") {
    std::string request = "POST /v1/connect HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";
    const std::string chunk(16 * 1024, 'x');
    for (std::size_t sent = 0; sent <= max_body; sent += chunk.size()) request += "4000\r\n" + chunk + "\r\n";
    request += "0\r\n\r\n";
    const auto answer = http_exchange(f.port(), request);
    CHECK(answer.status == 413);
    CHECK(f.counters().too_large == 1);
  }
  SUBCASE("a body at the limit is read and judged") {
    std::string body = "{\"addr\": \"" + std::string(max_body - 12, ' ') + "\"}";
    REQUIRE(body.size() == max_body);
    CHECK(http_exchange(f.port(), http_request("POST", "/v1/connect", body)).status == 400);  // not a multiaddr
    CHECK(f.counters().too_large == 0);
  }
  SUBCASE("header") {
    const std::string request = "GET /v1/status HTTP/1.1\r\nHost: x\r\nX-Filler: " + std::string(9000, 'y') + "\r\n\r\n";
    const auto answer = http_exchange(f.port(), request);
    CHECK(answer.status == 431);
    CHECK(error_of(answer) == "header_too_large");
    CHECK(f.counters().too_large == 1);
  }
}

TEST_CASE("admin server: a client that sends nothing is cut off at request_timeout_ms without an answer") {
  node::AdminConfig config;
  config.request_timeout = 200ms;
  ServerFixture f(config);
  const int fd = test::connect_loopback(f.port());
  REQUIRE(fd >= 0);
  test::send_all(fd, "GET /v1/sta");  // and then nothing more
  CHECK(test::receive_all(fd).empty());  // closed without an answer
  ::close(fd);
  CHECK(f.counters().timed_out == 1);
  f.wait_for_connections(0);
}

TEST_CASE("admin server: past max_connections a connection is closed at once; the slot frees up") {
  node::AdminConfig config;
  config.max_connections = 1;
  ServerFixture f(config);
  const int idle = test::connect_loopback(f.port());
  REQUIRE(idle >= 0);
  f.wait_for_connections(1);
  const auto refused = http_exchange(f.port(), http_request("GET", "/v1/status"));
  CHECK(refused.status == 0);  // closed without an answer
  CHECK(f.counters().refused_busy == 1);
  ::close(idle);
  f.wait_for_connections(0);
  CHECK(http_exchange(f.port(), http_request("GET", "/v1/status")).status == 200);
}

TEST_CASE("admin server: stop() ends open exchanges and refuses new connections") {
  ServerFixture f;
  const std::uint16_t port = f.port();
  const int idle = test::connect_loopback(port);
  REQUIRE(idle >= 0);
  f.wait_for_connections(1);
  f.on_io([&] {
    f.server->stop();
    return 0;
  });
  CHECK(test::receive_all(idle).empty());
  ::close(idle);
  CHECK(test::connect_loopback(port) < 0);  // nothing listens any more
}

TEST_CASE("admin server: a port in use is an error naming the address") {
  ServerFixture first;
  asio::io_context io;
  node::AdminConfig config;
  config.listen = first.server->local_endpoint();
  auto second = node::AdminServer::start(io, config, std::make_shared<ScriptedBackend>());
  REQUIRE(!second.has_value());
  CHECK(second.error().message().find("admin API on 127.0.0.1:" + std::to_string(first.port())) != std::string::npos);
}

// --- real nodes -----------------------------------------------------------------------------

namespace {

NodeConfig loopback_node() {
  NodeConfig config;
  config.listen = {"/ip4/127.0.0.1/tcp/0"};
  config.identity = Keypair::generate();
  return config;
}

std::unique_ptr<Node> started(NodeConfig config) {
  auto node = Node::create(std::move(config));
  REQUIRE_MESSAGE(node.has_value(), (node ? "" : node.error().message()));
  auto run = node.value()->start();
  REQUIRE_MESSAGE(run.has_value(), (run ? "" : run.error().message()));
  return std::move(node).value();
}

std::uint16_t admin_port(const Node& node) {
  const std::string address = node.admin_address();
  REQUIRE(address.rfind("127.0.0.1:", 0) == 0);
  return static_cast<std::uint16_t>(std::stoi(address.substr(10)));
}

json get(const Node& node, const std::string& target) {
  const auto answer = http_exchange(admin_port(node), http_request("GET", target));
  REQUIRE_MESSAGE(answer.status == 200, answer.status << " " << answer.body);
  return json_of(answer);
}

/// The /v1/peers entry for `peer`, waiting for it to appear (a connection reaches the
/// table of the accepting side once its handshake has finished there).
json peer_entry(const Node& node, const PeerId& peer) {
  const auto give_up = std::chrono::steady_clock::now() + kPatience;
  for (;;) {
    const json peers = get(node, "/v1/peers");
    for (const json& entry : peers.at("peers")) {
      if (entry.at("peer_id") == peer.to_string()) return entry;
    }
    if (std::chrono::steady_clock::now() > give_up) {
      FAIL("peer " << peer.to_string() << " never appeared: " << get(node, "/v1/peers").dump() << " "
                   << get(node, "/v1/status").dump());
    }
    std::this_thread::sleep_for(10ms);
  }
}

}  // namespace

TEST_CASE("admin API on a node: status reports the node; api.addr is written in the data dir and removed on stop") {
  test::TempDir dir;
  NodeConfig config = loopback_node();
  config.data_dir = (dir.path() / "data").string();
  auto node = started(config);
  const std::string address = node->admin_address();
  CHECK(test::read_file(dir.path() / "data" / "api.addr") == address + "\n");

  const json status = get(*node, "/v1/status");
  CHECK(status.at("peer_id") == node->peer_id().to_string());
  REQUIRE(status.at("listen_addrs").size() == 1);
  CHECK(status.at("listen_addrs").at(0) == node->listen_addresses().at(0).to_string());
  CHECK(status.at("uptime_ms").is_number_unsigned());
  CHECK(status.at("connections") == json{{"open", 0}, {"inbound", 0}, {"outbound", 0}, {"peers", 0}});
  CHECK(status.at("pool").at("connections_created") == 0);
  CHECK(get(*node, "/v1/peers") == json{{"peers", json::array()}});

  node->stop();
  CHECK(node->admin_address().empty());
  CHECK(!std::filesystem::exists(dir.path() / "data" / "api.addr"));
  CHECK(test::connect_loopback(static_cast<std::uint16_t>(std::stoi(address.substr(10)))) < 0);

  // A restart serves the API again, on a new port, and writes the file again.
  REQUIRE(node->start().has_value());
  CHECK(test::read_file(dir.path() / "data" / "api.addr") == node->admin_address() + "\n");
}

TEST_CASE("admin API on a node: connect dials the peer; peers shows the connection on both sides") {
  auto a = started(loopback_node());
  auto b = started(loopback_node());
  const std::string b_address = b->listen_addresses().at(0).to_string();
  const auto answer =
      http_exchange(admin_port(*a), http_request("POST", "/v1/connect", json{{"addr", b_address}}.dump()));
  REQUIRE_MESSAGE(answer.status == 200, answer.body);
  CHECK(json_of(answer) == json{{"peer_id", b->peer_id().to_string()}});

  const json on_a = peer_entry(*a, b->peer_id());
  REQUIRE(on_a.at("connections").size() == 1);
  const json& outbound = on_a.at("connections").at(0);
  CHECK(outbound.at("direction") == "outbound");
  CHECK(outbound.at("remote_addr") == b_address.substr(0, b_address.find("/p2p/")));
  CHECK(outbound.at("age_ms").is_number_unsigned());
  CHECK(outbound.at("health") == "healthy");
  CHECK(outbound.at("streams").at("leased").is_number_unsigned());

  const json on_b = peer_entry(*b, a->peer_id());
  CHECK(on_b.at("connections").at(0).at("direction") == "inbound");

  const json status = get(*a, "/v1/status");
  CHECK(status.at("connections").at("outbound") == 1);
  CHECK(status.at("connections").at("peers") == 1);
  CHECK(status.at("pool").at("connections_per_peer").at(b->peer_id().to_string()) == 1);
}

TEST_CASE("admin API on a node: a connect that fails is 502 with the reason") {
  auto a = started(loopback_node());
  const auto answer = http_exchange(
      admin_port(*a), http_request("POST", "/v1/connect", json{{"addr", "/ip4/127.0.0.1/tcp/1/p2p/" + kPeer}}.dump()));
  CHECK(answer.status == 502);
  CHECK(error_of(answer) == "connect_failed");
  CHECK(json_of(answer).at("message").get<std::string>().find("dial failed") != std::string::npos);
}

TEST_CASE("admin API on a node: disabled, or without a data dir, there is no api.addr") {
  SUBCASE("disabled") {
    test::TempDir dir;
    NodeConfig config = loopback_node();
    config.data_dir = dir.path().string();
    config.admin.enabled = false;
    auto node = started(config);
    CHECK(node->admin_address().empty());
    CHECK(!std::filesystem::exists(dir.path() / "api.addr"));
  }
  SUBCASE("an in-memory identity and no data_dir: served, but no file anywhere") {
    auto node = started(loopback_node());
    CHECK(!node->admin_address().empty());
  }
}

TEST_CASE("admin API on a node: a bad admin.listen is config_invalid; a port in use fails start()") {
  NodeConfig bad = loopback_node();
  bad.admin.listen = "localhost:5001";
  auto created = Node::create(bad);
  REQUIRE(!created.has_value());
  CHECK(created.error() == Errc::config_invalid);
  CHECK(created.error().message().find("admin.listen") != std::string::npos);

  NodeConfig zero = loopback_node();
  zero.admin.max_connections = 0;
  CHECK(Node::create(zero).error().message().find("admin.max_connections") != std::string::npos);

  auto first = started(loopback_node());
  NodeConfig clash = loopback_node();
  clash.admin.listen = first->admin_address();
  auto second = Node::create(clash);
  REQUIRE(second.has_value());
  auto run = second.value()->start();
  REQUIRE(!run.has_value());
  CHECK(run.error().message().find("admin API on " + first->admin_address()) != std::string::npos);
  CHECK(!second.value()->running());
}

}  // namespace weft
