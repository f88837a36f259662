// The smallest use of libweft today: turn a multiaddr a user typed into what a dialer needs
// — the TCP host and port, and the PeerId the remote must prove it holds.
//
//   $ dial_target /dns4/example.com/tcp/4001/p2p/12D3KooW...
//   host example.com port 4001 peer 12D3KooW...

#include <weft/multiaddr.hpp>

#include <iostream>

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: dial_target MULTIADDR\n";
    return 2;
  }
  auto addr = weft::Multiaddr::parse(argv[1]);
  if (!addr) {
    std::cerr << "dial_target: " << addr.error().message() << '\n';
    return 2;
  }
  auto endpoint = addr.value().to_tcp_endpoint();
  if (!endpoint) {
    std::cerr << "dial_target: " << endpoint.error().message() << '\n';
    return 2;
  }
  std::cout << "host " << endpoint.value().host << " port " << endpoint.value().port;
  if (auto peer = addr.value().peer_id()) std::cout << " peer " << peer->to_base58();
  std::cout << '\n';
  return 0;
}
