#pragma once
// What the connection table asks its driver to do (actions) and tells its observers
// (events). The table is sans-IO: it decides, the driver does (dial, open a stream, close
// a connection) and reports back through the table's handle_* functions.

#include <weft/error.hpp>
#include <weft/multiaddr.hpp>
#include <weft/peer_id.hpp>

#include "conn/lease_tracker.hpp"

#include <cstdint>
#include <optional>
#include <variant>
#include <vector>

namespace weft::conn {

using ConnectionId = std::uint64_t;
using AcquireId = std::uint64_t;

enum class Direction : std::uint8_t { inbound, outbound };

/// Dial `peer` at `addresses` (in order) and report handle_dial_result(connection, ...).
struct DialAction {
  ConnectionId connection = 0;
  PeerId peer;
  std::vector<Multiaddr> addresses;
};

/// Acquire `acquire` got lease `lease` on `connection`: open a stream there and hand the
/// caller its lease; report release(lease, ...) when the lease ends (or the open fails).
struct GrantAction {
  AcquireId acquire = 0;
  LeaseId lease = 0;
  ConnectionId connection = 0;
};

/// Acquire `acquire` failed: tell its caller `reason`.
struct FailAction {
  AcquireId acquire = 0;
  Error reason;
};

/// Close `connection` with `reason`, then report handle_closed(connection, ...). Graceful:
/// no new streams either way (yamux go-away), the peer's streams in flight finish, then
/// it closes. Otherwise (a dead connection) at once.
struct CloseAction {
  ConnectionId connection = 0;
  Error reason;
  bool graceful = true;
};

using TableAction = std::variant<DialAction, GrantAction, FailAction, CloseAction>;

struct TableEvent {
  enum class Kind : std::uint8_t {
    connected,       ///< a connection entered the table (inbound or outbound)
    disconnected,    ///< a connection left it; `reason` says why
    degraded,        ///< its health fell below the threshold: no longer handed out
    recovered,       ///< its health recovered
    circuit_opened,  ///< the peer's breaker opened: acquires fail fast for a while
    circuit_closed,  ///< the peer's breaker closed again
    pool_exhausted,  ///< an acquire had to wait (or failed) on a limit; `reason` names it
    lease_leaked,    ///< a lease is held longer than lease_leak_threshold_ms; see `leak`
  };
  Kind kind = Kind::connected;
  PeerId peer;  ///< (PeerId has no empty value: build events with every field)
  ConnectionId connection = 0;
  Direction direction = Direction::outbound;
  Error reason;
  std::optional<OverdueLease> leak;
};

}  // namespace weft::conn
