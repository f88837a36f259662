#pragma once
// The local admin HTTP API server (Boost.Beast): accepts on one endpoint (loopback by
// default), reads one request per connection, answers it with JSON (admin_routes.hpp has
// the endpoints and errors) and closes. `weft status|peers|connect` are its clients.
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
#include <unordered_map>
#include <vector>

namespace weft::node {

struct AdminConfig {
  tcp::endpoint listen{asio::ip::make_address_v4("127.0.0.1"), 0};
  std::size_t max_connections = 16;
  std::size_t max_header_bytes = 8 * 1024;
  std::size_t max_body_bytes = 64 * 1024;
  std::chrono::milliseconds request_timeout{30'000};
};

/// What the server asks of the node. Called on the network thread.
class AdminBackend {
 public:
  using ConnectCallback = std::function<void(Result<PeerId>)>;
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
