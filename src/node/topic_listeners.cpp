#include "node/topic_listeners.hpp"

#include <exception>
#include <vector>

namespace weft::node {
namespace {

void call_guarded(const TopicListeners::Deliver& deliver, const GossipDelivery& delivery) {
  try {
    deliver(delivery);
  } catch (const std::exception&) {
    // A failing handler or listener must not stop delivery to the others.
  }
}

}  // namespace

std::shared_ptr<TopicListeners> TopicListeners::create(Subscribe subscribe, Unsubscribe unsubscribe) {
  return std::make_shared<TopicListeners>(Private{}, std::move(subscribe), std::move(unsubscribe));
}

TopicListeners::TopicListeners(Private, Subscribe subscribe, Unsubscribe unsubscribe)
    : subscribe_(std::move(subscribe)), unsubscribe_(std::move(unsubscribe)) {}

TopicListeners::Wants& TopicListeners::want(const std::string& topic) {
  const auto [it, added] = topics_.try_emplace(topic);
  if (added) {
    subscribe_(topic, [weak = weak_from_this()](const GossipDelivery& delivery) {
      if (auto self = weak.lock()) self->dispatch(delivery);
    });
  }
  return it->second;
}

void TopicListeners::release_if_unwanted(const std::string& topic) {
  const auto it = topics_.find(topic);
  if (it == topics_.end() || it->second.handler || !it->second.listeners.empty()) return;
  topics_.erase(it);
  unsubscribe_(topic);
}

void TopicListeners::set_handler(const std::string& topic, Deliver handler) { want(topic).handler = std::move(handler); }

void TopicListeners::remove_handler(const std::string& topic) {
  const auto it = topics_.find(topic);
  if (it == topics_.end()) return;
  it->second.handler = nullptr;
  release_if_unwanted(topic);
}

TopicListeners::Token TopicListeners::add_listener(const std::string& topic, Deliver listener) {
  const Token token = next_token_++;
  want(topic).listeners.emplace(token, std::move(listener));
  listener_topics_.emplace(token, topic);
  return token;
}

void TopicListeners::remove_listener(Token token) {
  const auto where = listener_topics_.find(token);
  if (where == listener_topics_.end()) return;
  const std::string topic = std::move(where->second);
  listener_topics_.erase(where);
  if (const auto it = topics_.find(topic); it != topics_.end()) it->second.listeners.erase(token);
  release_if_unwanted(topic);
}

bool TopicListeners::has_handler(const std::string& topic) const {
  const auto it = topics_.find(topic);
  return it != topics_.end() && static_cast<bool>(it->second.handler);
}

std::size_t TopicListeners::listeners(const std::string& topic) const {
  const auto it = topics_.find(topic);
  return it == topics_.end() ? 0 : it->second.listeners.size();
}

void TopicListeners::dispatch(const GossipDelivery& delivery) {
  const auto it = topics_.find(delivery.topic);
  if (it == topics_.end()) return;
  // Copies: a handler or listener may add or remove listeners (or the handler) meanwhile.
  const Deliver handler = it->second.handler;
  std::vector<Token> tokens;
  tokens.reserve(it->second.listeners.size());
  for (const auto& [token, listener] : it->second.listeners) tokens.push_back(token);
  if (handler) call_guarded(handler, delivery);
  for (const Token token : tokens) {
    const auto topic = topics_.find(delivery.topic);
    if (topic == topics_.end()) return;
    const auto listener = topic->second.listeners.find(token);
    if (listener == topic->second.listeners.end()) continue;
    const Deliver deliver = listener->second;  // it may remove itself while running
    call_guarded(deliver, delivery);
  }
}

}  // namespace weft::node
