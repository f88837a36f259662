#pragma once
// The connection table's events and statistics as the public Node types.

#include <weft/node_events.hpp>

#include "conn/pool_stats.hpp"
#include "conn/table_actions.hpp"

namespace weft::node {

NodeEvent to_node_event(const conn::TableEvent& event);
NodeStatistics to_node_statistics(const conn::PoolStats& stats);

}  // namespace weft::node
