// Tests for src/peer/peer_manager.cpp with a fake clock: watermark trimming (order,
// protection, keep-alive, grace period, one per tick), dialing below the low watermark
// (order, concurrency cap, skips), per-peer dial backoff (growth, cap, reset, timeout),
// misbehaviour points and their decay, bans (actions, trims, expiry, manual, bounded table)
// and restoring persisted bans.
#include "peer/peer_manager.hpp"

#include "test_peer_id.hpp"

#include <doctest/doctest.h>

#include <variant>
#include <vector>

namespace weft::peer {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using test::test_peer;

const TimePoint t0 = TimePoint{} + std::chrono::hours(1);

/// Small watermarks, no jitter (every backoff delay is its ceiling).
PeerManagerConfig small_config() {
  PeerManagerConfig c;
  c.low_watermark = 2;
  c.high_watermark = 4;
  c.max_concurrent_dials = 2;
  return c;
}

struct Harness {
  explicit Harness(PeerManagerConfig c = small_config()) : pm(c, [] { return 1.0; }) {}

  PeerManager pm;
  ConnectionId next_id = 1;

  ConnectionId open(std::uint8_t peer, TimePoint opened_at, Direction dir = Direction::inbound,
                    std::optional<IpKey> remote = std::nullopt) {
    const ConnectionId id = next_id++;
    pm.handle_connection_opened(OpenedConnection{id, test_peer(peer), dir, remote, opened_at}, opened_at);
    return id;
  }

  std::vector<PeerAction> actions() {
    std::vector<PeerAction> out;
    while (auto a = pm.poll_action()) out.push_back(std::move(*a));
    return out;
  }
  std::vector<PeerEvent> events() {
    std::vector<PeerEvent> out;
    while (auto e = pm.poll_event()) out.push_back(std::move(*e));
    return out;
  }
  /// The connections trimmed by the actions queued now (other actions dropped).
  std::vector<ConnectionId> trims() {
    std::vector<ConnectionId> out;
    for (const auto& a : actions()) {
      if (const auto* t = std::get_if<Trim>(&a)) out.push_back(t->connection);
    }
    return out;
  }
  std::vector<PeerId> dials() {
    std::vector<PeerId> out;
    for (const auto& a : actions()) {
      if (const auto* d = std::get_if<Dial>(&a)) out.push_back(d->peer);
    }
    return out;
  }
  void tick(TimePoint now, const std::vector<DialCandidate>& candidates = {}) { pm.tick(now, candidates); }
};

Multiaddr addr(int port) { return Multiaddr::parse("/ip4/127.0.0.1/tcp/" + std::to_string(port)).value(); }

DialCandidate candidate(std::uint8_t peer, double score = 0) {
  return DialCandidate{test_peer(peer), {addr(4000 + peer)}, score, false};
}

IpKey ip(std::uint8_t last) {
  const std::array<std::uint8_t, 4> raw{192, 0, 2, last};
  return IpKey::from_ipv4(raw);
}

const TimePoint old_enough = t0 + seconds(60);  // every connection opened at t0 is past its grace period

}  // namespace

TEST_CASE("peer manager: defaults as documented") {
  const PeerManagerConfig c;
  CHECK(c.low_watermark == 32);
  CHECK(c.high_watermark == 64);
  CHECK(c.grace_period_ms == milliseconds(20'000));
  CHECK(c.max_trims_per_tick == 1);
  CHECK(c.penalty(MisbehaviourKind::bad_handshake_signature) >= c.ban_threshold);
  CHECK(to_string(MisbehaviourKind::flood) == "flood");
  CHECK(to_string(MisbehaviourKind::invalid_peer_exchange) == "invalid_peer_exchange");
  CHECK(to_string(TrimReason::peer_banned) == "peer_banned");
  CHECK(to_string(BanReason::manual) == "manual");
  CHECK(to_string(UnbanReason::evicted) == "evicted");
  CHECK(to_string(PeerEvent::Kind::trimmed) == "trimmed");
}

TEST_CASE("peer manager: connected events for a peer's first connection only") {
  Harness h;
  const ConnectionId a = h.open(1, t0);
  h.open(1, t0);
  const auto events = h.events();
  REQUIRE(events.size() == 1);
  CHECK(events[0].kind == PeerEvent::Kind::connected);
  CHECK(events[0].peer == test_peer(1));
  CHECK(events[0].connection == a);
  CHECK(h.pm.connection_count() == 2);
  // Duplicate open and unknown close are counted and ignored.
  CHECK_FALSE(h.pm.handle_connection_opened(OpenedConnection{a, test_peer(9), Direction::inbound, {}, t0}, t0));
  CHECK_FALSE(h.pm.handle_connection_closed(999, t0));
  CHECK(h.pm.stats().unknown_connection_reports == 2);
  CHECK(h.pm.handle_connection_closed(a, t0));
  CHECK(h.pm.connection_count() == 1);
}

TEST_CASE("peer manager: nothing is trimmed at or below the high watermark") {
  Harness h;
  for (std::uint8_t p = 1; p <= 4; ++p) h.open(p, t0);
  h.tick(old_enough);
  CHECK(h.trims().empty());
  CHECK_FALSE(h.pm.trimming());
}

TEST_CASE("peer manager: above high, one trim per tick down to low, then it stops") {
  Harness h;
  std::vector<ConnectionId> ids;
  for (std::uint8_t p = 1; p <= 5; ++p) ids.push_back(h.open(p, t0));
  TimePoint now = old_enough;
  h.tick(now);
  CHECK(h.trims().size() == 1);
  CHECK(h.pm.trimming());
  CHECK(h.pm.connection_count() == 4);  // the trimmed one no longer counts
  h.tick(now += seconds(1));
  CHECK(h.trims().size() == 1);
  h.tick(now += seconds(1));
  CHECK(h.trims().size() == 1);
  CHECK(h.pm.connection_count() == 2);  // low watermark
  CHECK_FALSE(h.pm.trimming());
  h.tick(now += seconds(1));
  CHECK(h.trims().empty());
  CHECK(h.pm.stats().trims_watermark == 3);
  // Trimmed events carry the connection and the reason.
  std::size_t trimmed_events = 0;
  for (const auto& e : h.events()) {
    if (e.kind != PeerEvent::Kind::trimmed) continue;
    ++trimmed_events;
    CHECK(e.trim_reason == TrimReason::above_high_watermark);
    CHECK(e.connection.has_value());
  }
  CHECK(trimmed_events == 3);
}

TEST_CASE("peer manager: max_trims_per_tick trims several at one tick") {
  PeerManagerConfig c = small_config();
  c.max_trims_per_tick = 10;
  Harness h(c);
  for (std::uint8_t p = 1; p <= 7; ++p) h.open(p, t0);
  h.tick(old_enough);
  CHECK(h.trims().size() == 5);  // 7 down to 2, not further
  CHECK(h.pm.connection_count() == 2);
}

TEST_CASE("peer manager: trim order — duplicates, then value, then inbound, then younger, then id") {
  PeerManagerConfig c = small_config();
  c.low_watermark = 0;
  c.high_watermark = 0;
  c.max_trims_per_tick = 100;
  Harness h(c);
  // Peer 1: two connections (one is a duplicate), high score.
  // Peer 2: score -5 (lowest value). Peer 3: outbound, score 0. Peer 4: inbound, score 0,
  // opened later than peer 5 (younger). Peer 5: inbound, score 0, older. Peer 6: same as 5,
  // same age, higher connection id.
  const ConnectionId p1a = h.open(1, t0, Direction::outbound);
  const ConnectionId p1b = h.open(1, t0 + seconds(1), Direction::outbound);
  const ConnectionId p2 = h.open(2, t0, Direction::outbound);
  const ConnectionId p3 = h.open(3, t0, Direction::outbound);
  const ConnectionId p4 = h.open(4, t0 + seconds(5), Direction::inbound);
  const ConnectionId p5 = h.open(5, t0, Direction::inbound);
  const ConnectionId p6 = h.open(6, t0, Direction::inbound);
  h.pm.set_peer_score(test_peer(1), 10, t0);
  h.pm.set_peer_score(test_peer(2), -5, t0);
  h.tick(old_enough);
  // p1b first: duplicates go first (the younger of peer 1's two). Then peer 1 has one left
  // and ranks by its value (10) last.
  const std::vector<ConnectionId> expected{p1b, p2, p4, p5, p6, p3, p1a};
  CHECK(h.trims() == expected);
}

TEST_CASE("peer manager: misbehaviour points lower a connection's trim value") {
  PeerManagerConfig c = small_config();
  c.low_watermark = 1;
  c.high_watermark = 1;
  Harness h(c);
  h.open(1, t0);
  const ConnectionId bad = h.open(2, t0);
  h.pm.handle_misbehaviour(test_peer(2), MisbehaviourKind::invalid_message, t0);
  h.tick(old_enough);
  CHECK(h.trims() == std::vector<ConnectionId>{bad});
}

TEST_CASE("peer manager: protected and keep-alive peers are never trimmed for the watermark") {
  PeerManagerConfig c = small_config();
  c.low_watermark = 0;
  c.high_watermark = 0;
  c.max_trims_per_tick = 100;
  Harness h(c);
  h.open(1, t0);
  h.open(2, t0);
  const ConnectionId free = h.open(3, t0);
  h.pm.protect(test_peer(1), "bootstrap", t0);
  const std::vector<PeerId> keep{test_peer(2)};
  h.pm.set_keep_alive_peers(keep);
  CHECK(h.pm.is_protected(test_peer(1)));
  CHECK(h.pm.is_protected(test_peer(2)));
  h.tick(old_enough);
  CHECK(h.trims() == std::vector<ConnectionId>{free});
  CHECK(h.pm.stats().trims_blocked == 1);  // two left above low, none trimmable
  // Removing the protections makes them trimmable at the next tick.
  h.pm.protect(test_peer(1), "other", t0);
  CHECK(h.pm.unprotect(test_peer(1), "bootstrap"));  // still protected by "other"
  CHECK_FALSE(h.pm.unprotect(test_peer(1), "other"));
  h.pm.set_keep_alive_peers({});
  h.tick(old_enough + seconds(1));
  CHECK(h.trims().size() == 2);
}

TEST_CASE("peer manager: connections inside their grace period are not trimmed, then are") {
  PeerManagerConfig c = small_config();
  c.low_watermark = 0;
  c.high_watermark = 0;
  Harness h(c);
  const ConnectionId id = h.open(1, t0);
  h.tick(t0 + milliseconds(19'999));
  CHECK(h.trims().empty());
  CHECK(h.pm.stats().trims_blocked == 1);
  h.tick(t0 + milliseconds(20'000));
  CHECK(h.trims() == std::vector<ConnectionId>{id});
}

TEST_CASE("peer manager: below low, candidates are dialed by score, up to the shortfall and the dial cap") {
  PeerManagerConfig c = small_config();
  c.low_watermark = 4;
  c.high_watermark = 8;
  c.max_concurrent_dials = 2;
  Harness h(c);
  h.open(9, t0);  // one connection: shortfall 3, dial cap 2
  const std::vector<DialCandidate> candidates{candidate(1, 1.0), candidate(2, 5.0), candidate(3, 3.0),
                                              candidate(4, 3.0)};
  h.tick(t0, candidates);
  auto actions = h.actions();
  REQUIRE(actions.size() == 2);
  const auto& first = std::get<Dial>(actions[0]);
  CHECK(first.peer == test_peer(2));
  CHECK(first.addresses == std::vector<Multiaddr>{addr(4002)});
  CHECK(std::get<Dial>(actions[1]).peer == test_peer(3));  // ties by PeerId: 3 before 4
  CHECK(h.pm.dials_in_flight() == 2);
  // The cap holds at the next tick; a result frees a slot.
  h.tick(t0 + seconds(1), candidates);
  CHECK(h.dials().empty());
  h.pm.handle_dial_result(test_peer(2), true, t0 + seconds(1));
  h.open(2, t0 + seconds(1), Direction::outbound);
  h.tick(t0 + seconds(2), candidates);
  CHECK(h.dials() == std::vector<PeerId>{test_peer(4)});  // 3 is still in flight, 2 connected
  CHECK(h.pm.stats().dials_started == 3);
  CHECK(h.pm.stats().dials_succeeded == 1);
}

TEST_CASE("peer manager: dials only fill the shortfall to the low watermark") {
  PeerManagerConfig c = small_config();
  c.low_watermark = 3;
  c.max_concurrent_dials = 10;
  Harness h(c);
  h.open(9, t0);
  h.open(8, t0);
  h.tick(t0, {candidate(1), candidate(2), candidate(3)});
  CHECK(h.dials().size() == 1);
  h.tick(t0, {candidate(1), candidate(2), candidate(3)});  // the one in flight counts
  CHECK(h.dials().empty());
}

TEST_CASE("peer manager: candidates that cannot be dialed are skipped and counted") {
  PeerManagerConfig c = small_config();
  c.low_watermark = 10;
  c.high_watermark = 20;
  c.max_concurrent_dials = 10;
  Harness h(c);
  h.open(1, t0);                                                      // connected
  h.pm.ban(test_peer(2), seconds(100), t0);                            // banned
  h.pm.handle_dial_result(test_peer(4), false, t0);                    // in backoff
  DialCandidate dialing = candidate(3);
  dialing.dialing = true;                                             // the caller dials it
  DialCandidate no_addr = candidate(5);
  no_addr.addresses.clear();
  h.actions();
  h.tick(t0, {candidate(1), candidate(2), dialing, candidate(4), no_addr, candidate(6), candidate(6)});
  CHECK(h.dials() == std::vector<PeerId>{test_peer(6)});  // the duplicate entry once
  const auto& s = h.pm.stats();
  CHECK(s.candidates_skipped_connected == 1);
  CHECK(s.candidates_skipped_banned == 1);
  CHECK(s.candidates_skipped_dialing == 1);
  CHECK(s.candidates_skipped_backoff == 1);
  CHECK(s.candidates_skipped_no_address == 1);
  h.tick(t0, {candidate(6)});  // our own dial in flight
  CHECK(s.candidates_skipped_dialing == 2);
}

TEST_CASE("peer manager: trimming ends at the low watermark; below it dialing resumes") {
  PeerManagerConfig c = small_config();
  c.low_watermark = 3;
  c.high_watermark = 4;
  Harness h(c);
  for (std::uint8_t p = 1; p <= 5; ++p) h.open(p, t0);
  h.tick(old_enough, {candidate(9)});
  const auto first = h.actions();  // 4 left: above low, so no dial
  REQUIRE(first.size() == 1);
  CHECK(std::holds_alternative<Trim>(first[0]));
  CHECK(h.pm.trimming());
  for (ConnectionId id = 1; id <= 3; ++id) h.pm.handle_connection_closed(id, old_enough);  // 1 left
  h.tick(old_enough + seconds(1), {candidate(9)});
  // The trimmed connection (id 4 or 5) still open, count 1 < low: trimming ends, dialing starts.
  CHECK_FALSE(h.pm.trimming());
  CHECK(h.dials() == std::vector<PeerId>{test_peer(9)});
}

TEST_CASE("peer manager: dial backoff doubles per failure up to its cap, and a success resets it") {
  PeerManagerConfig c = small_config();
  c.dial_backoff_initial_ms = milliseconds(1000);
  c.dial_backoff_multiplier = 2.0;
  c.dial_backoff_max_ms = milliseconds(5000);
  Harness h(c);
  const PeerId p = test_peer(1);
  TimePoint now = t0;
  const std::vector<milliseconds> expected{milliseconds(1000), milliseconds(2000), milliseconds(4000),
                                           milliseconds(5000), milliseconds(5000)};
  for (const milliseconds delay : expected) {
    h.tick(now, {candidate(1)});
    REQUIRE(h.dials() == std::vector<PeerId>{p});
    h.pm.handle_dial_result(p, false, now);
    CHECK(h.pm.dial_ready_at(p, now) == now + delay);
    h.tick(now + delay - milliseconds(1), {candidate(1)});
    CHECK(h.dials().empty());  // not before
    now += delay;
  }
  CHECK(h.pm.dial_failures(p) == 5);
  h.tick(now, {candidate(1)});
  REQUIRE(h.dials().size() == 1);
  h.pm.handle_dial_result(p, true, now);
  CHECK(h.pm.dial_failures(p) == 0);
  CHECK(h.pm.dial_ready_at(p, now) == now);
  h.pm.handle_dial_result(p, false, now);
  CHECK(h.pm.dial_ready_at(p, now) == now + milliseconds(1000));  // back to the first delay
  CHECK(h.pm.stats().dials_failed == 6);
}

TEST_CASE("peer manager: the backoff delay is jittered between its floor and ceiling") {
  PeerManagerConfig c = small_config();
  c.dial_backoff_min_ms = milliseconds(100);
  PeerManager pm(c, [] { return 0.0; });
  pm.handle_dial_result(test_peer(1), false, t0);
  pm.handle_dial_result(test_peer(1), false, t0);
  CHECK(pm.dial_ready_at(test_peer(1), t0) == t0 + milliseconds(100));  // floor, not 2000
}

TEST_CASE("peer manager: a dial never reported times out as a failure and frees its slot") {
  PeerManagerConfig c = small_config();
  c.max_concurrent_dials = 1;
  c.dial_timeout_ms = milliseconds(30'000);
  Harness h(c);
  h.tick(t0, {candidate(1), candidate(2)});
  CHECK(h.dials() == std::vector<PeerId>{test_peer(1)});
  h.tick(t0 + milliseconds(29'999), {candidate(1), candidate(2)});
  CHECK(h.dials().empty());
  const TimePoint late = t0 + milliseconds(30'000);
  h.tick(late, {candidate(1), candidate(2)});
  CHECK(h.dials() == std::vector<PeerId>{test_peer(2)});  // 1 is now in backoff
  CHECK(h.pm.stats().dials_timed_out == 1);
  CHECK(h.pm.dial_failures(test_peer(1)) == 1);
}

TEST_CASE("peer manager: misbehaviour adds points per kind; at the threshold the peer is banned") {
  PeerManagerConfig c = small_config();
  c.penalty_half_life_ms = milliseconds(0);  // no decay
  Harness h(c);
  const PeerId p = test_peer(1);
  const ConnectionId a = h.open(1, t0, Direction::inbound, ip(1));
  const ConnectionId b = h.open(1, t0, Direction::outbound, ip(2));
  h.pm.protect(p, "bootstrap", t0);  // a ban overrides protection and the grace period
  h.events();
  CHECK_FALSE(h.pm.handle_misbehaviour(p, MisbehaviourKind::protocol_violation, t0));  // 20
  CHECK_FALSE(h.pm.handle_misbehaviour(p, MisbehaviourKind::flood, t0));               // 45
  CHECK_FALSE(h.pm.handle_misbehaviour(p, MisbehaviourKind::flood, t0));               // 70
  CHECK_FALSE(h.pm.handle_misbehaviour(p, MisbehaviourKind::invalid_message, t0));     // 80
  CHECK(h.pm.points(p, t0) == doctest::Approx(80));
  CHECK(h.actions().empty());
  CHECK(h.pm.handle_misbehaviour(p, MisbehaviourKind::invalid_peer_exchange, t0));     // 100
  CHECK(h.pm.is_banned(p, t0));
  CHECK(h.pm.points(p, t0) == 0);  // reset: the ban is the punishment
  const auto actions = h.actions();
  REQUIRE(actions.size() == 3);
  const auto& ban = std::get<Ban>(actions[0]);
  CHECK(ban.peer == p);
  CHECK(ban.until == t0 + c.ban_duration_ms);
  CHECK(ban.reason == BanReason::misbehaviour);
  CHECK(ban.kind == MisbehaviourKind::invalid_peer_exchange);
  CHECK(ban.addresses == std::vector<IpKey>{ip(1), ip(2)});
  CHECK(std::get<Trim>(actions[1]).connection == a);
  CHECK(std::get<Trim>(actions[2]).connection == b);
  CHECK(std::get<Trim>(actions[2]).reason == TrimReason::peer_banned);
  const auto events = h.events();
  REQUIRE(events.size() == 3);
  CHECK(events[0].kind == PeerEvent::Kind::banned);
  CHECK(events[0].ban_reason == BanReason::misbehaviour);
  CHECK(h.pm.stats().bans_misbehaviour == 1);
  CHECK(h.pm.stats().trims_banned == 2);
  CHECK(h.pm.stats().misbehaviour_for(MisbehaviourKind::flood) == 2);
  // More reports while banned change nothing.
  CHECK_FALSE(h.pm.handle_misbehaviour(p, MisbehaviourKind::flood, t0));
  CHECK(h.pm.stats().misbehaviour_while_banned == 1);
  CHECK(h.actions().empty());
}

TEST_CASE("peer manager: a bad handshake signature bans at once with the defaults") {
  Harness h{PeerManagerConfig{}};
  CHECK(h.pm.handle_misbehaviour(test_peer(1), MisbehaviourKind::bad_handshake_signature, t0));
}

TEST_CASE("peer manager: points halve every penalty_half_life_ms") {
  PeerManagerConfig c = small_config();
  c.penalty_half_life_ms = milliseconds(1000);
  Harness h(c);
  const PeerId p = test_peer(1);
  h.pm.handle_misbehaviour(p, MisbehaviourKind::invalid_message, t0);  // 10
  CHECK(h.pm.points(p, t0 + milliseconds(1000)) == doctest::Approx(5));
  CHECK(h.pm.points(p, t0 + milliseconds(2000)) == doctest::Approx(2.5));
  // Decayed points are what the next report adds to: 90 + 2.5 stays below 100.
  for (int i = 0; i < 9; ++i) h.pm.handle_misbehaviour(p, MisbehaviourKind::invalid_message, t0 + milliseconds(2000));
  CHECK_FALSE(h.pm.is_banned(p, t0 + milliseconds(2000)));
  CHECK(h.pm.points(p, t0 + milliseconds(2000)) == doctest::Approx(92.5));
}

TEST_CASE("peer manager: bans end at the first tick at or after their end") {
  PeerManagerConfig c = small_config();
  c.ban_duration_ms = milliseconds(5000);
  Harness h(c);
  const PeerId p = test_peer(1);
  h.pm.handle_misbehaviour(p, MisbehaviourKind::bad_handshake_signature, t0);
  h.actions();
  h.events();
  CHECK(h.pm.is_banned(p, t0 + milliseconds(4999)));
  CHECK_FALSE(h.pm.is_banned(p, t0 + milliseconds(5000)));  // already not banned for queries
  h.tick(t0 + milliseconds(4999));
  CHECK(h.actions().empty());
  h.tick(t0 + milliseconds(5000));
  const auto actions = h.actions();
  REQUIRE(actions.size() == 1);
  CHECK(std::get<Unban>(actions[0]).peer == p);
  CHECK(std::get<Unban>(actions[0]).reason == UnbanReason::expired);
  CHECK(h.events().at(0).kind == PeerEvent::Kind::unbanned);
  CHECK(h.pm.banned_count() == 0);
  CHECK(h.pm.stats().bans_expired == 1);
}

TEST_CASE("peer manager: a connection from a banned peer is trimmed when reported") {
  Harness h;
  h.pm.ban(test_peer(1), seconds(10), t0);
  h.actions();
  const ConnectionId id = h.next_id;
  CHECK_FALSE(h.pm.handle_connection_opened(OpenedConnection{id, test_peer(1), Direction::inbound, {}, t0}, t0));
  const auto actions = h.actions();
  REQUIRE(actions.size() == 1);
  CHECK(std::get<Trim>(actions[0]).connection == id);
  CHECK(std::get<Trim>(actions[0]).reason == TrimReason::peer_banned);
  CHECK(h.pm.stats().connections_refused_banned == 1);
  CHECK(h.pm.connection_count() == 0);
}

TEST_CASE("peer manager: manual bans and unbans") {
  Harness h;
  const PeerId p = test_peer(1);
  h.pm.ban(p, seconds(10), t0);
  auto actions = h.actions();
  REQUIRE(actions.size() == 1);
  CHECK(std::get<Ban>(actions[0]).reason == BanReason::manual);
  CHECK(h.pm.ban_until(p) == t0 + seconds(10));
  h.pm.ban(p, seconds(5), t0);  // a shorter ban keeps the later end
  CHECK(h.pm.ban_until(p) == t0 + seconds(10));
  h.actions();
  CHECK(h.pm.unban(p));
  actions = h.actions();
  REQUIRE(actions.size() == 1);
  CHECK(std::get<Unban>(actions[0]).reason == UnbanReason::manual);
  CHECK_FALSE(h.pm.unban(p));
  CHECK(h.pm.stats().bans_manual == 2);
  CHECK(h.pm.stats().unbans_manual == 1);
}

TEST_CASE("peer manager: the ban table stays within max_banned_peers, dropping the ban ending soonest") {
  PeerManagerConfig c = small_config();
  c.max_banned_peers = 2;
  Harness h(c);
  h.pm.ban(test_peer(1), seconds(30), t0);
  h.pm.ban(test_peer(2), seconds(10), t0);
  h.actions();
  h.pm.ban(test_peer(3), seconds(20), t0);
  auto actions = h.actions();
  REQUIRE(actions.size() == 2);
  CHECK(std::get<Unban>(actions[0]).peer == test_peer(2));
  CHECK(std::get<Unban>(actions[0]).reason == UnbanReason::evicted);
  CHECK(std::get<Ban>(actions[1]).peer == test_peer(3));
  CHECK(h.pm.banned_count() == 2);
  // A ban ending before all the others is the one not kept.
  h.pm.ban(test_peer(4), seconds(1), t0);
  CHECK_FALSE(h.pm.is_banned(test_peer(4), t0));
  CHECK(h.pm.stats().bans_evicted == 2);
}

TEST_CASE("peer manager: persisted bans are restored; ended ones come back as expired") {
  PeerManagerConfig c = small_config();
  c.max_banned_peers = 2;
  Harness h(c);
  const std::vector<BanRecord> stored{
      {test_peer(1), t0 + seconds(100)},
      {test_peer(2), t0},                 // ended exactly now
      {test_peer(3), t0 + seconds(300)},
      {test_peer(4), t0 + seconds(50)},   // the table holds two: this one ends soonest
  };
  CHECK(h.pm.restore_bans(stored, t0) == 2);
  CHECK(h.pm.is_banned(test_peer(1), t0));
  CHECK(h.pm.is_banned(test_peer(3), t0));
  CHECK_FALSE(h.pm.is_banned(test_peer(2), t0));
  CHECK_FALSE(h.pm.is_banned(test_peer(4), t0));
  const auto actions = h.actions();  // no Ban actions: they are already persisted
  REQUIRE(actions.size() == 2);
  CHECK(std::get<Unban>(actions[0]).peer == test_peer(2));
  CHECK(std::get<Unban>(actions[0]).reason == UnbanReason::expired);
  CHECK(std::get<Unban>(actions[1]).peer == test_peer(4));
  CHECK(std::get<Unban>(actions[1]).reason == UnbanReason::evicted);
  CHECK(h.pm.stats().bans_restored == 2);
  // A restored ban expires like any other.
  h.tick(t0 + seconds(100));
  CHECK(std::get<Unban>(h.actions().at(0)).peer == test_peer(1));
}

TEST_CASE("peer manager: a restored ban trims a connection already open") {
  Harness h;
  const ConnectionId id = h.open(1, t0);
  const std::vector<BanRecord> stored{{test_peer(1), t0 + seconds(100)}};
  h.pm.restore_bans(stored, t0);
  CHECK(h.trims() == std::vector<ConnectionId>{id});
}

TEST_CASE("peer manager: discovered events for new peers; banned ones are ignored") {
  Harness h;
  CHECK(h.pm.handle_discovered(test_peer(1), t0));
  CHECK(h.pm.handle_discovered(test_peer(1), t0));  // known now: no second event
  h.pm.ban(test_peer(2), seconds(10), t0);
  h.events();
  CHECK_FALSE(h.pm.handle_discovered(test_peer(2), t0));
  CHECK(h.events().empty());
  CHECK(h.pm.stats().peers_discovered == 1);
  CHECK(h.pm.stats().discovered_ignored_banned == 1);
}

TEST_CASE("peer manager: per-peer state stays within max_tracked_peers, sparing connected and protected peers") {
  PeerManagerConfig c = small_config();
  c.max_tracked_peers = 3;
  Harness h(c);
  h.open(1, t0);                                  // connected
  h.pm.protect(test_peer(2), "x", t0);             // protected
  h.pm.handle_discovered(test_peer(3), t0);        // the only evictable one
  h.pm.handle_discovered(test_peer(4), t0 + seconds(1));
  CHECK(h.pm.tracked_peers() == 3);
  CHECK(h.pm.stats().tracked_peers_evicted == 1);
  CHECK(h.pm.is_protected(test_peer(2)));
  // Peer 3 was forgotten: discovering it again is news.
  h.events();
  h.pm.handle_discovered(test_peer(3), t0 + seconds(2));
  CHECK(h.events().size() == 1);
}

}  // namespace weft::peer
