#include "attackers.hpp"

#include <cmath>
#include <numeric>

namespace weft::sim {

std::vector<Role> assign_roles(std::size_t nodes, double blackhole, double invalid, double ihave_flood,
                               std::uint64_t seed) {
  std::vector<std::uint32_t> order(nodes);
  std::iota(order.begin(), order.end(), 0u);
  SimRng rng(seed, Stream::roles);
  rng.shuffle(order);
  std::vector<Role> roles(nodes, Role::honest);
  std::size_t next = 0;
  auto take = [&](double fraction, Role role) {
    const auto count = static_cast<std::size_t>(std::llround(fraction * static_cast<double>(nodes)));
    for (std::size_t i = 0; i < count && next < nodes; ++i) roles[order[next++]] = role;
  };
  take(blackhole, Role::blackhole);
  take(invalid, Role::invalid);
  take(ihave_flood, Role::ihave_flood);
  return roles;
}

bool blackhole_filter(gossip::Rpc& rpc) {
  rpc.publish.clear();
  rpc.control.ihave.clear();
  return !rpc.empty();
}

Bytes honest_payload(std::size_t size, std::uint32_t index) {
  Bytes data(size, 0);
  for (std::size_t i = 0; i < size; ++i) {
    data[i] = i < 8 ? static_cast<std::uint8_t>((std::uint64_t{index} >> (8 * (7 - i))) & 0xFF)
                    : static_cast<std::uint8_t>((i * 31 + index) & 0x7F);
  }
  return data;
}

Bytes invalid_payload(std::size_t size, std::uint64_t counter) {
  Bytes data(size < 1 ? 1 : size, 0);
  data[0] = 0xFF;
  for (std::size_t i = 1; i < data.size(); ++i) data[i] = static_cast<std::uint8_t>((counter + i) & 0xFF);
  return data;
}

gossip::Validation validate_payload(const gossip::Message& message) {
  if (message.data && !message.data->empty() && (*message.data)[0] == 0xFF) return gossip::Validation::reject;
  return gossip::Validation::accept;
}

gossip::Rpc ihave_flood_rpc(const gossip::TopicId& topic, const PeerId& flooder, SimRng& rng) {
  gossip::ControlIHave ihave{topic, {}};
  const Bytes& from = flooder.bytes();
  for (std::size_t i = 0; i < kFloodIdsPerIHave; ++i) {
    std::string id(from.begin(), from.end());
    const std::uint64_t seqno = rng.next();
    for (int b = 7; b >= 0; --b) id.push_back(static_cast<char>((seqno >> (8 * b)) & 0xFF));
    ihave.ids.push_back(std::move(id));
  }
  gossip::Rpc rpc;
  rpc.control.ihave.push_back(std::move(ihave));
  return rpc;
}

}  // namespace weft::sim
