#include "util/buffer_recycler.hpp"

#include <array>

namespace weft::util {
namespace {

struct FreeList {
  std::array<Bytes, kMaxRecycledBuffers> buffers;  ///< [0, count) hold storage
  std::size_t count = 0;
};

FreeList& free_list() noexcept {
  thread_local FreeList list;
  return list;
}

}  // namespace

Bytes take_buffer(std::size_t size) {
  FreeList& list = free_list();
  // The most recently recycled buffer that is large enough (warm in the cache).
  for (std::size_t i = list.count; i-- > 0;) {
    if (list.buffers[i].capacity() < size) continue;
    Bytes buffer = std::move(list.buffers[i]);
    --list.count;
    if (i != list.count) list.buffers[i].swap(list.buffers[list.count]);
    buffer.resize(size);  // fills only past the size it was recycled with
    return buffer;
  }
  return Bytes(size);
}

void recycle_buffer(Bytes& buffer) noexcept {
  FreeList& list = free_list();
  if (buffer.capacity() == 0 || buffer.capacity() > kMaxRecycledBytes || list.count == list.buffers.size()) {
    Bytes().swap(buffer);
    return;
  }
  buffer.resize(buffer.capacity());  // noexcept here: no reallocation; later takes fill nothing
  list.buffers[list.count++].swap(buffer);  // the slot was empty: `buffer` is left empty
}

}  // namespace weft::util
