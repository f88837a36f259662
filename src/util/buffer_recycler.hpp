#pragma once
// Byte buffers recycled on the hot paths (a mux stream's rings, a decrypted frame): a
// small free list per thread, so that one request/response does not pay a malloc, a free
// and a zero-fill for every buffer it touches.
//
// Bounded: a thread keeps at most kMaxRecycledBuffers buffers of at most
// kMaxRecycledBytes capacity each; larger or surplus buffers are freed. A recycled
// buffer's old contents are not wiped (as with memory given back to malloc); whoever
// needs wiping does it before recycling.

#include <weft/bytes.hpp>

#include <cstddef>

namespace weft::util {

inline constexpr std::size_t kMaxRecycledBuffers = 8;
inline constexpr std::size_t kMaxRecycledBytes = 16 * 1024;

/// A buffer of exactly `size` bytes, contents unspecified: one this thread recycled, if
/// one has the capacity, else a new one.
Bytes take_buffer(std::size_t size);

/// Keeps `buffer`'s storage for a later take_buffer() on this thread, or frees it.
/// `buffer` is left empty, with no capacity.
void recycle_buffer(Bytes& buffer) noexcept;

}  // namespace weft::util
