#pragma once
// The connection pool (driver): the ConnectionTable's decisions carried out with real
// sockets. It owns the listener, dials, wraps every established connection in a yamux
// session (MuxedConnection), opens streams for granted leases and serves inbound streams
// to the handler registered for their protocol.
//
// Threading: the pool and everything in it live on one io_context (the network thread).
// acquire() may be called from any thread; its callback runs on the network thread.
// Leases may be destroyed anywhere (their return is posted). Everything else: network
// thread only.

#include <weft/error.hpp>
#include <weft/keys.hpp>
#include <weft/multiaddr.hpp>
#include <weft/peer_id.hpp>

#include "conn/connection_table.hpp"
#include "conn/dialer.hpp"
#include "conn/listener.hpp"
#include "conn/muxed_connection.hpp"
#include "conn/node_recycler.hpp"
#include "conn/peer_advert.hpp"
#include "conn/protocol_preamble.hpp"
#include "conn/stream_lease.hpp"
#include "util/asio.hpp"

#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <unordered_map>

namespace weft::conn {

struct PoolConfig {
  ConnectionTableConfig table;
  ListenerConfig listener;
  /// Its connect_timeout_ms is replaced by table.connect_timeout_ms; empty early_data is
  /// filled with our advert (listen addresses, then the protocols we serve).
  DialConfig dial;
  mux::SessionConfig mux;
  /// How long an inbound stream may take to name its protocol.
  std::chrono::milliseconds protocol_preamble_timeout_ms{10'000};
};

class ConnectionPool final : public std::enable_shared_from_this<ConnectionPool>, public LeaseReturn {
 public:
  using AcquireCallback = std::function<void(Result<StreamLease>)>;
  /// Serves one inbound stream of the protocol it was registered for. Called on the
  /// network thread, often while the connection delivers the frame that opened the
  /// stream: it must not block; it keeps the stream (or drops it, which resets it) and
  /// typically spawns a coroutine that serves it.
  using StreamHandler = std::function<void(Stream)>;
  using EventCallback = std::function<void(const TableEvent&)>;

  /// `identity` must outlive the pool.
  ConnectionPool(asio::io_context& io, const Keypair& identity, PoolConfig config);

  /// Listens on `endpoint` (port 0: any; call once per address). Call before start().
  Result<tcp::endpoint> listen(const tcp::endpoint& endpoint);
  /// Starts the table's clock and the warm-up dials.
  void start();
  /// Fails waiting acquires (pool_closed), stops listening, closes idle connections and
  /// lets leased ones drain.
  void stop();

  /// A stream to `peer` for `protocol`; `addresses` are used if a dial is needed. Thread-safe;
  /// `done` runs on the network thread, once.
  void acquire(const PeerId& peer, std::vector<Multiaddr> addresses, std::string protocol, AcquireCallback done,
               util::SourceLocation where = util::SourceLocation::current());
  /// The same as a coroutine (network thread).
  asio::awaitable<Result<StreamLease>> acquire(PeerId peer, std::vector<Multiaddr> addresses, std::string protocol,
                                               util::SourceLocation where = util::SourceLocation::current());

  /// Clears `peer`'s dial backoff so that it may be dialed at once; acquires waiting for a
  /// retry dial now (an open circuit breaker still applies). Thread-safe.
  void reset_backoff(const PeerId& peer);

  /// Asks `admit` about each accepted connection before its handshake (the inbound gate).
  /// Call before listen().
  void set_admission(AdmitFunction admit) { admit_ = std::move(admit); }
  /// Closes `connection` gracefully with `reason` (a trim). Network thread. Returns false
  /// when it is unknown, still connecting or already closing.
  bool close_connection(ConnectionId connection, Error reason);
  /// Marks a lease long-lived on purpose (not reported as a leak): a protocol's standing
  /// stream. Network thread.
  void pin(LeaseId lease, bool pinned) { table_.pin(lease, pinned); }
  /// See ConnectionTable::set_retained. Network thread.
  void set_retained(const PeerId& peer, bool retained) { table_.set_retained(peer, retained); }
  /// The table's keep-alive peers now (its most used ones). Network thread.
  std::set<PeerId> keep_alive_peers() const;
  /// Inbound streams naming `protocol` go to `handler`; others are refused.
  void set_handler(std::string protocol, StreamHandler handler);
  void subscribe(EventCallback callback);
  /// Called for each inbound connection refused: a failed handshake, a listener cap or a
  /// table limit.
  void on_refused(std::function<void(const tcp::endpoint&, const Error&)> callback) {
    on_refused_ = std::move(callback);
  }

  const PeerId& local_peer() const noexcept { return local_; }
  asio::io_context::executor_type executor() noexcept { return io_.get_executor(); }
  PoolStats stats() const;
  const ConnectionTable& table() const noexcept { return table_; }
  const std::vector<std::unique_ptr<Listener>>& listeners() const noexcept { return listeners_; }
  /// What the peer of an inbound connection advertised when it dialed (its listen addresses
  /// and protocols); nullptr for outbound connections, unknown ids, or an empty advert.
  /// Valid until the connection closes (network thread).
  const PeerAdvert* advert(ConnectionId id) const;
  /// The advert we send when we dial: our listen addresses and served protocols.
  const handshake::EarlyData& our_early_data();
  /// The live connection with that id (tests and diagnostics).
  std::shared_ptr<MuxedConnection> connection(ConnectionId id) const;

  /// A lease ended (StreamLease calls it, on any thread): the table gets it back on the
  /// network thread, now when called there, else posted.
  void return_lease(LeaseId lease, bool failed) noexcept override;

 private:
  /// The coroutine acquire's own outcome slot: start_acquire fills `result` when the grant
  /// (or failure) comes at once; otherwise `acquire` names its pending acquire.
  struct SyncAcquire {
    std::optional<Result<StreamLease>> result;
    AcquireId acquire = 0;
  };
  struct PendingAcquire {
    std::string protocol;
    AcquireCallback done;        ///< unless `sync`
    SyncAcquire* sync = nullptr; ///< the coroutine's slot, until it suspends (then `done`)
    util::SourceLocation where;  ///< the acquire's caller, kept for a re-acquire
  };
  using PendingMap = std::unordered_map<AcquireId, PendingAcquire>;

  /// `sync` (coroutine acquire, network thread) instead of `done`: see SyncAcquire.
  void start_acquire(const PeerId& peer, std::vector<Multiaddr> addresses, std::string protocol,
                     AcquireCallback done, SyncAcquire* sync, util::SourceLocation where);
  /// Hands `result` to the acquire in `node` (taken out of pending_ first, since a callback
  /// may acquire again), then keeps the node for reuse.
  void complete(PendingMap::node_type node, Result<StreamLease>&& result);
  /// Carries out the table's actions and events, then re-arms its clock.
  void run_table();
  void on_grant(const GrantAction& grant);
  asio::awaitable<void> dial(DialAction action);
  void on_established(ConnectionId id, std::shared_ptr<SecureConnection> secure, mux::Role role);
  void on_inbound(std::shared_ptr<SecureConnection> secure);
  /// An inbound stream: reads its protocol preamble (now if buffered, else in a coroutine
  /// bounded by protocol_preamble_timeout_ms), then hands it to the protocol's handler.
  void accept_inbound_stream(std::shared_ptr<MuxedConnection> connection, mux::StreamId id);
  asio::awaitable<void> finish_preamble(std::shared_ptr<MuxedConnection> connection, mux::StreamId id,
                                        PreambleReader reader);
  void hand_over_stream(std::shared_ptr<MuxedConnection> connection, mux::StreamId id, const std::string& protocol);
  /// Answers unknown_protocol and ends the stream.
  asio::awaitable<void> refuse_stream(std::shared_ptr<MuxedConnection> connection, mux::StreamId id);
  void end_lease(LeaseId lease, bool failed);
  void arm_clock();

  asio::io_context& io_;
  const Keypair& identity_;
  PeerId local_;
  PoolConfig config_;
  ConnectionTable table_;
  std::vector<std::unique_ptr<Listener>> listeners_;
  std::function<void(const tcp::endpoint&, const Error&)> on_refused_;
  AdmitFunction admit_;
  asio::steady_timer clock_;
  std::optional<TimePoint> clock_armed_for_;
  std::unordered_map<ConnectionId, std::shared_ptr<MuxedConnection>> connections_;
  std::unordered_map<ConnectionId, PeerAdvert> adverts_;  ///< inbound connections with a non-empty one
  std::optional<handshake::EarlyData> early_data_;        ///< cache of our_early_data(); reset on change
  PendingMap pending_;
  NodeRecycler<PendingMap> pending_nodes_;  ///< an acquire on a warm pool allocates no entry
  std::map<std::string, StreamHandler, std::less<>> handlers_;
  std::vector<EventCallback> subscribers_;
  std::uint64_t bytes_in_closed_ = 0;   ///< data bytes of connections already gone
  std::uint64_t bytes_out_closed_ = 0;
  bool stopped_ = false;
};

}  // namespace weft::conn
