#pragma once
// What the peer manager asks its driver to do (actions) and tells observers (events). The
// manager is sans-IO: it decides, the driver dials, closes and persists, and reports back
// through PeerManager's handle_* functions.

#include <weft/multiaddr.hpp>
#include <weft/peer_id.hpp>

#include "conn/table_actions.hpp"  // ConnectionId, Direction
#include "peer/ip_key.hpp"
#include "peer/peer_manager_config.hpp"

#include <cstdint>
#include <optional>
#include <string_view>
#include <variant>
#include <vector>

namespace weft::peer {

using conn::ConnectionId;
using conn::Direction;

/// Dial `peer` at `addresses` (in the caller's order), then report
/// PeerManager::handle_dial_result(peer, ...).
struct Dial {
  PeerId peer;
  std::vector<Multiaddr> addresses;
};

enum class TrimReason : std::uint8_t {
  above_high_watermark,  ///< shedding connections down to low_watermark
  peer_banned,           ///< the connection's peer is banned
};
std::string_view to_string(TrimReason reason) noexcept;

/// Close `connection` (gracefully), then report handle_connection_closed(connection).
struct Trim {
  ConnectionId connection = 0;
  PeerId peer;
  TrimReason reason = TrimReason::above_high_watermark;
};

enum class BanReason : std::uint8_t {
  misbehaviour,  ///< points reached ban_threshold; `kind` is the report that crossed it
  manual,        ///< PeerManager::ban() (an operator or embedder)
};
std::string_view to_string(BanReason reason) noexcept;

/// `peer` is banned until `until`: persist it (restore_bans() on the next start), refuse
/// its connections. `addresses` are the IP keys its connections came from, for the
/// driver to ban in the InboundGate too if it wishes.
struct Ban {
  PeerId peer;
  TimePoint until;
  BanReason reason = BanReason::misbehaviour;
  MisbehaviourKind kind = MisbehaviourKind::protocol_violation;  ///< meaningful for misbehaviour
  std::vector<IpKey> addresses;
};

enum class UnbanReason : std::uint8_t {
  expired,  ///< the ban's time ran out (seen at a tick)
  evicted,  ///< dropped early to keep the ban table within max_banned_peers
  manual,   ///< PeerManager::unban()
};
std::string_view to_string(UnbanReason reason) noexcept;

/// `peer` is no longer banned: forget the persisted ban.
struct Unban {
  PeerId peer;
  UnbanReason reason = UnbanReason::expired;
};

using PeerAction = std::variant<Dial, Trim, Ban, Unban>;

struct PeerEvent {
  enum class Kind : std::uint8_t {
    discovered,  ///< handle_discovered() learned a peer the manager did not know
    connected,   ///< the peer's first connection opened
    trimmed,     ///< one of its connections was chosen for trimming; see `trim_reason`
    banned,      ///< it was banned; see `ban_reason`
    unbanned,    ///< its ban ended
  };
  Kind kind = Kind::discovered;
  PeerId peer;
  std::optional<ConnectionId> connection;  ///< connected, trimmed
  TrimReason trim_reason = TrimReason::above_high_watermark;
  BanReason ban_reason = BanReason::misbehaviour;
};
std::string_view to_string(PeerEvent::Kind kind) noexcept;

}  // namespace weft::peer
