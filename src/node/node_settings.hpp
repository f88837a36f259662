#pragma once
// NodeConfig (public) onto the configs of the layers below it. The one place that knows
// both, so the public header carries no internal types.

#include <weft/error.hpp>
#include <weft/node_config.hpp>

#include "conn/connection_pool.hpp"
#include "node/admin_api.hpp"
#include "node/gossip_service.hpp"
#include "node/peer_service.hpp"
#include "node/request_response.hpp"
#include "util/asio.hpp"

#include <filesystem>
#include <optional>
#include <vector>

namespace weft::node {

/// The pool's config. Errors: config_invalid naming the setting (a warm-up peer that is not
/// a multiaddr ending in /p2p/<PeerId>, an empty handshake version list, a zero limit that
/// must be positive).
Result<conn::PoolConfig> to_pool_config(const NodeConfig& config);

RequestConfig to_request_config(const NodeConfig& config);

/// The admin server's config; nullopt when admin.enabled is false. Errors: config_invalid
/// naming the setting (admin.listen not <ip>:<port>, a zero limit; max_subscribers may be 0).
Result<std::optional<AdminConfig>> to_admin_config(const NodeConfig& config);

/// The peer manager's config; nullopt when peer_manager.enabled is false. Its store lives in
/// `data_dir`/peerstore.db, or in memory when `data_dir` is nullopt. The bootstrap peers are
/// the pool's warm-up peers. Errors: config_invalid naming the key (peer_manager.*).
Result<std::optional<PeerServiceConfig>> to_peer_service_config(const NodeConfig& config, const conn::PoolConfig& pool,
                                                                const std::optional<std::filesystem::path>& data_dir);

/// The gossip driver's config; nullopt when gossip.enabled is false. Errors: config_invalid
/// naming the key (a zero queue or cache cap) or the rule check_config found broken.
Result<std::optional<GossipServiceConfig>> to_gossip_config(const NodeConfig& config);

/// A listen address as an endpoint: `/ip4|ip6/<address>/tcp/<port>` only.
/// Errors: the multiaddr's parse errors; multiaddr_not_tcp; multiaddr_invalid_value.
Result<tcp::endpoint> listen_endpoint(const std::string& text);

/// `endpoint` as /ip4|ip6/<address>/tcp/<port>/p2p/<id>.
Multiaddr full_address(const tcp::endpoint& endpoint, const PeerId& id);

}  // namespace weft::node
