// Tests for src/identity/multiaddr.cpp: text and binary forms against the reference
// implementations' published vectors, every error, bounds, round-trip properties, and the
// encapsulate / decapsulate / peer_id / TCP endpoint helpers.
#include <weft/multiaddr.hpp>

#include "identity/hex.hpp"
#include "identity/multiaddr_protocols.hpp"
#include "identity/varint.hpp"
#include "test_bytes.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <random>
#include <set>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace weft {
namespace {

using test::outcome_of;
using test::hex;

using test::to_hex;

Multiaddr ma(std::string_view text) {
  auto parsed = Multiaddr::parse(text);
  INFO("parsing ", std::string(text));
  if (!parsed) INFO("error: ", parsed.error().message());
  REQUIRE(parsed.has_value());
  return parsed.value();
}

constexpr std::string_view kQmcg = "QmcgpsyWgH8Y8ajJz1Cu72KnS5uo2Aa2LpzU7kinSupNKC";
constexpr std::string_view kQmcgHex = "a503221220d52ebb89d85b02a284948203a62ff28389c57c9f42beec4ec20db76a68911c0b";

// go-multiaddr multiaddr_test.go: the garlic64 destination in TestStringToBytes (387 bytes).
constexpr std::string_view kGarlic64 =
    "jT~IyXaoauTni6N4517EG8mrFUKpy0IlgZh-EY9csMAk82Odatmzr~YTZy8Hv7u~wvkg75EFNOyqb~nAPg-khyp2TS~ObUz8WlqYAM2VlEzJ7wJ"
    "B91P-cUlKF18zSzVoJFmsrcQHZCirSbWoOknS6iNmsGRh5KVZsBEfp1Dg3gwTipTRIx7Vl5Vy~1OSKQVjYiGZS9q8RL0MF~7xFiKxZDLbPxk0AK"
    "9TzGGqm~wMTI2HS0Gm4Ycy8LYPVmLvGonIBYndg2bJC7WLuF6tVjVquiokSVDKFwq70BCUU5AU-EvdOD5KEOAM7mPfw-gJUG4tm1TtvcobrObqo"
    "RnmhXPTBTN5H7qDD12AvlwFGnfAlBXjuP4xOUAISL5SRLiulrsMSiT4GcugSI80mF6sdB0zWRgL1yyvoVWeTBn1TqjO27alr95DGTluuSqrNAx"
    "gpQzCKEWAyzrQkBfo2avGAmmz2NaHaAvYbOg0QSJz1PLjv2jdPW~ofiQmrGWM1cd~1cCqAAAA";
constexpr std::string_view kGarlic64Hex =
    "be0383038d3fc8c976a86ae4e78ba378e75ec41bc9ab1542a9cb422581987e118f5cb0c024f3639d6ad9b3aff613672f07bfbbbfc2f920ef91"
    "0534ecaa6ff9c03e0fa4872a764d2fce6d4cfc5a5a9800cd95944cc9ef0241f753fe71494a175f334b35682459acadc4076428ab49b5a83a49"
    "d2ea2366b06461e4a559b0111fa750e0de0c138a94d1231ed5979572ff53922905636221994bdabc44bd0c17fef11622b16432db3f193400af"
    "53cc61aa9bfc0c4c8d874b41a6e18732f0b60f5662ef1a89c80589dd8366c90bb58bb85ead56356aba2a244950ca170abbd01094539014f84b"
    "dd383e4a10e00cee63dfc3e809506e2d9b54edbdca1bace6eaa119e68573d30533791fba830f5d80be5c051a77c09415e3b8fe3139400848be"
    "5244b8ae96bb0c4a24f819cba0488f34985eac741d3359180bd72cafa1559e4c19f54ea8cedbb6a5afde4319396eb92aab340c60a50cc22845"
    "80cb3ad09017e8d9abc60269b3d8d687680bd86ce834412273d4f2e3bf68dd3d6fe87e2426ac658cd5c77fd5c0aa000000";

struct Vector {
  std::string_view text;
  std::string_view hex;
};

// Canonical text <-> bytes pairs, each copied from a reference test suite (hex lower-cased):
// go = go-multiaddr multiaddr_test.go (TestStringToBytes / TestBytesToString / TestZone),
// rs = rust-multiaddr tests/lib.rs (construct_success), spec = multiaddr test/multiaddr.feature,
// cli = weft's own CLI test.
const std::vector<Vector> kVectors = {
    {"/ip4/127.0.0.1/udp/1234", "047f000001910204d2"},                                  // go
    {"/ip4/127.0.0.1/tcp/4321", "047f0000010610e1"},                                    // go
    {"/ip4/127.0.0.1/udp/1234/ip4/127.0.0.1/tcp/4321", "047f000001910204d2047f0000010610e1"},  // go
    {"/onion/aaimaq4ygg2iegci:80", "bc030010c0439831b48218480050"},                     // go, rs
    {"/onion3/vww6ybal4bd7szmgncyruucpgfkqahzddi37ktceo3ah7ngmcopnpyyd:1234",
     "bd03adadec040be047f9658668b11a504f3155001f231a37f54c4476c07fb4cc139ed7e30304d2"},  // go, rs
    {"/garlic32/566niximlxdzpanmn4qouucvua3k7neniwss47li5r6ugoertzuq",
     "bf0320efbcd45d0c5dc79781ac6f20ea5055a036afb48d45a52e7d68ec7d4338919e69"},  // go
    {"/ip6zone/eth0/ip6/::1", "2a04657468302900000000000000000000000000000001"},  // go TestZone
    {"/ip4/192.0.2.42/tcp/443", "04c000022a0601bb"},                             // spec
    {"/ip4/1.2.3.4", "0401020304"},                                              // rs
    {"/ip4/0.0.0.0", "0400000000"},                                              // rs
    {"/ip6/::1", "2900000000000000000000000000000001"},                          // rs
    {"/ip6/2601:9:4f81:9700:803e:ca65:66e8:c21", "29260100094f819700803eca6566e80c21"},  // rs
    {"/ip6/fe80::9700:803e:ca65:66e8:c21/ip6zone/wlan0", "29fe80000000009700803eca6566e80c212a05776c616e30"},  // rs
    {"/udp/0", "91020000"},                                  // rs
    {"/tcp/0", "060000"},                                    // rs
    {"/sctp/0", "84010000"},                                 // rs
    {"/udp/1234", "910204d2"},                               // rs
    {"/tcp/1234", "0604d2"},                                 // rs
    {"/sctp/1234", "840104d2"},                              // rs
    {"/udp/65535", "9102ffff"},                              // rs
    {"/tcp/65535", "06ffff"},                                // rs
    {"/p2p/QmcgpsyWgH8Y8ajJz1Cu72KnS5uo2Aa2LpzU7kinSupNKC", kQmcgHex},  // rs
    {"/udp/1234/sctp/1234", "910204d2840104d2"},             // rs
    {"/udp/1234/udt", "910204d2ad02"},                       // rs
    {"/udp/1234/utp", "910204d2ae02"},                       // rs
    {"/tcp/1234/http", "0604d2e003"},                        // rs
    {"/tcp/1234/tls/http", "0604d2c003e003"},                // rs
    {"/tcp/1234/http/http-path/user", "0604d2e003e1030475736572"},                          // rs
    {"/tcp/1234/http/http-path/api%2Fv0%2Flogin", "0604d2e003e1030c6170692f76302f6c6f67696e"},  // rs
    {"/tcp/1234/http/http-path/a%2520space", "0604d2e003e10309612532307370616365"},          // rs
    {"/tcp/1234/https", "0604d2bb03"},                                                        // rs
    {"/p2p/QmcgpsyWgH8Y8ajJz1Cu72KnS5uo2Aa2LpzU7kinSupNKC/tcp/1234",
     "a503221220d52ebb89d85b02a284948203a62ff28389c57c9f42beec4ec20db76a68911c0b0604d2"},  // rs
    {"/ip4/127.0.0.1/udp/0", "047f00000191020000"},                                         // rs
    {"/ip4/127.0.0.1/tcp/1234", "047f0000010604d2"},                                        // rs
    {"/ip4/127.0.0.1/p2p/QmcgpsyWgH8Y8ajJz1Cu72KnS5uo2Aa2LpzU7kinSupNKC/tcp/1234",
     "047f000001a503221220d52ebb89d85b02a284948203a62ff28389c57c9f42beec4ec20db76a68911c0b0604d2"},  // rs
    {"/ip6/2001:8a0:7ac5:4201:3ac9:86ff:fe31:7095/tcp/8000/ws/p2p/QmcgpsyWgH8Y8ajJz1Cu72KnS5uo2Aa2LpzU7kinSupNKC",
     "29200108a07ac542013ac986fffe317095061f40dd03a503221220d52ebb89d85b02a284948203a62ff28389c57c9f42beec4ec20db76a"
     "68911c0b"},  // rs
    {"/p2p-webrtc-star/ip4/127.0.0.1/tcp/9090/ws/p2p/QmcgpsyWgH8Y8ajJz1Cu72KnS5uo2Aa2LpzU7kinSupNKC",
     "9302047f000001062382dd03a503221220d52ebb89d85b02a284948203a62ff28389c57c9f42beec4ec20db76a68911c0b"},  // rs
    {"/ip6/2001:8a0:7ac5:4201:3ac9:86ff:fe31:7095/tcp/8000/wss/p2p/QmcgpsyWgH8Y8ajJz1Cu72KnS5uo2Aa2LpzU7kinSupNKC",
     "29200108a07ac542013ac986fffe317095061f40de03a503221220d52ebb89d85b02a284948203a62ff28389c57c9f42beec4ec20db76a"
     "68911c0b"},  // rs
    {"/ip4/127.0.0.1/tcp/9090/p2p-circuit/p2p/QmcgpsyWgH8Y8ajJz1Cu72KnS5uo2Aa2LpzU7kinSupNKC",
     "047f000001062382a202a503221220d52ebb89d85b02a284948203a62ff28389c57c9f42beec4ec20db76a68911c0b"},  // rs
    {"/dnsaddr/sjc-1.bootstrap.libp2p.io", "3819736a632d312e626f6f7473747261702e6c69627032702e696f"},  // rs
    {"/dnsaddr/sjc-1.bootstrap.libp2p.io/tcp/1234/p2p/QmNnooDu7bfjPFoTZYxMNLWUQJyrVwtbZg5gBMjTezGAJN",
     "3819736a632d312e626f6f7473747261702e6c69627032702e696f0604d2a50322122006b3608aa000274049eb28ad8e793a26ff6fab28"
     "1a7d3bd77cd18eb745dfaabb"},  // rs
    {"/ip4/127.0.0.1/tcp/127/ws", "047f00000106007fdd03"},            // rs
    {"/ip4/127.0.0.1/tcp/127/tls", "047f00000106007fc003"},           // rs
    {"/ip4/127.0.0.1/tcp/127/tls/ws", "047f00000106007fc003dd03"},    // rs
    {"/ip4/127.0.0.1/tcp/127/noise", "047f00000106007fc603"},         // rs
    {"/ip4/127.0.0.1/udp/1234/webrtc-direct", "047f000001910204d29802"},  // rs
    {"/ip4/127.0.0.1/udp/1234/webrtc-direct/certhash/uEiDDq4_xNyDorZBH3TlGazyJdOWSwvo4PUo5YHFMrvDE8g",
     "047f000001910204d29802d203221220c3ab8ff13720e8ad9047dd39466b3c8974e592c2fa383d4a3960714caef0c4f2"},  // rs
    {"/ip4/127.0.0.1/udp/1234/quic/webtransport", "047f000001910204d2cc03d103"},  // rs
    {"/ip4/127.0.0.1/udp/1234/webtransport/certhash/uEiDDq4_xNyDorZBH3TlGazyJdOWSwvo4PUo5YHFMrvDE8g",
     "047f000001910204d2d103d203221220c3ab8ff13720e8ad9047dd39466b3c8974e592c2fa383d4a3960714caef0c4f2"},  // rs
    {"/p2p/QmcgpsyWgH8Y8ajJz1Cu72KnS5uo2Aa2LpzU7kinSupNKC/p2p-circuit", "a503221220d52ebb89d85b02a284948203a62ff28389c57c9f42beec4ec20db76a68911c0ba202"},  // cli
};

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

void check_round_trips(const Multiaddr& a) {
  const std::string text = a.to_string();
  auto reparsed = Multiaddr::parse(text);
  INFO("text ", text);
  if (!reparsed) INFO("error: ", reparsed.error().message());
  REQUIRE(reparsed.has_value());
  CHECK(reparsed.value() == a);
  CHECK(reparsed.value().to_string() == text);
  auto from_bytes = Multiaddr::from_bytes(a.bytes());
  REQUIRE(from_bytes.has_value());
  CHECK(from_bytes.value() == a);
}

/// Appends one component to `out` (no validation).
void append_raw(Bytes& out, std::uint64_t code, ByteView value) {
  const auto* protocol = identity::find_multiaddr_protocol(code);
  REQUIRE(protocol != nullptr);
  identity::append_uvarint(out, code);
  if (protocol->size == identity::ValueSize::variable) identity::append_uvarint(out, value.size());
  out.insert(out.end(), value.begin(), value.end());
}

}  // namespace

// --- published vectors -------------------------------------------------------------------

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

// --- errors ------------------------------------------------------------------------------

TEST_CASE("multiaddr: each text error, with the component named") {
  struct Case {
    std::string_view text;
    Errc code;
    std::string_view detail;
  };
  const std::vector<Case> cases = {
      {"", Errc::multiaddr_empty, "empty text"},
      {"/", Errc::multiaddr_empty, "no components in \"/\""},
      {"ip4/1.2.3.4", Errc::multiaddr_no_leading_slash, "text begins with 'i'"},
      {"//ip4/1.2.3.4", Errc::multiaddr_empty_component, "component 1: no protocol name (\"//\" or a trailing '/')"},
      {"/ip4/1.2.3.4//tcp/1", Errc::multiaddr_empty_component,
       "component 2: no protocol name (\"//\" or a trailing '/')"},
      {"/ip4/1.2.3.4/", Errc::multiaddr_empty_component, "component 2: no protocol name (\"//\" or a trailing '/')"},
      {"/nope/1", Errc::multiaddr_unknown_protocol, "component 1: unknown protocol 'nope'"},
      {"/tls/foo", Errc::multiaddr_unknown_protocol, "component 2: unknown protocol 'foo'"},
      {"/ip4", Errc::multiaddr_missing_value, "component 1 'ip4': no value"},
      {"/ip4/1.2.3.4/tcp", Errc::multiaddr_missing_value, "component 2 'tcp': no value"},
      {"/dns/", Errc::multiaddr_missing_value, "component 1 'dns': no value"},
      {"/dns//tcp/1", Errc::multiaddr_missing_value, "component 1 'dns': empty value"},
      {"/unix/", Errc::multiaddr_missing_value, "component 1 'unix': no value"},
      {"/udp/1234/udt/1234", Errc::multiaddr_unexpected_value, "component 2 'udt': takes no value, got '1234'"},
      {"/p2p-circuit/50", Errc::multiaddr_unexpected_value, "component 1 'p2p-circuit': takes no value, got '50'"},
      {"/ip4/1.2.3.4/tcp/70000", Errc::multiaddr_invalid_value, "component 2 'tcp': port 70000 out of range 0..65535"},
      {"/ip4/999.1.1.1/tcp/80", Errc::multiaddr_invalid_value,
       "component 1 'ip4': '999.1.1.1' is not an IPv4 address (dotted decimal, no leading zeros)"},
      {"/ip4/01.2.3.4", Errc::multiaddr_invalid_value,
       "component 1 'ip4': '01.2.3.4' is not an IPv4 address (dotted decimal, no leading zeros)"},
      {"/ip6/1::2::3", Errc::multiaddr_invalid_value, "component 1 'ip6': '1::2::3' is not an IPv6 address"},
      {"/ip4/1.2.3.4/tcp/1/p2p/12D3KooW", Errc::multiaddr_invalid_value, ""},
      {"/unix/a/", Errc::multiaddr_invalid_value, "component 1 'unix': unix path '/a/' must not end in '/'"},
      {"/onion/aaimaq4ygg2iegci:0", Errc::multiaddr_invalid_value,
       "component 1 'onion': onion port 0 out of range 1..65535"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.text);
    auto parsed = Multiaddr::parse(c.text);
    REQUIRE_FALSE(parsed.has_value());
    CHECK(outcome_of(parsed) == c.code);
    if (!c.detail.empty()) CHECK(parsed.error().detail() == c.detail);
  }
  // Messages name the component and the protocol.
  auto bad_id = Multiaddr::parse("/ip4/1.2.3.4/tcp/1/p2p/12D3KooW");
  CHECK(bad_id.error().detail().rfind("component 3 'p2p': PeerId '12D3KooW': ", 0) == 0);
  CHECK(bad_id.error().message().find("invalid multiaddr value: component 3 'p2p'") == 0);
  // A long unknown name is quoted in part, non-printable bytes escaped.
  auto long_name = Multiaddr::parse("/" + std::string(100, 'x'));
  CHECK(long_name.error().detail() == "component 1: unknown protocol '" + std::string(64, 'x') + "...'");
  auto binary_name = Multiaddr::parse(std::string("/a\n\x01", 4));
  CHECK(binary_name.error().detail() == "component 1: unknown protocol 'a\\x0a\\x01'");
}

TEST_CASE("multiaddr: each binary error, with the component named") {
  struct Case {
    std::string_view hex;
    Errc code;
    std::string_view detail;
  };
  const std::vector<Case> cases = {
      {"", Errc::multiaddr_empty, "no bytes"},
      {"03", Errc::multiaddr_unknown_protocol, "component 1: unknown protocol code 3"},
      {"0401020304d209", Errc::multiaddr_unknown_protocol, "component 2: unknown protocol code 1234"},
      {"047f00", Errc::multiaddr_truncated, "component 1 'ip4': value needs 4 bytes, 2 left"},
      {"91", Errc::multiaddr_truncated, "component 1: protocol code runs past the end"},
      {"047f00000191", Errc::multiaddr_truncated, "component 2: protocol code runs past the end"},
      {"35", Errc::multiaddr_truncated, "component 1 'dns': value length runs past the end"},
      {"350561", Errc::multiaddr_truncated, "component 1 'dns': value of 5 bytes runs past the end (1 left)"},
      {"35ffffffffffffffff7f", Errc::multiaddr_truncated,
       "component 1 'dns': value of 9223372036854775807 bytes runs past the end (0 left)"},
      {"3500", Errc::multiaddr_missing_value, "component 1 'dns': value length is 0"},
      {"8400", Errc::varint_overlong, "component 1: protocol code: trailing zero group at byte 2"},
      {"358000", Errc::varint_overlong, "component 1 'dns': value length: trailing zero group at byte 2"},
      {"ffffffffffffffffff01", Errc::varint_overflow, "component 1: protocol code: continuation bit set on byte 9"},
      {"0613", Errc::multiaddr_truncated, "component 1 'tcp': value needs 2 bytes, 1 left"},
      {"3501 2f", Errc::multiaddr_invalid_value, ""},
      {"0401020304a503021200", Errc::multiaddr_invalid_value, ""},
      {"bc030010c0439831b48218480000", Errc::multiaddr_invalid_value,
       "component 1 'onion': onion port 0 out of range 1..65535"},
      {"9003052f746d702f0600509003", Errc::multiaddr_invalid_value, ""},
      {"9003042f746d70060050", Errc::multiaddr_invalid_value,
       "component 1 'unix': a path protocol must be the last component, but component 2 'tcp' follows"},
      {"890600", Errc::multiaddr_truncated, "component 1 'memory': value needs 8 bytes, 1 left"},
  };
  for (const auto& c : cases) {
    std::string h(c.hex);
    h.erase(std::remove(h.begin(), h.end(), ' '), h.end());
    CAPTURE(h);
    auto parsed = Multiaddr::from_bytes(hex(h));
    REQUIRE_FALSE(parsed.has_value());
    CHECK(outcome_of(parsed) == c.code);
    if (!c.detail.empty()) CHECK(parsed.error().detail() == c.detail);
  }
  CHECK(Multiaddr::from_bytes(hex("35012f")).error().detail() == "component 1 'dns': name '/' contains '/'");
  CHECK(Multiaddr::from_bytes(hex("3501ff")).error().detail() == "component 1 'dns': name '\\xff' is not valid UTF-8");
  CHECK(Multiaddr::from_bytes(hex("0401020304a503021200")).error().detail().rfind("component 2 'p2p': ", 0) == 0);
}

TEST_CASE("multiaddr: size bounds are enforced before per-component work") {
  // Text: 10,000 components is refused by length alone.
  std::string many;
  for (int i = 0; i < 10000; ++i) many += "/tls";
  auto r = Multiaddr::parse(many);
  CHECK(outcome_of(r) == Errc::multiaddr_too_long);
  CHECK(r.error().detail() == "40000 characters, at most 4096");
  // Exactly at the text bound is fine as far as length goes; one more is not.
  CHECK(outcome_of(Multiaddr::parse("/dns/" + std::string(kMaxMultiaddrTextChars - 5, 'a'))) ==
        Errc::multiaddr_too_long);  // binary form would exceed 1024 bytes
  CHECK(outcome_of(Multiaddr::parse("/dns/" + std::string(kMaxMultiaddrTextChars - 4, 'a'))) ==
        Errc::multiaddr_too_long);
  // 64 components are allowed, 65 are not — in either form.
  std::string text64;
  for (std::size_t i = 0; i < kMaxMultiaddrComponents; ++i) text64 += "/tls";
  CHECK(ma(text64).components().size() == kMaxMultiaddrComponents);
  auto r65 = Multiaddr::parse(text64 + "/tls");
  CHECK(outcome_of(r65) == Errc::multiaddr_too_many_components);
  CHECK(r65.error().detail() == "more than 64 components");
  // The count is refused before values are looked at: the 3rd value is bad but never read.
  CHECK(outcome_of(Multiaddr::parse("/tcp/1/tcp/2/tcp/99999" + text64)) == Errc::multiaddr_too_many_components);
  Bytes bytes65;
  for (int i = 0; i < 65; ++i) append_raw(bytes65, 448, {});
  CHECK(outcome_of(Multiaddr::from_bytes(bytes65)) == Errc::multiaddr_too_many_components);
  Bytes bad_then_many = hex("06ffff04");  // a truncated ip4 at component 2 comes first
  CHECK(outcome_of(Multiaddr::from_bytes(bad_then_many)) == Errc::multiaddr_truncated);
  Bytes many_then_bad;
  for (int i = 0; i < 65; ++i) append_raw(many_then_bad, 448, {});
  many_then_bad.push_back(0x35);  // would be truncated, but the count is reached first
  CHECK(outcome_of(Multiaddr::from_bytes(many_then_bad)) == Errc::multiaddr_too_many_components);
  // Binary bound: 1024 bytes allowed, 1025 not.
  Bytes big;
  append_raw(big, 53, Bytes(1020, 'a'));  // 1 + 2 + 1020 = 1023
  append_raw(big, 448, {});               // 1025? no: tls is 2 bytes -> 1025
  CHECK(big.size() == 1025);
  CHECK(outcome_of(Multiaddr::from_bytes(big)) == Errc::multiaddr_too_long);
  big.resize(1023);
  big.push_back(0x06);  // would be a truncated tcp; the length check sees 1024 and lets it through
  CHECK(outcome_of(Multiaddr::from_bytes(big)) == Errc::multiaddr_truncated);
  Bytes exact;
  append_raw(exact, 53, Bytes(1021, 'a'));
  CHECK(exact.size() == kMaxMultiaddrBytes);
  CHECK(Multiaddr::from_bytes(exact).has_value());
  // Text whose binary form is too big, detected while encoding.
  auto text_too_big = Multiaddr::parse("/dns/" + std::string(600, 'a') + "/dns/" + std::string(600, 'b'));
  CHECK(outcome_of(text_too_big) == Errc::multiaddr_too_long);
  CHECK(text_too_big.error().detail() == "binary form exceeds 1024 bytes at component 2 'dns'");
  // Huge inputs are refused by size without reading them.
  CHECK(outcome_of(Multiaddr::from_bytes(Bytes(1'000'000, 0x04))) == Errc::multiaddr_too_long);
  CHECK(outcome_of(Multiaddr::parse(std::string(1'000'000, '/'))) == Errc::multiaddr_too_long);
}

TEST_CASE("multiaddr: the canonical text of an accepted binary form always fits the text bound") {
  // http-path escapes every non-unreserved byte as %XX (3 characters per byte).
  Bytes b;
  append_raw(b, 481, Bytes(1000, ' '));
  auto a = Multiaddr::from_bytes(b);
  REQUIRE(a.has_value());
  CHECK(a.value().to_string().size() == 11 + 3000);
  check_round_trips(a.value());
  // 63 short, long-named components plus an escaped path: still within 4096.
  Bytes mixed;
  for (int i = 0; i < 63; ++i) append_raw(mixed, 479, {});
  append_raw(mixed, 481, Bytes(1024 - 126 - 4, ' '));
  REQUIRE(mixed.size() == 1024);
  auto m = Multiaddr::from_bytes(mixed);
  REQUIRE(m.has_value());
  CHECK(m.value().to_string().size() <= kMaxMultiaddrTextChars);
  check_round_trips(m.value());
}

TEST_CASE("multiaddr: binary input cut at every byte is refused, or is the valid prefix") {
  std::vector<Bytes> inputs;
  for (const auto& v : kVectors) inputs.push_back(hex(v.hex));
  inputs.push_back(hex(kGarlic64Hex));
  inputs.push_back(ma("/ip6zone/eth0/ip6/::1/tcp/1/unix/a/b").bytes());
  inputs.push_back(ma("/memory/7/http-path/x%2Fy/certhash/uEiDDq4_xNyDorZBH3TlGazyJdOWSwvo4PUo5YHFMrvDE8g").bytes());
  for (const Bytes& input : inputs) {
    const Multiaddr full = Multiaddr::from_bytes(input).value();
    std::set<std::size_t> boundaries;
    std::size_t offset = 0;
    for (const auto& c : full.components()) {
      boundaries.insert(offset);
      const auto* p = identity::find_multiaddr_protocol(c.code);
      offset += identity::uvarint_size(c.code) + c.value.size() +
                (p->size == identity::ValueSize::variable ? identity::uvarint_size(c.value.size()) : 0);
    }
    REQUIRE(offset == input.size());
    for (std::size_t cut = 0; cut < input.size(); ++cut) {
      CAPTURE(to_hex(input));
      CAPTURE(cut);
      auto r = Multiaddr::from_bytes(ByteView(input).first(cut));
      if (cut == 0) {
        CHECK(outcome_of(r) == Errc::multiaddr_empty);
      } else if (boundaries.count(cut) != 0) {
        REQUIRE(r.has_value());
        CHECK(input.size() > r.value().bytes().size());
      } else {
        CHECK(outcome_of(r) == Errc::multiaddr_truncated);
      }
    }
    // Trailing garbage after a valid form is never silently accepted.
    for (int extra : {0x00, 0x80, 0xff}) {
      Bytes longer = input;
      longer.push_back(static_cast<std::uint8_t>(extra));
      CHECK_FALSE(Multiaddr::from_bytes(longer).has_value());
    }
  }
}

TEST_CASE("multiaddr: text cut at every character never crashes; accepted prefixes round-trip") {
  for (const auto& v : kVectors) {
    const std::string_view text = v.text;
    for (std::size_t cut = 0; cut <= text.size(); ++cut) {
      auto r = Multiaddr::parse(text.substr(0, cut));
      if (r) check_round_trips(r.value());
    }
  }
}

// --- properties --------------------------------------------------------------------------

namespace {

struct RandomAddress {
  std::mt19937_64 rng;

  std::uint64_t below(std::uint64_t n) { return std::uniform_int_distribution<std::uint64_t>(0, n - 1)(rng); }
  Bytes random_bytes(std::size_t n) {
    Bytes out(n);
    for (auto& b : out) b = static_cast<std::uint8_t>(below(256));
    return out;
  }
  std::string pick(std::string_view alphabet, std::size_t n) {
    std::string s;
    for (std::size_t i = 0; i < n; ++i) s += alphabet[below(alphabet.size())];
    return s;
  }
  /// Random text: ASCII without '/' plus some multi-byte UTF-8.
  std::string name(std::size_t max_len) {
    static constexpr std::string_view kChars = "abcdefghijklmnopqrstuvwxyz0123456789.-_:%@ ~";
    std::string s = pick(kChars, 1 + below(max_len));
    if (below(4) == 0) s += "\xc3\xa9\xe2\x82\xac";  // é€
    return s;
  }

  Bytes value_for(const identity::MultiaddrProtocol& p) {
    using identity::ValueCodec;
    switch (p.codec) {
      case ValueCodec::none: return {};
      case ValueCodec::ip4: return random_bytes(4);
      case ValueCodec::ip6: {
        Bytes b = random_bytes(16);
        // Zero runs of random length and place exercise the "::" choice; some mapped ones.
        const auto start = below(8), len = below(9 - start);
        for (auto g = start; g < start + len; ++g) b[2 * g] = b[2 * g + 1] = 0;
        if (below(8) == 0) {
          std::fill(b.begin(), b.begin() + 10, 0);
          b[10] = b[11] = 0xff;
        }
        return b;
      }
      case ValueCodec::port: return random_bytes(2);
      case ValueCodec::ipcidr: return random_bytes(1);
      case ValueCodec::memory: return random_bytes(8);
      case ValueCodec::onion:
      case ValueCodec::onion3: {
        Bytes b = random_bytes(p.fixed_bytes);
        if (b[b.size() - 1] == 0 && b[b.size() - 2] == 0) b.back() = 1;
        return b;
      }
      case ValueCodec::garlic64: return random_bytes(387 + below(462 - 387 + 1));
      case ValueCodec::garlic32: return random_bytes(below(2) == 0 ? 32 : 35 + below(40));
      case ValueCodec::p2p: {
        if (below(2) == 0) {
          Bytes b = {0x12, 0x20};
          const Bytes d = random_bytes(32);
          b.insert(b.end(), d.begin(), d.end());
          return b;
        }
        const auto n = below(43);
        Bytes b = {0x00, static_cast<std::uint8_t>(n)};
        const Bytes d = random_bytes(n);
        b.insert(b.end(), d.begin(), d.end());
        return b;
      }
      case ValueCodec::certhash: {
        Bytes b = below(2) == 0 ? Bytes{0x12, 0x20} : Bytes{0x00, 0x10};
        const Bytes d = random_bytes(b[1]);
        b.insert(b.end(), d.begin(), d.end());
        return b;
      }
      case ValueCodec::dns:
      case ValueCodec::ip6zone: return test::bytes_of(name(30));
      case ValueCodec::unix_path: {
        std::string path;
        for (auto n = 1 + below(4); n > 0; --n) path += "/" + name(8);
        return test::bytes_of(path);
      }
      case ValueCodec::http_path: {
        std::string s = name(20);
        if (below(3) == 0) s += "/+?#";
        return test::bytes_of(s);
      }
    }
    return {};
  }

  /// A valid binary form of 1..12 random components (a path protocol only last).
  Bytes address() {
    const auto protocols = identity::multiaddr_protocols();
    Bytes out;
    const auto n = 1 + below(12);
    for (std::uint64_t i = 0; i < n; ++i) {
      const auto& p = protocols[below(protocols.size())];
      if (p.path && i + 1 != n) continue;
      const Bytes value = value_for(p);
      Bytes next = out;
      append_raw(next, p.code, value);
      if (next.size() > kMaxMultiaddrBytes) break;
      out = std::move(next);
    }
    if (out.empty()) append_raw(out, 448, {});
    return out;
  }
};

}  // namespace

TEST_CASE("multiaddr: random valid addresses round-trip through both forms") {
  RandomAddress gen{std::mt19937_64(20240607)};
  std::size_t protocols_seen = 0;
  std::set<std::uint64_t> codes;
  for (int i = 0; i < 4000; ++i) {
    const Bytes bytes = gen.address();
    CAPTURE(to_hex(bytes));
    auto a = Multiaddr::from_bytes(bytes);
    if (!a) INFO("error: ", a.error().message());
    REQUIRE(a.has_value());
    CHECK(a.value().bytes() == bytes);
    const std::string text = a.value().to_string();
    CAPTURE(text);
    auto b = Multiaddr::parse(text);
    if (!b) INFO("error: ", b.error().message());
    REQUIRE(b.has_value());
    CHECK(b.value() == a.value());
    CHECK(b.value().to_string() == text);
    CHECK(text.size() <= kMaxMultiaddrTextChars);
    for (const auto& c : a.value().components()) codes.insert(c.code);
  }
  protocols_seen = codes.size();
  CHECK(protocols_seen == identity::multiaddr_protocols().size());
}

TEST_CASE("multiaddr: random byte strings never crash and accepted ones round-trip") {
  std::mt19937_64 rng(7);
  const auto protocols = identity::multiaddr_protocols();
  std::size_t accepted = 0;
  for (int i = 0; i < 20000; ++i) {
    Bytes b;
    // Mostly well-framed codes with random values, so that values get exercised.
    const auto n = 1 + rng() % 4;
    for (std::uint64_t k = 0; k < n; ++k) {
      const auto& p = protocols[rng() % protocols.size()];
      identity::append_uvarint(b, p.code);
      std::size_t len = p.size == identity::ValueSize::fixed ? p.fixed_bytes : rng() % 48;
      if (p.size == identity::ValueSize::variable) identity::append_uvarint(b, len);
      if (p.size == identity::ValueSize::none) len = 0;
      for (std::size_t j = 0; j < len; ++j) b.push_back(static_cast<std::uint8_t>(rng()));
    }
    if (rng() % 8 == 0 && !b.empty()) b[rng() % b.size()] ^= static_cast<std::uint8_t>(1u << (rng() % 8));
    auto a = Multiaddr::from_bytes(b);
    if (!a) continue;
    ++accepted;
    CHECK(a.value().bytes() == b);
    auto again = Multiaddr::parse(a.value().to_string());
    REQUIRE(again.has_value());
    CHECK(again.value() == a.value());
  }
  CHECK(accepted > 1000);
}

// --- operations --------------------------------------------------------------------------

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
