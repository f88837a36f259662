#include "peer/address_subnet.hpp"

#include <fmt/format.h>

namespace weft::peer {

SubnetKey address_subnet(const Multiaddr& address) {
  SubnetKey key;
  const auto components = address.components();
  if (components.empty()) return key;
  const auto& first = components.front();
  if (first.code == multiaddr_code::ip4 && first.value.size() == 4) {
    key.family = SubnetKey::Family::ip4;
    for (std::size_t i = 0; i < 3; ++i) key.prefix[i] = first.value[i];
  } else if (first.code == multiaddr_code::ip6 && first.value.size() == 16) {
    key.family = SubnetKey::Family::ip6;
    for (std::size_t i = 0; i < 6; ++i) key.prefix[i] = first.value[i];
  }
  return key;
}

std::string SubnetKey::to_string() const {
  const auto& p = prefix;
  switch (family) {
    case Family::ip4: return fmt::format("{}.{}.{}.0/24", p[0], p[1], p[2]);
    case Family::ip6:
      return fmt::format("{:x}:{:x}:{:x}::/48", (p[0] << 8) | p[1], (p[2] << 8) | p[3], (p[4] << 8) | p[5]);
    case Family::non_ip: break;
  }
  return "non-ip";
}

}  // namespace weft::peer

std::size_t std::hash<weft::peer::SubnetKey>::operator()(const weft::peer::SubnetKey& key) const noexcept {
  std::uint64_t v = static_cast<std::uint64_t>(key.family);
  for (auto b : key.prefix) v = (v << 8) | b;
  return std::hash<std::uint64_t>{}(v);
}
