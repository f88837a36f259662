#include "line_reader.hpp"

namespace weft::cli {

std::optional<Line> LineReader::next() {
  Line line;
  bool any = false;
  for (int c = in_.get(); c != std::char_traits<char>::eof(); c = in_.get()) {
    any = true;
    if (c == '\n') break;
    if (line.text.size() < max_line_chars_) {
      line.text.push_back(static_cast<char>(c));
    } else {
      line.too_long = true;  // keep consuming up to the newline, keep nothing
    }
  }
  if (!any) return std::nullopt;
  if (!line.text.empty() && line.text.back() == '\r' && !line.too_long) line.text.pop_back();
  return line;
}

}  // namespace weft::cli
