#pragma once
// Helpers for GossipRouter tests: deterministic identities, a router with a fake clock,
// and filters over what it sends.

#include "gossip/gossip_router.hpp"
#include "gossip/message_signing.hpp"

#include <weft/keys.hpp>
#include <weft/peer_id.hpp>

#include <chrono>
#include <string>
#include <variant>
#include <vector>

namespace weft::test {

inline Keypair gossip_key(std::uint32_t n) {
  Bytes seed(32, 0);
  for (int i = 0; i < 4; ++i) seed[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(n >> (8 * i));
  seed[31] = 0x6F;
  return Keypair::from_seed(seed).value();
}

inline PeerId gossip_peer(std::uint32_t n) { return PeerId::from_public_key(gossip_key(n).public_key()); }

inline const gossip::TimePoint kGossipStart = gossip::TimePoint{} + std::chrono::hours(10);

/// A message authored by peer n.
inline gossip::MessagePtr authored(std::uint32_t n, const gossip::TopicId& topic, std::string data,
                                   std::uint64_t seqno) {
  return std::make_shared<const gossip::Message>(
      gossip::make_signed_message(gossip_key(n), topic, Bytes(data.begin(), data.end()), seqno));
}

inline gossip::Rpc publish_rpc(std::vector<gossip::MessagePtr> messages) {
  gossip::Rpc r;
  r.publish = std::move(messages);
  return r;
}
inline gossip::Rpc subscribe_rpc(std::vector<gossip::TopicId> topics, bool subscribe = true) {
  gossip::Rpc r;
  for (auto& t : topics) r.subscriptions.push_back({subscribe, std::move(t)});
  return r;
}
inline gossip::Rpc control_rpc(gossip::ControlMessage control) {
  gossip::Rpc r;
  r.control = std::move(control);
  return r;
}

/// Router 0 (identity gossip_key(0)) and a fake clock.
struct RouterFixture {
  explicit RouterFixture(gossip::GossipConfig config = {}) : router(gossip_key(0), config, kGossipStart) {}

  gossip::GossipRouter router;
  gossip::TimePoint now = kGossipStart;

  /// Peer n up and subscribed to `topics`; drains what that produced.
  void peer(std::uint32_t n, std::vector<gossip::TopicId> topics,
            gossip::Direction direction = gossip::Direction::outbound, std::string ip = "") {
    router.handle_peer_up(gossip_peer(n), direction, ip);
    if (!topics.empty()) router.handle_rpc(gossip_peer(n), subscribe_rpc(std::move(topics)), now);
  }
  void rpc(std::uint32_t n, const gossip::Rpc& r) { router.handle_rpc(gossip_peer(n), r, now); }

  /// Advances the clock by `d` and ticks.
  void advance(gossip::Duration d) {
    now += d;
    router.handle_tick(now);
  }
  /// Runs `n` heartbeats (advancing a full interval each).
  void heartbeats(int n) {
    for (int i = 0; i < n; ++i) advance(std::chrono::milliseconds(router.config().heartbeat_interval_ms));
  }

  std::vector<gossip::Outbound> drain() {
    std::vector<gossip::Outbound> out;
    while (auto o = router.poll_outbound()) out.push_back(std::move(*o));
    return out;
  }
  std::vector<gossip::GossipEvent> events() {
    std::vector<gossip::GossipEvent> out;
    while (auto e = router.poll_event()) out.push_back(std::move(*e));
    return out;
  }
};

// ---- filters over outbound RPCs ----

template <class Fn>
std::size_t count_for(const std::vector<gossip::Outbound>& out, const PeerId& peer, Fn&& fn) {
  std::size_t n = 0;
  for (const auto& o : out) {
    if (o.peer == peer) n += fn(o.rpc);
  }
  return n;
}
inline std::size_t grafts_to(const std::vector<gossip::Outbound>& out, const PeerId& peer) {
  return count_for(out, peer, [](const gossip::Rpc& r) { return r.control.graft.size(); });
}
inline std::size_t prunes_to(const std::vector<gossip::Outbound>& out, const PeerId& peer) {
  return count_for(out, peer, [](const gossip::Rpc& r) { return r.control.prune.size(); });
}
inline std::size_t messages_to(const std::vector<gossip::Outbound>& out, const PeerId& peer) {
  return count_for(out, peer, [](const gossip::Rpc& r) { return r.publish.size(); });
}
inline std::size_t ihaves_to(const std::vector<gossip::Outbound>& out, const PeerId& peer) {
  return count_for(out, peer, [](const gossip::Rpc& r) { return r.control.ihave.size(); });
}
inline std::size_t idontwants_to(const std::vector<gossip::Outbound>& out, const PeerId& peer) {
  return count_for(out, peer, [](const gossip::Rpc& r) { return r.control.idontwant.size(); });
}
inline std::vector<gossip::MessageId> iwant_ids_to(const std::vector<gossip::Outbound>& out, const PeerId& peer) {
  std::vector<gossip::MessageId> ids;
  for (const auto& o : out) {
    if (o.peer != peer) continue;
    for (const auto& w : o.rpc.control.iwant) ids.insert(ids.end(), w.ids.begin(), w.ids.end());
  }
  return ids;
}

template <class E>
std::vector<E> events_of(const std::vector<gossip::GossipEvent>& events) {
  std::vector<E> out;
  for (const auto& e : events) {
    if (const E* x = std::get_if<E>(&e)) out.push_back(*x);
  }
  return out;
}

inline std::size_t penalties(const std::vector<gossip::GossipEvent>& events, const PeerId& peer, Errc reason) {
  std::size_t n = 0;
  for (const auto& p : events_of<gossip::event::PeerPenalized>(events)) n += p.peer == peer && p.reason == reason;
  return n;
}

/// Router 0 subscribed to `topic` with peers 1..n subscribed too (all in the mesh when
/// n <= D), with the setup's output and events drained.
inline RouterFixture subscribed_with(const gossip::TopicId& topic, std::uint32_t n, gossip::GossipConfig config = {},
                                     gossip::Direction direction = gossip::Direction::outbound) {
  RouterFixture f(config);
  for (std::uint32_t i = 1; i <= n; ++i) f.peer(i, {topic}, direction);
  f.router.subscribe(topic);
  f.drain();
  f.events();
  return f;
}

}  // namespace weft::test
