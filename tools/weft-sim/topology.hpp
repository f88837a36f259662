#pragma once
// Who connects to whom. Two generators:
// - anchor: the js-libp2p benchmark's (../shared/anchors/js-gossipsub/topology.mjs):
//   mulberry32 seeded once; node i = 1..N-1 dials min(i, out) distinct earlier nodes picked
//   by a partial Fisher-Yates over [0, i). Same seed, same edges, same fingerprint.
// - random regular: every node has exactly `degree` neighbours (pairing model, then
//   degree-preserving switches remove self-loops and double edges); regenerated from the
//   same stream until connected.

#include <weft/error.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace weft::sim {

/// One connection: `dialer` opened it (outbound at the dialer, inbound at the listener).
struct Edge {
  std::uint32_t dialer = 0;
  std::uint32_t listener = 0;
  friend bool operator==(const Edge&, const Edge&) = default;
};

struct Topology {
  std::size_t nodes = 0;
  std::vector<Edge> edges;  ///< in generation order
};

/// mulberry32, exactly as topology.mjs writes it (32-bit state, all arithmetic mod 2^32).
class Mulberry32 {
 public:
  explicit Mulberry32(std::uint32_t seed) : state_(seed) {}
  std::uint32_t next() noexcept;
  /// In [0, n): floor(next() * n / 2^32).
  std::uint32_t draw(std::uint32_t n) noexcept {
    return static_cast<std::uint32_t>((static_cast<std::uint64_t>(next()) * n) >> 32);
  }

 private:
  std::uint32_t state_;
};

/// The anchor's topology for `nodes` nodes. Edges are (i, earlier node), i ascending.
Topology anchor_topology(std::size_t nodes, std::uint32_t seed, std::size_t out = 4);

/// A connected random `degree`-regular graph. Errors: config_invalid when nodes * degree
/// is odd, degree >= nodes, degree < 1 with more than one node, or no connected graph came
/// out of 100 attempts (only for degree 1, or 2 with many nodes).
Result<Topology> random_regular_topology(std::size_t nodes, std::size_t degree, std::uint64_t seed);

/// Each node's number of neighbours.
std::vector<std::size_t> degrees(const Topology& topology);
/// True when every node can reach every other.
bool connected(const Topology& topology);
/// The anchor's fingerprint: hex SHA-256 of "dialer-listener" pairs joined by ",".
std::string edges_sha256(const Topology& topology);

}  // namespace weft::sim
