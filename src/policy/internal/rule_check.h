// Shared by rule.cc, rule_text.cc and rule_explain.cc: operand checks, operator names, value
// spelling and the leaf test. Private to policy/.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "policy/rule.h"

namespace onestop::policy::internal {

// Why a leaf (fact, op, operands) is not acceptable: a reason code and a Chinese message
// without position (callers add the JSON path or the line:column).
struct LeafProblem {
  std::string reason;  // policy.rule_op / policy.type_mismatch / policy.rule_json
  std::string message;
};

// Checks operator and operands; with `def`, also against the fact's type.
std::optional<LeafProblem> CheckLeaf(const FactDef* def, std::string_view fact, Op op,
                                     const std::vector<Value>& values);

// "==" … "between" → Op.
std::optional<Op> ParseOp(std::string_view text);
// A reserved word of the text form (and, or, not, in, prefix, between, true, false, all, any),
// compared case-insensitively.
bool IsKeyword(std::string_view word);

// Shortest text that reads back as the same double ("50", "0.1", "1e+21").
std::string FormatNumber(double x);
// "…" with \" \\ \n \t \r and \u00XX escapes.
std::string QuoteString(std::string_view s);
// A value as the text form writes it: 50, "C39", true.
std::string ValueText(const Value& v);

// "第L行第C列" of byte `offset` in `text`; columns count characters (code points), not bytes.
std::string PositionOf(std::string_view text, std::size_t offset);

// Decodes the UTF-8 code point at byte `i` of `s` (its length in `len`); false for a malformed,
// overlong or surrogate sequence.
bool DecodeUtf8(std::string_view s, std::size_t i, char32_t& cp, std::size_t& len);
// Punctuation outside ASCII (full-width brackets, CJK punctuation, ￥ …): never part of a name.
bool IsWidePunct(char32_t cp);
// Appends the UTF-8 bytes of `cp` (BMP).
void AppendUtf8(std::string& out, char32_t cp);

// Whether the leaf holds for the value `v` the enterprise has.
bool LeafHolds(const Cond& leaf, const Value& v);

}  // namespace onestop::policy::internal
