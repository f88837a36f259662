// Peerstore (sans-IO, fake wall clock): addresses and their TTLs, every cap, scores, bans,
// dial candidates, exchange samples, change tracking and restore.

#include "peer/peerstore.hpp"

#include "peer_test_support.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>
#include <string>
#include <unordered_set>
#include <vector>

using namespace weft;
using namespace weft::peer;
using weft::test::ma;
using weft::test::ms;
using weft::test::numbered_peer;
using weft::test::subnet_address;
using weft::test::t0;

namespace {

std::vector<PeerId> ids(const std::vector<DialCandidate>& candidates) {
  std::vector<PeerId> out;
  for (const auto& c : candidates) out.push_back(c.peer);
  return out;
}

const std::unordered_set<PeerId> kNobody;

}  // namespace

TEST_CASE("PeerstoreConfig: the defaults are valid and each bad setting is named") {
  CHECK(validate(PeerstoreConfig{}).has_value());
  const auto refused = [](auto change, const std::string& setting) {
    PeerstoreConfig c;
    change(c);
    auto r = validate(c);
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error() == Errc::config_invalid);
    CHECK(r.error().detail().find(setting) == 0);
  };
  refused([](auto& c) { c.max_peers = 0; }, "max_peers");
  refused([](auto& c) { c.max_banned_peers = c.max_peers; }, "max_banned_peers");
  refused([](auto& c) { c.max_addresses_per_peer = 0; }, "max_addresses_per_peer");
  refused([](auto& c) { c.max_addresses_per_subnet = 0; }, "max_addresses_per_subnet");
  refused([](auto& c) { c.peer_exchange_ttl_ms = ms(0); }, "peer_exchange_ttl_ms");
  refused([](auto& c) { c.inbound_ttl_ms = ms(-1); }, "inbound_ttl_ms");
  refused([](auto& c) { c.max_address_ttl_ms = ms(0); }, "max_address_ttl_ms");
  refused([](auto& c) { c.max_protocols_per_peer = 0; }, "max_protocols_per_peer");
  refused([](auto& c) { c.max_protocol_bytes = 0; }, "max_protocol_bytes");
  refused([](auto& c) { c.max_public_key_bytes = 0; }, "max_public_key_bytes");
  refused([](auto& c) { c.min_score = 1; }, "min_score");
  refused([](auto& c) { c.max_score = -1; }, "max_score");
  refused([](auto& c) { c.max_score = std::numeric_limits<double>::infinity(); }, "max_score");
  refused([](auto& c) { c.connect_success_reward = -1; }, "connect_success_reward");
  refused([](auto& c) { c.dial_failure_penalty = std::nan(""); }, "dial_failure_penalty");
  refused([](auto& c) { c.exchange_min_score = std::nan(""); }, "exchange_min_score");
}

TEST_CASE("Peerstore: add_addresses creates the record with sources, expiries and first/last seen") {
  Peerstore store;
  const PeerId p = numbered_peer(1);
  const auto now = t0() + std::chrono::microseconds(1500);  // kept at millisecond resolution
  auto r = store.add_addresses(p, {subnet_address(1), subnet_address(2)}, AddressSource::peer_exchange, std::nullopt, now);
  CHECK(r.peer_created);
  CHECK(r.added == 2);
  CHECK(r.refused == 0);
  const PeerRecord* rec = store.find(p);
  REQUIRE(rec);
  CHECK(rec->id == p);
  REQUIRE(rec->addresses.size() == 2);
  CHECK(rec->addresses[0].source == AddressSource::peer_exchange);
  CHECK(rec->addresses[0].expires_at == t0() + ms(1) + store.config().peer_exchange_ttl_ms);
  CHECK(rec->first_seen == t0() + ms(1));
  CHECK(rec->last_seen == rec->first_seen);
  CHECK(rec->score == 0.0);
  CHECK(store.size() == 1);
  CHECK(store.address_count() == 2);

  // Trusted sources never expire; inbound uses its own TTL and counts as seeing the peer.
  store.add_addresses(p, {subnet_address(3)}, AddressSource::config, ms(5), t0());
  CHECK(store.find(p)->addresses[2].expires_at == std::nullopt);
  store.add_addresses(p, {subnet_address(4)}, AddressSource::inbound, std::nullopt, t0() + ms(7000));
  CHECK(store.find(p)->addresses[3].expires_at == t0() + ms(7000) + store.config().inbound_ttl_ms);
  CHECK(store.find(p)->last_seen == t0() + ms(7000));
  CHECK(store.find(p)->first_seen == t0() + ms(1));
}

TEST_CASE("Peerstore: a trailing /p2p/ of the peer is stripped; another peer's, or an empty address, is refused") {
  Peerstore store;
  const PeerId p = numbered_peer(1);
  const PeerId other = numbered_peer(2);
  auto r = store.add_addresses(p,
                               {ma("/ip4/1.2.3.4/tcp/1/p2p/" + p.to_base58()), ma("/ip4/1.2.3.5/tcp/1/p2p/" + other.to_base58()),
                                Multiaddr(), ma("/p2p/" + p.to_base58())},
                               AddressSource::peer_exchange, std::nullopt, t0());
  CHECK(r.added == 1);
  CHECK(r.refused == 3);
  CHECK(store.stats().addresses_refused_invalid == 3);
  REQUIRE(store.find(p)->addresses.size() == 1);
  CHECK(store.find(p)->addresses[0].address == ma("/ip4/1.2.3.4/tcp/1"));
  // Nothing valid for a new peer: no record.
  auto none = store.add_addresses(other, {Multiaddr()}, AddressSource::peer_exchange, std::nullopt, t0());
  CHECK_FALSE(none.peer_created);
  CHECK(store.find(other) == nullptr);
}

TEST_CASE("Peerstore: a known address keeps the later expiry and the more trusted source") {
  Peerstore store;
  const PeerId p = numbered_peer(1);
  const Multiaddr a = subnet_address(1);
  store.add_addresses(p, {a}, AddressSource::peer_exchange, ms(10'000), t0());
  auto shorter = store.add_addresses(p, {a}, AddressSource::peer_exchange, ms(5'000), t0());
  CHECK(shorter.refreshed == 0);
  CHECK(shorter.added == 0);
  CHECK(store.find(p)->addresses[0].expires_at == t0() + ms(10'000));
  auto longer = store.add_addresses(p, {a}, AddressSource::peer_exchange, ms(5'000), t0() + ms(8'000));
  CHECK(longer.refreshed == 1);
  CHECK(store.find(p)->addresses[0].expires_at == t0() + ms(13'000));
  store.add_addresses(p, {a}, AddressSource::inbound, ms(1), t0());
  CHECK(store.find(p)->addresses[0].source == AddressSource::inbound);
  CHECK(store.find(p)->addresses[0].expires_at == t0() + ms(13'000));
  store.add_addresses(p, {a}, AddressSource::bootstrap, std::nullopt, t0());
  CHECK(store.find(p)->addresses[0].source == AddressSource::bootstrap);
  CHECK(store.find(p)->addresses[0].expires_at == std::nullopt);
  // A less trusted source never downgrades it.
  store.add_addresses(p, {a}, AddressSource::peer_exchange, std::nullopt, t0());
  CHECK(store.find(p)->addresses[0].source == AddressSource::bootstrap);
  CHECK(store.address_count() == 1);
}

TEST_CASE("Peerstore: TTL expiry drops addresses at their expiry, then peers left with nothing") {
  Peerstore store;
  const PeerId p = numbered_peer(1);
  const PeerId q = numbered_peer(2);
  const PeerId keep = numbered_peer(3);
  store.add_addresses(p, {subnet_address(1)}, AddressSource::peer_exchange, ms(1'000), t0());
  store.add_addresses(p, {subnet_address(2)}, AddressSource::peer_exchange, ms(2'000), t0());
  store.add_addresses(q, {subnet_address(3)}, AddressSource::inbound, ms(1'000), t0());
  store.add_addresses(keep, {subnet_address(4)}, AddressSource::config, std::nullopt, t0());

  CHECK(store.expire(t0() + ms(999)) == 0);
  CHECK(store.address_count() == 4);
  CHECK(store.find(p)->has_live_address(t0() + ms(999)));

  CHECK(store.expire(t0() + ms(1'000)) == 1);  // q's only address expired
  CHECK(store.find(q) == nullptr);
  REQUIRE(store.find(p));
  CHECK(store.find(p)->addresses.size() == 1);
  CHECK(store.stats().addresses_expired == 2);

  CHECK(store.expire(t0() + ms(2'000)) == 1);
  CHECK(store.find(p) == nullptr);
  CHECK(store.stats().peers_expired == 2);
  // Config addresses never expire.
  CHECK(store.expire(t0() + std::chrono::hours(24 * 365)) == 0);
  CHECK(store.find(keep) != nullptr);
  CHECK(store.size() == 1);
  CHECK(store.address_count() == 1);
  CHECK(store.subnet_count(address_subnet(subnet_address(1))) == 0);
}

TEST_CASE("Peerstore: a TTL is clamped to max_address_ttl_ms (and to at least 1 ms)") {
  PeerstoreConfig config;
  config.max_address_ttl_ms = ms(60'000);
  Peerstore store(config);
  const PeerId p = numbered_peer(1);
  store.add_addresses(p, {subnet_address(1)}, AddressSource::peer_exchange, std::chrono::hours(1000), t0());
  store.add_addresses(p, {subnet_address(2)}, AddressSource::peer_exchange, ms(-5), t0());
  CHECK(store.find(p)->addresses[0].expires_at == t0() + ms(60'000));
  CHECK(store.find(p)->addresses[1].expires_at == t0() + ms(1));
}

TEST_CASE("Peerstore: max_addresses_per_peer replaces a weaker address or refuses") {
  PeerstoreConfig config;
  config.max_addresses_per_peer = 3;
  Peerstore store(config);
  const PeerId p = numbered_peer(1);
  store.add_addresses(p, {subnet_address(1)}, AddressSource::peer_exchange, ms(1'000), t0());
  store.add_addresses(p, {subnet_address(2)}, AddressSource::peer_exchange, ms(3'000), t0());
  store.add_addresses(p, {subnet_address(3)}, AddressSource::peer_exchange, ms(2'000), t0());

  SUBCASE("an address expiring no later than the weakest is refused") {
    auto r = store.add_addresses(p, {subnet_address(4)}, AddressSource::peer_exchange, ms(1'000), t0());
    CHECK(r.refused == 1);
    CHECK(store.stats().addresses_refused_peer_cap == 1);
    CHECK(store.find(p)->addresses.size() == 3);
  }
  SUBCASE("a later-expiring one replaces the soonest-expiring one") {
    auto r = store.add_addresses(p, {subnet_address(4)}, AddressSource::peer_exchange, ms(5'000), t0());
    CHECK(r.added == 1);
    CHECK(store.stats().addresses_replaced_peer_cap == 1);
    std::set<Multiaddr> held;
    for (const auto& a : store.find(p)->addresses) held.insert(a.address);
    CHECK(held == std::set<Multiaddr>{subnet_address(2), subnet_address(3), subnet_address(4)});
    CHECK(store.address_count() == 3);
    CHECK(store.subnet_count(address_subnet(subnet_address(1))) == 0);
  }
  SUBCASE("a more trusted source replaces a less trusted one; trusted ones are never replaced") {
    store.add_addresses(p, {subnet_address(5)}, AddressSource::config, std::nullopt, t0());
    store.add_addresses(p, {subnet_address(6)}, AddressSource::bootstrap, std::nullopt, t0());
    store.add_addresses(p, {subnet_address(7)}, AddressSource::inbound, ms(100), t0());
    CHECK(store.stats().addresses_replaced_peer_cap == 3);
    for (const auto& a : store.find(p)->addresses) CHECK(a.source != AddressSource::peer_exchange);
    // Now: config, bootstrap, inbound. Peer exchange cannot replace any of them.
    auto px = store.add_addresses(p, {subnet_address(8)}, AddressSource::peer_exchange, ms(100'000), t0());
    CHECK(px.refused == 1);
    store.add_addresses(p, {subnet_address(9)}, AddressSource::config, std::nullopt, t0());  // replaces inbound
    auto full = store.add_addresses(p, {subnet_address(10)}, AddressSource::config, std::nullopt, t0());
    CHECK(full.refused == 1);
    CHECK(store.stats().addresses_refused_peer_cap == 2);
    CHECK(store.find(p)->addresses.size() == 3);
  }
}

TEST_CASE("Peerstore: max_addresses_per_subnet holds across peers; trusted sources are exempt") {
  PeerstoreConfig config;
  config.max_addresses_per_subnet = 4;
  Peerstore store(config);
  for (std::uint32_t i = 0; i < 4; ++i) {
    auto r = store.add_addresses(numbered_peer(i), {ma("/ip4/198.51.100." + std::to_string(i + 1) + "/tcp/1")},
                                 AddressSource::peer_exchange, std::nullopt, t0());
    CHECK(r.added == 1);
  }
  const SubnetKey subnet = address_subnet(ma("/ip4/198.51.100.1/tcp/1"));
  CHECK(store.subnet_count(subnet) == 4);

  // A fifth address in the /24, from a new peer: refused without creating the peer.
  auto r = store.add_addresses(numbered_peer(10), {ma("/ip4/198.51.100.200/tcp/1")}, AddressSource::inbound,
                               std::nullopt, t0());
  CHECK(r.refused == 1);
  CHECK_FALSE(r.peer_created);
  CHECK(store.find(numbered_peer(10)) == nullptr);
  // ... or for a known peer.
  r = store.add_addresses(numbered_peer(0), {ma("/ip4/198.51.100.9/tcp/1")}, AddressSource::peer_exchange,
                          std::nullopt, t0());
  CHECK(r.refused == 1);
  CHECK(store.stats().addresses_refused_subnet_cap == 2);
  // Another /24 is fine, and so is a config address in the full one.
  CHECK(store.add_addresses(numbered_peer(10), {ma("/ip4/198.51.101.1/tcp/1")}, AddressSource::peer_exchange,
                            std::nullopt, t0()).added == 1);
  CHECK(store.add_addresses(numbered_peer(11), {ma("/ip4/198.51.100.99/tcp/1")}, AddressSource::config,
                            std::nullopt, t0()).added == 1);
  CHECK(store.subnet_count(subnet) == 5);

  SUBCASE("IPv6 /48 and names are capped the same way") {
    for (std::uint32_t i = 0; i < 5; ++i) {
      store.add_addresses(numbered_peer(100 + i), {ma("/ip6/2001:db8:7:" + std::to_string(i) + "::1/tcp/1")},
                          AddressSource::peer_exchange, std::nullopt, t0());
      store.add_addresses(numbered_peer(200 + i), {ma("/dns4/host" + std::to_string(i) + ".example/tcp/1")},
                          AddressSource::peer_exchange, std::nullopt, t0());
    }
    CHECK(store.subnet_count(address_subnet(ma("/ip6/2001:db8:7::1/tcp/1"))) == 4);
    CHECK(store.subnet_count(address_subnet(ma("/dns4/x.example/tcp/1"))) == 4);
    CHECK(store.find(numbered_peer(104)) == nullptr);
    CHECK(store.find(numbered_peer(204)) == nullptr);
    CHECK(store.stats().addresses_refused_subnet_cap == 4);
  }
}

TEST_CASE("Peerstore: at max_peers the worst evictable peer makes room") {
  PeerstoreConfig config;
  config.max_peers = 4;
  config.max_banned_peers = 2;
  Peerstore store(config);
  const auto add = [&](std::uint32_t n, auto when) {
    return store.add_addresses(numbered_peer(n), {subnet_address(n)}, AddressSource::peer_exchange, std::nullopt, when);
  };
  add(1, t0());
  add(2, t0() + ms(10));
  add(3, t0() + ms(20));
  add(4, t0() + ms(30));
  store.adjust_score(numbered_peer(3), -5, t0());

  SUBCASE("the lowest score goes first") {
    CHECK(add(5, t0() + ms(40)).peer_created);
    CHECK(store.find(numbered_peer(3)) == nullptr);
    CHECK(store.size() == 4);
    CHECK(store.stats().peers_evicted == 1);
    // Then the longest unseen among equal scores.
    CHECK(add(6, t0() + ms(50)).peer_created);
    CHECK(store.find(numbered_peer(1)) == nullptr);
    CHECK(store.find(numbered_peer(2)) != nullptr);
    CHECK(store.address_count() == 4);
  }
  SUBCASE("banned, trusted and proven (positive score) peers are never evicted") {
    CHECK(store.ban(numbered_peer(3), t0() + std::chrono::hours(1), t0()));
    store.add_addresses(numbered_peer(1), {subnet_address(99)}, AddressSource::bootstrap, std::nullopt, t0());
    store.record_connected(numbered_peer(2), t0());
    CHECK(add(5, t0() + ms(40)).peer_created);  // evicts 4, the only evictable one
    CHECK(store.find(numbered_peer(4)) == nullptr);
    store.record_connected(numbered_peer(5), t0());
    auto refused = add(6, t0() + ms(50));
    CHECK_FALSE(refused.peer_created);
    CHECK(refused.refused == 1);
    CHECK(store.stats().peers_refused == 1);
    CHECK(store.find(numbered_peer(6)) == nullptr);
    CHECK(store.is_banned(numbered_peer(3), t0() + ms(50)));
    CHECK_FALSE(store.record_connected(numbered_peer(7), t0()));
    CHECK(store.size() == 4);
  }
}

TEST_CASE("Peerstore: connection outcomes move the score within its bounds") {
  PeerstoreConfig config;
  config.max_score = 2.5;
  config.min_score = -3;
  Peerstore store(config);
  const PeerId p = numbered_peer(1);
  CHECK_FALSE(store.record_dial_failure(p, t0()));  // unknown: nothing is stored
  CHECK_FALSE(store.record_disconnected(p, t0()));
  CHECK_FALSE(store.adjust_score(p, 1, t0()).has_value());
  CHECK(store.size() == 0);

  CHECK(store.record_connected(p, t0() + ms(5)));  // creates the record
  const PeerRecord* rec = store.find(p);
  REQUIRE(rec);
  CHECK(rec->successes == 1);
  CHECK(rec->score == 1.0);
  CHECK(rec->last_connected == t0() + ms(5));
  CHECK(rec->last_seen == t0() + ms(5));
  for (int i = 0; i < 5; ++i) store.record_connected(p, t0() + ms(6));
  CHECK(store.find(p)->score == 2.5);
  CHECK(store.find(p)->successes == 6);

  store.record_dial_failure(p, t0() + ms(7));
  store.record_dial_failure(p, t0() + ms(8));
  rec = store.find(p);
  CHECK(rec->failures == 2);
  CHECK(rec->consecutive_failures == 2);
  CHECK(rec->last_failure == t0() + ms(8));
  CHECK(rec->score == 0.5);
  store.record_connected(p, t0() + ms(9));
  CHECK(store.find(p)->consecutive_failures == 0);
  CHECK(store.find(p)->failures == 2);

  CHECK(store.adjust_score(p, -100, t0()) == -3.0);
  CHECK(store.adjust_score(p, std::nan(""), t0()) == -3.0);
  CHECK(store.adjust_score(p, 1.25, t0()) == -1.75);
  CHECK(store.record_disconnected(p, t0() + ms(20)));
  CHECK(store.find(p)->last_seen == t0() + ms(20));
  store.record_disconnected(p, t0() + ms(10));  // last_seen never goes back
  CHECK(store.find(p)->last_seen == t0() + ms(20));
}

TEST_CASE("Peerstore: a ban refuses addresses until it ends and keeps the record through expire") {
  Peerstore store;
  const PeerId p = numbered_peer(1);
  store.add_addresses(p, {subnet_address(1)}, AddressSource::peer_exchange, ms(1'000), t0());
  const auto until = t0() + std::chrono::minutes(10);
  CHECK(store.ban(p, until, t0()));
  CHECK(store.is_banned(p, t0()));
  CHECK(store.is_banned(p, until - ms(1)));
  CHECK_FALSE(store.is_banned(p, until));
  CHECK(store.find(p)->addresses.empty());  // a ban drops the addresses
  CHECK(store.address_count() == 0);
  CHECK(store.banned_count() == 1);

  auto r = store.add_addresses(p, {subnet_address(2)}, AddressSource::peer_exchange, std::nullopt, t0() + ms(1));
  CHECK(r.refused == 1);
  CHECK(store.stats().addresses_refused_banned == 1);
  CHECK(store.dial_candidates(t0(), kNobody, 10).empty());

  // A shorter ban does not shorten it; a ban in the past is refused.
  CHECK(store.ban(p, t0() + ms(5), t0()));
  CHECK(store.find(p)->ban_until == until);
  CHECK_FALSE(store.ban(numbered_peer(2), t0(), t0()));
  CHECK(store.find(numbered_peer(2)) == nullptr);

  CHECK(store.expire(until - ms(1)) == 0);
  CHECK(store.find(p) != nullptr);
  CHECK(store.expire(until) == 1);  // ban over and nothing left
  CHECK(store.find(p) == nullptr);
  CHECK(store.banned_count() == 0);

  // Banning an unknown peer remembers it; unban lifts it at once.
  const PeerId q = numbered_peer(3);
  CHECK(store.ban(q, until, t0()));
  CHECK(store.is_banned(q, t0()));
  CHECK(store.unban(q));
  CHECK_FALSE(store.unban(q));
  CHECK_FALSE(store.is_banned(q, t0()));
  CHECK(store.add_addresses(q, {subnet_address(3)}, AddressSource::peer_exchange, std::nullopt, t0()).added == 1);
}

TEST_CASE("Peerstore: at max_banned_peers the ban ending soonest is dropped") {
  PeerstoreConfig config;
  config.max_banned_peers = 2;
  Peerstore store(config);
  CHECK(store.ban(numbered_peer(1), t0() + ms(3'000), t0()));
  CHECK(store.ban(numbered_peer(2), t0() + ms(1'000), t0()));
  CHECK(store.ban(numbered_peer(3), t0() + ms(2'000), t0()));
  CHECK(store.banned_count() == 2);
  CHECK(store.stats().bans_dropped == 1);
  CHECK_FALSE(store.is_banned(numbered_peer(2), t0()));
  CHECK(store.find(numbered_peer(2)) == nullptr);
  // A new ban that ends first is the one dropped.
  CHECK_FALSE(store.ban(numbered_peer(4), t0() + ms(500), t0()));
  CHECK(store.stats().bans_dropped == 2);
  CHECK(store.is_banned(numbered_peer(1), t0()));
  CHECK(store.is_banned(numbered_peer(3), t0()));
  // Ended bans are forgotten first, before any running one.
  CHECK(store.ban(numbered_peer(5), t0() + ms(10'000), t0() + ms(2'500)));
  CHECK(store.stats().bans_dropped == 2);
  CHECK(store.is_banned(numbered_peer(1), t0() + ms(2'500)));
  CHECK(store.is_banned(numbered_peer(5), t0() + ms(2'500)));
}

TEST_CASE("Peerstore: dial candidates are ordered by score, then recency, then PeerId") {
  Peerstore store;
  const auto add = [&](std::uint32_t n, auto when) {
    store.add_addresses(numbered_peer(n), {subnet_address(n)}, AddressSource::peer_exchange, ms(60'000), when);
  };
  add(1, t0());
  add(2, t0());
  add(3, t0());
  add(4, t0());
  add(5, t0());
  add(6, t0());
  store.record_connected(numbered_peer(3), t0() + ms(100));     // score 1, seen at 100
  store.record_connected(numbered_peer(4), t0() + ms(200));     // score 1, seen at 200
  store.adjust_score(numbered_peer(5), 7, t0());                // score 7
  store.record_dial_failure(numbered_peer(1), t0());            // score -1
  store.ban(numbered_peer(6), t0() + ms(10'000), t0());         // banned
  store.add_addresses(numbered_peer(7), {subnet_address(7)}, AddressSource::peer_exchange, ms(10), t0());

  CHECK(ids(store.dial_candidates(t0() + ms(300), kNobody, 100)) ==
        std::vector<PeerId>{numbered_peer(5), numbered_peer(4), numbered_peer(3), numbered_peer(2), numbered_peer(1)});
  CHECK(ids(store.dial_candidates(t0(), {numbered_peer(5), numbered_peer(4)}, 3)) ==
        std::vector<PeerId>{numbered_peer(3), numbered_peer(2), numbered_peer(7)});
  CHECK(store.dial_candidates(t0(), kNobody, 0).empty());

  // Addresses come most trusted first, expired ones left out.
  const PeerId p = numbered_peer(2);
  store.add_addresses(p, {subnet_address(20)}, AddressSource::inbound, ms(60'000), t0());
  store.add_addresses(p, {subnet_address(21)}, AddressSource::bootstrap, std::nullopt, t0());
  store.add_addresses(p, {subnet_address(22)}, AddressSource::peer_exchange, ms(5), t0());
  auto candidates = store.dial_candidates(t0() + ms(10), {numbered_peer(5), numbered_peer(4), numbered_peer(3)}, 1);
  REQUIRE(candidates.size() == 1);
  CHECK(candidates[0].peer == p);
  CHECK(candidates[0].addresses == std::vector<Multiaddr>{subnet_address(21), subnet_address(20), subnet_address(2)});
}

TEST_CASE("Peerstore: exchange samples are bounded, good only, shuffled and fixed by the seed") {
  Peerstore store;
  for (std::uint32_t n = 0; n < 40; ++n) {
    store.add_addresses(numbered_peer(n), {subnet_address(n), subnet_address(n, 4002), subnet_address(n, 4003)},
                        AddressSource::peer_exchange, ms(60'000), t0());
  }
  store.record_dial_failure(numbered_peer(0), t0());                 // below exchange_min_score
  store.ban(numbered_peer(1), t0() + ms(60'000), t0());             // banned
  const std::unordered_set<PeerId> exclude{numbered_peer(2)};       // the asker

  const auto sample = store.exchange_sample(t0(), exclude, 10, 2, 42);
  CHECK(sample.size() == 10);
  std::set<PeerId> distinct;
  for (const auto& c : sample) {
    CHECK(c.peer != numbered_peer(0));
    CHECK(c.peer != numbered_peer(1));
    CHECK(c.peer != numbered_peer(2));
    CHECK(c.addresses.size() == 2);
    distinct.insert(c.peer);
  }
  CHECK(distinct.size() == 10);
  CHECK(ids(store.exchange_sample(t0(), exclude, 10, 2, 42)) == ids(sample));  // same seed, same sample
  CHECK(ids(store.exchange_sample(t0(), exclude, 10, 2, 43)) != ids(sample));
  auto sorted = ids(sample);
  std::sort(sorted.begin(), sorted.end());
  CHECK(sorted != ids(sample));  // shuffled, not in PeerId order

  // Asking for more than there are gives every good peer once.
  const auto all = store.exchange_sample(t0(), exclude, 1000, 8, 7);
  CHECK(all.size() == 37);
  CHECK(all.front().addresses.size() == 3);
  // Every good peer shows up first for some seed (uniform, not a fixed subset).
  std::set<PeerId> firsts;
  for (std::uint64_t seed = 0; seed < 2000; ++seed) firsts.insert(store.exchange_sample(t0(), exclude, 1, 1, seed)[0].peer);
  CHECK(firsts.size() == 37);
  CHECK(store.exchange_sample(t0() + ms(60'000), exclude, 10, 2, 1).empty());  // every address expired
  CHECK(store.exchange_sample(t0(), exclude, 10, 0, 1).empty());
}

TEST_CASE("Peerstore: public keys and protocols are bounded") {
  PeerstoreConfig config;
  config.max_public_key_bytes = 4;
  config.max_protocols_per_peer = 2;
  config.max_protocol_bytes = 5;
  Peerstore store(config);
  const PeerId p = numbered_peer(1);
  CHECK_FALSE(store.set_public_key(p, Bytes{1}));  // unknown peer
  CHECK_FALSE(store.set_protocols(p, {"a"}));
  store.record_connected(p, t0());
  CHECK(store.set_public_key(p, Bytes{1, 2, 3, 4}));
  CHECK(store.find(p)->public_key == Bytes{1, 2, 3, 4});
  CHECK_FALSE(store.set_public_key(p, Bytes{1, 2, 3, 4, 5}));
  CHECK_FALSE(store.set_public_key(p, Bytes{}));
  CHECK(store.stats().public_keys_refused == 2);
  CHECK(store.find(p)->public_key == Bytes{1, 2, 3, 4});

  CHECK(store.set_protocols(p, {"/a/1", "toolong", "", "/a/1", "/b/1", "/c/1"}));
  CHECK(store.find(p)->protocols == std::vector<std::string>{"/a/1", "/b/1"});
  CHECK(store.stats().protocols_truncated == 4);
}

TEST_CASE("Peerstore: take_changes names each changed or removed peer once, bounded") {
  PeerstoreConfig config;
  config.max_peers = 3;
  config.max_banned_peers = 1;
  Peerstore store(config);
  CHECK(store.take_changes().empty());
  store.add_addresses(numbered_peer(1), {subnet_address(1)}, AddressSource::peer_exchange, std::nullopt, t0());
  store.add_addresses(numbered_peer(2), {subnet_address(2)}, AddressSource::peer_exchange, std::nullopt, t0());
  store.record_connected(numbered_peer(1), t0());
  auto changes = store.take_changes();
  CHECK_FALSE(changes.full_rewrite);
  CHECK(changes.peers == std::vector<PeerId>{numbered_peer(1), numbered_peer(2)});
  CHECK(store.take_changes().empty());

  store.remove(numbered_peer(2));
  CHECK(store.take_changes().peers == std::vector<PeerId>{numbered_peer(2)});

  // Churn through more distinct peers than twice the cap: a full rewrite instead.
  for (std::uint32_t n = 10; n < 20; ++n) {
    store.add_addresses(numbered_peer(n), {subnet_address(n)}, AddressSource::peer_exchange, std::nullopt, t0());
  }
  changes = store.take_changes();
  CHECK(changes.full_rewrite);
  CHECK(changes.peers.empty());
  CHECK(store.stats().change_set_overflows == 1);
  store.mark_all_changed();
  CHECK(store.take_changes().full_rewrite);
}

TEST_CASE("Peerstore: restore enforces every cap and asks for a rewrite when it drops anything") {
  PeerstoreConfig config;
  config.max_peers = 2;
  config.max_banned_peers = 1;
  config.max_addresses_per_peer = 2;
  config.max_protocols_per_peer = 1;
  config.max_public_key_bytes = 2;
  Peerstore store(config);

  PeerRecord a(numbered_peer(1));
  a.addresses = {{subnet_address(1), AddressSource::inbound, t0()}, {subnet_address(2), AddressSource::config, t0()}};
  a.score = 50;
  a.ban_until = t0() + ms(5);
  CHECK(store.restore(a));
  CHECK(store.take_changes().empty());  // an exact fit is not a change
  CHECK(store.find(numbered_peer(1))->addresses[1].expires_at == std::nullopt);  // trusted: never expires
  CHECK(store.banned_count() == 1);

  PeerRecord b(numbered_peer(2));
  b.addresses = {{subnet_address(3), AddressSource::inbound, t0()},
                 {subnet_address(3), AddressSource::inbound, t0()},
                 {subnet_address(4), AddressSource::inbound, t0()},
                 {subnet_address(5), AddressSource::inbound, t0()}};
  b.protocols = {"/x", "/y"};
  b.public_key = Bytes{1, 2, 3};
  b.score = 1e9;
  b.ban_until = t0() + ms(5);
  CHECK(store.restore(b));
  const PeerRecord* got = store.find(numbered_peer(2));
  REQUIRE(got);
  CHECK(got->addresses.size() == 2);
  CHECK(got->protocols == std::vector<std::string>{"/x"});
  CHECK_FALSE(got->public_key.has_value());
  CHECK(got->score == store.config().max_score);
  CHECK_FALSE(got->ban_until.has_value());  // the ban table was full
  CHECK(store.take_changes().full_rewrite);

  CHECK_FALSE(store.restore(PeerRecord(numbered_peer(3))));
  CHECK(store.size() == 2);
  CHECK(store.stats().restore_dropped == 2);
  CHECK(store.address_count() == 4);

  store.clear();
  CHECK(store.size() == 0);
  CHECK(store.address_count() == 0);
  CHECK(store.banned_count() == 0);
  CHECK(store.take_changes().empty());
}

TEST_CASE("Peerstore: to_string names every source") {
  CHECK(std::string(to_string(AddressSource::config)) == "config");
  CHECK(std::string(to_string(AddressSource::bootstrap)) == "bootstrap");
  CHECK(std::string(to_string(AddressSource::inbound)) == "inbound");
  CHECK(std::string(to_string(AddressSource::peer_exchange)) == "peer_exchange");
  CHECK(is_trusted(AddressSource::bootstrap));
  CHECK_FALSE(is_trusted(AddressSource::inbound));
}
