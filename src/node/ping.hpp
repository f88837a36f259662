#pragma once
// The ping protocol over a secure connection, as libp2p's ping does it: the dialer sends
// 32 random bytes, the other side echoes them, the dialer measures the round trip.
//
// Each ping and pong is 33 bytes: a type byte (0x01 ping, 0x02 pong) then the 32 payload
// bytes; anything else is ping_malformed. Nodes speak it on a stream of kPingProtocol
// (many pings per stream); the channel-level form (one message per channel frame) serves
// tests of the secure channel below the muxer.

#include <weft/bytes.hpp>
#include <weft/error.hpp>

#include "conn/secure_connection.hpp"
#include "conn/stream.hpp"
#include "util/asio.hpp"

#include <array>
#include <chrono>
#include <cstdint>
#include <memory>

namespace weft::node {

inline constexpr std::size_t kPingPayloadBytes = 32;
inline constexpr std::size_t kPingMessageBytes = 1 + kPingPayloadBytes;
inline constexpr const char* kPingProtocol = "/weft/ping/1";

enum class PingType : std::uint8_t { ping = 0x01, pong = 0x02 };

struct PingMessage {
  PingType type;
  std::array<std::uint8_t, kPingPayloadBytes> payload;
};

Bytes encode_ping_message(const PingMessage& message);

/// Errors: ping_malformed (wrong size or unknown type).
Result<PingMessage> decode_ping_message(ByteView in);

/// Answers every ping on `connection` until it closes; returns why it closed. A malformed
/// message closes the connection with ping_malformed.
asio::awaitable<Error> serve_ping(std::shared_ptr<conn::SecureConnection> connection);

/// Sends one ping and waits for its pong; returns the round-trip time. Errors: the
/// connection's, ping_malformed, ping_mismatch (each also closes the connection).
asio::awaitable<Result<std::chrono::nanoseconds>> ping_once(std::shared_ptr<conn::SecureConnection> connection);

/// Answers pings on `stream` until the peer ends it; returns why it ended (mux_stream_closed
/// for a clean end). A malformed message resets the stream with ping_malformed.
asio::awaitable<Error> serve_ping(conn::Stream stream);

/// One ping on `stream` and its pong; the round-trip time. Errors: the stream's,
/// ping_malformed, ping_mismatch.
asio::awaitable<Result<std::chrono::nanoseconds>> ping_once(conn::Stream& stream);

}  // namespace weft::node
