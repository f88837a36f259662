#include "sim_network.hpp"

#include <cmath>

namespace weft::sim {

SimNetwork::SimNetwork(std::size_t nodes, NetworkParams params, std::uint64_t seed)
    : params_(params), rng_(seed, Stream::network), adjacency_(nodes), upload_free_at_(nodes, 0) {}

std::uint32_t SimNetwork::add_link(std::uint32_t a, std::uint32_t b) {
  const SimTime span = params_.latency_max - params_.latency_min;
  const SimTime latency =
      params_.latency_min + (span > 0 ? static_cast<SimTime>(rng_.below(static_cast<std::size_t>(span) + 1)) : 0);
  const auto index = static_cast<std::uint32_t>(links_.size());
  links_.push_back(Link{a, b, latency, true, 0});
  adjacency_[a].emplace_back(b, index);
  adjacency_[b].emplace_back(a, index);
  return index;
}

std::optional<std::uint32_t> SimNetwork::link_between(std::uint32_t a, std::uint32_t b) const {
  for (const auto& [peer, link] : adjacency_[a]) {
    if (peer == b) return link;
  }
  return std::nullopt;
}

void SimNetwork::set_up(std::uint32_t link, bool up) {
  Link& l = links_[link];
  if (l.up == up) return;
  l.up = up;
  ++l.epoch;
}

Transmission SimNetwork::send(std::uint32_t from, std::uint32_t link, std::size_t bytes, SimTime now) {
  SimTime& free_at = upload_free_at_[from];
  const SimTime start = free_at > now ? free_at : now;
  SimTime occupied = 0;
  if (!unlimited_bandwidth()) {
    occupied = static_cast<SimTime>(std::ceil(static_cast<double>(bytes) * 8.0 * 1e9 / params_.bandwidth_bps));
  }
  free_at = start + occupied;
  Transmission t;
  t.epoch = links_[link].epoch;
  t.arrival = free_at + links_[link].latency;
  t.lost = rng_.chance(params_.loss);
  return t;
}

}  // namespace weft::sim
