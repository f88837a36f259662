#include "channel/key_schedule.hpp"

#include <weft/bytes.hpp>

#include <cstdio>
#include <cstdlib>
#include <string_view>
#include <utility>

namespace weft::channel {
namespace {

constexpr std::string_view kRekeyLabel = "weft/channel/rekey";

}  // namespace

KeySchedule::KeySchedule(const util::SecretKey& key, std::uint64_t rekey_interval_frames)
    : key_(key), interval_(rekey_interval_frames) {
  if (interval_ == 0) {
    std::fputs("weft: KeySchedule: rekey_interval_frames must be >= 1\n", stderr);
    std::abort();
  }
}

KeySchedule::KeySchedule(KeySchedule&& other) noexcept
    : key_(other.key_),
      counter_(other.counter_),
      interval_(other.interval_),
      rekeys_(other.rekeys_),
      spent_(other.spent_) {
  other.key_ = util::SecretKey{};
  other.spent_ = true;
}

KeySchedule& KeySchedule::operator=(KeySchedule&& other) noexcept {
  if (this != &other) {
    key_ = other.key_;
    counter_ = other.counter_;
    interval_ = other.interval_;
    rekeys_ = other.rekeys_;
    spent_ = other.spent_;
    other.key_ = util::SecretKey{};
    other.spent_ = true;
  }
  return *this;
}

void KeySchedule::advance() {
  if (++counter_ < interval_) return;
  key_ = util::blake2b_keyed(key_, {as_bytes(kRekeyLabel)});
  counter_ = 0;
  ++rekeys_;
}

}  // namespace weft::channel
