#pragma once
// The key under which inbound limits count a remote address: an IPv4 address as a whole
// (/32), an IPv6 address by its /56 prefix (one site: RIRs and most ISPs hand a customer a
// /56 or a /48, so the bits below /56 cost an attacker nothing). An IPv4-mapped IPv6
// address (::ffff:a.b.c.d) is its IPv4 address.
//
// Pure values; no Asio here. ip_key_of(boost::asio::ip::address) is declared against a
// forward declaration and defined in ip_key.cpp, so core code including this header stays
// free of Asio.

#include <array>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <string>

namespace boost::asio::ip {
class address;
}  // namespace boost::asio::ip

namespace weft::peer {

class IpKey {
 public:
  enum class Family : std::uint8_t { ipv4, ipv6_56 };

  /// The /32 key of a 4-byte IPv4 address (network byte order).
  static IpKey from_ipv4(std::span<const std::uint8_t, 4> address) noexcept;
  /// The /56 key of a 16-byte IPv6 address (network byte order); an IPv4-mapped address
  /// gives the /32 key of its IPv4 address.
  static IpKey from_ipv6(std::span<const std::uint8_t, 16> address) noexcept;

  Family family() const noexcept { return family_; }

  /// "1.2.3.4/32" or "2001:db8:0:ab00::/56" (RFC 5952 form of the prefix).
  std::string to_string() const;

  friend bool operator==(const IpKey&, const IpKey&) = default;
  friend auto operator<=>(const IpKey&, const IpKey&) = default;

  /// The bytes that identify the key (4 for IPv4, 7 for IPv6 /56; the rest is zero).
  const std::array<std::uint8_t, 7>& prefix() const noexcept { return prefix_; }

 private:
  IpKey(Family family, std::array<std::uint8_t, 7> prefix) noexcept : family_(family), prefix_(prefix) {}
  Family family_;
  std::array<std::uint8_t, 7> prefix_;  ///< ipv4: bytes 0-3, then zeros; ipv6_56: bytes 0-6
};

/// The key of an Asio address (defined in ip_key.cpp, which includes Asio).
IpKey ip_key_of(const boost::asio::ip::address& address);

}  // namespace weft::peer

template <>
struct std::hash<weft::peer::IpKey> {
  std::size_t operator()(const weft::peer::IpKey& key) const noexcept;
};
