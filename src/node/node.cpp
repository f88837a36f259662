// weft::Node: the public facade. It owns the config, the identity, the handlers and the
// subscribers across restarts; a NodeRuntime is one run (start() to stop()).

#include <weft/node.hpp>

#include "node/api_address.hpp"
#include "node/event_hub.hpp"
#include "node/node_runtime.hpp"
#include "node/node_settings.hpp"

#include <algorithm>
#include <array>
#include <cstdlib>
#include <string_view>
#include <filesystem>
#include <map>
#include <mutex>
#include <system_error>

namespace weft {
namespace {

namespace fs = std::filesystem;

Result<fs::path> data_directory(const NodeConfig& config) {
  fs::path dir = config.data_dir;
  if (dir.empty()) {
    const char* home = std::getenv("HOME");
    if (home == nullptr || *home == '\0') return Error(Errc::key_file_io, "HOME is not set; set data_dir");
    dir = fs::path(home) / ".weft";
  }
  std::error_code ec;
  if (fs::create_directories(dir, ec)) fs::permissions(dir, fs::perms::owner_all, ec);
  if (ec) return Error(Errc::key_file_io, dir.string() + ": " + ec.message());
  return dir;
}

/// The key file's key, creating the file with a fresh key if it does not exist.
Result<Keypair> load_or_create_identity(const fs::path& path) {
  std::error_code ec;
  if (!fs::exists(fs::symlink_status(path, ec))) {
    Keypair key = Keypair::generate();
    auto written = write_key_file(path, key);
    if (written) return key;
    if (!(written.error() == Errc::key_file_exists)) return written.error();
    // Someone created it meanwhile: read theirs.
  }
  return read_key_file(path);
}

Result<Keypair> node_identity(const NodeConfig& config) {
  if (config.identity) return *config.identity;
  fs::path file = config.identity_key_file;
  if (file.empty()) {
    BOOST_OUTCOME_TRY(dir, data_directory(config));
    file = dir / "identity.key";
  }
  auto key = load_or_create_identity(file);
  if (!key) return key.error().with_context(file.string());
  return key;
}

Error not_running() { return Error(Errc::node_not_running, "call start() first"); }

/// Where the admin API's address file goes: the data directory, if the node has one in use
/// (data_dir set, or key files read from it). A node with an in-memory identity and no
/// data_dir (tests, embedders with their own key store) writes none.
Result<std::optional<fs::path>> discovery_directory(const NodeConfig& config) {
  if (!config.admin.enabled || (config.data_dir.empty() && config.identity)) return std::optional<fs::path>();
  BOOST_OUTCOME_TRY(dir, data_directory(config));
  return std::optional<fs::path>(std::move(dir));
}

/// The directory for the node's state files (the peerstore): the data directory, if the
/// node has one in use, as for discovery_directory; nullopt keeps that state in memory.
Result<std::optional<fs::path>> state_directory(const NodeConfig& config) {
  if (config.data_dir.empty() && config.identity) return std::optional<fs::path>();
  BOOST_OUTCOME_TRY(dir, data_directory(config));
  return std::optional<fs::path>(std::move(dir));
}

}  // namespace

struct Node::Impl {
  Impl(NodeConfig c, Keypair key, conn::PoolConfig pool, std::vector<tcp::endpoint> endpoints,
       std::optional<node::AdminConfig> admin_config, std::optional<fs::path> discovery,
       std::optional<node::PeerServiceConfig> peer_config, std::optional<node::GossipServiceConfig> gossip_config)
      : config(std::move(c)),
        identity(std::move(key)),
        self(PeerId::from_public_key(identity.public_key())),
        pool_config(std::move(pool)),
        listen(std::move(endpoints)),
        admin(std::move(admin_config)),
        discovery_dir(std::move(discovery)),
        peers(std::move(peer_config)),
        gossip(std::move(gossip_config)) {}

  std::shared_ptr<node::NodeRuntime> current() const {
    std::lock_guard lock(mutex);
    return runtime;
  }

  const NodeConfig config;
  const Keypair identity;
  const PeerId self;
  const conn::PoolConfig pool_config;
  const std::vector<tcp::endpoint> listen;
  const std::optional<node::AdminConfig> admin;     ///< nullopt: no admin API
  const std::optional<fs::path> discovery_dir;      ///< where api.addr goes, if anywhere
  const std::optional<node::PeerServiceConfig> peers;  ///< nullopt: no peer manager
  const std::optional<node::GossipServiceConfig> gossip;     ///< nullopt: no gossip
  const std::shared_ptr<node::EventHub> hub = std::make_shared<node::EventHub>();

  mutable std::mutex mutex;
  std::map<std::string, node::SharedHandler> handlers;  ///< guarded by mutex
  std::map<std::string, node::SharedTopicHandler> topics;  ///< guarded by mutex
  std::map<std::string, node::SharedValidator> validators;  ///< guarded by mutex
  std::shared_ptr<node::NodeRuntime> runtime;           ///< guarded by mutex; null unless running
  std::string api_address;                              ///< guarded by mutex; written to api.addr
};

Result<std::unique_ptr<Node>> Node::create(NodeConfig config) {
  static constexpr std::array<std::string_view, 7> kLogLevels{"trace", "debug", "info", "warn", "error", "critical", "off"};
  if (std::find(kLogLevels.begin(), kLogLevels.end(), config.log_level) == kLogLevels.end()) {
    return Error(Errc::config_invalid,
                 "log_level: '" + config.log_level + "' is not one of trace, debug, info, warn, error, critical, off");
  }
  BOOST_OUTCOME_TRY(pool, node::to_pool_config(config));
  std::vector<tcp::endpoint> endpoints;
  for (const auto& text : config.listen) {
    auto endpoint = node::listen_endpoint(text);
    if (!endpoint) return Error(Errc::config_invalid, "listen '" + text + "': " + endpoint.error().message());
    endpoints.push_back(endpoint.value());
  }
  BOOST_OUTCOME_TRY(admin, node::to_admin_config(config));
  BOOST_OUTCOME_TRY(identity, node_identity(config));
  BOOST_OUTCOME_TRY(discovery, discovery_directory(config));
  BOOST_OUTCOME_TRY(state_dir, state_directory(config));
  BOOST_OUTCOME_TRY(peers, node::to_peer_service_config(config, pool, state_dir));
  BOOST_OUTCOME_TRY(gossip_config, node::to_gossip_config(config));
  config.identity.reset();
  return std::unique_ptr<Node>(new Node(std::make_unique<Impl>(std::move(config), std::move(identity), std::move(pool),
                                                               std::move(endpoints), std::move(admin),
                                                               std::move(discovery), std::move(peers),
                                                               std::move(gossip_config))));
}

Node::Node(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Node::~Node() { stop(); }

Result<void> Node::start() {
  std::lock_guard lock(impl_->mutex);
  if (impl_->runtime) return Error(Errc::node_already_running);
  BOOST_OUTCOME_TRY(runtime, node::NodeRuntime::start(impl_->identity, impl_->pool_config,
                                                      node::to_request_config(impl_->config), impl_->listen,
                                                      impl_->handlers, impl_->hub, impl_->admin, impl_->peers,
                                                      impl_->gossip, impl_->topics, impl_->validators));
  if (const auto& endpoint = runtime->admin_endpoint()) {
    impl_->api_address = node::format_api_address(*endpoint);
    if (impl_->discovery_dir) {
      if (auto written = node::write_api_address_file(*impl_->discovery_dir, impl_->api_address); !written) {
        runtime->stop(std::chrono::milliseconds{0});
        impl_->api_address.clear();
        return written.error().with_context("admin API address file");
      }
    }
  }
  impl_->runtime = std::move(runtime);
  return success();
}

void Node::stop() {
  std::shared_ptr<node::NodeRuntime> runtime;
  {
    std::lock_guard lock(impl_->mutex);
    runtime = std::move(impl_->runtime);
    // First, so that clients stop finding a node that is going away.
    if (runtime && impl_->discovery_dir && !impl_->api_address.empty()) {
      node::remove_api_address_file(*impl_->discovery_dir, impl_->api_address);
    }
    impl_->api_address.clear();
  }
  if (runtime) runtime->stop(std::chrono::milliseconds(impl_->config.shutdown_timeout_ms));
}

bool Node::running() const { return impl_->current() != nullptr; }

PeerId Node::peer_id() const { return impl_->self; }

std::vector<Multiaddr> Node::listen_addresses() const {
  auto runtime = impl_->current();
  return runtime ? runtime->listen_addresses() : std::vector<Multiaddr>{};
}

void Node::set_handler(std::string protocol, RequestHandler handler) {
  auto shared = std::make_shared<const RequestHandler>(std::move(handler));
  std::lock_guard lock(impl_->mutex);
  impl_->handlers[protocol] = shared;
  if (impl_->runtime) impl_->runtime->set_handler(std::move(protocol), std::move(shared));
}

void Node::subscribe(EventCallback callback) { impl_->hub->add(std::move(callback)); }

void Node::connect(const Multiaddr& address, ConnectCallback done) {
  auto peer = address.peer_id();
  if (!peer) return done(Error(Errc::config_invalid, "connect: '" + address.to_string() + "' must end in /p2p/<PeerId>"));
  auto runtime = impl_->current();
  if (!runtime) return done(not_running());
  runtime->connect(*peer, address, std::move(done));
}

std::future<Result<PeerId>> Node::connect(const Multiaddr& address) {
  auto promise = std::make_shared<std::promise<Result<PeerId>>>();
  auto future = promise->get_future();
  connect(address, [promise](Result<PeerId> result) { promise->set_value(std::move(result)); });
  return future;
}

void Node::request(const PeerId& peer, std::vector<Multiaddr> addresses, std::string protocol, Bytes data,
                   std::chrono::milliseconds timeout, RequestCallback done) {
  auto runtime = impl_->current();
  if (!runtime) return done(not_running());
  if (timeout.count() <= 0) timeout = std::chrono::milliseconds(impl_->config.requests.default_timeout_ms);
  runtime->request(peer, std::move(addresses), std::move(protocol), std::move(data), timeout, std::move(done));
}

std::future<Result<Bytes>> Node::request(const PeerId& peer, std::vector<Multiaddr> addresses, std::string protocol,
                                         Bytes data, std::chrono::milliseconds timeout) {
  auto promise = std::make_shared<std::promise<Result<Bytes>>>();
  auto future = promise->get_future();
  request(peer, std::move(addresses), std::move(protocol), std::move(data), timeout,
          [promise](Result<Bytes> result) { promise->set_value(std::move(result)); });
  return future;
}

void Node::subscribe(std::string topic, TopicHandler handler) {
  auto shared = std::make_shared<const TopicHandler>(std::move(handler));
  std::lock_guard lock(impl_->mutex);
  impl_->topics[topic] = shared;
  if (impl_->runtime) impl_->runtime->subscribe_topic(std::move(topic), std::move(shared));
}

void Node::unsubscribe(const std::string& topic) {
  std::lock_guard lock(impl_->mutex);
  impl_->topics.erase(topic);
  if (impl_->runtime) impl_->runtime->unsubscribe_topic(topic);
}

void Node::set_validator(std::string topic, Validator validator) {
  node::SharedValidator shared;
  if (validator) shared = std::make_shared<const Validator>(std::move(validator));
  std::lock_guard lock(impl_->mutex);
  if (shared) {
    impl_->validators[topic] = shared;
  } else {
    impl_->validators.erase(topic);
  }
  if (impl_->runtime) impl_->runtime->set_validator(std::move(topic), std::move(shared));
}

std::future<Result<std::string>> Node::publish(std::string topic, Bytes data) {
  auto promise = std::make_shared<std::promise<Result<std::string>>>();
  auto future = promise->get_future();
  auto runtime = impl_->current();
  if (!runtime) {
    promise->set_value(not_running());
    return future;
  }
  runtime->publish(std::move(topic), std::move(data),
                   [promise](Result<std::string> result) { promise->set_value(std::move(result)); });
  return future;
}

Result<void> Node::reset_backoff(const PeerId& peer) {
  auto runtime = impl_->current();
  if (!runtime) return not_running();
  return runtime->reset_backoff(peer);
}

Result<NodeStatistics> Node::statistics() const {
  auto runtime = impl_->current();
  if (!runtime) return not_running();
  return runtime->statistics();
}

Result<GossipStatistics> Node::gossip_statistics() const {
  auto runtime = impl_->current();
  if (!runtime) return not_running();
  return runtime->gossip_statistics();
}

std::string Node::admin_address() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->api_address;
}

const NodeConfig& Node::config() const noexcept { return impl_->config; }

}  // namespace weft
