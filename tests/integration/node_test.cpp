// weft::Node, black-box through its public header: start/stop/restart, requests between
// two nodes in one process, every error a caller can see, events on another thread,
// statistics, and the identity key in the data directory.

#include "run_process.hpp"  // TempDir
#include "util/asio.hpp"    // a raw listener that never answers (one test)

#include <weft/node.hpp>

#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <future>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace weft {
namespace {

using namespace std::chrono_literals;

/// A bound on waiting for something that must happen, so that a bug fails instead of hanging
/// (not a performance assertion).
constexpr auto kPatience = 30s;

/// A node without the peer manager and gossip: these tests count the pool's own work
/// exactly, and peer exchange and gossip would add streams of their own
/// (peer_manager_node_test.cpp and gossip_node_test.cpp cover them).
NodeConfig loopback() {
  NodeConfig config;
  config.listen = {"/ip4/127.0.0.1/tcp/0"};
  config.identity = Keypair::generate();
  config.peer_manager.enabled = false;
  config.gossip.enabled = false;
  return config;
}

std::unique_ptr<Node> make_node(NodeConfig config = loopback()) {
  auto node = Node::create(std::move(config));
  REQUIRE_MESSAGE(node.has_value(), (node ? "" : node.error().message()));
  return std::move(node).value();
}

std::unique_ptr<Node> started_node(NodeConfig config = loopback()) {
  auto node = make_node(std::move(config));
  auto started = node->start();
  REQUIRE_MESSAGE(started.has_value(), (started ? "" : started.error().message()));
  return node;
}

Bytes bytes_of(const std::string& s) { return Bytes(s.begin(), s.end()); }
std::string text_of(const Bytes& b) { return std::string(b.begin(), b.end()); }

template <class T>
T wait(std::future<T> future) {
  REQUIRE(future.wait_for(kPatience) == std::future_status::ready);
  return future.get();
}

Result<Bytes> echo(const PeerId&, Bytes request) { return request; }

Result<Bytes> ask(Node& from, Node& to, const std::string& protocol, const std::string& body) {
  return wait(from.request(to.peer_id(), to.listen_addresses(), protocol, bytes_of(body)));
}

}  // namespace

TEST_CASE("Node: a request between two nodes returns the handler's response") {
  auto server = started_node();
  server->set_handler("/test/echo/1", echo);  // after start: installed on the running node
  auto client = started_node();
  auto reply = ask(*client, *server, "/test/echo/1", "hello node");
  REQUIRE_MESSAGE(reply.has_value(), (reply ? "" : reply.error().message()));
  CHECK(text_of(reply.value()) == "hello node");

  SUBCASE("the callback form runs the callback once with the response") {
    std::promise<Result<Bytes>> done;
    client->request(server->peer_id(), server->listen_addresses(), "/test/echo/1", bytes_of("again"), 5s,
                    [&done](Result<Bytes> r) { done.set_value(std::move(r)); });
    auto again = wait(done.get_future());
    REQUIRE(again.has_value());
    CHECK(text_of(again.value()) == "again");
  }
  SUBCASE("a second request reuses the connection; statistics count both") {
    REQUIRE(ask(*client, *server, "/test/echo/1", "second").has_value());
    auto stats = client->statistics();
    REQUIRE(stats.has_value());
    CHECK(stats.value().acquired == 2);
    CHECK(stats.value().connections_created == 1);
    CHECK(stats.value().connections_reused == 1);
    CHECK(stats.value().connections_per_peer.at(server->peer_id()) == 1);
    CHECK(stats.value().summary.find("acquired 2") != std::string::npos);
  }
}

TEST_CASE("Node: handlers registered before start are served; errors reach the requester") {
  auto server = make_node();
  server->set_handler("/test/echo/1", echo);
  server->set_handler("/test/fail/1", [](const PeerId&, Bytes) -> Result<Bytes> {
    return Error(Errc::request_failed, "no such block");
  });
  server->set_handler("/test/throw/1", [](const PeerId&, Bytes) -> Result<Bytes> {
    throw std::runtime_error("boom");
  });
  REQUIRE(server->start().has_value());
  auto client = started_node();

  CHECK(ask(*client, *server, "/test/echo/1", "x").has_value());

  auto failed = ask(*client, *server, "/test/fail/1", "x");
  REQUIRE(!failed.has_value());
  CHECK(failed.error() == Errc::request_failed);
  CHECK(failed.error().message().find("no such block") != std::string::npos);

  auto threw = ask(*client, *server, "/test/throw/1", "x");
  REQUIRE(!threw.has_value());
  CHECK(threw.error() == Errc::request_failed);
  CHECK(threw.error().message().find("handler threw: boom") != std::string::npos);

  auto unknown = ask(*client, *server, "/test/nope/1", "x");
  REQUIRE(!unknown.has_value());
  CHECK(unknown.error() == Errc::request_unknown_protocol);

  SUBCASE("a request above max_request_bytes fails before it is sent") {
    NodeConfig small = loopback();
    small.requests.max_request_bytes = 4;
    auto tight = started_node(small);
    auto big = ask(*tight, *server, "/test/echo/1", "12345");
    REQUIRE(!big.has_value());
    CHECK(big.error() == Errc::request_too_large);
  }
}

TEST_CASE("Node: request, connect and statistics before start or after stop fail with node_not_running") {
  auto server = started_node();
  auto node = make_node();
  CHECK(!node->running());
  CHECK(node->listen_addresses().empty());

  auto before = wait(node->request(server->peer_id(), server->listen_addresses(), "/x/1", bytes_of("x")));
  REQUIRE(!before.has_value());
  CHECK(before.error() == Errc::node_not_running);

  bool called = false;
  node->request(server->peer_id(), {}, "/x/1", {}, 1s, [&called](Result<Bytes> r) {
    called = true;
    CHECK(r.error() == Errc::node_not_running);
  });
  CHECK(called);  // at once, on this thread

  auto connect = wait(node->connect(server->listen_addresses().front()));
  REQUIRE(!connect.has_value());
  CHECK(connect.error() == Errc::node_not_running);
  CHECK(node->statistics().error() == Errc::node_not_running);

  REQUIRE(node->start().has_value());
  node->stop();
  auto after = wait(node->request(server->peer_id(), server->listen_addresses(), "/x/1", bytes_of("x")));
  REQUIRE(!after.has_value());
  CHECK(after.error() == Errc::node_not_running);
  CHECK(node->statistics().error() == Errc::node_not_running);
}

TEST_CASE("Node: start, stop and restart") {
  auto server = make_node();
  server->set_handler("/test/echo/1", echo);
  auto client = started_node();

  REQUIRE(server->start().has_value());
  CHECK(server->running());
  CHECK(server->start().error() == Errc::node_already_running);
  const auto first = server->listen_addresses();
  REQUIRE(first.size() == 1);
  CHECK(first.front().peer_id() == server->peer_id());
  CHECK(ask(*client, *server, "/test/echo/1", "one").has_value());

  server->stop();
  CHECK(!server->running());
  CHECK(server->listen_addresses().empty());
  server->stop();  // a second stop does nothing

  REQUIRE(server->start().has_value());  // restart: new listener, same identity and handlers
  const auto second = server->listen_addresses();
  REQUIRE(second.size() == 1);
  CHECK(second.front().peer_id() == server->peer_id());
  auto reply = ask(*client, *server, "/test/echo/1", "two");
  REQUIRE_MESSAGE(reply.has_value(), (reply ? "" : reply.error().message()));
  CHECK(text_of(reply.value()) == "two");
}

TEST_CASE("Node: start fails with the listen error when the address is taken, leaving the node stopped") {
  auto first = started_node();
  const std::string taken = first->listen_addresses().front().to_string();
  NodeConfig config = loopback();
  config.listen = {taken.substr(0, taken.find("/p2p/"))};
  auto second = make_node(config);
  auto started = second->start();
  REQUIRE(!started.has_value());
  CHECK(started.error().message().find("listen 127.0.0.1:") != std::string::npos);
  CHECK(!second->running());
}

TEST_CASE("Node: stop completes a pending request with pool_closed") {
  // A TCP listener that never accepts: the kernel completes the connect, the handshake
  // never starts, so the request waits in the dial until the node stops.
  asio::io_context io;
  tcp::acceptor silent(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  const auto port = silent.local_endpoint().port();
  const PeerId nobody = PeerId::from_public_key(Keypair::generate().public_key());
  auto address = Multiaddr::parse("/ip4/127.0.0.1/tcp/" + std::to_string(port)).value();

  auto node = started_node();
  auto pending = node->request(nobody, {address}, "/x/1", bytes_of("x"));
  node->stop();
  auto result = wait(std::move(pending));
  REQUIRE(!result.has_value());
  CHECK(result.error() == Errc::pool_closed);
}

TEST_CASE("Node: connect reports the peer, or why not") {
  auto server = started_node();
  auto client = started_node();
  auto connected = wait(client->connect(server->listen_addresses().front()));
  REQUIRE_MESSAGE(connected.has_value(), (connected ? "" : connected.error().message()));
  CHECK(connected.value() == server->peer_id());
  CHECK(client->statistics().value().connections_per_peer.count(server->peer_id()) == 1);

  auto no_peer = wait(client->connect(Multiaddr::parse("/ip4/127.0.0.1/tcp/1").value()));
  REQUIRE(!no_peer.has_value());
  CHECK(no_peer.error() == Errc::config_invalid);

  // A port nobody listens on (bound and closed again).
  std::uint16_t closed_port = 0;
  {
    asio::io_context io;
    tcp::acceptor a(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    closed_port = a.local_endpoint().port();
  }
  const PeerId nobody = PeerId::from_public_key(Keypair::generate().public_key());
  auto refused = wait(client->connect(
      Multiaddr::parse("/ip4/127.0.0.1/tcp/" + std::to_string(closed_port) + "/p2p/" + nobody.to_string()).value()));
  REQUIRE(!refused.has_value());
  CHECK(refused.error() == Errc::dial_failed);
}

TEST_CASE("Node: a peer whose dial failed is backed off until reset_backoff") {
  NodeConfig config = loopback();
  config.connections.backoff.max_retry_attempts = 0;  // one dial, then a cool-down of a minute
  config.connections.backoff.initial_backoff_ms = 60'000;
  config.connections.backoff.min_backoff_ms = 60'000;
  auto client = started_node(config);
  std::uint16_t closed_port = 0;
  {
    asio::io_context io;
    tcp::acceptor a(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    closed_port = a.local_endpoint().port();
  }
  const PeerId nobody = PeerId::from_public_key(Keypair::generate().public_key());
  const auto address =
      Multiaddr::parse("/ip4/127.0.0.1/tcp/" + std::to_string(closed_port) + "/p2p/" + nobody.to_string()).value();
  auto first = wait(client->connect(address));
  REQUIRE(!first.has_value());
  CHECK(first.error().detail().find("backing off") == std::string::npos);  // a real dial
  auto second = wait(client->connect(address));
  REQUIRE(!second.has_value());
  CHECK(second.error() == Errc::dial_failed);
  CHECK(second.error().detail().find("backing off") != std::string::npos);
  REQUIRE(client->reset_backoff(nobody).has_value());
  auto third = wait(client->connect(address));
  REQUIRE(!third.has_value());
  CHECK(third.error().detail().find("backing off") == std::string::npos);  // dialed again
  client->stop();
  CHECK(client->reset_backoff(nobody).error() == Errc::node_not_running);
}

TEST_CASE("Node: events reach a subscriber that subscribed from another thread") {
  auto server = started_node();
  auto client = started_node();
  const auto test_thread = std::this_thread::get_id();

  std::mutex mutex;
  std::vector<NodeEvent> seen;
  std::vector<std::thread::id> threads;
  std::promise<void> disconnected;
  bool first_disconnect = true;  // guarded by mutex
  std::thread subscriber([&] {
    server->subscribe([&](const NodeEvent& event) {
      std::lock_guard lock(mutex);
      seen.push_back(event);
      threads.push_back(std::this_thread::get_id());
      if (event.kind == NodeEvent::Kind::disconnected && std::exchange(first_disconnect, false)) disconnected.set_value();
    });
  });
  subscriber.join();

  REQUIRE(wait(client->connect(server->listen_addresses().front())).has_value());
  client->stop();  // go-away: the server sees the connection close
  wait(disconnected.get_future());

  std::lock_guard lock(mutex);
  REQUIRE(seen.size() >= 2);
  CHECK(seen.front().kind == NodeEvent::Kind::connected);
  CHECK(seen.front().inbound);
  CHECK(seen.front().peer == client->peer_id());
  CHECK(seen.back().kind == NodeEvent::Kind::disconnected);
  CHECK(seen.back().peer == client->peer_id());
  CHECK(seen.back().reason.code());  // a reason is given
  CHECK(std::string(to_string(seen.back().kind)) == "disconnected");
  for (auto id : threads) CHECK(id != test_thread);  // the network thread
}

TEST_CASE("Node::create: invalid settings fail with config_invalid naming the setting") {
  SUBCASE("a listen address that is not /ip4|ip6/.../tcp/...") {
    NodeConfig config = loopback();
    config.listen = {"/dns4/example.com/tcp/1"};
    auto node = Node::create(config);
    REQUIRE(!node.has_value());
    CHECK(node.error() == Errc::config_invalid);
    CHECK(node.error().message().find("listen '/dns4/example.com/tcp/1'") != std::string::npos);
  }
  SUBCASE("a listen address that does not parse") {
    NodeConfig config = loopback();
    config.listen = {"not-an-address"};
    CHECK(Node::create(config).error() == Errc::config_invalid);
  }
  SUBCASE("a warm-up peer without /p2p/") {
    NodeConfig config = loopback();
    config.connections.warmup_peers = {"/ip4/127.0.0.1/tcp/4001"};
    auto node = Node::create(config);
    REQUIRE(!node.has_value());
    CHECK(node.error() == Errc::config_invalid);
    CHECK(node.error().message().find("connections.warmup_peers") != std::string::npos);
  }
  SUBCASE("a warm-up peer that does not parse") {
    NodeConfig config = loopback();
    config.connections.warmup_peers = {"/ip4/999.0.0.1/tcp/4001"};
    CHECK(Node::create(config).error() == Errc::config_invalid);
  }
  SUBCASE("no handshake version") {
    NodeConfig config = loopback();
    config.handshake.versions.clear();
    auto node = Node::create(config);
    REQUIRE(!node.has_value());
    CHECK(node.error().message().find("handshake.versions") != std::string::npos);
  }
  SUBCASE("zero limits that must be positive") {
    NodeConfig config = loopback();
    SUBCASE("max_total_connections") { config.connections.max_total_connections = 0; }
    SUBCASE("max_connections_per_peer") { config.connections.max_connections_per_peer = 0; }
    SUBCASE("max_streams_per_connection") { config.connections.max_streams_per_connection = 0; }
    SUBCASE("handshake_timeout_ms") { config.handshake.handshake_timeout_ms = 0; }
    SUBCASE("max_pending_handshakes") { config.handshake.max_pending_handshakes = 0; }
    SUBCASE("max_pending_handshakes_per_ip") { config.handshake.max_pending_handshakes_per_ip = 0; }
    SUBCASE("max_frame_plaintext_bytes") { config.channel.max_frame_plaintext_bytes = 0; }
    CHECK(Node::create(config).error() == Errc::config_invalid);
  }
}

TEST_CASE("Node: a warm-up peer is dialed at start") {
  auto server = started_node();
  NodeConfig config = loopback();
  config.connections.warmup_peers = {server->listen_addresses().front().to_string()};
  std::promise<PeerId> connected;
  bool first = true;  // only touched on the client's network thread
  auto client = make_node(config);
  client->subscribe([&connected, &first](const NodeEvent& e) {
    if (e.kind == NodeEvent::Kind::connected && e.peer && std::exchange(first, false)) connected.set_value(*e.peer);
  });
  REQUIRE(client->start().has_value());
  CHECK(wait(connected.get_future()) == server->peer_id());
}

TEST_CASE("Node: the identity key is created in the data directory on first start and kept") {
  test::TempDir dir;
  NodeConfig config;
  config.listen = {"/ip4/127.0.0.1/tcp/0"};
  config.data_dir = (dir.path() / "data").string();
  auto first = make_node(config);
  CHECK(std::filesystem::exists(dir.path() / "data" / "identity.key"));
  const PeerId id = first->peer_id();
  first.reset();
  CHECK(make_node(config)->peer_id() == id);

  SUBCASE("an explicit key file wins over the data directory") {
    config.identity_key_file = (dir.path() / "other.key").string();
    auto other = make_node(config);
    CHECK(std::filesystem::exists(dir.path() / "other.key"));
    CHECK(other->peer_id() != id);
  }
  SUBCASE("a data directory that cannot be created") {
    std::ofstream(dir.path() / "file") << "x";
    config.data_dir = (dir.path() / "file" / "sub").string();
    auto node = Node::create(config);
    REQUIRE(!node.has_value());
    CHECK(node.error() == Errc::key_file_io);
  }
  SUBCASE("a corrupt key file") {
    config.identity_key_file = (dir.path() / "bad.key").string();
    std::ofstream(dir.path() / "bad.key") << "not a key";
    auto node = Node::create(config);
    REQUIRE(!node.has_value());
    CHECK(node.error().message().find("bad.key") != std::string::npos);
  }
}

}  // namespace weft
