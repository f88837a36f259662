#pragma once
// libsodium must be initialised once before use; every entry point that touches libsodium
// calls ensure_sodium() first. Thread-safe and cheap after the first call.

namespace weft::util {

/// Initialises libsodium. Terminates if it cannot (no usable randomness source): weft
/// cannot create or check identities without it.
void ensure_sodium();

}  // namespace weft::util
