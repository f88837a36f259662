// Operations of src/identity/multiaddr.cpp: components and value_text, encapsulate /
// decapsulate, peer_id, the TCP endpoint helpers, equality, ordering and hashing.
#include <weft/multiaddr.hpp>

#include "multiaddr_test_support.hpp"
#include "test_bytes.hpp"

#include <doctest/doctest.h>

#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace weft {
namespace {

using test::outcome_of;

using test::kQmcg;
using test::ma;

}  // namespace

TEST_CASE("multiaddr: components and value_text") {
  const Multiaddr a = ma("/ip4/1.2.3.4/tcp/80/tls/p2p/QmcgpsyWgH8Y8ajJz1Cu72KnS5uo2Aa2LpzU7kinSupNKC");
  const auto c = a.components();
  REQUIRE(c.size() == 4);
  CHECK(c[0].code == 4);
  CHECK(c[0].name == "ip4");
  CHECK(c[0].value == test::bytes({1, 2, 3, 4}));
  CHECK(c[0].value_text() == "1.2.3.4");
  CHECK(c[1].value_text() == "80");
  CHECK(c[2].name == "tls");
  CHECK(c[2].value.empty());
  CHECK(c[2].value_text().empty());
  CHECK(c[3].value_text() == kQmcg);
  // A hand-made component with a value its protocol rejects, or an unknown code, has no text.
  CHECK(MultiaddrComponent{4, "ip4", test::bytes({1, 2, 3})}.value_text().empty());
  CHECK(MultiaddrComponent{99999, "x", test::bytes({1})}.value_text().empty());
  CHECK(MultiaddrComponent{6, "tcp", test::bytes({0x1f, 0x90})}.value_text() == "8080");
  CHECK(Multiaddr().components().empty());
  CHECK(Multiaddr().to_string().empty());
  CHECK(Multiaddr().empty());
}

TEST_CASE("multiaddr: encapsulate appends and enforces the bounds") {
  const Multiaddr base = ma("/ip4/127.0.0.1/udp/1234");
  CHECK(base.encapsulate(ma("/udp/5678")).value().to_string() == "/ip4/127.0.0.1/udp/1234/udp/5678");
  CHECK(base.encapsulate(Multiaddr()).value() == base);
  CHECK(Multiaddr().encapsulate(base).value() == base);
  CHECK(Multiaddr().encapsulate(Multiaddr()).value().empty());
  // Bytes bound.
  const Multiaddr half = ma("/dns/" + std::string(600, 'a'));
  auto too_long = half.encapsulate(half);
  CHECK(outcome_of(too_long) == Errc::multiaddr_too_long);
  CHECK(too_long.error().detail() == "1206 bytes, at most 1024");
  // Component bound.
  std::string forty;
  for (int i = 0; i < 40; ++i) forty += "/tls";
  CHECK(outcome_of(ma(forty).encapsulate(ma(forty))) == Errc::multiaddr_too_many_components);
  CHECK(ma(forty).encapsulate(ma("/ws")).value().components().size() == 41);
  // Nothing may follow a path protocol.
  auto after_unix = ma("/unix/tmp/sock").encapsulate(ma("/tcp/1"));
  CHECK(outcome_of(after_unix) == Errc::multiaddr_invalid_value);
  CHECK(after_unix.error().detail() ==
        "component 1 'unix': a path protocol must be the last component, but component 2 'tcp' follows");
  CHECK(ma("/ip4/1.2.3.4").encapsulate(ma("/unix/tmp/sock")).value().to_string() == "/ip4/1.2.3.4/unix/tmp/sock");
}

TEST_CASE("multiaddr: decapsulate cuts at the last whole-component occurrence (go-multiaddr cases)") {
  struct Case {
    std::string_view left, right, expected;  // "" = empty result
  };
  // go-multiaddr TestDecapsulate.
  const std::vector<Case> cases = {
      {"/ip4/1.2.3.4/tcp/1234", "/ip4/1.2.3.4", ""},
      {"/ip4/1.2.3.4", "/ip4/1.2.3.4/tcp/1234", "/ip4/1.2.3.4"},
      {"/ip4/1.2.3.5/tcp/1234", "/ip4/5.3.2.1", "/ip4/1.2.3.5/tcp/1234"},
      {"/ip4/1.2.3.5/udp/1234/quic-v1", "/udp/1234", "/ip4/1.2.3.5"},
      {"/ip4/1.2.3.6/udp/1234/quic-v1", "/udp/1234/quic-v1", "/ip4/1.2.3.6"},
      {"/ip4/1.2.3.7/tcp/1234", "/ws", "/ip4/1.2.3.7/tcp/1234"},
      {"/dnsaddr/wss.com/tcp/4001", "/ws", "/dnsaddr/wss.com/tcp/4001"},
      {"/dnsaddr/wss.com/tcp/4001/ws", "/wss", "/dnsaddr/wss.com/tcp/4001/ws"},
      {"/dnsaddr/wss.com/ws", "/wss", "/dnsaddr/wss.com/ws"},
      {"/dnsaddr/wss.com/ws", "/dnsaddr/wss.com", ""},
      {"/dnsaddr/wss.com/tcp/4001/wss", "/wss", "/dnsaddr/wss.com/tcp/4001"},
      // TestEncapsulate / TestDecapsulateComment
      {"/ip4/127.0.0.1/udp/1234/udp/5678", "/udp/5678", "/ip4/127.0.0.1/udp/1234"},
      {"/ip4/1.2.3.4/tcp/80", "/tcp/80", "/ip4/1.2.3.4"},
      {"/ip4/1.2.3.4/tcp/80", "/udp/80", "/ip4/1.2.3.4/tcp/80"},
      // The last occurrence wins.
      {"/ip4/1.2.3.4/tcp/1/ip4/1.2.3.4/tcp/1", "/tcp/1", "/ip4/1.2.3.4/tcp/1/ip4/1.2.3.4"},
      {"/ip4/1.2.3.4/tcp/1/ip4/1.2.3.4/tcp/1", "/ip4/1.2.3.4/tcp/1", "/ip4/1.2.3.4/tcp/1"},
      // Bytes that match inside a component do not count: 04 06 00 00 01 holds 06 00 01.
      {"/ip4/6.0.0.1", "/tcp/1", "/ip4/6.0.0.1"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.left);
    CAPTURE(c.right);
    const Multiaddr result = ma(c.left).decapsulate(ma(c.right));
    if (c.expected.empty()) {
      CHECK(result.empty());
    } else {
      CHECK(result.to_string() == c.expected);
    }
  }
  const Multiaddr a = ma("/ip4/1.2.3.4/tcp/1");
  CHECK(a.decapsulate(Multiaddr()) == a);
  CHECK(a.decapsulate(a).empty());
  CHECK(Multiaddr().decapsulate(a).empty());
  // decapsulate(last) then encapsulate(last) is the identity (go: "Decapsulating with components").
  for (const auto& c : cases) {
    const Multiaddr left = ma(c.left);
    const auto parts = left.components();
    const Multiaddr last = ma("/" + std::string(parts.back().name) +
                              (parts.back().value.empty() ? "" : "/" + parts.back().value_text()));
    CHECK(left.decapsulate(last).encapsulate(last).value() == left);
  }
}

TEST_CASE("multiaddr: peer_id is the last p2p component") {
  CHECK_FALSE(ma("/ip4/1.2.3.4/tcp/1").peer_id().has_value());
  CHECK_FALSE(Multiaddr().peer_id().has_value());
  const auto id = ma("/ip4/1.2.3.4/tcp/1/p2p/QmcgpsyWgH8Y8ajJz1Cu72KnS5uo2Aa2LpzU7kinSupNKC").peer_id();
  REQUIRE(id.has_value());
  CHECK(id->to_base58() == kQmcg);
  const auto relayed = ma("/ip4/1.2.3.4/tcp/1/p2p/QmcgpsyWgH8Y8ajJz1Cu72KnS5uo2Aa2LpzU7kinSupNKC/p2p-circuit/p2p/"
                          "12D3KooWCryG7Mon9orvQxcS1rYZjotPgpwoJNHHKcLLfE4Hf5mV")
                           .peer_id();
  REQUIRE(relayed.has_value());
  CHECK(relayed->to_base58() == "12D3KooWCryG7Mon9orvQxcS1rYZjotPgpwoJNHHKcLLfE4Hf5mV");
  CHECK(ma("/ipfs/bafzbeigvf25ytwc3akrijfecaotc74udrhcxzh2cx3we5qqnw5vgrei4bm").peer_id()->to_base58() == kQmcg);
}

TEST_CASE("multiaddr: to_tcp_endpoint") {
  using Kind = TcpEndpoint::HostKind;
  CHECK(ma("/ip4/127.0.0.1/tcp/4001").to_tcp_endpoint().value() == TcpEndpoint{Kind::ip4, "127.0.0.1", 4001});
  CHECK(ma("/ip6/0:0::1/tcp/65535").to_tcp_endpoint().value() == TcpEndpoint{Kind::ip6, "::1", 65535});
  CHECK(ma("/ip6/::ffff:10.0.0.1/tcp/0").to_tcp_endpoint().value() == TcpEndpoint{Kind::ip6, "::ffff:10.0.0.1", 0});
  CHECK(ma("/dns/example.com/tcp/443").to_tcp_endpoint().value() == TcpEndpoint{Kind::dns, "example.com", 443});
  CHECK(ma("/dns4/example.com/tcp/1").to_tcp_endpoint().value() == TcpEndpoint{Kind::dns4, "example.com", 1});
  CHECK(ma("/dns6/example.com/tcp/2/p2p/QmcgpsyWgH8Y8ajJz1Cu72KnS5uo2Aa2LpzU7kinSupNKC").to_tcp_endpoint().value() ==
        TcpEndpoint{Kind::dns6, "example.com", 2});
  struct Bad {
    std::string_view text;
    std::string_view detail;
  };
  for (const auto& c : std::vector<Bad>{
           {"/ip4/1.2.3.4/udp/1", "component 2 'udp': expected tcp after the host"},
           {"/ip4/1.2.3.4", "no tcp component after the host"},
           {"/dnsaddr/x.io/tcp/1", "component 1 'dnsaddr': expected ip4, ip6, dns, dns4 or dns6 first"},
           {"/tcp/1", "component 1 'tcp': expected ip4, ip6, dns, dns4 or dns6 first"},
           {"/ip6zone/eth0/ip6/fe80::1/tcp/1", "component 1 'ip6zone': expected ip4, ip6, dns, dns4 or dns6 first"},
           {"/ip4/1.2.3.4/tcp/1/ws", "component 3 'ws': only /p2p/<id> may follow tcp"},
           {"/ip4/1.2.3.4/tcp/1/p2p/QmcgpsyWgH8Y8ajJz1Cu72KnS5uo2Aa2LpzU7kinSupNKC/p2p-circuit",
            "component 4 'p2p-circuit': nothing may follow /p2p/<id>"},
           {"/ip4/1.2.3.4/tcp/1/p2p/QmcgpsyWgH8Y8ajJz1Cu72KnS5uo2Aa2LpzU7kinSupNKC/p2p-circuit/ws/tls",
            "component 4 'p2p-circuit': nothing may follow /p2p/<id>"},
       }) {
    CAPTURE(c.text);
    auto r = ma(c.text).to_tcp_endpoint();
    CHECK(outcome_of(r) == Errc::multiaddr_not_tcp);
    CHECK(r.error().detail() == c.detail);
  }
  CHECK(outcome_of(Multiaddr().to_tcp_endpoint()) == Errc::multiaddr_not_tcp);
}

TEST_CASE("multiaddr: from_tcp_endpoint") {
  using Kind = TcpEndpoint::HostKind;
  CHECK(Multiaddr::from_tcp_endpoint({Kind::ip4, "127.0.0.1", 4001}).value().to_string() == "/ip4/127.0.0.1/tcp/4001");
  CHECK(Multiaddr::from_tcp_endpoint({Kind::ip6, "2001:DB8:0::1", 80}).value().to_string() == "/ip6/2001:db8::1/tcp/80");
  CHECK(Multiaddr::from_tcp_endpoint({Kind::dns, "example.com", 443}).value().to_string() == "/dns/example.com/tcp/443");
  CHECK(Multiaddr::from_tcp_endpoint({Kind::dns4, "a.b", 0}).value().to_string() == "/dns4/a.b/tcp/0");
  CHECK(Multiaddr::from_tcp_endpoint({Kind::dns6, "a.b", 65535}).value().to_string() == "/dns6/a.b/tcp/65535");
  // Round trip with to_tcp_endpoint.
  for (const TcpEndpoint& ep : {TcpEndpoint{Kind::ip4, "10.1.2.3", 9}, TcpEndpoint{Kind::ip6, "fe80::1", 7},
                                TcpEndpoint{Kind::dns, "n.example", 5}}) {
    CHECK(Multiaddr::from_tcp_endpoint(ep).value().to_tcp_endpoint().value() == ep);
  }
  struct Bad {
    TcpEndpoint endpoint;
    std::string_view detail;
  };
  for (const auto& c : std::vector<Bad>{
           {{Kind::ip4, "999.1.1.1", 1}, "component 1 'ip4': '999.1.1.1' is not an IPv4 address (dotted decimal, no leading zeros)"},
           {{Kind::ip4, "::1", 1}, "component 1 'ip4': '::1' is not an IPv4 address (dotted decimal, no leading zeros)"},
           {{Kind::ip6, "1.2.3.4", 1}, "component 1 'ip6': '1.2.3.4' is not an IPv6 address"},
           {{Kind::dns, "a/b", 1}, "component 1 'dns': name 'a/b' contains '/'"},
           {{Kind::dns4, "", 1}, "component 1 'dns4': empty host"},
           {{Kind::dns, std::string(5000, 'a'), 1}, "component 1 'dns': host of 5000 characters is too long"},
       }) {
    CAPTURE(c.endpoint.host.substr(0, 20));
    auto r = Multiaddr::from_tcp_endpoint(c.endpoint);
    CHECK(outcome_of(r) == Errc::multiaddr_invalid_value);
    CHECK(r.error().detail() == c.detail);
  }
  CHECK(outcome_of(Multiaddr::from_tcp_endpoint({Kind::dns, std::string(1020, 'a'), 1})) == Errc::multiaddr_too_long);
}

TEST_CASE("multiaddr: equality, ordering and std::hash follow the bytes") {
  const Multiaddr a = ma("/ip4/1.2.3.4/tcp/1");
  const Multiaddr b = ma("/ip4/1.2.3.4/tcp/2");
  CHECK(a != b);
  CHECK(a < b);
  CHECK(a == ma("/ip4/1.2.3.4/tcp/1"));
  CHECK(std::hash<Multiaddr>{}(a) == std::hash<Multiaddr>{}(ma("/ip4/1.2.3.4/tcp/1")));
  std::unordered_set<Multiaddr> set = {a, b, ma("/ip4/1.2.3.4/tcp/1"), ma("/ipfs/" + std::string(kQmcg)),
                                       ma("/p2p/" + std::string(kQmcg))};
  CHECK(set.size() == 3);
}

}  // namespace weft
