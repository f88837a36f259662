#pragma once
// An in-memory network of GossipRouters for tests: every RPC goes through the wire codec
// (encode_rpc, decode_rpc), delivery is immediate and fair (one RPC per router per round),
// the clock is fake and the topology seeded, so one seed gives one run.

#include "gossip/gossip_router.hpp"
#include "gossip/gossip_rng.hpp"
#include "gossip/rpc_codec.hpp"
#include "gossip_test_support.hpp"

#include <map>
#include <memory>
#include <set>
#include <vector>

namespace weft::test {

class GossipNetwork {
 public:
  GossipNetwork(std::size_t n, gossip::GossipConfig config, std::uint64_t seed) : rng_(seed) {
    for (std::size_t i = 0; i < n; ++i) {
      config.rng_seed = seed * 1000 + i;
      routers_.push_back(std::make_unique<gossip::GossipRouter>(gossip_key(static_cast<std::uint32_t>(i)), config, now_));
      ids_.push_back(gossip_peer(static_cast<std::uint32_t>(i)));
      index_.emplace(ids_.back(), i);
    }
    deliveries_.resize(n);
  }

  std::size_t size() const noexcept { return routers_.size(); }
  gossip::GossipRouter& router(std::size_t i) { return *routers_[i]; }
  const PeerId& id(std::size_t i) const { return ids_[i]; }
  gossip::TimePoint now() const noexcept { return now_; }

  /// i dials j: outbound at i, inbound at j.
  void connect(std::size_t i, std::size_t j) {
    if (i == j || !links_.insert({std::min(i, j), std::max(i, j)}).second) return;
    routers_[i]->handle_peer_up(ids_[j], gossip::Direction::outbound, "");
    routers_[j]->handle_peer_up(ids_[i], gossip::Direction::inbound, "");
  }
  /// Each node dials `k` random others.
  void connect_random(std::size_t k) {
    for (std::size_t i = 0; i < size(); ++i) {
      for (std::size_t d = 0; d < k; ++d) connect(i, rng_.below(size()));
    }
  }

  /// Delivers RPCs until every queue is empty.
  void pump() {
    bool moved = true;
    while (moved) {
      moved = false;
      for (std::size_t i = 0; i < size(); ++i) {
        collect(i);
        auto out = routers_[i]->poll_outbound();
        if (!out) continue;
        moved = true;
        ++rpcs_;
        const Bytes wire = gossip::encode_rpc(out->rpc);
        wire_bytes_ += wire.size();
        auto decoded = gossip::decode_rpc(wire, routers_[i]->config().rpc);
        const std::size_t to = index_.at(out->peer);
        if (dropped_.count(to) != 0) continue;
        if (decoded) routers_[to]->handle_rpc(ids_[i], decoded.value(), now_);
        else routers_[to]->handle_rpc_error(ids_[i], decoded.error(), now_);
        collect(to);
      }
    }
  }

  /// Advances the fake clock in `step`s for `total`, ticking every router and pumping.
  void run(gossip::Duration total, gossip::Duration step = std::chrono::milliseconds(100)) {
    for (gossip::Duration t{}; t < total; t += step) {
      now_ += step;
      for (auto& r : routers_) r->handle_tick(now_);
      pump();
    }
  }

  /// Deliveries router i saw, per message id.
  const std::map<gossip::MessageId, std::size_t>& deliveries(std::size_t i) const { return deliveries_[i]; }
  /// Every event router i emitted (deliveries included).
  const std::vector<gossip::GossipEvent>& events(std::size_t i) const { return events_[i]; }
  /// RPCs addressed to router i are lost from now on.
  void blackhole(std::size_t i) { dropped_.insert(i); }
  std::uint64_t rpcs() const noexcept { return rpcs_; }
  std::uint64_t wire_bytes() const noexcept { return wire_bytes_; }

  template <class Fn>
  std::uint64_t sum(Fn&& fn) const {
    std::uint64_t n = 0;
    for (const auto& r : routers_) n += fn(r->stats());
    return n;
  }

 private:
  void collect(std::size_t i) {
    if (events_.size() < size()) events_.resize(size());
    while (auto e = routers_[i]->poll_event()) {
      if (auto* d = std::get_if<gossip::event::Delivery>(&*e)) ++deliveries_[i][d->id];
      events_[i].push_back(std::move(*e));
    }
  }

  gossip::GossipRng rng_;
  gossip::TimePoint now_ = kGossipStart;
  std::vector<std::unique_ptr<gossip::GossipRouter>> routers_;
  std::vector<PeerId> ids_;
  std::map<PeerId, std::size_t> index_;
  std::set<std::pair<std::size_t, std::size_t>> links_;
  std::set<std::size_t> dropped_;
  std::vector<std::map<gossip::MessageId, std::size_t>> deliveries_;
  std::vector<std::vector<gossip::GossipEvent>> events_;
  std::uint64_t rpcs_ = 0;
  std::uint64_t wire_bytes_ = 0;
};

}  // namespace weft::test
