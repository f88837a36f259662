// Round-trip properties of src/identity/multiaddr.cpp: random valid addresses through both
// forms, and random byte strings never crash the decoder.
#include <weft/multiaddr.hpp>

#include "identity/multiaddr_protocols.hpp"
#include "identity/varint.hpp"
#include "multiaddr_test_support.hpp"
#include "test_bytes.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <random>
#include <set>
#include <string>
#include <string_view>

namespace weft {
namespace {

using test::to_hex;

using test::append_raw;

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

}  // namespace weft
