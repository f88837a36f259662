#pragma once
// The subnet an address belongs to, for per-subnet caps: an IPv4 address's /24, an IPv6
// address's /48. Addresses without an IP (dns*, unix, circuit...) all share one key, so a
// flood of names is capped like a flood from one subnet.

#include <weft/multiaddr.hpp>

#include <array>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

namespace weft::peer {

struct SubnetKey {
  enum class Family : std::uint8_t { non_ip = 0, ip4 = 4, ip6 = 6 };
  Family family = Family::non_ip;
  /// The prefix bytes: 3 for ip4 (/24), 6 for ip6 (/48), zero-filled after them.
  std::array<std::uint8_t, 6> prefix{};

  /// "1.2.3.0/24", "2001:db8:1::/48" style text (hex groups for ip6), or "non-ip".
  std::string to_string() const;

  friend bool operator==(const SubnetKey&, const SubnetKey&) = default;
  friend auto operator<=>(const SubnetKey&, const SubnetKey&) = default;
};

/// The subnet of the first component of `address` when it is ip4 or ip6 (the address a
/// dial would go to); the shared non-ip key otherwise (and for the empty address).
SubnetKey address_subnet(const Multiaddr& address);

}  // namespace weft::peer

template <>
struct std::hash<weft::peer::SubnetKey> {
  std::size_t operator()(const weft::peer::SubnetKey& key) const noexcept;
};
