// The simulated network: fixed per-link latency in range, loss, the upload's bandwidth,
// links going down.

#include "sim_network.hpp"

#include <doctest/doctest.h>

using namespace weft::sim;

namespace {
NetworkParams params(double loss = 0, double bandwidth_bps = 0) {
  return NetworkParams{30 * kMillisecond, 70 * kMillisecond, loss, bandwidth_bps};
}
}  // namespace

TEST_CASE("link latency is drawn in range, once per link, and used both ways") {
  SimNetwork net(200, params(), 1);
  SimTime low = 70 * kMillisecond, high = 30 * kMillisecond;
  for (std::uint32_t i = 0; i + 1 < 200; ++i) {
    const auto link = net.add_link(i, i + 1);
    const SimTime l = net.latency(link);
    CHECK(l >= 30 * kMillisecond);
    CHECK(l <= 70 * kMillisecond);
    low = std::min(low, l);
    high = std::max(high, l);
    const SimTime at = 10 * static_cast<SimTime>(i);  // each node's sends in time order
    CHECK(net.send(i, link, 100, at).arrival == at + l);
    CHECK(net.send(i + 1, link, 100, at + 5).arrival == at + 5 + l);
  }
  CHECK(high - low > 20 * kMillisecond);  // spread over the range, not one value
  CHECK(net.link_between(5, 6).has_value());
  CHECK(net.link_between(6, 5) == net.link_between(5, 6));
  CHECK_FALSE(net.link_between(5, 7).has_value());
  CHECK(net.ends(*net.link_between(5, 6)) == std::pair<std::uint32_t, std::uint32_t>{5, 6});
}

TEST_CASE("a fixed latency when the range is one value") {
  SimNetwork net(2, NetworkParams{50 * kMillisecond, 50 * kMillisecond, 0, 0}, 3);
  CHECK(net.latency(net.add_link(0, 1)) == 50 * kMillisecond);
}

TEST_CASE("loss drops RPCs with the given probability, seeded") {
  auto lost_of = [](double loss, std::uint64_t seed) {
    SimNetwork net(2, params(loss), seed);
    const auto link = net.add_link(0, 1);
    int lost = 0;
    for (int i = 0; i < 10000; ++i) lost += net.send(0, link, 10, i) .lost ? 1 : 0;
    return lost;
  };
  CHECK(lost_of(0.0, 1) == 0);
  CHECK(lost_of(1.0, 1) == 10000);
  const int some = lost_of(0.1, 1);
  CHECK(some > 800);
  CHECK(some < 1200);
  CHECK(lost_of(0.1, 1) == some);  // same seed, same losses
}

TEST_CASE("the upload sends one RPC at a time at the node's bandwidth") {
  SimNetwork net(3, params(0, 1e6), 1);  // 1 Mbit/s
  const auto a = net.add_link(0, 1);
  const auto b = net.add_link(0, 2);
  CHECK_FALSE(net.unlimited_bandwidth());
  // 125,000 bytes = 1 Mbit: one second on the upload, then the link's latency.
  const auto first = net.send(0, a, 125000, 0);
  CHECK(net.upload_free_at(0) == kSecond);
  CHECK(first.arrival == kSecond + net.latency(a));
  // The next RPC, on another link, waits for the upload.
  const auto second = net.send(0, b, 125, 10);
  CHECK(net.upload_free_at(0) == kSecond + kMillisecond);
  CHECK(second.arrival == kSecond + kMillisecond + net.latency(b));
  // Other nodes' uploads are their own.
  CHECK(net.upload_free_at(1) == 0);
  CHECK(net.send(1, a, 125, 0).arrival == kMillisecond + net.latency(a));
  // Once idle, an RPC starts when sent.
  CHECK(net.send(0, a, 125, 5 * kSecond).arrival == 5 * kSecond + kMillisecond + net.latency(a));
}

TEST_CASE("unlimited bandwidth adds no sending time") {
  SimNetwork net(2, params(), 1);
  const auto link = net.add_link(0, 1);
  CHECK(net.unlimited_bandwidth());
  for (int i = 0; i < 3; ++i) CHECK(net.send(0, link, 1 << 20, 7).arrival == 7 + net.latency(link));
}

TEST_CASE("a link that goes down loses what was in flight, even if it comes back") {
  SimNetwork net(2, params(), 1);
  const auto link = net.add_link(0, 1);
  const auto in_flight = net.send(0, link, 10, 0);
  CHECK(net.alive(link, in_flight.epoch));
  net.set_up(link, false);
  CHECK_FALSE(net.up(link));
  CHECK_FALSE(net.alive(link, in_flight.epoch));
  net.set_up(link, true);
  CHECK(net.up(link));
  CHECK_FALSE(net.alive(link, in_flight.epoch));
  CHECK(net.alive(link, net.send(0, link, 10, 0).epoch));
}
