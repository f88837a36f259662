#pragma once
// The local admin HTTP API server (Boost.Beast): accepts on one endpoint (loopback by
// default), reads one request per connection, answers it with JSON (admin_routes.hpp has
// the endpoints and errors) and closes. `weft status|peers|connect` are its clients.
//
// Topic streams (`GET /v1/subscribe?topic=T`, `weft subscribe`): the answer is a header and
// then one JSON line per message (topic_stream.hpp) written as it arrives, the body ending
// with the connection. While it is open a listener of T is added to the node (the topic
// stays subscribed; the embedder's own handler is not touched). Each stream queues at most
// stream_queue_messages lines and stream_queue_bytes bytes for a slow client; past that
// lines are dropped, counted (stream_dropped) and reported in the stream as
// {"dropped": N}. At most max_subscribers streams are open at once (more: 429). The client
// closing its side removes the listener at once (the server watches the socket); a line
// not taken within request_timeout ends the stream (counted in timed_out), but a stream
// has no overall deadline. stop() ends every stream (the client sees the body end).
//
// Threading: runs on the node's network thread (the io_context the pool lives on). Its
// answers read the connection table, which lives on that thread, so they need no locks
// or cross-thread hops; each exchange is small and bounded (size caps, a deadline, a cap
// on connections), so it cannot hold the network thread up. Every member function: that
// thread only (start() before the thread runs is fine: nothing else touches the context).
//
// Limits (AdminConfig): max_connections open at once (more are closed at once, counted
// in refused_busy); a header block over max_header_bytes (431) or a body over
// max_body_bytes (413) is refused before more is read; request_timeout bounds the whole
// exchange, a slow client included (its connection is closed; a slow connect answers 504).

#include <weft/error.hpp>
#include <weft/multiaddr.hpp>
#include <weft/peer_id.hpp>

#include "node/admin_routes.hpp"
#include "node/node_snapshot.hpp"
#include "util/asio.hpp"

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace weft::node {

struct AdminConfig {
  tcp::endpoint listen{asio::ip::make_address_v4("127.0.0.1"), 0};
  std::size_t max_connections = 16;
  std::size_t max_header_bytes = 8 * 1024;
  std::size_t max_body_bytes = 64 * 1024;
  std::chrono::milliseconds request_timeout{30'000};
  /// Topic streams open at once; each also holds one of max_connections.
  std::size_t max_subscribers = 8;
  /// Per stream: lines waiting for the client, by count and by bytes (at least 1 each).
  std::size_t stream_queue_messages = 1024;
  std::size_t stream_queue_bytes = 8 * 1024 * 1024;
};

/// What the server asks of the node. Called on the network thread.
class AdminBackend {
 public:
  using ConnectCallback = std::function<void(Result<PeerId>)>;
  /// Gets each message of a streamed topic as its stream line (topic_stream.hpp).
  using LineListener = std::function<void(std::string line)>;
  virtual ~AdminBackend() = default;
  virtual StatusSnapshot status() = 0;
  virtual std::vector<PeerSnapshot> peers() = 0;
  /// Connects to `address` (a TCP address ending in /p2p/<PeerId>); `done` runs once, on
  /// the network thread (or inside this call).
  virtual void connect(Multiaddr address, ConnectCallback done) = 0;
  /// The gossip topics we subscribe to; `enabled` false when the node runs no gossip.
  virtual GossipSnapshot topics() { return {}; }
  /// Publishes on `topic` (GossipService::publish's errors; config_invalid when gossip is off).
  virtual Result<std::string> publish(const std::string& topic, Bytes data) {
    (void)topic;
    (void)data;
    return Error(Errc::config_invalid, "gossip is off");
  }
  /// Adds a listener of `topic` (the node stays subscribed to it while the listener is
  /// there); the token removes it. Error: config_invalid when gossip is off.
  virtual Result<std::uint64_t> add_topic_listener(const std::string& topic, LineListener listener) {
    (void)topic;
    (void)listener;
    return Error(Errc::config_invalid, "gossip is off");
  }
  /// Removes a listener; no-op for an unknown token.
  virtual void remove_topic_listener(std::uint64_t token) { (void)token; }
};

class AdminServer : public std::enable_shared_from_this<AdminServer> {
 public:
  /// Binds config.listen and starts accepting on `io`. Errors: the bind's system error,
  /// with the endpoint as context.
  static Result<std::shared_ptr<AdminServer>> start(asio::io_context& io, AdminConfig config,
                                                    std::shared_ptr<AdminBackend> backend);
  AdminServer(const AdminServer&) = delete;
  AdminServer& operator=(const AdminServer&) = delete;

  /// The bound endpoint (the chosen port when config.listen's port was 0).
  const tcp::endpoint& local_endpoint() const noexcept { return local_; }
  /// Stops accepting and ends every open exchange (without an answer). Idempotent.
  void stop();
  const AdminCounters& counters() const noexcept { return counters_; }
  std::size_t open_connections() const noexcept { return sessions_.size(); }

  // Public for make_shared only; use start().
  struct Private {};
  AdminServer(Private, asio::io_context& io, AdminConfig config, std::shared_ptr<AdminBackend> backend);

 private:
  struct Session;

  // Coroutines: static, with the server by value, so that it outlives each of them.
  static asio::awaitable<void> accept_loop(std::shared_ptr<AdminServer> self);
  /// One connection: read one request, answer it, close.
  static asio::awaitable<void> serve(std::shared_ptr<AdminServer> self, std::shared_ptr<Session> session);
  /// The answer to one well-formed request; waits for a connect until the session's deadline.
  static asio::awaitable<AdminReply> answer(std::shared_ptr<AdminServer> self, std::shared_ptr<Session> session,
                                            AdminCall call);
  /// A topic stream, until the client, a stalled write or stop() ends it; the refusal to
  /// answer instead (409, 429) when it cannot start.
  static asio::awaitable<std::optional<AdminReply>> stream_topic(std::shared_ptr<AdminServer> self,
                                                                 std::shared_ptr<Session> session, std::string topic);
  /// Reads (and drops) what a stream's client sends, to notice at once that it went away.
  static asio::awaitable<void> watch_client(std::shared_ptr<Session> session);
  /// Writes `bytes` to a stream's client within request_timeout; false when it failed.
  static asio::awaitable<bool> write_stream(std::shared_ptr<AdminServer> self, std::shared_ptr<Session> session,
                                            std::string bytes);

  asio::io_context& io_;
  AdminConfig config_;
  std::shared_ptr<AdminBackend> backend_;
  tcp::acceptor acceptor_;
  tcp::endpoint local_;
  AdminCounters counters_;
  std::unordered_map<std::uint64_t, std::shared_ptr<Session>> sessions_;
  std::uint64_t next_session_ = 1;
  bool stopped_ = false;
  /// False once stop() ran; shared with pending connect callbacks, which may outlive us.
  std::shared_ptr<bool> live_;
};

}  // namespace weft::node
