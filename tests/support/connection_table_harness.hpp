#pragma once
// Drives a ConnectionTable with a fake clock and collects its actions and events, so that
// tests read like a script: acquire, let the dial succeed, advance time, look at what came
// out.

#include "conn/connection_table.hpp"
#include "seeded_unit_random.hpp"
#include "test_peer_id.hpp"

#include <weft/multiaddr.hpp>

#include <doctest/doctest.h>

#include <chrono>
#include <variant>
#include <vector>

namespace weft::test {

using namespace std::chrono_literals;

struct TableHarness {
  conn::TimePoint now = conn::TimePoint{} + std::chrono::hours(1);
  PeerId local;
  conn::ConnectionTable table;
  std::vector<conn::TableAction> actions;
  std::vector<conn::TableEvent> events;

  explicit TableHarness(conn::ConnectionTableConfig config = {}, std::uint8_t local_byte = 1)
      : local(test_peer(local_byte)), table(local, std::move(config), seeded_unit_random(7)) {
    table.start(now);
    drain();
  }

  static std::vector<Multiaddr> addresses_of(std::uint8_t n) {
    return {Multiaddr::parse("/ip4/10.0.0." + std::to_string(n) + "/tcp/4001").value()};
  }

  void drain() {
    while (auto a = table.poll_action()) actions.push_back(std::move(*a));
    while (auto e = table.poll_event()) events.push_back(std::move(*e));
  }

  conn::AcquireId acquire(const PeerId& peer, std::uint8_t address = 9) {
    const auto id = table.acquire(peer, addresses_of(address), now);
    drain();
    return id;
  }

  void advance(std::chrono::milliseconds by) {
    now += by;
    table.handle_tick(now);
    drain();
  }

  /// Removes and returns every queued action of type T, in order.
  template <class T>
  std::vector<T> take() {
    std::vector<T> out;
    std::vector<conn::TableAction> rest;
    for (auto& a : actions) {
      if (auto* t = std::get_if<T>(&a)) {
        out.push_back(std::move(*t));
      } else {
        rest.push_back(std::move(a));
      }
    }
    actions = std::move(rest);
    return out;
  }

  /// The one queued action of type T (fails the test when there is not exactly one).
  template <class T>
  T take_one() {
    auto all = take<T>();
    REQUIRE(all.size() == 1);
    return all.front();
  }

  std::vector<conn::TableEvent> take_events(conn::TableEvent::Kind kind) {
    std::vector<conn::TableEvent> out;
    std::vector<conn::TableEvent> rest;
    for (auto& e : events) (e.kind == kind ? out : rest).push_back(std::move(e));
    events = std::move(rest);
    return out;
  }

  /// The dial for `dial` succeeds now.
  void dial_succeeds(const conn::DialAction& dial) {
    table.handle_dial_result(dial.connection, success(), now);
    drain();
  }
  void dial_fails(const conn::DialAction& dial) {
    table.handle_dial_result(dial.connection, Error(Errc::dial_failed, "test: refused"), now);
    drain();
  }

  /// Idle eviction at 60 s, cleanup every 10 s, one keep-alive peer: the eviction and
  /// keep-alive tests' config.
  static conn::ConnectionTableConfig eviction_config() {
    conn::ConnectionTableConfig config;
    config.idle_timeout_ms = std::chrono::milliseconds(60'000);
    config.cleanup_interval_ms = std::chrono::milliseconds(10'000);
    config.keep_alive_count = 1;
    return config;
  }

  /// Connects to `peer` and ends three leases on the connection as failed, so that the next
  /// health check finds it degraded. Returns the first grant (its lease already released).
  conn::GrantAction connect_with_failed_streams(const PeerId& peer) {
    const auto first = connect(peer);
    table.release(first.lease, conn::LeaseOutcome{true}, now);
    for (int i = 0; i < 2; ++i) {
      acquire(peer);
      table.release(take_one<conn::GrantAction>().lease, conn::LeaseOutcome{true}, now);
    }
    return first;
  }

  /// Acquires `peer`, lets the dial succeed, and returns the grant.
  conn::GrantAction connect(const PeerId& peer) {
    const auto id = acquire(peer);
    dial_succeeds(take_one<conn::DialAction>());
    auto grant = take_one<conn::GrantAction>();
    REQUIRE(grant.acquire == id);
    return grant;
  }
};

}  // namespace weft::test
