// `weft-bench channel [--seconds S]`: bulk throughput of the encrypted channel against raw
// length-prefixed frames over the same loopback, in the same run, at 1 KiB and 16 KiB
// frames. Both ends run in one thread (one io_context), so the figure is what one core
// does with both sides' work; the raw baseline pays the same framing, batching and
// per-frame copy, only no encryption. Ratio = encrypted / raw; the goal is >= 0.5 at 16 KiB.
// Also printed: the crypto-only bound (seal and open the same frames in memory, no I/O),
// which caps what the encrypted channel can reach on one core.

#include "bench_common.hpp"

#include "channel/frame_decoder.hpp"
#include "channel/frame_sealer.hpp"
#include "conn/dialer.hpp"
#include "conn/listener.hpp"
#include "handshake/handshake_config.hpp"
#include "util/asio.hpp"

#include <weft/keys.hpp>
#include <weft/multiaddr.hpp>
#include <weft/peer_id.hpp>

#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

namespace weft::bench {
namespace {

/// Queued bytes above which a sender yields so the writer can catch up.
constexpr std::size_t kHighWaterBytes = 1 << 20;

// --- raw framed TCP ------------------------------------------------------------------

asio::awaitable<void> raw_writer(tcp::socket& socket, std::size_t frame_bytes, const bool& stop) {
  const Bytes payload(frame_bytes, 0x5a);
  Bytes batch;
  while (!stop) {
    batch.clear();
    while (batch.size() < kHighWaterBytes) {
      const auto n = static_cast<std::uint32_t>(frame_bytes);
      const std::uint8_t header[4] = {static_cast<std::uint8_t>(n >> 24), static_cast<std::uint8_t>(n >> 16),
                                      static_cast<std::uint8_t>(n >> 8), static_cast<std::uint8_t>(n)};
      batch.insert(batch.end(), header, header + 4);
      batch.insert(batch.end(), payload.begin(), payload.end());
    }
    boost::system::error_code ec;
    co_await asio::async_write(socket, asio::buffer(batch), asio::redirect_error(asio::use_awaitable, ec));
    if (ec) break;
  }
  boost::system::error_code ignored;
  socket.shutdown(tcp::socket::shutdown_send, ignored);
}

asio::awaitable<void> raw_reader(tcp::socket& socket, std::uint64_t& delivered) {
  Bytes buffer(64 * 1024);
  Bytes pending;
  for (;;) {
    boost::system::error_code ec;
    const std::size_t n =
        co_await socket.async_read_some(asio::buffer(buffer), asio::redirect_error(asio::use_awaitable, ec));
    if (ec) break;
    pending.insert(pending.end(), buffer.begin(), buffer.begin() + static_cast<std::ptrdiff_t>(n));
    std::size_t at = 0;
    while (pending.size() - at >= 4) {
      const std::size_t len = (std::size_t{pending[at]} << 24) | (std::size_t{pending[at + 1]} << 16) |
                              (std::size_t{pending[at + 2]} << 8) | pending[at + 3];
      if (pending.size() - at - 4 < len) break;
      Bytes frame(pending.begin() + static_cast<std::ptrdiff_t>(at + 4),
                  pending.begin() + static_cast<std::ptrdiff_t>(at + 4 + len));  // the copy receive() makes too
      delivered += frame.size();
      at += 4 + len;
    }
    pending.erase(pending.begin(), pending.begin() + static_cast<std::ptrdiff_t>(at));
  }
}

double raw_mib_per_s(std::size_t frame_bytes, double seconds) {
  asio::io_context io;
  tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  tcp::socket client(io), server(io);
  client.connect(acceptor.local_endpoint());
  acceptor.accept(server);
  std::uint64_t delivered = 0;
  bool stop = false;
  asio::steady_timer timer(io, std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                   std::chrono::duration<double>(seconds)));
  const auto start = std::chrono::steady_clock::now();
  double elapsed = 0;
  std::uint64_t at_stop = 0;
  timer.async_wait([&](const boost::system::error_code&) {
    stop = true;
    elapsed = seconds_since(start);
    at_stop = delivered;
  });
  asio::co_spawn(io, raw_writer(client, frame_bytes, stop), asio::detached);
  asio::co_spawn(io, raw_reader(server, delivered), asio::detached);
  io.run();
  return static_cast<double>(at_stop) / elapsed / (1024.0 * 1024.0);
}

// --- the encrypted channel -------------------------------------------------------------

asio::awaitable<void> secure_writer(std::shared_ptr<conn::SecureConnection> c, std::size_t frame_bytes,
                                    const bool& stop) {
  const Bytes payload(frame_bytes, 0x5a);
  auto executor = co_await asio::this_coro::executor;
  while (!stop && !c->closed()) {
    while (c->queued_bytes() < kHighWaterBytes) c->send(payload);
    co_await asio::post(executor, asio::use_awaitable);  // let the writer and reader run
  }
  c->close(Error(Errc::channel_closed, "bench done"));
}

asio::awaitable<void> secure_reader(std::shared_ptr<conn::SecureConnection> c, std::uint64_t& delivered) {
  for (;;) {
    auto frame = co_await c->receive();
    if (!frame) break;
    delivered += frame.value().size();
  }
}

asio::awaitable<void> dial_and_write(const Keypair& me, Multiaddr target, std::size_t frame_bytes,
                                     const bool& stop) {
  const conn::DialConfig config;  // named: g++ 12 miscompiles an aggregate temporary across co_await
  auto connection = co_await conn::dial(me, target, config);
  if (!connection) {
    report_dial_failure(connection.error());
    std::exit(1);
  }
  co_await secure_writer(connection.value(), frame_bytes, stop);
}

double secure_mib_per_s(std::size_t frame_bytes, double seconds) {
  asio::io_context io;
  const Keypair server_key = Keypair::generate();
  std::uint64_t delivered = 0;
  bool stop = false;
  std::chrono::steady_clock::time_point start;
  double elapsed = 0;
  std::uint64_t at_stop = 0;
  asio::steady_timer timer(io);
  conn::Listener::Callbacks callbacks;
  conn::Listener* listener_ptr = nullptr;
  callbacks.on_established = [&](std::shared_ptr<conn::SecureConnection> c) {
    listener_ptr->stop();
    start = std::chrono::steady_clock::now();  // measure the transfer, not the handshake
    timer.expires_after(std::chrono::duration_cast<std::chrono::steady_clock::duration>(
        std::chrono::duration<double>(seconds)));
    timer.async_wait([&](const boost::system::error_code&) {
      stop = true;
      elapsed = seconds_since(start);
      at_stop = delivered;
    });
    asio::co_spawn(io, secure_reader(c, delivered), asio::detached);
  };
  conn::Listener listener(io, server_key, conn::ListenerConfig{}, callbacks);
  listener_ptr = &listener;
  if (!listener.listen(tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0))) std::exit(1);
  const auto target = Multiaddr::parse("/ip4/127.0.0.1/tcp/" + std::to_string(listener.local_endpoint().port()) +
                                       "/p2p/" + PeerId::from_public_key(server_key.public_key()).to_string())
                          .value();
  const Keypair client_key = Keypair::generate();
  asio::co_spawn(io, dial_and_write(client_key, target, frame_bytes, stop), asio::detached);
  io.run();
  return static_cast<double>(at_stop) / elapsed / (1024.0 * 1024.0);
}

// --- the crypto-only bound -------------------------------------------------------------

double crypto_only_mib_per_s(std::size_t frame_bytes, double seconds) {
  util::SecretKey key;
  key.bytes().fill(7);
  const channel::ChannelConfig config;
  // The cipher the loopback channel negotiates by default: the highest version this host runs.
  const auto cipher = handshake::channel_cipher(handshake::runnable_versions(handshake::HandshakeConfig{}.versions).front());
  channel::FrameSealer sealer(key, config, cipher);
  channel::FrameDecoder decoder(key, config, cipher);
  const Bytes payload(frame_bytes, 0x5a);
  Bytes wire;
  std::uint64_t delivered = 0;
  const auto start = std::chrono::steady_clock::now();
  while (seconds_since(start) < seconds) {
    for (int i = 0; i < 64; ++i) {
      wire.clear();
      sealer.seal(payload, wire);
      if (!decoder.put(wire)) std::exit(1);
      while (auto frame = decoder.poll_frame()) delivered += frame->size();
    }
  }
  return static_cast<double>(delivered) / seconds_since(start) / (1024.0 * 1024.0);
}

}  // namespace

int run_channel_bench(int argc, char** argv) {
  double seconds = 2.0;
  for (int i = 0; i < argc; ++i) {
    if (std::strcmp(argv[i], "--seconds") == 0 && i + 1 < argc) seconds = std::atof(argv[++i]);
  }
  if (seconds <= 0) {
    std::fprintf(stderr, "weft-bench channel: --seconds must be positive\n");
    return 2;
  }
  std::string json = "{\"bench\":\"channel\"";
  for (const std::size_t size : {std::size_t{1024}, std::size_t{16 * 1024}}) {
    const double raw = raw_mib_per_s(size, seconds);
    const double secure = secure_mib_per_s(size, seconds);
    const double crypto = crypto_only_mib_per_s(size, seconds);
    const std::string kib = std::to_string(size / 1024) + "k";
    std::printf("%6s frames: raw framed TCP %8.1f MiB/s, encrypted channel %8.1f MiB/s, ratio %.3f"
                " (crypto-only bound %.1f MiB/s)\n",
                kib.c_str(), raw, secure, secure / raw, crypto);
    char part[256];
    std::snprintf(part, sizeof part,
                  ",\"raw_%s_mib_s\":%.1f,\"secure_%s_mib_s\":%.1f,\"crypto_only_%s_mib_s\":%.1f,\"ratio_%s\":%.3f",
                  kib.c_str(), raw, kib.c_str(), secure, kib.c_str(), crypto, kib.c_str(), secure / raw);
    json += part;
    if (size == 16 * 1024) {
      std::snprintf(part, sizeof part, ",\"ratio\":%.3f", secure / raw);
      json += part;
    }
  }
  std::printf("%s}\n", json.c_str());
  return 0;
}

}  // namespace weft::bench
