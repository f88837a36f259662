// Tests for src/conn/peer_advert.cpp: our early data fits its cap by leaving out trailing
// entries, and a peer's advert skips addresses that do not parse.
#include "conn/peer_advert.hpp"

#include "handshake/handshake_messages.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

namespace weft::conn {
namespace {

std::vector<Multiaddr> addresses(int n) {
  std::vector<Multiaddr> out;
  for (int i = 0; i < n; ++i) out.push_back(Multiaddr::parse("/ip4/10.0.0.1/tcp/" + std::to_string(4000 + i)).value());
  return out;
}

TEST_CASE("advert: everything goes in when it fits, addresses then protocols, and reads back the same") {
  const auto listen = addresses(2);
  const std::vector<std::string> protocols{"/weft/echo/1", "/weft/ping/1"};
  const auto early = make_early_data(listen, protocols, 4096);
  CHECK(early.listen_addrs.size() == 2);
  CHECK(early.protocols == protocols);
  const auto parsed = handshake::parse_early_data(handshake::serialize_early_data(early));
  REQUIRE(parsed.has_value());
  const PeerAdvert advert = read_advert(parsed.value());
  CHECK(advert.listen_addresses == listen);
  CHECK(advert.protocols == protocols);
}

TEST_CASE("advert: past the cap the entry that does not fit and everything after it are left out") {
  const auto listen = addresses(100);
  const std::vector<std::string> protocols{"/weft/echo/1"};
  const auto early = make_early_data(listen, protocols, 200);
  CHECK(handshake::serialize_early_data(early).size() <= 200);
  CHECK(early.listen_addrs.size() > 0);
  CHECK(early.listen_addrs.size() < 100);
  CHECK(early.protocols.empty());  // the addresses filled it first
  // Exactly at the cap: one more address would not fit.
  auto one_more = early;
  one_more.listen_addrs.push_back(listen[early.listen_addrs.size()].bytes());
  CHECK(handshake::serialize_early_data(one_more).size() > 200);
  CHECK(make_early_data(listen, protocols, 0) == handshake::EarlyData{});
}

TEST_CASE("advert: listen addresses that do not parse are skipped, the rest kept in order") {
  handshake::EarlyData early;
  early.listen_addrs.push_back(addresses(1)[0].bytes());
  early.listen_addrs.push_back(Bytes{0xff, 0xff, 0xff});  // an unknown protocol code, truncated
  early.listen_addrs.push_back(addresses(2)[1].bytes());
  early.protocols = {"/weft/ping/1"};
  const PeerAdvert advert = read_advert(early);
  REQUIRE(advert.listen_addresses.size() == 2);
  CHECK(advert.listen_addresses[0] == addresses(1)[0]);
  CHECK(advert.listen_addresses[1] == addresses(2)[1]);
  CHECK(advert.protocols == early.protocols);
}

}  // namespace
}  // namespace weft::conn
