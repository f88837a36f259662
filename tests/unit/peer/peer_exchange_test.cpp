// Tests for src/peer/peer_exchange.cpp: request and response round trips, every limit (on
// decode and on encode), dropping of invalid entries, truncation at every byte and a bit
// flip at every byte, and the answering side's sample (bounded, shuffled, exclusions,
// deterministic per seed).
#include "peer/peer_exchange.hpp"

#include "peer_exchange.pb.h"
#include "test_peer_id.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <set>
#include <string>

namespace weft::peer {
namespace {

using test::test_peer;

Multiaddr addr(const std::string& text) { return Multiaddr::parse(text).value(); }
Multiaddr addr(int host, int port = 4001) {
  return addr("/ip4/10.0." + std::to_string(host / 256) + "." + std::to_string(host % 256) + "/tcp/" +
              std::to_string(port));
}

ExchangeRecord record(std::uint8_t peer, int addrs = 2) {
  ExchangeRecord r{test_peer(peer), {}};
  for (int i = 0; i < addrs; ++i) r.addrs.push_back(addr(peer, 4000 + i));
  return r;
}

std::string str(const Bytes& b) { return std::string(b.begin(), b.end()); }
Bytes bytes_of(const std::string& s) { return Bytes(s.begin(), s.end()); }

/// A hand-built response protobuf (for inputs our encoder refuses to make).
struct RawResponse {
  wire::PeerExchangeResponse m;
  wire::PeerRecord* add(const Bytes& peer_id) {
    auto* r = m.add_peers();
    r->set_peer_id(str(peer_id));
    return r;
  }
  Bytes bytes() const { return bytes_of(m.SerializeAsString()); }
};

const PeerExchangeLimits kLimits{};

}  // namespace

TEST_CASE("px: the protocol id and the default limits") {
  CHECK(kPeerExchangeProtocol == "/weft/px/1.0.0");
  CHECK(kLimits.max_peers_per_response == 32);
  CHECK(kLimits.max_addrs_per_peer == 8);
  CHECK(kLimits.max_addr_bytes == 256);
}

TEST_CASE("px: a request round-trips; max_peers is capped when answered") {
  for (std::uint32_t n : {0u, 1u, 32u, 1000u}) {
    auto decoded = decode_request(encode_request({n}), kLimits);
    REQUIRE(decoded.has_value());
    CHECK(decoded.value().max_peers == n);
  }
  CHECK(requested_peers({0}, kLimits) == 32);
  CHECK(requested_peers({5}, kLimits) == 5);
  CHECK(requested_peers({1000}, kLimits) == 32);
}

TEST_CASE("px: request errors") {
  CHECK(decode_request(Bytes(65, 0), kLimits).error() == Errc::px_message_too_large);
  CHECK(decode_request(Bytes{0x08}, kLimits).error() == Errc::px_malformed);        // varint missing
  CHECK(decode_request(Bytes{0x08, 0x80}, kLimits).error() == Errc::px_malformed);  // truncated varint
  CHECK(decode_request(Bytes{0x0b}, kLimits).error() == Errc::px_malformed);        // group start
  CHECK(decode_request(Bytes{0x00}, kLimits).error() == Errc::px_malformed);        // field 0
  CHECK(decode_request(Bytes{0x12, 0x05, 0x01}, kLimits).error() == Errc::px_malformed);  // length past end
  CHECK(decode_request(Bytes{}, kLimits).value().max_peers == 0);  // empty: all defaults
}

TEST_CASE("px: a response round-trips") {
  PeerExchangeResponse r;
  r.peers = {record(1, 1), record(2, 8), record(3, 3)};
  r.peers[2].addrs.push_back(addr("/ip6/2001:db8::1/tcp/1/p2p/" + test_peer(3).to_base58()));
  r.peers[1].addrs[0] = addr("/dns4/example.com/tcp/4001");
  auto encoded = encode_response(r, kLimits);
  REQUIRE(encoded.has_value());
  auto decoded = decode_response(encoded.value(), kLimits);
  REQUIRE(decoded.has_value());
  CHECK(decoded.value().response.peers == r.peers);
  CHECK(decoded.value().dropped_records == 0);
  CHECK(decoded.value().dropped_addrs == 0);
  // An empty response is fine.
  CHECK(decode_response(encode_response({}, kLimits).value(), kLimits).value().response.peers.empty());
}

TEST_CASE("px: the worst case our limits allow encodes within max_message_bytes") {
  PeerExchangeResponse r;
  // /dns4/<name>/tcp/65535: code 1 + length 2 + name + code 1 + port 2 = 256 bytes.
  const Multiaddr longest = addr("/dns4/" + std::string(250, 'a') + "/tcp/65535");
  REQUIRE(longest.bytes().size() == kLimits.max_addr_bytes);
  for (std::uint8_t p = 0; p < 32; ++p) r.peers.push_back(ExchangeRecord{test_peer(p), std::vector<Multiaddr>(8, longest)});
  auto encoded = encode_response(r, kLimits);
  REQUIRE(encoded.has_value());
  CHECK(encoded.value().size() <= kLimits.max_message_bytes);
}

TEST_CASE("px: decode refuses a message over each limit") {
  SUBCASE("message bytes") {
    CHECK(decode_response(Bytes(kLimits.max_message_bytes + 1, 0), kLimits).error() == Errc::px_message_too_large);
  }
  SUBCASE("records") {
    RawResponse raw;
    for (int i = 0; i < 33; ++i) raw.add(test_peer(static_cast<std::uint8_t>(i)).bytes())->add_addrs(str(addr(i).bytes()));
    CHECK(decode_response(raw.bytes(), kLimits).error() == Errc::px_too_many_peers);
  }
  SUBCASE("addresses per record") {
    RawResponse raw;
    auto* r = raw.add(test_peer(1).bytes());
    for (int i = 0; i < 9; ++i) r->add_addrs(str(addr(i).bytes()));
    CHECK(decode_response(raw.bytes(), kLimits).error() == Errc::px_too_many_addrs);
  }
  SUBCASE("address bytes") {
    RawResponse raw;
    raw.add(test_peer(1).bytes())->add_addrs(std::string(257, '\x04'));
    const auto e = decode_response(raw.bytes(), kLimits).error();
    CHECK(e == Errc::px_addr_too_long);
    CHECK(e.message().find("257 address bytes, limit 256") != std::string::npos);
  }
  SUBCASE("PeerId bytes") {
    RawResponse raw;
    raw.add(Bytes(257, 0x12))->add_addrs(str(addr(1).bytes()));
    CHECK(decode_response(raw.bytes(), kLimits).error() == Errc::px_addr_too_long);
  }
  SUBCASE("not a protobuf") {
    CHECK(decode_response(Bytes{0x0a, 0x05, 0x00}, kLimits).error() == Errc::px_malformed);
    CHECK(decode_response(Bytes{0x0a, 0x02, 0x0a, 0x05}, kLimits).error() == Errc::px_malformed);  // nested past end
    CHECK(decode_response(Bytes{0x0f}, kLimits).error() == Errc::px_malformed);  // wire type 7
    CHECK(decode_response(Bytes{0x09, 0x01}, kLimits).error() == Errc::px_malformed);  // truncated fixed64
    CHECK(decode_response(Bytes{0x0d, 0x01}, kLimits).error() == Errc::px_malformed);  // truncated fixed32
  }
  SUBCASE("smaller limits given by the caller") {
    PeerExchangeLimits tight;
    tight.max_peers_per_response = 1;
    PeerExchangeResponse r;
    r.peers = {record(1), record(2)};
    CHECK(decode_response(encode_response(r, kLimits).value(), tight).error() == Errc::px_too_many_peers);
  }
}

TEST_CASE("px: unknown fields are skipped") {
  RawResponse raw;
  raw.add(test_peer(1).bytes())->add_addrs(str(addr(1).bytes()));
  Bytes body = raw.bytes();
  // field 7 varint, field 8 fixed64, field 9 fixed32, field 10 bytes
  const Bytes extra{0x38, 0x01, 0x41, 1, 2, 3, 4, 5, 6, 7, 8, 0x4d, 1, 2, 3, 4, 0x52, 0x01, 0x00};
  body.insert(body.end(), extra.begin(), extra.end());
  auto decoded = decode_response(body, kLimits);
  REQUIRE(decoded.has_value());
  CHECK(decoded.value().response.peers.size() == 1);
}

TEST_CASE("px: encode refuses what decode would refuse") {
  PeerExchangeResponse r;
  for (std::uint8_t p = 0; p < 33; ++p) r.peers.push_back(record(p, 1));
  CHECK(encode_response(r, kLimits).error() == Errc::px_too_many_peers);
  r.peers = {record(1, 9)};
  CHECK(encode_response(r, kLimits).error() == Errc::px_too_many_addrs);
  r.peers = {ExchangeRecord{test_peer(1), {addr("/dns4/" + std::string(300, 'a') + "/tcp/1")}}};
  CHECK(encode_response(r, kLimits).error() == Errc::px_addr_too_long);
  PeerExchangeLimits small;
  small.max_message_bytes = 20;
  r.peers = {record(1, 1)};
  CHECK(encode_response(r, small).error() == Errc::px_message_too_large);
}

TEST_CASE("px: invalid entries are dropped and counted, valid ones kept") {
  RawResponse raw;
  raw.add(Bytes{0x12, 0x20, 0x01})->add_addrs(str(addr(1).bytes()));  // bad PeerId: dropped with its addr
  auto* good = raw.add(test_peer(2).bytes());
  good->add_addrs(str(addr(2).bytes()));
  good->add_addrs(std::string("\xff\xff\xff", 3));                   // not a multiaddr
  good->add_addrs(str(addr(2).bytes()));                             // repeated
  good->add_addrs(str(addr("/ip4/1.2.3.4/tcp/1/p2p/" + test_peer(9).to_base58()).bytes()));  // another peer's
  good->add_addrs(str(addr("/ip4/1.2.3.4/tcp/1/p2p/" + test_peer(2).to_base58()).bytes()));  // its own: kept
  raw.add(test_peer(3).bytes())->add_addrs("");                      // no valid address left
  raw.add(test_peer(2).bytes())->add_addrs(str(addr(5).bytes()));    // repeated PeerId
  raw.add(test_peer(4).bytes());                                     // no address at all
  auto decoded = decode_response(raw.bytes(), kLimits);
  REQUIRE(decoded.has_value());
  const auto& d = decoded.value();
  REQUIRE(d.response.peers.size() == 1);
  CHECK(d.response.peers[0].peer == test_peer(2));
  CHECK(d.response.peers[0].addrs.size() == 2);
  CHECK(d.dropped_records == 4);
  CHECK(d.dropped_addrs == 1 + 3 + 1 + 1);
}

TEST_CASE("px: a response truncated at every byte is refused, except at record boundaries") {
  PeerExchangeResponse r;
  r.peers = {record(1, 2), record(2, 1), record(3, 3)};
  const Bytes full = encode_response(r, kLimits).value();
  std::set<std::size_t> boundaries{0};
  for (std::size_t k = 1; k <= r.peers.size(); ++k) {
    PeerExchangeResponse prefix;
    prefix.peers.assign(r.peers.begin(), r.peers.begin() + static_cast<std::ptrdiff_t>(k));
    boundaries.insert(encode_response(prefix, kLimits).value().size());
  }
  for (std::size_t n = 0; n < full.size(); ++n) {
    CAPTURE(n);
    const auto decoded = decode_response(ByteView(full).first(n), kLimits);
    if (boundaries.count(n) != 0) {
      REQUIRE(decoded.has_value());
      const auto& peers = decoded.value().response.peers;
      CHECK(std::equal(peers.begin(), peers.end(), r.peers.begin()));
    } else {
      REQUIRE_FALSE(decoded.has_value());
      CHECK(decoded.error() == Errc::px_malformed);
    }
  }
}

TEST_CASE("px: a bit flipped at any byte never yields more than the limits allow") {
  PeerExchangeResponse r;
  r.peers = {record(1, 2), record(2, 1)};
  const Bytes full = encode_response(r, kLimits).value();
  for (std::size_t i = 0; i < full.size(); ++i) {
    for (std::uint8_t bit : {0x01, 0x10, 0x80}) {
      Bytes flipped = full;
      flipped[i] ^= bit;
      const auto decoded = decode_response(flipped, kLimits);
      if (!decoded) continue;
      const auto& d = decoded.value();
      CHECK(d.response.peers.size() <= kLimits.max_peers_per_response);
      for (const auto& p : d.response.peers) {
        CHECK(!p.addrs.empty());
        CHECK(p.addrs.size() <= kLimits.max_addrs_per_peer);
      }
    }
  }
}

TEST_CASE("px: the cut drops the requester, repeated, address-less and oversized entries") {
  std::vector<ExchangeRecord> sample;
  for (std::uint8_t p = 1; p <= 6; ++p) sample.push_back({test_peer(p), {addr(p)}});
  sample[3].addrs.clear();                                                             // peer 4
  sample.push_back({test_peer(5), {addr(55)}});                                        // repeated peer 5
  sample.push_back({test_peer(7), {addr("/dns4/" + std::string(300, 'a') + "/tcp/1")}});  // too long
  const auto cut = fit_to_limits(sample, test_peer(3), kLimits);
  std::vector<PeerId> peers;
  for (const auto& r : cut) peers.push_back(r.peer);
  CHECK(peers == std::vector<PeerId>{test_peer(1), test_peer(2), test_peer(5), test_peer(6)});  // sample order
  CHECK(cut[2].addrs == std::vector<Multiaddr>{addr(5)});  // the first entry of peer 5
}

TEST_CASE("px: the cut is bounded, keeps the first addresses, and always encodes") {
  std::vector<ExchangeRecord> sample;
  for (int p = 0; p < 100; ++p) {
    ExchangeRecord r{test_peer(static_cast<std::uint8_t>(p)), {}};
    r.addrs.push_back(addr("/dns4/" + std::string(300, 'a') + "/tcp/1"));  // skipped: too long
    for (int a = 0; a < 12; ++a) r.addrs.push_back(addr(p, 5000 + a));
    sample.push_back(std::move(r));
  }
  const auto cut = fit_to_limits(sample, test_peer(255), kLimits);
  REQUIRE(cut.size() == 32);
  CHECK(cut.front().peer == test_peer(0));
  for (const auto& r : cut) {
    REQUIRE(r.addrs.size() == 8);
    CHECK(r.addrs.front().to_string().find("/tcp/5000") != std::string::npos);
  }
  CHECK(encode_response({cut}, kLimits).has_value());
  CHECK(fit_to_limits({}, test_peer(255), kLimits).empty());
}

}  // namespace weft::peer
