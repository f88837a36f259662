// Errors of src/identity/multiaddr.cpp: each text and binary error with the component named,
// the size bounds, and inputs cut at every byte or character.
#include <weft/multiaddr.hpp>

#include "identity/multiaddr_protocols.hpp"
#include "identity/varint.hpp"
#include "multiaddr_test_support.hpp"
#include "test_bytes.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace weft {
namespace {

using test::outcome_of;
using test::hex;

using test::to_hex;

using test::append_raw;
using test::check_round_trips;
using test::kGarlic64Hex;
using test::kVectors;
using test::ma;

}  // namespace

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

}  // namespace weft
