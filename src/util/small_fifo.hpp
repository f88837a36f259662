#pragma once
// A FIFO of small values in one ring buffer, for queues that are nearly always empty: the
// mux Session's accept backlog, transmit round robin, control frames and events, and the
// connection table's per-peer waiters. Unlike std::deque (which allocates a 512-byte node and
// its map even when empty), an empty SmallFifo holds no heap memory: storage is allocated
// on the first push, grows by doubling, and is released whenever the FIFO empties. A full
// one holds at most twice the most elements it ever held at once; the caller bounds that.
// A queue that fills and empties every turn would allocate its first block each time, so
// an emptied FIFO leaves that block (kFirstCapacity slots) to its thread: one spare block
// per thread and T, which the next FIFO of that T to grow from empty takes.
//
// T must be default-constructible and movable. Slots not holding an element hold T{}, so
// a popped element's resources (an Error's detail string, say) are freed when it is popped.

#include <cstddef>
#include <memory>
#include <utility>

namespace weft::util {

template <typename T>
class SmallFifo {
 public:
  SmallFifo() = default;
  /// The moved-from FIFO is empty and holds no storage.
  SmallFifo(SmallFifo&& other) noexcept { *this = std::move(other); }
  SmallFifo& operator=(SmallFifo&& other) noexcept {
    if (this == &other) return *this;
    slots_ = std::move(other.slots_);
    capacity_ = std::exchange(other.capacity_, 0);
    head_ = std::exchange(other.head_, 0);
    size_ = std::exchange(other.size_, 0);
    return *this;
  }

  std::size_t size() const noexcept { return size_; }
  bool empty() const noexcept { return size_ == 0; }
  /// Elements the storage holds room for (0 when empty).
  std::size_t capacity() const noexcept { return capacity_; }

  /// The oldest element. Requires !empty().
  T& front() noexcept { return slots_[head_]; }
  const T& front() const noexcept { return slots_[head_]; }

  void push_back(T value) {
    reserve_one();
    slots_[index(size_)] = std::move(value);
    ++size_;
  }

  /// Puts `value` before the oldest element: it is the next one out.
  void push_front(T value) {
    reserve_one();
    head_ = head_ == 0 ? capacity_ - 1 : head_ - 1;
    slots_[head_] = std::move(value);
    ++size_;
  }

  /// Removes the oldest element. Requires !empty().
  void pop_front() noexcept {
    slots_[head_] = T{};
    head_ = index(1);
    if (--size_ == 0) clear();
  }

  /// Removes the oldest element equal to `value`, keeping the order of the others;
  /// returns whether one was found.
  bool erase_first(const T& value) {
    for (std::size_t i = 0; i < size_; ++i) {
      if (!(slots_[index(i)] == value)) continue;
      for (std::size_t j = i; j + 1 < size_; ++j) slots_[index(j)] = std::move(slots_[index(j + 1)]);
      slots_[index(size_ - 1)] = T{};
      if (--size_ == 0) clear();
      return true;
    }
    return false;
  }

  /// Removes every element for which `pred` is true, keeping the order of the others;
  /// returns how many were removed.
  template <typename Pred>
  std::size_t erase_if(Pred pred) {
    std::size_t kept = 0;
    for (std::size_t i = 0; i < size_; ++i) {
      if (pred(static_cast<const T&>(slots_[index(i)]))) continue;
      if (kept != i) slots_[index(kept)] = std::move(slots_[index(i)]);
      ++kept;
    }
    for (std::size_t i = kept; i < size_; ++i) slots_[index(i)] = T{};
    const std::size_t removed = size_ - kept;
    size_ = kept;
    if (size_ == 0) clear();
    return removed;
  }

  /// Calls `f` on each element, oldest first.
  template <typename F>
  void for_each(F f) const {
    for (std::size_t i = 0; i < size_; ++i) f(static_cast<const T&>(slots_[index(i)]));
  }

  /// Drops every element and releases the storage.
  void clear() noexcept {
    if (capacity_ == kFirstCapacity && !spare_block()) {
      for (std::size_t i = 0; i < size_; ++i) slots_[index(i)] = T{};  // the spare holds only T{}
      spare_block() = std::move(slots_);
    }
    slots_.reset();
    capacity_ = head_ = size_ = 0;
  }

 private:
  static constexpr std::size_t kFirstCapacity = 4;

  std::size_t index(std::size_t offset) const noexcept {
    const std::size_t i = head_ + offset;
    return i < capacity_ ? i : i - capacity_;
  }

  /// This thread's spare first block for T (null when none); holds only T{} values.
  static std::unique_ptr<T[]>& spare_block() noexcept {
    thread_local std::unique_ptr<T[]> spare;
    return spare;
  }

  void reserve_one() {
    if (size_ < capacity_) return;
    if (capacity_ == 0 && spare_block()) {
      slots_ = std::move(spare_block());
      capacity_ = kFirstCapacity;
      head_ = 0;
      return;
    }
    const std::size_t grown = capacity_ == 0 ? kFirstCapacity : capacity_ * 2;
    auto slots = std::make_unique<T[]>(grown);
    for (std::size_t i = 0; i < size_; ++i) slots[i] = std::move(slots_[index(i)]);
    slots_ = std::move(slots);
    capacity_ = grown;
    head_ = 0;
  }

  std::unique_ptr<T[]> slots_;  ///< capacity_ slots; null whenever size_ == 0
  std::size_t capacity_ = 0;
  std::size_t head_ = 0;  ///< slot of the oldest element
  std::size_t size_ = 0;
};

}  // namespace weft::util
