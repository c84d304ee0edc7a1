#include "http/json_util.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

namespace onestop::http {
namespace {

boost::json::object Obj(std::string_view text) { return boost::json::parse(text).as_object(); }

Request WithQuery(std::string target) {
  Request r;
  r.target = std::move(target);
  EXPECT_TRUE(ParseTarget(r).has_value());
  return r;
}

TEST(ParseJsonObjectTest, MalformedJson) {
  Result<boost::json::object> r = ParseJsonObject(R"({"name": )");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(r.error().reason, "http.malformed_json");
  EXPECT_EQ(r.error().message, "请求体不是有效的 JSON");
}

TEST(ParseJsonObjectTest, BodyNotObject) {
  Result<boost::json::object> r = ParseJsonObject("[1,2]");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().reason, "http.body_not_object");
  EXPECT_EQ(r.error().message, "请求体应为 JSON 对象");
}

TEST(ParseJsonObjectTest, EmptyBodyIsEmptyObject) {
  Result<boost::json::object> r = ParseJsonObject(" \r\n");
  ASSERT_TRUE(r.has_value());
  EXPECT_TRUE(r->empty());
  Request req;
  req.body = R"({"a":1})";
  req.headers["Content-Type"] = "application/json; charset=utf-8";
  EXPECT_EQ(ParseJsonBody(req)->at("a").as_int64(), 1);
}

TEST(ParseJsonBodyTest, RefusesABodyThatIsNotDeclaredJson) {
  // A cross-site HTML form can post text/plain without a preflight, never application/json.
  for (const char* type : {"", "text/plain", "application/x-www-form-urlencoded"}) {
    Request req;
    req.body = R"({"username":"a","password":"b"})";
    if (*type != '\0') req.headers["Content-Type"] = type;
    Result<boost::json::object> r = ParseJsonBody(req);
    ASSERT_FALSE(r.has_value()) << type;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(r.error().reason, "http.unsupported_media_type");
    EXPECT_EQ(r.error().message, "请求体须为 JSON（Content-Type: application/json）");
  }
  Request empty;  // no body: nothing to mislabel
  EXPECT_TRUE(ParseJsonBody(empty).has_value());
}

TEST(JsonReaderTest, ReadsEveryTypeWithoutErrors) {
  boost::json::object o = Obj(R"({"name":"张三","age":30,"n":2.0,"ok":true,
      "roles":["reviewer","agent"],"note":null,"dept":{"id":"d1"}})");
  JsonReader in(o);
  EXPECT_EQ(in.String("name"), "张三");
  EXPECT_EQ(in.Int("age", true, 0, 150), 30);
  EXPECT_EQ(in.Int("n"), 2);  // 2.0 is an integer
  EXPECT_TRUE(in.Bool("ok"));
  EXPECT_EQ(in.StringList("roles"), (std::vector<std::string>{"reviewer", "agent"}));
  EXPECT_EQ(in.OptString("note"), std::nullopt);  // null counts as absent
  EXPECT_EQ(in.OptString("absent"), std::nullopt);
  EXPECT_EQ(in.OptInt("absent"), std::nullopt);
  EXPECT_EQ(in.OptBool("absent"), std::nullopt);
  EXPECT_EQ(in.String("absent", false), "");
  EXPECT_EQ(in.Int("absent", false, 0, 10, 7), 7);
  EXPECT_TRUE(in.Bool("absent", false, true));
  EXPECT_TRUE(in.StringList("absent", false).empty());
  std::optional<boost::json::object> dept = in.Object("dept");
  ASSERT_TRUE(dept.has_value());
  JsonReader nested(*dept, "dept.");
  EXPECT_EQ(nested.String("id"), "d1");
  EXPECT_TRUE(nested.Finish().has_value());
  EXPECT_TRUE(in.errors().empty());
  EXPECT_TRUE(in.Finish().has_value());
}

TEST(JsonReaderTest, CollectsEveryFieldErrorInOrder) {
  boost::json::object o = Obj(R"({"name":5,"title":"","age":"30","ratio":1.5,"big":1e30,
      "small":0,"ok":"yes","roles":"admin","tags":["a",3,"c",null],"dept":[],"phone":false,
      "count":18446744073709551615})");
  JsonReader in(o, "body.");
  in.String("name");
  in.String("title");
  in.String("missing");
  in.Int("age");
  in.Int("ratio");
  in.Int("big");
  in.Int("small", true, 1, 10);
  in.Int("count");
  in.Bool("ok");
  in.Bool("missingFlag");
  in.StringList("roles");
  in.StringList("tags");
  in.StringList("missingList");
  in.Object("dept");
  in.Object("missingObj");
  in.OptString("phone");
  in.OptInt("title");
  in.OptBool("age");
  in.AddError("date", "日期格式应为 YYYY-MM-DD");

  const std::vector<FieldError> expected = {
      {"body.name", "应为字符串"},
      {"body.title", "必填"},
      {"body.missing", "必填"},
      {"body.age", "应为整数"},
      {"body.ratio", "应为整数"},
      {"body.big", "应在 -9223372036854775808 到 9223372036854775807 之间"},
      {"body.small", "应在 1 到 10 之间"},
      {"body.count", "应在 -9223372036854775808 到 9223372036854775807 之间"},
      {"body.ok", "应为布尔值"},
      {"body.missingFlag", "必填"},
      {"body.roles", "应为字符串数组"},
      {"body.tags[1]", "应为字符串"},
      {"body.tags[3]", "应为字符串"},
      {"body.missingList", "必填"},
      {"body.dept", "应为对象"},
      {"body.missingObj", "必填"},
      {"body.phone", "应为字符串"},
      {"body.title", "应为整数"},
      {"body.age", "应为布尔值"},
      {"body.date", "日期格式应为 YYYY-MM-DD"},
  };
  EXPECT_EQ(in.errors(), expected);
  Result<void> r = in.Finish();
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(r.error().reason, "http.invalid_body");
  EXPECT_EQ(r.error().message, "请求参数有误");
  EXPECT_EQ(r.error().fields, expected);
}

TEST(JsonReaderTest, WrongTypesReturnZeroValues) {
  boost::json::object o = Obj(R"({"s":1,"i":"x","b":0,"l":{}})");
  JsonReader in(o);
  EXPECT_EQ(in.String("s"), "");
  EXPECT_EQ(in.Int("i", true, 0, 10, 5), 5);
  EXPECT_FALSE(in.Bool("b"));
  EXPECT_TRUE(in.StringList("l").empty());
  EXPECT_EQ(in.errors().size(), 4u);
}

TEST(QueryTest, QueryIntDefaultsAndErrors) {
  EXPECT_EQ(*QueryInt(WithQuery("/x"), "days", 14, 1, 90), 14);
  EXPECT_EQ(*QueryInt(WithQuery("/x?days="), "days", 14, 1, 90), 14);
  EXPECT_EQ(*QueryInt(WithQuery("/x?days=-3"), "days", 14, -5, 90), -3);

  struct Case {
    const char* target;
    const char* message;
  };
  for (const Case& c :
       {Case{"/x?days=abc", "应为整数"}, Case{"/x?days=5x", "应为整数"},
        Case{"/x?days=1.5", "应为整数"}, Case{"/x?days=%2B5", "应为整数"},
        Case{"/x?days=0", "应在 1 到 90 之间"}, Case{"/x?days=91", "应在 1 到 90 之间"},
        Case{"/x?days=99999999999999999999", "应在 1 到 90 之间"}}) {
    Result<int> r = QueryInt(WithQuery(c.target), "days", 14, 1, 90);
    ASSERT_FALSE(r.has_value()) << c.target;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(r.error().reason, "http.invalid_query");
    EXPECT_EQ(r.error().message, "查询参数有误");
    EXPECT_EQ(r.error().fields, (std::vector<FieldError>{{"days", c.message}})) << c.target;
  }
}

TEST(QueryTest, QueryRequired) {
  EXPECT_EQ(*QueryRequired(WithQuery("/x?date=2026-01-01"), "date"), "2026-01-01");
  for (const char* target : {"/x", "/x?date="}) {
    Result<std::string> r = QueryRequired(WithQuery(target), "date");
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().reason, "http.invalid_query");
    EXPECT_EQ(r.error().fields, (std::vector<FieldError>{{"date", "必填"}}));
  }
}

TEST(QueryTest, ParsePage) {
  Result<Page> def = ParsePage(WithQuery("/x"));
  ASSERT_TRUE(def.has_value());
  EXPECT_EQ(def->page, 1);
  EXPECT_EQ(def->page_size, 20);
  EXPECT_EQ(def->offset(), 0);

  Result<Page> p = ParsePage(WithQuery("/x?page=3&pageSize=100"));
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->offset(), 200);

  Result<Page> too_big = ParsePage(WithQuery("/x?pageSize=101"));
  ASSERT_FALSE(too_big.has_value());
  EXPECT_EQ(too_big.error().fields, (std::vector<FieldError>{{"pageSize", "应在 1 到 100 之间"}}));

  Result<Page> both = ParsePage(WithQuery("/x?page=0&pageSize=x"));
  ASSERT_FALSE(both.has_value());
  EXPECT_EQ(both.error().reason, "http.invalid_query");
  EXPECT_EQ(both.error().fields, (std::vector<FieldError>{{"page", "应在 1 到 1000000 之间"},
                                                          {"pageSize", "应为整数"}}));
}

TEST(TimeTest, IsoTimeCst) {
  EXPECT_EQ(IsoTimeCst(1795743000000), "2026-11-27T09:30:00+08:00");
  EXPECT_EQ(IsoTimeCst(1795743000999), "2026-11-27T09:30:00+08:00");
  EXPECT_EQ(IsoTimeCst(0), "1970-01-01T08:00:00+08:00");
  EXPECT_EQ(IsoTimeCst(-1), "1970-01-01T07:59:59+08:00");
  // 16:00 UTC is already the next day in Beijing.
  EXPECT_EQ(IsoTimeCst(1795795200000), "2026-11-28T00:00:00+08:00");
  EXPECT_EQ(IsoDateCst(1795795200000), "2026-11-28");
  EXPECT_EQ(IsoDateCst(1795795200000 - 1), "2026-11-27");
}

}  // namespace
}  // namespace onestop::http
