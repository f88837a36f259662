#include "node/node_runtime.hpp"

#include "node/node_events_mapping.hpp"
#include "node/node_inspector.hpp"
#include "node/node_settings.hpp"
#include "node/ping.hpp"

#include <exception>

namespace weft::node {
namespace {

/// A callback that runs exactly once: with the result, or with `dropped` if it is
/// destroyed first (its coroutine destroyed by a stopping node).
template <class T>
class Once {
 public:
  Once(std::function<void(T)> fn, Error dropped) : fn_(std::move(fn)), dropped_(std::move(dropped)) {}
  Once(const Once&) = delete;
  Once& operator=(const Once&) = delete;
  ~Once() {
    if (fn_) fn_(T(dropped_));
  }
  void complete(T value) {
    auto fn = std::move(fn_);
    fn_ = nullptr;
    if (fn) fn(std::move(value));
  }

 private:
  std::function<void(T)> fn_;
  Error dropped_;
};

Error stopped_error() { return Error(Errc::pool_closed, "the node stopped"); }

/// The user's handler, with an exception answered like an error.
Result<Bytes> invoke_handler(const Node::RequestHandler& handler, const PeerId& from, Bytes request) {
  try {
    return handler(from, std::move(request));
  } catch (const std::exception& e) {
    return Error(Errc::request_failed, std::string("handler threw: ") + e.what());
  }
}

asio::awaitable<Result<Bytes>> call_handler(SharedHandler handler, PeerId from, Bytes request) {
  co_return invoke_handler(*handler, from, std::move(request));
}

asio::awaitable<void> serve_ping_stream(conn::Stream stream) { (void)co_await serve_ping(std::move(stream)); }

asio::awaitable<void> run_request(std::shared_ptr<conn::ConnectionPool> pool, PeerId peer,
                                  std::vector<Multiaddr> addresses, std::string protocol, Bytes data,
                                  std::chrono::milliseconds timeout, RequestConfig config,
                                  std::shared_ptr<Once<Result<Bytes>>> done) {
  auto result = co_await request(pool, std::move(peer), std::move(addresses), std::move(protocol), std::move(data),
                                 timeout, config);
  done->complete(std::move(result));
}

/// Stops `io` once `pool` (stopped) has no connection left.
asio::awaitable<void> stop_when_drained(std::shared_ptr<conn::ConnectionPool> pool, asio::io_context* io) {
  asio::steady_timer poll(*io);
  while (pool->stats().open_connections() != 0) {
    poll.expires_after(std::chrono::milliseconds(5));
    boost::system::error_code ignored;
    co_await poll.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
  }
  io->stop();
}

}  // namespace

NodeRuntime::NodeRuntime(const Keypair& identity, conn::PoolConfig pool_config, RequestConfig request_config)
    : request_config_(request_config),
      io_(std::make_unique<asio::io_context>(1)),
      pool_(std::make_shared<conn::ConnectionPool>(*io_, identity, std::move(pool_config))) {}

Result<std::unique_ptr<NodeRuntime>> NodeRuntime::start(const Keypair& identity, conn::PoolConfig pool_config,
                                                        RequestConfig request_config,
                                                        const std::vector<tcp::endpoint>& listen,
                                                        const std::map<std::string, SharedHandler>& handlers,
                                                        std::shared_ptr<EventHub> hub,
                                                        const std::optional<AdminConfig>& admin,
                                                        std::optional<PeerServiceConfig> peers,
                                                        std::optional<GossipServiceConfig> gossip,
                                                        const std::map<std::string, SharedTopicHandler>& topics,
                                                        const std::map<std::string, SharedValidator>& validators) {
  std::unique_ptr<NodeRuntime> runtime(new NodeRuntime(identity, std::move(pool_config), request_config));
  conn::ConnectionPool& pool = *runtime->pool_;
  // Before the thread starts, this thread is the network thread.
  if (peers) {
    BOOST_OUTCOME_TRY(service, PeerService::create(runtime->pool_, std::move(*peers), hub));
    runtime->peers_ = std::move(service);
  }
  if (gossip) {
    BOOST_OUTCOME_TRY(service, GossipService::create(runtime->pool_, identity, std::move(*gossip)));
    runtime->gossip_ = std::move(service);
    runtime->gossip_->set_slow_peer_listener([hub](const PeerId& peer, std::size_t items, std::size_t bytes) {
      hub->publish(NodeEvent{NodeEvent::Kind::gossip_slow_peer, peer, 0, false,
                             Error(Errc::gossip_slow_peer, std::to_string(items) + " RPCs (" +
                                                               std::to_string(bytes) + " bytes) dropped"),
                             {}});
    });
    runtime->topic_listeners_ = TopicListeners::create(
        [gossip = runtime->gossip_.get()](const std::string& topic, TopicListeners::Deliver dispatcher) {
          gossip->subscribe(topic, std::move(dispatcher));
        },
        [gossip = runtime->gossip_.get()](const std::string& topic) { gossip->unsubscribe(topic); });
    for (const auto& [topic, handler] : topics) runtime->install_topic(topic, handler);
    for (const auto& [topic, validator] : validators) runtime->install_validator(topic, validator);
  }
  for (const auto& endpoint : listen) {
    auto local = pool.listen(endpoint);
    if (!local) {
      return local.error().with_context("listen " + endpoint.address().to_string() + ":" +
                                        std::to_string(endpoint.port()));
    }
    runtime->listen_addresses_.push_back(full_address(local.value(), pool.local_peer()));
  }
  pool.subscribe([hub](const conn::TableEvent& event) { hub->publish(to_node_event(event)); });
  pool.on_refused([hub, weak = std::weak_ptr<PeerService>(runtime->peers_)](const tcp::endpoint& remote,
                                                                              const Error& reason) {
    hub->publish(refused_event(remote, reason));
    if (auto peers = weak.lock()) peers->on_refused(remote, reason);
  });
  asio::io_context& io = *runtime->io_;
  pool.set_handler(kPingProtocol,
                   [&io](conn::Stream stream) { asio::co_spawn(io, serve_ping_stream(std::move(stream)), asio::detached); });
  for (const auto& [protocol, handler] : handlers) runtime->install_handler(protocol, handler);
  if (admin) {
    BOOST_OUTCOME_TRY(runtime->start_admin(*admin));
  }
  pool.start();
  if (runtime->peers_) runtime->peers_->start();
  if (runtime->gossip_) runtime->gossip_->start();

  runtime->work_.emplace(io.get_executor());
  runtime->thread_ = std::thread([raw = runtime.get()] {
    raw->io_->run();
    raw->finished_.set_value();
  });
  return runtime;
}

NodeRuntime::~NodeRuntime() { stop(std::chrono::milliseconds{0}); }

void NodeRuntime::stop(std::chrono::milliseconds drain) {
  {
    std::lock_guard lock(post_mutex_);
    if (stopping_) return;
    stopping_ = true;
    // The last work posted: stop the pool, then end the run once every connection is gone.
    asio::post(*io_, [this] {
      if (admin_) admin_->stop();
      if (peers_) peers_->stop();
      if (gossip_) gossip_->stop();
      pool_->stop();
      asio::co_spawn(*io_, stop_when_drained(pool_, io_.get()), asio::detached);
    });
  }
  work_.reset();
  if (thread_.joinable()) {
    if (finished_.get_future().wait_for(drain) != std::future_status::ready) io_->stop();
    thread_.join();
  }
  // Destroying the pool and the io_context destroys every pending operation; the
  // callbacks they hold complete with pool_closed (see Once).
  admin_.reset();
  if (peers_) peers_->stop();  // a last flush: what the connections' ends recorded while draining
  peers_.reset();
  topic_listeners_.reset();
  gossip_.reset();
  pool_.reset();
  io_.reset();
}

Result<void> NodeRuntime::start_admin(const AdminConfig& config) {
  auto inspector = std::make_shared<NodeInspector>(
      pool_, listen_addresses_,
      [this](PeerId peer, Multiaddr address, Node::ConnectCallback done) { connect(std::move(peer), std::move(address), std::move(done)); },
      std::weak_ptr<const PeerService>(peers_), std::weak_ptr<GossipService>(gossip_),
      [this](const std::string& topic, TopicListeners::Deliver listener) {
        return add_topic_listener(topic, std::move(listener));
      },
      [this](TopicListeners::Token token) { remove_topic_listener(token); });
  BOOST_OUTCOME_TRY(server, AdminServer::start(*io_, config, std::move(inspector)));
  admin_endpoint_ = server->local_endpoint();
  admin_ = std::move(server);
  return success();
}

bool NodeRuntime::post(std::function<void()> work) {
  std::lock_guard lock(post_mutex_);
  if (stopping_) return false;
  asio::post(*io_, std::move(work));
  return true;
}

void NodeRuntime::install_handler(std::string protocol, SharedHandler handler) {
  serve_requests(
      *pool_, std::move(protocol),
      [handler](PeerId from, Bytes request) { return call_handler(handler, std::move(from), std::move(request)); },
      request_config_);
}

void NodeRuntime::set_handler(std::string protocol, SharedHandler handler) {
  post([this, protocol = std::move(protocol), handler = std::move(handler)]() mutable {
    install_handler(std::move(protocol), std::move(handler));
  });
}

void NodeRuntime::request(PeerId peer, std::vector<Multiaddr> addresses, std::string protocol, Bytes data,
                          std::chrono::milliseconds timeout, Node::RequestCallback done) {
  auto once = std::make_shared<Once<Result<Bytes>>>(std::move(done), stopped_error());
  post([this, once, peer = std::move(peer), addresses = std::move(addresses), protocol = std::move(protocol),
        data = std::move(data), timeout]() mutable {
    asio::co_spawn(*io_,
                   run_request(pool_, std::move(peer), std::move(addresses), std::move(protocol), std::move(data),
                               timeout, request_config_, once),
                   asio::detached);
  });
  // Not posted: `once` dies here and reports pool_closed.
}

void NodeRuntime::connect(PeerId peer, Multiaddr address, Node::ConnectCallback done) {
  auto once = std::make_shared<Once<Result<PeerId>>>(std::move(done), stopped_error());
  post([this, once, peer = std::move(peer), address = std::move(address)]() mutable {
    std::vector<Multiaddr> addresses{std::move(address)};
    // A stream is what the table hands out: the lease proves the connection and is
    // given back at once (the peer's ping server sees a stream that ends).
    pool_->acquire(peer, std::move(addresses), kPingProtocol, [once, peer](Result<conn::StreamLease> lease) {
      if (!lease) return once->complete(lease.error());
      once->complete(peer);
    });
  });
}

void NodeRuntime::install_topic(std::string topic, SharedTopicHandler handler) {
  if (!topic_listeners_) return;
  topic_listeners_->set_handler(topic, [handler](const GossipDelivery& d) {
    TopicMessage message{d.topic, d.id, d.author, d.seqno, d.data, d.received_from};
    try {
      (*handler)(message);
    } catch (const std::exception&) {
      // The application's handler failed on this message; the node goes on.
    }
  });
}

void NodeRuntime::subscribe_topic(std::string topic, SharedTopicHandler handler) {
  post([this, topic = std::move(topic), handler = std::move(handler)]() mutable {
    install_topic(std::move(topic), std::move(handler));
  });
}

void NodeRuntime::unsubscribe_topic(std::string topic) {
  post([this, topic = std::move(topic)] {
    if (topic_listeners_) topic_listeners_->remove_handler(topic);
  });
}

void NodeRuntime::install_validator(const std::string& topic, SharedValidator validator) {
  if (!gossip_) return;
  if (!validator) return gossip_->set_validator(topic, {});
  gossip_->set_validator(topic, [validator](const GossipDelivery& d, ValidationCompletion done) {
    const TopicMessage message{d.topic, d.id, d.author, d.seqno, d.data, d.received_from};
    (*validator)(message, std::move(done));
  });
}

void NodeRuntime::set_validator(std::string topic, SharedValidator validator) {
  post([this, topic = std::move(topic), validator = std::move(validator)]() mutable {
    install_validator(topic, std::move(validator));
  });
}

void NodeRuntime::publish(std::string topic, Bytes data, std::function<void(Result<std::string>)> done) {
  auto once = std::make_shared<Once<Result<std::string>>>(std::move(done), stopped_error());
  post([this, once, topic = std::move(topic), data = std::move(data)]() mutable {
    if (!gossip_) return once->complete(Error(Errc::config_invalid, "gossip is off (gossip.enabled = false)"));
    once->complete(gossip_->publish(topic, std::move(data)));
  });
}

Result<TopicListeners::Token> NodeRuntime::add_topic_listener(const std::string& topic,
                                                             TopicListeners::Deliver listener) {
  if (!topic_listeners_) return Error(Errc::config_invalid, "gossip is off (gossip.enabled = false)");
  return topic_listeners_->add_listener(topic, std::move(listener));
}

void NodeRuntime::remove_topic_listener(TopicListeners::Token token) {
  if (topic_listeners_) topic_listeners_->remove_listener(token);
}

Result<void> NodeRuntime::reset_backoff(PeerId peer) {
  if (!post([this, peer = std::move(peer)] { pool_->reset_backoff(peer); })) {
    return Error(Errc::node_not_running, "the node is stopping");
  }
  return success();
}

template <class T>
Result<T> NodeRuntime::read_on_network_thread(std::function<T()> read) {
  auto promise = std::make_shared<std::promise<T>>();
  auto future = promise->get_future();
  {
    std::lock_guard lock(post_mutex_);
    if (stopping_) return Error(Errc::node_not_running, "the node is stopping");
    // On the network thread (a callback): answer directly; waiting would deadlock.
    if (io_->get_executor().running_in_this_thread()) return read();
    asio::post(*io_, [promise, read = std::move(read)] { promise->set_value(read()); });
  }
  try {
    return future.get();
  } catch (const std::future_error&) {  // the node stopped before answering
    return Error(Errc::node_not_running, "the node stopped");
  }
}

Result<NodeStatistics> NodeRuntime::statistics() {
  return read_on_network_thread<NodeStatistics>([this] { return to_node_statistics(pool_->stats()); });
}

Result<GossipStatistics> NodeRuntime::gossip_statistics() {
  return read_on_network_thread<GossipStatistics>(
      [this] { return gossip_ ? gossip_->statistics() : GossipStatistics{}; });
}

}  // namespace weft::node
