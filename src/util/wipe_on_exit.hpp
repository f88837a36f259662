#pragma once
// Overwrites a buffer that held secret bytes when the guard goes out of scope, so key
// material does not linger in freed memory. The buffer must outlive the guard.

#include <sodium.h>

namespace weft::util {

/// `Buffer` is anything with data() and size() in bytes (std::string, std::vector<uint8_t>,
/// std::array<uint8_t, N>). A moved-from buffer is wiped as it is (usually empty).
template <class Buffer>
struct WipeOnExit {
  Buffer& secret;
  ~WipeOnExit() { sodium_memzero(secret.data(), secret.size()); }
};

template <class Buffer>
WipeOnExit(Buffer&) -> WipeOnExit<Buffer>;

}  // namespace weft::util
