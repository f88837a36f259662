// The peer manager inside weft::Node, black-box through the public header: discovery
// through peer exchange, the peerstore and bans across a restart, the inbound gate's
// per-address cap (one connection, and a flood), trimming above the high watermark, bans
// for a malformed peer exchange answer and for a stream protocol violation, and an
// unreadable peerstore file set aside.

#include "conn/dialer.hpp"  // a raw peer that breaks the protocol (one test)
#include "node_test_support.hpp"
#include "peer/peerstore_db.hpp"  // reading the file a node left (one test)
#include "run_process.hpp"  // TempDir
#include "util/asio.hpp"

#include <weft/node.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace weft {
namespace {

using namespace std::chrono_literals;

/// A loopback node with a fast peer manager tick (the rules do not depend on it).
NodeConfig fast_node() {
  NodeConfig config;
  config.listen = {"/ip4/127.0.0.1/tcp/0"};
  config.identity = Keypair::generate();
  config.peer_manager.tick_interval_ms = 50;
  return config;
}

using test::eventually;
using test::EventLog;
using test::make_node;

void start(Node& node) { test::start_node(node); }

std::string full_address(const Node& node) { return node.listen_addresses().at(0).to_string(); }

/// A running node without a peer manager: it dials nobody on its own and does not redial.
std::unique_ptr<Node> started_plain_node() {
  NodeConfig plain = fast_node();
  plain.peer_manager.enabled = false;
  auto node = make_node(plain);
  start(*node);
  return node;
}

/// A plain node (see above) connected to `server`; the test fails if it cannot connect.
std::unique_ptr<Node> plain_node_connected_to(const Node& server) {
  auto node = started_plain_node();
  auto connected = node->connect(server.listen_addresses().at(0)).get();
  REQUIRE_MESSAGE(connected.has_value(), (connected ? "" : connected.error().message()));
  return node;
}

/// A running node without a peer manager that answers peer exchange requests with bytes
/// that are not a peer exchange response.
std::unique_ptr<Node> started_liar() {
  auto liar = started_plain_node();  // a handler set after start() serves at once
  liar->set_handler("/weft/px/1.0.0", [](const PeerId&, Bytes) { return Result<Bytes>(Bytes{0xff, 0xff, 0xff}); });
  return liar;
}

/// Waits until `events` (a node's) shows a connection to `peer` established (a dial in
/// progress is not one); whether it did within the patience.
bool connected_to(const EventLog& events, const PeerId& peer) {
  return events
      .wait_for([&](const NodeEvent& e) { return e.kind == NodeEvent::Kind::connected && e.peer == peer; })
      .has_value();
}

/// Open connections (dials in progress included) from `node` to `peer` (0 when none),
/// from its statistics.
std::size_t connections_to(const Node& node, const PeerId& peer) {
  auto stats = node.statistics();
  if (!stats) return 0;
  const auto it = stats.value().connections_per_peer.find(peer);
  return it == stats.value().connections_per_peer.end() ? 0 : it->second;
}

/// Dials `to` as `me`, sends `junk` as one channel message (authentic, but not yamux), and
/// waits until the other side closes the connection.
asio::awaitable<void> dial_and_break_protocol(Keypair me, Multiaddr to, Bytes junk) {
  const conn::DialConfig config;  // named: g++ 12 and aggregate temporaries across co_await
  auto connection = co_await conn::dial(me, to, config);
  if (!connection) co_return;
  connection.value()->send(junk);
  for (;;) {
    auto received = co_await connection.value()->receive();
    if (!received) break;
  }
}

/// Opens `count` TCP connections from `source_ip` to `port` and holds them, silent, until
/// each is closed by the server or `hold` passed; how many the server closed.
asio::awaitable<void> hold_one(tcp::endpoint to, std::string source_ip, std::chrono::milliseconds hold,
                               std::shared_ptr<std::size_t> closed_by_server) {
  auto executor = co_await asio::this_coro::executor;
  tcp::socket socket(executor);
  socket.open(tcp::v4());
  socket.bind(tcp::endpoint(asio::ip::make_address(source_ip), 0));
  boost::system::error_code ec;
  co_await socket.async_connect(to, asio::redirect_error(asio::use_awaitable, ec));
  if (ec) co_return;
  asio::steady_timer give_up(executor, hold);
  give_up.async_wait([&socket](const boost::system::error_code& e) {
    if (!e) socket.cancel();
  });
  std::array<std::uint8_t, 64> sink{};
  co_await socket.async_read_some(asio::buffer(sink), asio::redirect_error(asio::use_awaitable, ec));
  if (ec == asio::error::eof || ec == asio::error::connection_reset) ++*closed_by_server;
  give_up.cancel();
}

}  // namespace

TEST_CASE("peer manager: a node told only about one peer finds the others through peer exchange") {
  auto hub = make_node(fast_node());
  EventLog hub_events(*hub);
  start(*hub);
  NodeConfig second_config = fast_node();
  second_config.connections.warmup_peers = {full_address(*hub)};
  auto second = make_node(second_config);
  start(*second);
  REQUIRE(connected_to(hub_events, second->peer_id()));

  NodeConfig third_config = fast_node();
  third_config.connections.warmup_peers = {full_address(*hub)};
  auto third = make_node(third_config);
  EventLog third_events(*third);
  start(*third);

  // The hub learned the second node's listen address from its handshake advert and tells
  // the third, which dials it.
  CHECK(connected_to(third_events, second->peer_id()));
  auto discovered = third_events.wait_for([&](const NodeEvent& e) {
    return e.kind == NodeEvent::Kind::peer_discovered && e.peer == second->peer_id();
  });
  REQUIRE(discovered.has_value());
  CHECK(discovered->detail == "peer_exchange");
}

TEST_CASE("peer manager: the peerstore outlives a restart, which reconnects without a bootstrap peer") {
  test::TempDir dir;
  auto hub = make_node(fast_node());
  start(*hub);

  NodeConfig config;
  config.listen = {"/ip4/127.0.0.1/tcp/0"};
  config.data_dir = dir.path().string();  // identity and peerstore live here
  config.peer_manager.tick_interval_ms = 50;
  NodeConfig first_run = config;
  first_run.connections.warmup_peers = {full_address(*hub)};
  PeerId self = [&] {
    auto node = make_node(first_run);
    EventLog events(*node);
    start(*node);
    REQUIRE(connected_to(events, hub->peer_id()));
    node->stop();  // flushes the store
    return node->peer_id();
  }();
  CHECK(std::filesystem::exists(dir.path() / "peerstore.db"));
  {
    // What the file holds about the hub: its bootstrap address, the key its handshake
    // proved, one successful connection.
    peer::Peerstore store;
    auto db = peer::PeerstoreDb::open(dir.path() / "peerstore.db");
    REQUIRE_MESSAGE(db.has_value(), (db ? "" : db.error().message()));
    REQUIRE(db.value().load(store, std::chrono::system_clock::now()).has_value());
    const peer::PeerRecord* record = store.find(hub->peer_id());
    REQUIRE(record != nullptr);
    REQUIRE(record->addresses.size() == 1);
    CHECK(record->addresses[0].source == peer::AddressSource::bootstrap);
    REQUIRE(record->public_key.has_value());
    auto key = PublicKey::from_protobuf(*record->public_key);
    REQUIRE(key.has_value());
    CHECK(PeerId::from_public_key(key.value()) == hub->peer_id());
    CHECK(record->successes >= 1);
  }
  REQUIRE(eventually([&] { return connections_to(*hub, self) == 0; }));

  auto again = make_node(config);  // no warm-up peers this time
  CHECK(again->peer_id() == self);
  EventLog again_events(*again);
  start(*again);
  CHECK(connected_to(again_events, hub->peer_id()));
}

TEST_CASE("peer manager: a peer asking for peers again within min_answer_interval_ms is refused") {
  NodeConfig config = fast_node();
  config.peer_manager.exchange.min_answer_interval_ms = 60'000;  // the second ask is always too soon
  auto server = make_node(config);
  start(*server);
  auto asker = plain_node_connected_to(*server);
  // An empty body is a PeerExchangeRequest asking for as many peers as allowed.
  const auto ask = [&] {
    return asker->request(server->peer_id(), server->listen_addresses(), "/weft/px/1.0.0", Bytes{}).get();
  };
  auto first = ask();
  REQUIRE_MESSAGE(first.has_value(), (first ? "" : first.error().message()));
  auto second = ask();
  REQUIRE_FALSE(second.has_value());
  CHECK(second.error() == Errc::request_failed);
  CHECK(second.error().message().find("min_answer_interval_ms") != std::string::npos);
}

TEST_CASE("peer manager: the inbound gate refuses connections past the per-address cap, with a reason") {
  NodeConfig gated = fast_node();
  gated.peer_manager.inbound.max_connections_per_ipv4 = 1;
  auto server = make_node(gated);
  EventLog server_events(*server);
  start(*server);

  auto first = plain_node_connected_to(*server);
  auto second = started_plain_node();
  auto refused = second->connect(server->listen_addresses().at(0)).get();
  CHECK_FALSE(refused.has_value());
  auto event = server_events.wait_for([](const NodeEvent& e) { return e.kind == NodeEvent::Kind::refused; });
  REQUIRE(event.has_value());
  CHECK(event->reason == Errc::inbound_refused);
  CHECK(event->reason.message().find("ipv4_connections_full") != std::string::npos);
  CHECK(connections_to(*server, first->peer_id()) == 1);
}

TEST_CASE("peer manager: a connection flood from one address is refused at its cap while others get in") {
  NodeConfig gated = fast_node();
  gated.peer_manager.inbound.max_connections_per_ipv4 = 8;
  gated.handshake.handshake_timeout_ms = 10'000;  // the silent ones hold their slots meanwhile
  auto server = make_node(gated);
  EventLog server_events(*server);
  start(*server);
  const auto port = server->listen_addresses().at(0).to_tcp_endpoint().value().port;
  const tcp::endpoint target(asio::ip::make_address("127.0.0.1"), port);

  // 40 silent connections from 127.0.0.2: 8 are admitted (and time out in their handshake),
  // the other 32 are closed at once.
  asio::io_context io;
  auto closed = std::make_shared<std::size_t>(0);
  for (int i = 0; i < 40; ++i) {
    asio::co_spawn(io, hold_one(target, "127.0.0.2", 4'000ms, closed), asio::detached);
  }
  std::thread flood([&io] { io.run(); });
  const auto gate_refusals = [&] {
    return server_events.count_if([](const NodeEvent& e) {
      return e.kind == NodeEvent::Kind::refused && e.reason == Errc::inbound_refused;
    });
  };
  REQUIRE(eventually([&] { return gate_refusals() >= 32; }));

  // An honest peer from another address is not affected.
  auto honest = plain_node_connected_to(*server);
  flood.join();
  CHECK(*closed >= 32);
  auto refusal = server_events.wait_for([](const NodeEvent& e) {
    return e.kind == NodeEvent::Kind::refused && e.reason == Errc::inbound_refused;
  });
  REQUIRE(refusal.has_value());
  CHECK(refusal->detail.rfind("127.0.0.2:", 0) == 0);
  CHECK(refusal->reason.message().find("ipv4_connections_full from 127.0.0.2/32") != std::string::npos);
  CHECK(gate_refusals() == 32);  // exactly the ones past the cap
}

TEST_CASE("peer manager: above the high watermark, connections are trimmed down to the low one") {
  NodeConfig trimming = fast_node();
  trimming.peer_manager.low_watermark = 1;
  trimming.peer_manager.high_watermark = 1;
  trimming.peer_manager.grace_period_ms = 0;
  trimming.connections.keep_alive_count = 0;  // no peer is spared as a keep-alive peer
  auto server = make_node(trimming);
  EventLog server_events(*server);
  start(*server);

  std::vector<std::unique_ptr<Node>> clients;
  for (int i = 0; i < 3; ++i) clients.push_back(plain_node_connected_to(*server));  // they do not redial
  CHECK(eventually([&] {
    auto stats = server->statistics();
    return stats && stats.value().open_connections() == 1;
  }));
  CHECK(server_events.count(NodeEvent::Kind::peer_trimmed) >= 2);
  auto trimmed = server_events.wait_for([](const NodeEvent& e) { return e.kind == NodeEvent::Kind::peer_trimmed; });
  REQUIRE(trimmed.has_value());
  CHECK(trimmed->reason == Errc::peer_trimmed);
}

TEST_CASE("peer manager: a peer whose exchange answer is malformed is banned and its connection closed") {
  NodeConfig strict = fast_node();
  strict.peer_manager.penalty_invalid_peer_exchange = 100;  // one report reaches ban_threshold
  auto node = make_node(strict);
  EventLog events(*node);
  start(*node);

  auto liar = started_liar();

  auto connected = node->connect(liar->listen_addresses().at(0)).get();
  REQUIRE_MESSAGE(connected.has_value(), (connected ? "" : connected.error().message()));
  auto banned = events.wait_for([&](const NodeEvent& e) {
    return e.kind == NodeEvent::Kind::peer_banned && e.peer == liar->peer_id();
  });
  REQUIRE(banned.has_value());
  CHECK(banned->reason == Errc::peer_banned);
  CHECK(banned->reason.message().find("invalid_peer_exchange") != std::string::npos);
  CHECK(eventually([&] { return connections_to(*node, liar->peer_id()) == 0; }));
}

TEST_CASE("peer manager: a ban outlives a restart: the banned peer's next connection is trimmed at once") {
  test::TempDir dir;
  NodeConfig config;
  config.listen = {"/ip4/127.0.0.1/tcp/0"};
  config.data_dir = dir.path().string();
  config.peer_manager.tick_interval_ms = 50;
  config.peer_manager.penalty_invalid_peer_exchange = 100;  // one report reaches ban_threshold

  auto liar = started_liar();
  {
    auto node = make_node(config);
    EventLog events(*node);
    start(*node);
    REQUIRE(node->connect(liar->listen_addresses().at(0)).get().has_value());
    REQUIRE(events.wait_for([&](const NodeEvent& e) {
      return e.kind == NodeEvent::Kind::peer_banned && e.peer == liar->peer_id();
    }));
    node->stop();  // the ban is in the flushed store
  }
  auto again = make_node(config);
  EventLog events(*again);
  start(*again);
  (void)liar->connect(again->listen_addresses().at(0)).get();  // the handshake completes, then the trim
  auto trimmed = events.wait_for([&](const NodeEvent& e) {
    return e.kind == NodeEvent::Kind::peer_trimmed && e.peer == liar->peer_id();
  });
  REQUIRE(trimmed.has_value());
  CHECK(trimmed->reason.detail() == "peer_banned");
  CHECK(eventually([&] { return connections_to(*again, liar->peer_id()) == 0; }));
  CHECK(events.count(NodeEvent::Kind::peer_banned) == 0);  // restored, not banned anew
}

TEST_CASE("peer manager: a peer that breaks the stream protocol is charged a violation and banned") {
  NodeConfig strict = fast_node();
  strict.peer_manager.penalty_protocol_violation = 100;  // one report reaches ban_threshold
  auto node = make_node(strict);
  EventLog events(*node);
  start(*node);

  const Keypair attacker = Keypair::generate();
  const PeerId attacker_id = PeerId::from_public_key(attacker.public_key());
  asio::io_context io;
  // A yamux header starts with version 0: 0xff is a protocol error for the node's muxer.
  asio::co_spawn(io, dial_and_break_protocol(attacker, node->listen_addresses().at(0), Bytes(12, 0xff)),
                 asio::detached);
  io.run();

  auto closed = events.wait_for([&](const NodeEvent& e) {
    return e.kind == NodeEvent::Kind::disconnected && e.peer == attacker_id;
  });
  REQUIRE(closed.has_value());
  CHECK(closed->reason == Errc::mux_protocol_error);
  auto banned = events.wait_for([&](const NodeEvent& e) {
    return e.kind == NodeEvent::Kind::peer_banned && e.peer == attacker_id;
  });
  REQUIRE(banned.has_value());
  CHECK(banned->reason.message().find("protocol_violation") != std::string::npos);
  // The node stays up for everyone else.
  auto honest = plain_node_connected_to(*node);
}

TEST_CASE("peer manager: an unreadable peerstore file is set aside and the node starts with an empty one") {
  test::TempDir dir;
  {
    std::ofstream junk(dir.path() / "peerstore.db", std::ios::binary);
    junk << std::string(4096, 'x');
  }
  NodeConfig config;
  config.listen = {"/ip4/127.0.0.1/tcp/0"};
  config.data_dir = dir.path().string();
  auto node = make_node(config);
  EventLog events(*node);
  start(*node);
  auto aside = events.wait_for([](const NodeEvent& e) { return e.kind == NodeEvent::Kind::peerstore_set_aside; });
  REQUIRE(aside.has_value());
  CHECK(aside->reason == Errc::peerstore_corrupt);
  CHECK(aside->detail.find("peerstore.db.corrupt-") != std::string::npos);
  CHECK(std::filesystem::exists(aside->detail));
  CHECK(std::filesystem::exists(dir.path() / "peerstore.db"));  // a fresh one
  node->stop();
}

}  // namespace weft
