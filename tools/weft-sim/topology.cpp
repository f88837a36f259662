#include "topology.hpp"

#include "sim_rng.hpp"

#include <sodium.h>

#include <algorithm>
#include <numeric>
#include <set>
#include <utility>

namespace weft::sim {

std::uint32_t Mulberry32::next() noexcept {
  state_ += 0x6D2B79F5u;
  std::uint32_t t = state_;
  t = (t ^ (t >> 15)) * (t | 1u);
  t ^= t + (t ^ (t >> 7)) * (t | 61u);
  return t ^ (t >> 14);
}

Topology anchor_topology(std::size_t nodes, std::uint32_t seed, std::size_t out) {
  Mulberry32 rng(seed);
  Topology t{nodes, {}};
  std::vector<std::uint32_t> candidates;
  for (std::size_t i = 1; i < nodes; ++i) {
    candidates.resize(i);
    std::iota(candidates.begin(), candidates.end(), 0u);
    const std::size_t k = std::min(i, out);
    for (std::size_t j = 0; j < k; ++j) {
      const std::size_t x = j + rng.draw(static_cast<std::uint32_t>(i - j));
      std::swap(candidates[j], candidates[x]);
      t.edges.push_back({static_cast<std::uint32_t>(i), candidates[j]});
    }
  }
  return t;
}

namespace {

using Pair = std::pair<std::uint32_t, std::uint32_t>;
Pair key(std::uint32_t a, std::uint32_t b) { return {std::min(a, b), std::max(a, b)}; }

/// One try: random pairing of stubs, then switches until the graph is simple.
std::vector<Edge> pair_stubs(std::size_t nodes, std::size_t degree, SimRng& rng) {
  std::vector<std::uint32_t> stubs;
  stubs.reserve(nodes * degree);
  for (std::size_t i = 0; i < nodes; ++i) stubs.insert(stubs.end(), degree, static_cast<std::uint32_t>(i));
  rng.shuffle(stubs);
  std::vector<Edge> edges;
  edges.reserve(stubs.size() / 2);
  for (std::size_t i = 0; i + 1 < stubs.size(); i += 2) edges.push_back({stubs[i], stubs[i + 1]});

  std::multiset<Pair> present;
  for (const Edge& e : edges) present.insert(key(e.dialer, e.listener));
  auto bad = [&](const Edge& e) { return e.dialer == e.listener || present.count(key(e.dialer, e.listener)) > 1; };
  // Switch each bad edge (u, v) with a random edge (x, y) into (u, x), (v, y) when that
  // makes neither a loop nor a double edge. Bounded: gives up (caller retries) after many.
  std::size_t budget = 100 * edges.size() + 1000;
  for (std::size_t i = 0; i < edges.size(); ++i) {
    while (bad(edges[i])) {
      if (budget-- == 0) return {};
      const std::size_t j = rng.below(edges.size());
      if (j == i) continue;
      const Edge a = edges[i], b = edges[j];
      const Edge na{a.dialer, b.dialer}, nb{a.listener, b.listener};
      if (na.dialer == na.listener || nb.dialer == nb.listener) continue;
      if (present.count(key(na.dialer, na.listener)) != 0 || present.count(key(nb.dialer, nb.listener)) != 0) continue;
      if (key(na.dialer, na.listener) == key(nb.dialer, nb.listener)) continue;
      present.erase(present.find(key(a.dialer, a.listener)));
      present.erase(present.find(key(b.dialer, b.listener)));
      present.insert(key(na.dialer, na.listener));
      present.insert(key(nb.dialer, nb.listener));
      edges[i] = na;
      edges[j] = nb;  // simple too: earlier edges stay simple
    }
  }
  return edges;
}

}  // namespace

Result<Topology> random_regular_topology(std::size_t nodes, std::size_t degree, std::uint64_t seed) {
  if (nodes <= 1) return Topology{nodes, {}};
  if (degree < 1 || degree >= nodes) {
    return Error(Errc::config_invalid, "degree " + std::to_string(degree) + " must be in [1, nodes)");
  }
  if ((nodes * degree) % 2 != 0) {
    return Error(Errc::config_invalid, "nodes x degree must be even for a regular graph");
  }
  SimRng rng(seed, Stream::topology);
  for (int attempt = 0; attempt < 100; ++attempt) {
    Topology t{nodes, pair_stubs(nodes, degree, rng)};
    if (!t.edges.empty() && connected(t)) return t;
  }
  return Error(Errc::config_invalid, "no connected " + std::to_string(degree) + "-regular graph found");
}

std::vector<std::size_t> degrees(const Topology& topology) {
  std::vector<std::size_t> d(topology.nodes, 0);
  for (const Edge& e : topology.edges) {
    ++d[e.dialer];
    ++d[e.listener];
  }
  return d;
}

bool connected(const Topology& topology) {
  if (topology.nodes <= 1) return true;
  std::vector<std::vector<std::uint32_t>> adjacency(topology.nodes);
  for (const Edge& e : topology.edges) {
    adjacency[e.dialer].push_back(e.listener);
    adjacency[e.listener].push_back(e.dialer);
  }
  std::vector<bool> seen(topology.nodes, false);
  std::vector<std::uint32_t> stack{0};
  seen[0] = true;
  std::size_t reached = 1;
  while (!stack.empty()) {
    const std::uint32_t n = stack.back();
    stack.pop_back();
    for (std::uint32_t m : adjacency[n]) {
      if (seen[m]) continue;
      seen[m] = true;
      ++reached;
      stack.push_back(m);
    }
  }
  return reached == topology.nodes;
}

std::string edges_sha256(const Topology& topology) {
  std::string text;
  for (std::size_t i = 0; i < topology.edges.size(); ++i) {
    if (i > 0) text += ',';
    text += std::to_string(topology.edges[i].dialer) + "-" + std::to_string(topology.edges[i].listener);
  }
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(text.data()), text.size());
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned char b : digest) {
    hex += kHex[b >> 4];
    hex += kHex[b & 15];
  }
  return hex;
}

}  // namespace weft::sim
