#pragma once
// Helpers for black-box tests of weft::Node: a bounded wait, node creation that fails the
// test with the node's own error message, and a thread-safe recorder of what a node hands
// to its callbacks (events, gossip messages) on its network thread.

#include <weft/node.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace weft::test {

/// A bound on waiting for something that must happen, so that a bug fails instead of
/// hanging (not a performance assertion).
inline constexpr auto kPatience = std::chrono::seconds(30);

/// Polls `condition` until it holds or kPatience passed; whether it held.
inline bool eventually(const std::function<bool()>& condition) {
  const auto give_up = std::chrono::steady_clock::now() + kPatience;
  while (!condition()) {
    if (std::chrono::steady_clock::now() > give_up) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return true;
}

inline std::unique_ptr<Node> make_node(NodeConfig config) {
  auto node = Node::create(std::move(config));
  REQUIRE_MESSAGE(node.has_value(), (node ? "" : node.error().message()));
  return std::move(node).value();
}

/// A gossiping node on 127.0.0.1 (port 0) with a fresh key, its peer manager ticking every
/// 50 ms and its gossip heartbeat every 100 ms, so that meshes form well within kPatience.
inline NodeConfig gossip_node() {
  NodeConfig config;
  config.listen = {"/ip4/127.0.0.1/tcp/0"};
  config.identity = Keypair::generate();
  config.peer_manager.tick_interval_ms = 50;
  config.gossip.heartbeat_interval_ms = 100;
  return config;
}

inline void start_node(Node& node) {
  auto started = node.start();
  REQUIRE_MESSAGE(started.has_value(), (started ? "" : started.error().message()));
}

/// Records values a node delivers on its network thread, for the test thread to wait on.
/// The record is shared with the callback, which may outlive this object (a node has no
/// way to unsubscribe, and it calls back until it is destroyed).
template <class T>
class Recorder {
 public:
  /// The callback to give the node.
  std::function<void(const T&)> callback() const {
    return [record = record_](const T& value) {
      std::lock_guard lock(record->mutex);
      record->values.push_back(value);
      record->changed.notify_all();
    };
  }
  /// The first value matching `match`, waiting up to kPatience for it.
  std::optional<T> wait_for(const std::function<bool(const T&)>& match) const {
    std::unique_lock lock(record_->mutex);
    std::optional<T> found;
    record_->changed.wait_for(lock, kPatience, [&] {
      for (const auto& v : record_->values) {
        if (match(v)) {
          found = v;
          return true;
        }
      }
      return false;
    });
    return found;
  }
  /// Waits until at least `count` values arrived (or kPatience passed); the values so far.
  std::vector<T> wait_for_count(std::size_t count) const {
    std::unique_lock lock(record_->mutex);
    record_->changed.wait_for(lock, kPatience, [&] { return record_->values.size() >= count; });
    return record_->values;
  }
  std::vector<T> values() const {
    std::lock_guard lock(record_->mutex);
    return record_->values;
  }
  std::size_t count_if(const std::function<bool(const T&)>& match) const {
    std::lock_guard lock(record_->mutex);
    return static_cast<std::size_t>(std::count_if(record_->values.begin(), record_->values.end(), match));
  }

 private:
  struct Record {
    std::mutex mutex;
    std::condition_variable changed;
    std::vector<T> values;
  };
  std::shared_ptr<Record> record_ = std::make_shared<Record>();
};

/// A node's events, recorded from the moment it is constructed.
class EventLog : public Recorder<NodeEvent> {
 public:
  explicit EventLog(Node& node) { node.subscribe(callback()); }
  std::size_t count(NodeEvent::Kind kind) const {
    return count_if([kind](const NodeEvent& e) { return e.kind == kind; });
  }
};

}  // namespace weft::test
