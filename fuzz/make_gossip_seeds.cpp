// Writes the seed corpora of fuzz/gossip_rpc.cpp and fuzz/gossip_router.cpp: valid RPCs
// of every kind (bodies and frames) and router sessions that subscribe, exchange signed
// messages and control. Built with -Dfuzz=true, run by hand:
//   build-fuzz/fuzz/make_gossip_seeds fuzz/corpus
// Deterministic: the same files every run.

#include "gossip/message_signing.hpp"
#include "gossip/rpc_codec.hpp"

#include "gossip_test_support.hpp"

#include <cstdio>
#include <fstream>
#include <string>

using namespace weft;
using namespace weft::gossip;

namespace {

void write(const std::string& path, const Bytes& bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  if (!out) {
    std::fprintf(stderr, "cannot write %s\n", path.c_str());
    std::exit(1);
  }
}

Bytes with_mode(std::uint8_t mode, const Bytes& body) {
  Bytes out{mode};
  out.insert(out.end(), body.begin(), body.end());
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s CORPUS_DIR (writes CORPUS_DIR/gossip_rpc and CORPUS_DIR/gossip_router)\n", argv[0]);
    return 2;
  }
  const std::string rpc_dir = std::string(argv[1]) + "/gossip_rpc";
  const std::string router_dir = std::string(argv[1]) + "/gossip_router";

  Rpc full;
  full.subscriptions = {{true, "a"}, {false, "b"}};
  full.publish = {std::make_shared<const Message>(make_signed_message(weft::test::gossip_key(3), "a", Bytes(40, 'd'), 9))};
  full.control.ihave = {{"a", {"id1", "id2"}}};
  full.control.iwant = {{{"id3"}}};
  full.control.graft = {{"a"}};
  full.control.prune = {{"b", {{weft::test::gossip_peer(4).bytes(), Bytes{1, 2}}}, 60}};
  full.control.idontwant = {{{"id4"}}};
  Rpc sub;
  sub.subscriptions = {{true, "a"}};
  write(rpc_dir + "/full", with_mode(0, encode_rpc(full)));
  write(rpc_dir + "/full-small-limits", with_mode(1, encode_rpc(full)));
  write(rpc_dir + "/frames", with_mode(6, [&] {
          Bytes b = encode_rpc_frame(sub);
          const Bytes f = encode_rpc_frame(full);
          b.insert(b.end(), f.begin(), f.end());
          return b;
        }()));
  write(rpc_dir + "/subscribe", with_mode(0, encode_rpc(sub)));

  // Router sessions (see the opcodes in fuzz/gossip_router.cpp).
  const Bytes session{
      0x01,                    // config: flood publish
      0, 0, 1, 0, 1, 1, 0, 2, 3,  // peers up (various directions / IPs)
      4, 0, 5, 0, 1,           // peer 1 subscribes to "a" (control kind 5)
      4, 1, 5, 0, 1,           // peer 2 subscribes to "a"
      6, 0,                    // we subscribe to "a"
      3, 0, 5, 0, 4, 1,        // peer 1 sends a signed message by key 5 on "a"
      3, 1, 5, 0, 4, 1,        // peer 2 sends a copy
      5, 20,                   // tick 1 s
      4, 1, 0, 0, 0,           // IHAVE
      4, 1, 1, 0, 0,           // IWANT
      4, 0, 2, 0, 0,           // GRAFT
      4, 0, 3, 0, 3,           // PRUNE with backoff and PX
      4, 1, 4, 0, 0,           // IDONTWANT
      8, 0, 40,                // publish 320 bytes
      9, 4,                    // validator: defer on "a"
      3, 0, 6, 0, 9, 2,        // a message to validate
      10, 0x00,                // accept it
      5, 200, 5, 200,          // ticks
      1, 0,                    // peer 1 down
  };
  write(router_dir + "/session", session);
  Bytes raw{0x02, 0, 0, 1, 2, 0};
  const Bytes body = encode_rpc(full);
  raw.push_back(static_cast<std::uint8_t>((body.size() + 3) / 4));
  raw.insert(raw.end(), body.begin(), body.end());
  write(router_dir + "/raw-rpc", raw);
  return 0;
}
