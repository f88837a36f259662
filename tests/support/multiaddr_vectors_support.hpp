#pragma once
// Checks shared by the tests against the JavaScript multiaddr vectors
// (multiaddr_vectors_test.cpp and multiaddr_bytes_vectors_test.cpp).

#include <weft/bytes.hpp>
#include <weft/multiaddr.hpp>

#include "identity/hex.hpp"
#include "jsonl.hpp"
#include "test_bytes.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace weft::test {

inline Bytes hex_field(const nlohmann::json& record, const char* key) {
  const std::string text = str_field(record, key);
  auto bytes = identity::hex_decode(text);
  REQUIRE_MESSAGE(bytes.has_value(), key << " is not hex: " << text);
  return std::move(bytes).value();
}

/// weft's answer in one line: "ok <text> [<hex>]" or "error: <message>".
inline std::string describe(const Result<Multiaddr>& r) {
  if (!r) return "error: " + r.error().message();
  return "ok " + json_quote(r.value().to_string()) + " [" + to_hex(r.value().bytes()) + "]";
}

/// A short category for a mismatch: `what`, plus weft's error with quoted values and
/// numbers blanked, so that one cause shows up as one line in the summary.
inline std::string category(std::string_view what, const Result<Multiaddr>& weft) {
  std::string out(what);
  if (weft) return out;
  out += ": ";
  bool quoted = false;
  for (const char c : weft.error().message()) {
    if (c == '\'') {
      if (!quoted) out += "'...'";
      quoted = !quoted;
    } else if (quoted) {
      continue;
    } else if (c >= '0' && c <= '9') {
      if (out.back() != '#') out += '#';
    } else {
      out += c;
    }
  }
  return out;
}

/// Self-consistency of an address weft accepted: its text parses back to the same bytes,
/// and its bytes decode back to the same text. Returns "" or what failed.
inline std::string self_consistency(const Multiaddr& addr) {
  const std::string text = addr.to_string();
  auto reparsed = Multiaddr::parse(text);
  if (!reparsed) return "its text " + json_quote(text) + " does not parse: " + reparsed.error().message();
  if (reparsed.value().bytes() != addr.bytes()) {
    return "its text " + json_quote(text) + " parses to other bytes " + to_hex(reparsed.value().bytes());
  }
  auto decoded = Multiaddr::from_bytes(addr.bytes());
  if (!decoded) return "its bytes do not decode: " + decoded.error().message();
  if (decoded.value().to_string() != text) return "its bytes decode to " + json_quote(decoded.value().to_string());
  return {};
}

/// ::ffff:0:0/96 (RFC 4291 section 2.5.5.2).
inline bool is_ipv4_mapped(ByteView ip6) {
  return std::all_of(ip6.begin(), ip6.begin() + 10, [](std::uint8_t b) { return b == 0; }) && ip6[10] == 0xff &&
         ip6[11] == 0xff;
}

// ---------------------------------------------------------------------------------------
// For the protocols js prints differently, js cannot check weft's printer, so the canonical
// value text of docs/multiaddr.md is computed here independently and compared for every
// such component weft accepts (in both files, including known_diff vectors):
//   ip6 IPv4-mapped  ::ffff:a.b.c.d (go ip6BtS, rust Ipv6Addr Display)
//   unix             the raw path (go unixBtS)
//   http-path        every byte but A-Z a-z 0-9 - . _ ~ as %XX, upper-case hex (go's
//                    QueryEscape, except that space is %20 rather than '+', as rust prints)
//   garlic32         RFC 4648 base32, lower-case, no padding (go garlic32BtS, rust)
//   garlic64         I2P base64 (A-Z a-z 0-9 - ~), padded (go garlic64BtS)

inline std::string radix_encode(ByteView in, std::string_view alphabet, int bits, bool pad) {
  std::string out;
  std::uint32_t buffer = 0;
  int held = 0;
  for (std::uint8_t b : in) {
    buffer = (buffer << 8) | b;
    held += 8;
    while (held >= bits) {
      held -= bits;
      out += alphabet[(buffer >> held) & ((1u << bits) - 1)];
    }
  }
  if (held > 0) out += alphabet[(buffer << (bits - held)) & ((1u << bits) - 1)];
  const std::size_t group = bits == 5 ? 8 : 4;
  while (pad && out.size() % group != 0) out += '=';
  return out;
}

inline std::optional<std::string> reference_value_text(const MultiaddrComponent& c) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  const ByteView v = c.value;
  if (c.name == "ip6") {
    if (!is_ipv4_mapped(v)) return std::nullopt;  // checked against js's text instead
    return "::ffff:" + std::to_string(v[12]) + "." + std::to_string(v[13]) + "." + std::to_string(v[14]) + "." +
           std::to_string(v[15]);
  }
  if (c.name == "unix") return std::string(as_chars(v));
  if (c.name == "http-path") {
    std::string out;
    for (std::uint8_t b : v) {
      if ((b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9') || b == '-' || b == '.' ||
          b == '_' || b == '~') {
        out += static_cast<char>(b);
      } else {
        out += '%';
        out += kHex[b >> 4];
        out += kHex[b & 0xf];
      }
    }
    return out;
  }
  if (c.name == "garlic32") return radix_encode(v, "abcdefghijklmnopqrstuvwxyz234567", 5, false);
  if (c.name == "garlic64") {
    return radix_encode(v, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-~", 6, true);
  }
  return std::nullopt;
}

/// "" or the first component whose value text differs from reference_value_text().
inline std::string check_reference_printing(const Multiaddr& addr) {
  for (const auto& c : addr.components()) {
    const auto expected = reference_value_text(c);
    if (expected && c.value_text() != *expected) {
      return std::string(c.name) + " value prints as " + json_quote(c.value_text()) + ", expected " +
             json_quote(*expected);
    }
  }
  return {};
}

}  // namespace weft::test
