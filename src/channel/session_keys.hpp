#pragma once
// The two keys of an established secure channel, as the handshake hands them over: one
// for what this side sends, one for what it receives (the peer has them swapped).

#include "util/crypto.hpp"

namespace weft::channel {

struct SessionKeys {
  util::SecretKey send;
  util::SecretKey recv;
};

}  // namespace weft::channel
