#pragma once
// Runs a HandshakeMachine over a TCP socket (driver): reads, feeds the machine, writes
// what it produces, all under one deadline for the whole handshake.

#include <weft/error.hpp>

#include "channel/channel_config.hpp"
#include "conn/secure_connection.hpp"
#include "handshake/handshake_machine.hpp"
#include "util/asio.hpp"

#include <chrono>
#include <memory>

namespace weft::conn {

/// Wall-clock `now` for the handshake's timestamp checks.
handshake::WallTime wall_now();

/// Completes `machine` on `socket` (connected to `remote`) before `deadline`. On success,
/// the established connection; on failure the reason: the machine's error,
/// handshake_timeout, or handshake_closed. A Reject the machine produced is sent before
/// the socket closes.
asio::awaitable<Result<std::shared_ptr<SecureConnection>>> run_handshake(
    tcp::socket socket, tcp::endpoint remote, handshake::HandshakeMachine machine,
    std::chrono::steady_clock::time_point deadline, channel::ChannelConfig channel_config);

}  // namespace weft::conn
