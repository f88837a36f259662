#pragma once
// The connection table: one pool of connections for every protocol, keyed by PeerId
// (sans-IO core; docs/connection_table.md has the states and the transition table).
//
// The table decides; its driver acts. Callers acquire() a stream on a peer and get back an
// AcquireId; the outcome comes out of poll_action() as a GrantAction (a lease on a
// connection) or a FailAction, possibly later (after a dial, or once a stream frees up).
// The driver reports what happened: dial results, inbound connections, closes, pings,
// lease releases, and calls handle_tick() by next_deadline().
//
// Contract: single-threaded; time is passed in; nothing here blocks or does I/O.

#include <weft/error.hpp>
#include <weft/multiaddr.hpp>
#include <weft/peer_id.hpp>

#include "conn/circuit_breaker.hpp"
#include "conn/connection_table_config.hpp"
#include "conn/health_score.hpp"
#include "conn/lease_tracker.hpp"
#include "conn/node_recycler.hpp"
#include "conn/peer_backoff.hpp"
#include "conn/peer_usage.hpp"
#include "conn/pool_stats.hpp"
#include "conn/pool_time.hpp"
#include "conn/table_actions.hpp"
#include "util/small_fifo.hpp"
#include "util/source_location.hpp"

#include <array>
#include <deque>
#include <map>
#include <optional>
#include <queue>
#include <set>
#include <unordered_map>
#include <vector>

namespace weft::conn {

/// Connecting: a dial is running. Ready: can take another lease. Busy: at
/// max_streams_per_connection leases. Draining: takes no new lease, closes when its last
/// lease ends. Closed: the driver was told to close it; removed once it confirms.
enum class ConnectionState : std::uint8_t { connecting, ready, busy, draining, closed };
inline constexpr std::size_t kConnectionStateCount = 5;

/// A lease's end as the driver saw it: `failed` when the stream could not be opened or
/// ended in an error (it counts against the connection's health).
struct LeaseOutcome {
  bool failed = false;
};

class ConnectionTable {
 public:
  /// `random` draws backoff jitter (uniform in [0,1)); tests pass a seeded one.
  ConnectionTable(PeerId local, ConnectionTableConfig config, UnitRandom random);

  /// Starts the clocks and dials the warm-up peers (DialActions; nothing waits on them).
  void start(TimePoint now);

  // --- requests -------------------------------------------------------------------

  /// Asks for a stream to `peer`; `addresses` are used if a dial is needed (and remembered
  /// for redials). The answer is a GrantAction or FailAction for the returned id, now or
  /// within acquire_timeout_ms. Fails at once with circuit_open (detail: time left) while
  /// the peer's breaker is open, and pool_closed after shutdown().
  AcquireId acquire(const PeerId& peer, std::vector<Multiaddr> addresses, TimePoint now,
                    util::SourceLocation where = util::SourceLocation::current());
  /// Gives up a waiting acquire (no action follows for it). Unknown ids are ignored.
  void cancel(AcquireId acquire, TimePoint now);
  /// A lease ended: its stream slot is free again.
  void release(LeaseId lease, LeaseOutcome outcome, TimePoint now);
  /// Marks a lease long-lived on purpose (not reported as a leak), or not.
  void pin(LeaseId lease, bool pinned);
  /// Clears the peer's retry backoff (and cool-down) so that it may be dialed now: acquires
  /// waiting for a retry get their dial at once (the breaker still applies).
  void reset_backoff(const PeerId& peer, TimePoint now);
  /// Fails every waiting acquire with pool_closed, closes every connection (draining those
  /// with leases), and refuses new acquires and inbound connections.
  void shutdown(TimePoint now);
  /// Closes `connection` (the peer manager's trim): gracefully, so that streams in flight
  /// finish; a Disconnected event with `reason` and a CloseAction follow. Returns false for
  /// an unknown, connecting or already closed connection.
  bool close(ConnectionId connection, Error reason, TimePoint now);
  /// Retained peers (the peer manager's connected peers): idle eviction spares one usable
  /// connection of each, as it does for keep-alive peers, since their connections are kept
  /// on purpose, not for reuse. Bounded by the caller (one entry per connected peer).
  void set_retained(const PeerId& peer, bool retained);
  bool retained(const PeerId& peer) const { return retained_.count(peer) > 0; }

  // --- what the driver reports ------------------------------------------------------

  /// The dial for `connection` ended: established with the peer it was meant for, or
  /// failed with `error`.
  void handle_dial_result(ConnectionId connection, const Result<void>& result, TimePoint now);
  /// An inbound connection from `peer` completed its handshake. Returns its id, or the
  /// refusal (pool_exhausted naming the limit, pool_closed) — the driver then closes it.
  Result<ConnectionId> handle_inbound(const PeerId& peer, TimePoint now);
  /// The connection ended (the peer closed it, an error, or our CloseAction completed).
  void handle_closed(ConnectionId connection, const Error& reason, TimePoint now);
  /// The peer sent go-away on the connection: it takes no new streams (draining).
  void handle_go_away(ConnectionId connection, TimePoint now);
  /// A keep-alive ping on the connection was answered after `rtt`, or went unanswered.
  void handle_ping(ConnectionId connection, FractionalMs rtt, TimePoint now);
  void handle_ping_missed(ConnectionId connection, TimePoint now);
  /// Expires waiting acquires, retries dials, runs idle eviction, the leak report and
  /// health checks when due. Call at next_deadline() (calling more often is harmless).
  void handle_tick(TimePoint now);

  // --- outputs ------------------------------------------------------------------------

  std::optional<TableAction> poll_action();
  std::optional<TableEvent> poll_event();
  /// When handle_tick() next has work; nullopt before start().
  std::optional<TimePoint> next_deadline() const;

  // --- inspection ---------------------------------------------------------------------

  PoolStats stats() const;
  std::optional<ConnectionState> state(ConnectionId connection) const;
  std::optional<Direction> direction(ConnectionId connection) const;
  std::optional<PeerId> peer_of(ConnectionId connection) const;
  /// Leases currently held on the connection.
  std::size_t leases(ConnectionId connection) const;
  /// Peers the table keeps a record of (connections, waiters, or a remembered failure).
  std::size_t tracked_peers() const noexcept { return peers_.size(); }
  /// The keep_alive_count most used peers at `now` (PeerUsage): their connections are
  /// spared by idle eviction and redialed when lost.
  std::set<PeerId> keep_alive_peers(TimePoint now) const;
  /// Connections to `peer` in the given state.
  std::vector<ConnectionId> connections(const PeerId& peer) const;
  const std::set<ConnectionId>& in_state(ConnectionState state) const { return by_state_[index(state)]; }
  const ConnectionTableConfig& config() const noexcept { return config_; }

 private:
  struct Connection {
    Connection(ConnectionId id_, PeerId peer_, Direction direction_, ConnectionState state_, TimePoint now,
               const HealthScoreConfig& health_config)
        : id(id_), peer(std::move(peer_)), direction(direction_), state(state_), dial_started(now),
          established_at(now), last_released(now), health(now, health_config) {}
    ConnectionId id = 0;
    PeerId peer;
    Direction direction = Direction::outbound;
    ConnectionState state = ConnectionState::connecting;
    TimePoint dial_started{};
    TimePoint established_at{};
    TimePoint last_released{};  ///< when the last lease ended (or establishment)
    TimePoint draining_since{};
    std::size_t leases = 0;
    HealthScore health;
  };
  enum class WaitReason : std::uint8_t { dial, streams, total };
  struct Waiter {
    AcquireId id = 0;
    TimePoint enqueued_at{};
    TimePoint deadline{};
    util::SourceLocation where;
    WaitReason reason = WaitReason::dial;
  };
  struct PeerEntry {
    PeerEntry(const ConnectionTableConfig& config, UnitRandom random)
        : breaker(config.circuit), backoff(config.backoff, std::move(random)) {}
    std::vector<ConnectionId> connections;  ///< every state but erased
    std::vector<Multiaddr> addresses;
    util::SmallFifo<Waiter> waiters;  ///< empty nearly always: no memory then
    CircuitBreaker breaker;
    PeerBackoff backoff;
    std::optional<TimePoint> retry_at;  ///< a dial scheduled by backoff or a keep-alive redial
    bool retry_is_keep_alive = false;   ///< retry_at is a keep-alive redial: an acquire dials at once
    bool dial_is_trial = false;         ///< the running dial was admitted as a breaker trial
    TimePoint last_failure{};           ///< of a dial; see failed_peer_memory_ms
  };
  struct LeaseInfo {
    ConnectionId connection = 0;  ///< its peer is the connection's (a lease never outlives it here)
  };
  using Leases = std::unordered_map<LeaseId, LeaseInfo>;

  static std::size_t index(ConnectionState s) { return static_cast<std::size_t>(s); }

  PeerEntry& entry(const PeerId& peer);
  /// The one place a connection changes state (checks the transition is legal).
  void transition(Connection& c, ConnectionState to);
  Connection& add_connection(const PeerId& peer, Direction direction, ConnectionState state, TimePoint now);
  void erase_connection(ConnectionId id);
  void close_connection(Connection& c, Error reason, bool graceful = true);
  /// Drops the peer's record when nothing about it needs remembering at `now`.
  void maybe_forget_peer(const PeerId& peer, TimePoint now);
  void forget_idle_peers(TimePoint now);

  /// Best connection for a new lease: usable, ready, fewest leases (then oldest id).
  Connection* least_loaded(const PeerEntry& e);
  std::size_t open_connections(const PeerEntry& e) const;  ///< non-closed
  bool dial_running(const PeerEntry& e) const;
  bool may_dial(const PeerEntry& e) const;  ///< per-peer and total limits
  /// At the per-peer limit, an inbound connection that the simultaneous-dial rule keeps
  /// over our own dial (running, or established within the window) is still admitted.
  bool inbound_wins_simultaneous_dial(const PeerEntry& e, const PeerId& peer, TimePoint now) const;
  /// Why the peer may not be dialed before ready_at (a retry or a cool-down is pending).
  Error backoff_error(const PeerEntry& e, const PeerId& peer, TimePoint now) const;
  /// Grants from `peer`'s waiters while capacity allows; dials when needed and allowed.
  void serve_waiters(const PeerId& peer, TimePoint now);
  void grant(AcquireId id, Connection& c, TimePoint now, util::SourceLocation where);
  void start_dial(const PeerId& peer, TimePoint now);
  void fail_waiters(PeerEntry& e, const Error& reason);
  std::size_t total_open() const;  ///< connections in every state but closed
  /// Other peers' waiters that need a connection slot get a chance after a close.
  void serve_slot_waiters(TimePoint now);
  void resolve_simultaneous_dial(Connection& fresh, TimePoint now);
  void on_dial_failed(Connection& c, const Error& error, TimePoint now);
  /// Queues an acquire on the peer, and its deadline as a wake-up.
  void add_waiter(PeerEntry& e, const PeerId& peer, const Waiter& waiter);
  /// Sets the peer's retry_at (and its wake-up); `keep_alive` marks a keep-alive redial.
  void schedule_retry(PeerEntry& e, TimePoint at, bool keep_alive);
  /// Adds a wake-up, rebuilding the queue from the live deadlines when stale ones dominate.
  void push_wakeup(TimePoint at);
  /// The peer's retry_at has come: dial if still wanted (waiters, or a keep-alive peer).
  void dial_due_retry(const PeerId& peer, TimePoint now);
  void schedule_keep_alive_redial(const PeerId& peer, TimePoint now);
  void expire_waiters(TimePoint now);
  void evict_idle(TimePoint now);
  /// Closes draining connections without leases once simultaneous_dial_window_ms passed.
  void close_drained(TimePoint now);
  void check_health(TimePoint now);
  void report_leaks(TimePoint now);
  Error limit_error(const PeerEntry& e, const PeerId& peer, WaitReason reason) const;
  void emit(TableEvent::Kind kind, const Connection& c, Error reason = {});
  void emit_peer(TableEvent::Kind kind, const PeerId& peer, Error reason = {});

  PeerId local_;
  ConnectionTableConfig config_;
  UnitRandom random_;
  bool started_ = false;
  bool shut_down_ = false;
  TimePoint next_cleanup_{};
  TimePoint next_health_check_{};

  std::unordered_map<ConnectionId, Connection> connections_;
  std::array<std::set<ConnectionId>, kConnectionStateCount> by_state_;
  std::map<PeerId, PeerEntry> peers_;
  std::unordered_map<AcquireId, PeerId> waiting_;  ///< waiting acquire -> its peer
  std::set<PeerId> slot_waiters_;  ///< peers with acquires waiting for a free connection slot
  std::set<PeerId> retained_;      ///< set_retained()
  Leases leases_;
  NodeRecycler<Leases> lease_nodes_;  ///< a lease per acquire allocates nothing once warm
  LeaseTracker lease_tracker_;
  PeerUsage usage_;
  std::size_t inbound_open_ = 0;

  ConnectionId next_connection_id_ = 1;
  AcquireId next_acquire_id_ = 1;
  LeaseId next_lease_id_ = 1;
  /// Instants handle_tick has work at: every waiter deadline and scheduled retry, pushed
  /// when set and popped once passed. Entries made stale by a grant, cancel or reset only
  /// cause an early, harmless tick, so next_deadline() is O(1) rather than O(peers); see
  /// push_wakeup for the bound.
  std::priority_queue<TimePoint, std::vector<TimePoint>, std::greater<>> wakeups_;
  /// Queued actions: [action_head_, size) are pending, those before it were polled. A
  /// vector emptied when the last one is polled keeps its storage, where a deque would
  /// allocate and free a block every few actions.
  std::vector<TableAction> actions_;
  std::size_t action_head_ = 0;
  static constexpr std::size_t kKeptActionCapacity = 64;  ///< past it, emptying frees the storage
  std::deque<TableEvent> events_;
  PoolStats counters_;  ///< the counter part of stats(); gauges are computed
};

}  // namespace weft::conn
