// Tests for src/peer/inbound_gate.cpp with a fake clock: every refusal reason (and its
// counter and name), the per-IPv4 and per-IPv6-/56 caps, the pending-handshake caps, the
// accept bucket's refill, bans and their expiry, and unmatched reports.
#include "peer/inbound_gate.hpp"

#include <boost/asio/ip/address.hpp>
#include <doctest/doctest.h>

namespace weft::peer {
namespace {

using std::chrono::milliseconds;

const TimePoint t0 = TimePoint{} + std::chrono::hours(1);

IpKey key(const char* text) { return ip_key_of(boost::asio::ip::make_address(text)); }

/// A config where only the limit under test can bite.
InboundGateConfig roomy() {
  InboundGateConfig c;
  c.max_connections_per_ipv4 = 1000;
  c.max_connections_per_ipv6_56 = 1000;
  c.max_pending_handshakes = 1000;
  c.max_pending_handshakes_per_ip = 1000;
  c.accept_rate_per_s = 0;
  c.accept_burst = 1000;
  return c;
}

/// Admits and completes a handshake: one established connection of `k`.
void establish(InboundGate& gate, const IpKey& k, TimePoint now) {
  REQUIRE(gate.admit(k, now));
  REQUIRE(gate.on_handshake_done(k, true));
}

}  // namespace

TEST_CASE("inbound gate: every refusal reason has its name") {
  CHECK(to_string(InboundRefusal::ip_banned) == "ip_banned");
  CHECK(to_string(InboundRefusal::pending_full) == "pending_full");
  CHECK(to_string(InboundRefusal::pending_per_ip_full) == "pending_per_ip_full");
  CHECK(to_string(InboundRefusal::ipv4_connections_full) == "ipv4_connections_full");
  CHECK(to_string(InboundRefusal::ipv6_subnet_full) == "ipv6_subnet_full");
  CHECK(to_string(InboundRefusal::rate_limited) == "rate_limited");
}

TEST_CASE("inbound gate: defaults as documented") {
  const InboundGateConfig c;
  CHECK(c.max_connections_per_ipv4 == 8);
  CHECK(c.max_connections_per_ipv6_56 == 32);
  CHECK(c.max_pending_handshakes == 256);
  CHECK(c.max_pending_handshakes_per_ip == 16);
  CHECK(c.accept_rate_per_s == 50.0);
  CHECK(c.accept_burst == 100);
}

TEST_CASE("inbound gate: the per-IPv4 cap counts pending and established, per address") {
  InboundGateConfig c = roomy();
  c.max_connections_per_ipv4 = 3;
  InboundGate gate(c, t0);
  const IpKey a = key("198.51.100.1");
  establish(gate, a, t0);
  establish(gate, a, t0);
  REQUIRE(gate.admit(a, t0));  // pending
  CHECK(gate.established_for(a) == 2);
  CHECK(gate.pending_for(a) == 1);
  const auto refused = gate.admit(a, t0);
  CHECK_FALSE(refused);
  CHECK(refused.reason == InboundRefusal::ipv4_connections_full);
  CHECK(refused.key == a);
  CHECK(gate.admit(key("198.51.100.2"), t0));  // another address is unaffected
  // A failed handshake frees its slot; so does a closed connection.
  CHECK(gate.on_handshake_done(a, false));
  CHECK(gate.admit(a, t0));
  CHECK_FALSE(gate.admit(a, t0));
  CHECK(gate.on_connection_closed(a));
  CHECK(gate.admit(a, t0));
  CHECK(gate.stats().refused_for(InboundRefusal::ipv4_connections_full) == 2);
  CHECK(gate.stats().refused_total == 2);
}

TEST_CASE("inbound gate: the IPv6 cap applies to the whole /56") {
  InboundGateConfig c = roomy();
  c.max_connections_per_ipv6_56 = 2;
  InboundGate gate(c, t0);
  establish(gate, key("2001:db8:0:ab01::1"), t0);
  establish(gate, key("2001:db8:0:abff::99"), t0);  // another host, same /56
  const auto refused = gate.admit(key("2001:db8:0:ab42::7"), t0);
  CHECK_FALSE(refused);
  CHECK(refused.reason == InboundRefusal::ipv6_subnet_full);
  CHECK(gate.admit(key("2001:db8:0:ac00::1"), t0));  // the next /56
  CHECK(gate.stats().refused_for(InboundRefusal::ipv6_subnet_full) == 1);
}

TEST_CASE("inbound gate: the pending-handshake caps, total and per address") {
  InboundGateConfig c = roomy();
  c.max_pending_handshakes = 3;
  c.max_pending_handshakes_per_ip = 2;
  InboundGate gate(c, t0);
  const IpKey a = key("203.0.113.1");
  REQUIRE(gate.admit(a, t0));
  REQUIRE(gate.admit(a, t0));
  auto refused = gate.admit(a, t0);
  CHECK(refused.reason == InboundRefusal::pending_per_ip_full);
  REQUIRE(gate.admit(key("203.0.113.2"), t0));
  CHECK(gate.pending() == 3);
  refused = gate.admit(key("203.0.113.3"), t0);
  CHECK(refused.reason == InboundRefusal::pending_full);
  // Established connections do not count against the pending caps.
  REQUIRE(gate.on_handshake_done(a, true));
  CHECK(gate.pending() == 2);
  CHECK(gate.admit(key("203.0.113.3"), t0));
  CHECK(gate.stats().refused_for(InboundRefusal::pending_per_ip_full) == 1);
  CHECK(gate.stats().refused_for(InboundRefusal::pending_full) == 1);
}

TEST_CASE("inbound gate: the accept bucket allows a burst, then refills at its rate") {
  InboundGateConfig c = roomy();
  c.accept_rate_per_s = 10;  // one token per 100 ms
  c.accept_burst = 3;
  InboundGate gate(c, t0);
  for (int i = 0; i < 3; ++i) {
    REQUIRE(gate.admit(key("192.0.2.1"), t0));
  }
  auto refused = gate.admit(key("192.0.2.2"), t0);
  CHECK(refused.reason == InboundRefusal::rate_limited);
  CHECK(gate.tokens(t0 + milliseconds(99)) < 1.0);
  CHECK(gate.admit(key("192.0.2.2"), t0 + milliseconds(100)));
  CHECK_FALSE(gate.admit(key("192.0.2.2"), t0 + milliseconds(100)));
  // A long pause refills only up to the burst.
  CHECK(gate.tokens(t0 + std::chrono::seconds(60)) == doctest::Approx(3.0));
  for (int i = 0; i < 3; ++i) CHECK(gate.admit(key("192.0.2.3"), t0 + std::chrono::seconds(60)));
  CHECK_FALSE(gate.admit(key("192.0.2.3"), t0 + std::chrono::seconds(60)));
  CHECK(gate.stats().refused_for(InboundRefusal::rate_limited) == 3);
  CHECK(gate.stats().admitted == 7);
}

TEST_CASE("inbound gate: refused connections take no token") {
  InboundGateConfig c = roomy();
  c.accept_burst = 2;
  c.max_connections_per_ipv4 = 1;
  InboundGate gate(c, t0);
  const IpKey a = key("192.0.2.10");
  REQUIRE(gate.admit(a, t0));
  for (int i = 0; i < 10; ++i) CHECK(gate.admit(a, t0).reason == InboundRefusal::ipv4_connections_full);
  CHECK(gate.tokens(t0) == doctest::Approx(1.0));
  CHECK(gate.admit(key("192.0.2.11"), t0));
}

TEST_CASE("inbound gate: a burst of 0 refuses everything") {
  InboundGateConfig c = roomy();
  c.accept_burst = 0;
  c.accept_rate_per_s = 100;
  InboundGate gate(c, t0);
  CHECK(gate.admit(key("192.0.2.1"), t0 + std::chrono::seconds(10)).reason == InboundRefusal::rate_limited);
}

TEST_CASE("inbound gate: a banned address is refused until the ban ends, exclusive") {
  InboundGate gate(roomy(), t0);
  const IpKey a = key("192.0.2.50");
  gate.ban_ip(a, t0 + milliseconds(1000));
  CHECK(gate.is_banned(a, t0));
  auto refused = gate.admit(a, t0 + milliseconds(999));
  CHECK(refused.reason == InboundRefusal::ip_banned);
  CHECK(gate.admit(a, t0 + milliseconds(1000)));
  CHECK(gate.banned_ips() == 1);
  gate.expire_bans(t0 + milliseconds(1000));
  CHECK(gate.banned_ips() == 0);
  gate.ban_ip(a, t0 + milliseconds(5000));
  gate.unban_ip(a);
  CHECK(gate.admit(a, t0));
  CHECK(gate.stats().refused_for(InboundRefusal::ip_banned) == 1);
}

TEST_CASE("inbound gate: the ban list stays within max_banned_ips, dropping the ban ending soonest") {
  InboundGateConfig c = roomy();
  c.max_banned_ips = 2;
  InboundGate gate(c, t0);
  gate.ban_ip(key("192.0.2.1"), t0 + milliseconds(3000));
  gate.ban_ip(key("192.0.2.2"), t0 + milliseconds(1000));
  gate.ban_ip(key("192.0.2.3"), t0 + milliseconds(2000));
  CHECK(gate.banned_ips() == 2);
  CHECK_FALSE(gate.is_banned(key("192.0.2.2"), t0));
  CHECK(gate.is_banned(key("192.0.2.1"), t0));
  CHECK(gate.is_banned(key("192.0.2.3"), t0));
  CHECK(gate.stats().bans_evicted == 1);
  gate.ban_ip(key("192.0.2.3"), t0 + milliseconds(9000));  // re-ban: replaced, nothing dropped
  CHECK(gate.stats().bans_evicted == 1);
}

TEST_CASE("inbound gate: reports with nothing to release are counted and ignored") {
  InboundGate gate(roomy(), t0);
  const IpKey a = key("192.0.2.60");
  CHECK_FALSE(gate.on_handshake_done(a, true));
  CHECK_FALSE(gate.on_connection_closed(a));
  REQUIRE(gate.admit(a, t0));
  CHECK_FALSE(gate.on_connection_closed(a));  // pending, not established
  CHECK(gate.on_handshake_done(a, true));
  CHECK_FALSE(gate.on_handshake_done(a, true));
  CHECK(gate.stats().unmatched_reports == 4);
  CHECK(gate.on_connection_closed(a));
  CHECK(gate.tracked_keys() == 0);  // entries go away at zero
  CHECK(gate.stats().handshakes_succeeded == 1);
}

}  // namespace weft::peer
