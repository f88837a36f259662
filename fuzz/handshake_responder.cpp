// libFuzzer target: a responder fed arbitrary bytes, as the driver feeds it. First byte:
// even → the bytes are the Hello; odd → an honest Hello was accepted and the bytes are the
// Auth. Invariants: never more consumed than given; an Auth that succeeds is the honest one
// (nobody can forge one without the initiator's keys).
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
    const std::size_t used = feed(run.responder, in);
    check(used <= in.size());
    check(!run.responder.finished() || !run.responder.result()->has_value());
    return 0;
  }
  static const HonestRun honest(3);
  HonestRun run(2);
  const std::size_t used = feed(run.responder, in);
  check(used <= in.size());
  if (run.responder.finished() && run.responder.result()->has_value()) {
    check(used == honest.auth.size() && std::equal(honest.auth.begin(), honest.auth.end(), in.begin()));
  }
  return 0;
}
