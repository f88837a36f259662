// SecureConnection over real loopback sockets: bulk data arrives whole and in order
// through the batched writer and the shared read buffer, buffers are released once idle,
// closing with writes in flight is clean, and send_now writes at once (a remainder the
// kernel does not take goes out later, in order; a failed write closes the connection).

#include "conn/dialer.hpp"
#include "conn/listener.hpp"
#include "util/asio.hpp"

#include <weft/keys.hpp>
#include <weft/multiaddr.hpp>
#include <weft/peer_id.hpp>

#include <doctest/doctest.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace weft {
namespace {

/// A connected pair on loopback: `client` dialed, `server` accepted.
struct ConnectedPair {
  asio::io_context io;
  Keypair server_key = Keypair::generate();
  std::unique_ptr<conn::Listener> listener;
  std::shared_ptr<conn::SecureConnection> client;
  std::shared_ptr<conn::SecureConnection> server;

  ConnectedPair() {
    conn::Listener::Callbacks callbacks;
    callbacks.on_established = [this](std::shared_ptr<conn::SecureConnection> c) { server = std::move(c); };
    listener = std::make_unique<conn::Listener>(io, server_key, conn::ListenerConfig{}, std::move(callbacks));
    REQUIRE(listener->listen(tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)).has_value());
    const auto address = Multiaddr::parse("/ip4/127.0.0.1/tcp/" + std::to_string(listener->local_endpoint().port()) +
                                          "/p2p/" + PeerId::from_public_key(server_key.public_key()).to_string())
                             .value();
    asio::co_spawn(io, dial_into(address), asio::detached);
    while (!(client && server) && io.run_one() > 0) {
    }
    REQUIRE(client);
    REQUIRE(server);
  }

  asio::awaitable<void> dial_into(Multiaddr address) {
    const conn::DialConfig config;
    auto result = co_await conn::dial(Keypair::generate(), address, config);
    REQUIRE(result.has_value());
    client = result.value();
  }
};

/// Receives until `count` messages arrived or the connection ended.
asio::awaitable<void> receive_messages(std::shared_ptr<conn::SecureConnection> c, std::size_t count,
                                       std::vector<Bytes>& out, std::optional<Error>& ended) {
  while (out.size() < count) {
    auto message = co_await c->receive();
    if (!message) {
      ended = message.error();
      co_return;
    }
    out.push_back(std::move(message).value());
  }
}

/// Receives until `total` bytes arrived (appended to `out`) or the connection ended.
asio::awaitable<void> receive_bytes(std::shared_ptr<conn::SecureConnection> c, std::size_t total, Bytes& out,
                                    std::optional<Error>& ended) {
  while (out.size() < total) {
    auto message = co_await c->receive();
    if (!message) {
      ended = message.error();
      co_return;
    }
    out.insert(out.end(), message.value().begin(), message.value().end());
  }
}

Bytes numbered_message(std::size_t index, std::size_t size) {
  Bytes message(size);
  for (std::size_t i = 0; i < size; ++i) message[i] = static_cast<std::uint8_t>(index * 31 + i);
  return message;
}

}  // namespace

TEST_CASE("secure connection: 2,000 messages of mixed sizes arrive whole and in order") {
  ConnectedPair pair;
  constexpr std::size_t kCount = 2000;
  std::vector<Bytes> sent;
  for (std::size_t i = 0; i < kCount; ++i) sent.push_back(numbered_message(i, 1 + (i * 7919) % 65536));
  std::vector<Bytes> received;
  std::optional<Error> ended;
  asio::co_spawn(pair.io, receive_messages(pair.server, kCount, received, ended), asio::detached);
  for (const auto& message : sent) pair.client->send(message);  // one batch, many frames
  while (received.size() < kCount && !ended && pair.io.run_one() > 0) {
  }
  CHECK_FALSE(ended.has_value());
  REQUIRE(received.size() == kCount);
  for (std::size_t i = 0; i < kCount; ++i) {
    CAPTURE(i);
    CHECK(received[i] == sent[i]);
  }
}

TEST_CASE("secure connection: send buffers are kept between batches and freed by trim_buffers once idle") {
  ConnectedPair pair;
  std::vector<Bytes> received;
  std::optional<Error> ended;
  asio::co_spawn(pair.io, receive_messages(pair.server, 64, received, ended), asio::detached);
  for (int i = 0; i < 64; ++i) pair.client->send(numbered_message(static_cast<std::size_t>(i), 16 * 1024));
  CHECK(pair.client->queued_bytes() > 64 * 16 * 1024);  // sealed: plaintext plus headers and tags
  while (received.size() < 64 && !ended && pair.io.run_one() > 0) {
  }
  REQUIRE(received.size() == 64);
  CHECK(pair.client->queued_bytes() == 0);
  CHECK(pair.client->buffered_bytes() > 0);  // capacity kept for the next batch

  pair.client->trim_buffers();
  CHECK(pair.client->buffered_bytes() == 0);
  CHECK(pair.server->buffered_bytes() == 0);  // everything delivered: the decoder holds nothing

  pair.client->send(numbered_message(1, 100));  // trimming does not break the connection
  std::vector<Bytes> more;
  asio::co_spawn(pair.io, receive_messages(pair.server, 1, more, ended), asio::detached);
  while (more.empty() && !ended && pair.io.run_one() > 0) {
  }
  REQUIRE(more.size() == 1);
  CHECK(more[0] == numbered_message(1, 100));
}

TEST_CASE("secure connection: trim_buffers keeps what is still queued") {
  ConnectedPair pair;
  pair.client->send(numbered_message(0, 64 * 1024));
  REQUIRE(pair.client->queued_bytes() > 0);
  const std::size_t before = pair.client->buffered_bytes();
  pair.client->trim_buffers();
  CHECK(pair.client->buffered_bytes() == before);
}

TEST_CASE("secure connection: close with a write in flight ends both sides with a reason") {
  ConnectedPair pair;
  std::vector<Bytes> received;
  std::optional<Error> ended;
  asio::co_spawn(pair.io, receive_messages(pair.server, 1'000'000, received, ended), asio::detached);
  for (int i = 0; i < 100; ++i) pair.client->send(numbered_message(static_cast<std::size_t>(i), 60'000));
  pair.client->close(Error(Errc::channel_closed, "test"));
  CHECK(pair.client->closed());
  CHECK(pair.client->queued_bytes() == 0);  // the outbox is dropped, the write in flight cancelled
  while (!ended && pair.io.run_one() > 0) {
  }
  REQUIRE(ended.has_value());
  CHECK(*ended == Errc::channel_closed);
  CHECK(received.size() < 100);
}

TEST_CASE("secure connection: send_now hands a small message to the kernel at once") {
  ConnectedPair pair;
  bool drained = false;
  pair.client->on_drained([&] { drained = true; });
  pair.client->send_now(numbered_message(7, 100));
  CHECK(pair.client->queued_bytes() == 0);  // written before send_now returned
  std::vector<Bytes> received;
  std::optional<Error> ended;
  asio::co_spawn(pair.io, receive_messages(pair.server, 1, received, ended), asio::detached);
  while (received.empty() && !ended && pair.io.run_one() > 0) {
  }
  REQUIRE(received.size() == 1);
  CHECK(received[0] == numbered_message(7, 100));
  CHECK_FALSE(drained);  // no write completion ran: there was nothing to wait for
}

TEST_CASE("secure connection: what send_now cannot write at once follows in order, then on_drained") {
  ConnectedPair pair;
  int drained = 0;
  pair.client->on_drained([&] { ++drained; });
  // Far more than loopback's socket buffers hold while the server reads nothing.
  constexpr std::size_t kMessages = 48;
  constexpr std::size_t kMessageBytes = 512 * 1024;
  Bytes all_sent;
  for (std::size_t i = 0; i < kMessages; ++i) {
    const Bytes message = numbered_message(i, kMessageBytes);
    all_sent.insert(all_sent.end(), message.begin(), message.end());
    pair.client->send_now(message);  // once the socket is full: queued behind the write in flight
  }
  CHECK(pair.client->queued_bytes() > 0);  // the kernel took part; the rest waits for the socket
  CHECK(drained == 0);
  Bytes all_received;
  std::optional<Error> ended;
  asio::co_spawn(pair.io, receive_bytes(pair.server, all_sent.size(), all_received, ended), asio::detached);
  while (all_received.size() < all_sent.size() && !ended && pair.io.run_one() > 0) {
  }
  CHECK_FALSE(ended.has_value());
  CHECK(all_received.size() == all_sent.size());
  CHECK(all_received == all_sent);  // large plaintext arrives as several frames, in order
  while (pair.client->queued_bytes() > 0 && pair.io.run_one() > 0) {
  }
  CHECK(pair.client->queued_bytes() == 0);
  CHECK(drained >= 1);
}

TEST_CASE("secure connection: a send_now the kernel refuses closes the connection with the reason") {
  ConnectedPair pair;
  pair.server->close(Error(Errc::channel_closed, "test"));
  // The first writes may still be accepted (the peer answers them with a reset); a write
  // after that fails and closes the connection.
  for (int i = 0; i < 100 && !pair.client->closed(); ++i) {
    pair.client->send_now(numbered_message(static_cast<std::size_t>(i), 1000));
    pair.io.poll();  // lets the reset arrive; the reader is not running, so only writes see it
    pair.io.restart();
  }
  REQUIRE(pair.client->closed());
  REQUIRE(pair.client->close_reason().has_value());
  CHECK(*pair.client->close_reason() == Errc::channel_closed);
  CHECK(pair.client->queued_bytes() == 0);
}

}  // namespace weft
