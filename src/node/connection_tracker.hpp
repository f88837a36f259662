#pragma once
// What the admin API shows per connection that the connection table does not expose: when
// each connection was established and whether its health is degraded. Fed with the table's
// events (sans-IO: time is passed in).
//
// Bounded: one entry per connection between its `connected` and `disconnected` events, so
// never more than the table's max_total_connections. Single-threaded (the network thread).

#include "conn/pool_time.hpp"
#include "conn/table_actions.hpp"

#include <optional>
#include <unordered_map>

namespace weft::node {

class ConnectionTracker {
 public:
  /// connected: starts tracking the connection at `now`; disconnected: forgets it;
  /// degraded / recovered: sets / clears its flag. Other kinds are ignored.
  void handle_event(const conn::TableEvent& event, conn::TimePoint now);

  /// When the connection was established; nullopt for one not (or no longer) tracked.
  std::optional<conn::TimePoint> established_at(conn::ConnectionId id) const;
  /// Whether its last health event was `degraded`; false for untracked ones.
  bool degraded(conn::ConnectionId id) const;
  std::size_t tracked() const noexcept { return connections_.size(); }

 private:
  struct Entry {
    conn::TimePoint established_at{};
    bool degraded = false;
  };
  std::unordered_map<conn::ConnectionId, Entry> connections_;
};

}  // namespace weft::node
