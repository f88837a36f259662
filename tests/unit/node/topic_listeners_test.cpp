// Who wants a gossip topic (src/node/topic_listeners): the embedder's handler and the
// internal listeners share one router subscription, which lasts while any of them wants
// the topic; each gets every delivery; removing one disturbs none of the others.

#include "node/topic_listeners.hpp"
#include "test_peer_id.hpp"

#include <doctest/doctest.h>

#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace weft::node {
namespace {

/// The gossip driver's side: which topics are subscribed, with their dispatchers.
struct FakeRouter {
  std::map<std::string, TopicListeners::Deliver> subscribed;
  std::vector<std::string> calls;  ///< "+topic" / "-topic", in order

  std::shared_ptr<TopicListeners> make() {
    return TopicListeners::create(
        [this](const std::string& topic, TopicListeners::Deliver dispatcher) {
          calls.push_back("+" + topic);
          subscribed[topic] = std::move(dispatcher);
        },
        [this](const std::string& topic) {
          calls.push_back("-" + topic);
          subscribed.erase(topic);
        });
  }
  /// Delivers a message on `topic` as the driver would (nothing if not subscribed).
  void deliver(const std::string& topic, std::uint8_t byte) {
    const auto it = subscribed.find(topic);
    if (it == subscribed.end()) return;
    it->second(GossipDelivery{topic, "id", std::nullopt, 1, Bytes{byte}, test::test_peer(1)});
  }
};

/// Records what a handler or listener got: "<topic>:<data byte>".
struct Seen {
  std::vector<std::string> got;
  TopicListeners::Deliver fn() {
    return [this](const GossipDelivery& d) { got.push_back(d.topic + ":" + std::to_string(d.data.at(0))); };
  }
};

}  // namespace

TEST_CASE("topic listeners: a listener beside the embedder's handler; both get each message") {
  FakeRouter router;
  auto listeners = router.make();
  Seen handler, listener;
  listeners->set_handler("blocks", handler.fn());
  const auto token = listeners->add_listener("blocks", listener.fn());
  CHECK(router.calls == std::vector<std::string>{"+blocks"});  // one subscription for both
  router.deliver("blocks", 1);
  CHECK(handler.got == std::vector<std::string>{"blocks:1"});
  CHECK(listener.got == std::vector<std::string>{"blocks:1"});

  listeners->remove_listener(token);
  CHECK(listeners->wanted("blocks"));  // the handler still wants it
  CHECK(router.calls == std::vector<std::string>{"+blocks"});
  router.deliver("blocks", 2);
  CHECK(handler.got == std::vector<std::string>{"blocks:1", "blocks:2"});
  CHECK(listener.got.size() == 1);
}

TEST_CASE("topic listeners: the last one gone unsubscribes; a new one subscribes again") {
  FakeRouter router;
  auto listeners = router.make();
  Seen a, b;
  const auto first = listeners->add_listener("t", a.fn());
  const auto second = listeners->add_listener("t", b.fn());
  CHECK(first != second);
  CHECK(listeners->listeners("t") == 2);
  listeners->remove_listener(first);
  CHECK(router.subscribed.count("t") == 1);
  router.deliver("t", 5);
  CHECK(a.got.empty());
  CHECK(b.got == std::vector<std::string>{"t:5"});
  listeners->remove_listener(second);
  CHECK_FALSE(listeners->wanted("t"));
  CHECK(router.calls == std::vector<std::string>{"+t", "-t"});
  listeners->remove_listener(second);  // an unknown token: nothing happens
  listeners->remove_listener(12345);
  CHECK(router.calls.size() == 2);
  listeners->add_listener("t", a.fn());
  CHECK(router.calls == std::vector<std::string>{"+t", "-t", "+t"});
}

TEST_CASE("topic listeners: removing the handler keeps the topic while a listener wants it") {
  FakeRouter router;
  auto listeners = router.make();
  Seen handler, listener;
  listeners->set_handler("t", handler.fn());
  const auto token = listeners->add_listener("t", listener.fn());
  listeners->remove_handler("t");
  CHECK_FALSE(listeners->has_handler("t"));
  CHECK(router.subscribed.count("t") == 1);
  router.deliver("t", 3);
  CHECK(handler.got.empty());
  CHECK(listener.got == std::vector<std::string>{"t:3"});
  listeners->remove_listener(token);
  CHECK(router.calls == std::vector<std::string>{"+t", "-t"});
  listeners->remove_handler("t");  // none: a no-op
  listeners->remove_handler("other");
  CHECK(router.calls.size() == 2);
}

TEST_CASE("topic listeners: a new handler replaces the old without a second subscription; topics are separate") {
  FakeRouter router;
  auto listeners = router.make();
  Seen old_handler, new_handler, other;
  listeners->set_handler("t", old_handler.fn());
  listeners->set_handler("t", new_handler.fn());
  listeners->add_listener("u", other.fn());
  CHECK(router.calls == std::vector<std::string>{"+t", "+u"});
  router.deliver("t", 1);
  router.deliver("u", 2);
  CHECK(old_handler.got.empty());
  CHECK(new_handler.got == std::vector<std::string>{"t:1"});
  CHECK(other.got == std::vector<std::string>{"u:2"});
}

TEST_CASE("topic listeners: one that throws or removes itself does not stop the others") {
  FakeRouter router;
  auto listeners = router.make();
  Seen last;
  listeners->set_handler("t", [](const GossipDelivery&) { throw std::runtime_error("handler failed"); });
  TopicListeners::Token self = 0;
  int self_calls = 0;
  self = listeners->add_listener("t", [&](const GossipDelivery&) {
    ++self_calls;
    listeners->remove_listener(self);
  });
  listeners->add_listener("t", last.fn());
  router.deliver("t", 1);
  router.deliver("t", 2);
  CHECK(self_calls == 1);
  CHECK(last.got == std::vector<std::string>{"t:1", "t:2"});
}

TEST_CASE("topic listeners: the dispatcher does nothing once the registry is gone") {
  FakeRouter router;
  Seen listener;
  {
    auto listeners = router.make();
    listeners->add_listener("t", listener.fn());
  }
  router.deliver("t", 1);
  CHECK(listener.got.empty());
}

}  // namespace weft::node
