// Tests for src/identity/multiaddr_values.cpp: each value codec's text form, binary checks
// and canonical output, including the cases where the reference implementations differ.
#include "identity/multiaddr_values.hpp"

#include "identity/base64.hpp"
#include "identity/hex.hpp"
#include "test_bytes.hpp"

#include <doctest/doctest.h>

#include <string>
#include <string_view>
#include <vector>

namespace weft::identity {
namespace {

Bytes hex(std::string_view text) { return hex_decode(text).value(); }

/// Text -> bytes (as hex), or "error: <detail>".
std::string from_text(ValueCodec codec, std::string_view text) {
  auto r = multiaddr_value_from_text(codec, text);
  if (!r) {
    REQUIRE(r.error() == Errc::multiaddr_invalid_value);
    return "error: " + r.error().detail();
  }
  return hex_encode(r.value());
}

bool accepted(ValueCodec codec, std::string_view text) { return multiaddr_value_from_text(codec, text).has_value(); }

/// Text -> bytes -> canonical text.
std::string canonical(ValueCodec codec, std::string_view text) {
  auto r = multiaddr_value_from_text(codec, text);
  if (!r) return "error: " + r.error().detail();
  REQUIRE(check_multiaddr_value(codec, r.value()).has_value());
  return multiaddr_value_to_text(codec, r.value());
}

std::string check_bytes(ValueCodec codec, ByteView value) {
  auto r = check_multiaddr_value(codec, value);
  if (r) return "ok";
  REQUIRE(r.error() == Errc::multiaddr_invalid_value);
  return r.error().detail();
}

}  // namespace

TEST_CASE("multiaddr values: ip4 is strict dotted decimal") {
  CHECK(from_text(ValueCodec::ip4, "127.0.0.1") == "7f000001");
  CHECK(from_text(ValueCodec::ip4, "0.0.0.0") == "00000000");
  CHECK(from_text(ValueCodec::ip4, "255.255.255.255") == "ffffffff");
  CHECK(canonical(ValueCodec::ip4, "10.20.30.40") == "10.20.30.40");
  for (std::string_view bad : {"", "1.2.3", "1.2.3.4.5", "256.1.1.1", "999.1.1.1", "01.2.3.4", "1.2.3.04", "1.2.3.00",
                               "0x1.2.3.4", "1.2.3.4 ", " 1.2.3.4", "+1.2.3.4", "1.2.3.-4", "1..2.3", "1.2.3.",
                               "::1", "::ffff:1.2.3.4", "1.2.3.4/24", "1234.1.1.1", "1.2.3.4%eth0"}) {
    CAPTURE(bad);
    CHECK_FALSE(accepted(ValueCodec::ip4, bad));
  }
  CHECK(from_text(ValueCodec::ip4, "1.2.3") == "error: '1.2.3' is not an IPv4 address (dotted decimal, no leading zeros)");
  CHECK(check_bytes(ValueCodec::ip4, test::bytes({1, 2, 3, 4})) == "ok");
  CHECK(check_bytes(ValueCodec::ip4, test::bytes({1, 2, 3})) == "ip4 address must be 4 bytes, got 3");
}

TEST_CASE("multiaddr values: ip6 parses RFC 4291 text and prints RFC 5952") {
  struct Case {
    std::string_view in, out;
  };
  const std::vector<Case> cases = {
      // RFC 5952 section 4 examples and rules.
      {"2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"},   // 4.2.3: first of equal runs
      {"2001:0db8:0:0:0:0:2:1", "2001:db8::2:1"},      // 4.1: no leading zeros
      {"2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"},  // 4.2.2: one zero group stays
      {"2001:db8::1:1:1:1:1", "2001:db8:0:1:1:1:1:1"},
      {"2001:0:0:1:0:0:0:1", "2001:0:0:1::1"},         // 4.2.3: the longest run
      {"2001:DB8::AbCd", "2001:db8::abcd"},             // 4.3: lower case
      {"0:0:0:0:0:0:0:0", "::"},
      {"::", "::"},
      {"::1", "::1"},
      {"1::", "1::"},
      {"0:0:0:0:0:0:0:1", "::1"},
      {"1:0:0:0:0:0:0:0", "1::"},
      {"1:2:3:4:5:6:7::", "1:2:3:4:5:6:7:0"},  // "::" standing for one group (accepted, not printed)
      {"::2:3:4:5:6:7:8", "0:2:3:4:5:6:7:8"},
      {"0000:0000::0001", "::1"},
      {"fe80::9700:803e:ca65:66e8:c21", "fe80::9700:803e:ca65:66e8:c21"},
      // IPv4-mapped addresses print with the dotted suffix (as go-multiaddr and Rust).
      {"::ffff:192.0.2.1", "::ffff:192.0.2.1"},
      {"::ffff:c000:201", "::ffff:192.0.2.1"},
      {"0:0:0:0:0:ffff:0.0.0.0", "::ffff:0.0.0.0"},
      // Other embedded-IPv4 forms print in hex.
      {"::192.0.2.1", "::c000:201"},
      {"64:ff9b::192.0.2.33", "64:ff9b::c000:221"},
      {"1:2:3:4:5:6:1.2.3.4", "1:2:3:4:5:6:102:304"},
      {"::fffe:1.2.3.4", "::fffe:102:304"},
      {"::1:ffff:1.2.3.4", "::1:ffff:102:304"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.in);
    CHECK(canonical(ValueCodec::ip6, c.in) == c.out);
    CHECK(canonical(ValueCodec::ip6, c.out) == c.out);
  }
  CHECK(from_text(ValueCodec::ip6, "2001:db8::1") == "20010db8000000000000000000000001");
  for (std::string_view bad :
       {"", ":", ":::", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7", "1::2::3", ":1::", "1:", ":1", "1::2:", "12345::",
        "::g", "1.2.3.4", "fe80::1%eth0", "::ffff:01.2.3.4", "::ffff:1.2.3", "1:2:3:4:5:6:7:8::", "::1:2:3:4:5:6:7:8",
        "1:2:3:4:5:6:7:1.2.3.4", "::1.2.3.4:5", "[::1]", " ::1", "::1 ", "::-1", "0x1::"}) {
    CAPTURE(bad);
    CHECK_FALSE(accepted(ValueCodec::ip6, bad));
  }
  CHECK(check_bytes(ValueCodec::ip6, Bytes(15)) == "ip6 address must be 16 bytes, got 15");
}

TEST_CASE("multiaddr values: decimal values (ports, ipcidr, memory)") {
  CHECK(from_text(ValueCodec::port, "0") == "0000");
  CHECK(from_text(ValueCodec::port, "1234") == "04d2");
  CHECK(from_text(ValueCodec::port, "65535") == "ffff");
  CHECK(from_text(ValueCodec::port, "65536") == "error: port 65536 out of range 0..65535");
  CHECK(from_text(ValueCodec::port, "70000") == "error: port 70000 out of range 0..65535");
  CHECK(from_text(ValueCodec::port, "99999999999999999999999") ==
        "error: port '99999999999999999999999' out of range 0..65535");
  CHECK(from_text(ValueCodec::port, "18446744073709551616") == "error: port 18446744073709551616 out of range 0..65535");
  CHECK(from_text(ValueCodec::port, "080") == "error: port '080' has a leading zero");
  CHECK(from_text(ValueCodec::port, "-1") == "error: port '-1' is not a decimal number");
  for (std::string_view bad : {"+1", " 1", "1 ", "0x10", "1e3", "１"}) {
    CAPTURE(bad);
    CHECK_FALSE(accepted(ValueCodec::port, bad));
  }
  CHECK(canonical(ValueCodec::port, "4001") == "4001");
  CHECK(multiaddr_value_to_text(ValueCodec::port, test::bytes({0xff, 0xff})) == "65535");

  CHECK(from_text(ValueCodec::ipcidr, "24") == "18");
  CHECK(from_text(ValueCodec::ipcidr, "255") == "ff");
  CHECK(from_text(ValueCodec::ipcidr, "256") == "error: mask 256 out of range 0..255");
  CHECK(multiaddr_value_to_text(ValueCodec::ipcidr, test::bytes({0})) == "0");

  CHECK(from_text(ValueCodec::memory, "4") == "0000000000000004");
  CHECK(from_text(ValueCodec::memory, "18446744073709551615") == "ffffffffffffffff");
  CHECK(from_text(ValueCodec::memory, "18446744073709551616") ==
        "error: memory address 18446744073709551616 out of range 0..18446744073709551615");
  CHECK(multiaddr_value_to_text(ValueCodec::memory, hex("ffffffffffffffff")) == "18446744073709551615");
  CHECK(check_bytes(ValueCodec::memory, Bytes(7)) == "memory address must be 8 bytes, got 7");
}

TEST_CASE("multiaddr values: onion and onion3") {
  CHECK(from_text(ValueCodec::onion, "aaimaq4ygg2iegci:80") == "0010c0439831b48218480050");
  CHECK(canonical(ValueCodec::onion, "timaq4ygg2iegci7:1234") == "timaq4ygg2iegci7:1234");
  CHECK(from_text(ValueCodec::onion, "aaimaq4ygg2iegci") == "error: onion address 'aaimaq4ygg2iegci' has no ':port'");
  CHECK(from_text(ValueCodec::onion, "aaimaq4ygg2iegci:0") == "error: onion port 0 out of range 1..65535");
  CHECK(from_text(ValueCodec::onion, "aaimaq4ygg2iegci:65536") == "error: onion port 65536 out of range 1..65535");
  CHECK(from_text(ValueCodec::onion, "aaimaq4ygg2iegci:1:2") ==
        "error: onion address 'aaimaq4ygg2iegci:1:2' has more than one ':'");
  CHECK(from_text(ValueCodec::onion, "aaimaq4ygg2iegci7:80") ==
        "error: onion host 'aaimaq4ygg2iegci7' must be 16 base32 characters, got 17");
  CHECK(from_text(ValueCodec::onion, "AAIMAQ4YGG2IEGCI:80") == from_text(ValueCodec::onion, "aaimaq4ygg2iegci:80"));  // any case
  CHECK_FALSE(accepted(ValueCodec::onion, "9imaq4ygg2iegci7:80"));
  // Leading zeros in the port: go, rust and js all read "080" as 80 (unlike /tcp/080).
  CHECK(canonical(ValueCodec::onion, "aaimaq4ygg2iegci:080") == "aaimaq4ygg2iegci:80");
  CHECK(canonical(ValueCodec::onion, "aaimaq4ygg2iegci:000000000000000000000000001") == "aaimaq4ygg2iegci:1");
  CHECK(from_text(ValueCodec::onion, "aaimaq4ygg2iegci:00") == "error: onion port 00 out of range 1..65535");
  CHECK(from_text(ValueCodec::onion, "aaimaq4ygg2iegci:065536") == "error: onion port 065536 out of range 1..65535");
  CHECK(check_bytes(ValueCodec::onion, hex("0010c0439831b48218480000")) == "onion port 0 out of range 1..65535");
  CHECK(check_bytes(ValueCodec::onion, hex("0010c0439831b482184800")) == "onion must be 12 bytes, got 11");

  const std::string host3 = "vww6ybal4bd7szmgncyruucpgfkqahzddi37ktceo3ah7ngmcopnpyyd";
  CHECK(from_text(ValueCodec::onion3, host3 + ":1234") ==
        "adadec040be047f9658668b11a504f3155001f231a37f54c4476c07fb4cc139ed7e30304d2");
  CHECK(canonical(ValueCodec::onion3, host3 + ":1") == host3 + ":1");
  CHECK_FALSE(accepted(ValueCodec::onion3, host3 + "7:80"));
  CHECK_FALSE(accepted(ValueCodec::onion3, host3));
  CHECK_FALSE(accepted(ValueCodec::onion3, host3 + ":0"));
  CHECK(check_bytes(ValueCodec::onion3, Bytes(37, 0)) == "onion3 port 0 out of range 1..65535");
}

TEST_CASE("multiaddr values: garlic64 uses the I2P alphabet and the references' length bounds") {
  for (std::size_t n : {kMinGarlic64Bytes, std::size_t{391}, std::size_t{392}, kMaxGarlic64Bytes}) {
    CAPTURE(n);
    Bytes value(n);
    for (std::size_t i = 0; i < n; ++i) value[i] = static_cast<std::uint8_t>(i * 7 + 0xf8);
    const std::string padded = base64_encode(value, Base64Alphabet::i2p, Base64Padding::padded);
    const std::string unpadded = base64_encode(value, Base64Alphabet::i2p, Base64Padding::none);
    CHECK(multiaddr_value_to_text(ValueCodec::garlic64, value) == padded);  // printed as go-multiaddr
    CHECK(multiaddr_value_from_text(ValueCodec::garlic64, padded).value() == value);
    CHECK(multiaddr_value_from_text(ValueCodec::garlic64, unpadded).value() == value);  // as rust-multiaddr prints
    CHECK(padded.find_first_of("+/") == std::string::npos);
  }
  CHECK(check_bytes(ValueCodec::garlic64, Bytes(386)) == "garlic64 destination of 386 bytes, expected 387..462");
  CHECK(check_bytes(ValueCodec::garlic64, Bytes(463)) == "garlic64 destination of 463 bytes, expected 387..462");
  CHECK_FALSE(accepted(ValueCodec::garlic64, base64_encode(Bytes(386), Base64Alphabet::i2p, Base64Padding::padded)));
  CHECK_FALSE(accepted(ValueCodec::garlic64, base64_encode(Bytes(390), Base64Alphabet::standard, Base64Padding::padded) + "+"));
  CHECK_FALSE(accepted(ValueCodec::garlic64, "jT~"));
  // Standard-alphabet '+' and '/' are not I2P characters.
  Bytes ones(390, 0xfb);
  const std::string std64 = base64_encode(ones, Base64Alphabet::standard, Base64Padding::none);
  REQUIRE(std64.find_first_of("+/") != std::string::npos);
  CHECK_FALSE(accepted(ValueCodec::garlic64, std64));
}

TEST_CASE("multiaddr values: garlic32 is 32 or at least 35 bytes of lower-case base32") {
  CHECK(from_text(ValueCodec::garlic32, "566niximlxdzpanmn4qouucvua3k7neniwss47li5r6ugoertzuq") ==
        "efbcd45d0c5dc79781ac6f20ea5055a036afb48d45a52e7d68ec7d4338919e69");
  CHECK(check_bytes(ValueCodec::garlic32, Bytes(32)) == "ok");
  CHECK(check_bytes(ValueCodec::garlic32, Bytes(33)) == "garlic32 address of 33 bytes, expected 32 or at least 35");
  CHECK(check_bytes(ValueCodec::garlic32, Bytes(34)) == "garlic32 address of 34 bytes, expected 32 or at least 35");
  CHECK(check_bytes(ValueCodec::garlic32, Bytes(35)) == "ok");
  CHECK(check_bytes(ValueCodec::garlic32, Bytes(31)) == "garlic32 address of 31 bytes, expected 32 or at least 35");
  CHECK_FALSE(accepted(ValueCodec::garlic32, "566NIXIMLXDZPANMN4QOUUCVUA3K7NENIWSS47LI5R6UGOERTZUQ"));
  CHECK_FALSE(accepted(ValueCodec::garlic32, "566niximlxdzpanmn4qouucvua3k7neniwss47li5r6ugoertzuq===="));
  CHECK(multiaddr_value_to_text(ValueCodec::garlic32, Bytes(32)) == std::string(52, 'a'));
}

TEST_CASE("multiaddr values: p2p takes base58btc or a libp2p-key CID, prints base58btc") {
  constexpr std::string_view kQmcg = "QmcgpsyWgH8Y8ajJz1Cu72KnS5uo2Aa2LpzU7kinSupNKC";
  const std::string qmcg_hex = "1220d52ebb89d85b02a284948203a62ff28389c57c9f42beec4ec20db76a68911c0b";
  CHECK(from_text(ValueCodec::p2p, kQmcg) == qmcg_hex);
  CHECK(from_text(ValueCodec::p2p, "bafzbeigvf25ytwc3akrijfecaotc74udrhcxzh2cx3we5qqnw5vgrei4bm") == qmcg_hex);
  CHECK(multiaddr_value_to_text(ValueCodec::p2p, hex(qmcg_hex)) == kQmcg);
  CHECK(canonical(ValueCodec::p2p, "12D3KooWCryG7Mon9orvQxcS1rYZjotPgpwoJNHHKcLLfE4Hf5mV") ==
        "12D3KooWCryG7Mon9orvQxcS1rYZjotPgpwoJNHHKcLLfE4Hf5mV");
  for (std::string_view bad : {"QmxoHT6iViN5xAjoz1VZ553cL31U9F94ht3QvWR1FrEbZY", "Qm0", "tcp", "?unknownmultibase",
                               "k2k4r8oqamigqdo6o7hsbfwd45y70oyynp98usk7zmyfrzpqxh1pohl-"}) {
    CAPTURE(bad);
    CHECK_FALSE(accepted(ValueCodec::p2p, bad));
  }
  CHECK(from_text(ValueCodec::p2p, "tcp").rfind("error: PeerId 'tcp': ", 0) == 0);
  CHECK(check_bytes(ValueCodec::p2p, hex("1221c05877cbae039d70a5e600ea02c6f9f2942439285c9e344e26f8d280c850fad6")) != "ok");
  CHECK(check_bytes(ValueCodec::p2p, hex("1300")) != "ok");  // sha2-512 is not a PeerId hash
}

TEST_CASE("multiaddr values: certhash takes any supported multibase, prints base64url") {
  const std::string sha = "1220c3ab8ff13720e8ad9047dd39466b3c8974e592c2fa383d4a3960714caef0c4f2";
  CHECK(from_text(ValueCodec::certhash, "uEiDDq4_xNyDorZBH3TlGazyJdOWSwvo4PUo5YHFMrvDE8g") == sha);
  CHECK(from_text(ValueCodec::certhash, "zQmbWTwYGcmdyK9CYfNBcfs9nhZs17a6FQ4Y8oea278xx41") == sha);
  CHECK(from_text(ValueCodec::certhash, "f" + sha) == sha);
  CHECK(multiaddr_value_to_text(ValueCodec::certhash, hex(sha)) == "uEiDDq4_xNyDorZBH3TlGazyJdOWSwvo4PUo5YHFMrvDE8g");
  CHECK(canonical(ValueCodec::certhash, "b2uaraocy6yrdblb4sfptaddgimjmmpy") == "u1QEQOFj2IjCsPJFfMAxmQxLGPw");
  CHECK_FALSE(accepted(ValueCodec::certhash, "b2uaraocy6yrdblb4sfptaddgimjmmp"));  // one character short
  CHECK_FALSE(accepted(ValueCodec::certhash, "f" + sha + "00"));                   // trailing byte
  CHECK_FALSE(accepted(ValueCodec::certhash, "f1210c3ab"));                       // sha2-256 of 16 bytes
  CHECK_FALSE(accepted(ValueCodec::certhash, "kabc"));                            // unsupported multibase
  CHECK(check_bytes(ValueCodec::certhash, hex("1220")) != "ok");
}

TEST_CASE("multiaddr values: names (dns, sni, ip6zone) are UTF-8 without '/'") {
  CHECK(from_text(ValueCodec::dns, "example.com") == "6578616d706c652e636f6d");
  CHECK(canonical(ValueCodec::dns, "b\xc3\xbc" "cher.example") == "b\xc3\xbc" "cher.example");
  CHECK(canonical(ValueCodec::ip6zone, "x%y") == "x%y");
  CHECK(check_bytes(ValueCodec::dns, test::bytes_of("a/b")) == "name 'a/b' contains '/'");
  CHECK(check_bytes(ValueCodec::dns, {}) == "empty name");
  CHECK(check_bytes(ValueCodec::ip6zone, test::bytes({0xff})) == "zone '\\xff' is not valid UTF-8");
  CHECK(check_bytes(ValueCodec::ip6zone, test::bytes_of("eth0/1")) == "zone 'eth0/1' contains '/'");
}

TEST_CASE("multiaddr values: unix is an absolute path without a trailing '/'") {
  CHECK(canonical(ValueCodec::unix_path, "/tmp/weft.sock") == "/tmp/weft.sock");
  CHECK(canonical(ValueCodec::unix_path, "/a//b") == "/a//b");
  CHECK(check_bytes(ValueCodec::unix_path, test::bytes_of("/")) == "unix path '/' must begin with '/' and name something");
  CHECK(check_bytes(ValueCodec::unix_path, test::bytes_of("a")) == "unix path 'a' must begin with '/' and name something");
  CHECK(check_bytes(ValueCodec::unix_path, test::bytes_of("tmp/x")) ==
        "unix path 'tmp/x' must begin with '/' and name something");
  CHECK(check_bytes(ValueCodec::unix_path, test::bytes_of("/a/")) == "unix path '/a/' must not end in '/'");
  CHECK(check_bytes(ValueCodec::unix_path, test::bytes({'/', 0xc0, 0x80})) == "unix path '/\\xc0\\x80' is not valid UTF-8");
}

TEST_CASE("multiaddr values: http-path is one percent-encoded segment") {
  CHECK(from_text(ValueCodec::http_path, "tmp%2Fbar") == hex_encode(test::bytes_of("tmp/bar")));
  CHECK(from_text(ValueCodec::http_path, "a%2520space") == hex_encode(test::bytes_of("a%20space")));
  CHECK(from_text(ValueCodec::http_path, "a%20space") == hex_encode(test::bytes_of("a space")));
  CHECK(from_text(ValueCodec::http_path, "%c3%a9") == "c3a9");
  CHECK(from_text(ValueCodec::http_path, ".well-known%2Flibp2p") == hex_encode(test::bytes_of(".well-known/libp2p")));
  // Every RFC 3986 pchar except '+' may appear raw; the output escapes all but unreserved.
  CHECK(canonical(ValueCodec::http_path, "a:b@c!$&'()*,;=d") == "a%3Ab%40c%21%24%26%27%28%29%2A%2C%3B%3Dd");
  CHECK(canonical(ValueCodec::http_path, "AZaz09-._~") == "AZaz09-._~");
  CHECK(canonical(ValueCodec::http_path, "tmp%2fbar") == "tmp%2Fbar");
  CHECK(multiaddr_value_to_text(ValueCodec::http_path, test::bytes_of("a b/c?d#e%")) == "a%20b%2Fc%3Fd%23e%25");
  CHECK(from_text(ValueCodec::http_path, "a+b") ==
        "error: http-path 'a+b': '+' is ambiguous (a space to go-multiaddr, '+' to others); write %2B or %20");
  CHECK(from_text(ValueCodec::http_path, "thisIsMissingAfullByte%f") ==
        "error: http-path 'thisIsMissingAfullByte%f': '%' at offset 22 is not followed by two hex digits");
  CHECK(from_text(ValueCodec::http_path, "a b") == "error: http-path 'a b': character at offset 1 must be percent-encoded");
  for (std::string_view bad : {"%", "%g0", "a?b", "a#b", "a\"b", "%ff", "%c3"}) {
    CAPTURE(bad);
    CHECK_FALSE(accepted(ValueCodec::http_path, bad));
  }
  CHECK(check_bytes(ValueCodec::http_path, {}) == "empty http-path");
  CHECK(check_bytes(ValueCodec::http_path, test::bytes({0xff})) == "http-path is not valid UTF-8");
}

TEST_CASE("multiaddr values: value-less codec and UTF-8 validation") {
  CHECK(check_bytes(ValueCodec::none, {}) == "ok");
  CHECK(check_bytes(ValueCodec::none, test::bytes({1})) == "value must be 0 bytes, got 1");
  CHECK(is_valid_utf8({}));
  CHECK(is_valid_utf8(test::bytes_of("plain ascii")));
  CHECK(is_valid_utf8(test::bytes_of("\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80")));  // é € 😀
  CHECK(is_valid_utf8(test::bytes_of("\xf4\x8f\xbf\xbf")));                      // U+10FFFF
  for (const Bytes& bad : {test::bytes({0x80}), test::bytes({0xc3}), test::bytes({0xc0, 0x80}),      // overlong NUL
                           test::bytes({0xe0, 0x80, 0x80}), test::bytes({0xed, 0xa0, 0x80}),        // surrogate
                           test::bytes({0xf4, 0x90, 0x80, 0x80}), test::bytes({0xf8, 0x88, 0x80, 0x80, 0x80}),
                           test::bytes({0xe2, 0x82}), test::bytes({0xe2, 0x28, 0xa1})}) {
    CAPTURE(hex_encode(bad));
    CHECK_FALSE(is_valid_utf8(bad));
  }
}

TEST_CASE("multiaddr values: quoting for messages is bounded and escapes control bytes") {
  CHECK(quote_for_message("abc") == "'abc'");
  CHECK(quote_for_message(std::string_view("a\0b", 3)) == "'a\\x00b'");
  CHECK(quote_for_message("it's") == "'it\\x27s'");
  CHECK(quote_for_message(std::string(100, 'z')) == "'" + std::string(64, 'z') + "...'");
}

}  // namespace weft::identity
