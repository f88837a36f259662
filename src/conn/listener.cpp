#include "conn/listener.hpp"

#include "conn/handshake_driver.hpp"
#include "handshake/handshake_machine.hpp"

#include <sodium.h>

namespace weft::conn {
namespace {

handshake::RandomSource system_random() {
  return [](std::span<std::uint8_t> out) { randombytes_buf(out.data(), out.size()); };
}

std::string describe(const tcp::endpoint& endpoint) {
  return endpoint.address().to_string() + " port " + std::to_string(endpoint.port());
}

}  // namespace

Listener::Listener(asio::io_context& io, const Keypair& identity, ListenerConfig config, Callbacks callbacks)
    : io_(io), identity_(identity), config_(std::move(config)), callbacks_(std::move(callbacks)), acceptor_(io) {}

Listener::~Listener() {
  *alive_ = false;
  boost::system::error_code ignored;
  acceptor_.close(ignored);
}

Result<void> Listener::listen(const tcp::endpoint& endpoint) {
  boost::system::error_code ec;
  acceptor_.open(endpoint.protocol(), ec);
  if (!ec) acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor_.bind(endpoint, ec);
  if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    boost::system::error_code ignored;
    acceptor_.close(ignored);
    return Error(std::error_code(ec), "listening on " + describe(endpoint));
  }
  asio::co_spawn(io_, accept_loop(alive_), asio::detached);
  return success();
}

tcp::endpoint Listener::local_endpoint() const {
  boost::system::error_code ec;
  return acceptor_.local_endpoint(ec);
}

void Listener::stop() {
  boost::system::error_code ignored;
  acceptor_.close(ignored);
}

asio::awaitable<void> Listener::accept_loop(std::shared_ptr<const bool> alive) {
  while (*alive && acceptor_.is_open()) {
    boost::system::error_code ec;
    tcp::endpoint remote;  // filled by accept itself: no getpeername call
    tcp::socket socket =
        co_await acceptor_.async_accept(remote, asio::redirect_error(asio::use_awaitable, ec));
    if (!*alive) co_return;  // destroyed while we waited: touch nothing
    if (ec == asio::error::operation_aborted || !acceptor_.is_open()) break;
    if (ec) continue;  // e.g. the peer reset before accept completed, or out of descriptors
    ++counters_.accepted;
    const auto ip = remote.address();
    if (pending_total_ >= config_.max_pending_handshakes) {
      ++counters_.refused_pending_cap;
      if (callbacks_.on_refused) {
        callbacks_.on_refused(remote, Error(Errc::listener_busy, std::to_string(pending_total_) +
                                                                       " pending (max_pending_handshakes)"));
      }
      continue;  // the socket closes as it goes out of scope
    }
    // find(), not operator[]: a refused address must not leave an entry behind.
    const auto pending_here = pending_by_ip_.find(ip);
    if (pending_here != pending_by_ip_.end() && pending_here->second >= config_.max_pending_handshakes_per_ip) {
      ++counters_.refused_per_ip_cap;
      if (callbacks_.on_refused) {
        callbacks_.on_refused(remote, Error(Errc::listener_busy, std::to_string(pending_here->second) +
                                                                       " pending from " + ip.to_string() +
                                                                       " (max_pending_handshakes_per_ip)"));
      }
      continue;
    }
    std::shared_ptr<AdmissionTicket> ticket;
    if (callbacks_.admit) {
      auto admitted = callbacks_.admit(remote);
      if (!admitted) {
        ++counters_.refused_admission;
        if (callbacks_.on_refused) callbacks_.on_refused(remote, admitted.error());
        continue;
      }
      ticket = std::move(admitted).value();
    }
    ++pending_total_;
    ++pending_by_ip_[ip];
    asio::co_spawn(io_, handshake_one(std::move(socket), remote, alive, std::move(ticket)), asio::detached);
  }
}

asio::awaitable<void> Listener::handshake_one(tcp::socket socket, tcp::endpoint remote,
                                             std::shared_ptr<const bool> alive,
                                             std::shared_ptr<AdmissionTicket> ticket) {
  const auto replay_cache = replay_cache_;  // the machine refers to it until it is done
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::milliseconds(config_.handshake.handshake_timeout_ms);
  handshake::HandshakeConfig handshake_config = config_.handshake;
  handshake_config.versions = handshake::runnable_versions(std::move(handshake_config.versions));
  auto machine = handshake::HandshakeMachine::responder(identity_, handshake_config, system_random(), *replay_cache);
  auto result = co_await run_handshake(std::move(socket), remote, std::move(machine), deadline, config_.channel);
  if (!*alive) co_return;  // the listener is gone: the connection closes with `result`
  --pending_total_;
  if (auto it = pending_by_ip_.find(remote.address()); it != pending_by_ip_.end() && --it->second == 0) {
    pending_by_ip_.erase(it);
  }
  if (result) {
    ++counters_.established;
    auto secure = std::move(result).value();
    if (ticket) {
      ticket->handshake_succeeded();
      secure->hold(std::move(ticket));  // released when the connection object goes
    }
    if (callbacks_.on_established) callbacks_.on_established(std::move(secure));
  } else {
    ++counters_.failed;
    if (callbacks_.on_refused) callbacks_.on_refused(remote, result.error());
  }
}

}  // namespace weft::conn
