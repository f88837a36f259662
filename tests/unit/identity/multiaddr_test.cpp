// Tests for src/identity/multiaddr.cpp: text and binary forms against the reference
// implementations' published vectors (the shared vectors are in multiaddr_test_support.hpp).
#include <weft/multiaddr.hpp>

#include "identity/hex.hpp"
#include "identity/multiaddr_protocols.hpp"
#include "multiaddr_test_support.hpp"
#include "test_bytes.hpp"

#include <doctest/doctest.h>

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace weft {
namespace {

using test::outcome_of;
using test::hex;

using test::to_hex;

using test::check_round_trips;
using test::kGarlic64;
using test::kGarlic64Hex;
using test::kQmcg;
using test::kVectors;
using test::ma;

// go-multiaddr multiaddr_test.go `good`, less the entries listed in the deviations test.
const std::vector<std::string_view> kGoGood = {
    "/ip4/1.2.3.4",
    "/ip4/0.0.0.0",
    "/ip4/192.0.2.0/ipcidr/24",
    "/ip6/::1",
    "/ip6/2601:9:4f81:9700:803e:ca65:66e8:c21",
    "/ip6/2601:9:4f81:9700:803e:ca65:66e8:c21/udp/1234/quic",
    "/ip6/2601:9:4f81:9700:803e:ca65:66e8:c21/udp/1234/quic-v1",
    "/ip6/2001:db8::/ipcidr/32",
    "/ip6zone/x/ip6/fe80::1",
    "/ip6zone/x%y/ip6/fe80::1",
    "/ip6zone/x%y/ip6/::",
    "/ip6zone/x/ip6/fe80::1/udp/1234/quic",
    "/ip6zone/x/ip6/fe80::1/udp/1234/quic-v1",
    "/onion/timaq4ygg2iegci7:1234",
    "/onion/timaq4ygg2iegci7:80/http",
    "/onion3/vww6ybal4bd7szmgncyruucpgfkqahzddi37ktceo3ah7ngmcopnpyyd:1234",
    "/onion3/vww6ybal4bd7szmgncyruucpgfkqahzddi37ktceo3ah7ngmcopnpyyd:80/http",
    "/garlic32/566niximlxdzpanmn4qouucvua3k7neniwss47li5r6ugoertzuq",
    "/garlic32/566niximlxdzpanmn4qouucvua3k7neniwss47li5r6ugoertzuqzwas",
    "/garlic32/566niximlxdzpanmn4qouucvua3k7neniwss47li5r6ugoertzuq/http",
    "/garlic32/566niximlxdzpanmn4qouucvua3k7neniwss47li5r6ugoertzuq/tcp/8080",
    "/garlic32/566niximlxdzpanmn4qouucvua3k7neniwss47li5r6ugoertzuq/udp/8080",
    "/udp/0",
    "/tcp/0",
    "/sctp/0",
    "/udp/1234",
    "/tcp/1234",
    "/sctp/1234",
    "/udp/65535",
    "/tcp/65535",
    "/ipfs/QmcgpsyWgH8Y8ajJz1Cu72KnS5uo2Aa2LpzU7kinSupNKC",
    "/p2p/QmcgpsyWgH8Y8ajJz1Cu72KnS5uo2Aa2LpzU7kinSupNKC",
    "/p2p/bafzbeigvf25ytwc3akrijfecaotc74udrhcxzh2cx3we5qqnw5vgrei4bm",
    "/p2p/12D3KooWCryG7Mon9orvQxcS1rYZjotPgpwoJNHHKcLLfE4Hf5mV",
    "/p2p/bafzaajaiaejcalj543iwv2d7pkjt7ykvefrkfu7qjfi6sduakhso4lay6abn2d5u",
    "/udp/1234/sctp/1234",
    "/udp/1234/udt",
    "/udp/1234/utp",
    "/tcp/1234/http",
    "/tcp/1234/tls/http",
    "/tcp/1234/https",
    "/ipfs/QmcgpsyWgH8Y8ajJz1Cu72KnS5uo2Aa2LpzU7kinSupNKC/tcp/1234",
    "/p2p/QmcgpsyWgH8Y8ajJz1Cu72KnS5uo2Aa2LpzU7kinSupNKC/tcp/1234",
    "/ip4/127.0.0.1/udp/1234",
    "/ip4/127.0.0.1/udp/0",
    "/ip4/127.0.0.1/tcp/1234",
    "/ip4/127.0.0.1/udp/1234/quic",
    "/ip4/127.0.0.1/udp/1234/quic-v1",
    "/ip4/127.0.0.1/udp/1234/quic-v1/webtransport",
    "/ip4/127.0.0.1/udp/1234/quic-v1/webtransport/certhash/b2uaraocy6yrdblb4sfptaddgimjmmpy",
    "/ip4/127.0.0.1/udp/1234/quic-v1/webtransport/certhash/b2uaraocy6yrdblb4sfptaddgimjmmpy/certhash/"
    "zQmbWTwYGcmdyK9CYfNBcfs9nhZs17a6FQ4Y8oea278xx41",
    "/ip4/127.0.0.1/ipfs/QmcgpsyWgH8Y8ajJz1Cu72KnS5uo2Aa2LpzU7kinSupNKC",
    "/ip4/127.0.0.1/ipfs/QmcgpsyWgH8Y8ajJz1Cu72KnS5uo2Aa2LpzU7kinSupNKC/tcp/1234",
    "/ip4/127.0.0.1/p2p/QmcgpsyWgH8Y8ajJz1Cu72KnS5uo2Aa2LpzU7kinSupNKC",
    "/ip4/127.0.0.1/p2p/QmcgpsyWgH8Y8ajJz1Cu72KnS5uo2Aa2LpzU7kinSupNKC/tcp/1234",
    "/unix/a/b/c/d/e",
    "/unix/stdio",
    "/ip4/1.2.3.4/tcp/80/unix/a/b/c/d/e/f",
    "/ip4/127.0.0.1/ipfs/QmcgpsyWgH8Y8ajJz1Cu72KnS5uo2Aa2LpzU7kinSupNKC/tcp/1234/unix/stdio",
    "/ip4/127.0.0.1/p2p/QmcgpsyWgH8Y8ajJz1Cu72KnS5uo2Aa2LpzU7kinSupNKC/tcp/1234/unix/stdio",
    "/ip4/127.0.0.1/tcp/9090/http/p2p-webrtc-direct",
    "/ip4/127.0.0.1/tcp/127/ws",
    "/ip4/127.0.0.1/tcp/127/tls",
    "/ip4/127.0.0.1/tcp/127/tls/ws",
    "/ip4/127.0.0.1/tcp/127/noise",
    "/ip4/127.0.0.1/tcp/127/wss",
    "/ip4/127.0.0.1/tcp/127/webrtc-direct",
    "/ip4/127.0.0.1/tcp/127/webrtc",
    "/http-path/tmp%2Fbar",
    "/http-path/tmp%2Fbar%2Fbaz",
    "/http-path/foo",
    "/ip4/127.0.0.1/tcp/0/p2p/12D3KooWCryG7Mon9orvQxcS1rYZjotPgpwoJNHHKcLLfE4Hf5mV/http-path/foo",
    "/ip4/127.0.0.1/tcp/443/tls/sni/example.com/http/http-path/foo",
    "/memory/4",
};

// go-multiaddr TestConstructFails plus rust-multiaddr construct_fail (all of both lists).
const std::vector<std::string_view> kReferenceBad = {
    "/ip4",
    "/ip4/::1",
    "/ip4/fdpsofodsajfdoisa",
    "/ip4/::/ipcidr/256",
    "/ip6/::/ipcidr/1026",
    "/ip6",
    "/ip6zone",
    "/ip6zone/",
    "/ip6zone//ip6/fe80::1",
    "/ip6/fe80::9700:803e:ca65:66e8:c21/ip6zone",
    "/udp",
    "/tcp",
    "/sctp",
    "/udp/65536",
    "/tcp/65536",
    "/quic/65536",
    "/quic-v1/65536",
    "/onion/9imaq4ygg2iegci7:80",
    "/onion/aaimaq4ygg2iegci7:80",
    "/onion/timaq4ygg2iegci7:0",
    "/onion/timaq4ygg2iegci7:-1",
    "/onion/timaq4ygg2iegci7",
    "/onion/timaq4ygg2iegci@:666",
    "/onion3/9ww6ybal4bd7szmgncyruucpgfkqahzddi37ktceo3ah7ngmcopnpyyd:80",
    "/onion3/vww6ybal4bd7szmgncyruucpgfkqahzddi37ktceo3ah7ngmcopnpyyd7:80",
    "/onion3/vww6ybal4bd7szmgncyruucpgfkqahzddi37ktceo3ah7ngmcopnpyyd:0",
    "/onion3/vww6ybal4bd7szmgncyruucpgfkqahzddi37ktceo3ah7ngmcopnpyyd:-1",
    "/onion3/vww6ybal4bd7szmgncyruucpgfkqahzddi37ktceo3ah7ngmcopnpyyd",
    "/onion3/vww6ybal4bd7szmgncyruucpgfkqahzddi37ktceo3ah7ngmcopnpyy@:666",
    "/garlic64/jT~",
    "/garlic32/566niximlxdzpanmn4qouucvua3k7neniwss47li5r6ugoertzu",
    "/garlic32/566niximlxdzpanmn4qouucvua3k7neniwss47li5r6ugoertzu77",
    "/garlic32/566niximlxdzpanmn4qouucvua3k7neniwss47li5r6ugoertzu:80",
    "/garlic32/566niximlxdzpanmn4qouucvua3k7neniwss47li5r6ugoertzuq:-1",
    "/garlic32/566niximlxdzpanmn4qouucvua3k7neniwss47li5r6ugoertzu@",
    "/udp/1234/sctp",
    "/udp/1234/udt/1234",
    "/udp/1234/utp/1234",
    "/ip4/127.0.0.1/udp/jfodsajfidosajfoidsa",
    "/ip4/127.0.0.1/udp",
    "/ip4/127.0.0.1/tcp/jfodsajfidosajfoidsa",
    "/ip4/127.0.0.1/tcp",
    "/ip4/127.0.0.1/quic/1234",
    "/ip4/127.0.0.1/quic-v1/1234",
    "/ip4/127.0.0.1/udp/1234/quic-v1/webtransport/certhash",
    "/ip4/127.0.0.1/udp/1234/quic-v1/webtransport/certhash/b2uaraocy6yrdblb4sfptaddgimjmmp",
    "/ip4/127.0.0.1/udp/1234/webrtc-direct/certhash",
    "/ip4/127.0.0.1/udp/1234/webrtc-direct/certhash/b2uaraocy6yrdblb4sfptaddgimjmmp",
    "/ip4/127.0.0.1/ipfs",
    "/ip4/127.0.0.1/ipfs/tcp",
    "/ip4/127.0.0.1/p2p",
    "/ip4/127.0.0.1/p2p/tcp",
    "/unix",
    "/ip4/1.2.3.4/tcp/80/unix",
    "/ip4/1.2.3.4/tcp/-1",
    "/ip4/127.0.0.1/tcp/9090/http/p2p-webcrt-direct",
    "/memory/92233720368547758081",
    "/p2p-circuit/50",
    "/tcp/1234/http/http-path/a/b",
    "/",
    "",
    "/p2p/QmxoHT6iViN5xAjoz1VZ553cL31U9F94ht3QvWR1FrEbZY",  // sha2-256 digest longer than 32 bytes
    // go-multiaddr TestInvalidP2PAddrString
    "/p2p/k2k4r8oqamigqdo6o7hsbfwd45y70oyynp98usk7zmyfrzpqxh1pohl-",
    "/p2p/?unknownmultibase",
    "/p2p/k2jmtxwoe2phm1hbqp0e7nufqf6umvuu2e9qd7ana7h411a0haqj6i2z",
    // go-multiaddr TestHTTPPath "bad addr"
    "/http-path/thisIsMissingAfullByte%f",
};

}  // namespace

TEST_CASE("multiaddr: reference text <-> bytes vectors, both directions") {
  for (const auto& v : kVectors) {
    CAPTURE(v.text);
    const Multiaddr a = ma(v.text);
    CHECK(to_hex(a.bytes()) == v.hex);
    CHECK(a.to_string() == v.text);
    auto b = Multiaddr::from_bytes(hex(v.hex));
    REQUIRE(b.has_value());
    CHECK(b.value().to_string() == v.text);
    CHECK(b.value() == a);
  }
}

TEST_CASE("multiaddr: go-multiaddr's garlic64 vector (387-byte destination)") {
  const std::string text = "/garlic64/" + std::string(kGarlic64);
  const Multiaddr a = ma(text);
  CHECK(to_hex(a.bytes()) == kGarlic64Hex);
  CHECK(a.to_string() == text);
  CHECK(Multiaddr::from_bytes(hex(kGarlic64Hex)).value().to_string() == text);
  for (std::string_view suffix : {"/http", "/udp/8080", "/tcp/8080"}) {
    check_round_trips(ma(text + std::string(suffix)));
  }
  // go-multiaddr's bad garlic64 variants: a value with ':port', '@', or a trailing digit.
  for (std::string_view suffix : {"7:80", ":0", ":-1", "@:666", "7"}) {
    CAPTURE(suffix);
    CHECK(outcome_of(Multiaddr::parse(text + std::string(suffix))) == Errc::multiaddr_invalid_value);
  }
}

TEST_CASE("multiaddr: go-multiaddr's valid list parses and round-trips") {
  for (auto text : kGoGood) {
    CAPTURE(text);
    check_round_trips(ma(text));
  }
}

TEST_CASE("multiaddr: go-multiaddr's and rust-multiaddr's invalid lists are refused") {
  for (auto text : kReferenceBad) {
    CAPTURE(text);
    auto parsed = Multiaddr::parse(text);
    CHECK_FALSE(parsed.has_value());
  }
  // go-multiaddr TestInvalidP2PAddrBytes: an identity... sha2-256 multihash with a 33-byte digest.
  CHECK(outcome_of(Multiaddr::from_bytes(hex("a503221221c05877cbae039d70a5e600ea02c6f9f2942439285c9e344e26f8d280c850fad6"))) ==
        Errc::multiaddr_invalid_value);
  // rust-multiaddr from_bytes_fail.
  CHECK_FALSE(Multiaddr::from_bytes(test::bytes({1, 2, 3, 4})).has_value());
}

TEST_CASE("multiaddr: go-multiaddr round-trip and canonical-text cases") {
  // TestRoundTrip: each text is already canonical.
  for (std::string_view text :
       {"/unix/a/b/c/d", "/ip6/::ffff:127.0.0.1/tcp/111", "/ip4/127.0.0.1/tcp/123", "/ip4/127.0.0.1/tcp/123/tls",
        "/ip4/127.0.0.1/udp/123", "/ip4/127.0.0.1/udp/123/ip6/::",
        "/ip4/127.0.0.1/udp/1234/quic-v1/webtransport/certhash/uEiDDq4_xNyDorZBH3TlGazyJdOWSwvo4PUo5YHFMrvDE8g",
        "/p2p/QmbHVEEepCi7rn7VL7Exxpd2Ci9NNB6ifvqwhsrbRMgQFP", "/p2p/QmbHVEEepCi7rn7VL7Exxpd2Ci9NNB6ifvqwhsrbRMgQFP/unix/a/b/c",
        "/http-path/tmp%2Fbar"}) {
    CAPTURE(text);
    CHECK(ma(text).to_string() == text);
  }
  // TestIPFSvP2P: ipfs is an alias, printed as p2p.
  CHECK(ma("/ipfs/QmbHVEEepCi7rn7VL7Exxpd2Ci9NNB6ifvqwhsrbRMgQFP").to_string() ==
        "/p2p/QmbHVEEepCi7rn7VL7Exxpd2Ci9NNB6ifvqwhsrbRMgQFP");
  CHECK(ma("/ipfs/QmbHVEEepCi7rn7VL7Exxpd2Ci9NNB6ifvqwhsrbRMgQFP") == ma("/p2p/QmbHVEEepCi7rn7VL7Exxpd2Ci9NNB6ifvqwhsrbRMgQFP"));
  // A CIDv1 libp2p-key PeerId prints as base58btc; certhash in base32 or base58 prints as base64url.
  CHECK(ma("/p2p/bafzbeigvf25ytwc3akrijfecaotc74udrhcxzh2cx3we5qqnw5vgrei4bm").to_string() ==
        "/p2p/QmcgpsyWgH8Y8ajJz1Cu72KnS5uo2Aa2LpzU7kinSupNKC");
  CHECK(ma("/certhash/zQmbWTwYGcmdyK9CYfNBcfs9nhZs17a6FQ4Y8oea278xx41").to_string() ==
        "/certhash/uEiDDq4_xNyDorZBH3TlGazyJdOWSwvo4PUo5YHFMrvDE8g");
  // TestDNS: binary "7*000...": dns4 (0x36) with a 42-byte name.
  const Bytes dns = test::bytes_of("7*000000000000000000000000000000000000000000");
  CHECK(Multiaddr::from_bytes(dns).value().to_string() == "/dns6/" + std::string(42, '0'));
  // TestGetValue's ending-in-a-path case: the unix value is the whole rest.
  const auto components = ma("/ip4/0.0.0.0/unix/a/b/c/d").components();
  REQUIRE(components.size() == 2);
  CHECK(components[1].value_text() == "/a/b/c/d");
  CHECK(components[1].value == test::bytes_of("/a/b/c/d"));
  // TestHTTPPath: the value is one segment, escaped in text and raw in bytes.
  const auto path = ma("/http-path/tmp%2Fbar/p2p-circuit").components();
  REQUIRE(path.size() == 2);
  CHECK(path[0].value_text() == "tmp%2Fbar");
  CHECK(path[0].value == test::bytes_of("tmp/bar"));
}

TEST_CASE("multiaddr: where weft deliberately differs from go-multiaddr's valid list") {
  // Trailing '/' is an empty component (rust-multiaddr refuses it too).
  CHECK(outcome_of(Multiaddr::parse("/ip4/127.0.0.1/tcp/1234/")) == Errc::multiaddr_empty_component);
  // Base36 ('k') libp2p-key CIDs from go's valid list parse to the same PeerId as their
  // base58btc form, which is what weft prints.
  for (std::string_view cid : {"k2k4r8oqamigqdo6o7hsbfwd45y70oyynp98usk7zmyfrzpqxh1pohl7",
                               "k51qzi5uqu5dhb6l8spkdx7yxafegfkee5by8h7lmjh2ehc2sgg34z7c15vzqs"}) {
    CAPTURE(cid);
    const auto id = PeerId::parse(cid);
    REQUIRE(id.has_value());
    const auto addr = ma("/ipfs/" + std::string(cid));
    CHECK(addr.peer_id() == id.value());
    CHECK(addr.to_string() == "/p2p/" + id.value().to_base58());
  }
  // go's net.ParseIP reads a dotted quad as an ip6 value and "::ffff:a.b.c.d" as an ip4 one.
  CHECK(outcome_of(Multiaddr::parse("/ip6/1.2.3.4")) == Errc::multiaddr_invalid_value);
  CHECK(outcome_of(Multiaddr::parse("/ip4/::ffff:1.2.3.4")) == Errc::multiaddr_invalid_value);
  // Ports with leading zeros (go and rust accept "01"; js-multiaddr refuses).
  CHECK(outcome_of(Multiaddr::parse("/tcp/01")) == Errc::multiaddr_invalid_value);
  // '+' in http-path: go reads a space, rust and js a '+'.
  CHECK(outcome_of(Multiaddr::parse("/http-path/a+b")) == Errc::multiaddr_invalid_value);
  // base32 whose last character carries non-zero padding bits: go ignores them, so two texts
  // would mean the same bytes. (The canonical text of those 36 bytes ends in "...zwassq".)
  CHECK(outcome_of(Multiaddr::parse("/garlic32/566niximlxdzpanmn4qouucvua3k7neniwss47li5r6ugoertzuqzwassw")) ==
        Errc::multiaddr_invalid_value);
  CHECK(ma("/garlic32/566niximlxdzpanmn4qouucvua3k7neniwss47li5r6ugoertzuqzwassq").to_string() ==
        "/garlic32/566niximlxdzpanmn4qouucvua3k7neniwss47li5r6ugoertzuqzwassq");
  // Onion hosts are case-insensitive (go and rust upper-case them before decoding); the
  // canonical text is lower-case.
  CHECK(ma("/onion/AAIMAQ4YGG2IEGCI:80").to_string() == "/onion/aaimaq4ygg2iegci:80");
  CHECK(ma("/onion/AAIMAQ4YGG2IEGCI:80") == ma("/onion/aaimaq4ygg2iegci:80"));
  CHECK(ma("/onion3/VWW6YBAL4BD7SZMGNCYRUUCPGFKQAHZDDI37KTCEO3AH7NGMCOPNPYYD:1234").to_string() ==
        "/onion3/vww6ybal4bd7szmgncyruucpgfkqahzddi37ktceo3ah7ngmcopnpyyd:1234");
}

TEST_CASE("multiaddr: every protocol in the table round-trips text -> bytes -> text and back") {
  const std::string onion3 = "vww6ybal4bd7szmgncyruucpgfkqahzddi37ktceo3ah7ngmcopnpyyd:1234";
  const std::map<std::string_view, std::string> values = {
      {"ip4", "10.0.0.1"},
      {"tcp", "80"},
      {"dccp", "33"},
      {"ip6", "2001:db8::1"},
      {"ip6zone", "eth0"},
      {"ipcidr", "24"},
      {"dns", "example.com"},
      {"dns4", "example.com"},
      {"dns6", "example.com"},
      {"dnsaddr", "bootstrap.libp2p.io"},
      {"sctp", "132"},
      {"udp", "443"},
      {"unix", "/tmp/weft.sock"},
      {"p2p", std::string(kQmcg)},
      {"onion", "aaimaq4ygg2iegci:80"},
      {"onion3", onion3},
      {"garlic64", std::string(kGarlic64)},
      {"garlic32", "566niximlxdzpanmn4qouucvua3k7neniwss47li5r6ugoertzuq"},
      {"sni", "example.com"},
      {"certhash", "uEiDDq4_xNyDorZBH3TlGazyJdOWSwvo4PUo5YHFMrvDE8g"},
      {"http-path", "api%2Fv0%2Flogin"},
      {"memory", "18446744073709551615"},
  };
  std::size_t seen = 0;
  for (const auto& protocol : identity::multiaddr_protocols()) {
    CAPTURE(protocol.name);
    std::string text = "/" + std::string(protocol.name);
    if (protocol.has_value()) {
      const auto it = values.find(protocol.name);
      REQUIRE(it != values.end());
      text += protocol.path ? it->second : "/" + it->second;
    }
    const Multiaddr a = ma(text);
    CHECK(a.to_string() == text);
    REQUIRE(a.components().size() == 1);
    CHECK(a.components()[0].code == protocol.code);
    CHECK(a.components()[0].name == protocol.name);
    check_round_trips(a);
    // bytes -> text -> bytes
    const auto b = Multiaddr::from_bytes(a.bytes()).value();
    CHECK(ma(b.to_string()).bytes() == a.bytes());
    ++seen;
  }
  CHECK(seen == identity::multiaddr_protocols().size());
  CHECK(seen == 41);
}

TEST_CASE("multiaddr: protocol codes match protocols.csv and go-multiaddr") {
  const std::vector<std::pair<std::string_view, std::uint64_t>> expected = {
      {"ip4", 4},       {"tcp", 6},          {"udp", 273},         {"dccp", 33},         {"ip6", 41},
      {"ip6zone", 42},  {"ipcidr", 43},      {"dns", 53},          {"dns4", 54},         {"dns6", 55},
      {"dnsaddr", 56},  {"sctp", 132},       {"udt", 301},         {"utp", 302},         {"unix", 400},
      {"p2p", 421},     {"ipfs", 421},       {"onion", 444},       {"onion3", 445},      {"garlic64", 446},
      {"garlic32", 447}, {"tls", 448},       {"sni", 449},         {"noise", 454},       {"quic", 460},
      {"quic-v1", 461}, {"webtransport", 465}, {"certhash", 466},  {"http", 480},        {"http-path", 481},
      {"https", 443},   {"ws", 477},         {"wss", 478},         {"p2p-websocket-star", 479},
      {"p2p-stardust", 277}, {"p2p-webrtc-star", 275}, {"p2p-webrtc-direct", 276}, {"webrtc-direct", 280},
      {"webrtc", 281},  {"p2p-circuit", 290}, {"memory", 777},     {"plaintextv2", 7367777},
  };
  for (const auto& entry : expected) {
    const std::string_view name = entry.first;
    const std::uint64_t code = entry.second;
    CAPTURE(name);
    const auto* p = identity::find_multiaddr_protocol(name);
    REQUIRE(p != nullptr);
    CHECK(p->code == code);
    CHECK(identity::find_multiaddr_protocol(code) == p);
  }
  CHECK(identity::find_multiaddr_protocol("ipfs")->name == "p2p");
  CHECK(identity::find_multiaddr_protocol(std::uint64_t{3}) == nullptr);
  CHECK(identity::find_multiaddr_protocol("IP4") == nullptr);
  CHECK(multiaddr_code::p2p_circuit == 290);
  CHECK(multiaddr_code::udp == 273);
}

}  // namespace weft
