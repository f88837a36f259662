#pragma once
// A first-in, first-out queue on one vector that holds no memory while empty.
//
// std::deque allocates a 512-byte block and its map even when empty; a queue that is
// empty nearly always (one per peer or per connection) pays that for nothing. Fifo
// allocates on the first push and releases everything when it becomes empty again. Popped
// slots at the front are reclaimed once they are at least half of the vector, so every
// operation is amortized O(1) and the memory is at most twice the items held.

#include <algorithm>
#include <cstddef>
#include <utility>
#include <vector>

namespace weft::util {

template <class T>
class Fifo {
 public:
  bool empty() const noexcept { return head_ == items_.size(); }
  std::size_t size() const noexcept { return items_.size() - head_; }

  /// The oldest item. Precondition: !empty().
  T& front() { return items_[head_]; }
  const T& front() const { return items_[head_]; }

  void push_back(T item) { items_.push_back(std::move(item)); }

  /// Removes the oldest item. Precondition: !empty().
  void pop_front() {
    ++head_;
    if (empty()) {
      clear();
    } else if (head_ >= 16 && head_ * 2 >= items_.size()) {
      items_.erase(items_.begin(), items_.begin() + static_cast<std::ptrdiff_t>(head_));
      head_ = 0;
    }
  }

  /// Removes every item for which `pred` is true, keeping the others in order. Returns how
  /// many were removed.
  template <class Pred>
  std::size_t erase_if(Pred pred) {
    const auto first = items_.begin() + static_cast<std::ptrdiff_t>(head_);
    const auto kept_end = std::remove_if(first, items_.end(), pred);
    const auto removed = static_cast<std::size_t>(items_.end() - kept_end);
    items_.erase(kept_end, items_.end());
    if (empty()) clear();
    return removed;
  }

  /// Empties the queue and releases its memory.
  void clear() noexcept {
    std::vector<T>().swap(items_);
    head_ = 0;
  }

  auto begin() noexcept { return items_.begin() + static_cast<std::ptrdiff_t>(head_); }
  auto end() noexcept { return items_.end(); }
  auto begin() const noexcept { return items_.begin() + static_cast<std::ptrdiff_t>(head_); }
  auto end() const noexcept { return items_.end(); }

  /// Bytes held on the heap (for memory accounting and tests).
  std::size_t heap_bytes() const noexcept { return items_.capacity() * sizeof(T); }

 private:
  std::vector<T> items_;
  std::size_t head_ = 0;  ///< index of the oldest item; items before it are popped
};

}  // namespace weft::util
