// Topologies: the anchor's generator reproduced edge for edge (values from running
// ../shared/anchors/js-gossipsub/topology.mjs with node), and random regular graphs.

#include "topology.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <set>
#include <utility>

using namespace weft::sim;

TEST_CASE("mulberry32 gives topology.mjs's stream") {
  // node -e "import('./topology.mjs').then(m=>{const n=m.mulberry32(1);console.log([n(),n(),n(),n()])})"
  Mulberry32 rng(1);
  CHECK(rng.next() == 2693262067u);
  CHECK(rng.next() == 11749833u);
  CHECK(rng.next() == 2265367787u);
  CHECK(rng.next() == 4213581821u);
  Mulberry32 draws(1);
  CHECK(draws.draw(10) == static_cast<std::uint32_t>((2693262067ull * 10) >> 32));
}

TEST_CASE("the anchor topology for 10 nodes, seed 1, has topology.mjs's edges") {
  // node topology.mjs --nodes 10 --seed 1
  const std::vector<std::pair<std::uint32_t, std::uint32_t>> expected{
      {1, 0}, {2, 0}, {2, 1}, {3, 2}, {3, 0}, {3, 1}, {4, 2}, {4, 3}, {4, 0}, {4, 1},
      {5, 2}, {5, 0}, {5, 1}, {5, 3}, {6, 1}, {6, 0}, {6, 3}, {6, 2}, {7, 2}, {7, 5},
      {7, 3}, {7, 0}, {8, 0}, {8, 3}, {8, 5}, {8, 6}, {9, 2}, {9, 0}, {9, 6}, {9, 1}};
  const Topology t = anchor_topology(10, 1);
  REQUIRE(t.edges.size() == expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    CAPTURE(i);
    CHECK(t.edges[i].dialer == expected[i].first);
    CHECK(t.edges[i].listener == expected[i].second);
  }
  CHECK(degrees(t) == std::vector<std::size_t>{9, 7, 8, 8, 4, 6, 6, 4, 4, 4});
  CHECK(edges_sha256(t) == "33a933d65dd9d12213d6a92f0361e1a87caf07d6e9ee98c01faa478a7b0d53eb");
}

TEST_CASE("the anchor fingerprint for 64 nodes matches topology.mjs") {
  // node topology.mjs --nodes 64 --seed 1  -> sha256, 246 edges
  const Topology t = anchor_topology(64, 1);
  CHECK(t.edges.size() == 246);
  CHECK(edges_sha256(t) == "9ef8f0dd8d941ee3968be2c079b56181d5cc8fa091c91d6ed4b835b2eeaa2e36");
  CHECK(connected(t));
  CHECK(edges_sha256(anchor_topology(64, 2)) != edges_sha256(t));
}

TEST_CASE("random regular graphs: exact degree, simple, connected, one seed one graph") {
  for (const auto& size : std::vector<std::pair<std::size_t, std::size_t>>{{10, 3}, {50, 8}, {1000, 8}, {101, 6}, {2, 1}}) {
    const std::size_t n = size.first, d = size.second;
    CAPTURE(n);
    CAPTURE(d);
    auto t = random_regular_topology(n, d, 7);
    REQUIRE(t);
    const auto deg = degrees(t.value());
    CHECK(std::all_of(deg.begin(), deg.end(), [&](std::size_t x) { return x == d; }));
    std::set<std::pair<std::uint32_t, std::uint32_t>> seen;
    for (const Edge& e : t.value().edges) {
      CHECK(e.dialer != e.listener);
      CHECK(seen.insert({std::min(e.dialer, e.listener), std::max(e.dialer, e.listener)}).second);
    }
    CHECK(connected(t.value()));
    CHECK(random_regular_topology(n, d, 7).value().edges == t.value().edges);
  }
  CHECK(random_regular_topology(50, 8, 8).value().edges != random_regular_topology(50, 8, 7).value().edges);
}

TEST_CASE("random regular graphs that cannot exist are refused") {
  CHECK(random_regular_topology(5, 3, 1).error() == weft::Errc::config_invalid);   // odd n x d
  CHECK(random_regular_topology(5, 5, 1).error() == weft::Errc::config_invalid);   // d >= n
  CHECK(random_regular_topology(5, 0, 1).error() == weft::Errc::config_invalid);
  CHECK(random_regular_topology(100, 1, 1).error() == weft::Errc::config_invalid);  // never connected
}

TEST_CASE("connectivity") {
  CHECK(connected(Topology{1, {}}));
  CHECK_FALSE(connected(Topology{3, {{0, 1}}}));
  CHECK(connected(Topology{3, {{0, 1}, {2, 1}}}));
}
