// GossipService (src/node/gossip_service) over two connection pools on loopback, black-box:
// a gossip peer that opens its stream and subscribes, but never reads the stream we send
// on, cannot make our memory grow without bound. What waits for it (in the router's queue,
// until the stream takes it) is capped at max_queued_bytes_per_peer; the rest is dropped
// whole, lowest priority first, counted (send_queue_dropped in the public statistics) and
// reported to the slow-peer listener; the peer stays up, and once it reads again every
// frame it gets decodes and new messages reach it.
//
// No timing: the assertions hold whenever they are checked. Every RPC we produce for the
// peer is, at any moment, sent (its write finished: in the peer's receive window or our
// session's send buffer, both bounded), dropped, in the one write in flight, or waiting in
// the queue. Without the cap nothing would be dropped and the queue would hold all but
// the few frames the two windows absorb.

#include "pool_peer.hpp"
#include "io_test_support.hpp"
#include "gossip_test_support.hpp"  // subscribe_rpc

#include "gossip/rpc_codec.hpp"
#include "gossip/rpc_frame_reader.hpp"
#include "node/gossip_service.hpp"
#include "util/asio.hpp"

#include <weft/keys.hpp>
#include <weft/multiaddr.hpp>
#include <weft/peer_id.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <array>
#include <memory>
#include <string>
#include <vector>

namespace weft {
namespace {

using Peer = test::PoolPeer;

/// What the stalled peer read once it started reading.
struct Received {
  std::size_t messages = 0;
  std::size_t last_message_bytes = 0;  ///< the data size of the newest message read
  bool broken = false;                 ///< a frame that did not decode
};

/// Reads `stream` until it ends, counting the messages of each RPC frame.
asio::awaitable<void> read_all(conn::Stream* stream, Received* out, gossip::RpcLimits limits) {
  gossip::RpcFrameReader reader(limits.max_rpc_bytes);
  std::array<std::uint8_t, 16 * 1024> buffer{};
  for (;;) {
    auto n = co_await stream->read_some(buffer);
    if (!n || n.value() == 0) co_return;
    ByteView rest(buffer.data(), n.value());
    while (!rest.empty()) {
      auto taken = reader.put(rest);
      if (!taken) {
        out->broken = true;
        co_return;
      }
      rest = rest.subspan(taken.value());
      while (auto body = reader.poll_frame()) {
        auto rpc = gossip::decode_rpc(*body, limits);
        if (!rpc) {
          out->broken = true;
          co_return;
        }
        for (const auto& message : rpc.value().publish) {
          ++out->messages;
          out->last_message_bytes = message->data ? message->data->size() : 0;
        }
      }
    }
  }
}

}  // namespace

TEST_CASE("gossip service: a peer that never reads its stream gets a capped queue; the excess is dropped, counted and reported") {
  constexpr std::size_t kCap = 256 * 1024;
  constexpr std::size_t kMessageBytes = 64 * 1024;  // each frame is larger: at most kCap / it wait
  constexpr std::size_t kMessages = 64;             // 4 MiB: far past the cap and both windows
  const std::string topic = "t";

  asio::io_context io;
  Peer us(io);
  Peer stalled(io);

  node::GossipServiceConfig config;
  config.router.max_queued_bytes_per_peer = kCap;
  config.router.async_signature_checks = false;  // no threads: the test drives the io_context alone
  auto created = node::GossipService::create(us.pool, us.identity, config);
  REQUIRE(created.has_value());
  std::shared_ptr<node::GossipService> service = created.value();
  service->start();
  std::size_t reports = 0, reported_items = 0;
  service->set_slow_peer_listener([&](const PeerId& peer, std::size_t items, std::size_t) {
    CHECK(peer == stalled.id());
    ++reports;
    reported_items += items;
  });

  // The stalled peer: takes our stream and never reads it; opens its own and subscribes.
  std::vector<conn::Stream> held;
  stalled.pool->set_handler(std::string(node::kGossipProtocol),
                            [&held](conn::Stream stream) { held.push_back(std::move(stream)); });
  const std::vector<Multiaddr> addresses{us.address};
  const std::string protocol(node::kGossipProtocol);
  auto lease = test::run(io, stalled.pool->acquire(us.id(), addresses, protocol));
  REQUIRE(lease.has_value());
  const Bytes subscribe = gossip::encode_rpc_frame(test::subscribe_rpc({topic}));
  auto written = test::run(io, lease.value().stream().write_all(subscribe));
  REQUIRE(written.has_value());
  test::run_until(io, [&] {
    return held.size() == 1 && service->counters().streams_opened == 1 && service->topic_peers(topic).size() == 1;
  });

  const Bytes data(kMessageBytes, 0x5a);
  for (std::size_t i = 0; i < kMessages; ++i) {
    REQUIRE(service->publish(topic, data).has_value());
    io.restart();
    io.poll();  // let the writer move what it can
  }
  const node::GossipServiceCounters& c = service->counters();
  const std::uint64_t dropped = service->statistics().send_queue_dropped;
  const std::uint64_t in_service = kMessages - std::min<std::uint64_t>(kMessages, c.frames_sent + dropped);
  CAPTURE(c.frames_sent);
  CAPTURE(dropped);
  // Waiting in the router's queue (at most kCap / frame) plus the one write in flight;
  // control frames only lower it.
  CHECK(in_service <= kCap / kMessageBytes + 1);
  CHECK(dropped > 0);
  CHECK(c.frames_dropped == 0);  // the stream never failed
  // Reported (throttled: the first drop at once, the rest summed into later reports), and
  // the peer was not dropped for it.
  CHECK(reports >= 1);
  CHECK(reports == c.slow_peer_reports);
  CHECK(reported_items >= 1);
  CHECK(reported_items <= dropped);
  CHECK(service->topic_peers(topic) == std::vector<PeerId>{stalled.id()});

  // The peer reads again: every frame decodes (drops are whole frames), and a new, smaller
  // message gets through. The stream is in order: once it is read, so is everything before
  // it, each of our messages either dropped or read.
  Received received;
  asio::co_spawn(io, read_all(&held.front(), &received, config.router.rpc), asio::detached);
  test::run_until(io, [&] { return received.broken || received.messages + dropped >= kMessages; });
  const Bytes last(10, 0x01);
  REQUIRE(service->publish(topic, last).has_value());
  test::run_until(io, [&] { return received.broken || received.last_message_bytes == last.size(); });
  CHECK_FALSE(received.broken);
  const std::size_t read_before_last = received.messages - 1;
  CHECK(read_before_last <= kMessages);
  CHECK(read_before_last + dropped >= kMessages);

  service->stop();
  stalled.pool->stop();
  us.pool->stop();
  io.restart();
  io.poll();
}

}  // namespace weft
