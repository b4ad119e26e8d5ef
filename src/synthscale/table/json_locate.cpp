#include "synthscale/table/json_locate.h"

namespace synthscale {
namespace {

class Walker {
 public:
  explicit Walker(std::string_view text) : text_(text) {}

  void SkipSpace() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\n' ||
                                   text_[pos_] == '\r' || text_[pos_] == '\t')) {
      ++pos_;
    }
  }
  // Read a string starting at '"'; returns its raw contents (escapes kept).
  std::string_view ReadString() {
    const std::size_t start = ++pos_;
    while (pos_ < text_.size() && text_[pos_] != '"') pos_ += text_[pos_] == '\\' ? 2u : 1u;
    const std::string_view value = text_.substr(start, std::min(pos_, text_.size()) - start);
    ++pos_;
    return value;
  }
  // Skip one value of any kind.
  void SkipValue() {
    SkipSpace();
    if (pos_ >= text_.size()) return;
    const char ch = text_[pos_];
    if (ch == '"') {
      ReadString();
    } else if (ch == '{' || ch == '[') {
      int depth = 0;
      while (pos_ < text_.size()) {
        const char cur = text_[pos_];
        if (cur == '"') {
          ReadString();
          continue;
        }
        if (cur == '{' || cur == '[') ++depth;
        if (cur == '}' || cur == ']') --depth;
        ++pos_;
        if (depth == 0) return;
      }
    } else {
      while (pos_ < text_.size() && text_[pos_] != ',' && text_[pos_] != '}' && text_[pos_] != ']') ++pos_;
    }
  }
  // At a value: descend into `step`. Returns false if the step does not exist.
  bool Enter(const JsonPathStep& step) {
    SkipSpace();
    if (pos_ >= text_.size()) return false;
    if (const auto* key = std::get_if<std::string>(&step)) {
      if (text_[pos_] != '{') return false;
      ++pos_;
      while (true) {
        SkipSpace();
        if (pos_ >= text_.size() || text_[pos_] != '"') return false;
        const std::string_view name = ReadString();
        SkipSpace();
        if (pos_ >= text_.size() || text_[pos_] != ':') return false;
        ++pos_;
        SkipSpace();
        if (name == *key) return true;
        SkipValue();
        SkipSpace();
        if (pos_ >= text_.size() || text_[pos_] != ',') return false;
        ++pos_;
      }
    }
    const std::size_t index = std::get<std::size_t>(step);
    if (text_[pos_] != '[') return false;
    ++pos_;
    for (std::size_t elem_idx = 0;; ++elem_idx) {
      SkipSpace();
      if (elem_idx == index) return pos_ < text_.size() && text_[pos_] != ']';
      SkipValue();
      SkipSpace();
      if (pos_ >= text_.size() || text_[pos_] != ',') return false;
      ++pos_;
    }
  }
  std::size_t pos() const { return pos_; }

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
};

}  // namespace

TextPosition PositionOfOffset(std::string_view text, std::size_t offset) {
  TextPosition position{1, 1};
  for (std::size_t idx = 0; idx < offset && idx < text.size(); ++idx) {
    const auto byte = static_cast<unsigned char>(text[idx]);
    if (byte == '\n') {
      ++position.line;
      position.column = 1;
    } else if ((byte & 0xC0) != 0x80) {  // count characters, not UTF-8 continuation bytes
      ++position.column;
    }
  }
  return position;
}

TextPosition LocateJsonPath(std::string_view text, const std::vector<JsonPathStep>& path) {
  Walker walker(text);
  walker.SkipSpace();
  std::size_t found = walker.pos();
  for (const JsonPathStep& step : path) {
    Walker probe = walker;
    if (!probe.Enter(step)) break;
    walker = probe;
    found = walker.pos();
  }
  return PositionOfOffset(text, found);
}

}  // namespace synthscale
