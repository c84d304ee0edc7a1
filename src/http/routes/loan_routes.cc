// 融资一件事 routes: banks' loan products (public list; the bank's editor with publish /
// withdraw and the count of eligible enterprises), the enterprise's products with why it does or
// does not qualify and its one-click financing requests, and the bank's request queue with its
// answers.
#include <boost/json.hpp>

#include "http/app_routes.h"
#include "http/json_util.h"
#include "http/policy_json.h"
#include "policy/loan_service.h"

namespace onestop::http {
namespace json = boost::json;

namespace {

json::object ProductJson(const policy::LoanProduct& p) {
  return {{"id", p.id},
          {"departmentId", p.department_id},
          {"bankName", p.bank_name},
          {"name", p.name},
          {"rateBp", p.rate_bp},
          {"minAmountFen", p.min_amount_fen},
          {"maxAmountFen", p.max_amount_fen},
          {"maxTermMonths", p.max_term_months},
          {"guarantee", p.guarantee},
          {"guaranteeName", policy::GuaranteeLabel(p.guarantee)},
          {"description", p.description},
          {"ruleJson", json::parse(p.rule_json)},
          {"ruleText", p.rule_text},
          {"ruleTextZh", p.rule_text_zh},
          {"status", p.status},
          {"statusName", policy::LoanProductStatusLabel(p.status)},
          {"version", p.version},
          {"updatedAt", IsoTimeCst(p.updated_at_ms)}};
}

json::object RequestJson(const policy::LoanRequest& q) {
  return {{"id", q.id},
          {"productId", q.product_id},
          {"productName", q.product_name},
          {"bankName", q.bank_name},
          {"enterpriseId", q.enterprise_id},
          {"enterpriseName", q.enterprise_name},
          {"amountFen", q.amount_fen},
          {"termMonths", q.term_months},
          {"purpose", q.purpose},
          {"contactName", q.contact_name},
          {"contactPhone", q.contact_phone},
          {"status", q.status},
          {"statusName", policy::LoanRequestStatusLabel(q.status)},
          {"answer", q.answer},
          {"approvedAmountFen", q.approved_amount_fen},
          {"approvedRateBp", q.approved_rate_bp},
          {"answeredAt",
           q.answered_at_ms ? json::value(IsoTimeCst(q.answered_at_ms)) : json::value(nullptr)},
          {"createdAt", IsoTimeCst(q.created_at_ms)},
          {"version", q.version}};
}

policy::LoanProductInput ProductFrom(const json::object& body, JsonReader& in) {
  policy::LoanProductInput p;
  p.department_id = in.String("departmentId", false);
  p.bank_name = in.String("bankName", false);
  p.name = in.String("name", false);
  p.rate_bp = static_cast<int>(in.Int("rateBp", false, 0, 100'000, 0));
  p.min_amount_fen = in.Int("minAmountFen", false, 0);
  p.max_amount_fen = in.Int("maxAmountFen", false, 0);
  p.max_term_months = static_cast<int>(in.Int("maxTermMonths", false, 0, 10'000, 0));
  p.guarantee = in.String("guarantee", false);
  p.description = in.String("description", false);
  if (const json::value* v = body.if_contains("ruleJson"); v && !v->is_null()) {
    p.rule_json = v->is_string() ? std::string(v->as_string()) : json::serialize(*v);
  }
  p.rule_text = in.String("ruleText", false);
  return p;
}

template <typename T, typename F>
json::object ItemsOf(const std::vector<T>& xs, F&& to_json) {
  json::array items;
  for (const T& x : xs) items.push_back(to_json(x));
  return {{"items", std::move(items)}};
}

}  // namespace

void AddLoanRoutes(Router& router, AppContext& app) {
  if (app.loans == nullptr) return;
  SessionGuard& guard = app.guard;
  policy::LoanService& svc = *app.loans;

  // Public: the published products; ?mine=1 the signed-in bank's products in any status.
  router.Get("/api/v1/loan-products", [&](Request& req) -> Result<json::value> {
    const bool mine = req.Query("mine").value_or("") == "1";
    identity::Principal actor;
    if (mine) {
      ASSIGN_OR_RETURN(actor, guard.SignedIn(req));
    }
    ASSIGN_OR_RETURN(std::vector<policy::LoanProduct> products, svc.Products(actor, mine));
    return ItemsOf(products, ProductJson);
  });
  router.Get("/api/v1/loan-products/{id}", [&](Request& req) -> Result<json::value> {
    Result<identity::Principal> signed_in = guard.SignedIn(req);
    const identity::Principal actor = signed_in.value_or(identity::Principal{});
    ASSIGN_OR_RETURN(policy::LoanProduct p, svc.Get(actor, req.PathParam("id")));
    return ProductJson(p);
  });
  router.Add("POST", "/api/v1/loan-products", [&](Request& req) -> Result<Response> {
    ASSIGN_OR_RETURN(identity::Principal actor, guard.SignedIn(req));
    ASSIGN_OR_RETURN(json::object body, ParseJsonBody(req));
    JsonReader in(body);
    policy::LoanProductInput input = ProductFrom(body, in);
    RETURN_IF_ERROR(in.Finish());
    ASSIGN_OR_RETURN(policy::LoanProduct p, svc.Create(actor, input));
    return JsonResponse(ProductJson(p), 201);
  });
  router.Put("/api/v1/loan-products/{id}", [&](Request& req) -> Result<json::value> {
    ASSIGN_OR_RETURN(identity::Principal actor, guard.SignedIn(req));
    ASSIGN_OR_RETURN(json::object body, ParseJsonBody(req));
    JsonReader in(body);
    policy::LoanProductInput input = ProductFrom(body, in);
    const std::int64_t version = in.Int("version", true, 1);
    RETURN_IF_ERROR(in.Finish());
    ASSIGN_OR_RETURN(policy::LoanProduct p, svc.Update(actor, req.PathParam("id"), input, version));
    return ProductJson(p);
  });
  router.Post("/api/v1/loan-products/{id}/publish", [&](Request& req) -> Result<json::value> {
    ASSIGN_OR_RETURN(identity::Principal actor, guard.SignedIn(req));
    ASSIGN_OR_RETURN(policy::LoanProduct p, svc.Publish(actor, req.PathParam("id")));
    return ProductJson(p);
  });
  router.Post("/api/v1/loan-products/{id}/withdraw", [&](Request& req) -> Result<json::value> {
    ASSIGN_OR_RETURN(identity::Principal actor, guard.SignedIn(req));
    ASSIGN_OR_RETURN(policy::LoanProduct p, svc.Withdraw(actor, req.PathParam("id")));
    return ProductJson(p);
  });
  router.Get("/api/v1/loan-products/{id}/eligible", [&](Request& req) -> Result<json::value> {
    ASSIGN_OR_RETURN(identity::Principal actor, guard.SignedIn(req));
    ASSIGN_OR_RETURN(policy::LoanService::Eligible e,
                     svc.EligibleEnterprises(actor, req.PathParam("id")));
    return json::object{{"count", e.count},
                        {"enterprises", e.enterprises},
                        {"sample", json::array(e.sample.begin(), e.sample.end())}};
  });

  // The signed-in enterprise: every product, those it qualifies for first, with the reasons.
  router.Get("/api/v1/me/loan-products", [&](Request& req) -> Result<json::value> {
    ASSIGN_OR_RETURN(identity::Principal actor, guard.SignedIn(req));
    ASSIGN_OR_RETURN(std::vector<policy::LoanOffer> offers, svc.ForMe(actor));
    return ItemsOf(offers, [](const policy::LoanOffer& o) {
      json::object j = ProductJson(o.product);
      j["eligible"] = o.explanation.eligible;
      j["explanation"] = ExplanationJson(o.explanation);
      j["hasOpenRequest"] = o.has_open_request;
      return j;
    });
  });
  router.Add("POST", "/api/v1/loan-products/{id}/requests", [&](Request& req) -> Result<Response> {
    ASSIGN_OR_RETURN(identity::Principal actor, guard.SignedIn(req));
    ASSIGN_OR_RETURN(json::object body, ParseJsonBody(req));
    JsonReader in(body);
    policy::LoanRequestInput input;
    input.amount_fen = in.Int("amountFen", true, 0);
    input.term_months = static_cast<int>(in.Int("termMonths", true, 0, 10'000));
    input.purpose = in.String("purpose", false);
    input.contact_name = in.String("contactName", false);
    input.contact_phone = in.String("contactPhone", false);
    RETURN_IF_ERROR(in.Finish());
    ASSIGN_OR_RETURN(policy::LoanRequest q, svc.Request(actor, req.PathParam("id"), input));
    return JsonResponse(RequestJson(q), 201);
  });
  router.Get("/api/v1/me/loan-requests", [&](Request& req) -> Result<json::value> {
    ASSIGN_OR_RETURN(identity::Principal actor, guard.SignedIn(req));
    ASSIGN_OR_RETURN(std::vector<policy::LoanRequest> requests, svc.MyRequests(actor));
    return ItemsOf(requests, RequestJson);
  });
  router.Post("/api/v1/loan-requests/{id}/withdraw", [&](Request& req) -> Result<json::value> {
    ASSIGN_OR_RETURN(identity::Principal actor, guard.SignedIn(req));
    ASSIGN_OR_RETURN(policy::LoanRequest q, svc.WithdrawRequest(actor, req.PathParam("id")));
    return RequestJson(q);
  });

  // The bank: requests to its products, and its answers.
  router.Get("/api/v1/loan-requests", [&](Request& req) -> Result<json::value> {
    ASSIGN_OR_RETURN(identity::Principal actor, guard.SignedIn(req));
    ASSIGN_OR_RETURN(std::vector<policy::LoanRequest> requests,
                     svc.BankRequests(actor, req.Query("status").value_or("")));
    return ItemsOf(requests, RequestJson);
  });
  router.Post("/api/v1/loan-requests/{id}/answer", [&](Request& req) -> Result<json::value> {
    ASSIGN_OR_RETURN(identity::Principal actor, guard.SignedIn(req));
    ASSIGN_OR_RETURN(json::object body, ParseJsonBody(req));
    JsonReader in(body);
    policy::LoanAnswer answer;
    answer.decision = in.String("decision", true);
    answer.message = in.String("message", false);
    answer.approved_amount_fen = in.Int("approvedAmountFen", false, 0);
    answer.approved_rate_bp = static_cast<int>(in.Int("approvedRateBp", false, 0, 100'000, 0));
    const std::int64_t version = in.Int("version", true, 1);
    RETURN_IF_ERROR(in.Finish());
    ASSIGN_OR_RETURN(policy::LoanRequest q,
                     svc.Answer(actor, req.PathParam("id"), answer, version));
    return RequestJson(q);
  });
}

}  // namespace onestop::http
