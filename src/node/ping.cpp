#include "node/ping.hpp"

#include <sodium.h>

#include <algorithm>

namespace weft::node {

Bytes encode_ping_message(const PingMessage& message) {
  Bytes out;
  out.reserve(1 + kPingPayloadBytes);
  out.push_back(static_cast<std::uint8_t>(message.type));
  out.insert(out.end(), message.payload.begin(), message.payload.end());
  return out;
}

Result<PingMessage> decode_ping_message(ByteView in) {
  if (in.size() != 1 + kPingPayloadBytes) {
    return Error(Errc::ping_malformed, std::to_string(in.size()) + " bytes, expected " +
                                           std::to_string(1 + kPingPayloadBytes));
  }
  if (in[0] != static_cast<std::uint8_t>(PingType::ping) && in[0] != static_cast<std::uint8_t>(PingType::pong)) {
    return Error(Errc::ping_malformed, "unknown type " + std::to_string(in[0]));
  }
  PingMessage message{static_cast<PingType>(in[0]), {}};
  std::copy(in.begin() + 1, in.end(), message.payload.begin());
  return message;
}

asio::awaitable<Error> serve_ping(std::shared_ptr<conn::SecureConnection> connection) {
  for (;;) {
    auto received = co_await connection->receive();
    if (!received) co_return received.error();
    auto message = decode_ping_message(received.value());
    if (!message || message.value().type != PingType::ping) {
      Error reason = message ? Error(Errc::ping_malformed, "unexpected pong") : message.error();
      connection->close(reason);
      co_return reason;
    }
    message.value().type = PingType::pong;
    connection->send(encode_ping_message(message.value()));
  }
}

asio::awaitable<Result<std::chrono::nanoseconds>> ping_once(std::shared_ptr<conn::SecureConnection> connection) {
  PingMessage ping{PingType::ping, {}};
  randombytes_buf(ping.payload.data(), ping.payload.size());
  const auto start = std::chrono::steady_clock::now();
  connection->send(encode_ping_message(ping));
  auto received = co_await connection->receive();
  const auto rtt = std::chrono::steady_clock::now() - start;
  if (!received) co_return received.error();
  auto pong = decode_ping_message(received.value());
  if (!pong) {
    connection->close(pong.error());
    co_return pong.error();
  }
  if (pong.value().type != PingType::pong || pong.value().payload != ping.payload) {
    Error reason(Errc::ping_mismatch);
    connection->close(reason);
    co_return reason;
  }
  co_return std::chrono::duration_cast<std::chrono::nanoseconds>(rtt);
}

asio::awaitable<Error> serve_ping(conn::Stream stream) {
  std::array<std::uint8_t, kPingMessageBytes> buffer{};
  for (;;) {
    auto first = co_await stream.read_some(std::span<std::uint8_t>(buffer.data(), 1));
    if (!first) co_return first.error();
    if (first.value() == 0) {
      (void)stream.close_write();
      co_return Error(Errc::mux_stream_closed, "the peer ended the ping stream");
    }
    auto rest = co_await stream.read_exact(std::span<std::uint8_t>(buffer.data() + 1, kPingPayloadBytes));
    if (!rest) co_return rest.error();
    auto message = decode_ping_message(ByteView(buffer.data(), buffer.size()));
    if (!message || message.value().type != PingType::ping) {
      stream.reset();
      co_return message ? Error(Errc::ping_malformed, "unexpected pong") : message.error();
    }
    message.value().type = PingType::pong;
    auto sent = co_await stream.write_all(encode_ping_message(message.value()));
    if (!sent) co_return sent.error();
  }
}

asio::awaitable<Result<std::chrono::nanoseconds>> ping_once(conn::Stream& stream) {
  PingMessage ping{PingType::ping, {}};
  randombytes_buf(ping.payload.data(), ping.payload.size());
  const auto start = std::chrono::steady_clock::now();
  auto sent = co_await stream.write_all(encode_ping_message(ping));
  if (!sent) co_return sent.error();
  std::array<std::uint8_t, kPingMessageBytes> buffer{};
  auto received = co_await stream.read_exact(buffer);
  const auto rtt = std::chrono::steady_clock::now() - start;
  if (!received) co_return received.error();
  auto pong = decode_ping_message(ByteView(buffer.data(), buffer.size()));
  if (!pong) co_return pong.error();
  if (pong.value().type != PingType::pong || pong.value().payload != ping.payload) co_return Error(Errc::ping_mismatch);
  co_return std::chrono::duration_cast<std::chrono::nanoseconds>(rtt);
}

}  // namespace weft::node
