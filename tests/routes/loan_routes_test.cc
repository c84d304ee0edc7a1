// Loan routes (src/http/routes/loan_routes.cc, 融资一件事) over the demo: the public product list;
// the demo enterprise sees 科技贷 as eligible and 惠农贷 with the reason it is not; a one-click
// request (201), the same click again refused (409) and nothing added; the bank's credit officer
// answers and the enterprise sees the answer; another department cannot; the bank's product
// editor with the eligible count and bad input refused with the field.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <string>

#include "routes/harness.h"

namespace onestop::routes_test {
namespace {
namespace json = boost::json;

class LoanRoutesTest : public RoutesTest {
 protected:
  const Session& Company() { return env().As("enterprise"); }
  const Session& Bank() { return env().As("bank"); }
  const Session& BankAdmin() { return env().As("bank_admin"); }

  // The signed-in enterprise's view of the product called `name`.
  json::object MyProduct(const std::string& name) {
    Response r = env().Call("GET", "/api/v1/me/loan-products", nullptr, &Company());
    EXPECT_STATUS(r, 200);
    json::array items = Items(r);
    const json::object* p = FindBy(items, "name", name);
    EXPECT_NE(p, nullptr) << name;
    return p != nullptr ? *p : json::object{};
  }

  json::object Ask(std::int64_t amount_fen = 200'000'000) {
    return {{"amountFen", amount_fen},
            {"termMonths", 12},
            {"purpose", "购置检测设备"},
            {"contactName", "张三"},
            {"contactPhone", "13800138000"}};
  }
};

TEST_P(LoanRoutesTest, AnyoneSeesThePublishedProducts) {
  Response r = env().Call("GET", "/api/v1/loan-products");
  ASSERT_STATUS(r, 200);
  json::array items = Items(r);
  EXPECT_GE(items.size(), 3u);
  const json::object* tech = FindBy(items, "name", "科技贷");
  ASSERT_NE(tech, nullptr);
  EXPECT_EQ(Str(*tech, "bankName"), "中国建设银行永州分行");
  EXPECT_EQ(Str(*tech, "guaranteeName"), "信用");
  EXPECT_THAT(Str(*tech, "ruleTextZh"), ::testing::HasSubstr("高新技术企业"));
  // Only an enterprise account has a "me".
  EXPECT_ERROR(env().Call("GET", "/api/v1/me/loan-products", nullptr, &env().As("clerk")), 409,
               "FAILED_PRECONDITION", "policy.not_enterprise");
}

TEST_P(LoanRoutesTest, TheEnterpriseRequestsAnEligibleProductAndTheBankAnswers) {
  json::object tech = MyProduct("科技贷");
  EXPECT_TRUE(tech.at("eligible").as_bool());
  json::object farm = MyProduct("惠农贷");
  EXPECT_FALSE(farm.at("eligible").as_bool());
  // Why not: 行业代码 C39… does not start with A.
  const std::string why = json::serialize(farm.at("explanation"));
  EXPECT_THAT(why, ::testing::HasSubstr("不以 A 开头"));
  Response refused = env().Call("POST", "/api/v1/loan-products/" + Str(farm, "id") + "/requests",
                                Ask(), &Company());
  EXPECT_ERROR(refused, 409, "FAILED_PRECONDITION", "policy.not_eligible");

  const std::string target = "/api/v1/loan-products/" + Str(tech, "id") + "/requests";
  EXPECT_ERROR(env().Call("POST", target, Ask(1), &Company()), 400, "INVALID_ARGUMENT",
               "policy.invalid_loan_request");
  Response made = env().Call("POST", target, Ask(), &Company());
  ASSERT_STATUS(made, 201);
  const json::object q = Obj(made);
  EXPECT_EQ(Str(q, "status"), "submitted");
  EXPECT_EQ(Str(q, "statusName"), "已提交");

  const Snapshot before = Snap(env());
  EXPECT_ERROR(env().Call("POST", target, Ask(), &Company()), 409, "FAILED_PRECONDITION",
               "policy.loan_request_open");
  EXPECT_EQ(Snap(env()), before);
  EXPECT_TRUE(MyProduct("科技贷").at("hasOpenRequest").as_bool());

  // The bank's queue has it; a reviewer of another department sees none of it and cannot answer.
  Response queue = env().Call("GET", "/api/v1/loan-requests?status=submitted", nullptr, &Bank());
  ASSERT_STATUS(queue, 200);
  EXPECT_NE(FindBy(Items(queue), "id", Str(q, "id")), nullptr);
  Response other = env().Call("GET", "/api/v1/loan-requests", nullptr, &env().As("reviewer"));
  ASSERT_STATUS(other, 200);
  EXPECT_EQ(FindBy(Items(other), "id", Str(q, "id")), nullptr);
  const std::string answer = "/api/v1/loan-requests/" + Str(q, "id") + "/answer";
  EXPECT_ERROR(env().Call("POST", answer, json::object{{"decision", "accept"}, {"version", 1}},
                          &env().As("reviewer")),
               403, "PERMISSION_DENIED", "identity.out_of_scope");
  EXPECT_ERROR(
      env().Call("POST", answer, json::object{{"decision", "reject"}, {"version", 1}}, &Bank()),
      400, "INVALID_ARGUMENT", "policy.invalid_loan_answer");

  Response approved = env().Call("POST", answer,
                                 json::object{{"decision", "approve"},
                                              {"message", "请携带营业执照到网点签约"},
                                              {"approvedAmountFen", 150'000'000},
                                              {"approvedRateBp", 330},
                                              {"version", 1}},
                                 &Bank());
  ASSERT_STATUS(approved, 200);
  EXPECT_EQ(Str(Obj(approved), "status"), "approved");

  Response mine = env().Call("GET", "/api/v1/me/loan-requests", nullptr, &Company());
  ASSERT_STATUS(mine, 200);
  const json::array mine_items = Items(mine);
  const json::object* seen = FindBy(mine_items, "id", Str(q, "id"));
  ASSERT_NE(seen, nullptr);
  EXPECT_EQ(Str(*seen, "statusName"), "已获批");
  EXPECT_EQ(Int(*seen, "approvedAmountFen"), 150'000'000);
}

TEST_P(LoanRoutesTest, TheBankEditsItsProducts) {
  json::object body{{"departmentId", env().DepartmentId("HN-YZ-CCB")},
                    {"bankName", "中国建设银行永州分行"},
                    {"name", env().Unique("专精特新贷")},
                    {"rateBp", 360},
                    {"minAmountFen", 10'000'000},
                    {"maxAmountFen", 800'000'000},
                    {"maxTermMonths", 36},
                    {"guarantee", "credit"},
                    {"description", "面向专精特新企业"},
                    {"ruleText", "specialized and 员工数 >="}};
  env().As("hr_admin");  // signed in before the snapshot
  BankAdmin();
  const Snapshot before = Snap(env());
  Response bad = env().Call("POST", "/api/v1/loan-products", body, &BankAdmin());
  EXPECT_ERROR(bad, 400, "INVALID_ARGUMENT", "policy.rule_syntax");
  EXPECT_THAT(FieldsOf(bad), ::testing::ElementsAre("rule"));
  EXPECT_EQ(Snap(env()), before);
  // Another department's administrator cannot publish in the bank's name.
  body["ruleText"] = "specialized and 员工数 >= 20";
  EXPECT_ERROR(env().Call("POST", "/api/v1/loan-products", body, &env().As("hr_admin")), 403,
               "PERMISSION_DENIED", "identity.out_of_scope");

  Response made = env().Call("POST", "/api/v1/loan-products", body, &BankAdmin());
  ASSERT_STATUS(made, 201);
  const std::string id = Str(Obj(made), "id");
  EXPECT_EQ(Str(Obj(made), "status"), "draft");
  // A draft is not public.
  EXPECT_EQ(FindBy(Items(env().Call("GET", "/api/v1/loan-products")), "id", id), nullptr);
  ASSERT_STATUS(
      env().Call("POST", "/api/v1/loan-products/" + id + "/publish", json::object{}, &BankAdmin()),
      200);
  EXPECT_NE(FindBy(Items(env().Call("GET", "/api/v1/loan-products")), "id", id), nullptr);
  Response count =
      env().Call("GET", "/api/v1/loan-products/" + id + "/eligible", nullptr, &BankAdmin());
  ASSERT_STATUS(count, 200);
  EXPECT_GT(Int(Obj(count), "enterprises"), 0);
  EXPECT_GE(Int(Obj(count), "count"), 0);
  ASSERT_STATUS(
      env().Call("POST", "/api/v1/loan-products/" + id + "/withdraw", json::object{}, &BankAdmin()),
      200);
  EXPECT_EQ(FindBy(Items(env().Call("GET", "/api/v1/loan-products")), "id", id), nullptr);
}

INSTANTIATE_ROUTES_TEST(LoanRoutesTest);

}  // namespace
}  // namespace onestop::routes_test
