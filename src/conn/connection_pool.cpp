#include "conn/connection_pool.hpp"

#include <sodium.h>

#include <array>

namespace weft::conn {
namespace {

TimePoint steady_now() { return std::chrono::steady_clock::now(); }

UnitRandom system_unit_random() {
  return [] { return static_cast<double>(randombytes_random()) / 4294967296.0; };
}

}  // namespace

ConnectionPool::ConnectionPool(asio::io_context& io, const Keypair& identity, PoolConfig config)
    : io_(io),
      identity_(identity),
      local_(PeerId::from_public_key(identity.public_key())),
      config_(std::move(config)),
      table_(local_, config_.table, system_unit_random()),
      clock_(io) {
  config_.dial.connect_timeout_ms = static_cast<std::uint64_t>(config_.table.connect_timeout_ms.count());
}

Result<tcp::endpoint> ConnectionPool::listen(const tcp::endpoint& endpoint) {
  Listener::Callbacks callbacks;
  callbacks.on_established = [this](std::shared_ptr<SecureConnection> c) { on_inbound(std::move(c)); };
  callbacks.on_refused = [this](const tcp::endpoint& remote, const Error& reason) {
    if (on_refused_) on_refused_(remote, reason);
  };
  callbacks.admit = admit_;
  auto listener = std::make_unique<Listener>(io_, identity_, config_.listener, std::move(callbacks));
  BOOST_OUTCOME_TRY(listener->listen(endpoint));
  const auto local = listener->local_endpoint();
  listeners_.push_back(std::move(listener));
  early_data_.reset();
  return local;
}

void ConnectionPool::start() {
  table_.start(steady_now());
  run_table();
}

void ConnectionPool::stop() {
  if (stopped_) return;
  stopped_ = true;
  for (auto& listener : listeners_) listener->stop();
  table_.shutdown(steady_now());
  run_table();
  clock_.cancel();
}

void ConnectionPool::acquire(const PeerId& peer, std::vector<Multiaddr> addresses, std::string protocol,
                             AcquireCallback done, util::SourceLocation where) {
  if (io_.get_executor().running_in_this_thread()) {
    start_acquire(peer, std::move(addresses), std::move(protocol), std::move(done), nullptr, where);
    return;
  }
  asio::post(io_, [self = shared_from_this(), peer, addresses = std::move(addresses), protocol = std::move(protocol),
                   done = std::move(done), where]() mutable {
    self->start_acquire(peer, std::move(addresses), std::move(protocol), std::move(done), nullptr, where);
  });
}

asio::awaitable<Result<StreamLease>> ConnectionPool::acquire(PeerId peer, std::vector<Multiaddr> addresses,
                                                             std::string protocol, util::SourceLocation where) {
  // A warm pool grants at once, inside start_acquire: the result lands in `now` (on this
  // frame) and nothing is allocated for the wait. Otherwise, before suspending, the pending
  // acquire's slot is replaced by a callback that completes a one-shot timer used as a
  // latch (g++ 12: no lambdas capturing coroutine locals by reference across suspension
  // other than this pattern; the latch outlives a frame destroyed while waiting, the slot
  // would not).
  SyncAcquire now;
  start_acquire(peer, std::move(addresses), std::move(protocol), nullptr, &now, where);
  if (now.result) co_return std::move(*now.result);
  struct Latch {
    std::optional<Result<StreamLease>> result;
    std::optional<asio::steady_timer> timer;
  };
  auto latch = std::make_shared<Latch>();
  latch->timer.emplace(io_, asio::steady_timer::time_point::max());
  PendingAcquire& pending = pending_.at(now.acquire);  // waiting: start_acquire left it there
  pending.sync = nullptr;
  pending.done = [latch](Result<StreamLease> r) {
    latch->result.emplace(std::move(r));
    latch->timer->cancel();
  };
  while (!latch->result) {
    boost::system::error_code ignored;
    co_await latch->timer->async_wait(asio::redirect_error(asio::use_awaitable, ignored));
  }
  co_return std::move(*latch->result);
}

void ConnectionPool::start_acquire(const PeerId& peer, std::vector<Multiaddr> addresses, std::string protocol,
                                   AcquireCallback done, SyncAcquire* sync, util::SourceLocation where) {
  if (protocol.empty() || protocol.size() > kMaxProtocolNameBytes) {  // fail before dialing
    Error error(Errc::request_malformed, "protocol name must be 1.." + std::to_string(kMaxProtocolNameBytes) +
                                             " bytes");
    if (sync) {
      sync->result.emplace(std::move(error));
    } else {
      done(std::move(error));
    }
    return;
  }
  const AcquireId id = table_.acquire(peer, std::move(addresses), steady_now(), where);
  if (sync) sync->acquire = id;
  if (auto node = pending_nodes_.take(); !node.empty()) {
    node.key() = id;
    PendingAcquire& pending = node.mapped();
    pending.protocol = std::move(protocol);
    pending.done = std::move(done);
    pending.sync = sync;
    pending.where = where;
    pending_.insert(std::move(node));  // acquire ids are unique: always inserted
  } else {
    pending_.emplace(id, PendingAcquire{std::move(protocol), std::move(done), sync, where});
  }
  run_table();
}

void ConnectionPool::complete(PendingMap::node_type node, Result<StreamLease>&& result) {
  PendingAcquire& pending = node.mapped();
  if (pending.sync) {
    pending.sync->result.emplace(std::move(result));
    pending.sync = nullptr;
  } else {
    auto done = std::move(pending.done);
    pending.done = nullptr;
    done(std::move(result));
  }
  pending_nodes_.keep(std::move(node));
}

void ConnectionPool::set_handler(std::string protocol, StreamHandler handler) {
  handlers_.insert_or_assign(std::move(protocol), std::move(handler));
  early_data_.reset();
}

void ConnectionPool::reset_backoff(const PeerId& peer) {
  asio::dispatch(io_, [self = shared_from_this(), peer] {
    self->table_.reset_backoff(peer, steady_now());
    self->run_table();
  });
}

bool ConnectionPool::close_connection(ConnectionId connection, Error reason) {
  const bool closing = table_.close(connection, std::move(reason), steady_now());
  if (closing) run_table();
  return closing;
}

std::set<PeerId> ConnectionPool::keep_alive_peers() const { return table_.keep_alive_peers(steady_now()); }

void ConnectionPool::subscribe(EventCallback callback) { subscribers_.push_back(std::move(callback)); }

PoolStats ConnectionPool::stats() const {
  PoolStats s = table_.stats();
  s.bytes_in = bytes_in_closed_;
  s.bytes_out = bytes_out_closed_;
  for (const auto& [id, c] : connections_) {
    const auto mux_stats = c->stats();
    s.bytes_in += mux_stats.data_bytes_received;
    s.bytes_out += mux_stats.data_bytes_sent;
  }
  return s;
}

const PeerAdvert* ConnectionPool::advert(ConnectionId id) const {
  const auto it = adverts_.find(id);
  return it == adverts_.end() ? nullptr : &it->second;
}

const handshake::EarlyData& ConnectionPool::our_early_data() {
  if (!early_data_) {
    std::vector<Multiaddr> listen;
    for (const auto& listener : listeners_) {
      const auto endpoint = listener->local_endpoint();
      TcpEndpoint tcp{endpoint.address().is_v4() ? TcpEndpoint::HostKind::ip4 : TcpEndpoint::HostKind::ip6,
                      endpoint.address().to_string(), endpoint.port()};
      if (auto address = Multiaddr::from_tcp_endpoint(tcp)) listen.push_back(std::move(address).value());
    }
    std::vector<std::string> protocols;
    for (const auto& [name, handler] : handlers_) protocols.push_back(name);
    early_data_ = make_early_data(listen, protocols, config_.dial.handshake.max_early_data_bytes);
  }
  return *early_data_;
}

std::shared_ptr<MuxedConnection> ConnectionPool::connection(ConnectionId id) const {
  const auto it = connections_.find(id);
  return it == connections_.end() ? nullptr : it->second;
}

// --- carrying out the table's decisions ------------------------------------------------

void ConnectionPool::run_table() {
  while (auto action = table_.poll_action()) {
    std::visit(
        [this](auto& a) {
          using A = std::decay_t<decltype(a)>;
          if constexpr (std::is_same_v<A, DialAction>) {
            asio::co_spawn(io_, dial(std::move(a)), asio::detached);
          } else if constexpr (std::is_same_v<A, GrantAction>) {
            on_grant(a);
          } else if constexpr (std::is_same_v<A, FailAction>) {
            const auto it = pending_.find(a.acquire);
            if (it == pending_.end()) return;
            complete(pending_.extract(it), std::move(a.reason));
          } else if constexpr (std::is_same_v<A, CloseAction>) {
            if (auto c = connection(a.connection)) {
              // Its on_closed reports back to the table (at once, or once streams finish).
              if (a.graceful) {
                c->go_away();
              } else {
                c->close(a.reason);
              }
            } else {
              table_.handle_closed(a.connection, a.reason, steady_now());
            }
          }
        },
        *action);
  }
  while (auto event = table_.poll_event()) {
    for (const auto& subscriber : subscribers_) subscriber(*event);
  }
  arm_clock();
}

void ConnectionPool::on_grant(const GrantAction& grant) {
  const auto it = pending_.find(grant.acquire);
  auto c = connection(grant.connection);
  if (it == pending_.end() || !c) {
    table_.release(grant.lease, LeaseOutcome{c == nullptr}, steady_now());
    if (it != pending_.end()) {
      complete(pending_.extract(it), Error(Errc::peer_gone, "the connection closed before the stream opened"));
    }
    return;
  }
  auto node = pending_.extract(it);
  const std::string& protocol = node.mapped().protocol;
  auto stream = open_protocol_stream(c, protocol);
  if (!stream && stream.error() == Errc::mux_session_closed) {
    // The peer's go-away (or the close) reached the session but not yet the table: its
    // notice is posted and runs after us. Tell the table now, so that it stops granting
    // this connection, and ask again: another connection or a dial serves the acquire.
    // Each retry marks one more connection draining, so this cannot loop.
    const auto now = steady_now();
    const auto peer = table_.peer_of(grant.connection);
    table_.release(grant.lease, LeaseOutcome{false}, now);
    table_.handle_go_away(grant.connection, now);
    if (peer) {
      const AcquireId again = table_.acquire(*peer, {}, now, node.mapped().where);
      if (node.mapped().sync) node.mapped().sync->acquire = again;
      node.key() = again;
      pending_.insert(std::move(node));  // acquire ids are unique: always inserted
      return;  // the caller's run_table() carries out the new acquire's actions
    }
  }
  if (!stream) {
    table_.release(grant.lease, LeaseOutcome{true}, steady_now());
    complete(std::move(node), stream.error());
    return;
  }
  // Built in place: each move of a lease moves its Stream.
  complete(std::move(node), Result<StreamLease>(boost::outcome_v2::in_place_type<StreamLease>, std::move(stream).value(),
                                                grant.lease, std::weak_ptr<LeaseReturn>(weak_from_this())));
}

void ConnectionPool::return_lease(LeaseId lease, bool failed) noexcept {
  if (io_.get_executor().running_in_this_thread()) {
    end_lease(lease, failed);
    return;
  }
  asio::post(io_, [weak = weak_from_this(), lease, failed] {
    if (auto self = weak.lock()) self->end_lease(lease, failed);
  });
}

void ConnectionPool::end_lease(LeaseId lease, bool failed) {
  table_.release(lease, LeaseOutcome{failed}, steady_now());
  run_table();
}

asio::awaitable<void> ConnectionPool::dial(DialAction action) {
  auto self = shared_from_this();
  Error last(Errc::dial_failed, "no address");
  DialConfig dial_config = config_.dial;
  if (dial_config.early_data == handshake::EarlyData{}) dial_config.early_data = our_early_data();
  for (const auto& address : action.addresses) {
    auto connected = co_await conn::dial(identity_, address, dial_config);
    if (!connected) {
      last = connected.error();
      continue;
    }
    auto secure = std::move(connected).value();
    if (secure->peer() != action.peer) {
      Error mismatch(Errc::handshake_peer_id_mismatch,
                     "expected " + action.peer.to_string() + ", got " + secure->peer().to_string());
      secure->close(mismatch);
      last = mismatch;
      continue;
    }
    if (stopped_) {
      secure->close(Error(Errc::pool_closed));
      break;
    }
    on_established(action.connection, std::move(secure), mux::Role::initiator);
    table_.handle_dial_result(action.connection, success(), steady_now());
    run_table();
    co_return;
  }
  table_.handle_dial_result(action.connection, last, steady_now());
  run_table();
}

void ConnectionPool::on_inbound(std::shared_ptr<SecureConnection> secure) {
  auto admitted = table_.handle_inbound(secure->peer(), steady_now());
  if (!admitted) {
    if (on_refused_) on_refused_(secure->remote_endpoint(), admitted.error());
    secure->close(admitted.error());
  } else {
    PeerAdvert advert = read_advert(secure->session().peer_early_data);
    if (advert != PeerAdvert{}) adverts_.insert_or_assign(admitted.value(), std::move(advert));
    on_established(admitted.value(), std::move(secure), mux::Role::responder);
  }
  run_table();
}

void ConnectionPool::on_established(ConnectionId id, std::shared_ptr<SecureConnection> secure, mux::Role role) {
  std::weak_ptr<ConnectionPool> weak = weak_from_this();
  MuxedConnection::Callbacks callbacks;
  callbacks.on_inbound_stream = [weak, id](mux::StreamId stream) {
    auto self = weak.lock();
    if (!self) return;
    if (auto c = self->connection(id)) {
      self->accept_inbound_stream(std::move(c), stream);
    }
  };
  callbacks.on_go_away = [weak, id] {
    auto self = weak.lock();
    if (!self) return;
    asio::post(self->io_, [weak, id] {
      if (auto pool = weak.lock()) {
        pool->table_.handle_go_away(id, steady_now());
        pool->run_table();
      }
    });
  };
  callbacks.on_ping_rtt = [weak, id](mux::Duration rtt) {
    if (auto self = weak.lock()) {
      self->table_.handle_ping(id, std::chrono::duration_cast<FractionalMs>(rtt), steady_now());
    }
  };
  callbacks.on_closed = [weak, id](const Error& reason) {
    auto self = weak.lock();
    if (!self) return;
    // Deferred: the connection is in the middle of closing itself.
    asio::post(self->io_, [weak, id, reason] {
      auto pool = weak.lock();
      if (!pool) return;
      if (const auto it = pool->connections_.find(id); it != pool->connections_.end()) {
        const auto mux_stats = it->second->stats();
        pool->bytes_in_closed_ += mux_stats.data_bytes_received;
        pool->bytes_out_closed_ += mux_stats.data_bytes_sent;
        pool->connections_.erase(it);
      }
      pool->adverts_.erase(id);
      pool->table_.handle_closed(id, reason, steady_now());
      pool->run_table();
    });
  };
  auto muxed = std::make_shared<MuxedConnection>(std::move(secure), role, config_.mux, std::move(callbacks));
  connections_.emplace(id, muxed);
  muxed->start();
}

// --- inbound streams: the protocol preamble, then the handler ------------------------------

namespace {

enum class PreambleProgress { complete, need_more, failed };

/// Feeds `reader` what the stream holds now, without waiting.
PreambleProgress read_buffered_preamble(MuxedConnection& connection, mux::StreamId id, PreambleReader& reader) {
  std::array<std::uint8_t, kMaxProtocolNameBytes> buffer{};
  while (!reader.complete()) {
    auto n = connection.try_read(id, std::span<std::uint8_t>(buffer.data(), reader.wanted()));
    if (!n) return PreambleProgress::failed;  // reset, ended or gone: nothing to serve
    if (n.value() == 0) return PreambleProgress::need_more;
    if (!reader.put(ByteView(buffer.data(), n.value()))) return PreambleProgress::failed;
  }
  return PreambleProgress::complete;
}

/// Abandons an inbound stream that will not be served.
void drop_stream(MuxedConnection& connection, mux::StreamId id) {
  connection.reset(id);
  connection.forget(id);
}

}  // namespace

void ConnectionPool::accept_inbound_stream(std::shared_ptr<MuxedConnection> connection, mux::StreamId id) {
  // The usual case: the preamble came in the same frame as the stream's SYN, so the
  // stream is handed over now, with no coroutine and no timer.
  PreambleReader reader;
  switch (read_buffered_preamble(*connection, id, reader)) {
    case PreambleProgress::complete:
      hand_over_stream(std::move(connection), id, reader.protocol());
      return;
    case PreambleProgress::failed:
      drop_stream(*connection, id);
      return;
    case PreambleProgress::need_more:
      asio::co_spawn(io_, finish_preamble(std::move(connection), id, std::move(reader)), asio::detached);
      return;
  }
}

asio::awaitable<void> ConnectionPool::finish_preamble(std::shared_ptr<MuxedConnection> connection, mux::StreamId id,
                                                      PreambleReader reader) {
  auto self = shared_from_this();
  asio::steady_timer deadline(io_, config_.protocol_preamble_timeout_ms);
  bool expired = false;
  deadline.async_wait([&expired, connection, id](const boost::system::error_code& ec) {
    if (ec) return;
    expired = true;
    connection->reset(id);  // wakes the read below
  });
  std::array<std::uint8_t, kMaxProtocolNameBytes> buffer{};
  while (!reader.complete()) {
    auto n = co_await connection->read_some(id, std::span<std::uint8_t>(buffer.data(), reader.wanted()));
    if (!n || expired || !reader.put(ByteView(buffer.data(), n.value()))) {
      drop_stream(*connection, id);  // reset, ended, too slow or malformed: nothing to serve
      co_return;
    }
  }
  deadline.cancel();
  hand_over_stream(std::move(connection), id, reader.protocol());
}

void ConnectionPool::hand_over_stream(std::shared_ptr<MuxedConnection> connection, mux::StreamId id,
                                      const std::string& protocol) {
  const auto handler = handlers_.find(protocol);
  if (handler == handlers_.end()) {
    asio::co_spawn(io_, refuse_stream(std::move(connection), id), asio::detached);
    return;
  }
  // The stream owes "accepted": it goes out with the handler's first write or FIN.
  handler->second(Stream(std::move(connection), id, Stream::Side::acceptor, protocol));
}

asio::awaitable<void> ConnectionPool::refuse_stream(std::shared_ptr<MuxedConnection> connection, mux::StreamId id) {
  auto self = shared_from_this();
  // The status, our FIN, then discard what the opener sends until its FIN, so that the
  // status is not lost to a reset. The deadline bounds it.
  asio::steady_timer deadline(io_, config_.protocol_preamble_timeout_ms);
  bool expired = false;
  deadline.async_wait([&expired, connection, id](const boost::system::error_code& ec) {
    if (ec) return;
    expired = true;
    connection->reset(id);  // wakes the read below
  });
  const auto refused = static_cast<std::uint8_t>(StreamStatus::unknown_protocol);
  (void)connection->try_write(id, ByteView(&refused, 1));
  (void)connection->close_write(id);
  std::array<std::uint8_t, 1024> discard{};
  bool peer_finished = false;
  while (!expired) {
    auto n = co_await connection->read_some(id, discard);
    if (!n) {
      peer_finished = !expired && n.error() == Errc::mux_stream_closed;
      break;
    }
  }
  deadline.cancel();
  if (peer_finished) {
    connection->forget(id);  // both directions ended: nothing to reset
  } else {
    drop_stream(*connection, id);
  }
}

void ConnectionPool::arm_clock() {
  const auto deadline = table_.next_deadline();
  if (!deadline || stopped_) return;
  if (clock_armed_for_ && *clock_armed_for_ <= *deadline) return;
  clock_armed_for_ = deadline;
  clock_.expires_at(*deadline);
  clock_.async_wait([weak = weak_from_this()](const boost::system::error_code& ec) {
    if (ec) return;
    auto self = weak.lock();
    if (!self) return;
    self->clock_armed_for_.reset();
    self->table_.handle_tick(steady_now());
    self->run_table();
  });
}

}  // namespace weft::conn
