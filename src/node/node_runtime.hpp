#pragma once
// One run of a Node (start() to stop()): the composition root. It creates the io_context
// and its one network thread, the connection pool with its listeners, the protocols
// served on it (ping, the registered request handlers) and the admin API server, and hands
// each its dependencies.
//
// Threading: every public method may be called from any thread. Work is posted into the
// network thread under `post_mutex_`, and never after stop() began, so nothing is posted
// into an io_context being torn down.

#include <weft/bytes.hpp>
#include <weft/error.hpp>
#include <weft/keys.hpp>
#include <weft/node.hpp>

#include "conn/connection_pool.hpp"
#include "node/admin_api.hpp"
#include "node/event_hub.hpp"
#include "node/gossip_service.hpp"
#include "node/peer_service.hpp"
#include "node/request_response.hpp"
#include "node/topic_listeners.hpp"
#include "util/asio.hpp"

#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace weft::node {

using SharedHandler = std::shared_ptr<const Node::RequestHandler>;
using SharedTopicHandler = std::shared_ptr<const Node::TopicHandler>;
using SharedValidator = std::shared_ptr<const Node::Validator>;

class NodeRuntime {
 public:
  /// Listens on `listen`, serves ping and `handlers`, publishes table events to `hub`,
  /// runs the peer manager when `peers` is set (before listening: it admits inbound
  /// connections), serves the admin API when `admin` is set, starts the pool (warm-up
  /// dials) and the network thread. `identity` must outlive it.
  /// Errors: a listen failure (with the address as context), the peerstore's open errors;
  /// nothing is left running.
  static Result<std::unique_ptr<NodeRuntime>> start(const Keypair& identity, conn::PoolConfig pool_config,
                                                    RequestConfig request_config,
                                                    const std::vector<tcp::endpoint>& listen,
                                                    const std::map<std::string, SharedHandler>& handlers,
                                                    std::shared_ptr<EventHub> hub,
                                                    const std::optional<AdminConfig>& admin = std::nullopt,
                                                    std::optional<PeerServiceConfig> peers = std::nullopt,
                                                    std::optional<GossipServiceConfig> gossip = std::nullopt,
                                                    const std::map<std::string, SharedTopicHandler>& topics = {},
                                                    const std::map<std::string, SharedValidator>& validators = {});
  /// stop() with no drain time, if stop() was not called.
  ~NodeRuntime();
  NodeRuntime(const NodeRuntime&) = delete;
  NodeRuntime& operator=(const NodeRuntime&) = delete;

  /// Stops the peer manager (flushing its store) and the pool (go-away on every connection), waits until every connection is gone
  /// or `drain` passed, stops the network thread, joins it and destroys everything; work
  /// still pending then is destroyed, which completes its callbacks with pool_closed.
  /// Not from the network thread. Idempotent.
  void stop(std::chrono::milliseconds drain);

  const std::vector<Multiaddr>& listen_addresses() const noexcept { return listen_addresses_; }
  /// The admin API's bound endpoint; nullopt when it is not served.
  const std::optional<tcp::endpoint>& admin_endpoint() const noexcept { return admin_endpoint_; }

  void set_handler(std::string protocol, SharedHandler handler);
  void request(PeerId peer, std::vector<Multiaddr> addresses, std::string protocol, Bytes data,
               std::chrono::milliseconds timeout, Node::RequestCallback done);
  void connect(PeerId peer, Multiaddr address, Node::ConnectCallback done);
  Result<NodeStatistics> statistics();
  /// Gossip's counters (enabled false when gossip is off). Error: node_not_running once
  /// stopping.
  Result<GossipStatistics> gossip_statistics();
  /// Error: node_not_running once stopping.
  Result<void> reset_backoff(PeerId peer);
  /// Gossip (no-ops, or config_invalid for publish, when gossip is off).
  void subscribe_topic(std::string topic, SharedTopicHandler handler);
  void unsubscribe_topic(std::string topic);
  /// Sets (null: removes) a topic's validator.
  void set_validator(std::string topic, SharedValidator validator);
  void publish(std::string topic, Bytes data, std::function<void(Result<std::string>)> done);
  /// Internal listeners of a topic, beside the embedder's handler (TopicListeners): the
  /// topic stays subscribed while either wants it. Network thread only (the admin API's
  /// streams). add: error config_invalid when gossip is off. remove: no-op for an unknown
  /// token.
  Result<TopicListeners::Token> add_topic_listener(const std::string& topic, TopicListeners::Deliver listener);
  void remove_topic_listener(TopicListeners::Token token);

 private:
  NodeRuntime(const Keypair& identity, conn::PoolConfig pool_config, RequestConfig request_config);
  /// Posts `work` to the network thread unless stopping; false if it was not posted.
  bool post(std::function<void()> work);
  /// Runs `read` on the network thread and returns its value (directly when called from
  /// it). Error: node_not_running once stopping.
  template <class T>
  Result<T> read_on_network_thread(std::function<T()> read);
  void install_handler(std::string protocol, SharedHandler handler);
  void install_topic(std::string topic, SharedTopicHandler handler);
  void install_validator(const std::string& topic, SharedValidator validator);
  /// Starts the admin server on the pool's context (before the thread runs).
  Result<void> start_admin(const AdminConfig& config);

  RequestConfig request_config_;
  std::unique_ptr<asio::io_context> io_;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work_;
  std::shared_ptr<conn::ConnectionPool> pool_;
  std::shared_ptr<PeerService> peers_;  ///< null when the peer manager is off
  std::shared_ptr<GossipService> gossip_;  ///< null when gossip is off
  std::shared_ptr<TopicListeners> topic_listeners_;  ///< who wants which topic; null when gossip is off
  std::vector<Multiaddr> listen_addresses_;
  std::shared_ptr<AdminServer> admin_;  ///< null when not served
  std::optional<tcp::endpoint> admin_endpoint_;
  std::thread thread_;
  std::promise<void> finished_;  ///< set when the network thread's run() returns

  std::mutex post_mutex_;
  bool stopping_ = false;  ///< guarded by post_mutex_
};

}  // namespace weft::node
