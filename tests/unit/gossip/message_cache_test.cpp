// MessageCache: windows (served for history_windows shifts, gossiped for gossip_windows),
// per-topic gossip ids, per-peer IWANT counts, the entry cap.

#include "gossip/message_cache.hpp"

#include "test_peer_id.hpp"

#include <doctest/doctest.h>

using namespace weft;
using namespace weft::gossip;
using weft::test::test_peer;

namespace {
MessagePtr msg(TopicId topic) {
  Message m;
  m.topic = std::move(topic);
  return std::make_shared<const Message>(std::move(m));
}
}  // namespace

TEST_CASE("message cache: served for 5 windows, gossiped for the newest 3") {
  MessageCache c(5, 3, 100);
  CHECK(c.put("m", msg("t")));
  CHECK_FALSE(c.put("m", msg("t")));
  for (int shift = 0; shift < 5; ++shift) {
    CAPTURE(shift);
    CHECK(c.get("m") != nullptr);
    CHECK(c.gossip_ids("t") == std::vector<MessageId>(shift < 3 ? 1 : 0, "m"));
    c.shift();
  }
  CHECK(c.get("m") == nullptr);
  CHECK(c.size() == 0);
}

TEST_CASE("message cache: gossip ids are per topic, newest window first") {
  MessageCache c(5, 3, 100);
  c.put("old", msg("t"));
  c.put("other", msg("u"));
  c.shift();
  c.put("new", msg("t"));
  CHECK(c.gossip_ids("t") == std::vector<MessageId>{"new", "old"});
  CHECK(c.gossip_ids("u") == std::vector<MessageId>{"other"});
  CHECK(c.gossip_ids("none").empty());
}

TEST_CASE("message cache: IWANT requests are counted per peer and message") {
  MessageCache c(5, 3, 100);
  c.put("m", msg("t"));
  auto first = c.get_for_peer("m", test_peer(1));
  REQUIRE(first.has_value());
  CHECK(first->first == c.get("m"));
  CHECK(first->second == 1);
  CHECK(c.get_for_peer("m", test_peer(1))->second == 2);
  CHECK(c.get_for_peer("m", test_peer(2))->second == 1);
  CHECK_FALSE(c.get_for_peer("x", test_peer(1)).has_value());
}

TEST_CASE("message cache: the entry cap refuses and counts") {
  MessageCache c(5, 3, 2);
  CHECK(c.put("a", msg("t")));
  CHECK(c.put("b", msg("t")));
  CHECK_FALSE(c.put("c", msg("t")));
  CHECK(c.refused() == 1);
  CHECK(c.get("c") == nullptr);
  // Room again once a window ages out.
  for (int i = 0; i < 5; ++i) c.shift();
  CHECK(c.put("c", msg("t")));
}
