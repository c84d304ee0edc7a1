// 免申即享 campaign routes on the demo: the 郴州 高新技术企业认定奖励 item goes through every step
// — 数据比对, 系统预审, 人工初核 by the department's reviewer, 通知, the demo enterprise's
// one-click confirmation, the payment batch and its CSV, the bank's reconciliation, 公示 — and
// the payment is traced end to end; a second confirmation and bad input change nothing.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "harness.h"

namespace onestop::routes_test {
namespace {

namespace json = boost::json;
using ::testing::HasSubstr;

class CampaignRoutesTest : public RoutesTest {
 protected:
  // The id of the demo item `title` (public policy detail).
  std::string ItemId(const std::string& query, const std::string& title) {
    json::array policies = Items(env().Call("GET", Url("/api/v1/policies", {{"q", query}})));
    for (const json::value& p : policies) {
      json::object d = Obj(env().Call("GET", "/api/v1/policies/" + Str(p, "id")));
      for (const json::value& i : d.at("items").as_array()) {
        if (Str(i, "title") == title) return Str(i, "id");
      }
    }
    ADD_FAILURE() << "no demo item " << title;
    return "";
  }
};

TEST_P(CampaignRoutesTest, AnExemptItemIsPaidWithoutApplicationAndPublicized) {
  const std::string item = ItemId("高新技术企业", "高新技术企业认定奖励");
  ASSERT_FALSE(item.empty());
  const Session& admin = env().As("admin");
  json::object due{{"compare", "2026-11-27"},  {"prereview", "2026-11-28"},
                   {"review", "2026-11-30"},   {"notify", "2026-12-01"},
                   {"confirm", "2026-12-10"},  {"pay", "2026-12-15"},
                   {"publicize", "2026-12-31"}};
  Response made =
      env().Call("POST", "/api/v1/policy-campaigns",
                 json::object{{"itemId", item}, {"period", "2026"}, {"due", due}}, &admin);
  ASSERT_STATUS(made, 200);
  const std::string id = Str(Obj(made), "id");
  EXPECT_ERROR(env().Call("POST", "/api/v1/policy-campaigns",
                          json::object{{"itemId", item}, {"period", "2026"}, {"due", due}}, &admin),
               409, "ALREADY_EXISTS", "policy.campaign_exists");

  Response compared =
      env().Call("POST", "/api/v1/policy-campaigns/" + id + "/compare", json::object{}, &admin);
  ASSERT_STATUS(compared, 200);
  const json::array matched = Items(compared);
  const json::object* mine = FindBy(matched, "enterpriseName", "湖南湘江智造科技有限公司");
  ASSERT_NE(mine, nullptr);
  EXPECT_EQ(Int(*mine, "amountFen"), 20'000'000);
  ASSERT_STATUS(
      env().Call("POST", "/api/v1/policy-campaigns/" + id + "/prereview", json::object{}, &admin),
      200);
  // 人工初核 is the department's reviewer's (cases.review), not the platform admin's.
  EXPECT_ERROR(
      env().Call("POST", "/api/v1/policy-campaigns/" + id + "/approve-all", json::object{}, &admin),
      403, "PERMISSION_DENIED", "identity.permission_denied");
  ASSERT_STATUS(env().Call("POST", "/api/v1/policy-campaigns/" + id + "/approve-all",
                           json::object{}, &env().As("cz_reviewer")),
                200);
  ASSERT_STATUS(
      env().Call("POST", "/api/v1/policy-campaigns/" + id + "/notify", json::object{}, &admin),
      200);

  // The enterprise sees the offer and confirms it in one click, once.
  const Session& company = env().As("enterprise");
  Response offers = env().Call("GET", "/api/v1/me/policy-offers", nullptr, &company);
  ASSERT_STATUS(offers, 200);
  const json::array my_offers = Items(offers);
  const json::object* offer = FindBy(my_offers, "campaignId", id);
  ASSERT_NE(offer, nullptr);
  EXPECT_EQ(Str(*offer, "status"), "notified");
  EXPECT_EQ(Str(*offer, "itemTitle"), "高新技术企业认定奖励");
  EXPECT_EQ(Str(*offer, "policyTitle"), "郴州高新区促进高新技术企业发展奖励办法");
  const std::string offer_id = Str(*offer, "id");
  json::object account{{"accountName", "湖南湘江智造科技有限公司"},
                       {"bankName", "中国工商银行长沙岳麓支行"},
                       {"accountNo", "6222 0219 0100 1234 567"}};
  Snapshot before_bad = Snap(env());
  json::object bad = account;
  bad["accountNo"] = "12";
  EXPECT_ERROR(env().Call("POST", "/api/v1/policy-offers/" + offer_id + "/confirm", bad, &company),
               400, "INVALID_ARGUMENT", "policy.invalid_account");
  EXPECT_EQ(Snap(env()), before_bad);
  Response confirmed =
      env().Call("POST", "/api/v1/policy-offers/" + offer_id + "/confirm", account, &company);
  ASSERT_STATUS(confirmed, 200);
  EXPECT_EQ(Str(Obj(confirmed), "status"), "confirmed");
  EXPECT_ERROR(
      env().Call("POST", "/api/v1/policy-offers/" + offer_id + "/confirm", account, &company), 409,
      "FAILED_PRECONDITION", "policy.already_confirmed");

  Response console = env().Call("GET", "/api/v1/policy-campaigns/" + id, nullptr, &admin);
  ASSERT_STATUS(console, 200);
  EXPECT_EQ(Obj(console).at("steps").as_array().size(), 7u);
  EXPECT_GE(Int(Obj(console).at("budget"), "committedFen"), 20'000'000);

  // 拨付: the batch and its 国库集中支付 file; the bank's result marks the payment paid.
  Response batch =
      env().Call("POST", "/api/v1/policy-campaigns/" + id + "/batches", json::object{}, &admin);
  ASSERT_STATUS(batch, 200);
  const json::object b = Obj(batch);
  const json::array& payments = b.at("payments").as_array();
  const json::object* payment = FindBy(payments, "enterpriseName", "湖南湘江智造科技有限公司");
  ASSERT_NE(payment, nullptr);
  const std::string voucher = Str(*payment, "voucherNo");
  const std::string payment_id = Str(*payment, "id");
  Response file = env().Call("GET", Str(b, "fileUrl"), nullptr, &admin);
  ASSERT_STATUS(file, 200);
  EXPECT_THAT(file.content_type, HasSubstr("text/csv"));
  EXPECT_THAT(file.body, HasSubstr(voucher));
  std::string result = "支付凭证号,结果,银行流水号,说明\n";
  for (const json::value& p : payments) {
    result += Str(p, "voucherNo") + ",成功,B" + Str(p, "voucherNo") + ",\n";
  }
  Response rec = env().CallRaw("POST", "/api/v1/payment-batches/" + Str(b, "id") + "/reconcile",
                               result, &admin, {{"Content-Type", "text/csv"}});
  ASSERT_STATUS(rec, 200);
  EXPECT_EQ(Int(Obj(rec), "paid"), static_cast<std::int64_t>(payments.size()));

  // 每笔资金去向: policy → rule version → data snapshot → confirmation → batch → bank.
  Response trace =
      env().Call("GET", "/api/v1/policy-payments/" + payment_id + "/trace", nullptr, &company);
  ASSERT_STATUS(trace, 200);
  json::object t = Obj(trace);
  EXPECT_EQ(Str(t, "docNo"), "郴高新管发〔2026〕5号");
  EXPECT_EQ(Int(t, "ruleVersion"), 1);
  EXPECT_EQ(Str(t.at("payment"), "status"), "paid");
  EXPECT_EQ(Str(t.at("offer"), "confirmedAt").empty(), false);
  EXPECT_FALSE(t.at("snapshot").at("facts").as_array().empty());

  // 公示, public.
  ASSERT_STATUS(
      env().Call("POST", "/api/v1/policy-campaigns/" + id + "/publicize", json::object{}, &admin),
      200);
  Response notices = env().Call("GET", "/api/v1/policy-notices");
  ASSERT_STATUS(notices, 200);
  const json::array published = Items(notices);
  const json::object* notice = FindBy(published, "campaignId", id);
  ASSERT_NE(notice, nullptr);
  EXPECT_NE(FindBy(notice->at("recipients").as_array(), "name", "湖南湘江智造科技有限公司"),
            nullptr);

  // 追回 needs a reason; with one the payment is clawed back.
  EXPECT_ERROR(env().Call("POST", "/api/v1/policy-payments/" + payment_id + "/clawback",
                          json::object{}, &admin),
               400, "INVALID_ARGUMENT", "policy.reason_required");
  Response back = env().Call("POST", "/api/v1/policy-payments/" + payment_id + "/clawback",
                             json::object{{"reason", "企业申报数据有误"}}, &admin);
  ASSERT_STATUS(back, 200);
  EXPECT_EQ(Str(Obj(back), "status"), "clawed_back");
}

TEST_P(CampaignRoutesTest, AQuickItemIsAppliedForWithAPrefilledFormReviewedAndPaid) {
  const std::string item = ItemId("贷款贴息", "小微企业贷款贴息");
  ASSERT_FALSE(item.empty());
  const Session& company = env().As("enterprise");
  Response form = env().Call("GET", "/api/v1/policy-items/" + item + "/prefill", nullptr, &company);
  ASSERT_STATUS(form, 200);
  json::object f = Obj(form);
  EXPECT_TRUE(f.at("eligible").as_bool());
  EXPECT_EQ(Int(f, "amountFen"), 6'100'000);  // min(纳税额 61万元 × 10%, 10万元)
  const json::array fields = f.at("fields").as_array();
  const json::object* small = FindBy(fields, "key", "small_micro");
  ASSERT_NE(small, nullptr);
  EXPECT_EQ(small->at("value"), json::value(true));
  EXPECT_EQ(Str(*small, "source"), "市场监管");

  Response applied = env().Call("POST", "/api/v1/policy-items/" + item + "/apply",
                                json::object{{"period", "2026"}}, &company);
  ASSERT_STATUS(applied, 200);
  const std::string offer = Str(Obj(applied), "id");
  Snapshot before = Snap(env());
  EXPECT_ERROR(env().Call("POST", "/api/v1/policy-items/" + item + "/apply",
                          json::object{{"period", "2026"}}, &company),
               409, "FAILED_PRECONDITION", "policy.already_applied");
  EXPECT_ERROR(
      env().Call("POST", "/api/v1/policy-items/" + item + "/apply", json::object{}, &company), 400,
      "INVALID_ARGUMENT", "http.invalid_body");
  EXPECT_EQ(Snap(env()), before);

  const Session& reviewer = env().As("cz_reviewer");
  Response queue = env().Call("GET", "/api/v1/policy-applications/review", nullptr, &reviewer);
  ASSERT_STATUS(queue, 200);
  EXPECT_NE(FindBy(Items(queue), "id", offer), nullptr);
  Response reviewed = env().Call("POST", "/api/v1/policy-offers/" + offer + "/review",
                                 json::object{{"approve", true}}, &reviewer);
  ASSERT_STATUS(reviewed, 200);
  EXPECT_EQ(Str(Obj(reviewed), "status"), "approved");
  ASSERT_STATUS(env().Call("POST", "/api/v1/policy-offers/" + offer + "/confirm",
                           json::object{{"accountName", "湖南湘江智造科技有限公司"},
                                        {"bankName", "中国建设银行长沙分行"},
                                        {"accountNo", "4300 1234 5678 9012"}},
                           &company),
                200);
  Response batch = env().Call("POST", "/api/v1/policy-items/" + item + "/batches",
                              json::object{{"period", "2026"}}, &env().As("admin"));
  ASSERT_STATUS(batch, 200);
  const json::object b = Obj(batch);
  const json::object* payment = FindBy(b.at("payments").as_array(), "offerId", offer);
  ASSERT_NE(payment, nullptr);
  EXPECT_EQ(Int(*payment, "amountFen"), 6'100'000);
}

INSTANTIATE_ROUTES_TEST(CampaignRoutesTest);

}  // namespace
}  // namespace onestop::routes_test
