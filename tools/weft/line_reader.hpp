#pragma once
// Reads newline-separated inputs with a bound on each line, so a huge line cannot make
// the program allocate without limit.

#include <cstddef>
#include <istream>
#include <optional>
#include <string>

namespace weft::cli {

struct Line {
  std::string text;        ///< at most the reader's limit; '\r' before '\n' removed
  bool too_long = false;   ///< the line was longer than the limit and was cut
};

class LineReader {
 public:
  LineReader(std::istream& in, std::size_t max_line_chars) : in_(in), max_line_chars_(max_line_chars) {}

  /// The next line, or nullopt at end of input. A final line without '\n' counts.
  std::optional<Line> next();

 private:
  std::istream& in_;
  std::size_t max_line_chars_;
};

}  // namespace weft::cli
