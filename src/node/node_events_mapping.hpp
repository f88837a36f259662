#pragma once
// The connection table's events and statistics as the public Node types.

#include <weft/node_events.hpp>

#include "conn/pool_stats.hpp"
#include "conn/table_actions.hpp"
#include "util/asio.hpp"

namespace weft::node {

NodeEvent to_node_event(const conn::TableEvent& event);
/// An inbound connection the listener or the table refused.
NodeEvent refused_event(const tcp::endpoint& remote, const Error& reason);
NodeStatistics to_node_statistics(const conn::PoolStats& stats);

}  // namespace weft::node
