#pragma once
// The admin API's view of a running node (its AdminBackend): status and per-connection
// snapshots read from the connection pool, and connect through the node runtime.
//
// Read-only towards the pool: it uses the pool's and table's public accessors and its own
// ConnectionTracker (fed by a pool subscription) for what the table does not expose.
// Network thread only. It does not keep the pool alive: once the pool is gone, snapshots
// are empty.

#include <weft/node.hpp>

#include "conn/connection_pool.hpp"
#include "node/admin_api.hpp"
#include "node/connection_tracker.hpp"
#include "node/gossip_service.hpp"
#include "node/peer_service.hpp"

#include <chrono>
#include <functional>
#include <memory>
#include <vector>

namespace weft::node {

class NodeInspector : public AdminBackend {
 public:
  using ConnectFunction = std::function<void(PeerId, Multiaddr, Node::ConnectCallback)>;
  /// The runtime's topic listener calls (NodeRuntime::add_topic_listener and remove).
  using AddListenerFunction = std::function<Result<std::uint64_t>(const std::string&, std::function<void(const GossipDelivery&)>)>;
  using RemoveListenerFunction = std::function<void(std::uint64_t)>;

  /// Subscribes to `pool`'s events (call before the pool starts, on the network thread).
  /// `listen` is the node's full listen addresses; `connect` does a connect (the runtime's).
  /// `peers`: the peer manager (its snapshot and scores), or null when it is off;
  /// `gossip`: the gossip driver, or null when gossip is off. `add_listener` and
  /// `remove_listener` serve the topic streams (none without them).
  NodeInspector(const std::shared_ptr<conn::ConnectionPool>& pool, std::vector<Multiaddr> listen,
                ConnectFunction connect, std::weak_ptr<const PeerService> peers = {},
                std::weak_ptr<GossipService> gossip = {}, AddListenerFunction add_listener = {},
                RemoveListenerFunction remove_listener = {});

  StatusSnapshot status() override;
  std::vector<PeerSnapshot> peers() override;
  void connect(Multiaddr address, ConnectCallback done) override;
  GossipSnapshot topics() override;
  Result<std::string> publish(const std::string& topic, Bytes data) override;
  /// Each message is rendered as its stream line, stamped with the time it is handed over.
  Result<std::uint64_t> add_topic_listener(const std::string& topic, LineListener listener) override;
  void remove_topic_listener(std::uint64_t token) override;

 private:
  std::weak_ptr<conn::ConnectionPool> pool_;
  PeerId self_;
  std::vector<Multiaddr> listen_;
  ConnectFunction connect_;
  std::weak_ptr<const PeerService> peers_;
  std::weak_ptr<GossipService> gossip_;
  AddListenerFunction add_listener_;
  RemoveListenerFunction remove_listener_;
  std::shared_ptr<ConnectionTracker> tracker_ = std::make_shared<ConnectionTracker>();
  std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
};

}  // namespace weft::node
