// SmallFifo: FIFO order across wrap-around and growth, push_front, erase_first, erase_if,
// for_each, and no storage while empty.

#include "util/small_fifo.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <deque>
#include <memory>
#include <random>
#include <string>
#include <vector>

using namespace weft::util;

TEST_CASE("an empty fifo holds no storage, before and after use") {
  SmallFifo<int> fifo;
  CHECK(fifo.empty());
  CHECK(fifo.capacity() == 0);
  fifo.push_back(1);
  CHECK(fifo.capacity() > 0);
  fifo.pop_front();
  CHECK(fifo.empty());
  CHECK(fifo.capacity() == 0);
  fifo.push_back(2);
  fifo.push_back(3);
  fifo.clear();
  CHECK(fifo.empty());
  CHECK(fifo.capacity() == 0);
}

TEST_CASE("elements come out in order across wrap-around, growth, push_front and erase_first") {
  std::mt19937_64 rng(11);
  SmallFifo<int> fifo;
  std::deque<int> model;
  int next = 0;
  std::size_t peak = 0;  // the most held since the fifo was last empty
  for (int round = 0; round < 20000; ++round) {
    switch (rng() % 5) {
      case 0:
      case 1:
        fifo.push_back(next);
        model.push_back(next++);
        break;
      case 2:
        fifo.push_front(next);
        model.push_front(next++);
        break;
      case 3:
        if (!model.empty()) {
          REQUIRE(fifo.front() == model.front());
          fifo.pop_front();
          model.pop_front();
        }
        break;
      default: {
        const int victim = model.empty() ? -1 : model[rng() % model.size()];
        const bool found = fifo.erase_first(victim);
        REQUIRE(found == !model.empty());
        if (found) model.erase(std::find(model.begin(), model.end(), victim));
        CHECK_FALSE(fifo.erase_first(-2));
      }
    }
    REQUIRE(fifo.size() == model.size());
    peak = model.empty() ? 0 : std::max(peak, model.size());
    REQUIRE(fifo.capacity() <= std::max<std::size_t>(4, 2 * peak));
    if (model.empty()) REQUIRE(fifo.capacity() == 0);
  }
  while (!model.empty()) {
    REQUIRE(fifo.front() == model.front());
    fifo.pop_front();
    model.pop_front();
  }
  CHECK(fifo.capacity() == 0);
}

TEST_CASE("a popped element's resources are released at once") {
  SmallFifo<std::string> fifo;
  fifo.push_back(std::string(1000, 'a'));
  fifo.push_back("b");
  std::string* slot = &fifo.front();
  fifo.pop_front();
  CHECK(slot->empty());  // the slot was reset, not left holding the moved-from string
  CHECK(fifo.front() == "b");
}

TEST_CASE("clearing a fifo releases its elements even though its first block is kept for reuse") {
  auto held = std::make_shared<int>(7);
  {
    SmallFifo<std::shared_ptr<int>> fifo;
    fifo.push_back(held);
    fifo.push_back(held);
    CHECK(held.use_count() == 3);
    fifo.clear();  // the block goes to the thread's spare, emptied of its elements
    CHECK(held.use_count() == 1);
    CHECK(fifo.capacity() == 0);
  }
  SmallFifo<std::shared_ptr<int>> next;  // takes the spare block: its slots hold nothing
  next.push_back(nullptr);
  CHECK(next.size() == 1);
  CHECK(next.front() == nullptr);
  CHECK(held.use_count() == 1);
}

TEST_CASE("erase_first removes only the oldest equal element and keeps the order") {
  SmallFifo<int> fifo;
  for (int v : {1, 2, 3, 2, 4}) fifo.push_back(v);
  CHECK(fifo.erase_first(2));
  std::deque<int> out;
  while (!fifo.empty()) {
    out.push_back(fifo.front());
    fifo.pop_front();
  }
  CHECK(out == std::deque<int>{1, 3, 2, 4});
}

TEST_CASE("a moved-from fifo is empty and holds nothing") {
  SmallFifo<int> a;
  a.push_back(5);
  SmallFifo<int> b = std::move(a);
  CHECK(b.size() == 1);
  CHECK(b.front() == 5);
  CHECK(a.empty());  // NOLINT(bugprone-use-after-move): the contract says so
  CHECK(a.capacity() == 0);
  a.push_back(6);
  CHECK(a.front() == 6);
}

TEST_CASE("erase_if and for_each agree with std::deque over a random mix of operations") {
  std::mt19937 rng(42);
  SmallFifo<std::string> f;
  std::deque<std::string> d;
  for (int step = 0; step < 20'000; ++step) {
    const auto op = rng() % 10;
    if (op < 5) {
      const auto value = std::to_string(rng());
      f.push_back(value);
      d.push_back(value);
    } else if (op < 9 && !d.empty()) {
      REQUIRE(f.front() == d.front());
      f.pop_front();
      d.pop_front();
    } else if (op == 9) {
      const char digit = static_cast<char>('0' + rng() % 10);
      const auto removed = f.erase_if([digit](const std::string& s) { return s.back() == digit; });
      CHECK(removed == static_cast<std::size_t>(std::erase_if(d, [digit](const std::string& s) { return s.back() == digit; })));
    }
    REQUIRE(f.size() == d.size());
    if (f.empty()) REQUIRE(f.capacity() == 0);
  }
  std::vector<std::string> seen;
  f.for_each([&seen](const std::string& s) { seen.push_back(s); });
  CHECK(seen == std::vector<std::string>(d.begin(), d.end()));
}
