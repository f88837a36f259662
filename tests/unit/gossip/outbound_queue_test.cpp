// OutboundQueue: priority order within a peer, round-robin between peers, the byte cap
// dropping the lowest priority (oldest first), IDONTWANT removal.

#include "gossip/outbound_queue.hpp"

#include "test_peer_id.hpp"

#include <doctest/doctest.h>

#include <algorithm>

using namespace weft;
using namespace weft::gossip;
using weft::test::test_peer;

namespace {

Rpc sized(std::size_t data_bytes, std::uint64_t tag = 0) {
  Message m;
  m.data = Bytes(data_bytes, static_cast<std::uint8_t>(tag));
  m.seqno = Bytes(8, static_cast<std::uint8_t>(tag));
  Rpc r;
  r.publish.push_back(std::make_shared<const Message>(std::move(m)));
  return r;
}
std::uint8_t tag_of(const Outbound& o) { return (*o.rpc.publish[0]->seqno)[0]; }

}  // namespace

TEST_CASE("outbound queue: highest priority first within a peer, FIFO within a priority") {
  OutboundQueue q(1 << 20);
  const PeerId p = test_peer(1);
  q.push(p, sized(10, 1), Priority::gossip);
  q.push(p, sized(10, 2), Priority::forward);
  q.push(p, sized(10, 3), Priority::control);
  q.push(p, sized(10, 4), Priority::forward);
  q.push(p, sized(10, 5), Priority::publish);
  std::vector<int> order;
  while (auto o = q.pop()) order.push_back(tag_of(*o));
  CHECK(order == std::vector<int>{3, 5, 2, 4, 1});
  CHECK(q.empty());
  CHECK(q.queued_bytes(p) == 0);
}

TEST_CASE("outbound queue: peers are served round-robin") {
  OutboundQueue q(1 << 20);
  for (int i = 0; i < 3; ++i) q.push(test_peer(1), sized(1, 10 + i), Priority::forward);
  q.push(test_peer(2), sized(1, 20), Priority::forward);
  std::vector<PeerId> order;
  while (auto o = q.pop()) order.push_back(o->peer);
  CHECK(order == std::vector<PeerId>{test_peer(1), test_peer(2), test_peer(1), test_peer(1)});
}

TEST_CASE("outbound queue: past the byte cap the lowest priority goes first, oldest first") {
  const std::size_t item = estimated_rpc_bytes(sized(100));
  OutboundQueue q(3 * item);
  const PeerId p = test_peer(1);
  CHECK(q.push(p, sized(100, 1), Priority::gossip).items == 0);
  CHECK(q.push(p, sized(100, 2), Priority::forward).items == 0);
  CHECK(q.push(p, sized(100, 3), Priority::gossip).items == 0);
  CHECK(q.queued_bytes(p) == 3 * item);
  auto dropped = q.push(p, sized(100, 4), Priority::control);
  CHECK(dropped.items == 1);
  CHECK(dropped.bytes == item);
  CHECK(q.queued_items(p) == 3);
  // The oldest gossip item (1) went; the rest come out by priority.
  std::vector<int> order;
  while (auto o = q.pop()) order.push_back(tag_of(*o));
  CHECK(order == std::vector<int>{4, 2, 3});
  // An item larger than the cap alone never fits.
  auto huge = q.push(p, sized(10 * item), Priority::control);
  CHECK(huge.items == 1);
  CHECK(q.queued_bytes(p) == 0);
  CHECK_FALSE(q.pop().has_value());
}

TEST_CASE("outbound queue: drop_message removes queued copies of one message") {
  OutboundQueue q(1 << 20);
  const PeerId p = test_peer(1);
  q.push(p, sized(10, 1), Priority::forward, MessageId("a"));
  q.push(p, sized(10, 2), Priority::forward, MessageId("b"));
  q.push(p, sized(10, 3), Priority::publish, MessageId("a"));
  CHECK(q.drop_message(p, "a") == 2);
  CHECK(q.drop_message(p, "a") == 0);
  CHECK(q.drop_message(test_peer(2), "a") == 0);
  CHECK(q.queued_items(p) == 1);
  auto o = q.pop();
  REQUIRE(o.has_value());
  CHECK(tag_of(*o) == 2);
  // A queue emptied by drop_message serves nothing.
  q.push(p, sized(10, 4), Priority::forward, MessageId("c"));
  q.drop_message(p, "c");
  CHECK_FALSE(q.pop().has_value());
}

TEST_CASE("outbound queue: remove_peer forgets everything queued for it") {
  OutboundQueue q(1 << 20);
  q.push(test_peer(1), sized(10), Priority::forward);
  q.push(test_peer(2), sized(10), Priority::forward);
  q.remove_peer(test_peer(1));
  CHECK(q.queued_bytes(test_peer(1)) == 0);
  auto o = q.pop();
  REQUIRE(o.has_value());
  CHECK(o->peer == test_peer(2));
  CHECK_FALSE(q.pop().has_value());
}

TEST_CASE("outbound queue: pop_for serves one peer, highest priority first; take_pushed names each pushed peer once") {
  OutboundQueue q(1 << 20);
  const PeerId a = test_peer(1);
  const PeerId b = test_peer(2);
  q.push(a, sized(10, 1), Priority::forward);
  q.push(a, sized(10, 2), Priority::control);
  q.push(b, sized(10, 3), Priority::forward);
  const auto pushed = q.take_pushed();
  CHECK(pushed.size() == 2);
  CHECK(q.take_pushed().empty());  // each once, until something is pushed again
  std::vector<int> order;
  while (auto o = q.pop_for(a)) {
    CHECK(o->peer == a);
    order.push_back(tag_of(*o));
  }
  CHECK(order == std::vector<int>{2, 1});
  CHECK(q.queued_items(a) == 0);
  CHECK(q.queued_items(b) == 1);
  CHECK_FALSE(q.pop_for(test_peer(3)).has_value());
  // Mixing with pop(): the emptied peer is passed over, b is served once.
  q.push(a, sized(10, 4), Priority::forward);
  CHECK(q.take_pushed() == std::vector<PeerId>{a});
  std::vector<int> rest;
  while (auto o = q.pop()) rest.push_back(tag_of(*o));
  std::sort(rest.begin(), rest.end());
  CHECK(rest == std::vector<int>{3, 4});
  CHECK(q.empty());
  // A removed peer is forgotten by take_pushed too.
  q.push(b, sized(10, 5), Priority::forward);
  q.remove_peer(b);
  CHECK(q.take_pushed().empty());
}
