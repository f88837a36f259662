#pragma once
// Helpers and published reference vectors shared by the multiaddr unit tests
// (multiaddr_test.cpp, multiaddr_errors_test.cpp, multiaddr_properties_test.cpp and
// multiaddr_operations_test.cpp).

#include <weft/bytes.hpp>
#include <weft/multiaddr.hpp>

#include "identity/multiaddr_protocols.hpp"
#include "identity/varint.hpp"

#include <doctest/doctest.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace weft::test {

inline Multiaddr ma(std::string_view text) {
  auto parsed = Multiaddr::parse(text);
  INFO("parsing ", std::string(text));
  if (!parsed) INFO("error: ", parsed.error().message());
  REQUIRE(parsed.has_value());
  return parsed.value();
}

inline constexpr std::string_view kQmcg = "QmcgpsyWgH8Y8ajJz1Cu72KnS5uo2Aa2LpzU7kinSupNKC";
inline constexpr std::string_view kQmcgHex = "a503221220d52ebb89d85b02a284948203a62ff28389c57c9f42beec4ec20db76a68911c0b";

// go-multiaddr multiaddr_test.go: the garlic64 destination in TestStringToBytes (387 bytes).
inline constexpr std::string_view kGarlic64 =
    "jT~IyXaoauTni6N4517EG8mrFUKpy0IlgZh-EY9csMAk82Odatmzr~YTZy8Hv7u~wvkg75EFNOyqb~nAPg-khyp2TS~ObUz8WlqYAM2VlEzJ7wJ"
    "B91P-cUlKF18zSzVoJFmsrcQHZCirSbWoOknS6iNmsGRh5KVZsBEfp1Dg3gwTipTRIx7Vl5Vy~1OSKQVjYiGZS9q8RL0MF~7xFiKxZDLbPxk0AK"
    "9TzGGqm~wMTI2HS0Gm4Ycy8LYPVmLvGonIBYndg2bJC7WLuF6tVjVquiokSVDKFwq70BCUU5AU-EvdOD5KEOAM7mPfw-gJUG4tm1TtvcobrObqo"
    "RnmhXPTBTN5H7qDD12AvlwFGnfAlBXjuP4xOUAISL5SRLiulrsMSiT4GcugSI80mF6sdB0zWRgL1yyvoVWeTBn1TqjO27alr95DGTluuSqrNAx"
    "gpQzCKEWAyzrQkBfo2avGAmmz2NaHaAvYbOg0QSJz1PLjv2jdPW~ofiQmrGWM1cd~1cCqAAAA";
inline constexpr std::string_view kGarlic64Hex =
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
inline const std::vector<Vector> kVectors = {
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

/// `a` prints to text that parses back to it, and its bytes decode back to it.
inline void check_round_trips(const Multiaddr& a) {
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
inline void append_raw(Bytes& out, std::uint64_t code, ByteView value) {
  const auto* protocol = identity::find_multiaddr_protocol(code);
  REQUIRE(protocol != nullptr);
  identity::append_uvarint(out, code);
  if (protocol->size == identity::ValueSize::variable) identity::append_uvarint(out, value.size());
  out.insert(out.end(), value.begin(), value.end());
}

}  // namespace weft::test
