#include "node/node_inspector.hpp"

#include "node/node_events_mapping.hpp"
#include "node/topic_stream.hpp"

#include <algorithm>
#include <array>
#include <map>

namespace weft::node {
namespace {

using Clock = std::chrono::steady_clock;

constexpr std::array<conn::ConnectionState, 4> kOpenStates{conn::ConnectionState::connecting, conn::ConnectionState::ready,
                                                            conn::ConnectionState::busy, conn::ConnectionState::draining};

const char* state_name(conn::ConnectionState state) {
  switch (state) {
    case conn::ConnectionState::connecting: return "connecting";
    case conn::ConnectionState::ready: return "ready";
    case conn::ConnectionState::busy: return "busy";
    case conn::ConnectionState::draining: return "draining";
    case conn::ConnectionState::closed: return "closed";
  }
  return "closed";
}

std::uint64_t whole_ms(Clock::duration d) {
  return static_cast<std::uint64_t>(std::max<std::int64_t>(0, std::chrono::duration_cast<std::chrono::milliseconds>(d).count()));
}

/// `endpoint` as /ip4|ip6/<address>/tcp/<port>.
std::string tcp_address(const tcp::endpoint& endpoint) {
  TcpEndpoint target;
  target.kind = endpoint.address().is_v4() ? TcpEndpoint::HostKind::ip4 : TcpEndpoint::HostKind::ip6;
  target.host = endpoint.address().to_string();
  target.port = endpoint.port();
  auto address = Multiaddr::from_tcp_endpoint(target);
  return address ? address.value().to_string() : std::string();
}

}  // namespace

NodeInspector::NodeInspector(const std::shared_ptr<conn::ConnectionPool>& pool, std::vector<Multiaddr> listen,
                             ConnectFunction connect, std::weak_ptr<const PeerService> peers,
                             std::weak_ptr<GossipService> gossip, AddListenerFunction add_listener,
                             RemoveListenerFunction remove_listener)
    : pool_(pool),
      self_(pool->local_peer()),
      listen_(std::move(listen)),
      connect_(std::move(connect)),
      peers_(std::move(peers)),
      gossip_(std::move(gossip)),
      add_listener_(std::move(add_listener)),
      remove_listener_(std::move(remove_listener)) {
  pool->subscribe([tracker = tracker_](const conn::TableEvent& event) { tracker->handle_event(event, Clock::now()); });
}

StatusSnapshot NodeInspector::status() {
  StatusSnapshot status{self_, listen_, whole_ms(Clock::now() - started_), 0, 0, {}, std::nullopt};
  const auto pool = pool_.lock();
  if (!pool) return status;
  status.statistics = to_node_statistics(pool->stats());
  if (const auto peers = peers_.lock()) status.peer_manager = peers->snapshot();
  const conn::ConnectionTable& table = pool->table();
  for (const auto state : kOpenStates) {
    for (const conn::ConnectionId id : table.in_state(state)) {
      if (table.direction(id) == conn::Direction::inbound) ++status.inbound;
      else ++status.outbound;
    }
  }
  return status;
}

std::vector<PeerSnapshot> NodeInspector::peers() {
  const auto pool = pool_.lock();
  if (!pool) return {};
  const conn::ConnectionTable& table = pool->table();
  const auto now = Clock::now();
  std::map<PeerId, std::vector<ConnectionSnapshot>> by_peer;
  for (const auto state : kOpenStates) {
    for (const conn::ConnectionId id : table.in_state(state)) {
      auto peer = table.peer_of(id);
      if (!peer) continue;
      ConnectionSnapshot c;
      c.id = id;
      c.inbound = table.direction(id) == conn::Direction::inbound;
      c.state = state_name(state);
      c.leased_streams = table.leases(id);
      if (auto established = tracker_->established_at(id)) c.age_ms = whole_ms(now - *established);
      c.degraded = tracker_->degraded(id);
      if (auto connection = pool->connection(id)) {
        c.remote_address = tcp_address(connection->secure().remote_endpoint());
        c.open_streams = connection->stats().open_streams;
        if (auto rtt = connection->rtt()) {
          c.rtt_ms = static_cast<double>(std::chrono::duration_cast<std::chrono::microseconds>(*rtt).count()) / 1000.0;
        }
      }
      by_peer[*peer].push_back(std::move(c));
    }
  }
  const auto manager = peers_.lock();
  std::vector<PeerSnapshot> peers;
  peers.reserve(by_peer.size());
  for (auto& [peer, connections] : by_peer) {
    std::sort(connections.begin(), connections.end(),
              [](const ConnectionSnapshot& a, const ConnectionSnapshot& b) { return a.id < b.id; });
    std::optional<double> score;
    if (manager) {
      if (const auto* record = manager->store().find(peer)) score = record->score;
    }
    peers.push_back(PeerSnapshot{peer, std::move(connections), score});
  }
  return peers;
}

void NodeInspector::connect(Multiaddr address, ConnectCallback done) {
  auto peer = address.peer_id();
  if (!peer) return done(Error(Errc::config_invalid, "'" + address.to_string() + "' must end in /p2p/<PeerId>"));
  connect_(*peer, std::move(address), std::move(done));
}

GossipSnapshot NodeInspector::topics() {
  GossipSnapshot snapshot;
  const auto gossip = gossip_.lock();
  if (!gossip) return snapshot;
  const GossipStatistics stats = gossip->statistics();
  snapshot.enabled = true;
  for (const TopicStatistics& t : stats.topics) {
    snapshot.topics.push_back({t.topic, t.mesh_peers, t.peers, t.delivered, t.duplicates, t.rejected, t.ignored,
                               t.dropped, t.idontwant_sent, t.idontwant_received});
  }
  snapshot.published = stats.published;
  snapshot.delivered = stats.delivered;
  snapshot.duplicates = stats.duplicates;
  snapshot.rejected = stats.rejected;
  snapshot.ignored = stats.ignored;
  return snapshot;
}

Result<std::string> NodeInspector::publish(const std::string& topic, Bytes data) {
  const auto gossip = gossip_.lock();
  if (!gossip) return Error(Errc::config_invalid, "gossip is off (gossip.enabled = false)");
  return gossip->publish(topic, std::move(data));
}

}  // namespace weft::node

namespace weft::node {

Result<std::uint64_t> NodeInspector::add_topic_listener(const std::string& topic, LineListener listener) {
  if (!add_listener_) return Error(Errc::config_invalid, "gossip is off (gossip.enabled = false)");
  return add_listener_(topic, [listener = std::move(listener)](const GossipDelivery& delivery) {
    listener(topic_message_line(delivery, std::chrono::system_clock::now()));
  });
}

void NodeInspector::remove_topic_listener(std::uint64_t token) {
  if (remove_listener_) remove_listener_(token);
}

}  // namespace weft::node
