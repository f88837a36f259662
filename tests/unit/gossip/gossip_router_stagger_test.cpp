// GossipRouter staggered sends (GossipConfig::stagger_*): a large message goes at once to
// stagger_first_peers of its mesh peers and to the others one by one, stagger_interval_us
// apart; a peer whose IDONTWANT or copy came first is skipped. Small messages, our own
// publishes and a full stagger queue go out at once.

#include "gossip/gossip_router.hpp"

#include "gossip_test_support.hpp"

#include <doctest/doctest.h>

using namespace weft;
using namespace weft::gossip;
using namespace weft::test;

namespace {

const TopicId kTopic = "blocks";
const std::string kLarge(16 * 1024, 'x');

GossipConfig staggered(std::size_t first = 1, std::uint64_t interval_us = 5000) {
  GossipConfig c;
  c.stagger_first_peers = first;
  c.stagger_interval_us = interval_us;
  c.stagger_min_message_bytes = 16 * 1024;
  c.idontwant_min_message_bytes = 1 << 30;  // keep IDONTWANT out of these counts
  return c;
}

std::size_t copies(const std::vector<Outbound>& out) {
  std::size_t n = 0;
  for (const auto& o : out) n += o.rpc.publish.size();
  return n;
}

Rpc idontwant(MessageId id) {
  ControlMessage c;
  c.idontwant.push_back({{std::move(id)}});
  return control_rpc(std::move(c));
}

}  // namespace

TEST_CASE("stagger: a large message goes to the first peers at once and to the rest one per interval") {
  RouterFixture f = subscribed_with(kTopic, 5, staggered(1, 5000));
  const MessagePtr m = authored(90, kTopic, kLarge, 1);
  f.rpc(1, publish_rpc({m}));
  CHECK(copies(f.drain()) == 1);  // peers 2..5 are due: one now, three later
  CHECK(f.router.stats().staggered_sends == 3);
  REQUIRE(f.router.next_deadline().has_value());
  CHECK(*f.router.next_deadline() == f.now + std::chrono::microseconds(5000));
  f.advance(std::chrono::microseconds(4999));
  CHECK(copies(f.drain()) == 0);
  f.advance(std::chrono::microseconds(1));
  CHECK(copies(f.drain()) == 1);
  f.advance(std::chrono::microseconds(10'000));
  const auto rest = f.drain();
  CHECK(copies(rest) == 2);
  CHECK(messages_to(rest, gossip_peer(1)) == 0);  // never back to the source
  CHECK(f.router.stats().messages_forwarded == 4);
}

TEST_CASE("stagger: a peer whose IDONTWANT arrives before its turn is skipped") {
  RouterFixture f = subscribed_with(kTopic, 4, staggered(1, 5000));
  const MessagePtr m = authored(90, kTopic, kLarge, 1);
  const MessageId id = message_id(*m, MessageIdMode::author_seqno);
  f.rpc(1, publish_rpc({m}));
  const auto first = f.drain();
  REQUIRE(copies(first) == 1);
  for (std::uint32_t p = 2; p <= 4; ++p) {
    if (messages_to(first, gossip_peer(p)) == 0) f.rpc(p, idontwant(id));
  }
  f.advance(std::chrono::milliseconds(20));
  CHECK(copies(f.drain()) == 0);
  CHECK(f.router.stats().stagger_suppressed == 2);
  CHECK(f.router.stats().messages_forwarded == 1);
}

TEST_CASE("stagger: a peer that sends us a copy before its turn is not sent one") {
  RouterFixture f = subscribed_with(kTopic, 3, staggered(1, 5000));
  const MessagePtr m = authored(90, kTopic, kLarge, 1);
  f.rpc(1, publish_rpc({m}));
  const auto first = f.drain();
  REQUIRE(copies(first) == 1);
  const std::uint32_t waiting = messages_to(first, gossip_peer(2)) == 0 ? 2 : 3;
  f.rpc(waiting, publish_rpc({m}));  // a duplicate: it has the message
  f.advance(std::chrono::milliseconds(20));
  CHECK(copies(f.drain()) == 0);
  CHECK(f.router.stats().stagger_suppressed == 1);
}

TEST_CASE("stagger: small messages, our own publishes, and interval 0 are not staggered") {
  SUBCASE("below stagger_min_message_bytes") {
    RouterFixture f = subscribed_with(kTopic, 5, staggered());
    f.rpc(1, publish_rpc({authored(90, kTopic, std::string(16 * 1024 - 1, 'x'), 1)}));
    CHECK(copies(f.drain()) == 4);
  }
  SUBCASE("our own publish (flood publish sends to every topic peer at once)") {
    RouterFixture f = subscribed_with(kTopic, 5, staggered());
    REQUIRE(f.router.publish(kTopic, Bytes(kLarge.begin(), kLarge.end()), f.now).has_value());
    CHECK(copies(f.drain()) == 5);
  }
  SUBCASE("stagger_interval_us = 0 turns it off") {
    RouterFixture f = subscribed_with(kTopic, 5, staggered(1, 0));
    f.rpc(1, publish_rpc({authored(90, kTopic, kLarge, 1)}));
    CHECK(copies(f.drain()) == 4);
  }
  SUBCASE("no more peers than stagger_first_peers") {
    RouterFixture f = subscribed_with(kTopic, 3, staggered(2));
    f.rpc(1, publish_rpc({authored(90, kTopic, kLarge, 1)}));
    CHECK(copies(f.drain()) == 2);
  }
}

TEST_CASE("stagger: past max_staggered_sends a copy goes at once; a peer gone meanwhile is skipped") {
  GossipConfig c = staggered(1, 5000);
  c.max_staggered_sends = 2;
  RouterFixture f = subscribed_with(kTopic, 5, c);
  const MessagePtr m = authored(90, kTopic, kLarge, 1);
  f.rpc(1, publish_rpc({m}));
  CHECK(copies(f.drain()) == 2);  // the first, and the one past the cap
  CHECK(f.router.stats().staggered_sends == 2);
  // The waiting peers leave before their turn.
  for (std::uint32_t p = 2; p <= 5; ++p) f.router.handle_peer_down(gossip_peer(p));
  f.drain();
  f.advance(std::chrono::milliseconds(20));
  CHECK(copies(f.drain()) == 0);
}
