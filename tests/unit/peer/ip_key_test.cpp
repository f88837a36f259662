// Tests for src/peer/ip_key.cpp: IPv4 keys are the whole address, IPv6 keys the /56 prefix,
// IPv4-mapped IPv6 is IPv4, and Asio addresses give the same keys as their raw bytes.
#include "peer/ip_key.hpp"

#include <boost/asio/ip/address.hpp>
#include <doctest/doctest.h>

#include <array>
#include <unordered_set>

namespace weft::peer {
namespace {

IpKey key(const char* text) { return ip_key_of(boost::asio::ip::make_address(text)); }

}  // namespace

TEST_CASE("ip_key: IPv4 addresses are keyed whole (/32)") {
  const std::array<std::uint8_t, 4> raw{10, 1, 2, 3};
  const IpKey k = IpKey::from_ipv4(raw);
  CHECK(k.family() == IpKey::Family::ipv4);
  CHECK(k.to_string() == "10.1.2.3/32");
  CHECK(k == key("10.1.2.3"));
  CHECK(key("10.1.2.3") != key("10.1.2.4"));
}

TEST_CASE("ip_key: IPv6 addresses share a key exactly when their first 56 bits match") {
  const IpKey k = key("2001:db8:0:ab12::1");
  CHECK(k.family() == IpKey::Family::ipv6_56);
  CHECK(k.to_string() == "2001:db8:0:ab00::/56");
  CHECK(k == key("2001:db8:0:abff:ffff:ffff:ffff:ffff"));  // last bit inside the /56
  CHECK(k != key("2001:db8:0:ac00::1"));                   // first bit past it
  CHECK(k != key("2001:db8:1:ab12::1"));
  std::array<std::uint8_t, 16> raw{0x20, 0x01, 0x0d, 0xb8, 0, 0, 0xab, 0x34};
  CHECK(IpKey::from_ipv6(raw) == k);
}

TEST_CASE("ip_key: an IPv4-mapped IPv6 address is its IPv4 address") {
  CHECK(key("::ffff:192.0.2.7") == key("192.0.2.7"));
  CHECK(key("::ffff:192.0.2.7").family() == IpKey::Family::ipv4);
  // ::192.0.2.7 (IPv4-compatible, deprecated) is not mapped: an IPv6 /56 key.
  CHECK(key("::c000:207").family() == IpKey::Family::ipv6_56);
}

TEST_CASE("ip_key: an IPv4 key never equals an IPv6 key with the same bytes") {
  const IpKey v4 = key("32.1.13.184");  // 0x20 0x01 0x0d 0xb8
  const IpKey v6 = key("2001:db8::");
  CHECK(v4 != v6);
  std::unordered_set<IpKey> set{v4, v6, key("32.1.13.184")};
  CHECK(set.size() == 2);
}

}  // namespace weft::peer
