// CanonicalJson: RFC 8785 (JCS) — the examples of the RFC and ECMAScript number formatting.
#include "core/canonical_json.h"

#include <gtest/gtest.h>

#include <bit>
#include <boost/json.hpp>
#include <cstdint>
#include <limits>

namespace onestop {
namespace {

std::string Canon(std::string_view json) { return CanonicalJson(boost::json::parse(json)); }

// RFC 8785 §3.2.2 (the sample input) and its canonical output; the numbers are built exactly
// (Boost.JSON 1.81 does not promise correctly rounded parsing of long decimals).
TEST(CanonicalJsonTest, Rfc8785SampleInput) {
  boost::json::value v = boost::json::parse(R"({
      "numbers": [0, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
      "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
      "literals": [null, true, false]
  })");
  v.as_object()["numbers"].as_array()[0] = 333333333.33333329;
  EXPECT_EQ(CanonicalJson(v),
            R"({"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],)"
            R"("string":"€$\u000f\nA'B\"\\\\\"/"})");
}

// RFC 8785 §3.2.3: members sorted by UTF-16 code units; the emoji (a surrogate pair, D83D)
// sorts before U+FB33 although its code point is larger.
TEST(CanonicalJsonTest, Rfc8785SortingWithNonBmpKeys) {
  std::string in = R"({
    "\u20ac": "Euro Sign",
    "\r": "Carriage Return",
    "\ufb33": "Hebrew Letter Dalet With Dagesh",
    "1": "One",
    "\ud83d\ude00": "Emoji: Grinning Face",
    "\u0080": "Control",
    "\u00f6": "Latin Small Letter O With Diaeresis"
  })";
  EXPECT_EQ(Canon(in),
            "{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\u0080\":\"Control\","
            "\"\u00f6\":\"Latin Small Letter O With Diaeresis\",\"\u20ac\":\"Euro Sign\","
            "\"\U0001F600\":\"Emoji: Grinning Face\","
            "\"\ufb33\":\"Hebrew Letter Dalet With Dagesh\"}");
}

TEST(CanonicalJsonTest, NestedObjectsArraysAndNoWhitespace) {
  EXPECT_EQ(Canon(R"( { "b" : [ 1 , { "z":1, "a" : "x" } ], "a" : { } , "c": [] } )"),
            R"({"a":{},"b":[1,{"a":"x","z":1}],"c":[]})");
  EXPECT_EQ(Canon(R"({"姓名":"张三","holder":{"idType":"111"}})"),
            R"({"holder":{"idType":"111"},"姓名":"张三"})");
}

TEST(CanonicalJsonTest, StringEscapes) {
  boost::json::value v = boost::json::string("\b\f\n\r\t\x01\x1f\x7f/\u2028\"\\é");
  EXPECT_EQ(CanonicalJson(v), "\"\\b\\f\\n\\r\\t\\u0001\\u001f\x7f/\u2028\\\"\\\\é\"");
}

TEST(CanonicalJsonTest, IntegersAsTheyAre) {
  EXPECT_EQ(Canon("[0,-1,9007199254740993,18446744073709551615,-9223372036854775808]"),
            "[0,-1,9007199254740993,18446744073709551615,-9223372036854775808]");
}

// ECMAScript Number.prototype.toString, the values of RFC 8785 appendix B and the edges.
TEST(CanonicalJsonTest, EcmaScriptNumbers) {
  EXPECT_EQ(EcmaScriptNumber(1e21), "1e+21");
  EXPECT_EQ(EcmaScriptNumber(1e20), "100000000000000000000");
  EXPECT_EQ(EcmaScriptNumber(1e-7), "1e-7");
  EXPECT_EQ(EcmaScriptNumber(0.000001), "0.000001");
  EXPECT_EQ(EcmaScriptNumber(-0.0), "0");
  EXPECT_EQ(EcmaScriptNumber(0.0), "0");
  EXPECT_EQ(EcmaScriptNumber(1.0), "1");
  EXPECT_EQ(EcmaScriptNumber(-1.5), "-1.5");
  EXPECT_EQ(EcmaScriptNumber(4.5), "4.5");
  EXPECT_EQ(EcmaScriptNumber(0.002), "0.002");
  EXPECT_EQ(EcmaScriptNumber(123.456), "123.456");
  EXPECT_EQ(EcmaScriptNumber(1e30), "1e+30");
  EXPECT_EQ(EcmaScriptNumber(1.5e-7), "1.5e-7");
  EXPECT_EQ(EcmaScriptNumber(5e-324), "5e-324");
  EXPECT_EQ(EcmaScriptNumber(-5e-324), "-5e-324");
  EXPECT_EQ(EcmaScriptNumber(1.7976931348623157e308), "1.7976931348623157e+308");
  EXPECT_EQ(EcmaScriptNumber(9007199254740992.0), "9007199254740992");
  EXPECT_EQ(EcmaScriptNumber(295147905179352830000.0), "295147905179352830000");
  EXPECT_EQ(EcmaScriptNumber(0.1 + 0.2), "0.30000000000000004");
  EXPECT_EQ(EcmaScriptNumber(333333333.33333329), "333333333.3333333");
  EXPECT_EQ(EcmaScriptNumber(1e-6), "0.000001");
  EXPECT_EQ(EcmaScriptNumber(1.2345e-6), "0.0000012345");
  EXPECT_EQ(EcmaScriptNumber(123e18), "123000000000000000000");
  EXPECT_EQ(EcmaScriptNumber(1.23e21), "1.23e+21");
  // RFC 8785 appendix B (IEEE-754 bit patterns → expected text).
  auto bits = [](std::uint64_t b) { return std::bit_cast<double>(b); };
  EXPECT_EQ(EcmaScriptNumber(bits(0x4340000000000001)), "9007199254740994");
  EXPECT_EQ(EcmaScriptNumber(bits(0x44b52d02c7e14af6)), "1e+23");
  EXPECT_EQ(EcmaScriptNumber(bits(0x44b52d02c7e14af5)), "9.999999999999997e+22");
  EXPECT_EQ(EcmaScriptNumber(bits(0x3eb0c6f7a0b5ed8d)), "0.000001");
  EXPECT_EQ(EcmaScriptNumber(bits(0x3eb0c6f7a0b5ed8c)), "9.999999999999997e-7");
  EXPECT_EQ(EcmaScriptNumber(bits(0x41b3de4355555555)), "333333333.3333333");
  EXPECT_EQ(EcmaScriptNumber(bits(0x7fefffffffffffff)), "1.7976931348623157e+308");
  EXPECT_EQ(EcmaScriptNumber(bits(0x0000000000000001)), "5e-324");
  EXPECT_EQ(EcmaScriptNumber(bits(0x444b1ae4d6e2ef50)), "1e+21");
  EXPECT_EQ(EcmaScriptNumber(bits(0x444b1ae4d6e2ef4f)), "999999999999999900000");
  // Not JSON: rendered as null rather than failing.
  EXPECT_EQ(EcmaScriptNumber(std::numeric_limits<double>::quiet_NaN()), "null");
  EXPECT_EQ(EcmaScriptNumber(std::numeric_limits<double>::infinity()), "null");
  // Through a parsed document.
  EXPECT_EQ(Canon("[1e21,1e-7,0.000001,-0.0,1E30,4.50,2e-3]"),
            "[1e+21,1e-7,0.000001,0,1e+30,4.5,0.002]");
}

}  // namespace
}  // namespace onestop
