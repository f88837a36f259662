#pragma once
// Dials a multiaddr and runs the initiator handshake (driver).
//
// The address must be `/ip4|ip6|dns|dns4|dns6/<host>/tcp/<port>[/p2p/<PeerId>]`. With a
// `/p2p/` part, a responder with any other identity fails with handshake_peer_id_mismatch.
// The TCP connect has `connect_timeout_ms`; the handshake has its own deadline.

#include <weft/error.hpp>
#include <weft/keys.hpp>
#include <weft/multiaddr.hpp>

#include "channel/channel_config.hpp"
#include "conn/secure_connection.hpp"
#include "handshake/handshake_config.hpp"
#include "handshake/handshake_machine.hpp"
#include "util/asio.hpp"

#include <cstdint>
#include <memory>

namespace weft::conn {

struct DialConfig {
  handshake::HandshakeConfig handshake;
  channel::ChannelConfig channel;
  std::uint64_t connect_timeout_ms = 10'000;
  handshake::EarlyData early_data;  ///< what we tell the responder (listen addrs, protocols)
};

/// Parameters are taken by value (a coroutine must not hold references to its caller's
/// temporaries). Errors: multiaddr_not_tcp; dial_failed (resolve or connect, with the OS reason and
/// the address); any handshake error.
asio::awaitable<Result<std::shared_ptr<SecureConnection>>> dial(Keypair identity, Multiaddr address,
                                                               DialConfig config);

}  // namespace weft::conn
