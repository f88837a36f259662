#include "simulation.hpp"

#include "attackers.hpp"
#include "event_queue.hpp"
#include "sim_network.hpp"
#include "sim_rng.hpp"
#include "wire_size.hpp"

#include "gossip/gossip_router.hpp"
#include "gossip/rpc_codec.hpp"

#include <weft/keys.hpp>
#include <weft/peer_id.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <deque>
#include <memory>
#include <unordered_map>
#include <variant>
#include <utility>
#include <vector>

namespace weft::sim {
namespace {

const gossip::TopicId kTopic = "weft-sim";

enum Kind : std::uint32_t {
  kTick,            // node, a = incarnation
  kArrival,         // node = receiver, a = in-flight slot
  kUploadFree,      // node, a = incarnation
  kPublish,         // a = message index
  kInvalidPublish,  // node
  kFlood,           // node
  kChurnDown,       // node
  kChurnUp,         // node
};

SimTime from_ms(double ms) { return static_cast<SimTime>(std::llround(ms * static_cast<double>(kMillisecond))); }

Keypair node_key(std::uint64_t seed, std::uint32_t index) {
  Bytes bytes(32, 0);
  for (std::size_t word = 0; word < 4; ++word) {
    const std::uint64_t v = SimRng::mix(SimRng::mix(seed, static_cast<std::uint64_t>(Stream::keys)), index * 4ull + word);
    for (std::size_t b = 0; b < 8; ++b) bytes[word * 8 + b] = static_cast<std::uint8_t>(v >> (8 * b));
  }
  return Keypair::from_seed(bytes).value();
}

bool is_attacker(Role r) { return r != Role::honest; }

void add_stats(RouterTotals& t, const gossip::GossipStats& s) {
  t.messages_received += s.messages_received;
  t.messages_duplicate += s.messages_duplicate;
  t.messages_invalid += s.messages_invalid;
  t.messages_rejected += s.messages_rejected;
  t.idontwant_sent += s.idontwant_sent;
  t.idontwant_suppressed += s.idontwant_suppressed;
  t.ihave_sent += s.ihave_sent;
  t.ihave_ignored += s.ihave_ignored;
  t.iwant_sent_ids += s.iwant_sent_ids;
  t.iwant_served += s.iwant_served;
  t.promises_broken += s.promises_broken;
  t.graft_refused += s.graft_refused;
  t.rpcs_graylisted += s.rpcs_graylisted;
  t.peers_penalized += s.peers_penalized;
  t.queue_dropped_items += s.queue_dropped_items;
}

class Simulation {
 public:
  explicit Simulation(const SimConfig& config)
      : config_(config),
        net_(config.nodes,
             NetworkParams{from_ms(config.latency_min_ms), from_ms(config.latency_max_ms), config.loss,
                           config.bandwidth_mbps * 1e6},
             config.seed),
        log_(config.nodes, config.messages),
        publish_rng_(config.seed, Stream::publish),
        attack_rng_(config.seed, Stream::attack),
        router_rng_(config.seed, Stream::routers) {}

  Result<SimResult> run() {
    const auto wall_start = std::chrono::steady_clock::now();
    const double cpu_start = cpu_seconds();
    BOOST_OUTCOME_TRY(build());
    while (!queue_.empty() && queue_.peek_time() <= end_) dispatch(queue_.pop());
    SimResult result = collect();
    result.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
    result.cpu_seconds = cpu_seconds() - cpu_start;
    result.peak_rss_kib = peak_rss_kib();
    return result;
  }

 private:
  struct Node {
    std::unique_ptr<gossip::GossipRouter> router;
    Role role = Role::honest;
    bool online = true;
    std::uint32_t incarnation = 0;
    /// When its one pending tick runs (kNoTick: none). An earlier deadline (a staggered
    /// send) moves it; the tick event left at the later time is then stale and ignored.
    SimTime tick_at = kNoTick;
    bool upload_event_pending = false;
    std::deque<std::pair<std::uint32_t, gossip::Rpc>> injected;  ///< attacker RPCs, sent first
    RouterTotals retired;  ///< counters of routers replaced by a restart
    std::uint64_t invalid_counter = 0;
  };
  struct InFlight {
    gossip::Rpc rpc;
    Bytes wire;  ///< the encoded RPC, with wire_codec
    std::uint32_t from = 0, link = 0, epoch = 0;
  };

  // ---- setup ----------------------------------------------------------------------------

  Result<void> build() {
    const std::size_t n = config_.nodes;
    if (config_.topology == TopologyKind::anchor) {
      topology_ = anchor_topology(n, static_cast<std::uint32_t>(config_.seed));
    } else {
      BOOST_OUTCOME_TRY(t, random_regular_topology(n, config_.degree, config_.seed));
      topology_ = std::move(t);
    }
    const std::vector<Role> roles = assign_roles(n, config_.blackhole, config_.invalid, config_.ihave_flood, config_.seed);
    nodes_.resize(n);
    ids_.reserve(n);
    for (std::uint32_t i = 0; i < n; ++i) {
      keys_.push_back(node_key(config_.seed, i));
      ids_.push_back(PeerId::from_public_key(keys_.back().public_key()));
      index_.emplace(ids_.back(), i);
      nodes_[i].role = roles[i];
      if (roles[i] == Role::honest) honest_.push_back(i);
    }
    for (std::uint32_t i = 0; i < n; ++i) start_router(i);
    for (const Edge& e : topology_.edges) net_.add_link(e.dialer, e.listener);
    for (std::uint32_t link = 0; link < net_.link_count(); ++link) link_up(link);
    for (std::uint32_t i = 0; i < n; ++i) after(i);

    interval_ = static_cast<double>(kSecond) / config_.rate;
    publish_start_ = static_cast<SimTime>(config_.warmup_ms) * kMillisecond;
    const SimTime last_publish = config_.messages > 0 ? publish_time(config_.messages - 1) : publish_start_;
    end_ = last_publish + static_cast<SimTime>(config_.drain_ms) * kMillisecond;
    if (config_.messages > 0) queue_.push(publish_time(0), kPublish, 0, 0);

    const SimTime window = std::max<SimTime>(last_publish - publish_start_, kMillisecond);
    for (std::uint32_t i = 0; i < n; ++i) {
      if (nodes_[i].role == Role::invalid) {
        queue_.push(publish_start_ + static_cast<SimTime>(attack_rng_.below(kInvalidPublishInterval)), kInvalidPublish, i);
      } else if (nodes_[i].role == Role::ihave_flood) {
        queue_.push(publish_start_ + static_cast<SimTime>(attack_rng_.below(kFloodInterval)), kFlood, i);
      }
    }
    // Churn: a fraction of the honest nodes, each down once in the publish window.
    std::vector<std::uint32_t> candidates = honest_;
    attack_rng_.shuffle(candidates);
    churned_ = static_cast<std::size_t>(std::llround(config_.churn * static_cast<double>(honest_.size())));
    for (std::size_t k = 0; k < churned_ && k < candidates.size(); ++k) {
      queue_.push(publish_start_ + static_cast<SimTime>(attack_rng_.below(static_cast<std::size_t>(window))),
                  kChurnDown, candidates[k]);
    }
    return success();
  }

  SimTime publish_time(std::size_t k) const {
    return publish_start_ + static_cast<SimTime>(std::llround(static_cast<double>(k) * interval_));
  }

  void start_router(std::uint32_t i) {
    Node& node = nodes_[i];
    gossip::GossipConfig gc;
    gc.rng_seed = SimRng::mix(router_rng_.next(), i);
    // Spread the first heartbeats over a second, as nodes that did not start together.
    gc.heartbeat_initial_delay_ms = 100 + router_rng_.below(1000);
    gc.stagger_interval_us = config_.stagger_interval_us;
    node.router = std::make_unique<gossip::GossipRouter>(keys_[i], gc, to_time_point(queue_.now()));
    node.router->subscribe(kTopic);
    node.router->set_validator(kTopic, [](const gossip::TopicId&, const gossip::Message& m, const PeerId&) {
      return validate_payload(m);
    });
    schedule_tick(i);
  }

  void schedule_tick(std::uint32_t i) {
    const auto deadline = nodes_[i].router->next_deadline();
    if (!deadline) return;
    const SimTime at = std::max(queue_.now(), static_cast<SimTime>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                                  *deadline - to_time_point(0)).count()));
    if (at >= nodes_[i].tick_at) return;  // a tick at or before it is pending already
    nodes_[i].tick_at = at;
    queue_.push(at, kTick, i, nodes_[i].incarnation);
  }

  /// Both ends see the peer up (the dialer as outbound).
  void link_up(std::uint32_t link) {
    const auto [dialer, listener] = net_.ends(link);
    net_.set_up(link, true);
    nodes_[dialer].router->handle_peer_up(ids_[listener], gossip::Direction::outbound, "");
    nodes_[listener].router->handle_peer_up(ids_[dialer], gossip::Direction::inbound, "");
  }

  // ---- events -----------------------------------------------------------------------------

  void dispatch(const Event& e) {
    Node& node = nodes_[e.node];
    switch (e.kind) {
      case kTick:
        if (!node.online || e.a != node.incarnation || queue_.now() != node.tick_at) return;
        node.tick_at = kNoTick;
        node.router->handle_tick(to_time_point(queue_.now()));
        after(e.node);
        schedule_tick(e.node);
        return;
      case kArrival: arrive(e.node, e.a); return;
      case kUploadFree:
        if (!node.online || e.a != node.incarnation) return;
        node.upload_event_pending = false;
        pump(e.node);
        return;
      case kPublish: publish(e.a); return;
      case kInvalidPublish:
        if (node.online) {
          (void)node.router->publish(kTopic, invalid_payload(config_.size, node.invalid_counter++),
                                     to_time_point(queue_.now()));
          after(e.node);
        }
        queue_.push(queue_.now() + kInvalidPublishInterval, kInvalidPublish, e.node);
        return;
      case kFlood:
        if (node.online) {
          for (const auto& [peer, link] : net_.links_of(e.node)) {
            if (net_.up(link)) node.injected.emplace_back(peer, ihave_flood_rpc(kTopic, ids_[e.node], attack_rng_));
          }
          pump(e.node);
        }
        queue_.push(queue_.now() + kFloodInterval, kFlood, e.node);
        return;
      case kChurnDown: churn_down(e.node); return;
      case kChurnUp: churn_up(e.node); return;
      default: return;
    }
  }

  void publish(std::uint32_t k) {
    if (k + 1 < config_.messages) queue_.push(publish_time(k + 1), kPublish, 0, k + 1);
    if (honest_.empty()) return;
    // A random honest publisher that is up (the next one up after a node that is down).
    const std::size_t start = publish_rng_.below(honest_.size());
    for (std::size_t probe = 0; probe < honest_.size(); ++probe) {
      const std::uint32_t p = honest_[(start + probe) % honest_.size()];
      if (!nodes_[p].online) continue;
      auto id = nodes_[p].router->publish(kTopic, honest_payload(config_.size, k), to_time_point(queue_.now()));
      if (id) {
        message_index_.emplace(id.value(), k);
        log_.published(k, queue_.now(), honest_.size() - 1);
      } else {
        ++publish_errors_;
      }
      after(p);
      return;
    }
    ++publish_errors_;
  }

  void churn_down(std::uint32_t i) {
    Node& node = nodes_[i];
    if (!node.online) return;
    node.online = false;
    for (const auto& [peer, link] : net_.links_of(i)) {
      if (!net_.up(link)) continue;
      net_.set_up(link, false);
      if (!nodes_[peer].online) continue;
      nodes_[peer].router->handle_peer_down(ids_[i]);
      after(peer);
    }
    add_stats(node.retired, node.router->stats());
    node.router.reset();
    node.injected.clear();
    ++node.incarnation;
    node.tick_at = kNoTick;
    queue_.push(queue_.now() + static_cast<SimTime>(config_.churn_downtime_ms) * kMillisecond, kChurnUp, i);
  }

  void churn_up(std::uint32_t i) {
    Node& node = nodes_[i];
    node.online = true;
    node.upload_event_pending = false;
    start_router(i);
    std::vector<std::uint32_t> touched;
    for (const auto& [peer, link] : net_.links_of(i)) {
      if (!nodes_[peer].online) continue;
      link_up(link);
      touched.push_back(peer);
    }
    after(i);
    for (std::uint32_t peer : touched) after(peer);
  }

  // ---- sending and receiving ------------------------------------------------------------

  /// Hands the router's events to the log and its RPCs to the network.
  void after(std::uint32_t i) {
    Node& node = nodes_[i];
    if (!node.online) return;
    while (auto event = node.router->poll_event()) {
      const auto* d = std::get_if<gossip::event::Delivery>(&*event);
      if (d == nullptr || node.role != Role::honest) continue;
      if (auto it = message_index_.find(d->id); it != message_index_.end()) log_.delivered(i, it->second, queue_.now());
    }
    pump(i);
    schedule_tick(i);  // its input may have brought the next deadline forward
  }

  /// Sends from `i` while its upload is free: attacker RPCs first, then the router's queue
  /// (pulled one at a time, so its priorities and IDONTWANT drops work as on a socket).
  void pump(std::uint32_t i) {
    Node& node = nodes_[i];
    if (!node.online) return;
    const SimTime now = queue_.now();
    while (true) {
      if (!net_.unlimited_bandwidth() && net_.upload_free_at(i) > now) {
        if (!node.upload_event_pending) {
          node.upload_event_pending = true;
          queue_.push(net_.upload_free_at(i), kUploadFree, i, node.incarnation);
        }
        return;
      }
      std::uint32_t to = 0;
      gossip::Rpc rpc;
      if (!node.injected.empty()) {
        to = node.injected.front().first;
        rpc = std::move(node.injected.front().second);
        node.injected.pop_front();
      } else if (auto out = node.router->poll_outbound()) {
        to = index_.at(out->peer);
        rpc = std::move(out->rpc);
      } else {
        return;
      }
      if (node.role == Role::blackhole && !blackhole_filter(rpc)) continue;
      transmit(i, to, std::move(rpc));
    }
  }

  void transmit(std::uint32_t from, std::uint32_t to, gossip::Rpc rpc) {
    const auto link = net_.link_between(from, to);
    if (!link || !net_.up(*link)) {
      ++rpcs_lost_;
      return;
    }
    const WireSize size = rpc_wire_size(rpc);
    const SimTime now = queue_.now();
    if (nodes_[from].role == Role::honest && now >= publish_start_) {
      wire_bytes_ += size.frame;
      control_bytes_ += size.control();
      ++rpcs_sent_;
    }
    const Transmission tx = net_.send(from, *link, size.frame, now);
    if (tx.lost) {
      ++rpcs_lost_;
      return;
    }
    std::uint32_t slot = 0;
    if (!free_slots_.empty()) {
      slot = free_slots_.back();
      free_slots_.pop_back();
    } else {
      slot = static_cast<std::uint32_t>(in_flight_.size());
      in_flight_.emplace_back();
    }
    InFlight& f = in_flight_[slot];
    if (config_.wire_codec) {
      f.wire = gossip::encode_rpc(rpc);
    } else {
      f.rpc = std::move(rpc);
    }
    f.from = from;
    f.link = *link;
    f.epoch = tx.epoch;
    queue_.push(tx.arrival, kArrival, to, slot);
  }

  void arrive(std::uint32_t to, std::uint32_t slot) {
    InFlight f = std::move(in_flight_[slot]);
    in_flight_[slot] = InFlight{};
    free_slots_.push_back(slot);
    Node& node = nodes_[to];
    if (!node.online || !net_.alive(f.link, f.epoch)) {
      ++rpcs_lost_;
      return;
    }
    ++rpcs_delivered_;
    const auto now = to_time_point(queue_.now());
    if (config_.wire_codec) {
      auto decoded = gossip::decode_rpc(f.wire, node.router->config().rpc);
      if (decoded) node.router->handle_rpc(ids_[f.from], decoded.value(), now);
      else node.router->handle_rpc_error(ids_[f.from], decoded.error(), now);
    } else {
      node.router->handle_rpc(ids_[f.from], f.rpc, now);
    }
    after(to);
  }

  // ---- results ----------------------------------------------------------------------------

  SimResult collect() const {
    SimResult r;
    r.nodes = config_.nodes;
    r.messages = config_.messages;
    r.size = config_.size;
    r.seed = config_.seed;
    r.topology = config_.topology == TopologyKind::anchor ? "anchor" : "random-regular";
    r.mean_degree = config_.nodes > 0 ? 2.0 * static_cast<double>(topology_.edges.size()) / static_cast<double>(config_.nodes) : 0;
    r.edges_sha256 = edges_sha256(topology_);
    r.latency_min_ms = config_.latency_min_ms;
    r.latency_max_ms = config_.latency_max_ms;
    r.loss = config_.loss;
    r.bandwidth_mbps = config_.bandwidth_mbps;
    r.rate = config_.rate;
    r.stagger_interval_us = config_.stagger_interval_us;
    for (const Node& n : nodes_) {
      r.blackhole += n.role == Role::blackhole;
      r.invalid += n.role == Role::invalid;
      r.ihave_flood += n.role == Role::ihave_flood;
    }
    r.churned = churned_;
    r.honest_nodes = honest_.size();
    r.published = log_.published_count();
    r.publish_errors = publish_errors_;
    r.expected_deliveries = log_.expected();
    r.deliveries = log_.deliveries();
    r.messages_fully_delivered = log_.fully_delivered();
    r.latency = log_.latency();
    r.last_node_latency = log_.last_node_latency();
    r.wire_bytes = wire_bytes_;
    r.control_bytes = control_bytes_;
    r.rpcs_sent = rpcs_sent_;
    const double graylist = gossip::GossipConfig{}.thresholds.graylist;
    for (std::uint32_t i : honest_) {
      const Node& n = nodes_[i];
      r.router += n.retired;
      if (!n.online) continue;
      add_stats(r.router, n.router->stats());
      const std::vector<PeerId> mesh = n.router->mesh_peers(kTopic);
      ++r.mesh_degree[mesh.size()];
      for (const auto& [peer, link] : net_.links_of(i)) {
        if (!is_attacker(nodes_[peer].role)) continue;
        ++r.attacker_links;
        if (n.router->score(ids_[peer]) < graylist) ++r.attacker_links_graylisted;
        if (std::find(mesh.begin(), mesh.end(), ids_[peer]) != mesh.end()) ++r.attacker_links_in_mesh;
      }
    }
    r.events = queue_.popped();
    r.rpcs_delivered = rpcs_delivered_;
    r.rpcs_lost = rpcs_lost_;
    r.sim_seconds = static_cast<double>(end_) / static_cast<double>(kSecond);
    return r;
  }

  SimConfig config_;
  SimNetwork net_;
  DeliveryLog log_;
  SimRng publish_rng_, attack_rng_, router_rng_;
  EventQueue queue_;
  Topology topology_;
  std::vector<Node> nodes_;
  std::vector<Keypair> keys_;
  std::vector<PeerId> ids_;
  std::unordered_map<PeerId, std::uint32_t> index_;
  std::vector<std::uint32_t> honest_;
  std::unordered_map<gossip::MessageId, std::uint32_t> message_index_;
  std::vector<InFlight> in_flight_;
  std::vector<std::uint32_t> free_slots_;
  double interval_ = 0;
  SimTime publish_start_ = 0, end_ = 0;
  std::size_t churned_ = 0, publish_errors_ = 0;
  std::uint64_t wire_bytes_ = 0, control_bytes_ = 0, rpcs_sent_ = 0, rpcs_delivered_ = 0, rpcs_lost_ = 0;
};

Error invalid(const std::string& detail) { return Error(Errc::config_invalid, detail); }

bool fraction(double f) { return f >= 0 && f <= 1; }

}  // namespace

Result<void> check_sim_config(const SimConfig& c) {
  if (c.nodes < 2) return invalid("--nodes must be at least 2");
  if (c.nodes > 1'000'000) return invalid("--nodes must be at most 1000000");
  if (c.messages > 10'000'000) return invalid("--messages must be at most 10000000");
  // The delivery log keeps one byte per node and message.
  if (c.nodes * c.messages > 1'000'000'000) return invalid("--nodes x --messages must be at most 1000000000");
  if (c.size > gossip::RpcLimits{}.max_message_bytes) {
    return invalid("--size must be at most " + std::to_string(gossip::RpcLimits{}.max_message_bytes) + " bytes");
  }
  if (!(c.latency_min_ms >= 0) || !(c.latency_max_ms >= c.latency_min_ms) || c.latency_max_ms > 3'600'000) {
    return invalid("--latency-ms needs 0 <= A <= B <= 3600000");
  }
  if (!fraction(c.loss)) return invalid("--loss must be in [0, 1]");
  if (!(c.bandwidth_mbps >= 0) || c.bandwidth_mbps > 1e6) return invalid("--bandwidth-mbps must be in [0, 1000000]");
  if (!(c.rate > 0) || c.rate > 1e6) return invalid("--rate must be in (0, 1000000]");
  if (c.stagger_interval_us > 60'000'000) return invalid("--stagger-interval-us must be at most 60000000");
  if (!fraction(c.blackhole) || !fraction(c.invalid) || !fraction(c.ihave_flood) || !fraction(c.churn)) {
    return invalid("--blackhole, --invalid, --ihave-flood and --churn must be in [0, 1]");
  }
  if (c.blackhole + c.invalid + c.ihave_flood > 1.0 + 1e-9) {
    return invalid("--blackhole + --invalid + --ihave-flood must be at most 1");
  }
  if (c.warmup_ms > 3'600'000 || c.drain_ms > 3'600'000 || c.churn_downtime_ms > 3'600'000) {
    return invalid("--warmup-ms, --drain-ms and --churn-downtime-ms must be at most 3600000");
  }
  if (c.topology == TopologyKind::random_regular) {
    if (c.degree < 1 || c.degree >= c.nodes) return invalid("--degree must be in [1, nodes)");
    if ((c.nodes * c.degree) % 2 != 0) return invalid("--nodes x --degree must be even for a regular graph");
  }
  const std::vector<Role> roles = assign_roles(c.nodes, c.blackhole, c.invalid, c.ihave_flood, c.seed);
  const auto honest = static_cast<std::size_t>(std::count(roles.begin(), roles.end(), Role::honest));
  if (c.messages > 0 && honest < 2) return invalid("at least 2 honest nodes are needed to publish and receive");
  return success();
}

Result<SimResult> run_simulation(const SimConfig& config) {
  BOOST_OUTCOME_TRY(check_sim_config(config));
  return Simulation(config).run();
}

}  // namespace weft::sim
