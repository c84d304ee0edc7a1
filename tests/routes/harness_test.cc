// Tests of the route-test harness itself: target parsing and the error-shape checker must be
// right, or every route test would pass for the wrong reason.
#include "routes/harness.h"

#include <gmock/gmock.h>

namespace onestop::routes_test {
namespace {

using ::testing::ElementsAre;
using ::testing::Pair;

Response ErrorBody(int status, std::string body) {
  Response r;
  r.status = status;
  r.body = std::move(body);
  r.SetHeader("X-Request-Id", "abc");
  return r;
}

TEST(HarnessTest, FillTargetDecodesPathAndQuery) {
  Request r;
  r.target = "/api/v1/persons/%E5%BC%A0?q=%E5%BC%A0+%E4%B8%89&page=2&flag&purpose=a%2Bb";
  FillTarget(r);
  EXPECT_EQ(r.path, "/api/v1/persons/张");
  EXPECT_THAT(r.query, ElementsAre(Pair("flag", ""), Pair("page", "2"), Pair("purpose", "a+b"),
                                   Pair("q", "张 三")));
  EXPECT_EQ(r.target, "/api/v1/persons/%E5%BC%A0?q=%E5%BC%A0+%E4%B8%89&page=2&flag&purpose=a%2Bb");
}

TEST(HarnessTest, DecodeKeepsMalformedEscapes) {
  EXPECT_EQ(Decode("100%", false), "100%");
  EXPECT_EQ(Decode("%zz%4", false), "%zz%4");
  EXPECT_EQ(Decode("a+b", false), "a+b");
  EXPECT_EQ(Decode("a+b", true), "a b");
}

TEST(HarnessTest, UrlEncodesEveryQueryValue) {
  EXPECT_EQ(Url("/a", {{"q", "张"}, {"x", "1 2&3"}}), "/a?q=%E5%BC%A0&x=1%202%263");
  Request r;
  r.target = Url("/a", {{"purpose", "办理出生一件事，核验"}});
  FillTarget(r);
  EXPECT_EQ(r.Query("purpose"), "办理出生一件事，核验");
}

TEST(HarnessTest, ExpectErrorAcceptsTheDocumentedShape) {
  Response r =
      ErrorBody(400, R"({"error":{"code":"INVALID_ARGUMENT","reason":"x.y","message":"参数有误",)"
                     R"("fields":[{"field":"idNumber","message":"校验位错误"}]}})");
  EXPECT_TRUE(ExpectError(r, 400, "INVALID_ARGUMENT", "x.y"));
  EXPECT_THAT(FieldsOf(r), ElementsAre("idNumber"));
}

TEST(HarnessTest, ExpectErrorRejectsEveryDeviation) {
  const std::string good =
      R"({"error":{"code":"NOT_FOUND","reason":"a.b","message":"不存在","fields":[]}})";
  EXPECT_TRUE(ExpectError(ErrorBody(404, good), 404, "NOT_FOUND", "a.b"));
  EXPECT_FALSE(ExpectError(ErrorBody(400, good), 404, "NOT_FOUND", "a.b"));  // status
  EXPECT_FALSE(ExpectError(ErrorBody(404, good), 404, "NOT_FOUND", "a.c"));  // reason
  EXPECT_FALSE(ExpectError(ErrorBody(404, good), 404, "ABORTED", "a.b"));    // code
  EXPECT_FALSE(ExpectError(ErrorBody(409, R"({"error":{"code":"NOT_FOUND","reason":"a.b",)"
                                          R"("message":"不存在","fields":[]}})"),
                           409, "NOT_FOUND", "a.b"));  // code does not fit the status
  EXPECT_FALSE(ExpectError(ErrorBody(404, R"({"error":{"code":"NOT_FOUND","reason":"a.b",)"
                                          R"("message":"not found","fields":[]}})"),
                           404, "NOT_FOUND", "a.b"));  // not Chinese
  EXPECT_FALSE(ExpectError(ErrorBody(404, R"({"error":{"code":"NOT_FOUND","reason":"a.b",)"
                                          R"("message":"不存在"}})"),
                           404, "NOT_FOUND", "a.b"));  // no fields
  EXPECT_FALSE(ExpectError(ErrorBody(404, R"({"error":{"code":"NOT_FOUND","reason":"a.b",)"
                                          R"("message":"不存在","fields":[{"field":"x"}]}})"),
                           404, "NOT_FOUND", "a.b"));  // field without message
  EXPECT_FALSE(ExpectError(ErrorBody(404, R"({"error":{"code":"NOT_FOUND","reason":"a.b",)"
                                          R"("message":"不存在","fields":[]},"x":1})"),
                           404, "NOT_FOUND", "a.b"));  // extra top-level key
  EXPECT_FALSE(ExpectError(ErrorBody(404, "not json"), 404, "NOT_FOUND", "a.b"));
  Response no_id = ErrorBody(404, good);
  no_id.headers.clear();
  EXPECT_FALSE(ExpectError(no_id, 404, "NOT_FOUND", "a.b"));
}

}  // namespace
}  // namespace onestop::routes_test
