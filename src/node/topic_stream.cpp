#include "node/topic_stream.hpp"

#include "identity/base64.hpp"
#include "identity/hex.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <ctime>

namespace weft::node {
namespace {

using json = nlohmann::json;

std::string dump(const json& value) { return value.dump(-1, ' ', false, json::error_handler_t::replace); }

}  // namespace

std::string rfc3339_milliseconds(std::chrono::system_clock::time_point at) {
  using namespace std::chrono;
  const auto ms = duration_cast<milliseconds>(at.time_since_epoch()).count();
  const std::time_t seconds = static_cast<std::time_t>(ms >= 0 ? ms / 1000 : (ms - 999) / 1000);
  const int millis = static_cast<int>(ms - static_cast<long long>(seconds) * 1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char buffer[128];  // room for any int, so that the compiler sees no truncation
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900, utc.tm_mon + 1,
                utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec, millis);
  return buffer;
}

std::string topic_message_line(const GossipDelivery& delivery, std::chrono::system_clock::time_point received_at) {
  const ByteView id(reinterpret_cast<const std::uint8_t*>(delivery.id.data()), delivery.id.size());
  return dump({
      {"topic", delivery.topic},
      {"from", delivery.author ? json(delivery.author->to_string()) : json(nullptr)},
      {"seqno", delivery.seqno},
      {"id", identity::hex_encode(id)},
      {"data", identity::base64_encode(delivery.data, identity::Base64Alphabet::standard,
                                       identity::Base64Padding::padded)},
      {"received_at", rfc3339_milliseconds(received_at)},
      {"received_from", delivery.received_from.to_string()},
  });
}

std::string dropped_line(std::uint64_t n) { return dump({{"dropped", n}}); }

TopicStreamQueue::TopicStreamQueue(std::size_t max_messages, std::size_t max_bytes)
    : max_messages_(std::max<std::size_t>(1, max_messages)), max_bytes_(std::max<std::size_t>(1, max_bytes)) {}

bool TopicStreamQueue::push(std::string line) {
  if (lines_.size() >= max_messages_ || line.size() > max_bytes_ - bytes_) {
    ++pending_dropped_;
    ++dropped_;
    return false;
  }
  bytes_ += line.size();
  lines_.push_back(Entry{std::move(line), pending_dropped_});
  pending_dropped_ = 0;
  return true;
}

std::optional<std::string> TopicStreamQueue::pop() {
  if (lines_.empty()) {
    if (pending_dropped_ == 0) return std::nullopt;
    const std::uint64_t n = pending_dropped_;
    pending_dropped_ = 0;
    return dropped_line(n);
  }
  Entry& front = lines_.front();
  if (front.dropped_before != 0) {
    const std::uint64_t n = front.dropped_before;
    front.dropped_before = 0;
    return dropped_line(n);
  }
  std::string line = std::move(front.line);
  bytes_ -= line.size();
  lines_.pop_front();
  return line;
}

}  // namespace weft::node
