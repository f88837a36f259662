// Fuzzes GossipRouter with arbitrary RPC sequences from several peers (the entry points the
// gossip driver calls), signed messages, control built from recent ids, ticks of a fake
// clock, and application calls. Layout: byte 0 picks the configuration; then operations,
// each an opcode byte and its argument bytes. Invariants after every step, with small caps
// so the fuzzer reaches them:
// - memory stays bounded: seen cache, message cache, pending validations, IDONTWANT sets,
//   per-peer send queues, topics, retained scores and delivery records within their caps;
// - RPCs go only to peers that are up; meshes hold only up peers subscribed to the topic.

#include "gossip/gossip_router.hpp"
#include "gossip/rpc_codec.hpp"

#include "gossip_test_support.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <set>
#include <vector>

using namespace weft;
using namespace weft::gossip;

namespace {

constexpr std::size_t kPeers = 6;
constexpr std::size_t kKeys = 8;
const std::array<TopicId, 4> kTopics{"a", "b", "c", "a-very-long-topic-name-over-the-cap"};

const std::vector<Keypair>& keys() {
  static const std::vector<Keypair> k = [] {
    std::vector<Keypair> out;
    for (std::uint32_t i = 0; i < kKeys; ++i) out.push_back(weft::test::gossip_key(i));
    return out;
  }();
  return k;
}
const std::vector<PeerId>& peers() {
  static const std::vector<PeerId> p = [] {
    std::vector<PeerId> out;
    for (const Keypair& k : keys()) out.push_back(PeerId::from_public_key(k.public_key()));
    return out;
  }();
  return p;
}

GossipConfig config_for(std::uint8_t mode) {
  GossipConfig c;
  c.rng_seed = mode;
  c.flood_publish = (mode & 1) != 0;
  if (mode & 2) c.content_id_topics = {"b"};
  c.d = 3;
  c.d_lo = 2;
  c.d_hi = 4;
  c.d_lazy = 2;
  c.d_score = 2;
  c.d_out = 1;
  c.max_seen_entries = 64;
  c.max_cached_messages = 32;
  c.max_pending_validations_per_topic = 4;
  c.max_topics_per_peer = 3;
  c.max_idontwant_ids_per_peer = 8;
  c.max_idontwant_messages_per_heartbeat = 4;
  c.max_queued_bytes_per_peer = 8192;
  c.max_iwant_ids_per_heartbeat = 16;
  c.max_ihave_messages_per_heartbeat = 3;
  c.idontwant_min_message_bytes = 64;
  c.opportunistic_graft_ticks = 3;
  c.rpc.max_rpc_bytes = 4096;
  c.rpc.max_message_bytes = 1024;
  c.rpc.max_topic_bytes = 16;
  c.rpc.max_subscriptions_per_rpc = 8;
  c.rpc.max_messages_per_rpc = 8;
  c.rpc.max_control_entries_per_rpc = 16;
  c.rpc.max_ids_per_control_entry = 16;
  c.score.max_retained_peers = 3;
  c.score.max_delivery_records = 64;
  if (mode & 4) c.thresholds.accept_px = 0;
  return c;
}

struct Harness {
  explicit Harness(std::uint8_t mode) : config(config_for(mode)), router(keys()[0], config, now) {}

  GossipConfig config;
  TimePoint now = weft::test::kGossipStart;
  GossipRouter router;
  std::set<PeerId> up;
  std::vector<MessageId> ids;       ///< recent message ids, for IHAVE/IWANT/IDONTWANT/verdicts
  std::vector<MessageId> deferred;  ///< ids waiting for a verdict

  void remember(const MessageId& id) {
    ids.push_back(id);
    if (ids.size() > 16) ids.erase(ids.begin());
  }

  void drain() {
    while (auto out = router.poll_outbound()) {
      if (up.count(out->peer) == 0) __builtin_trap();
      for (const MessagePtr& m : out->rpc.publish) {
        if (m->data_bytes() > config.rpc.max_message_bytes) __builtin_trap();
      }
    }
    while (auto e = router.poll_event()) {
      if (auto* v = std::get_if<event::ValidationRequest>(&*e)) deferred.push_back(v->id);
      if (auto* d = std::get_if<event::Delivery>(&*e)) remember(d->id);
    }
    if (deferred.size() > 64) deferred.erase(deferred.begin(), deferred.begin() + 32);
  }

  void check_bounds() const {
    if (router.seen_size() > config.max_seen_entries) __builtin_trap();
    if (router.cached_messages() > config.max_cached_messages) __builtin_trap();
    if (router.pending_validations() > kTopics.size() * config.max_pending_validations_per_topic) __builtin_trap();
    if (router.known_topics() > kTopics.size() + (kPeers + 1) * config.max_topics_per_peer) __builtin_trap();
    if (router.pending_promises() > kPeers * config.max_iwant_ids_per_heartbeat * 8) __builtin_trap();
    if (router.peer_score().tracked_peers() > kPeers + config.score.max_retained_peers) __builtin_trap();
    if (router.peer_score().delivery_records() > config.score.max_delivery_records) __builtin_trap();
    for (const PeerId& p : peers()) {
      if (router.idontwant_entries(p) > config.max_idontwant_ids_per_peer) __builtin_trap();
      if (router.queued_bytes(p) > config.max_queued_bytes_per_peer) __builtin_trap();
    }
    for (const TopicId& t : kTopics) {
      const auto topic_peers = router.topic_peers(t);
      for (const PeerId& p : router.mesh_peers(t)) {
        if (up.count(p) == 0 || std::count(topic_peers.begin(), topic_peers.end(), p) == 0) __builtin_trap();
      }
    }
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  Harness h(data[0]);
  std::size_t at = 1;
  auto arg = [&]() -> std::uint8_t { return at < size ? data[at++] : 0; };
  auto peer_of = [&](std::uint8_t b) -> const PeerId& { return peers()[1 + b % kPeers]; };
  auto topic_of = [&](std::uint8_t b) -> const TopicId& { return kTopics[b % kTopics.size()]; };
  auto id_of = [&](std::uint8_t b) -> MessageId { return h.ids.empty() ? MessageId("x") : h.ids[b % h.ids.size()]; };
  while (at < size) {
    const std::uint8_t op = data[at++];
    switch (op % 12) {
      case 0: {
        const PeerId& p = peer_of(arg());
        const std::uint8_t how = arg();
        h.router.handle_peer_up(p, (how & 1) ? Direction::outbound : Direction::inbound,
                                (how & 2) ? "10.0.0.1" : (how & 4) ? "127.0.0.1" : "");
        h.up.insert(p);
        break;
      }
      case 1: {
        const PeerId& p = peer_of(arg());
        h.router.handle_peer_down(p);
        h.up.erase(p);
        break;
      }
      case 2: {  // raw RPC bytes from a peer, through the decoder
        const PeerId& p = peer_of(arg());
        const std::size_t n = std::min<std::size_t>(std::size_t{arg()} * 4, size - at);
        auto rpc = decode_rpc(ByteView(data + at, n), h.config.rpc);
        at += n;
        if (rpc) h.router.handle_rpc(p, rpc.value(), h.now);
        else h.router.handle_rpc_error(p, rpc.error(), h.now);
        break;
      }
      case 3: {  // a signed message, possibly tampered with
        const PeerId& p = peer_of(arg());
        const std::uint8_t author = arg();
        const std::uint8_t shape = arg();
        Message m = make_signed_message(keys()[author % kKeys], topic_of(shape), Bytes(std::size_t{arg()} * 8, shape),
                                        arg() % 8);
        if (shape & 0x10) (*m.signature)[0] ^= 1;
        if (shape & 0x20) m.seqno->pop_back();
        if (shape & 0x40) m.topic.reset();
        if ((shape & 0x70) == 0) h.remember(message_id(m, MessageIdMode::author_seqno));
        Rpc rpc;
        rpc.publish.push_back(std::make_shared<const Message>(std::move(m)));
        h.router.handle_rpc(p, rpc, h.now);
        break;
      }
      case 4: {  // control built from recent ids and topics
        const PeerId& p = peer_of(arg());
        const std::uint8_t kind = arg(), a = arg(), b = arg();
        Rpc rpc;
        switch (kind % 6) {
          case 0: rpc.control.ihave.push_back({topic_of(a), {id_of(b), id_of(a), "unknown" + std::to_string(b)}}); break;
          case 1: rpc.control.iwant.push_back({{id_of(a), id_of(b)}}); break;
          case 2: rpc.control.graft.push_back({topic_of(a)}); break;
          case 3: {
            ControlPrune pr{topic_of(a), {}, std::nullopt};
            if (b & 1) pr.backoff_s = b;
            if (b & 2) pr.peers.push_back({peer_of(b).bytes(), {}});
            rpc.control.prune.push_back(std::move(pr));
            break;
          }
          case 4: rpc.control.idontwant.push_back({{id_of(a), id_of(b)}}); break;
          default: rpc.subscriptions.push_back({(b & 1) != 0, topic_of(a)}); break;
        }
        h.router.handle_rpc(p, rpc, h.now);
        break;
      }
      case 5:
        h.now += std::chrono::milliseconds(50 * std::uint64_t{arg()});
        h.router.handle_tick(h.now);
        break;
      case 6: h.router.subscribe(topic_of(arg())); break;
      case 7: h.router.unsubscribe(topic_of(arg())); break;
      case 8: {
        const TopicId& t = topic_of(arg());
        if (auto id = h.router.publish(t, Bytes(std::size_t{arg()} * 8, op), h.now)) h.remember(id.value());
        break;
      }
      case 9: {
        const std::uint8_t v = arg();
        const TopicId& t = topic_of(v);
        switch ((v >> 2) % 5) {
          case 0: h.router.set_validator(t, {}); break;
          case 1: h.router.set_validator(t, [](const TopicId&, const Message&, const PeerId&) { return Validation::defer; }); break;
          case 2: h.router.set_validator(t, [](const TopicId&, const Message&, const PeerId&) { return Validation::reject; }); break;
          case 3: h.router.set_validator(t, [](const TopicId&, const Message&, const PeerId&) { return Validation::ignore; }); break;
          default:
            h.router.set_validator(t, [](const TopicId&, const Message& m, const PeerId&) {
              return m.data_bytes() % 2 ? Validation::accept : Validation::defer;
            });
        }
        break;
      }
      case 10: {
        const std::uint8_t v = arg();
        if (!h.deferred.empty()) {
          const MessageId id = h.deferred[v % h.deferred.size()];
          (void)h.router.report_validation(id, static_cast<Validation>((v >> 4) % 4), h.now);
        }
        break;
      }
      case 11: h.router.set_app_score(peer_of(arg()), static_cast<double>(static_cast<std::int8_t>(arg()))); break;
    }
    h.drain();
    h.check_bounds();
  }
  return 0;
}
