#include "peer/ip_key.hpp"

#include "util/asio.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace weft::peer {

IpKey IpKey::from_ipv4(std::span<const std::uint8_t, 4> address) noexcept {
  std::array<std::uint8_t, 7> prefix{};
  std::copy(address.begin(), address.end(), prefix.begin());
  return IpKey(Family::ipv4, prefix);
}

IpKey IpKey::from_ipv6(std::span<const std::uint8_t, 16> address) noexcept {
  constexpr std::array<std::uint8_t, 12> kMapped{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  if (std::equal(kMapped.begin(), kMapped.end(), address.begin())) {
    return from_ipv4(address.subspan<12, 4>());
  }
  std::array<std::uint8_t, 7> prefix{};
  std::copy_n(address.begin(), prefix.size(), prefix.begin());
  return IpKey(Family::ipv6_56, prefix);
}

std::string IpKey::to_string() const {
  if (family_ == Family::ipv4) {
    return fmt::format("{}.{}.{}.{}/32", prefix_[0], prefix_[1], prefix_[2], prefix_[3]);
  }
  boost::asio::ip::address_v6::bytes_type bytes{};
  std::copy(prefix_.begin(), prefix_.end(), bytes.begin());
  return boost::asio::ip::address_v6(bytes).to_string() + "/56";
}

IpKey ip_key_of(const boost::asio::ip::address& address) {
  if (address.is_v4()) {
    const auto bytes = address.to_v4().to_bytes();
    return IpKey::from_ipv4(std::span<const std::uint8_t, 4>(bytes.data(), 4));
  }
  const auto bytes = address.to_v6().to_bytes();
  return IpKey::from_ipv6(std::span<const std::uint8_t, 16>(bytes.data(), 16));
}

}  // namespace weft::peer

std::size_t std::hash<weft::peer::IpKey>::operator()(const weft::peer::IpKey& key) const noexcept {
  std::uint64_t v = static_cast<std::uint64_t>(key.family()) + 1;
  for (std::uint8_t b : key.prefix()) v = v * 0x100000001B3ull ^ b;  // FNV-style mix
  return static_cast<std::size_t>(v ^ (v >> 29));
}
