// Writes the seed corpus of fuzz/peer_exchange.cpp: valid requests and responses (default
// and small limits) with every address kind the decoder is likely to meet. Built with
// -Dfuzz=true, run by hand when the message format changes:
//   build-fuzz/fuzz/make_peer_exchange_seeds fuzz/corpus
// Deterministic: the same files every run.

#include "peer/peer_exchange.hpp"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

using namespace weft;
using namespace weft::peer;

namespace {

void write(const std::string& path, std::uint8_t mode, const Bytes& body) {
  Bytes out{mode, 0, 0, 0, 0, 0, 0, 0x12, 0x34};  // mode, then the sample's seed
  out.insert(out.end(), body.begin(), body.end());
  std::ofstream file(path, std::ios::binary);
  file.write(reinterpret_cast<const char*>(out.data()), static_cast<std::streamsize>(out.size()));
  if (!file) {
    std::fprintf(stderr, "cannot write %s\n", path.c_str());
    std::exit(1);
  }
}

PeerId test_peer(std::uint8_t n) {
  Bytes multihash{0x12, 0x20};
  multihash.resize(2 + 32, n);
  return PeerId::from_bytes(multihash).value();
}

Multiaddr addr(const std::string& text) { return Multiaddr::parse(text).value(); }

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s CORPUS_DIR (writes CORPUS_DIR/peer_exchange)\n", argv[0]);
    return 2;
  }
  const std::string dir = std::string(argv[1]) + "/peer_exchange/";
  const PeerExchangeLimits limits;

  write(dir + "request-0", 2, encode_request({0}));
  write(dir + "request-16", 2, encode_request({16}));

  PeerExchangeResponse one;
  one.peers = {ExchangeRecord{test_peer(1), {addr("/ip4/10.0.0.1/tcp/4001")}}};
  write(dir + "response-one", 0, encode_response(one, limits).value());
  write(dir + "response-one-small-limits", 1, encode_response(one, limits).value());

  PeerExchangeResponse mixed;
  mixed.peers = {
      ExchangeRecord{test_peer(2), {addr("/ip4/192.0.2.7/tcp/4001"), addr("/ip6/2001:db8::7/tcp/4001")}},
      ExchangeRecord{test_peer(3), {addr("/dns4/node.example.com/tcp/4001")}},
      ExchangeRecord{test_peer(4), {addr("/ip4/198.51.100.4/tcp/1/p2p/" + test_peer(4).to_base58())}},
  };
  write(dir + "response-mixed", 0, encode_response(mixed, limits).value());

  PeerExchangeResponse full;
  for (std::uint8_t p = 0; p < limits.max_peers_per_response; ++p) {
    ExchangeRecord r{test_peer(p), {}};
    for (int a = 0; a < 8; ++a) {
      r.addrs.push_back(addr("/ip4/10.1." + std::to_string(p) + "." + std::to_string(a) + "/tcp/4001"));
    }
    full.peers.push_back(std::move(r));
  }
  write(dir + "response-full", 0, encode_response(full, limits).value());
  write(dir + "response-empty", 0, encode_response({}, limits).value());
  return 0;
}
