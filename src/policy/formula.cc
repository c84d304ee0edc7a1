#include "policy/formula.h"

#include <boost/json/monotonic_resource.hpp>
#include <boost/json/parser.hpp>
#include <charconv>
#include <cmath>
#include <limits>
#include <optional>
#include <unordered_set>

#include "policy/internal/rule_check.h"

namespace onestop::policy {

namespace json = boost::json;

std::string_view RoundingLabel(Rounding rounding) {
  switch (rounding) {
    case Rounding::kHalfUp:
      return "四舍五入";
    case Rounding::kDown:
      return "舍去";
    case Rounding::kUp:
      return "进一";
  }
  return "?";
}

std::string_view RoundingKey(Rounding rounding) {
  switch (rounding) {
    case Rounding::kHalfUp:
      return "half_up";
    case Rounding::kDown:
      return "down";
    case Rounding::kUp:
      return "up";
  }
  return "?";
}

namespace {

__extension__ typedef __int128 i128;

constexpr int kMaxDepth = 200;
// A literal with decimals keeps at most 15 significant digits, so that it survives the JSON
// form (a double) unchanged; a whole number may have 18.
constexpr std::int64_t kMaxFraction = 1'000'000'000'000'000;   // 10^15
constexpr std::int64_t kMaxWhole = 1'000'000'000'000'000'000;  // 10^18

// --- decimals ----------------------------------------------------------------------------

// digits × 10^exp10 as a normalised Decimal; nullopt if it does not fit (see kMax*).
std::optional<Decimal> MakeDecimal(std::string_view digits, int exp10) {
  while (!digits.empty() && digits.front() == '0') digits.remove_prefix(1);
  if (digits.empty()) return Decimal{};
  int scale = -exp10;
  while (scale > 0 && digits.back() == '0') {
    digits.remove_suffix(1);
    --scale;
  }
  if (digits.size() > 18) return std::nullopt;
  std::int64_t m = 0;
  for (char c : digits) m = m * 10 + (c - '0');
  while (scale < 0) {
    if (m >= kMaxWhole / 10) return std::nullopt;
    m *= 10;
    ++scale;
  }
  if (scale > 18) return std::nullopt;
  if (scale > 0 ? m >= kMaxFraction : m >= kMaxWhole) return std::nullopt;
  return Decimal{m, scale};
}

// Splits a shortest double spelling ("3.5", "1e+21", "1.5e-07", no sign) into digits and a
// power of ten.
bool SplitShortest(double magnitude, std::string& digits, int& exp10) {
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, magnitude);
  if (ec != std::errc()) return false;
  std::string_view s(buf, static_cast<std::size_t>(end - buf));
  exp10 = 0;
  if (std::size_t e = s.find('e'); e != std::string_view::npos) {
    int x = 0;
    std::string_view ex = s.substr(e + 1);
    if (!ex.empty() && ex.front() == '+') ex.remove_prefix(1);
    auto [p, ec2] = std::from_chars(ex.data(), ex.data() + ex.size(), x);
    if (ec2 != std::errc() || p != ex.data() + ex.size()) return false;
    exp10 = x;
    s = s.substr(0, e);
  }
  digits.clear();
  if (std::size_t dot = s.find('.'); dot != std::string_view::npos) {
    digits.append(s.substr(0, dot));
    digits.append(s.substr(dot + 1));
    exp10 -= static_cast<int>(s.size() - dot - 1);
  } else {
    digits.append(s);
  }
  return true;
}

std::optional<Decimal> DecimalFromDouble(double magnitude) {
  std::string digits;
  int exp10 = 0;
  if (!std::isfinite(magnitude) || !SplitShortest(magnitude, digits, exp10)) return std::nullopt;
  return MakeDecimal(digits, exp10);
}

std::string DecimalText(const Decimal& d) {
  std::string s = std::to_string(d.mantissa);
  if (d.scale == 0) return s;
  if (static_cast<int>(s.size()) <= d.scale) {
    s.insert(0, static_cast<std::size_t>(d.scale) - s.size() + 1, '0');
  }
  s.insert(s.size() - static_cast<std::size_t>(d.scale), ".");
  return s;
}

std::string_view UnitSuffix(LiteralUnit unit) {
  switch (unit) {
    case LiteralUnit::kNone:
      return "";
    case LiteralUnit::kPercent:
      return "%";
    case LiteralUnit::kYuan:
      return "元";
    case LiteralUnit::kWanYuan:
      return "万元";
  }
  return "";
}

// --- exact rationals -----------------------------------------------------------------------

// num / den with den > 0 and gcd(|num|, den) = 1.
struct Q {
  i128 num = 0;
  i128 den = 1;
};

i128 Abs(i128 x) { return x < 0 ? -x : x; }
i128 Gcd(i128 a, i128 b) {
  a = Abs(a);
  b = Abs(b);
  while (b != 0) {
    i128 t = a % b;
    a = b;
    b = t;
  }
  return a;
}
constexpr i128 kI128Min = static_cast<i128>(static_cast<unsigned __int128>(1) << 127);

Q Reduce(i128 num, i128 den) {
  const i128 g = Gcd(num, den);
  if (g > 1) {
    num /= g;
    den /= g;
  }
  return Q{num, den};
}

std::optional<i128> Pow10(int n) {
  i128 p = 1;
  for (int i = 0; i < n; ++i) {
    if (__builtin_mul_overflow(p, 10, &p)) return std::nullopt;
  }
  return p;
}

std::optional<Q> Add(const Q& a, const Q& b) {
  const i128 g = Gcd(a.den, b.den);
  i128 l, x, y, n;
  if (__builtin_mul_overflow(a.den / g, b.den, &l)) return std::nullopt;
  if (__builtin_mul_overflow(a.num, l / a.den, &x)) return std::nullopt;
  if (__builtin_mul_overflow(b.num, l / b.den, &y)) return std::nullopt;
  if (__builtin_add_overflow(x, y, &n) || n == kI128Min) return std::nullopt;
  return Reduce(n, l);
}

std::optional<Q> Neg(const Q& a) {
  if (a.num == kI128Min) return std::nullopt;
  return Q{-a.num, a.den};
}

std::optional<Q> Mul(const Q& a, const Q& b) {
  const i128 g1 = Gcd(a.num, b.den);
  const i128 g2 = Gcd(b.num, a.den);
  i128 n, d;
  if (__builtin_mul_overflow(g1 == 0 ? 0 : a.num / g1, g2 == 0 ? 0 : b.num / g2, &n)) {
    return std::nullopt;
  }
  if (__builtin_mul_overflow(g2 == 0 ? a.den : a.den / g2, g1 == 0 ? b.den : b.den / g1, &d)) {
    return std::nullopt;
  }
  if (n == kI128Min) return std::nullopt;
  return Reduce(n, d);
}

// REQUIRES: b.num != 0.
std::optional<Q> Div(const Q& a, const Q& b) {
  Q inv{b.den, b.num};
  if (inv.den < 0) {
    inv.num = -inv.num;
    inv.den = -inv.den;
  }
  return Mul(a, inv);
}

// -1, 0, 1 as a <, ==, > b; nullopt on overflow.
std::optional<int> Compare(const Q& a, const Q& b) {
  i128 x, y;
  if (__builtin_mul_overflow(a.num, b.den, &x) || __builtin_mul_overflow(b.num, a.den, &y)) {
    return std::nullopt;
  }
  return x < y ? -1 : (x > y ? 1 : 0);
}

std::optional<Q> LiteralValue(const Expr& e) {
  std::optional<i128> den = Pow10(e.literal.scale);
  if (!den) return std::nullopt;
  i128 num = e.literal.mantissa;
  switch (e.unit) {
    case LiteralUnit::kNone:
      break;
    case LiteralUnit::kPercent:
      *den *= 100;
      break;
    case LiteralUnit::kYuan:
      num *= 100;
      break;
    case LiteralUnit::kWanYuan:
      num *= 1'000'000;
      break;
  }
  return Reduce(num, *den);
}

// The exact decimal a fact value spells (see formula.h).
std::optional<Q> FactValue(double x) {
  if (!std::isfinite(x)) return std::nullopt;
  std::string digits;
  int exp10 = 0;
  if (!SplitShortest(std::fabs(x), digits, exp10)) return std::nullopt;
  i128 m = 0;
  for (char c : digits) {
    if (__builtin_mul_overflow(m, 10, &m) || __builtin_add_overflow(m, c - '0', &m)) {
      return std::nullopt;
    }
  }
  if (x < 0) m = -m;
  if (exp10 >= 0) {
    std::optional<i128> p = Pow10(exp10);
    if (!p || __builtin_mul_overflow(m, *p, &m)) return std::nullopt;
    return Q{m, 1};
  }
  std::optional<i128> p = Pow10(-exp10);
  if (!p) return std::nullopt;
  return Reduce(m, *p);
}

Error Overflow() {
  return FailedPrecondition("policy.formula_overflow",
                            "金额计算超出可精确计算的范围（中间结果超过 128 位整数）");
}

std::string ExprText(const Expr& e, const FactSchema* schema, bool chinese);

Result<Q> Eval(const Expr& e, const Facts& facts) {
  switch (e.kind) {
    case Expr::Kind::kLiteral: {
      std::optional<Q> q = LiteralValue(e);
      if (!q) return Overflow();
      return *q;
    }
    case Expr::Kind::kFact: {
      auto it = facts.find(e.fact);
      if (it == facts.end()) {
        return FailedPrecondition("policy.formula_missing_fact",
                                  "缺少条件项「" + e.fact + "」的数据，无法计算金额")
            .WithField(e.fact, "缺少数据");
      }
      const double* x = std::get_if<double>(&it->second);
      if (x == nullptr) {
        return FailedPrecondition("policy.type_mismatch",
                                  "条件项「" + e.fact + "」的数据不是数值，无法计算金额")
            .WithField(e.fact, "不是数值");
      }
      std::optional<Q> q = FactValue(*x);
      if (!q) return Overflow();
      return *q;
    }
    case Expr::Kind::kNeg: {
      ASSIGN_OR_RETURN(Q a, Eval(e.args.at(0), facts));
      std::optional<Q> q = Neg(a);
      if (!q) return Overflow();
      return *q;
    }
    case Expr::Kind::kAdd:
    case Expr::Kind::kSub:
    case Expr::Kind::kMul:
    case Expr::Kind::kDiv: {
      ASSIGN_OR_RETURN(Q a, Eval(e.args.at(0), facts));
      ASSIGN_OR_RETURN(Q b, Eval(e.args.at(1), facts));
      std::optional<Q> q;
      switch (e.kind) {
        case Expr::Kind::kAdd:
          q = Add(a, b);
          break;
        case Expr::Kind::kSub:
          if (std::optional<Q> nb = Neg(b)) q = Add(a, *nb);
          break;
        case Expr::Kind::kMul:
          q = Mul(a, b);
          break;
        default:
          if (b.num == 0) {
            return FailedPrecondition(
                "policy.formula_div_zero",
                "公式中的除数 " + ExprText(e.args[1], nullptr, false) + " 为零，无法计算金额");
          }
          q = Div(a, b);
          break;
      }
      if (!q) return Overflow();
      return *q;
    }
    case Expr::Kind::kMin:
    case Expr::Kind::kMax: {
      if (e.args.empty()) return Internal("policy.formula_json", "min / max 没有参数");
      ASSIGN_OR_RETURN(Q best, Eval(e.args[0], facts));
      for (std::size_t i = 1; i < e.args.size(); ++i) {
        ASSIGN_OR_RETURN(Q x, Eval(e.args[i], facts));
        std::optional<int> c = Compare(x, best);
        if (!c) return Overflow();
        if ((e.kind == Expr::Kind::kMin && *c < 0) || (e.kind == Expr::Kind::kMax && *c > 0)) {
          best = x;
        }
      }
      return best;
    }
  }
  return Internal("policy.formula_json", "未知的公式节点");
}

// Rounds q to an integer by `rounding` (applied to the magnitude, as java.math.RoundingMode).
i128 Round(const Q& q, Rounding rounding) {
  i128 whole = q.num / q.den;  // toward zero
  const i128 rest = Abs(q.num % q.den);
  if (rest == 0) return whole;
  const i128 away = q.num < 0 ? -1 : 1;
  switch (rounding) {
    case Rounding::kDown:
      break;
    case Rounding::kUp:
      whole += away;
      break;
    case Rounding::kHalfUp:
      if (rest >= q.den - rest) whole += away;  // 2·rest ≥ den without overflow
      break;
  }
  return whole;
}

void CollectFacts(const Expr& e, std::vector<std::string>& out,
                  std::unordered_set<std::string_view>& seen) {
  if (e.kind == Expr::Kind::kFact && seen.insert(e.fact).second) out.push_back(e.fact);
  for (const Expr& a : e.args) CollectFacts(a, out, seen);
}

// --- text ----------------------------------------------------------------------------------

int Precedence(const Expr& e) {
  switch (e.kind) {
    case Expr::Kind::kAdd:
    case Expr::Kind::kSub:
      return 1;
    case Expr::Kind::kMul:
    case Expr::Kind::kDiv:
      return 2;
    case Expr::Kind::kNeg:
      return 3;
    default:
      return 4;
  }
}

void WriteExpr(const Expr& e, const FactSchema* schema, bool chinese, std::string& out) {
  auto operand = [&](const Expr& x, bool parens) {
    if (parens) out += '(';
    WriteExpr(x, schema, chinese, out);
    if (parens) out += ')';
  };
  switch (e.kind) {
    case Expr::Kind::kLiteral:
      out += DecimalText(e.literal);
      out += UnitSuffix(e.unit);
      return;
    case Expr::Kind::kFact: {
      const FactDef* def = chinese && schema != nullptr ? schema->Find(e.fact) : nullptr;
      out += def != nullptr && !def->label.empty() ? def->label : e.fact;
      return;
    }
    case Expr::Kind::kNeg:
      out += '-';
      if (!e.args.empty()) {
        const Expr& x = e.args[0];
        operand(x, Precedence(x) <= 3);  // -(a + b), -(a × b), -(-a)
      }
      return;
    case Expr::Kind::kAdd:
    case Expr::Kind::kSub:
    case Expr::Kind::kMul:
    case Expr::Kind::kDiv: {
      if (e.args.size() != 2) return;
      const int p = Precedence(e);
      // Left-associative: the right operand of the same level keeps its parentheses.
      operand(e.args[0], Precedence(e.args[0]) < p);
      switch (e.kind) {
        case Expr::Kind::kAdd:
          out += " + ";
          break;
        case Expr::Kind::kSub:
          out += " - ";
          break;
        case Expr::Kind::kMul:
          out += chinese ? " × " : " * ";
          break;
        default:
          out += chinese ? " ÷ " : " / ";
          break;
      }
      operand(e.args[1], Precedence(e.args[1]) <= p);
      return;
    }
    case Expr::Kind::kMin:
    case Expr::Kind::kMax:
      out += e.kind == Expr::Kind::kMin ? "min(" : "max(";
      for (std::size_t i = 0; i < e.args.size(); ++i) {
        if (i > 0) out += ", ";
        WriteExpr(e.args[i], schema, chinese, out);
      }
      out += ')';
      return;
  }
}

std::string ExprText(const Expr& e, const FactSchema* schema, bool chinese) {
  std::string out;
  WriteExpr(e, schema, chinese, out);
  return out;
}

struct Token {
  enum class Kind {
    kEnd,
    kNumber,
    kFact,
    kPlus,
    kMinus,
    kStar,
    kSlash,
    kLParen,
    kRParen,
    kComma,
    kMin,
    kMax,
    kRound,
    kWord,
    kRounding,
  };
  Kind kind = Kind::kEnd;
  std::size_t pos = 0;
  std::size_t end = 0;
  Decimal number;
  LiteralUnit unit = LiteralUnit::kNone;
  const FactDef* def = nullptr;
  Rounding rounding = Rounding::kHalfUp;  // kRounding, and kWord half_up / down / up
  bool is_mode = false;                   // kWord: one of half_up / down / up
};
using Kind = Token::Kind;

bool IsAsciiLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool IsAsciiDigit(char c) { return c >= '0' && c <= '9'; }

constexpr std::pair<std::string_view, Rounding> kChineseRoundings[] = {
    {"四舍五入", Rounding::kHalfUp}, {"舍去", Rounding::kDown}, {"进一", Rounding::kUp}};

class FormulaParser {
 public:
  FormulaParser(std::string_view text, const FactSchema& schema) : text_(text), schema_(schema) {}

  Result<Formula> Run() {
    ASSIGN_OR_RETURN(tokens_, Lex());
    if (Peek().kind == Kind::kEnd) return Fail(Peek(), "公式为空");
    Formula f;
    ASSIGN_OR_RETURN(f.expr, Sum(0));
    const bool comma = Accept(Kind::kComma);
    if (Peek().kind == Kind::kRounding) {
      f.rounding = Take().rounding;
    } else if (Peek().kind == Kind::kRound) {
      Take();
      if (Peek().kind != Kind::kWord || !Peek().is_mode) {
        return Expected(Peek(), "取整方式 half_up / down / up");
      }
      f.rounding = Take().rounding;
    } else if (Peek().kind == Kind::kEnd) {
      return Fail(Peek(),
                  "缺少取整方式：在公式末尾写 四舍五入、舍去 或 进一（或 round half_up / down / "
                  "up）");
    } else if (comma) {
      return Expected(Peek(), "取整方式（四舍五入 / 舍去 / 进一）");
    } else {
      return Fail(Peek(), "多余的内容「" + Spelling(Peek()) + "」");
    }
    if (Peek().kind != Kind::kEnd) {
      return Fail(Peek(), "取整方式之后不能再有内容「" + Spelling(Peek()) + "」");
    }
    return f;
  }

 private:
  Error Fail(std::size_t pos, const std::string& message,
             std::string reason = "policy.formula_syntax") const {
    return InvalidArgument(std::move(reason), internal::PositionOf(text_, pos) + "：" + message);
  }
  Error Fail(const Token& t, const std::string& message) const { return Fail(t.pos, message); }
  std::string Spelling(const Token& t) const {
    return t.kind == Kind::kEnd ? "结尾" : std::string(text_.substr(t.pos, t.end - t.pos));
  }
  Error Expected(const Token& at, const std::string& what) const {
    if (at.kind == Kind::kEnd) return Fail(at, "公式不完整：结尾缺少" + what);
    return Fail(at, "此处应为" + what + "，而不是「" + Spelling(at) + "」");
  }
  const Token& Peek() const { return tokens_[next_]; }
  const Token& Take() { return tokens_[next_ + 1 < tokens_.size() ? next_++ : next_]; }
  bool Accept(Kind kind) {
    if (Peek().kind != kind) return false;
    Take();
    return true;
  }

  bool CodePoint(std::size_t i, char32_t& cp, std::size_t& len) const {
    return i < text_.size() && internal::DecodeUtf8(text_, i, cp, len);
  }
  bool IsWordAt(std::size_t i) const {
    char32_t cp;
    std::size_t len;
    if (!CodePoint(i, cp, len)) return false;
    if (cp < 0x80)
      return IsAsciiLetter(static_cast<char>(cp)) || IsAsciiDigit(static_cast<char>(cp));
    return !internal::IsWidePunct(cp) && cp != U'\u00D7' && cp != U'\u00F7';
  }
  std::size_t WordRunEnd(std::size_t i) const {
    char32_t cp;
    std::size_t len;
    while (IsWordAt(i) && CodePoint(i, cp, len)) i += len;
    return i;
  }
  bool RoundingAt(std::size_t i) const {
    for (const auto& [w, r] : kChineseRoundings) {
      if (text_.substr(i).starts_with(w)) return true;
    }
    return false;
  }
  const FactDef* LabelAt(std::size_t i, std::size_t& len) const {
    const FactDef* best = nullptr;
    len = 0;
    for (const FactDef& d : schema_.facts()) {
      if (!d.label.empty() && d.label.size() > len && text_.substr(i).starts_with(d.label)) {
        best = &d;
        len = d.label.size();
      }
    }
    return best;
  }
  Result<const FactDef*> CheckFact(const FactDef* def, std::size_t pos, std::string_view name) {
    if (def == nullptr) {
      return Fail(pos, "未知的条件项「" + std::string(name) + "」", "policy.unknown_fact");
    }
    if (def->type != FactType::kNumber) {
      return Fail(pos,
                  "「" + std::string(name) + "」是" + std::string(FactTypeLabel(def->type)) +
                      "类条件项，公式只能用数值类条件项",
                  "policy.type_mismatch");
    }
    return def;
  }

  Result<std::vector<Token>> Lex() {
    std::vector<Token> out;
    std::size_t i = 0;
    while (true) {
      while (i < text_.size()) {
        const char c = text_[i];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
          ++i;
        } else if (text_.substr(i).starts_with("\xE3\x80\x80")) {
          i += 3;
        } else {
          break;
        }
      }
      Token t;
      t.pos = i;
      if (i >= text_.size()) {
        t.end = i;
        out.push_back(t);
        return out;
      }
      char32_t cp;
      std::size_t len;
      if (!CodePoint(i, cp, len)) return Fail(i, "公式不是有效的 UTF-8");
      auto single = [&](Kind kind) {
        t.kind = kind;
        i += len;
      };
      switch (cp) {
        case '+':
          single(Kind::kPlus);
          break;
        case '-':
          single(Kind::kMinus);
          break;
        case '*':
        case U'\u00D7':  // ×
          single(Kind::kStar);
          break;
        case '/':
        case U'\u00F7':  // ÷
          single(Kind::kSlash);
          break;
        case '(':
        case U'\uFF08':
          single(Kind::kLParen);
          break;
        case ')':
        case U'\uFF09':
          single(Kind::kRParen);
          break;
        case ',':
        case U'\uFF0C':
          single(Kind::kComma);
          break;
        default: {
          const char c = text_[i];
          if (IsAsciiDigit(c)) {
            RETURN_IF_ERROR(Number(i, t));
          } else if (IsAsciiLetter(c) || (cp >= 0x80 && IsWordAt(i))) {
            RETURN_IF_ERROR(Word(i, t));
          } else {
            return Fail(i, "无法识别的字符「" + std::string(text_.substr(i, len)) + "」");
          }
        }
      }
      t.end = i;
      out.push_back(t);
    }
  }

  Result<void> Number(std::size_t& i, Token& t) {
    const std::size_t start = i;
    std::string digits;
    int exp10 = 0;
    while (i < text_.size() && IsAsciiDigit(text_[i])) digits += text_[i++];
    if (i < text_.size() && text_[i] == '.') {
      if (i + 1 >= text_.size() || !IsAsciiDigit(text_[i + 1])) {
        return Fail(i, "小数点后应为数字");
      }
      ++i;
      while (i < text_.size() && IsAsciiDigit(text_[i])) {
        digits += text_[i++];
        --exp10;
      }
    }
    std::optional<Decimal> d = MakeDecimal(digits, exp10);
    if (!d) {
      return Fail(start, "数字「" + std::string(text_.substr(start, i - start)) +
                             "」太长：整数最多 18 位，小数最多 15 位有效数字、18 位小数");
    }
    t.kind = Kind::kNumber;
    t.number = *d;
    const std::string_view rest = text_.substr(i);
    if (rest.starts_with("%")) {
      t.unit = LiteralUnit::kPercent;
      i += 1;
    } else if (rest.starts_with("\xEF\xBC\x85")) {  // ％
      t.unit = LiteralUnit::kPercent;
      i += 3;
    } else if (rest.starts_with("万元")) {
      t.unit = LiteralUnit::kWanYuan;
      i += std::string_view("万元").size();
    } else if (rest.starts_with("元")) {
      t.unit = LiteralUnit::kYuan;
      i += std::string_view("元").size();
    }
    if (IsWordAt(i) && !RoundingAt(i)) {
      return Fail(i, "数字后面不能直接跟「" + std::string(text_.substr(i, WordRunEnd(i) - i)) +
                         "」，单位只能写 %、元 或 万元");
    }
    return Ok();
  }

  Result<void> Word(std::size_t& i, Token& t) {
    std::size_t label_len = 0;
    const FactDef* label = LabelAt(i, label_len);
    std::size_t ident_len = 0;
    while (i + ident_len < text_.size() &&
           (IsAsciiLetter(text_[i + ident_len]) ||
            (ident_len > 0 && IsAsciiDigit(text_[i + ident_len])))) {
      ++ident_len;
    }
    if (ident_len > 0 && ident_len >= label_len) {
      const std::string_view word = text_.substr(i, ident_len);
      std::string lower(word);
      for (char& ch : lower) {
        if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
      }
      if (lower == "min") {
        t.kind = Kind::kMin;
      } else if (lower == "max") {
        t.kind = Kind::kMax;
      } else if (lower == "round") {
        t.kind = Kind::kRound;
      } else if (lower == "half_up" || lower == "down" || lower == "up") {
        t.kind = Kind::kWord;
        t.is_mode = true;
        t.rounding = lower == "half_up" ? Rounding::kHalfUp
                     : lower == "down"  ? Rounding::kDown
                                        : Rounding::kUp;
      } else {
        ASSIGN_OR_RETURN(t.def, CheckFact(schema_.Find(word), i, word));
        t.kind = Kind::kFact;
      }
      i += ident_len;
      return Ok();
    }
    if (label != nullptr) {
      const std::size_t after = i + label_len;
      std::size_t ignored;
      char32_t next;
      std::size_t next_len;
      if (CodePoint(after, next, next_len) && next >= 0x80 && IsWordAt(after) &&
          !RoundingAt(after) && LabelAt(after, ignored) == nullptr) {
        return Fail(i, "未知的条件项「" + std::string(text_.substr(i, WordRunEnd(i) - i)) + "」",
                    "policy.unknown_fact");
      }
      ASSIGN_OR_RETURN(t.def, CheckFact(label, i, label->label));
      t.kind = Kind::kFact;
      i = after;
      return Ok();
    }
    for (const auto& [w, r] : kChineseRoundings) {
      if (text_.substr(i).starts_with(w)) {
        t.kind = Kind::kRounding;
        t.rounding = r;
        i += w.size();
        return Ok();
      }
    }
    return Fail(i, "未知的条件项「" + std::string(text_.substr(i, WordRunEnd(i) - i)) + "」",
                "policy.unknown_fact");
  }

  static Expr Binary(Expr::Kind kind, Expr a, Expr b) {
    Expr e;
    e.kind = kind;
    e.args.push_back(std::move(a));
    e.args.push_back(std::move(b));
    return e;
  }

  Result<Expr> Sum(int depth) {
    if (depth > kMaxDepth) return Fail(Peek(), "公式嵌套过深（超过 200 层）");
    ASSIGN_OR_RETURN(Expr left, Product(depth));
    while (Peek().kind == Kind::kPlus || Peek().kind == Kind::kMinus) {
      const Expr::Kind kind = Take().kind == Kind::kPlus ? Expr::Kind::kAdd : Expr::Kind::kSub;
      ASSIGN_OR_RETURN(Expr right, Product(depth));
      left = Binary(kind, std::move(left), std::move(right));
    }
    return left;
  }

  Result<Expr> Product(int depth) {
    ASSIGN_OR_RETURN(Expr left, Unary(depth));
    while (Peek().kind == Kind::kStar || Peek().kind == Kind::kSlash) {
      const Expr::Kind kind = Take().kind == Kind::kStar ? Expr::Kind::kMul : Expr::Kind::kDiv;
      ASSIGN_OR_RETURN(Expr right, Unary(depth));
      left = Binary(kind, std::move(left), std::move(right));
    }
    return left;
  }

  Result<Expr> Unary(int depth) {
    if (depth > kMaxDepth) return Fail(Peek(), "公式嵌套过深（超过 200 层）");
    if (Accept(Kind::kMinus)) {
      ASSIGN_OR_RETURN(Expr inner, Unary(depth + 1));
      Expr e;
      e.kind = Expr::Kind::kNeg;
      e.args.push_back(std::move(inner));
      return e;
    }
    return Primary(depth);
  }

  Result<Expr> Primary(int depth) {
    const Token& t = Peek();
    Expr e;
    switch (t.kind) {
      case Kind::kNumber:
        Take();
        e.kind = Expr::Kind::kLiteral;
        e.literal = t.number;
        e.unit = t.unit;
        return e;
      case Kind::kFact:
        Take();
        e.kind = Expr::Kind::kFact;
        e.fact = t.def->key;
        return e;
      case Kind::kMin:
      case Kind::kMax: {
        const Token& name = Take();
        e.kind = name.kind == Kind::kMin ? Expr::Kind::kMin : Expr::Kind::kMax;
        if (!Accept(Kind::kLParen)) return Expected(Peek(), Spelling(name) + " 后的左括号「(」");
        if (Peek().kind == Kind::kRParen) {
          return Fail(Peek(), Spelling(name) + " 至少需要一个参数");
        }
        while (true) {
          ASSIGN_OR_RETURN(Expr arg, Sum(depth + 1));
          e.args.push_back(std::move(arg));
          if (Accept(Kind::kRParen)) return e;
          if (!Accept(Kind::kComma)) return Expected(Peek(), "逗号或右括号「)」");
        }
      }
      case Kind::kLParen: {
        const Token& open = Take();
        ASSIGN_OR_RETURN(Expr inner, Sum(depth + 1));
        if (!Accept(Kind::kRParen)) {
          if (Peek().kind == Kind::kEnd) {
            return Fail(open, "左括号「" + Spelling(open) + "」缺少对应的右括号「)」");
          }
          return Expected(Peek(), "右括号「)」或运算符");
        }
        return inner;
      }
      default:
        return Expected(t, "数字、条件项、min / max 或左括号");
    }
  }

  std::string_view text_;
  const FactSchema& schema_;
  std::vector<Token> tokens_;
  std::size_t next_ = 0;
};

// --- JSON ----------------------------------------------------------------------------------

Error JsonError(std::string reason, const std::string& path, const std::string& message) {
  return InvalidArgument(std::move(reason), path + "：" + message).WithField(path, message);
}

Result<Decimal> JsonDecimal(const json::value& v, const std::string& path, bool& negative) {
  negative = false;
  switch (v.kind()) {
    case json::kind::int64: {
      const std::int64_t x = v.get_int64();
      negative = x < 0;
      // The magnitude as text: safe for the most negative value too.
      std::string digits = std::to_string(x);
      if (negative) digits.erase(0, 1);
      if (std::optional<Decimal> d = MakeDecimal(digits, 0)) return *d;
      break;
    }
    case json::kind::uint64:
      if (std::optional<Decimal> d = MakeDecimal(std::to_string(v.get_uint64()), 0)) return *d;
      break;
    case json::kind::double_: {
      const double x = v.get_double();
      negative = std::signbit(x) && x != 0;
      if (std::optional<Decimal> d = DecimalFromDouble(std::fabs(x))) return *d;
      break;
    }
    default:
      return JsonError("policy.formula_json", path, "应为数值");
  }
  return JsonError("policy.formula_json", path,
                   "数值超出范围：整数最多 18 位，小数最多 15 位有效数字、18 位小数");
}

Result<Expr> ExprFromJson(const json::value& v, const FactSchema* schema, const std::string& path,
                          int depth) {
  if (depth > kMaxDepth)
    return JsonError("policy.formula_json", path, "公式嵌套过深（超过 200 层）");
  Expr e;
  if (v.is_number()) {
    bool negative = false;
    ASSIGN_OR_RETURN(e.literal, JsonDecimal(v, path, negative));
    if (!negative) return e;
    Expr neg;
    neg.kind = Expr::Kind::kNeg;
    neg.args.push_back(std::move(e));
    return neg;
  }
  const json::object* obj = v.if_object();
  if (obj == nullptr || obj->size() != 1) {
    return JsonError("policy.formula_json", path,
                     "应为数值，或只有一个键的对象（fact / percent / yuan / wan_yuan / neg / add / "
                     "sub / mul / div / min / max）");
  }
  const std::string key(obj->begin()->key());
  const json::value& arg = obj->begin()->value();
  const std::string here = path + "." + key;
  if (key == "fact") {
    if (!arg.is_string() || arg.get_string().empty()) {
      return JsonError("policy.formula_json", here, "fact 应为非空文本");
    }
    e.kind = Expr::Kind::kFact;
    e.fact = std::string(arg.get_string());
    if (schema != nullptr) {
      const FactDef* def = schema->Find(e.fact);
      if (def == nullptr) {
        return JsonError("policy.unknown_fact", here, "未知的条件项「" + e.fact + "」");
      }
      if (def->type != FactType::kNumber) {
        return JsonError("policy.type_mismatch", here,
                         "「" + e.fact + "」是" + std::string(FactTypeLabel(def->type)) +
                             "类条件项，公式只能用数值类条件项");
      }
      e.fact = def->key;
    }
    return e;
  }
  if (key == "percent" || key == "yuan" || key == "wan_yuan") {
    bool negative = false;
    ASSIGN_OR_RETURN(e.literal, JsonDecimal(arg, here, negative));
    if (negative) return JsonError("policy.formula_json", here, "不能为负数（负数写作 neg）");
    e.unit = key == "percent" ? LiteralUnit::kPercent
             : key == "yuan"  ? LiteralUnit::kYuan
                              : LiteralUnit::kWanYuan;
    return e;
  }
  if (key == "neg") {
    e.kind = Expr::Kind::kNeg;
    ASSIGN_OR_RETURN(Expr inner, ExprFromJson(arg, schema, here, depth + 1));
    e.args.push_back(std::move(inner));
    return e;
  }
  static constexpr std::pair<std::string_view, Expr::Kind> kLists[] = {
      {"add", Expr::Kind::kAdd}, {"sub", Expr::Kind::kSub}, {"mul", Expr::Kind::kMul},
      {"div", Expr::Kind::kDiv}, {"min", Expr::Kind::kMin}, {"max", Expr::Kind::kMax}};
  for (const auto& [name, kind] : kLists) {
    if (key != name) continue;
    const bool binary = kind != Expr::Kind::kMin && kind != Expr::Kind::kMax;
    const json::array* list = arg.if_array();
    if (list == nullptr || (binary ? list->size() != 2 : list->empty())) {
      return JsonError("policy.formula_json", here,
                       binary ? key + " 应为两个元素的列表 [左, 右]" : key + " 应为非空列表");
    }
    e.kind = kind;
    for (std::size_t i = 0; i < list->size(); ++i) {
      ASSIGN_OR_RETURN(Expr a, ExprFromJson((*list)[i], schema,
                                            here + "[" + std::to_string(i) + "]", depth + 1));
      e.args.push_back(std::move(a));
    }
    return e;
  }
  return JsonError("policy.formula_json", path, "未知的键「" + key + "」");
}

json::value DecimalJson(const Decimal& d) {
  if (d.scale == 0) return json::value(d.mantissa);
  double x = 0;
  const std::string text = DecimalText(d);
  std::from_chars(text.data(), text.data() + text.size(), x);
  return json::value(x);
}

json::value ExprJson(const Expr& e) {
  static constexpr std::string_view kNames[] = {"",    "fact", "neg", "add", "sub",
                                                "mul", "div",  "min", "max"};
  switch (e.kind) {
    case Expr::Kind::kLiteral:
      switch (e.unit) {
        case LiteralUnit::kNone:
          return DecimalJson(e.literal);
        case LiteralUnit::kPercent:
          return json::object{{"percent", DecimalJson(e.literal)}};
        case LiteralUnit::kYuan:
          return json::object{{"yuan", DecimalJson(e.literal)}};
        case LiteralUnit::kWanYuan:
          return json::object{{"wan_yuan", DecimalJson(e.literal)}};
      }
      return nullptr;
    case Expr::Kind::kFact:
      return json::object{{"fact", e.fact}};
    case Expr::Kind::kNeg: {
      const Expr* inner = e.args.empty() ? nullptr : &e.args[0];
      // A negative plain number reads back as this same node (see formula.h).
      if (inner != nullptr && inner->kind == Expr::Kind::kLiteral &&
          inner->unit == LiteralUnit::kNone && inner->literal.mantissa != 0) {
        json::value v = DecimalJson(inner->literal);
        if (v.is_int64()) return json::value(-v.get_int64());
        return json::value(-v.get_double());
      }
      return json::object{{"neg", inner == nullptr ? json::value(0) : ExprJson(*inner)}};
    }
    default: {
      json::array list;
      for (const Expr& a : e.args) list.push_back(ExprJson(a));
      json::object o;
      o[kNames[static_cast<int>(e.kind)]] = std::move(list);
      return o;
    }
  }
}

}  // namespace

Result<Formula> ParseFormula(std::string_view text, const FactSchema& schema) {
  FormulaParser parser(text, schema);
  return parser.Run();
}

std::string FormulaToText(const Formula& formula, const FactSchema& schema, bool chinese) {
  std::string out = ExprText(formula.expr, &schema, chinese);
  if (chinese) {
    out += "，";
    out += RoundingLabel(formula.rounding);
  } else {
    out += " round ";
    out += RoundingKey(formula.rounding);
  }
  return out;
}

Result<Formula> FormulaFromJson(const json::value& v, const FactSchema* schema) {
  const json::object* obj = v.if_object();
  if (obj == nullptr) {
    return JsonError("policy.formula_json", "formula", "公式应为对象 {\"expr\", \"rounding\"}");
  }
  for (const auto& kv : *obj) {
    if (kv.key() != "expr" && kv.key() != "rounding") {
      return JsonError("policy.formula_json", "formula",
                       "未知的键「" + std::string(kv.key()) + "」，公式只有 expr 和 rounding");
    }
  }
  const json::value* expr = obj->if_contains("expr");
  const json::value* rounding = obj->if_contains("rounding");
  if (expr == nullptr) return JsonError("policy.formula_json", "formula", "缺少 expr");
  if (rounding == nullptr) {
    return JsonError("policy.formula_json", "formula.rounding",
                     "缺少取整方式 rounding（half_up / down / up）");
  }
  Formula f;
  bool known = false;
  for (Rounding r : {Rounding::kHalfUp, Rounding::kDown, Rounding::kUp}) {
    if (rounding->is_string() && rounding->get_string() == RoundingKey(r)) {
      f.rounding = r;
      known = true;
    }
  }
  if (!known) {
    return JsonError("policy.formula_json", "formula.rounding",
                     "取整方式应为 half_up（四舍五入）、down（舍去）或 up（进一）");
  }
  ASSIGN_OR_RETURN(f.expr, ExprFromJson(*expr, schema, "formula.expr", 0));
  return f;
}

Result<Formula> FormulaFromJsonText(std::string_view text, const FactSchema* schema) {
  json::monotonic_resource memory;
  json::parser parser;
  parser.reset(&memory);
  boost::system::error_code ec;
  const std::size_t used = parser.write(text.data(), text.size(), ec);
  if (ec) {
    return InvalidArgument("policy.formula_json",
                           "公式不是有效的 JSON（" + internal::PositionOf(text, used) + "）");
  }
  return FormulaFromJson(parser.release(), schema);
}

json::value FormulaToJson(const Formula& formula) {
  return json::object{{"expr", ExprJson(formula.expr)},
                      {"rounding", RoundingKey(formula.rounding)}};
}

Result<Fen> Evaluate(const Formula& formula, const Facts& facts) {
  ASSIGN_OR_RETURN(Q q, Eval(formula.expr, facts));
  const i128 fen = Round(q, formula.rounding);
  if (fen > std::numeric_limits<Fen>::max() || fen < std::numeric_limits<Fen>::min()) {
    return FailedPrecondition("policy.formula_overflow", "计算结果超出金额范围");
  }
  return static_cast<Fen>(fen);
}

std::vector<std::string> FactsRead(const Formula& formula) {
  std::vector<std::string> out;
  std::unordered_set<std::string_view> seen;
  CollectFacts(formula.expr, out, seen);
  return out;
}

}  // namespace onestop::policy
