// `weft request ADDR PROTOCOL DATA [--timeout-ms MS] [--key FILE] [--raw]`: sends DATA as
// one request of PROTOCOL to the node at ADDR (which must end in /p2p/<PeerId>) over a
// pooled stream and prints the response (followed by a newline unless --raw). Any failure
// prints its reason on one line and exits 1, e.g.
//   weft: request /ip4/127.0.0.1/tcp/4001/p2p/12D3KooW... /nope: peer does not handle the protocol: '/nope'

#include "command.hpp"
#include "identity_file.hpp"
#include "run_to_exit.hpp"

#include "conn/connection_pool.hpp"
#include "node/request_response.hpp"
#include "util/asio.hpp"

#include <weft/multiaddr.hpp>
#include <weft/peer_id.hpp>

#include <iostream>
#include <memory>
#include <string>

namespace weft::cli {
namespace {

struct RequestOptions {
  std::string address;
  std::string protocol;
  std::string data;
  std::uint64_t timeout_ms = 10'000;
  std::string key;
  bool raw = false;
};

asio::awaitable<int> run_request(std::shared_ptr<conn::ConnectionPool> pool, PeerId peer, Multiaddr address,
                                 RequestOptions options) {
  const std::string where = address.to_string() + " " + options.protocol;
  std::vector<Multiaddr> addresses{address};
  auto response = co_await node::request(pool, peer, std::move(addresses), options.protocol,
                                         Bytes(options.data.begin(), options.data.end()),
                                         std::chrono::milliseconds(options.timeout_ms));
  pool->stop();
  if (!response) {
    std::cerr << "weft: request " << where << ": " << response.error().message() << '\n';
    co_return kExitFailure;
  }
  std::cout.write(reinterpret_cast<const char*>(response.value().data()),
                  static_cast<std::streamsize>(response.value().size()));
  if (!options.raw) std::cout << '\n';
  std::cout.flush();
  co_return kExitOk;
}

int request(const RequestOptions& options) {
  auto address = Multiaddr::parse(options.address);
  if (!address) {
    std::cerr << "weft: invalid address '" << options.address << "': " << address.error().message()
              << " (see --help)\n";
    return kExitUsage;
  }
  const auto peer = address.value().peer_id();
  if (!peer || !address.value().to_tcp_endpoint()) {
    std::cerr << "weft: '" << options.address << "' must be /ip4|ip6|dns*/<host>/tcp/<port>/p2p/<PeerId> (see --help)\n";
    return kExitUsage;
  }
  if (options.protocol.empty() || options.protocol.size() > conn::kMaxProtocolNameBytes) {
    std::cerr << "weft: PROTOCOL must be 1.." << conn::kMaxProtocolNameBytes << " bytes (see --help)\n";
    return kExitUsage;
  }
  auto loaded = client_identity(options.key);
  if (!loaded) {
    std::cerr << "weft: " << options.key << ": " << loaded.error().message() << '\n';
    return kExitFailure;
  }
  const Keypair identity = std::move(loaded).value();
  asio::io_context io;
  conn::PoolConfig config;
  config.table.connect_timeout_ms = std::chrono::milliseconds(options.timeout_ms);
  config.table.acquire_timeout_ms = std::chrono::milliseconds(options.timeout_ms);
  config.table.backoff.max_retry_attempts = 0;  // one dial: a command-line user sees the failure at once
  auto pool = std::make_shared<conn::ConnectionPool>(io, identity, config);
  pool->start();
  return run_to_exit(io, run_request(pool, *peer, address.value(), options));
}

}  // namespace

void add_request_command(CLI::App& app, Dispatch& dispatch) {
  auto options = std::make_shared<RequestOptions>();
  auto* cmd = app.add_subcommand("request", "Send one request to a node's protocol and print the response");
  cmd->add_option("ADDR", options->address, "/ip4|ip6|dns*/<host>/tcp/<port>/p2p/<PeerId>")->required();
  cmd->add_option("PROTOCOL", options->protocol, "Protocol name, e.g. /weft/echo/1")->required();
  cmd->add_option("DATA", options->data, "Request bytes")->required();
  cmd->add_option("--timeout-ms", options->timeout_ms, "Deadline for connecting, and for the response")
      ->capture_default_str()->check(CLI::PositiveNumber);
  cmd->add_option("--key", options->key, "Identity key file (default: a fresh identity for this run)");
  cmd->add_flag("--raw", options->raw, "Print the response bytes exactly, without a newline");
  cmd->callback([&dispatch, options] { dispatch.run = [options] { return request(*options); }; });
}

}  // namespace weft::cli
