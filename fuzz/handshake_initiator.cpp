// libFuzzer target: an initiator fed arbitrary bytes, as the driver feeds it. First byte:
// even → the bytes are the HelloAck; odd → an honest HelloAck was accepted and the bytes
// are the Finished. Invariants: never more consumed than given; a Finished that succeeds is
// the honest one, and the bytes after it are left for the channel.
#include "handshake_fuzz_support.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>

using namespace weft;
using namespace weft::fuzz;

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  quiet_protobuf();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const ByteView in(data + 1, size - 1);
  if (data[0] % 2 == 0) {
    HonestRun run(1);
    const std::size_t used = feed(run.initiator, in);
    check(used <= in.size());
    check(!run.initiator.finished() || !run.initiator.result()->has_value());
    return 0;
  }
  static const HonestRun honest(4);
  HonestRun run(3);
  const std::size_t used = feed(run.initiator, in);
  check(used <= in.size());
  if (run.initiator.finished() && run.initiator.result()->has_value()) {
    check(used == honest.finished.size() && std::equal(honest.finished.begin(), honest.finished.end(), in.begin()));
  }
  return 0;
}
