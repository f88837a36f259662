#include "node/peer_service.hpp"

#include "node/request_response.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <random>

namespace weft::node {
namespace {

/// Dial candidates looked at per tick: enough that peers in backoff at the top of the
/// ranking do not hide the rest, few enough that a tick stays cheap.
constexpr std::size_t kCandidatesPerTick = 256;

std::uint64_t random_seed() {
  std::random_device device;
  return (static_cast<std::uint64_t>(device()) << 32) ^ device();
}

std::optional<peer::IpKey> key_of(const tcp::endpoint& endpoint) {
  if (endpoint.address().is_unspecified()) return std::nullopt;
  return peer::ip_key_of(endpoint.address());
}

/// An advertised listen address made dialable: one on an unspecified host (a node
/// listening on 0.0.0.0 or ::) gets the host the connection came from.
std::optional<Multiaddr> dialable(const Multiaddr& advertised, const tcp::endpoint& remote) {
  auto tcp = advertised.to_tcp_endpoint();
  if (!tcp) return std::nullopt;  // not /ip4|ip6|dns/.../tcp/...: nothing we can dial
  const bool unspecified = tcp.value().host == "0.0.0.0" || tcp.value().host == "::";
  if (!unspecified) return advertised;
  TcpEndpoint fixed{remote.address().is_v4() ? TcpEndpoint::HostKind::ip4 : TcpEndpoint::HostKind::ip6,
                    remote.address().to_string(), tcp.value().port};
  auto address = Multiaddr::from_tcp_endpoint(fixed);
  if (!address) return std::nullopt;
  return std::move(address).value();
}

/// The misbehaviour a connection's end reveals, if any: frames the peer may not send
/// (channel or yamux violations) or more streams than allowed. Ends for other reasons
/// (closed, reset, timed out, our own trims) are nobody's fault.
std::optional<peer::MisbehaviourKind> misbehaviour_of(const Error& reason) {
  if (reason == Errc::mux_too_many_streams) return peer::MisbehaviourKind::flood;
  if (reason == Errc::mux_protocol_error || reason == Errc::mux_window_exceeded || reason == Errc::mux_stream_id_reused ||
      reason == Errc::channel_frame_too_large || reason == Errc::channel_frame_too_short ||
      reason == Errc::channel_auth_failed) {
    return peer::MisbehaviourKind::protocol_violation;
  }
  return std::nullopt;
}

/// An answer already computed, as the awaitable a request handler returns.
asio::awaitable<Result<Bytes>> ready_answer(Result<Bytes> answer) { co_return answer; }

}  // namespace

/// The gate's slot for one inbound connection: pending until the handshake succeeds, then
/// established until the connection object is destroyed.
class PeerService::GateTicket : public conn::AdmissionTicket {
 public:
  GateTicket(std::weak_ptr<PeerService> service, peer::IpKey key) : service_(std::move(service)), key_(key) {}
  ~GateTicket() override {
    auto service = service_.lock();
    if (!service) return;
    if (established_) {
      service->gate_.on_connection_closed(key_);
    } else {
      service->gate_.on_handshake_done(key_, false);
    }
  }
  void handshake_succeeded() override {
    if (established_) return;
    established_ = true;
    if (auto service = service_.lock()) service->gate_.on_handshake_done(key_, true);
  }

 private:
  std::weak_ptr<PeerService> service_;
  peer::IpKey key_;
  bool established_ = false;
};

PeerService::PeerService(std::shared_ptr<conn::ConnectionPool> pool, PeerServiceConfig config,
                         std::shared_ptr<EventHub> hub)
    : pool_(std::move(pool)),
      config_(std::move(config)),
      hub_(std::move(hub)),
      store_(config_.store),
      manager_(config_.manager,
               [rng = std::make_shared<std::mt19937_64>(random_seed())] {
                 return std::uniform_real_distribution<double>(0.0, 1.0)(*rng);
               }),
      gate_(config_.gate, now()),
      rng_(random_seed()),
      timer_(pool_->executor()) {}

PeerService::~PeerService() = default;

Result<std::shared_ptr<PeerService>> PeerService::create(std::shared_ptr<conn::ConnectionPool> pool,
                                                         PeerServiceConfig config, std::shared_ptr<EventHub> hub) {
  if (config.exchange_interval.count() <= 0 || config.exchange_timeout.count() <= 0 ||
      config.flush_interval.count() <= 0 || config.manager.tick_interval_ms.count() <= 0) {
    return Error(Errc::config_invalid, "peer_manager: intervals and timeouts must be at least 1 ms");
  }
  std::shared_ptr<PeerService> service(new PeerService(std::move(pool), std::move(config), std::move(hub)));
  if (service->config_.store_path) {
    auto opened = peer::open_or_recover(*service->config_.store_path, service->store_, wall_now());
    if (!opened) return opened.error();
    service->db_.emplace(std::move(opened.value().db));
    service->set_aside_ = std::move(opened.value().set_aside);
  }
  if (const auto& aside = service->set_aside_) {
    service->hub_->publish(NodeEvent{NodeEvent::Kind::peerstore_set_aside, std::nullopt, 0, false, aside->cause,
                                     aside->moved_to.string()});
  }
  // Running bans from the store go back into the manager (which trims their connections).
  std::vector<peer::BanRecord> bans;
  const auto wall = wall_now();
  const auto steady = now();
  service->store_.for_each([&](const peer::PeerRecord& record) {
    if (record.banned(wall)) bans.push_back({record.id, steady + (*record.ban_until - wall)});
  });
  service->manager_.restore_bans(bans, steady);
  service->install_hooks();
  return service;
}

void PeerService::install_hooks() {
  std::weak_ptr<PeerService> weak = weak_from_this();
  pool_->set_admission([weak](const tcp::endpoint& remote) -> Result<std::shared_ptr<conn::AdmissionTicket>> {
    auto self = weak.lock();
    if (!self) return std::shared_ptr<conn::AdmissionTicket>();  // stopping: the pool's own caps apply
    return self->admit(remote);
  });
  pool_->subscribe([weak](const conn::TableEvent& event) {
    if (auto self = weak.lock()) self->on_table_event(event);
  });
  RequestConfig request_config{config_.exchange.max_request_bytes, config_.exchange.max_message_bytes};
  serve_requests(
      *pool_, std::string(peer::kPeerExchangeProtocol),
      [weak](PeerId from, Bytes body) -> asio::awaitable<Result<Bytes>> {
        // Not a coroutine lambda (g++ 12): the answer is computed at once and wrapped.
        auto self = weak.lock();
        Result<Bytes> answer = self ? self->answer_exchange(from, body)
                                    : Result<Bytes>(Error(Errc::node_not_running, "the node is stopping"));
        return ready_answer(std::move(answer));
      },
      request_config);
}

void PeerService::start() {
  if (started_) return;
  started_ = true;
  const auto wall = wall_now();
  const auto steady = now();
  for (const auto& bootstrap : config_.bootstrap) {
    const auto added =
        store_.add_addresses(bootstrap.peer, bootstrap.addresses, peer::AddressSource::bootstrap, std::nullopt, wall);
    counters_.addresses_learned += added.added;
    if (added.peer_created) manager_.handle_discovered(bootstrap.peer, steady);  // published by drain_manager
  }
  next_exchange_ = steady + config_.exchange_interval;
  next_flush_ = steady + config_.flush_interval;
  drain_manager();
  arm_tick();
}

void PeerService::stop() {
  stopped_ = true;
  timer_.cancel();
  flush_store();  // again on a later call: what the connections' ends recorded since
}

// --- inbound admission ----------------------------------------------------------------

Result<std::shared_ptr<conn::AdmissionTicket>> PeerService::admit(const tcp::endpoint& remote) {
  const auto key = key_of(remote);
  if (!key) return std::shared_ptr<conn::AdmissionTicket>();  // not an IP we can count: the pool's caps apply
  const auto decision = gate_.admit(*key, now());
  if (!decision) {
    return Error(decision.reason == peer::InboundRefusal::ip_banned ? Errc::peer_banned : Errc::inbound_refused,
                 fmt::format("{} from {}", peer::to_string(decision.reason), key->to_string()));
  }
  return std::shared_ptr<conn::AdmissionTicket>(std::make_shared<GateTicket>(weak_from_this(), *key));
}

void PeerService::on_refused(const tcp::endpoint& remote, const Error& reason) {
  if (!(reason == Errc::handshake_bad_signature)) return;
  // The signature did not verify, so the PeerId it claimed proves nothing: the address is
  // what misbehaved. Its penalty is the manager's bad_handshake_signature one; reaching the
  // threshold with one report (the default) bans the address for ban_duration_ms.
  const auto key = key_of(remote);
  if (!key) return;
  const auto& c = manager_.config();
  if (c.penalty(peer::MisbehaviourKind::bad_handshake_signature) < c.ban_threshold) return;
  gate_.ban_ip(*key, now() + c.ban_duration_ms);
  ++counters_.bad_signature_bans;
}

// --- the table's events -----------------------------------------------------------------

void PeerService::on_table_event(const conn::TableEvent& event) {
  if (event.kind == conn::TableEvent::Kind::connected) on_connected(event);
  if (event.kind == conn::TableEvent::Kind::disconnected) on_disconnected(event);
}

void PeerService::on_connected(const conn::TableEvent& event) {
  const auto steady = now();
  const auto wall = wall_now();
  std::optional<tcp::endpoint> remote;
  std::optional<Bytes> public_key;
  if (auto connection = pool_->connection(event.connection)) {
    remote = connection->secure().remote_endpoint();
    public_key = connection->secure().session().peer_key.to_protobuf();  // as the handshake proved it
  }
  OpenConnection open{event.peer, remote ? key_of(*remote) : std::nullopt};
  const bool first = per_peer_[event.peer]++ == 0;
  open_.insert_or_assign(event.connection, open);
  pool_->set_retained(event.peer, true);

  const bool had_record = store_.find(event.peer) != nullptr;
  const bool stored = store_.record_connected(event.peer, wall);
  if (public_key) store_.set_public_key(event.peer, *public_key);
  if (event.direction == conn::Direction::inbound && remote) store_advert(event.connection, event.peer, *remote);
  if (const auto* record = store_.find(event.peer)) manager_.set_peer_score(event.peer, record->score, steady);
  if (!had_record && stored) manager_.handle_discovered(event.peer, steady);
  const bool accepted = manager_.handle_connection_opened(
      peer::OpenedConnection{event.connection, event.peer, event.direction, open.key, steady}, steady);
  // A new peer (not one we are dialing, which gets asked once its dial is done) is asked
  // for the peers it knows.
  if (accepted && first && dialing_.count(event.peer) == 0) start_exchange(event.peer, {}, false);
  drain_manager();
}

void PeerService::on_disconnected(const conn::TableEvent& event) {
  const auto it = open_.find(event.connection);
  if (it == open_.end()) return;  // a dial that never connected
  const PeerId peer = it->second.peer;
  open_.erase(it);
  manager_.handle_connection_closed(event.connection, now());
  if (const auto kind = misbehaviour_of(event.reason)) report_misbehaviour(peer, *kind);
  if (auto count = per_peer_.find(peer); count != per_peer_.end() && --count->second == 0) {
    per_peer_.erase(count);
    last_answered_.erase(peer);
    pool_->set_retained(peer, false);
    store_.record_disconnected(peer, wall_now());
  }
  drain_manager();
}

void PeerService::store_advert(conn::ConnectionId id, const PeerId& peer, const tcp::endpoint& remote) {
  const conn::PeerAdvert* advert = pool_->advert(id);
  if (advert == nullptr) return;
  std::vector<Multiaddr> addresses;
  for (const auto& address : advert->listen_addresses) {
    if (auto usable = dialable(address, remote)) addresses.push_back(std::move(*usable));
  }
  if (!addresses.empty()) {
    counters_.addresses_learned +=
        store_.add_addresses(peer, addresses, peer::AddressSource::inbound, std::nullopt, wall_now()).added;
  }
  if (!advert->protocols.empty()) store_.set_protocols(peer, advert->protocols);
}

// --- the tick ---------------------------------------------------------------------------

void PeerService::arm_tick() {
  if (stopped_) return;
  timer_.expires_after(config_.manager.tick_interval_ms);
  std::weak_ptr<PeerService> weak = weak_from_this();
  timer_.async_wait([weak](const boost::system::error_code& ec) {
    if (ec) return;
    if (auto self = weak.lock()) self->tick();
  });
}

void PeerService::tick() {
  if (stopped_) return;
  const auto steady = now();
  const auto wall = wall_now();
  const auto keep_alive = pool_->keep_alive_peers();
  const std::vector<PeerId> keep(keep_alive.begin(), keep_alive.end());
  manager_.set_keep_alive_peers(keep);

  std::unordered_set<PeerId> connected;
  for (const auto& [peer, count] : per_peer_) connected.insert(peer);
  auto candidates = store_.dial_candidates(wall, connected, kCandidatesPerTick);
  for (auto& c : candidates) c.dialing = dialing_.count(c.peer) > 0;
  manager_.tick(steady, candidates);
  gate_.expire_bans(steady);
  drain_manager();

  if (steady >= next_exchange_) {
    next_exchange_ = steady + config_.exchange_interval;
    if (!per_peer_.empty()) {
      auto it = per_peer_.begin();
      std::advance(it, static_cast<std::ptrdiff_t>(rng_.below(per_peer_.size())));
      start_exchange(it->first, {}, false);
    }
  }
  if (steady >= next_flush_) {
    next_flush_ = steady + config_.flush_interval;
    store_.expire(wall);
    flush_store();
  }
  arm_tick();
}

peer::WallTime PeerService::to_wall(peer::TimePoint at) const {
  return wall_now() + std::chrono::duration_cast<std::chrono::system_clock::duration>(at - now());
}

void PeerService::drain_manager() {
  const auto wall = wall_now();
  while (auto action = manager_.poll_action()) {
    std::visit(
        [&](auto& a) {
          using A = std::decay_t<decltype(a)>;
          if constexpr (std::is_same_v<A, peer::Dial>) {
            dialing_.insert(a.peer);
            start_exchange(a.peer, std::move(a.addresses), true);
          } else if constexpr (std::is_same_v<A, peer::Trim>) {
            Error reason(Errc::peer_trimmed, std::string(peer::to_string(a.reason)));
            publish(NodeEvent::Kind::peer_trimmed, a.peer, reason);
            pool_->close_connection(a.connection, std::move(reason));
          } else if constexpr (std::is_same_v<A, peer::Ban>) {
            store_.ban(a.peer, to_wall(a.until), wall);
            if (a.reason == peer::BanReason::misbehaviour) ban_addresses(a);
            const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(a.until - now()).count();
            const std::string why = a.reason == peer::BanReason::manual
                                        ? std::string("manual")
                                        : std::string(peer::to_string(a.kind));
            publish(NodeEvent::Kind::peer_banned, a.peer,
                    Error(Errc::peer_banned, fmt::format("{} for {} s", why, seconds)));
          } else if constexpr (std::is_same_v<A, peer::Unban>) {
            store_.unban(a.peer);
            publish(NodeEvent::Kind::peer_unbanned, a.peer);
          }
        },
        *action);
  }
  while (auto event = manager_.poll_event()) {
    // connected is the table's own event; trimmed, banned and unbanned were published with
    // their actions above (which carry the details).
    if (event->kind == peer::PeerEvent::Kind::discovered) {
      const auto* record = store_.find(event->peer);
      std::string how = "unknown";
      if (record != nullptr && !record->addresses.empty()) how = peer::to_string(record->addresses.front().source);
      if (record != nullptr && record->addresses.empty()) how = "connection";
      publish(NodeEvent::Kind::peer_discovered, event->peer, {}, how);
    }
  }
}

void PeerService::ban_addresses(const peer::Ban& ban) {
  for (const auto& key : ban.addresses) gate_.ban_ip(key, ban.until);
}

void PeerService::flush_store() {
  if (!db_) return;
  auto flushed = db_->flush(store_);
  if (flushed) {
    ++counters_.store_flushes;
  } else {
    ++counters_.store_flush_errors;  // the store is marked for a full rewrite: the next flush retries
  }
}

// --- peer exchange ----------------------------------------------------------------------

void PeerService::start_exchange(const PeerId& peer, std::vector<Multiaddr> addresses, bool ours) {
  ++counters_.exchanges_sent;
  RequestConfig request_config{config_.exchange.max_request_bytes, config_.exchange.max_message_bytes};
  asio::co_spawn(pool_->executor(),
                 exchange(weak_from_this(), pool_, peer, std::move(addresses), ours, config_.exchange_timeout,
                          request_config),
                 asio::detached);
}

asio::awaitable<void> PeerService::exchange(std::weak_ptr<PeerService> weak,
                                            std::shared_ptr<conn::ConnectionPool> pool, PeerId peer,
                                            std::vector<Multiaddr> addresses, bool ours,
                                            std::chrono::milliseconds timeout, RequestConfig request_config) {
  auto lease = co_await pool->acquire(peer, std::move(addresses), std::string(peer::kPeerExchangeProtocol));
  {
    auto self = weak.lock();
    if (!self) co_return;
    self->on_dial_result(peer, ours, lease.has_value());
    if (!lease) {
      ++self->counters_.exchanges_failed;
      co_return;
    }
  }
  const Bytes request = peer::encode_request(peer::PeerExchangeRequest{});  // as many as allowed
  auto answer = co_await request_on(lease.value().stream(), request, timeout, request_config);
  if (auto self = weak.lock()) self->on_exchange_answer(peer, std::move(answer));
}

void PeerService::on_dial_result(const PeerId& peer, bool ours, bool success) {
  if (!ours) return;
  dialing_.erase(peer);
  manager_.handle_dial_result(peer, success, now());
  if (!success) store_.record_dial_failure(peer, wall_now());
  drain_manager();
}

void PeerService::on_exchange_answer(const PeerId& from, Result<Bytes> answer) {
  if (!answer) {
    ++counters_.exchanges_failed;  // no handler there, a timeout, a closed stream: not misbehaviour
    return;
  }
  auto decoded = peer::decode_response(answer.value(), config_.exchange);
  const auto steady = now();
  if (!decoded) {
    ++counters_.exchanges_invalid;
    report_misbehaviour(from, peer::MisbehaviourKind::invalid_peer_exchange);
    drain_manager();
    return;
  }
  const auto wall = wall_now();
  const PeerId& self = pool_->local_peer();
  for (const auto& record : decoded.value().response.peers) {
    if (record.peer == self) continue;
    const auto added = store_.add_addresses(record.peer, record.addrs, peer::AddressSource::peer_exchange,
                                            std::nullopt, wall);
    counters_.addresses_learned += added.added;
    if (added.peer_created) manager_.handle_discovered(record.peer, steady);
  }
  drain_manager();
}

Result<Bytes> PeerService::answer_exchange(const PeerId& from, const Bytes& body) {
  auto request = peer::decode_request(body, config_.exchange);
  if (!request) {
    ++counters_.exchanges_refused;
    return request.error();
  }
  const auto steady = now();
  if (per_peer_.count(from) > 0) {  // only connected peers are remembered (bounded)
    auto [it, fresh] = last_answered_.try_emplace(from, steady);
    if (!fresh) {
      if (steady - it->second < config_.min_answer_interval) {
        ++counters_.exchanges_refused;
        return Error(Errc::request_failed, "asked again too soon (min_answer_interval_ms)");
      }
      it->second = steady;
    }
  }
  const std::size_t count = peer::requested_peers(request.value(), config_.exchange);
  const auto sample = store_.exchange_sample(wall_now(), {from}, count, config_.exchange.max_addrs_per_peer, rng_.next());
  std::vector<peer::ExchangeRecord> records;
  records.reserve(sample.size());
  for (const auto& candidate : sample) records.push_back({candidate.peer, candidate.addresses});
  auto encoded = peer::encode_response({peer::fit_to_limits(std::move(records), from, config_.exchange)},
                                       config_.exchange);
  if (encoded) ++counters_.exchanges_answered;
  return encoded;
}

void PeerService::report_misbehaviour(const PeerId& peer, peer::MisbehaviourKind kind) {
  manager_.handle_misbehaviour(peer, kind, now());
  // The store's score (what dialing and exchange samples rank by) falls by the same points.
  store_.adjust_score(peer, -manager_.config().penalty(kind), wall_now());
}

// --- reporting --------------------------------------------------------------------------

void PeerService::publish(NodeEvent::Kind kind, const PeerId& peer, Error reason, std::string detail) {
  hub_->publish(NodeEvent{kind, peer, 0, false, std::move(reason), std::move(detail)});
}

PeerManagerSnapshot PeerService::snapshot() const {
  PeerManagerSnapshot s;
  s.known_peers = store_.size();
  s.known_addresses = store_.address_count();
  s.connected_peers = per_peer_.size();
  s.connections = manager_.connection_count();
  s.low_watermark = manager_.config().low_watermark;
  s.high_watermark = manager_.config().high_watermark;
  s.dials_in_flight = manager_.dials_in_flight();
  s.banned_peers = manager_.banned_count();
  s.banned_addresses = gate_.banned_ips();
  s.trimming = manager_.trimming();
  s.store_path = db_ ? db_->path().string() : std::string();
  s.counters = counters_;
  s.manager = manager_.stats();
  s.gate = gate_.stats();
  return s;
}

}  // namespace weft::node
