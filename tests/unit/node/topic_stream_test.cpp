// The admin API's topic stream without sockets (src/node/topic_stream): each message's JSON
// line, the time stamp, and the bounded queue with its {"dropped": N} lines.

#include "node/topic_stream.hpp"
#include "test_peer_id.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <string>

namespace weft::node {
namespace {

using json = nlohmann::json;
using namespace std::chrono_literals;

std::chrono::system_clock::time_point at_ms(long long ms) { return std::chrono::system_clock::time_point(std::chrono::milliseconds(ms)); }

std::string line_of(std::size_t n) { return std::string(n, 'x'); }

}  // namespace

TEST_CASE("topic stream: RFC 3339 in UTC with milliseconds") {
  CHECK(rfc3339_milliseconds(at_ms(0)) == "1970-01-01T00:00:00.000Z");
  CHECK(rfc3339_milliseconds(at_ms(1'795'442'709'123)) == "2026-11-23T14:05:09.123Z");
  CHECK(rfc3339_milliseconds(at_ms(951'782'400'007)) == "2000-02-29T00:00:00.007Z");
}

TEST_CASE("topic stream: a message's line has every field") {
  GossipDelivery d{"blocks", std::string("\x00\x24\xff", 3), test::test_peer(7), 42, Bytes{'h', 'i', '!'}, test::test_peer(8)};
  const json line = json::parse(topic_message_line(d, at_ms(1'000)));
  CHECK(line.size() == 7);
  CHECK(line.at("topic") == "blocks");
  CHECK(line.at("from") == test::test_peer(7).to_string());
  CHECK(line.at("seqno") == 42);
  CHECK(line.at("id") == "0024ff");
  CHECK(line.at("data") == "aGkh");
  CHECK(line.at("received_at") == "1970-01-01T00:00:01.000Z");
  CHECK(line.at("received_from") == test::test_peer(8).to_string());

  SUBCASE("no author: from is null; a topic that is not UTF-8 still makes a line") {
    d.author.reset();
    d.topic = "\xff\xfe";
    d.data.clear();
    const std::string text = topic_message_line(d, at_ms(0));
    CHECK(text.find('\n') == std::string::npos);
    const json parsed = json::parse(text);
    CHECK(parsed.at("from").is_null());
    CHECK(parsed.at("data") == "");
  }
}

TEST_CASE("topic stream: the queue keeps order and drops past its message cap, reporting where") {
  TopicStreamQueue queue(2, 1024);
  CHECK(queue.empty());
  CHECK_FALSE(queue.pop().has_value());
  CHECK(queue.push("a"));
  CHECK(queue.push("b"));
  CHECK_FALSE(queue.push("c"));
  CHECK_FALSE(queue.push("d"));
  CHECK(queue.dropped() == 2);
  CHECK(queue.pop() == std::optional<std::string>("a"));
  CHECK(queue.push("e"));  // room again: the two lost come before it
  CHECK(queue.pop() == std::optional<std::string>("b"));
  CHECK(queue.pop() == std::optional<std::string>(dropped_line(2)));
  CHECK(queue.pop() == std::optional<std::string>("e"));
  CHECK_FALSE(queue.pop().has_value());
  CHECK(json::parse(dropped_line(2)) == json{{"dropped", 2}});
}

TEST_CASE("topic stream: losses after the last queued line come out once the queue is empty") {
  TopicStreamQueue queue(1, 1024);
  CHECK(queue.push("a"));
  CHECK_FALSE(queue.push("b"));
  CHECK(queue.pop() == std::optional<std::string>("a"));
  CHECK_FALSE(queue.empty());  // the loss is still to tell
  CHECK(queue.pop() == std::optional<std::string>(dropped_line(1)));
  CHECK(queue.empty());
  CHECK_FALSE(queue.pop().has_value());
}

TEST_CASE("topic stream: the byte cap counts queued lines; a line over it alone is dropped") {
  TopicStreamQueue queue(100, 10);
  CHECK(queue.push(line_of(6)));
  CHECK_FALSE(queue.push(line_of(5)));  // 11 > 10
  CHECK(queue.push(line_of(4)));        // exactly 10
  CHECK(queue.queued_bytes() == 10);
  CHECK(queue.pop() == std::optional<std::string>(line_of(6)));
  CHECK(queue.queued_bytes() == 4);
  CHECK(queue.pop() == std::optional<std::string>(dropped_line(1)));
  CHECK(queue.pop() == std::optional<std::string>(line_of(4)));
  CHECK(queue.queued_bytes() == 0);
  CHECK_FALSE(queue.push(line_of(11)));
  CHECK(queue.dropped() == 2);
}

TEST_CASE("topic stream: zero caps are taken as one") {
  TopicStreamQueue queue(0, 0);
  CHECK(queue.push("x"));
  CHECK_FALSE(queue.push("y"));
}

}  // namespace weft::node
