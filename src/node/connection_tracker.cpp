#include "node/connection_tracker.hpp"

namespace weft::node {

void ConnectionTracker::handle_event(const conn::TableEvent& event, conn::TimePoint now) {
  using Kind = conn::TableEvent::Kind;
  switch (event.kind) {
    case Kind::connected: connections_[event.connection] = Entry{now, false}; break;
    case Kind::disconnected: connections_.erase(event.connection); break;
    case Kind::degraded:
    case Kind::recovered:
      if (auto it = connections_.find(event.connection); it != connections_.end()) {
        it->second.degraded = event.kind == Kind::degraded;
      }
      break;
    default: break;
  }
}

std::optional<conn::TimePoint> ConnectionTracker::established_at(conn::ConnectionId id) const {
  const auto it = connections_.find(id);
  if (it == connections_.end()) return std::nullopt;
  return it->second.established_at;
}

bool ConnectionTracker::degraded(conn::ConnectionId id) const {
  const auto it = connections_.find(id);
  return it != connections_.end() && it->second.degraded;
}

}  // namespace weft::node
