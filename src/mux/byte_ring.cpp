#include "mux/byte_ring.hpp"

#include "util/buffer_recycler.hpp"

#include <algorithm>
#include <cstring>

namespace weft::mux {

void ByteRing::grow(std::size_t needed) {
  std::size_t cap = std::max<std::size_t>(buf_.size(), 1024);
  while (cap < needed) cap *= 2;
  Bytes next = util::take_buffer(cap);
  const std::size_t first = std::min(size_, buf_.size() - head_);
  if (size_ > 0) {
    std::memcpy(next.data(), buf_.data() + head_, first);
    std::memcpy(next.data() + first, buf_.data(), size_ - first);
  }
  buf_.swap(next);
  util::recycle_buffer(next);
  head_ = 0;
}

void ByteRing::append(ByteView data) {
  if (data.empty()) return;
  if (size_ + data.size() > buf_.size()) grow(size_ + data.size());
  const std::size_t tail = (head_ + size_) % buf_.size();
  const std::size_t first = std::min(data.size(), buf_.size() - tail);
  std::memcpy(buf_.data() + tail, data.data(), first);
  std::memcpy(buf_.data(), data.data() + first, data.size() - first);
  size_ += data.size();
}

void ByteRing::consumed(std::size_t n) noexcept {
  size_ -= n;
  head_ = size_ == 0 ? 0 : (head_ + n) % buf_.size();
  if (size_ == 0) clear();
}

std::size_t ByteRing::read(std::span<std::uint8_t> out) noexcept {
  const std::size_t n = std::min(size_, out.size());
  if (n == 0) return 0;
  const std::size_t first = std::min(n, buf_.size() - head_);
  std::memcpy(out.data(), buf_.data() + head_, first);
  std::memcpy(out.data() + first, buf_.data(), n - first);
  consumed(n);
  return n;
}

void ByteRing::read_into(std::size_t n, Bytes& out) {
  n = std::min(n, size_);
  if (n == 0) return;
  const std::size_t first = std::min(n, buf_.size() - head_);
  out.insert(out.end(), buf_.begin() + static_cast<std::ptrdiff_t>(head_),
             buf_.begin() + static_cast<std::ptrdiff_t>(head_ + first));
  out.insert(out.end(), buf_.begin(), buf_.begin() + static_cast<std::ptrdiff_t>(n - first));
  consumed(n);
}

void ByteRing::clear() noexcept {
  util::recycle_buffer(buf_);
  head_ = 0;
  size_ = 0;
}

}  // namespace weft::mux
