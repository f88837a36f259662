// rpc_wire_size agrees byte for byte with the real codec (encode_rpc_frame).

#include "wire_size.hpp"

#include "gossip/rpc_codec.hpp"
#include "gossip_test_support.hpp"

#include <doctest/doctest.h>

using namespace weft;
using namespace weft::gossip;
using weft::sim::rpc_wire_size;

namespace {

void check_size(const Rpc& rpc) {
  const auto size = rpc_wire_size(rpc);
  CHECK(size.frame == encode_rpc_frame(rpc).size());
  Rpc without_messages = rpc;
  without_messages.publish.clear();
  // The message part is what removing the messages takes off the body.
  CHECK(size.messages == encode_rpc(rpc).size() - encode_rpc(without_messages).size());
}

std::string id_of(std::size_t n, std::size_t bytes) { return std::string(bytes, static_cast<char>('a' + n % 26)); }

}  // namespace

TEST_CASE("empty and subscription-only RPCs") {
  check_size(Rpc{});
  check_size(test::subscribe_rpc({"t"}));
  check_size(test::subscribe_rpc({"topic-a", "topic-b", std::string(200, 'x')}, false));
}

TEST_CASE("messages of many sizes, with and without key") {
  for (std::size_t bytes : {0u, 1u, 100u, 127u, 128u, 1024u, 16383u, 16384u, 70000u}) {
    CAPTURE(bytes);
    check_size(test::publish_rpc({test::authored(1, "t", std::string(bytes, 'd'), 7)}));
  }
  Message bare;  // no field present
  check_size(test::publish_rpc({std::make_shared<const Message>(bare)}));
  Message keyed = *test::authored(2, "topic", "data", 9);
  keyed.key = Bytes(36, 0x08);
  check_size(test::publish_rpc({std::make_shared<const Message>(keyed), test::authored(3, "t", "x", 1)}));
}

TEST_CASE("every control kind, with long id lists and PX") {
  ControlMessage c;
  c.ihave.push_back({"t", {}});
  std::vector<MessageId> ids;
  for (std::size_t i = 0; i < 300; ++i) ids.push_back(id_of(i, 46));
  c.ihave.push_back({"topic", ids});
  c.iwant.push_back({ids});
  c.iwant.push_back({{}});
  c.graft.push_back({"t"});
  c.graft.push_back({std::string(130, 'g')});
  ControlPrune p{"t", {}, std::nullopt};
  c.prune.push_back(p);
  p.backoff_s = 60;
  p.peers.push_back({test::gossip_peer(1).bytes(), {}});
  p.peers.push_back({test::gossip_peer(2).bytes(), Bytes(300, 1)});
  c.prune.push_back(p);
  p.backoff_s = 1ull << 40;
  c.prune.push_back(p);
  c.idontwant.push_back({{id_of(1, 46)}});
  Rpc rpc = test::control_rpc(c);
  check_size(rpc);
  rpc.subscriptions.push_back({true, "t"});
  rpc.publish.push_back(test::authored(4, "t", std::string(2000, 'z'), 3));
  check_size(rpc);
}

TEST_CASE("varint sizes at their boundaries") {
  CHECK(sim::varint_bytes(0) == 1);
  CHECK(sim::varint_bytes(127) == 1);
  CHECK(sim::varint_bytes(128) == 2);
  CHECK(sim::varint_bytes(16383) == 2);
  CHECK(sim::varint_bytes(16384) == 3);
  CHECK(sim::varint_bytes(~0ull) == 10);
}
