#pragma once
// weft::Node: the facade an embedder uses. One node = one identity, its listeners, one
// pooled connection table and the protocols it serves, all driven by one network thread
// that the node owns.
//
//   auto node = weft::Node::create(config).value();
//   node->set_handler("/my/echo/1", [](const weft::PeerId&, weft::Bytes req) -> weft::Result<weft::Bytes> { return req; });
//   node->start();
//   auto reply = node->request(peer, {addr}, "/my/echo/1", bytes).get();
//
// Threading contract: every method may be called from any thread, concurrently. Each one
// posts its work into the network thread and returns; results come back through a
// callback (run on the network thread) or a std::future. Callbacks and handlers run on the
// network thread: they must not block and must not wait on a future of this node (that
// would deadlock); they may call any method but stop() and the destructor.
//
// Lifecycle: created -> start() -> running -> stop() -> stopped -> start() again (a
// restart: same identity, new listeners, an empty table). Handlers and subscribers
// survive restarts. The destructor stops a running node.

#include <weft/bytes.hpp>
#include <weft/error.hpp>
#include <weft/gossip_statistics.hpp>
#include <weft/multiaddr.hpp>
#include <weft/node_config.hpp>
#include <weft/node_events.hpp>
#include <weft/peer_id.hpp>
#include <weft/topic_validation.hpp>

#include <chrono>
#include <functional>
#include <future>
#include <memory>
#include <string>
#include <vector>

namespace weft {

class Node {
 public:
  /// Answers one request of a protocol: the response bytes, or an error whose message is
  /// sent back (the requester sees request_failed). Runs on the network thread; an
  /// exception it throws is answered like an error.
  using RequestHandler = std::function<Result<Bytes>(const PeerId& from, Bytes request)>;
  using RequestCallback = std::function<void(Result<Bytes>)>;
  using ConnectCallback = std::function<void(Result<PeerId>)>;
  using EventCallback = std::function<void(const NodeEvent&)>;
  /// A message on a subscribed topic, once per message id (network thread; do not block).
  using TopicHandler = std::function<void(const TopicMessage&)>;
  /// Judges a new message on a topic before it is delivered or forwarded: answers accept,
  /// reject or ignore through `done`, at once or later from any thread
  /// (include/weft/topic_validation.hpp has the contract). Network thread; do not block.
  using Validator = std::function<void(const TopicMessage& message, ValidationCompletion done)>;

  /// Checks the config (listen, warm-up and admin addresses, settings), reads or creates the
  /// identity key (NodeConfig::identity, else the key file). Starts nothing.
  /// Errors: config_invalid (detail names the setting), key_file_io and the key file's errors.
  static Result<std::unique_ptr<Node>> create(NodeConfig config);

  ~Node();
  Node(const Node&) = delete;
  Node& operator=(const Node&) = delete;

  /// Listens on every configured address, starts the network thread and dials the warm-up
  /// peers; serves the admin API (config.admin) and writes its address file.
  /// Errors: node_already_running; a listen failure, the admin API's bind or address-file
  /// failure (nothing is left running).
  Result<void> start();
  /// Graceful: stops listening, fails waiting requests (pool_closed), sends go-away on every
  /// connection and lets open streams drain for at most shutdown_timeout_ms, then closes
  /// what is left and joins the network thread. Every pending callback has run when it
  /// returns. Does nothing when not running. Must not be called from a callback.
  void stop();
  bool running() const;

  PeerId peer_id() const;
  /// The bound listen addresses in full form (/ip4/…/tcp/<port>/p2p/<PeerId>); empty when
  /// not running.
  std::vector<Multiaddr> listen_addresses() const;

  /// The admin API's bound address, "127.0.0.1:43123" (IPv6 in brackets); empty when not
  /// running or with admin.enabled false. While it runs it is also in <data_dir>/api.addr
  /// (unless the node has an in-memory identity and no data_dir).
  std::string admin_address() const;

  /// Serves `protocol` with `handler` (replacing any earlier one); before or after start().
  void set_handler(std::string protocol, RequestHandler handler);
  /// `callback` receives every later event, on the network thread.
  void subscribe(EventCallback callback);

  /// Connects to the peer at `address` (which must end in /p2p/<PeerId>), reusing a
  /// connection if there is one. `done` runs once, with the peer's id or the error.
  void connect(const Multiaddr& address, ConnectCallback done);
  std::future<Result<PeerId>> connect(const Multiaddr& address);

  /// Sends `data` as one request of `protocol` to `peer`, dialing `addresses` if no
  /// connection exists. `timeout` bounds the exchange once a stream is open (0: the
  /// config's default_timeout_ms); acquiring the stream has connect/acquire timeouts.
  /// `done` runs exactly once: on the network thread; on the calling thread at once with
  /// node_not_running when the node is not running; or on the thread in stop() with
  /// pool_closed when the node stops first.
  /// Errors: node_not_running, request_* (see src/node/request_response.hpp), peer_gone and
  /// the connection errors (dial_failed, connect_timeout, circuit_open, pool_exhausted).
  void request(const PeerId& peer, std::vector<Multiaddr> addresses, std::string protocol, Bytes data,
               std::chrono::milliseconds timeout, RequestCallback done);
  std::future<Result<Bytes>> request(const PeerId& peer, std::vector<Multiaddr> addresses, std::string protocol,
                                     Bytes data, std::chrono::milliseconds timeout = std::chrono::milliseconds{0});

  /// Subscribes to gossip `topic` (before or after start(); kept across restarts, like
  /// handlers): `handler` gets each new message on it, replacing an earlier handler.
  void subscribe(std::string topic, TopicHandler handler);
  /// Leaves `topic`; no-op when not subscribed.
  void unsubscribe(const std::string& topic);
  /// Sets `topic`'s validator, replacing an earlier one; an empty `validator` removes it
  /// (then every validly signed message is accepted). Before or after start(); kept across
  /// restarts, like handlers. A message already handed to a validator waits for its
  /// completion's answer, whether the validator is later replaced or removed.
  void set_validator(std::string topic, Validator validator);
  /// Signs `data` and sends it on `topic` to the topic's peers (flood publish); the answer
  /// is the message id. Errors: node_not_running, gossip_message_too_large,
  /// gossip_topic_too_long, gossip_no_peers (nobody to send it to), config_invalid (gossip
  /// is off).
  std::future<Result<std::string>> publish(std::string topic, Bytes data);

  /// Forgets `peer`'s failed dials (retry delays and cool-down) so that it is dialed again
  /// at once; requests waiting for a retry dial now. An open circuit breaker still applies.
  /// Error: node_not_running.
  Result<void> reset_backoff(const PeerId& peer);

  /// A snapshot of the connection table. Error: node_not_running. Not from a callback
  /// with the node stopping.
  Result<NodeStatistics> statistics() const;

  /// Gossip's topics and counters (include/weft/gossip_statistics.hpp); `enabled` is false
  /// when gossip is off. Error: node_not_running. Not from a callback with the node stopping.
  Result<GossipStatistics> gossip_statistics() const;

  /// The config the node was created with (identity left out).
  const NodeConfig& config() const noexcept;

 private:
  struct Impl;
  explicit Node(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace weft
