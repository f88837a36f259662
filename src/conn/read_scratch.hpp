#pragma once
// The network thread's one read buffer (driver helper). Drivers wait until a socket is
// readable and only then read into this buffer, then hand the bytes to a decoder that
// copies what it keeps. So an idle connection holds no read buffer at all, whatever the
// number of connections.
//
// Contract: the bytes are valid until the next co_await on this thread; never keep a view.

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace weft::conn {

/// Size of one read: large enough for a full channel frame plus its neighbours.
inline constexpr std::size_t kReadScratchBytes = 128 * 1024;

inline std::span<std::uint8_t> read_scratch() {
  thread_local std::vector<std::uint8_t> buffer(kReadScratchBytes);
  return buffer;
}

}  // namespace weft::conn
