#pragma once
// The subscribers of one Node: added from any thread, called on the network thread.

#include <weft/node_events.hpp>

#include <functional>
#include <mutex>
#include <vector>

namespace weft::node {

class EventHub {
 public:
  using Callback = std::function<void(const NodeEvent&)>;

  /// Thread-safe; `callback` sees every event published after this returns.
  void add(Callback callback) {
    std::lock_guard lock(mutex_);
    callbacks_.push_back(std::move(callback));
  }
  /// Calls every subscriber in the order they subscribed, without holding the lock (so a
  /// subscriber may subscribe another).
  void publish(const NodeEvent& event) const {
    std::vector<Callback> callbacks;
    {
      std::lock_guard lock(mutex_);
      callbacks = callbacks_;
    }
    for (const auto& callback : callbacks) callback(event);
  }

 private:
  mutable std::mutex mutex_;
  std::vector<Callback> callbacks_;
};

}  // namespace weft::node
