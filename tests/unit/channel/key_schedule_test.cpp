// KeySchedule: counter and rekey stepping, and that moving leaves no usable key behind.

#include "channel/key_schedule.hpp"

#include <doctest/doctest.h>

#include <string_view>
#include <utility>

#include "channel_test_support.hpp"

using namespace weft;
using namespace weft::channel;
using weft::test::key_of;

TEST_CASE("the counter rises per frame and restarts under the next key every interval") {
  const auto k0 = key_of(1);
  const auto k1 = util::blake2b_keyed(k0, {as_bytes(std::string_view("weft/channel/rekey"))});
  KeySchedule keys(k0, 3);
  CHECK(keys.key() == k0);
  CHECK(keys.counter() == 0);
  keys.advance();
  keys.advance();
  CHECK(keys.counter() == 2);
  CHECK(keys.key() == k0);
  keys.advance();
  CHECK(keys.counter() == 0);
  CHECK(keys.key() == k1);
  CHECK(keys.rekeys() == 1);
  CHECK_FALSE(keys.spent());
}

TEST_CASE("a moved-from schedule is spent and holds an all-zero key") {
  KeySchedule a(key_of(2), 5);
  a.advance();
  KeySchedule b(std::move(a));
  CHECK(a.spent());  // NOLINT(bugprone-use-after-move): the moved-from state is the contract
  CHECK(a.key() == util::SecretKey{});
  CHECK(b.counter() == 1);
  CHECK(b.key() == key_of(2));
  KeySchedule c(key_of(3), 5);
  c = std::move(b);
  CHECK(b.spent());  // NOLINT(bugprone-use-after-move)
  CHECK(c.key() == key_of(2));
  CHECK(c.counter() == 1);
  CHECK_FALSE(c.spent());
}
