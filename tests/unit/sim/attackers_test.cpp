// Roles and what attackers send.

#include "attackers.hpp"

#include "gossip_test_support.hpp"

#include <doctest/doctest.h>

#include <algorithm>

using namespace weft;
using namespace weft::sim;

TEST_CASE("roles: the requested counts, disjoint, seeded") {
  const auto roles = assign_roles(100, 0.1, 0.2, 0.05, 3);
  CHECK(std::count(roles.begin(), roles.end(), Role::blackhole) == 10);
  CHECK(std::count(roles.begin(), roles.end(), Role::invalid) == 20);
  CHECK(std::count(roles.begin(), roles.end(), Role::ihave_flood) == 5);
  CHECK(std::count(roles.begin(), roles.end(), Role::honest) == 65);
  CHECK(assign_roles(100, 0.1, 0.2, 0.05, 3) == roles);
  CHECK(assign_roles(100, 0.1, 0.2, 0.05, 4) != roles);
  const auto none = assign_roles(10, 0, 0, 0, 1);
  CHECK(std::count(none.begin(), none.end(), Role::honest) == 10);
}

TEST_CASE("a blackhole keeps its control messages and drops messages and IHAVE") {
  gossip::Rpc rpc = test::publish_rpc({test::authored(1, "t", "x", 1)});
  rpc.control.ihave.push_back({"t", {"id"}});
  CHECK_FALSE(blackhole_filter(rpc));  // nothing left to send
  gossip::Rpc mixed = test::publish_rpc({test::authored(1, "t", "x", 1)});
  mixed.control.graft.push_back({"t"});
  mixed.subscriptions.push_back({true, "t"});
  CHECK(blackhole_filter(mixed));
  CHECK(mixed.publish.empty());
  CHECK(mixed.control.graft.size() == 1);
  CHECK(mixed.subscriptions.size() == 1);
}

TEST_CASE("payloads: honest ones are accepted and carry their index, invalid ones rejected") {
  const Bytes honest = honest_payload(1024, 258);
  CHECK(honest.size() == 1024);
  CHECK(honest[0] == 0);
  CHECK(honest[6] == 1);
  CHECK(honest[7] == 2);
  gossip::Message m;
  m.data = honest;
  CHECK(validate_payload(m) == gossip::Validation::accept);
  m.data = invalid_payload(1024, 5);
  CHECK(m.data->size() == 1024);
  CHECK(validate_payload(m) == gossip::Validation::reject);
  CHECK(invalid_payload(0, 1).size() == 1);
  m.data = Bytes{};
  CHECK(validate_payload(m) == gossip::Validation::accept);
  CHECK(honest_payload(4, 1).size() == 4);
}

TEST_CASE("a flooding IHAVE names ids that look real and differ each time") {
  SimRng rng(1, Stream::attack);
  const PeerId flooder = test::gossip_peer(9);
  const auto a = ihave_flood_rpc("t", flooder, rng);
  const auto b = ihave_flood_rpc("t", flooder, rng);
  REQUIRE(a.control.ihave.size() == 1);
  CHECK(a.control.ihave[0].topic == "t");
  REQUIRE(a.control.ihave[0].ids.size() == kFloodIdsPerIHave);
  CHECK(a.control.ihave[0].ids[0].size() == flooder.bytes().size() + 8);
  CHECK(a.control.ihave[0].ids != b.control.ihave[0].ids);
}
