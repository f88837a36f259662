#pragma once
// The peer manager in the node (docs/peer_manager.md, "In the node"): the driver that ties
// the sans-IO parts of src/peer to the connection pool, on the network thread.
//
// It owns the Peerstore (loaded from and flushed to <data_dir>/peerstore.db when the node
// has a data directory), the PeerManager and the InboundGate, and:
//  - admits inbound connections through the gate before their handshake (the listener's
//    admission hook; the ticket releases the address's slot when the connection goes);
//  - feeds the pool's connected / disconnected events to the manager and the store (an
//    inbound peer's advertised listen addresses go to the store, source inbound), and
//    retains connected peers in the table so that idle eviction leaves them be;
//  - ticks the manager every tick_interval_ms with the store's dial candidates and carries
//    out its actions: Dial (a pooled stream for peer exchange, which dials), Trim (a graceful
//    close), Ban / Unban (the store, and for a misbehaviour ban the gate too);
//  - serves peer exchange (/weft/px/1.0.0, request/response framing) from the store's
//    sample, and asks each newly connected peer, and every exchange interval one random
//    connected peer, for theirs; what it learns goes to the store (source peer_exchange);
//  - reports misbehaviour (manager points, store score): a connection closed for frames the
//    peer may not send (protocol_violation) or too many streams (flood), a malformed or
//    oversized peer exchange response; a handshake whose signature does not verify is
//    charged to its address (banned in the gate), since its PeerId proves nothing;
//  - publishes peer events (discovered, trimmed, banned, unbanned) to the node's hub.
//
// Threading: everything runs on the pool's network thread, except create() and the
// destructor, which run while that thread is not running. Lifetime: shared; coroutines
// and callbacks hold weak references, so destroying the service stops them from acting.

#include <weft/node_events.hpp>

#include "conn/connection_pool.hpp"
#include "node/event_hub.hpp"
#include "node/node_snapshot.hpp"
#include "node/request_response.hpp"
#include "peer/inbound_gate.hpp"
#include "peer/peer_exchange.hpp"
#include "peer/peer_manager.hpp"
#include "peer/peerstore.hpp"
#include "peer/peerstore_db.hpp"
#include "util/asio.hpp"
#include "util/seeded_rng.hpp"

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace weft::node {

struct PeerServiceConfig {
  peer::PeerManagerConfig manager;
  peer::InboundGateConfig gate;
  peer::PeerExchangeLimits exchange;
  std::chrono::milliseconds exchange_interval{30'000};
  std::chrono::milliseconds exchange_timeout{10'000};
  std::chrono::milliseconds min_answer_interval{1'000};
  peer::PeerstoreConfig store;
  /// The store's file; nullopt keeps it in memory only.
  std::optional<std::filesystem::path> store_path;
  std::chrono::milliseconds flush_interval{5'000};
  /// Bootstrap peers: kept in the store (source bootstrap); the table dials them at start.
  std::vector<conn::WarmupPeer> bootstrap;
};

class PeerService : public std::enable_shared_from_this<PeerService> {
 public:
  /// Opens and loads the store (a corrupt file is set aside and the store starts empty: see
  /// set_aside()), restores its running bans into the manager, and hooks into `pool`:
  /// admission, events, the peer exchange handler. Call before pool->listen() and start().
  /// Errors: config_invalid (a zero interval), peerstore_io (the file cannot be opened,
  /// e.g. the directory is not writable or another node holds it).
  static Result<std::shared_ptr<PeerService>> create(std::shared_ptr<conn::ConnectionPool> pool,
                                                     PeerServiceConfig config, std::shared_ptr<EventHub> hub);
  ~PeerService();
  PeerService(const PeerService&) = delete;
  PeerService& operator=(const PeerService&) = delete;

  /// Stores the bootstrap peers and starts ticking. Network thread (or before it runs).
  void start();
  /// Stops ticking and flushes the store; a later call flushes again (what closing
  /// connections recorded meanwhile). Network thread (or after it stopped).
  void stop();

  /// Called for each inbound connection the listener or the table refused.
  void on_refused(const tcp::endpoint& remote, const Error& reason);

  PeerManagerSnapshot snapshot() const;
  /// The file that was set aside at create(), with why; nullopt when none was.
  const std::optional<peer::SetAside>& set_aside() const noexcept { return set_aside_; }
  const peer::Peerstore& store() const noexcept { return store_; }

 private:
  class GateTicket;
  struct OpenConnection {
    PeerId peer;
    std::optional<peer::IpKey> key;
  };

  PeerService(std::shared_ptr<conn::ConnectionPool> pool, PeerServiceConfig config, std::shared_ptr<EventHub> hub);
  void install_hooks();
  Result<std::shared_ptr<conn::AdmissionTicket>> admit(const tcp::endpoint& remote);
  void on_table_event(const conn::TableEvent& event);
  void on_connected(const conn::TableEvent& event);
  void on_disconnected(const conn::TableEvent& event);
  void store_advert(conn::ConnectionId id, const PeerId& peer, const tcp::endpoint& remote);

  void arm_tick();
  void tick();
  /// Carries out the manager's actions and publishes its events.
  void drain_manager();
  void ban_addresses(const peer::Ban& ban);
  void flush_store();

  /// Dials (when needed) and asks `peer` for peers; `ours`: a Dial action, whose result
  /// the manager is told.
  static asio::awaitable<void> exchange(std::weak_ptr<PeerService> weak, std::shared_ptr<conn::ConnectionPool> pool,
                                        PeerId peer, std::vector<Multiaddr> addresses, bool ours,
                                        std::chrono::milliseconds timeout, RequestConfig request_config);
  void start_exchange(const PeerId& peer, std::vector<Multiaddr> addresses, bool ours);
  void on_dial_result(const PeerId& peer, bool ours, bool success);
  void on_exchange_answer(const PeerId& peer, Result<Bytes> answer);
  /// Manager points and the store's score; the caller drains the manager.
  void report_misbehaviour(const PeerId& peer, peer::MisbehaviourKind kind);
  Result<Bytes> answer_exchange(const PeerId& from, const Bytes& body);

  void publish(NodeEvent::Kind kind, const PeerId& peer, Error reason = {}, std::string detail = {});
  static peer::TimePoint now() { return std::chrono::steady_clock::now(); }
  static peer::WallTime wall_now() { return std::chrono::system_clock::now(); }
  peer::WallTime to_wall(peer::TimePoint at) const;

  std::shared_ptr<conn::ConnectionPool> pool_;
  PeerServiceConfig config_;
  std::shared_ptr<EventHub> hub_;
  peer::Peerstore store_;
  std::optional<peer::PeerstoreDb> db_;
  std::optional<peer::SetAside> set_aside_;
  peer::PeerManager manager_;
  peer::InboundGate gate_;
  util::SeededRng rng_;
  asio::steady_timer timer_;
  bool started_ = false;
  bool stopped_ = false;

  std::unordered_map<conn::ConnectionId, OpenConnection> open_;  ///< connections in the table
  std::unordered_map<PeerId, std::size_t> per_peer_;             ///< open connections per peer
  std::unordered_set<PeerId> dialing_;                           ///< our Dial actions in flight
  std::unordered_map<PeerId, peer::TimePoint> last_answered_;    ///< connected peers only
  peer::TimePoint next_exchange_{};
  peer::TimePoint next_flush_{};
  PeerServiceCounters counters_;
};

}  // namespace weft::node
