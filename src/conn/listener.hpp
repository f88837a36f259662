#pragma once
// Accepts TCP connections and runs the responder handshake on each (driver).
//
// Limits (ABUSE.md rows 15–16): every handshake has the handshake deadline; at most
// `max_pending_handshakes` run at once, and at most `max_pending_handshakes_per_ip` from
// one IP address; a connection past either cap is closed at once, counted and reported.
// Honest peers still get in while a flood of half-open handshakes sits at the caps.

#include <weft/error.hpp>
#include <weft/keys.hpp>
#include <weft/multiaddr.hpp>

#include "channel/channel_config.hpp"
#include "conn/secure_connection.hpp"
#include "handshake/handshake_config.hpp"
#include "handshake/replay_cache.hpp"
#include "util/asio.hpp"

#include <cstdint>
#include <functional>
#include <map>
#include <memory>

namespace weft::conn {

struct ListenerConfig {
  handshake::HandshakeConfig handshake;
  channel::ChannelConfig channel;
  std::size_t max_pending_handshakes = 256;
  std::size_t max_pending_handshakes_per_ip = 16;
};

/// An inbound connection's admission (the peer manager's inbound gate), held from accept
/// until the connection object is destroyed: destroying it releases what admitting took.
class AdmissionTicket {
 public:
  virtual ~AdmissionTicket() = default;
  /// The connection's handshake completed (called at most once).
  virtual void handshake_succeeded() = 0;
};
/// Decides on an accepted connection from `remote` before its handshake: a ticket, or the
/// reason for refusing it.
using AdmitFunction = std::function<Result<std::shared_ptr<AdmissionTicket>>(const tcp::endpoint& remote)>;

struct ListenerCounters {
  std::uint64_t accepted = 0;            ///< TCP connections accepted
  std::uint64_t established = 0;         ///< handshakes completed
  std::uint64_t failed = 0;              ///< handshakes failed (any reason)
  std::uint64_t refused_pending_cap = 0; ///< closed at once: too many pending handshakes
  std::uint64_t refused_per_ip_cap = 0;  ///< closed at once: too many pending from that IP
  std::uint64_t refused_admission = 0;   ///< closed at once: the admit function said no
};

/// Lives on the io_context's thread; it must outlive every coroutine it started, i.e. be
/// destroyed only after the io_context has stopped running.
class Listener {
 public:
  struct Callbacks {
    /// A handshake completed; the connection is started and owned by the callee.
    std::function<void(std::shared_ptr<SecureConnection>)> on_established;
    /// A connection was refused or its handshake failed.
    std::function<void(const tcp::endpoint& remote, const Error& reason)> on_refused;
    /// Optional: asked after the listener's own caps pass; a refusal closes the socket.
    AdmitFunction admit;
  };

  /// `identity` must outlive the listener.
  Listener(asio::io_context& io, const Keypair& identity, ListenerConfig config, Callbacks callbacks);
  /// Stops accepting. Coroutines still pending (the accept loop, handshakes in progress)
  /// finish without touching the destroyed listener or calling its callbacks.
  ~Listener();
  Listener(const Listener&) = delete;
  Listener& operator=(const Listener&) = delete;

  /// Binds to `endpoint` (port 0: any free port) and starts accepting. Errors: the OS
  /// error (e.g. address in use), with the endpoint in the detail.
  Result<void> listen(const tcp::endpoint& endpoint);

  /// The bound address, e.g. to print "/ip4/127.0.0.1/tcp/40123".
  tcp::endpoint local_endpoint() const;

  /// Stops accepting; handshakes in progress finish or time out.
  void stop();

  const ListenerCounters& counters() const noexcept { return counters_; }
  std::size_t pending_handshakes() const noexcept { return pending_total_; }

 private:
  asio::awaitable<void> accept_loop(std::shared_ptr<const bool> alive);
  asio::awaitable<void> handshake_one(tcp::socket socket, tcp::endpoint remote, std::shared_ptr<const bool> alive,
                                      std::shared_ptr<AdmissionTicket> ticket);

  asio::io_context& io_;
  const Keypair& identity_;
  ListenerConfig config_;
  Callbacks callbacks_;
  tcp::acceptor acceptor_;
  /// Shared with handshakes in progress, which may outlive the listener.
  std::shared_ptr<handshake::ReplayCache> replay_cache_ = std::make_shared<handshake::ReplayCache>();
  /// False once destroyed: pending coroutines check it before touching the listener.
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
  ListenerCounters counters_;
  std::size_t pending_total_ = 0;
  std::map<asio::ip::address, std::size_t> pending_by_ip_;
};

}  // namespace weft::conn
