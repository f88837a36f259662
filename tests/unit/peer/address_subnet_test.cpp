// address_subnet: IPv4 /24, IPv6 /48, one shared key for everything else.

#include "peer/address_subnet.hpp"

#include "peer_test_support.hpp"

#include <doctest/doctest.h>

using namespace weft;
using namespace weft::peer;
using weft::test::ma;

TEST_CASE("address_subnet: IPv4 addresses in one /24 share a key, the next /24 does not") {
  const SubnetKey a = address_subnet(ma("/ip4/192.0.2.1/tcp/1"));
  CHECK(a.family == SubnetKey::Family::ip4);
  CHECK(a == address_subnet(ma("/ip4/192.0.2.254/tcp/9/p2p/QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5N")));
  CHECK(a != address_subnet(ma("/ip4/192.0.3.1/tcp/1")));
  CHECK(a.to_string() == "192.0.2.0/24");
}

TEST_CASE("address_subnet: IPv6 addresses in one /48 share a key, the next /48 does not") {
  const SubnetKey a = address_subnet(ma("/ip6/2001:db8:1:2::1/tcp/1"));
  CHECK(a.family == SubnetKey::Family::ip6);
  CHECK(a == address_subnet(ma("/ip6/2001:db8:1:ffff::9/tcp/2")));
  CHECK(a != address_subnet(ma("/ip6/2001:db8:2::1/tcp/1")));
  CHECK(a.to_string() == "2001:db8:1::/48");
}

TEST_CASE("address_subnet: names and other addresses share the non-IP key") {
  const SubnetKey dns = address_subnet(ma("/dns4/example.com/tcp/1"));
  CHECK(dns.family == SubnetKey::Family::non_ip);
  CHECK(dns == address_subnet(ma("/dns6/other.example/tcp/2")));
  CHECK(dns == address_subnet(Multiaddr()));
  CHECK(dns != address_subnet(ma("/ip4/0.0.0.0/tcp/1")));
  CHECK(dns.to_string() == "non-ip");
  CHECK(std::hash<SubnetKey>{}(dns) != std::hash<SubnetKey>{}(address_subnet(ma("/ip4/1.2.3.4/tcp/1"))));
}
