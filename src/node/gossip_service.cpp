#include "node/gossip_service.hpp"

#include "gossip/message_signing.hpp"
#include "gossip/rpc_codec.hpp"
#include "gossip/rpc_frame_reader.hpp"

#include <algorithm>
#include <array>
#include <random>
#include <utility>

namespace weft::node {
namespace {

/// Bytes asked of an inbound stream per read.
constexpr std::size_t kReadChunk = 16 * 1024;
/// At most this much of a peer's queued RPCs is written at once (frames end to end).
constexpr std::size_t kMaxWriteBytes = 64 * 1024;

std::uint64_t random_seed() {
  std::random_device device;
  return (static_cast<std::uint64_t>(device()) << 32) ^ device();
}

gossip::GossipConfig seeded(gossip::GossipConfig config) {
  if (config.rng_seed == 0) config.rng_seed = random_seed();
  return config;
}

std::uint64_t seqno_of(const gossip::Message& message) {
  std::uint64_t value = 0;
  if (message.seqno) {
    for (std::uint8_t byte : *message.seqno) value = value << 8 | byte;
  }
  return value;
}

GossipDelivery to_delivery(const gossip::TopicId& topic, const gossip::MessageId& id, const gossip::Message& m,
                           const PeerId& source) {
  GossipDelivery out{topic, id, std::nullopt, seqno_of(m), m.data ? *m.data : Bytes{}, source};
  if (m.from) {
    if (auto author = PeerId::from_bytes(*m.from)) out.author = author.value();
  }
  return out;
}

gossip::Validation to_router(ValidationResult result) {
  switch (result) {
    case ValidationResult::accept:
      return gossip::Validation::accept;
    case ValidationResult::reject:
      return gossip::Validation::reject;
    case ValidationResult::ignore:
      break;
  }
  return gossip::Validation::ignore;
}

/// One message's answer while its validator runs: an answer before it returns is kept
/// for the caller; after, `deferred` is set and answers are posted.
struct ValidationSlot {
  std::mutex mutex;
  bool deferred = false;                 ///< guarded by mutex
  std::optional<ValidationResult> early; ///< guarded by mutex
};

}  // namespace

GossipService::GossipService(std::shared_ptr<conn::ConnectionPool> pool, const Keypair& identity,
                             gossip::GossipConfig config, std::size_t signature_threads)
    : pool_(std::move(pool)),
      config_(seeded(std::move(config))),
      router_(identity, config_, now()),
      heartbeat_(pool_->executor()) {
  if (config_.async_signature_checks) {
    signature_pool_ = std::make_unique<asio::thread_pool>(std::max<std::size_t>(1, signature_threads));
  }
}

/// Stops the signature pool first: a job still running may post its verdict, which finds
/// the service gone and is dropped.
GossipService::~GossipService() {
  {
    std::lock_guard lock(gate_->mutex);
    gate_->open = false;
  }
  if (signature_pool_) {
    signature_pool_->stop();
    signature_pool_->join();
  }
}

gossip::TimePoint GossipService::now() { return std::chrono::steady_clock::now(); }

Result<std::shared_ptr<GossipService>> GossipService::create(std::shared_ptr<conn::ConnectionPool> pool,
                                                             const Keypair& identity, GossipServiceConfig config) {
  BOOST_OUTCOME_TRY(gossip::check_config(config.router));
  std::shared_ptr<GossipService> service(
      new GossipService(std::move(pool), identity, std::move(config.router), config.signature_threads));
  service->install_hooks();
  return service;
}

void GossipService::install_hooks() {
  std::weak_ptr<GossipService> weak = weak_from_this();
  pool_->set_handler(std::string(kGossipProtocol), [weak](conn::Stream stream) {
    if (auto self = weak.lock()) self->on_inbound_stream(std::move(stream));
  });
  pool_->subscribe([weak](const conn::TableEvent& event) {
    if (auto self = weak.lock()) self->on_table_event(event);
  });
}

void GossipService::start() { arm_heartbeat(); }

void GossipService::stop() {
  if (stopped_) return;
  stopped_ = true;
  {
    std::lock_guard lock(gate_->mutex);
    gate_->open = false;  // answers from now on are dropped: the router is going
  }
  heartbeat_.cancel();
  peers_.clear();  // the sending streams' leases end (reset) with their states
}

// --- peers ------------------------------------------------------------------------------

void GossipService::on_table_event(const conn::TableEvent& event) {
  if (stopped_) return;
  if (event.kind == conn::TableEvent::Kind::connected) {
    PeerState& state = peers_[event.peer];
    const bool first = state.connections.empty();
    state.connections.insert(event.connection);
    if (!first) return;
    state.direction =
        event.direction == conn::Direction::inbound ? gossip::Direction::inbound : gossip::Direction::outbound;
    if (auto connection = pool_->connection(event.connection)) {
      state.ip = connection->secure().remote_endpoint().address().to_string();
    }
    // Only the dialing side sends an advert: an inbound peer that lists its protocols and
    // not ours does not speak it. Outbound peers are asked (a refused stream says no).
    if (const conn::PeerAdvert* advert = pool_->advert(event.connection);
        advert != nullptr && !advert->protocols.empty() &&
        std::find(advert->protocols.begin(), advert->protocols.end(), kGossipProtocol) == advert->protocols.end()) {
      return;
    }
    open_stream(event.peer);
  } else if (event.kind == conn::TableEvent::Kind::disconnected) {
    // Only connections announced as connected count (a failed dial is not one of them).
    const auto it = peers_.find(event.peer);
    if (it == peers_.end() || it->second.connections.erase(event.connection) == 0) return;
    if (!it->second.connections.empty()) return;
    const bool was_up = it->second.up;
    peers_.erase(it);
    if (was_up) {
      router_.handle_peer_down(event.peer);
      drain();
    }
  }
}

void GossipService::open_stream(const PeerId& peer) {
  PeerState& state = peers_[peer];
  if (state.opening || state.out) return;
  state.opening = true;
  asio::co_spawn(pool_->executor(), open_and_watch(weak_from_this(), pool_, peer), asio::detached);
}

asio::awaitable<void> GossipService::open_and_watch(std::weak_ptr<GossipService> weak,
                                                    std::shared_ptr<conn::ConnectionPool> pool, PeerId peer) {
  auto lease = co_await pool->acquire(peer, {}, std::string(kGossipProtocol));
  std::shared_ptr<conn::StreamLease> stream;
  {
    auto self = weak.lock();
    if (!self) co_return;
    const bool opened = lease.has_value();
    self->on_stream_opened(peer, std::move(lease));
    if (!opened) co_return;
    const auto it = self->peers_.find(peer);
    if (it == self->peers_.end() || !it->second.out) co_return;
    stream = it->second.out;
  }
  // We only write on our stream; reading it tells us when the peer refuses the protocol
  // or the stream ends.
  std::array<std::uint8_t, 64> sink{};
  for (;;) {
    auto n = co_await stream->stream().read_some(sink);
    if (!n || n.value() == 0) break;
  }
  if (auto self = weak.lock()) self->on_stream_failed(peer, stream);
}

void GossipService::on_stream_opened(const PeerId& peer, Result<conn::StreamLease> lease) {
  const auto it = peers_.find(peer);
  if (it == peers_.end() || stopped_) return;  // gone meanwhile: the lease ends here
  PeerState& state = it->second;
  state.opening = false;
  if (!lease) {
    ++counters_.streams_refused;
    return;
  }
  ++counters_.streams_opened;
  pool_->pin(lease.value().id(), true);
  state.out = std::make_shared<conn::StreamLease>(std::move(lease).value());
  mark_up(peer);
  start_writer(peer, state);
}

void GossipService::on_stream_failed(const PeerId& peer, const std::shared_ptr<conn::StreamLease>& stream) {
  const auto it = peers_.find(peer);
  if (it == peers_.end() || it->second.out != stream) return;  // already replaced or gone
  ++counters_.streams_refused;
  PeerState& state = it->second;
  state.out.reset();
  state.writing = false;  // a writer still on `stream` stops at its next turn: out changed
  if (state.up) {
    state.up = false;
    router_.handle_peer_down(peer);
    drain();
  }
}

void GossipService::mark_up(const PeerId& peer) {
  PeerState& state = peers_[peer];
  if (state.up) return;
  state.up = true;
  router_.handle_peer_up(peer, state.direction, state.ip);
  drain();
}

// --- receiving --------------------------------------------------------------------------

void GossipService::on_inbound_stream(conn::Stream stream) {
  if (stopped_) return;
  const PeerId peer = stream.peer();
  ++counters_.streams_accepted;
  auto it = peers_.find(peer);
  if (it == peers_.end() || it->second.connections.empty()) return;  // its connection is going: drop it
  mark_up(peer);  // its RPCs count from now; ours wait until our stream opens
  if (!it->second.out) open_stream(peer);
  asio::co_spawn(pool_->executor(), read_stream(weak_from_this(), std::move(stream), config_.rpc.max_rpc_bytes),
                 asio::detached);
}

asio::awaitable<void> GossipService::read_stream(std::weak_ptr<GossipService> weak, conn::Stream stream,
                                                 std::size_t max_rpc_bytes) {
  const PeerId peer = stream.peer();
  gossip::RpcFrameReader reader(max_rpc_bytes);
  Bytes buffer(kReadChunk);
  for (;;) {
    auto n = co_await stream.read_some(buffer);
    if (!n || n.value() == 0) co_return;
    ByteView rest(buffer.data(), n.value());
    while (!rest.empty()) {
      auto taken = reader.put(rest);
      auto self = weak.lock();
      if (!self) co_return;
      if (!taken) {
        ++self->counters_.bad_frames;
        self->router_.handle_rpc_error(peer, taken.error(), now());
        self->drain();
        stream.reset();
        co_return;
      }
      rest = rest.subspan(taken.value());
      while (auto body = reader.poll_frame()) self->on_frame(peer, std::move(*body));
    }
  }
}

void GossipService::on_frame(const PeerId& peer, Bytes body) {
  ++counters_.frames_received;
  auto rpc = gossip::decode_rpc(body, config_.rpc);
  if (!rpc) {
    ++counters_.bad_frames;
    router_.handle_rpc_error(peer, rpc.error(), now());
  } else {
    router_.handle_rpc(peer, rpc.value(), now());
  }
  drain();
}

// --- sending ----------------------------------------------------------------------------

void GossipService::start_writer(const PeerId& peer, PeerState& state) {
  if (state.writing || !state.out) return;
  state.writing = true;
  asio::co_spawn(pool_->executor(), write_queued(weak_from_this(), peer, state.out), asio::detached);
}

asio::awaitable<void> GossipService::write_queued(std::weak_ptr<GossipService> weak, PeerId peer,
                                                  std::shared_ptr<conn::StreamLease> stream) {
  for (;;) {
    Bytes batch;
    std::size_t frames = 0;
    {
      auto self = weak.lock();
      if (!self) co_return;
      const auto it = self->peers_.find(peer);
      if (it == self->peers_.end() || it->second.out != stream) co_return;  // replaced or gone
      // RPCs stay in the router's queue until the stream can take them, so its priorities,
      // byte cap and IDONTWANT drops act on everything that waits. What is there now, up to
      // kMaxWriteBytes, goes out in one write: one yamux frame, one encryption and one
      // system call (a message and the IDONTWANTs and IHAVEs around it often wait together).
      while (batch.size() < kMaxWriteBytes) {
        auto out = self->router_.poll_outbound_for(peer);
        if (!out) break;
        const Bytes frame = gossip::encode_rpc_frame(out->rpc);
        batch.insert(batch.end(), frame.begin(), frame.end());
        ++frames;
      }
      if (frames == 0) {
        it->second.writing = false;
        co_return;
      }
    }
    auto written = co_await stream->stream().write_all(batch);
    auto self = weak.lock();
    if (!self) co_return;
    if (!written) {
      self->counters_.frames_dropped += frames;
      self->on_stream_failed(peer, stream);  // no-op when the stream was replaced meanwhile
      co_return;
    }
    self->counters_.frames_sent += frames;
  }
}

void GossipService::drain() {
  // A validator's answer given at once produces more output and events: loop until both
  // are handled. A peer whose stream is busy is served when its write completes.
  for (;;) {
    for (const PeerId& peer : router_.take_peers_with_outbound()) {
      if (auto it = peers_.find(peer); it != peers_.end()) start_writer(peer, it->second);
    }
    auto event = router_.poll_event();
    if (!event) break;
    handle_event(*event);
  }
  arm_heartbeat();
}

void GossipService::handle_event(gossip::GossipEvent& event) {
  if (const auto* delivery = std::get_if<gossip::event::Delivery>(&event)) {
    const auto handler = handlers_.find(delivery->topic);
    if (handler == handlers_.end() || !handler->second) return;
    handler->second(to_delivery(delivery->topic, delivery->id, *delivery->message, delivery->source));
  } else if (auto* check = std::get_if<gossip::event::SignatureCheck>(&event)) {
    check_signature(std::move(check->id), std::move(check->message));
  } else if (const auto* request = std::get_if<gossip::event::ValidationRequest>(&event)) {
    validate(*request);
  } else if (const auto* slow = std::get_if<gossip::event::SlowPeer>(&event)) {
    report_slow_peer(*slow);
  }
  // Penalties and PX are counted by the router (GossipStats).
}

void GossipService::report_slow_peer(const gossip::event::SlowPeer& slow) {
  const auto it = peers_.find(slow.peer);
  if (it == peers_.end()) return;
  PeerState& state = it->second;
  state.unreported_items += slow.dropped_items;
  state.unreported_bytes += slow.dropped_bytes;
  const gossip::TimePoint at = now();
  if (state.last_slow_report && at - *state.last_slow_report < kSlowPeerReportInterval) return;
  state.last_slow_report = at;
  ++counters_.slow_peer_reports;
  const std::size_t items = std::exchange(state.unreported_items, 0);
  const std::size_t bytes = std::exchange(state.unreported_bytes, 0);
  if (slow_peer_listener_) slow_peer_listener_(slow.peer, items, bytes);
}

void GossipService::validate(const gossip::event::ValidationRequest& request) {
  const auto it = validators_.find(request.topic);
  if (it == validators_.end() || !it->second) {  // removed while the message waited
    router_.report_validation(request.id, gossip::Validation::accept, now());
    return;
  }
  auto slot = std::make_shared<ValidationSlot>();
  ValidationCompletion done([slot, weak = weak_from_this(), gate = gate_, executor = pool_->executor(),
                             id = request.id](ValidationResult result) {
    {
      std::lock_guard lock(slot->mutex);
      if (!slot->deferred) {
        slot->early = result;
        return;
      }
    }
    std::lock_guard lock(gate->mutex);
    if (!gate->open) return;
    asio::post(executor, [weak, id, result] {
      if (auto self = weak.lock(); self && !self->stopped_) self->report_validation(id, result);
    });
  });
  // The validator gets a copy: when its copies are gone unanswered, ours is the last.
  try {
    it->second(to_delivery(request.topic, request.id, *request.message, request.source), done);
  } catch (...) {
    done(ValidationResult::reject);  // counts unless it answered before throwing
  }
  {
    std::lock_guard lock(slot->mutex);
    if (!slot->early) {
      slot->deferred = true;
      return;  // `done` ends here; if the validator kept no copy, that answers ignore (posted)
    }
  }
  router_.report_validation(request.id, to_router(*slot->early), now());
}

void GossipService::report_validation(const gossip::MessageId& id, ValidationResult result) {
  router_.report_validation(id, to_router(result), now());
  drain();
}

void GossipService::check_signature(gossip::MessageId id, gossip::MessagePtr message) {
  // The router asks only in async mode, which is exactly when the pool exists.
  std::weak_ptr<GossipService> weak = weak_from_this();
  asio::post(*signature_pool_, [weak, executor = pool_->executor(), id = std::move(id), message = std::move(message)] {
    Result<void> verdict = gossip::verify_message(*message);
    asio::post(executor, [weak, id, verdict = std::move(verdict)] {
      auto self = weak.lock();
      if (!self || self->stopped_) return;
      self->router_.report_signature(id, verdict, now());
      self->drain();
    });
  });
}

void GossipService::arm_heartbeat() {
  if (stopped_) return;
  const auto deadline = router_.next_deadline();
  if (!deadline || deadline == armed_for_) return;  // already waiting for it
  armed_for_ = deadline;
  heartbeat_.expires_at(*deadline);
  std::weak_ptr<GossipService> weak = weak_from_this();
  heartbeat_.async_wait([weak](const boost::system::error_code& ec) {
    if (ec) return;
    auto self = weak.lock();
    if (!self || self->stopped_) return;
    self->armed_for_.reset();
    self->router_.handle_tick(now());
    self->drain();
  });
}

// --- the application's calls ------------------------------------------------------------

void GossipService::subscribe(const std::string& topic, DeliveryHandler handler) {
  handlers_.insert_or_assign(topic, std::move(handler));
  router_.subscribe(topic);
  drain();
}

void GossipService::set_validator(const std::string& topic, ValidationHandler validator) {
  if (validator) {
    validators_.insert_or_assign(topic, std::move(validator));
    router_.set_validator(topic, [](const gossip::TopicId&, const gossip::Message&, const PeerId&) {
      return gossip::Validation::defer;  // judged in validate(), from the ValidationRequest
    });
  } else {
    validators_.erase(topic);
    router_.set_validator(topic, {});
  }
}

void GossipService::unsubscribe(const std::string& topic) {
  handlers_.erase(topic);
  router_.unsubscribe(topic);
  drain();
}

std::vector<std::string> GossipService::subscribed_topics() const {
  std::vector<std::string> topics;
  topics.reserve(handlers_.size());
  for (const auto& [topic, handler] : handlers_) topics.push_back(topic);
  return topics;
}

GossipStatistics GossipService::statistics() const {
  GossipStatistics out;
  out.enabled = true;
  for (const auto& topic : subscribed_topics()) {
    TopicStatistics t;
    t.topic = topic;
    t.mesh_peers = router_.mesh_peers(topic).size();
    t.peers = router_.topic_peers(topic).size();
    if (const auto c = router_.topic_counters(topic)) {
      t.delivered = c->delivered;
      t.duplicates = c->duplicates;
      t.rejected = c->rejected;
      t.ignored = c->ignored;
      t.dropped = c->dropped;
      t.idontwant_sent = c->idontwant_sent;
      t.idontwant_received = c->idontwant_received;
    }
    out.topics.push_back(std::move(t));
  }
  const gossip::GossipStats s = router_.stats();
  out.published = s.published;
  out.delivered = s.messages_accepted;
  out.duplicates = s.messages_duplicate;
  out.rejected = s.messages_invalid + s.messages_rejected;
  out.ignored = s.messages_ignored + s.validation_queue_full + s.signature_queue_full;
  out.messages_received = s.messages_received;
  out.messages_forwarded = s.messages_forwarded;
  out.rpcs_received = s.rpcs_received;
  out.ihave_received = s.ihave_received;
  out.iwant_sent_ids = s.iwant_sent_ids;
  out.iwant_served = s.iwant_served;
  out.idontwant_sent = s.idontwant_sent;
  out.idontwant_received = s.idontwant_received_ids;
  out.grafts_sent = s.grafts_sent;
  out.prunes_sent = s.prunes_sent;
  out.send_queue_dropped = s.queue_dropped_items + counters_.frames_dropped;
  return out;
}

Result<std::string> GossipService::publish(const std::string& topic, Bytes data) {
  auto id = router_.publish(topic, std::move(data), now());
  drain();
  if (!id) return id.error();
  return std::string(id.value());
}

}  // namespace weft::node
