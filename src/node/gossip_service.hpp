#pragma once
// The gossipsub router in the node (docs/gossip.md, "In the node"): the driver that ties the
// sans-IO GossipRouter to the connection pool, on the network thread.
//
// Streams (the libp2p pubsub convention): one long-lived stream per peer and direction.
// Ours carries our RPCs to the peer: a pooled stream for kGossipProtocol, pinned on the
// table (a lease held on purpose, not a leak). Theirs arrives through the pool's handler and
// carries the peer's RPCs to us: uvarint length-prefixed RPC frames, read with
// RpcFrameReader and decoded with the router's limits; a frame or RPC that breaks them is
// reported to the router (handle_rpc_error, a penalty) and the stream is reset.
//
// Peers: a connected peer is opened a stream when it may speak the protocol (an inbound
// peer whose handshake advert lists no gossip protocol is left alone); it is up in the
// router once our stream is open or its stream arrives, whichever is first (RPCs for it
// wait in the router's queue until our stream opens), and down when its last connection
// closes or our stream fails.
//
// Sending and memory: RPCs wait in the router's per-peer queue — prioritized, byte-bounded
// (max_queued_bytes_per_peer: past it the lowest priority goes first, counted, SlowPeer),
// and pruned by IDONTWANT — until the peer's stream is free; then what waits (up to 64 KiB)
// is encoded and written at once, and the next batch is taken when that write completes.
// Frames taken for a write that fails are lost with the stream (frames_dropped). A peer's
// inbound frame is bounded by the RPC limit before any allocation. One read buffer per
// inbound stream while it reads.
//
// Signatures: with async_signature_checks (the node's default) each new message's
// signature is checked on a small pool of `signature_threads` threads (duplicates are
// dropped before, by the router), and the verdict is posted back to the network thread, so
// a burst of messages does not stall it.
//
// Validation: a topic's validator (set_validator) sees each new message through the
// router's deferred path (ValidationRequest, the bounded per-topic pending queue). An answer
// given before the validator returns is reported at once; a later one, from any thread, is
// posted to the network thread (dropped once the service stopped). Nothing is forwarded or
// delivered before accept.
//
// Threading: network thread only (Node posts into it), but for the signature pool's jobs,
// which touch only the message they check, and validation answers (any thread). Lifetime: shared; coroutines and jobs hold weak
// references.

#include <weft/bytes.hpp>
#include <weft/error.hpp>
#include <weft/gossip_statistics.hpp>
#include <weft/keys.hpp>
#include <weft/peer_id.hpp>
#include <weft/topic_validation.hpp>

#include "conn/connection_pool.hpp"
#include "gossip/gossip_router.hpp"
#include "util/asio.hpp"  // first: it sets Asio up (TOOLCHAIN.md pitfalls 1-2)

#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>

namespace weft::node {

/// gossipsub v1.2's protocol id (go-libp2p-pubsub's GossipSubID_v12).
inline constexpr std::string_view kGossipProtocol = "/meshsub/1.2.0";

struct GossipServiceConfig {
  gossip::GossipConfig router;
  /// The signature pool's size when router.async_signature_checks (at least 1 then).
  std::size_t signature_threads = 1;
};

/// A message delivered on a subscribed topic (once per message id).
struct GossipDelivery {
  std::string topic;
  std::string id;                  ///< the message id's bytes
  std::optional<PeerId> author;    ///< from the message's `from` field
  std::uint64_t seqno = 0;         ///< the 8-byte big-endian seqno (StrictSign)
  Bytes data;
  PeerId received_from;            ///< the peer it came from first
};

/// Driver counters (the router keeps its own: GossipStats).
struct GossipServiceCounters {
  std::uint64_t streams_opened = 0;      ///< our sending streams opened
  std::uint64_t streams_refused = 0;     ///< ... that failed to open or were refused
  std::uint64_t streams_accepted = 0;    ///< peers' streams accepted
  std::uint64_t frames_sent = 0;
  std::uint64_t frames_received = 0;
  std::uint64_t frames_dropped = 0;      ///< taken for a write that failed (lost with the stream)
  std::uint64_t slow_peer_reports = 0;   ///< slow-peer reports given to the listener (throttled)
  std::uint64_t bad_frames = 0;          ///< frames or RPCs over the limits (reported)
};

class GossipService : public std::enable_shared_from_this<GossipService> {
 public:
  using DeliveryHandler = std::function<void(const GossipDelivery&)>;
  /// Judges one message (network thread); answers through the completion, at once or later.
  using ValidationHandler = std::function<void(const GossipDelivery&, ValidationCompletion)>;
  /// Told that RPCs to `peer` were dropped from its full send queue (network thread).
  using SlowPeerListener = std::function<void(const PeerId& peer, std::size_t items, std::size_t bytes)>;

  /// Hooks into `pool` (the protocol handler, connection events). Errors:
  /// gossip_config_invalid (check_config's).
  static Result<std::shared_ptr<GossipService>> create(std::shared_ptr<conn::ConnectionPool> pool,
                                                       const Keypair& identity, GossipServiceConfig config);
  ~GossipService();
  GossipService(const GossipService&) = delete;
  GossipService& operator=(const GossipService&) = delete;

  /// Starts the heartbeat. Network thread (or before it runs).
  void start();
  /// Stops the heartbeat and drops every stream. Idempotent.
  void stop();

  /// Subscribes to `topic`; `handler` gets its deliveries (network thread; replaces an
  /// earlier handler of the topic).
  void subscribe(const std::string& topic, DeliveryHandler handler);
  void unsubscribe(const std::string& topic);
  /// Sets `topic`'s validator (replacing an earlier one); an empty one removes it (messages
  /// still waiting for it are then accepted when they come up, as without a validator).
  void set_validator(const std::string& topic, ValidationHandler validator);
  /// Hears of drops from peers' full send queues: per peer at most once per
  /// kSlowPeerReportInterval, with the drops since its last report summed.
  void set_slow_peer_listener(SlowPeerListener listener) { slow_peer_listener_ = std::move(listener); }
  /// Signs and sends. Errors: gossip_message_too_large, gossip_topic_too_long,
  /// gossip_no_peers.
  Result<std::string> publish(const std::string& topic, Bytes data);

  gossip::GossipStats router_stats() const { return router_.stats(); }
  /// The public view (Node::gossip_statistics()): the subscribed topics and the router's
  /// counters; `enabled` is true.
  GossipStatistics statistics() const;
  /// The topics subscribed through subscribe(), by name.
  std::vector<std::string> subscribed_topics() const;
  const GossipServiceCounters& counters() const noexcept { return counters_; }
  std::vector<PeerId> mesh_peers(const std::string& topic) const { return router_.mesh_peers(topic); }
  std::vector<PeerId> topic_peers(const std::string& topic) const { return router_.topic_peers(topic); }

 private:
  /// A peer's drops are reported at most this often; drops in between add to the next report.
  static constexpr std::chrono::seconds kSlowPeerReportInterval{1};
  struct PeerState {
    std::set<conn::ConnectionId> connections;  ///< announced by the table, not yet closed
    bool up = false;
    bool opening = false;
    bool writing = false;
    gossip::Direction direction = gossip::Direction::outbound;
    std::string ip;
    std::shared_ptr<conn::StreamLease> out;  ///< our sending stream, once open
    std::optional<gossip::TimePoint> last_slow_report;
    std::size_t unreported_items = 0, unreported_bytes = 0;  ///< drops since that report
  };

  GossipService(std::shared_ptr<conn::ConnectionPool> pool, const Keypair& identity, gossip::GossipConfig config,
                std::size_t signature_threads);
  /// Checks the message's signature on the pool; the verdict goes to the router on the
  /// network thread.
  void check_signature(gossip::MessageId id, gossip::MessagePtr message);
  /// Runs the topic's validator on a message the router holds for it.
  void validate(const gossip::event::ValidationRequest& request);
  /// A deferred answer, on the network thread.
  void report_validation(const gossip::MessageId& id, ValidationResult result);
  void handle_event(gossip::GossipEvent& event);
  void report_slow_peer(const gossip::event::SlowPeer& slow);
  void install_hooks();
  void on_table_event(const conn::TableEvent& event);
  void open_stream(const PeerId& peer);
  void on_stream_opened(const PeerId& peer, Result<conn::StreamLease> lease);
  void on_stream_failed(const PeerId& peer, const std::shared_ptr<conn::StreamLease>& stream);
  void mark_up(const PeerId& peer);
  void on_inbound_stream(conn::Stream stream);
  void on_frame(const PeerId& peer, Bytes body);
  void start_writer(const PeerId& peer, PeerState& state);
  /// Sends what the router produced and hands out its events; re-arms the heartbeat.
  void drain();
  void arm_heartbeat();

  static asio::awaitable<void> open_and_watch(std::weak_ptr<GossipService> weak,
                                              std::shared_ptr<conn::ConnectionPool> pool, PeerId peer);
  /// Writes the peer's queued RPCs, a batch at a time, until the router has none for it.
  static asio::awaitable<void> write_queued(std::weak_ptr<GossipService> weak, PeerId peer,
                                            std::shared_ptr<conn::StreamLease> stream);
  static asio::awaitable<void> read_stream(std::weak_ptr<GossipService> weak, conn::Stream stream,
                                           std::size_t max_rpc_bytes);
  static gossip::TimePoint now();

  std::shared_ptr<conn::ConnectionPool> pool_;
  gossip::GossipConfig config_;
  gossip::GossipRouter router_;
  asio::steady_timer heartbeat_;
  std::unordered_map<PeerId, PeerState> peers_;
  std::map<std::string, DeliveryHandler> handlers_;
  std::map<std::string, ValidationHandler> validators_;
  /// Lets answers from any thread post to the network thread until the service stops.
  struct PostGate {
    std::mutex mutex;
    bool open = true;  ///< guarded by mutex
  };
  std::shared_ptr<PostGate> gate_ = std::make_shared<PostGate>();
  GossipServiceCounters counters_;
  std::optional<gossip::TimePoint> armed_for_;  ///< the heartbeat's pending deadline
  std::unique_ptr<asio::thread_pool> signature_pool_;  ///< null when checks run inline
  SlowPeerListener slow_peer_listener_;
  bool stopped_ = false;
};

}  // namespace weft::node
