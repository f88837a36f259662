#pragma once
// Who behaves how, and what the misbehaving nodes do. Attackers run the same GossipRouter
// as everyone else; the simulator changes what leaves them:
// - blackhole: joins meshes (its subscriptions and GRAFT/PRUNE go out) but drops every
//   message it should forward or serve, and never gossips (no IHAVE, so no broken promises).
// - invalid: publishes, once per simulated second, a correctly signed message that every
//   validator rejects (first data byte 0xFF); otherwise honest.
// - ihave_flood: every 50 ms sends each neighbour an IHAVE of made-up ids (20 per second,
//   twice the per-heartbeat cap), each one a promise it will break; otherwise honest.
// Honest messages never start with 0xFF (their first 8 bytes are the big-endian index).

#include "event_queue.hpp"
#include "sim_rng.hpp"

#include "gossip/gossip_router.hpp"
#include "gossip/rpc.hpp"

#include <weft/bytes.hpp>
#include <weft/peer_id.hpp>

#include <cstddef>
#include <cstdint>
#include <vector>

namespace weft::sim {

enum class Role : std::uint8_t { honest, blackhole, invalid, ihave_flood };

inline constexpr SimTime kInvalidPublishInterval = kSecond;
inline constexpr SimTime kFloodInterval = 50 * kMillisecond;
inline constexpr std::size_t kFloodIdsPerIHave = 32;

/// Roles for `nodes` nodes: round(fraction x nodes) of each attacker kind, drawn without
/// overlap from a seeded shuffle; the rest honest. Fractions must sum to at most 1.
std::vector<Role> assign_roles(std::size_t nodes, double blackhole, double invalid, double ihave_flood,
                               std::uint64_t seed);

/// Strips what a blackhole does not send: messages and IHAVE. False when nothing is left.
bool blackhole_filter(gossip::Rpc& rpc);

/// The data of honest message `index`: `size` bytes, the first 8 the big-endian index (so
/// the first byte is 0), then a fixed pattern.
Bytes honest_payload(std::size_t size, std::uint32_t index);
/// The data of an invalid message: `size` bytes (at least 1) starting with 0xFF.
Bytes invalid_payload(std::size_t size, std::uint64_t counter);
/// The validator every node runs: rejects data starting with 0xFF, accepts the rest.
gossip::Validation validate_payload(const gossip::Message& message);

/// One flooding IHAVE: `kFloodIdsPerIHave` ids that look like real ones (the flooder's
/// PeerId and a random seqno) but name no message.
gossip::Rpc ihave_flood_rpc(const gossip::TopicId& topic, const PeerId& flooder, SimRng& rng);

}  // namespace weft::sim
