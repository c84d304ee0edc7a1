#include "catalog/json_positions.h"

#include <set>
#include <vector>

#include "core/text.h"

namespace onestop::catalog {

// A recursive-descent pass over the text that records the start of every value.
class JsonScanner {
 public:
  JsonScanner(std::string_view text, JsonPositions& out) : text_(text), out_(out) {}

  Result<void> Run() {
    RETURN_IF_ERROR(Value("", 0));
    SkipSpace();
    if (i_ < text_.size()) return Fail("JSON 值结束后还有多余内容");
    return Ok();
  }

 private:
  static constexpr int kMaxDepth = 64;

  // The position of i_, counting lines incrementally (i_ only moves forward, except when an
  // error points back at a repeated key).
  TextPosition Here() {
    if (counted_ > i_) return JsonPositions::At(text_, i_);
    for (; counted_ < i_; ++counted_) {
      if (text_[counted_] == '\n') {
        ++line_;
        line_start_ = counted_ + 1;
      }
    }
    return {
        line_,
        static_cast<int>(text::CountCodePoints(text_.substr(line_start_, i_ - line_start_))) + 1};
  }

  Error Fail(const std::string& what) {
    const TextPosition p = Here();
    const std::string message =
        "第 " + std::to_string(p.line) + " 行第 " + std::to_string(p.column) + " 列：" + what;
    return InvalidArgument("catalog.json_syntax", message).WithField("", message);
  }

  void SkipSpace() {
    while (i_ < text_.size() &&
           (text_[i_] == ' ' || text_[i_] == '\t' || text_[i_] == '\n' || text_[i_] == '\r')) {
      ++i_;
    }
  }

  Result<void> Value(const std::string& path, int depth) {
    SkipSpace();
    if (i_ >= text_.size()) return Fail("此处缺少 JSON 值");
    if (depth > kMaxDepth) return Fail("嵌套超过 64 层");
    out_.at_.emplace(path, Here());
    const char c = text_[i_];
    if (c == '{') return Object(path, depth);
    if (c == '[') return Array(path, depth);
    if (c == '"') {
      std::string ignored;
      return String(ignored);
    }
    for (std::string_view word : {"true", "false", "null"}) {
      if (text_.substr(i_, word.size()) == word) {
        i_ += word.size();
        return Ok();
      }
    }
    if (c == '-' || (c >= '0' && c <= '9')) {
      // Shape only; Boost.JSON checks the number itself.
      while (i_ < text_.size() &&
             std::string_view("+-.0123456789eE").find(text_[i_]) != std::string_view::npos) {
        ++i_;
      }
      return Ok();
    }
    return Fail("此处不是合法的 JSON 值（字符串须用英文双引号）");
  }

  Result<void> Object(const std::string& path, int depth) {
    ++i_;  // {
    SkipSpace();
    if (i_ < text_.size() && text_[i_] == '}') {
      ++i_;
      return Ok();
    }
    std::set<std::string> keys;
    while (true) {
      SkipSpace();
      if (i_ >= text_.size() || text_[i_] != '"') return Fail("此处应为用英文双引号括起的键");
      const std::size_t key_at = i_;
      std::string key;
      RETURN_IF_ERROR(String(key));
      if (!keys.insert(key).second) {
        i_ = key_at;
        return Fail("键 \"" + key + "\" 重复");
      }
      SkipSpace();
      if (i_ >= text_.size() || text_[i_] != ':') return Fail("键后应为英文冒号“:”");
      ++i_;
      RETURN_IF_ERROR(Value(path.empty() ? key : path + "." + key, depth + 1));
      SkipSpace();
      if (i_ < text_.size() && text_[i_] == ',') {
        ++i_;
        continue;
      }
      if (i_ < text_.size() && text_[i_] == '}') {
        ++i_;
        return Ok();
      }
      return Fail("此处应为英文逗号“,”或“}”");
    }
  }

  Result<void> Array(const std::string& path, int depth) {
    ++i_;  // [
    SkipSpace();
    if (i_ < text_.size() && text_[i_] == ']') {
      ++i_;
      return Ok();
    }
    for (std::size_t index = 0;; ++index) {
      RETURN_IF_ERROR(Value(path + "[" + std::to_string(index) + "]", depth + 1));
      SkipSpace();
      if (i_ < text_.size() && text_[i_] == ',') {
        ++i_;
        continue;
      }
      if (i_ < text_.size() && text_[i_] == ']') {
        ++i_;
        return Ok();
      }
      return Fail("此处应为英文逗号“,”或“]”");
    }
  }

  static void AppendUtf8(std::string& out, unsigned cp) {
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xC0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      out += static_cast<char>(0xE0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (cp >> 18));
      out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }

  Result<unsigned> Hex4() {
    if (i_ + 4 > text_.size()) return Fail("\\u 后应为 4 位十六进制数");
    unsigned v = 0;
    for (int k = 0; k < 4; ++k) {
      const char h = text_[i_ + k];
      v <<= 4;
      if (h >= '0' && h <= '9') {
        v |= static_cast<unsigned>(h - '0');
      } else if (h >= 'a' && h <= 'f') {
        v |= static_cast<unsigned>(h - 'a' + 10);
      } else if (h >= 'A' && h <= 'F') {
        v |= static_cast<unsigned>(h - 'A' + 10);
      } else {
        return Fail("\\u 后应为 4 位十六进制数");
      }
    }
    i_ += 4;
    return v;
  }

  // A string starting at the opening quote; its decoded value (needed for keys) into `out`.
  Result<void> String(std::string& out) {
    ++i_;  // "
    while (true) {
      if (i_ >= text_.size()) return Fail("字符串没有结束（缺少英文双引号）");
      const char c = text_[i_];
      if (c == '"') {
        ++i_;
        return Ok();
      }
      if (static_cast<unsigned char>(c) < 0x20) {
        return Fail("字符串中不能直接换行或含控制字符（换行请写 \\n）");
      }
      if (c != '\\') {
        out += c;
        ++i_;
        continue;
      }
      if (++i_ >= text_.size()) return Fail("字符串没有结束（缺少英文双引号）");
      const char e = text_[i_++];
      switch (e) {
        case '"':
        case '\\':
        case '/':
          out += e;
          break;
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case 'n':
          out += '\n';
          break;
        case 'r':
          out += '\r';
          break;
        case 't':
          out += '\t';
          break;
        case 'u': {
          ASSIGN_OR_RETURN(unsigned cp, Hex4());
          if (cp >= 0xD800 && cp < 0xDC00 && text_.substr(i_, 2) == "\\u") {
            i_ += 2;
            ASSIGN_OR_RETURN(unsigned low, Hex4());
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
          }
          AppendUtf8(out, cp);
          break;
        }
        default:
          i_ -= 2;  // point at the backslash
          return Fail(std::string("不认识的转义 \\") + e);
      }
    }
  }

  std::string_view text_;
  JsonPositions& out_;
  std::size_t i_ = 0;
  std::size_t counted_ = 0;     // newlines before this offset are counted in line_
  std::size_t line_start_ = 0;  // offset where line_ starts
  int line_ = 1;
};

Result<JsonPositions> JsonPositions::Scan(std::string_view text) {
  JsonPositions positions;
  JsonScanner scanner(text, positions);
  RETURN_IF_ERROR(scanner.Run());
  return positions;
}

TextPosition JsonPositions::Find(std::string_view path) const {
  while (true) {
    auto it = at_.find(path);
    if (it != at_.end()) return it->second;
    if (path.empty()) return {};
    // Drop the last segment: "[n]" or ".key" (or the only key).
    if (path.back() == ']') {
      path = path.substr(0, path.rfind('['));
    } else {
      const std::size_t dot = path.rfind('.');
      const std::size_t bracket = path.rfind(']');
      if (dot == std::string_view::npos || (bracket != std::string_view::npos && bracket > dot)) {
        path = bracket == std::string_view::npos ? std::string_view() : path.substr(0, bracket + 1);
      } else {
        path = path.substr(0, dot);
      }
    }
  }
}

TextPosition JsonPositions::At(std::string_view text, std::size_t offset) {
  TextPosition p;
  std::size_t line_start = 0;
  offset = std::min(offset, text.size());
  for (std::size_t k = 0; k < offset; ++k) {
    if (text[k] == '\n') {
      ++p.line;
      line_start = k + 1;
    }
  }
  p.column =
      static_cast<int>(text::CountCodePoints(text.substr(line_start, offset - line_start))) + 1;
  return p;
}

}  // namespace onestop::catalog
