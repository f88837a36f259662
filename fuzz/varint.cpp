// Fuzzes the codecs stream parsers call on untrusted bytes: both varint decoders (they must
// agree, and a decoded value must re-encode to exactly the bytes it took), the multihash
// prefix decoder (same re-encoding invariant) and multibase (accepted text is canonical:
// it re-encodes to itself).

#include "identity/multibase.hpp"
#include "identity/multihash.hpp"
#include "identity/varint.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>

using namespace weft;
using namespace weft::identity;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const ByteView in(data, size);

  auto whole = decode_uvarint(in);
  auto part = decode_uvarint_prefix(in);
  if (whole.has_value()) {
    if (!part.has_value() || !part.value() || part.value()->value != whole.value().value ||
        part.value()->length != whole.value().length) {
      __builtin_trap();
    }
    Bytes again;
    append_uvarint(again, whole.value().value);
    if (!std::equal(again.begin(), again.end(), in.begin(), in.begin() + whole.value().length) ||
        again.size() != whole.value().length) {
      __builtin_trap();
    }
  } else if (part.has_value()) {
    if (part.value() || !(whole.error() == Errc::varint_truncated)) __builtin_trap();
  } else if (part.error().code() != whole.error().code()) {
    __builtin_trap();
  }

  if (auto mh = decode_multihash_prefix(in)) {
    const Bytes again = mh.value().hash.encode();
    if (again.size() != mh.value().length || !std::equal(again.begin(), again.end(), in.begin())) __builtin_trap();
    if (decode_multihash(in).has_value() != (mh.value().length == size)) __builtin_trap();
  }

  const auto text = as_chars(in);
  if (auto decoded = multibase_decode(text)) {
    if (multibase_encode(static_cast<Multibase>(text.front()), decoded.value()) != text) __builtin_trap();
  }
  return 0;
}
