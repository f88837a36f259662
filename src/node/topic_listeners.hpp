#pragma once
// Who wants each gossip topic inside one node run: the embedder's handler (Node::subscribe,
// at most one per topic, a new one replaces it) and any number of internal listeners (the
// admin API's `GET /v1/subscribe` streams), each added under a token and removed by it.
//
// The router subscription is shared: the topic is subscribed (through `subscribe`, with
// one dispatcher that hands each delivery to the handler, then to every listener) when the
// first of them wants it, and unsubscribed only when the last is gone. So a listener never
// replaces or disturbs the embedder's handler, and removing one never leaves a topic that
// something else still wants.
//
// Sans-IO: `subscribe` and `unsubscribe` are the gossip driver's (GossipService's) calls,
// given as functions. Threading: the network thread only, like the driver; a handler or
// listener may add or remove listeners while it is being called (the dispatcher calls only
// the ones still present). An exception a handler or listener throws is swallowed.

#include "node/gossip_service.hpp"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>

namespace weft::node {

class TopicListeners : public std::enable_shared_from_this<TopicListeners> {
 public:
  using Deliver = std::function<void(const GossipDelivery&)>;
  using Subscribe = std::function<void(const std::string& topic, Deliver dispatcher)>;
  using Unsubscribe = std::function<void(const std::string& topic)>;
  using Token = std::uint64_t;

  /// Shared: the dispatcher given to `subscribe` holds a weak reference.
  static std::shared_ptr<TopicListeners> create(Subscribe subscribe, Unsubscribe unsubscribe);
  TopicListeners(const TopicListeners&) = delete;
  TopicListeners& operator=(const TopicListeners&) = delete;

  /// The embedder's handler of `topic` (replacing an earlier one).
  void set_handler(const std::string& topic, Deliver handler);
  /// Drops the embedder's handler of `topic`; no-op without one.
  void remove_handler(const std::string& topic);
  /// Adds a listener of `topic`; the token removes it. Tokens are never reused.
  Token add_listener(const std::string& topic, Deliver listener);
  /// Removes the listener; no-op for an unknown (or already removed) token.
  void remove_listener(Token token);

  /// True while a handler or a listener wants `topic` (it is subscribed in the router).
  bool wanted(const std::string& topic) const { return topics_.count(topic) != 0; }
  bool has_handler(const std::string& topic) const;
  std::size_t listeners(const std::string& topic) const;

  // Public for make_shared only; use create().
  struct Private {};
  TopicListeners(Private, Subscribe subscribe, Unsubscribe unsubscribe);

 private:
  struct Wants {
    Deliver handler;                    ///< empty: no embedder handler
    std::map<Token, Deliver> listeners;
  };
  /// The Wants of `topic`, subscribing the topic when it is new.
  Wants& want(const std::string& topic);
  /// Unsubscribes `topic` when nothing wants it any more.
  void release_if_unwanted(const std::string& topic);
  void dispatch(const GossipDelivery& delivery);

  Subscribe subscribe_;
  Unsubscribe unsubscribe_;
  std::map<std::string, Wants> topics_;
  std::map<Token, std::string> listener_topics_;
  Token next_token_ = 1;
};

}  // namespace weft::node
