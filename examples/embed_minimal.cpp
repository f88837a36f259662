// The smallest embedding of libweft: two nodes in one process. One serves an echo
// protocol, the other sends it a request and prints the reply.
//
//   $ embed_minimal
//   reply: hello from the embedder

#include <weft/node.hpp>

#include <iostream>
#include <string>

namespace {

weft::NodeConfig loopback_node() {
  weft::NodeConfig config;
  config.listen = {"/ip4/127.0.0.1/tcp/0"};  // any free port
  config.identity = weft::Keypair::generate();  // no key file: a fresh identity per run
  return config;
}

}  // namespace

int main() {
  auto server = weft::Node::create(loopback_node());
  auto client = weft::Node::create(loopback_node());
  if (!server || !client) {
    std::cerr << "embed_minimal: " << (server ? client.error() : server.error()).message() << '\n';
    return 1;
  }
  server.value()->set_handler("/example/echo/1", [](const weft::PeerId&, weft::Bytes request) -> weft::Result<weft::Bytes> {
    return request;
  });
  if (auto started = server.value()->start(); !started) {
    std::cerr << "embed_minimal: " << started.error().message() << '\n';
    return 1;
  }
  if (auto started = client.value()->start(); !started) {
    std::cerr << "embed_minimal: " << started.error().message() << '\n';
    return 1;
  }

  const std::string text = "hello from the embedder";
  auto reply = client.value()
                   ->request(server.value()->peer_id(), server.value()->listen_addresses(), "/example/echo/1",
                             weft::Bytes(text.begin(), text.end()))
                   .get();
  if (!reply) {
    std::cerr << "embed_minimal: " << reply.error().message() << '\n';
    return 1;
  }
  std::cout << "reply: " << weft::as_chars(reply.value()) << '\n';
  client.value()->stop();
  server.value()->stop();
  return weft::as_chars(reply.value()) == text ? 0 : 1;  // the tests run this program
}
