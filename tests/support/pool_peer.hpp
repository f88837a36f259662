#pragma once
// A connection pool listening on 127.0.0.1 (an ephemeral port) and started, with its
// identity and dialable address: one side of an integration test on loopback.

#include "conn/connection_pool.hpp"
#include "util/asio.hpp"

#include <weft/keys.hpp>
#include <weft/multiaddr.hpp>
#include <weft/peer_id.hpp>

#include <doctest/doctest.h>

#include <memory>
#include <string>

namespace weft::test {

struct PoolPeer {
  Keypair identity = Keypair::generate();
  std::shared_ptr<conn::ConnectionPool> pool;
  Multiaddr address = Multiaddr::parse("/ip4/127.0.0.1/tcp/1").value();

  explicit PoolPeer(asio::io_context& io) {
    pool = std::make_shared<conn::ConnectionPool>(io, identity, conn::PoolConfig{});
    const auto endpoint = pool->listen(tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    REQUIRE(endpoint.has_value());
    address = Multiaddr::parse("/ip4/127.0.0.1/tcp/" + std::to_string(endpoint.value().port())).value();
    pool->start();
  }
  PeerId id() const { return PeerId::from_public_key(identity.public_key()); }
};

}  // namespace weft::test
