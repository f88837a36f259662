#pragma once
// A FIFO of bytes in one ring buffer: a stream's receive buffer or send buffer. Storage
// grows by doubling as bytes are appended and is released whenever the ring empties, so
// an idle stream holds no heap memory and a full one holds at most twice its bound.
// Released storage goes to the thread's buffer recycler (util/buffer_recycler.hpp), from
// which the next ring to grow takes it.
// The caller bounds the size (the receive window, the send buffer cap); the ring does not.

#include <weft/bytes.hpp>

#include <cstddef>
#include <cstdint>
#include <span>

namespace weft::mux {

class ByteRing {
 public:
  std::size_t size() const noexcept { return size_; }
  bool empty() const noexcept { return size_ == 0; }
  /// Heap bytes held.
  std::size_t capacity() const noexcept { return buf_.size(); }

  /// Appends all of `data` after the bytes held.
  void append(ByteView data);
  /// Moves min(size(), out.size()) bytes from the front into `out`; returns how many.
  std::size_t read(std::span<std::uint8_t> out) noexcept;
  /// Moves the first `n` bytes (n <= size()) to the end of `out`.
  void read_into(std::size_t n, Bytes& out);
  /// Drops every byte and releases the storage.
  void clear() noexcept;

 private:
  void grow(std::size_t needed);
  void consumed(std::size_t n) noexcept;

  Bytes buf_;             ///< storage; empty (no capacity) whenever size_ == 0
  std::size_t head_ = 0;  ///< index of the first byte held
  std::size_t size_ = 0;
};

}  // namespace weft::mux
