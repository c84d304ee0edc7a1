// The readable text form of a rule: ToText and ParseText.
#include <charconv>
#include <utility>

#include "core/text.h"
#include "policy/internal/rule_check.h"
#include "policy/rule.h"

namespace onestop::policy {

namespace {

enum class Context { kTop, kOrOperand, kAndOperand, kNotOperand };

std::string FactName(const std::string& fact, const FactSchema& schema, bool chinese) {
  if (!chinese) return fact;
  const FactDef* def = schema.Find(fact);
  return def != nullptr && !def->label.empty() ? def->label : fact;
}

std::string LiteralText(const Value& v, bool chinese) {
  if (const bool* b = std::get_if<bool>(&v)) {
    if (chinese) return *b ? "是" : "否";
  }
  return internal::ValueText(v);
}

void Write(const Cond& c, const FactSchema& schema, bool chinese, Context ctx, std::string& out) {
  switch (c.kind) {
    case Cond::Kind::kFact: {
      out += FactName(c.fact, schema, chinese);
      if (c.op == Op::kEq && c.values.size() == 1 && c.values[0] == Value(true)) return;
      out += ' ';
      out += OpText(c.op);
      out += ' ';
      if (c.op == Op::kIn || c.op == Op::kBetween) {
        out += '[';
        for (std::size_t i = 0; i < c.values.size(); ++i) {
          if (i > 0) out += ", ";
          out += LiteralText(c.values[i], chinese);
        }
        out += ']';
      } else if (!c.values.empty()) {
        out += LiteralText(c.values[0], chinese);
      }
      return;
    }
    case Cond::Kind::kNot:
      out += chinese ? "非 " : "not ";
      if (c.children.empty()) {
        out += chinese ? "全部()" : "all()";
      } else {
        Write(c.children[0], schema, chinese, Context::kNotOperand, out);
      }
      return;
    case Cond::Kind::kAll:
    case Cond::Kind::kAny: {
      const bool all = c.kind == Cond::Kind::kAll;
      if (c.children.size() < 2) {
        // all() is true, any() is false; one child keeps its group only in this spelling.
        out += all ? (chinese ? "全部(" : "all(") : (chinese ? "任一(" : "any(");
        if (!c.children.empty()) Write(c.children[0], schema, chinese, Context::kTop, out);
        out += ')';
        return;
      }
      // Parentheses keep nested groups as they are, and show the grouping of and inside or.
      const bool parens = ctx != Context::kTop;
      if (parens) out += '(';
      const char* sep = all ? (chinese ? " 且 " : " and ") : (chinese ? " 或 " : " or ");
      for (std::size_t i = 0; i < c.children.size(); ++i) {
        if (i > 0) out += sep;
        Write(c.children[i], schema, chinese, all ? Context::kAndOperand : Context::kOrOperand,
              out);
      }
      if (parens) out += ')';
      return;
    }
  }
}

}  // namespace

std::string ToText(const Cond& cond, const FactSchema& schema, bool chinese) {
  std::string out;
  Write(cond, schema, chinese, Context::kTop, out);
  return out;
}

// --- parsing -------------------------------------------------------------------------------

namespace internal {

// Decodes the UTF-8 code point at `i`; false for a malformed or overlong sequence.
bool DecodeUtf8(std::string_view s, std::size_t i, char32_t& cp, std::size_t& len) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  if (b0 < 0x80) {
    cp = b0;
    len = 1;
    return true;
  }
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    len = 2;
    cp = b0 & 0x1F;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    len = 3;
    cp = b0 & 0x0F;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    len = 4;
    cp = b0 & 0x07;
  } else {
    return false;
  }
  if (i + len > s.size()) return false;
  for (std::size_t k = 1; k < len; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if ((b & 0xC0) != 0x80) return false;
    cp = (cp << 6) | (b & 0x3F);
  }
  if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
      (cp >= 0xD800 && cp <= 0xDFFF)) {
    return false;
  }
  return true;
}

// Punctuation outside ASCII: never part of a fact name.
bool IsWidePunct(char32_t cp) {
  return (cp >= 0x2000 && cp <= 0x206F) || (cp >= 0x2190 && cp <= 0x22FF) ||
         (cp >= 0x3000 && cp <= 0x303F) || (cp >= 0xFF00 && cp <= 0xFF0F) ||
         (cp >= 0xFF1A && cp <= 0xFF20) || (cp >= 0xFF3B && cp <= 0xFF40) ||
         (cp >= 0xFF5B && cp <= 0xFF65) || (cp >= 0xFFE0 && cp <= 0xFFEE);
}

void AppendUtf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

}  // namespace internal

namespace {

struct Token {
  enum class Kind {
    kEnd,
    kFact,
    kNumber,
    kString,
    kOp,
    kMinus,
    kLParen,
    kRParen,
    kLBracket,
    kRBracket,
    kComma,
    kAnd,
    kOr,
    kNot,
    kTrue,
    kFalse,
    kAll,
    kAny,
  };
  Kind kind = Kind::kEnd;
  std::size_t pos = 0;  // byte offsets into the text
  std::size_t end = 0;
  double number = 0;
  std::string str;               // kString: the unescaped text
  Op op = Op::kEq;               // kOp
  const FactDef* def = nullptr;  // kFact
};
using Kind = Token::Kind;

bool IsAsciiLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool IsAsciiDigit(char c) { return c >= '0' && c <= '9'; }

// The Chinese keywords, in the order they are tried.
struct ChineseWord {
  std::string_view text;
  Kind kind;
};
constexpr ChineseWord kChineseWords[] = {
    {"且", Kind::kAnd},   {"或", Kind::kOr},    {"非", Kind::kNot},   {"是", Kind::kTrue},
    {"否", Kind::kFalse}, {"全部", Kind::kAll}, {"任一", Kind::kAny},
};

class Lexer {
 public:
  Lexer(std::string_view text, const FactSchema& schema) : text_(text), schema_(schema) {}

  Result<std::vector<Token>> Run() {
    std::vector<Token> out;
    while (true) {
      ASSIGN_OR_RETURN(Token t, Next());
      const bool end = t.kind == Kind::kEnd;
      out.push_back(std::move(t));
      if (end) return out;
    }
  }

  Error Fail(std::string reason, std::size_t pos, const std::string& message) const {
    return InvalidArgument(std::move(reason), internal::PositionOf(text_, pos) + "：" + message);
  }

 private:
  bool CodePoint(std::size_t i, char32_t& cp, std::size_t& len) const {
    return i < text_.size() && internal::DecodeUtf8(text_, i, cp, len);
  }

  // A character that continues a word: ASCII letters, digits, '_', and non-ASCII letters.
  bool IsWordAt(std::size_t i) const {
    char32_t cp;
    std::size_t len;
    if (!CodePoint(i, cp, len)) return false;
    if (cp < 0x80)
      return IsAsciiLetter(static_cast<char>(cp)) || IsAsciiDigit(static_cast<char>(cp));
    return !internal::IsWidePunct(cp);
  }
  bool ChineseWordAt(std::size_t i) const {
    for (const ChineseWord& w : kChineseWords) {
      if (text_.substr(i).starts_with(w.text)) return true;
    }
    return false;
  }
  // The longest declared label that starts at `i`.
  const FactDef* LabelAt(std::size_t i, std::size_t& len) const {
    const FactDef* best = nullptr;
    len = 0;
    const std::string_view rest = text_.substr(i);
    for (const FactDef& d : schema_.facts()) {
      if (!d.label.empty() && d.label.size() > len && rest.starts_with(d.label)) {
        best = &d;
        len = d.label.size();
      }
    }
    return best;
  }
  // End of the run of non-ASCII word characters from `i` (for "unknown name" messages).
  std::size_t WordRunEnd(std::size_t i) const {
    while (i < text_.size() && IsWordAt(i)) {
      char32_t cp;
      std::size_t len;
      CodePoint(i, cp, len);
      i += len;
    }
    return i;
  }

  Result<Token> Next() {
    // Skip ASCII white space and U+3000.
    while (pos_ < text_.size()) {
      const char c = text_[pos_];
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
        ++pos_;
      } else if (text_.substr(pos_).starts_with("\xE3\x80\x80")) {
        pos_ += 3;
      } else {
        break;
      }
    }
    Token t;
    t.pos = pos_;
    if (pos_ >= text_.size()) {
      t.end = pos_;
      return t;
    }
    char32_t cp;
    std::size_t len;
    if (!CodePoint(pos_, cp, len)) {
      return Fail("policy.rule_syntax", pos_, "文本不是有效的 UTF-8");
    }
    const char c = text_[pos_];
    auto single = [&](Kind kind, std::size_t n) -> Result<Token> {
      t.kind = kind;
      pos_ += n;
      t.end = pos_;
      return t;
    };
    auto op = [&](Op o, std::size_t n) -> Result<Token> {
      t.op = o;
      return single(Kind::kOp, n);
    };
    const std::string_view rest = text_.substr(pos_);
    if (rest.starts_with("==")) return op(Op::kEq, 2);
    if (rest.starts_with("!=")) return op(Op::kNe, 2);
    if (rest.starts_with("<=")) return op(Op::kLe, 2);
    if (rest.starts_with(">=")) return op(Op::kGe, 2);
    switch (cp) {
      case '=':
        return op(Op::kEq, 1);
      case '<':
        return op(Op::kLt, 1);
      case '>':
        return op(Op::kGt, 1);
      case U'\u2265':  // ≥
        return op(Op::kGe, len);
      case U'\u2264':  // ≤
        return op(Op::kLe, len);
      case U'\u2260':  // ≠
        return op(Op::kNe, len);
      case '(':
      case U'\uFF08':  // （
        return single(Kind::kLParen, len);
      case ')':
      case U'\uFF09':  // ）
        return single(Kind::kRParen, len);
      case '[':
        return single(Kind::kLBracket, 1);
      case ']':
        return single(Kind::kRBracket, 1);
      case ',':
      case U'\uFF0C':  // ，
      case U'\u3001':  // 、
        return single(Kind::kComma, len);
      case '-':
        return single(Kind::kMinus, 1);
      case '"':
      case U'\u201C':  // “
        return String(t, cp == '"' ? U'"' : U'\u201D', len);
      default:
        break;
    }
    if (IsAsciiDigit(c)) return Number(t);
    if (IsAsciiLetter(c) || (cp >= 0x80 && !internal::IsWidePunct(cp))) return Word(t, cp);
    return Fail("policy.rule_syntax", pos_,
                "无法识别的字符「" + std::string(text_.substr(pos_, len)) + "」");
  }

  Result<Token> Number(Token& t) {
    std::size_t i = pos_;
    while (i < text_.size() && IsAsciiDigit(text_[i])) ++i;
    if (i + 1 < text_.size() && text_[i] == '.' && IsAsciiDigit(text_[i + 1])) {
      ++i;
      while (i < text_.size() && IsAsciiDigit(text_[i])) ++i;
    }
    if (i < text_.size() && (text_[i] == 'e' || text_[i] == 'E')) {
      std::size_t j = i + 1;
      if (j < text_.size() && (text_[j] == '+' || text_[j] == '-')) ++j;
      if (j < text_.size() && IsAsciiDigit(text_[j])) {
        while (j < text_.size() && IsAsciiDigit(text_[j])) ++j;
        i = j;
      }
    }
    auto [ptr, ec] = std::from_chars(text_.data() + pos_, text_.data() + i, t.number);
    if (ec != std::errc() || ptr != text_.data() + i) {
      return Fail("policy.rule_syntax", pos_,
                  "无效的数字「" + std::string(text_.substr(pos_, i - pos_)) + "」");
    }
    if (i < text_.size() && (text_[i] == '.' || (IsWordAt(i) && !ChineseWordAt(i)))) {
      const std::size_t bad_end = text_[i] == '.' ? i + 1 : WordRunEnd(i);
      return Fail("policy.rule_syntax", i,
                  "数字后面不能直接跟「" + std::string(text_.substr(i, bad_end - i)) +
                      "」，数字只写阿拉伯数字（单位不写）");
    }
    t.kind = Kind::kNumber;
    pos_ = i;
    t.end = i;
    return t;
  }

  Result<Token> String(Token& t, char32_t close, std::size_t open_len) {
    std::size_t i = pos_ + open_len;
    std::string out;
    while (true) {
      char32_t cp;
      std::size_t len;
      if (i >= text_.size()) {
        return Fail("policy.rule_syntax", pos_, "文本缺少结尾的引号");
      }
      if (!CodePoint(i, cp, len)) return Fail("policy.rule_syntax", i, "文本不是有效的 UTF-8");
      if (cp == close) {
        i += len;
        break;
      }
      if (cp == '\n' || cp == '\r') {
        return Fail("policy.rule_syntax", pos_, "文本缺少结尾的引号（文本不能跨行，换行写作 \\n）");
      }
      if (cp != '\\') {
        out.append(text_.substr(i, len));
        i += len;
        continue;
      }
      // Escapes as in JSON.
      const char e = i + 1 < text_.size() ? text_[i + 1] : '\0';
      switch (e) {
        case '"':
        case '\\':
        case '/':
          out += e;
          i += 2;
          continue;
        case 'n':
          out += '\n';
          i += 2;
          continue;
        case 't':
          out += '\t';
          i += 2;
          continue;
        case 'r':
          out += '\r';
          i += 2;
          continue;
        case 'u': {
          char32_t v = 0;
          bool ok = i + 6 <= text_.size();
          for (std::size_t k = i + 2; ok && k < i + 6; ++k) {
            const char h = text_[k];
            v <<= 4;
            if (h >= '0' && h <= '9') {
              v |= static_cast<char32_t>(h - '0');
            } else if (h >= 'a' && h <= 'f') {
              v |= static_cast<char32_t>(h - 'a' + 10);
            } else if (h >= 'A' && h <= 'F') {
              v |= static_cast<char32_t>(h - 'A' + 10);
            } else {
              ok = false;
            }
          }
          if (ok && !(v >= 0xD800 && v <= 0xDFFF)) {
            internal::AppendUtf8(out, v);
            i += 6;
            continue;
          }
          break;
        }
        default:
          break;
      }
      return Fail("policy.rule_syntax", i,
                  "无效的转义「" +
                      std::string(text_.substr(i, std::min<std::size_t>(2, text_.size() - i))) +
                      "」，可用 \\\" \\\\ \\n \\t \\r \\uXXXX");
    }
    t.kind = Kind::kString;
    t.str = std::move(out);
    pos_ = i;
    t.end = i;
    return t;
  }

  Result<Token> Word(Token& t, char32_t first) {
    std::size_t label_len = 0;
    const FactDef* label = LabelAt(pos_, label_len);
    std::size_t ident_len = 0;
    if (first < 0x80) {
      while (pos_ + ident_len < text_.size() &&
             (IsAsciiLetter(text_[pos_ + ident_len]) || IsAsciiDigit(text_[pos_ + ident_len]))) {
        ++ident_len;
      }
    }
    if (ident_len > 0 && ident_len >= label_len) {
      const std::string_view word = text_.substr(pos_, ident_len);
      if (internal::IsKeyword(word)) {
        std::string lower(word);
        for (char& ch : lower) {
          if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
        }
        static constexpr std::pair<std::string_view, Kind> kWords[] = {
            {"and", Kind::kAnd},   {"or", Kind::kOr},       {"not", Kind::kNot},
            {"true", Kind::kTrue}, {"false", Kind::kFalse}, {"all", Kind::kAll},
            {"any", Kind::kAny}};
        for (const auto& [w, kind] : kWords) {
          if (lower == w) t.kind = kind;
        }
        if (lower == "in" || lower == "prefix" || lower == "between") {
          t.kind = Kind::kOp;
          t.op = *internal::ParseOp(lower);
        }
      } else {
        t.def = schema_.Find(word);
        if (t.def == nullptr) {
          return Fail("policy.unknown_fact", pos_, "未知的条件项「" + std::string(word) + "」");
        }
        t.kind = Kind::kFact;
      }
      pos_ += ident_len;
      t.end = pos_;
      return t;
    }
    if (label != nullptr) {
      const std::size_t after = pos_ + label_len;
      std::size_t ignored;
      char32_t next;
      std::size_t next_len;
      if (CodePoint(after, next, next_len) && next >= 0x80 && IsWordAt(after) &&
          !ChineseWordAt(after) && LabelAt(after, ignored) == nullptr) {
        // "员工数量": a longer name that is not declared, not 员工数 followed by 量.
        return Fail(
            "policy.unknown_fact", pos_,
            "未知的条件项「" + std::string(text_.substr(pos_, WordRunEnd(pos_) - pos_)) + "」");
      }
      t.kind = Kind::kFact;
      t.def = label;
      pos_ = after;
      t.end = pos_;
      return t;
    }
    for (const ChineseWord& w : kChineseWords) {
      if (text_.substr(pos_).starts_with(w.text)) {
        t.kind = w.kind;
        pos_ += w.text.size();
        t.end = pos_;
        return t;
      }
    }
    return Fail("policy.unknown_fact", pos_,
                "未知的条件项「" + std::string(text_.substr(pos_, WordRunEnd(pos_) - pos_)) + "」");
  }

  std::string_view text_;
  const FactSchema& schema_;
  std::size_t pos_ = 0;
};

constexpr int kMaxDepth = 200;

class Parser {
 public:
  Parser(const Lexer& lexer, std::string_view text, std::vector<Token> tokens)
      : lexer_(lexer), text_(text), tokens_(std::move(tokens)) {}

  Result<Cond> Run() {
    if (Peek().kind == Kind::kEnd) return Fail(Peek(), "条件为空");
    ASSIGN_OR_RETURN(Cond c, Or(0));
    if (Peek().kind != Kind::kEnd) {
      if (Peek().kind == Kind::kRParen) return Fail(Peek(), "多余的右括号「)」");
      return Fail(Peek(),
                  "多余的内容「" + Spelling(Peek()) + "」：条件已完整，多个条件用 and / or 连接");
    }
    return c;
  }

 private:
  const Token& Peek() const { return tokens_[next_]; }
  const Token& Take() { return tokens_[next_ < tokens_.size() - 1 ? next_++ : next_]; }
  bool Accept(Kind kind) {
    if (Peek().kind != kind) return false;
    Take();
    return true;
  }
  std::string Spelling(const Token& t) const {
    if (t.kind == Kind::kEnd) return "结尾";
    return std::string(text_.substr(t.pos, t.end - t.pos));
  }
  Error Fail(const Token& at, const std::string& message,
             std::string reason = "policy.rule_syntax") const {
    return lexer_.Fail(std::move(reason), at.pos, message);
  }
  // "此处应为 X，而不是「Y」" / "… 缺少 X" at the end.
  Error Expected(const Token& at, const std::string& what) const {
    if (at.kind == Kind::kEnd) return Fail(at, "条件不完整：结尾缺少" + what);
    return Fail(at, "此处应为" + what + "，而不是「" + Spelling(at) + "」");
  }

  Result<Cond> Or(int depth) {
    if (depth > kMaxDepth) return Fail(Peek(), "条件嵌套过深（超过 200 层）");
    ASSIGN_OR_RETURN(Cond first, And(depth));
    if (Peek().kind != Kind::kOr) return first;
    Cond any;
    any.kind = Cond::Kind::kAny;
    any.children.push_back(std::move(first));
    while (Accept(Kind::kOr)) {
      ASSIGN_OR_RETURN(Cond next, And(depth));
      any.children.push_back(std::move(next));
    }
    return any;
  }

  Result<Cond> And(int depth) {
    ASSIGN_OR_RETURN(Cond first, Unary(depth));
    if (Peek().kind != Kind::kAnd) return first;
    Cond all;
    all.kind = Cond::Kind::kAll;
    all.children.push_back(std::move(first));
    while (Accept(Kind::kAnd)) {
      ASSIGN_OR_RETURN(Cond next, Unary(depth));
      all.children.push_back(std::move(next));
    }
    return all;
  }

  Result<Cond> Unary(int depth) {
    if (depth > kMaxDepth) return Fail(Peek(), "条件嵌套过深（超过 200 层）");
    if (Accept(Kind::kNot)) {
      ASSIGN_OR_RETURN(Cond inner, Unary(depth + 1));
      Cond c;
      c.kind = Cond::Kind::kNot;
      c.children.push_back(std::move(inner));
      return c;
    }
    return Primary(depth);
  }

  Result<Cond> Primary(int depth) {
    const Token& t = Peek();
    switch (t.kind) {
      case Kind::kLParen: {
        const Token& open = Take();
        ASSIGN_OR_RETURN(Cond inner, Or(depth + 1));
        if (!Accept(Kind::kRParen)) {
          if (Peek().kind == Kind::kEnd) {
            return Fail(open, "左括号「" + Spelling(open) + "」缺少对应的右括号「)」");
          }
          return Expected(Peek(), "右括号「)」或 and / or");
        }
        return inner;
      }
      case Kind::kAll:
      case Kind::kAny: {
        const Token& word = Take();
        Cond group;
        group.kind = word.kind == Kind::kAll ? Cond::Kind::kAll : Cond::Kind::kAny;
        if (!Accept(Kind::kLParen))
          return Expected(Peek(), "「" + Spelling(word) + "」后的左括号「(」");
        if (Accept(Kind::kRParen)) return group;
        while (true) {
          ASSIGN_OR_RETURN(Cond child, Or(depth + 1));
          group.children.push_back(std::move(child));
          if (Accept(Kind::kRParen)) return group;
          if (!Accept(Kind::kComma)) return Expected(Peek(), "逗号或右括号「)」");
        }
      }
      case Kind::kFact:
        return Leaf();
      default:
        return Expected(t, "条件（条件项、not、左括号）");
    }
  }

  // A literal operand: number (optionally negative), text, true / false.
  Result<Value> Literal(const std::string& after) {
    const Token& t = Peek();
    switch (t.kind) {
      case Kind::kMinus: {
        Take();
        if (Peek().kind != Kind::kNumber || Peek().pos != t.end) {
          return Expected(Peek(), "负号后的数字");
        }
        return Value(-Take().number);
      }
      case Kind::kNumber:
        return Value(Take().number);
      case Kind::kString:
        return Value(Take().str);
      case Kind::kTrue:
        Take();
        return Value(true);
      case Kind::kFalse:
        Take();
        return Value(false);
      default:
        return Expected(t, after + "的取值（数字、\"文本\"、true / false）");
    }
  }

  Result<Cond> Leaf() {
    const Token& fact = Take();
    Cond c;
    c.kind = Cond::Kind::kFact;
    c.fact = fact.def->key;
    if (Peek().kind != Kind::kOp) {
      // A bare fact: F == true, for 是否 facts only.
      if (fact.def->type != FactType::kBool) {
        const std::string name = Spelling(fact);
        return Fail(fact,
                    "「" + name + "」是" + std::string(FactTypeLabel(fact.def->type)) +
                        "类条件项，要写出比较，如 " + name +
                        (fact.def->type == FactType::kNumber ? " >= 50" : " == \"…\""),
                    "policy.type_mismatch");
      }
      c.op = Op::kEq;
      c.values.push_back(true);
      return c;
    }
    const Token& op = Take();
    c.op = op.op;
    const Token& operand = Peek();
    const std::string after = "运算符 " + Spelling(op) + " 后";
    if (c.op == Op::kIn || c.op == Op::kBetween) {
      if (!Accept(Kind::kLBracket)) {
        return Expected(
            Peek(), after + "的列表「[」（如 " +
                        std::string(c.op == Op::kIn ? "in [\"C39\", \"C40\"]" : "between [1, 10]") +
                        "）");
      }
      if (!Accept(Kind::kRBracket)) {
        while (true) {
          ASSIGN_OR_RETURN(Value v, Literal(after + "列表中"));
          c.values.push_back(std::move(v));
          if (Accept(Kind::kRBracket)) break;
          if (!Accept(Kind::kComma)) return Expected(Peek(), "逗号或右方括号「]」");
        }
      }
    } else {
      ASSIGN_OR_RETURN(Value v, Literal(after));
      c.values.push_back(std::move(v));
    }
    if (std::optional<internal::LeafProblem> p =
            internal::CheckLeaf(fact.def, c.fact, c.op, c.values)) {
      if (p->reason == "policy.rule_op") return Fail(op, p->message, p->reason);
      return Fail(operand, p->message,
                  p->reason == "policy.rule_json" ? "policy.rule_syntax" : p->reason);
    }
    return c;
  }

  const Lexer& lexer_;
  std::string_view text_;
  std::vector<Token> tokens_;
  std::size_t next_ = 0;
};

}  // namespace

Result<Cond> ParseText(std::string_view text, const FactSchema& schema) {
  Lexer lexer(text, schema);
  ASSIGN_OR_RETURN(std::vector<Token> tokens, lexer.Run());
  Parser parser(lexer, text, std::move(tokens));
  return parser.Run();
}

}  // namespace onestop::policy
