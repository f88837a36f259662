// SmallFifo: FIFO order across wrap-around and growth, push_front, erase_first, and no
// storage while empty.

#include "mux/small_fifo.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <deque>
#include <random>
#include <string>

using namespace weft::mux;

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
