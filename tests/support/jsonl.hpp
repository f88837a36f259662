#pragma once
// Reading the differential test vectors in tests/vectors/ (JSON Lines, one object per
// line; see tests/differential/README.md), and collecting the vectors weft disagrees
// with so that one run prints the whole picture.

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace weft::test {

/// $WEFT_VECTORS_DIR/<name> (the runner sets it to <source>/tests/vectors). Throws
/// std::runtime_error when the variable is unset, so a misconfigured run fails loudly
/// instead of passing with zero vectors.
inline std::filesystem::path vectors_path(std::string_view name) {
  const char* dir = std::getenv("WEFT_VECTORS_DIR");
  if (dir == nullptr || *dir == '\0') {
    throw std::runtime_error("WEFT_VECTORS_DIR is not set (run through meson test, or set it to tests/vectors)");
  }
  return std::filesystem::path(dir) / name;
}

/// Every non-empty line of a JSON Lines file, parsed. Throws std::runtime_error naming the
/// file and line when the file cannot be opened, a line is not JSON, or the file holds no
/// object at all.
inline std::vector<nlohmann::json> read_jsonl(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + path.string());
  std::vector<nlohmann::json> out;
  std::string line;
  for (std::size_t number = 1; std::getline(in, line); ++number) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    try {
      out.push_back(nlohmann::json::parse(line));
    } catch (const nlohmann::json::exception& e) {
      throw std::runtime_error(path.string() + ":" + std::to_string(number) + ": " + e.what());
    }
    if (!out.back().is_object()) {
      throw std::runtime_error(path.string() + ":" + std::to_string(number) + ": not a JSON object");
    }
  }
  if (out.empty()) throw std::runtime_error(path.string() + " holds no vectors");
  return out;
}

/// A string field, or `fallback` when the field is absent or not a string.
inline std::string str_field(const nlohmann::json& record, const char* key, std::string fallback = {}) {
  const auto it = record.find(key);
  if (it == record.end() || !it->is_string()) return fallback;
  return it->get<std::string>();
}

/// `s` as a JSON string literal: shows control characters, NULs and invalid UTF-8 (as
/// \xNN) unambiguously in failure messages.
inline std::string json_quote(std::string_view s) {
  return nlohmann::json(std::string(s)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

/// Vectors weft disagrees with. The tests CHECK each vector as they go (so doctest reports
/// every failure with its context) and also add() it here under a short category; report()
/// then prints one summary: the count per category and the first `max_listed` lines.
class MismatchLog {
 public:
  explicit MismatchLog(std::string what, std::size_t max_listed = 30)
      : what_(std::move(what)), max_listed_(max_listed) {}

  void add(const std::string& category, std::string line) {
    ++count_;
    auto it = std::find_if(categories_.begin(), categories_.end(),
                           [&](const auto& c) { return c.first == category; });
    if (it == categories_.end()) {
      categories_.emplace_back(category, 1);
    } else {
      ++it->second;
    }
    if (lines_.size() < max_listed_) lines_.push_back(std::move(line));
  }

  std::size_t count() const noexcept { return count_; }

  /// "<what>: N mismatch(es) in M vectors", the count per category, then the first lines.
  std::string report(std::size_t checked) const {
    std::ostringstream os;
    os << what_ << ": " << count_ << " mismatch(es) in " << checked << " vectors";
    if (count_ == 0) return os.str();
    os << "\n by category:";
    for (const auto& [category, n] : categories_) os << "\n  " << n << " x " << category;
    os << "\n first " << lines_.size() << ":";
    for (const auto& line : lines_) os << "\n  - " << line;
    return os.str();
  }

 private:
  std::string what_;
  std::size_t max_listed_;
  std::size_t count_ = 0;
  std::vector<std::pair<std::string, std::size_t>> categories_;  ///< in order of first occurrence
  std::vector<std::string> lines_;
};

}  // namespace weft::test
