// 免申即享 campaign routes: campaigns and their steps (数据比对 → 系统预审 → 人工初核 → 通知 →
// 意愿确认 → 拨付 → 公示), offers and the enterprise's one-click confirmation, payment batches
// (the 国库集中支付 CSV) and the bank's reconciliation, clawback, the trace of a payment, the
// public 公示 and 快申快享 (pre-filled form, apply, review). Registered only when the campaign
// service is wired; the rules are in policy::CampaignService.
#include <boost/json.hpp>
#include <map>

#include "http/app_routes.h"
#include "http/json_util.h"
#include "http/policy_json.h"
#include "policy/campaign_service.h"
#include "policy/enterprise_service.h"
#include "policy/match_service.h"

namespace onestop::http {
namespace json = boost::json;

namespace {

json::value OptTime(const std::optional<Millis>& t) {
  return t ? json::value(IsoTimeCst(*t)) : json::value(nullptr);
}

json::value FactValue(const std::optional<policy::Value>& v) {
  if (!v) return nullptr;
  if (const bool* b = std::get_if<bool>(&*v)) return *b;
  if (const double* d = std::get_if<double>(&*v)) {
    const double whole = static_cast<double>(static_cast<std::int64_t>(*d));
    if (whole == *d && *d > -9e15 && *d < 9e15) return static_cast<std::int64_t>(*d);
    return *d;
  }
  return json::value(std::get<std::string>(*v));
}

json::object AccountJson(const policy::BankAccount& a) {
  return {{"accountName", a.account_name}, {"bankName", a.bank_name}, {"accountNo", a.account_no}};
}

json::object CampaignJson(const policy::Campaign& c) {
  return {{"id", c.id},
          {"itemId", c.item_id},
          {"itemTitle", c.item_title},
          {"period", c.period},
          {"departmentId", c.department_id},
          {"publicityFrom", c.publicity_from},
          {"publicityTo", c.publicity_to},
          {"createdBy", c.created_by},
          {"createdAt", IsoTimeCst(c.created_at_ms)},
          {"updatedAt", IsoTimeCst(c.updated_at_ms)}};
}

json::object OfferJson(const policy::Offer& o) {
  return {{"id", o.id},
          {"campaignId", o.campaign_id},
          {"itemId", o.item_id},
          {"period", o.period},
          {"kind", o.kind},
          {"enterpriseId", o.enterprise_id},
          {"enterpriseName", o.enterprise_name},
          {"ruleVersion", o.rule_version},
          {"amountFen", o.amount_fen},
          {"status", o.status},
          {"statusName", policy::OfferStatusLabel(o.status)},
          {"reasonCode", o.reason_code},
          {"reason", o.reason},
          {"committed", o.committed},
          {"account", AccountJson(o.account)},
          {"reviewedBy", o.reviewed_by},
          {"reviewedAt", OptTime(o.reviewed_at_ms)},
          {"notifiedAt", OptTime(o.notified_at_ms)},
          {"confirmedAt", OptTime(o.confirmed_at_ms)},
          {"confirmedBy", o.confirmed_by},
          {"confirmedByName", o.confirmed_by_name},
          {"createdAt", IsoTimeCst(o.created_at_ms)},
          {"updatedAt", IsoTimeCst(o.updated_at_ms)}};
}

std::string_view PaymentStatusLabel(std::string_view s) {
  if (s == "pending") return "待支付";
  if (s == "paid") return "已支付";
  if (s == "failed") return "支付失败";
  if (s == "clawed_back") return "已追回";
  return "";
}

json::object PaymentJson(const policy::Payment& p) {
  return {{"id", p.id},
          {"voucherNo", p.voucher_no},
          {"batchId", p.batch_id},
          {"offerId", p.offer_id},
          {"itemId", p.item_id},
          {"period", p.period},
          {"enterpriseId", p.enterprise_id},
          {"enterpriseName", p.enterprise_name},
          {"amountFen", p.amount_fen},
          {"account", AccountJson(p.account)},
          {"status", p.status},
          {"statusName", PaymentStatusLabel(p.status)},
          {"bankSerial", p.bank_serial},
          {"bankNote", p.bank_note},
          {"resultAt", OptTime(p.result_at_ms)},
          {"clawbackReason", p.clawback_reason},
          {"clawbackAt", OptTime(p.clawback_at_ms)},
          {"createdAt", IsoTimeCst(p.created_at_ms)}};
}

json::object BatchJson(const policy::PaymentBatch& b) {
  json::array payments, skipped(b.skipped.begin(), b.skipped.end());
  for (const policy::Payment& p : b.payments) payments.push_back(PaymentJson(p));
  return {{"id", b.id},
          {"itemId", b.item_id},
          {"period", b.period},
          {"campaignId", b.campaign_id},
          {"payments", std::move(payments)},
          {"totalFen", b.total_fen},
          {"createdAt", IsoTimeCst(b.created_at_ms)},
          {"fileUrl", "/api/v1/payment-batches/" + b.id + "/file"},
          {"skipped", std::move(skipped)}};
}

json::object NoticeJson(const policy::PublicNotice& n) {
  json::array recipients;
  for (const policy::PublicNotice::Recipient& r : n.recipients) {
    recipients.push_back(
        json::object{{"name", r.name}, {"enterpriseId", r.uscc}, {"amountFen", r.amount_fen}});
  }
  return {{"campaignId", n.campaign_id}, {"policyTitle", n.policy_title},
          {"docNo", n.doc_no},           {"itemTitle", n.item_title},
          {"period", n.period},          {"from", n.publicity_from},
          {"to", n.publicity_to},        {"recipients", std::move(recipients)},
          {"totalFen", n.total_fen}};
}

json::object OffersJson(const std::vector<policy::Offer>& list) {
  json::array items;
  for (const policy::Offer& o : list) items.push_back(OfferJson(o));
  return {{"items", std::move(items)}, {"total", list.size()}};
}

}  // namespace

void AddCampaignRoutes(Router& router, AppContext& app) {
  if (app.campaigns == nullptr) return;
  SessionGuard& guard = app.guard;
  policy::CampaignService& svc = *app.campaigns;

  router.Post("/api/v1/policy-campaigns", [&](Request& req) -> Result<json::value> {
    ASSIGN_OR_RETURN(identity::Principal actor, guard.SignedIn(req));
    ASSIGN_OR_RETURN(json::object body, ParseJsonBody(req));
    JsonReader in(body);
    policy::CampaignInput c;
    c.item_id = in.String("itemId");
    c.period = in.String("period", false);
    std::optional<json::object> due = in.Object("due", false);
    RETURN_IF_ERROR(in.Finish());
    if (due) {
      JsonReader d(*due, "due.");
      c.due_compare = d.String("compare", false);
      c.due_prereview = d.String("prereview", false);
      c.due_review = d.String("review", false);
      c.due_notify = d.String("notify", false);
      c.due_confirm = d.String("confirm", false);
      c.due_pay = d.String("pay", false);
      c.due_publicize = d.String("publicize", false);
      RETURN_IF_ERROR(d.Finish());
    }
    ASSIGN_OR_RETURN(policy::Campaign made, svc.Create(actor, c));
    return CampaignJson(made);
  });

  router.Get("/api/v1/policy-campaigns", [&](Request& req) -> Result<json::value> {
    ASSIGN_OR_RETURN(identity::Principal actor, guard.SignedIn(req));
    ASSIGN_OR_RETURN(std::vector<policy::Campaign> list, svc.Campaigns(actor));
    json::array items;
    for (const policy::Campaign& c : list) items.push_back(CampaignJson(c));
    return json::object{{"items", std::move(items)}};
  });

  router.Get("/api/v1/policy-campaigns/{id}", [&](Request& req) -> Result<json::value> {
    ASSIGN_OR_RETURN(identity::Principal actor, guard.SignedIn(req));
    ASSIGN_OR_RETURN(policy::CampaignConsole c, svc.Console(actor, req.PathParam("id")));
    json::array steps;
    for (const policy::CampaignStep& s : c.steps) {
      steps.push_back(json::object{{"code", s.step},
                                   {"name", s.label},
                                   {"state", s.state},
                                   {"light", s.light},
                                   {"dueOn", s.due_on},
                                   {"doneAt", OptTime(s.done_at_ms)}});
    }
    json::object counts;
    for (const auto& [status, n] : c.offer_counts) counts[status] = n;
    const policy::BudgetFigures& b = c.budget;
    return json::object{{"campaign", CampaignJson(c.campaign)},
                        {"itemTitle", c.item_title},
                        {"policyTitle", c.policy_title},
                        {"steps", std::move(steps)},
                        {"counts", std::move(counts)},
                        {"offeredFen", c.offered_fen},
                        {"budget", json::object{{"budgetFen", b.budget_fen},
                                                {"committedFen", b.committed_fen},
                                                {"payableFen", b.payable_fen},
                                                {"paidFen", b.paid_fen},
                                                {"clawbackFen", b.clawback_fen},
                                                {"availableFen", b.available_fen}}}};
  });

  // The steps that answer with the offers.
  using OfferStep = Result<std::vector<policy::Offer>> (policy::CampaignService::*)(
      const identity::Principal&, const std::string&);
  auto offer_step = [&](OfferStep step) {
    return [&svc, &guard, step](Request& req) -> Result<json::value> {
      ASSIGN_OR_RETURN(identity::Principal actor, guard.SignedIn(req));
      ASSIGN_OR_RETURN(std::vector<policy::Offer> list, (svc.*step)(actor, req.PathParam("id")));
      return OffersJson(list);
    };
  };
  router.Post("/api/v1/policy-campaigns/{id}/compare",
              offer_step(&policy::CampaignService::Compare));
  router.Post("/api/v1/policy-campaigns/{id}/prereview",
              offer_step(&policy::CampaignService::PreReview));
  router.Post("/api/v1/policy-campaigns/{id}/notify", offer_step(&policy::CampaignService::Notify));
  router.Get("/api/v1/policy-campaigns/{id}/offers", [&](Request& req) -> Result<json::value> {
    ASSIGN_OR_RETURN(identity::Principal actor, guard.SignedIn(req));
    ASSIGN_OR_RETURN(std::vector<policy::Offer> list, svc.Offers(actor, req.PathParam("id")));
    const std::string status = req.Query("status").value_or("");
    if (status.empty()) return OffersJson(list);
    std::vector<policy::Offer> some;
    for (policy::Offer& o : list) {
      if (o.status == status) some.push_back(std::move(o));
    }
    return OffersJson(some);
  });

  // 人工初核 of the whole campaign: {approve, reason?, offerIds?} (empty ids: every pending one).
  auto review = [&](bool default_approve) {
    return [&svc, &guard, default_approve](Request& req) -> Result<json::value> {
      ASSIGN_OR_RETURN(identity::Principal actor, guard.SignedIn(req));
      ASSIGN_OR_RETURN(json::object body, ParseJsonBody(req));
      JsonReader in(body);
      const bool approve = in.Bool("approve", false, default_approve);
      const std::string reason = in.String("reason", false);
      std::vector<std::string> ids = in.StringList("offerIds", false);
      RETURN_IF_ERROR(in.Finish());
      ASSIGN_OR_RETURN(std::vector<policy::Offer> list,
                       svc.Review(actor, req.PathParam("id"), ids, approve, reason));
      return OffersJson(list);
    };
  };
  router.Post("/api/v1/policy-campaigns/{id}/approve-all", review(true));
  router.Post("/api/v1/policy-campaigns/{id}/review", review(true));

  router.Post("/api/v1/policy-campaigns/{id}/batches", [&](Request& req) -> Result<json::value> {
    ASSIGN_OR_RETURN(identity::Principal actor, guard.SignedIn(req));
    ASSIGN_OR_RETURN(policy::PaymentBatch b, svc.CreateBatch(actor, req.PathParam("id")));
    return BatchJson(b);
  });

  router.Post("/api/v1/policy-campaigns/{id}/publicize", [&](Request& req) -> Result<json::value> {
    ASSIGN_OR_RETURN(identity::Principal actor, guard.SignedIn(req));
    ASSIGN_OR_RETURN(policy::Campaign c, svc.Publicize(actor, req.PathParam("id")));
    return CampaignJson(c);
  });

  router.Get("/api/v1/policy-campaigns/{id}/payments", [&](Request& req) -> Result<json::value> {
    ASSIGN_OR_RETURN(identity::Principal actor, guard.SignedIn(req));
    ASSIGN_OR_RETURN(std::vector<policy::Payment> list, svc.Payments(actor, req.PathParam("id")));
    json::array items;
    for (const policy::Payment& p : list) items.push_back(PaymentJson(p));
    return json::object{{"items", std::move(items)}};
  });

  // One offer's 初核 or a 快申快享 application's review: {approve, reason}.
  router.Post("/api/v1/policy-offers/{id}/review", [&](Request& req) -> Result<json::value> {
    ASSIGN_OR_RETURN(identity::Principal actor, guard.SignedIn(req));
    ASSIGN_OR_RETURN(json::object body, ParseJsonBody(req));
    JsonReader in(body);
    const bool approve = in.Bool("approve");
    const std::string reason = in.String("reason", false);
    const std::string campaign = in.String("campaignId", false);
    RETURN_IF_ERROR(in.Finish());
    const std::string id = req.PathParam("id");
    if (!campaign.empty()) {
      ASSIGN_OR_RETURN(std::vector<policy::Offer> list,
                       svc.Review(actor, campaign, {id}, approve, reason));
      if (list.empty()) return NotFound("policy.offer_not_found", "没有这条兑现记录：" + id);
      return OfferJson(list.front());
    }
    ASSIGN_OR_RETURN(policy::Offer o, svc.ReviewApplication(actor, id, approve, reason));
    return OfferJson(o);
  });

  // --- the enterprise ---
  // With the item's and policy's titles, as 为我推荐 knows them (open items; "" otherwise).
  policy::EnterpriseService* enterprises = app.enterprises;
  policy::MatchService* matches = app.matches;
  router.Get("/api/v1/me/policy-offers",
             [&, enterprises, matches](Request& req) -> Result<json::value> {
               ASSIGN_OR_RETURN(identity::Principal actor, guard.SignedIn(req));
               ASSIGN_OR_RETURN(std::vector<policy::Offer> list, svc.MyOffers(actor));
               std::map<std::string, const policy::Recommendation*> by_item;
               std::vector<policy::Recommendation> recs;
               if (enterprises != nullptr && matches != nullptr && !list.empty()) {
                 Result<std::string> own = enterprises->EnterpriseIdOf(actor);
                 if (own.has_value()) {
                   Result<std::vector<policy::Recommendation>> r = matches->Recommend(actor, *own);
                   if (r.has_value()) recs = std::move(r).value();
                 }
               }
               for (const policy::Recommendation& r : recs) by_item[r.item_id] = &r;
               json::array items;
               for (const policy::Offer& o : list) {
                 json::object j = OfferJson(o);
                 auto it = by_item.find(o.item_id);
                 j["itemTitle"] = it == by_item.end() ? "" : it->second->item_title;
                 j["policyId"] = it == by_item.end() ? "" : it->second->policy_id;
                 j["policyTitle"] = it == by_item.end() ? "" : it->second->policy_title;
                 items.push_back(std::move(j));
               }
               return json::object{{"items", std::move(items)}, {"total", list.size()}};
             });

  router.Get("/api/v1/me/policy-payouts", [&](Request& req) -> Result<json::value> {
    ASSIGN_OR_RETURN(identity::Principal actor, guard.SignedIn(req));
    ASSIGN_OR_RETURN(std::vector<policy::Payment> list, svc.MyPayouts(actor));
    json::array items;
    for (const policy::Payment& p : list) items.push_back(PaymentJson(p));
    return json::object{{"items", std::move(items)}};
  });

  router.Post("/api/v1/policy-offers/{id}/confirm", [&](Request& req) -> Result<json::value> {
    ASSIGN_OR_RETURN(identity::Principal actor, guard.SignedIn(req));
    ASSIGN_OR_RETURN(json::object body, ParseJsonBody(req));
    JsonReader in(body);
    policy::BankAccount a;
    a.account_name = in.String("accountName", false);
    a.bank_name = in.String("bankName", false);
    a.account_no = in.String("accountNo", false);
    RETURN_IF_ERROR(in.Finish());
    ASSIGN_OR_RETURN(policy::Offer o, svc.Confirm(actor, req.PathParam("id"), a));
    return OfferJson(o);
  });

  router.Post("/api/v1/policy-offers/{id}/decline", [&](Request& req) -> Result<json::value> {
    ASSIGN_OR_RETURN(identity::Principal actor, guard.SignedIn(req));
    ASSIGN_OR_RETURN(policy::Offer o, svc.Decline(actor, req.PathParam("id")));
    return OfferJson(o);
  });

  // --- 快申快享 ---
  router.Get("/api/v1/policy-items/{id}/prefill", [&](Request& req) -> Result<json::value> {
    ASSIGN_OR_RETURN(identity::Principal actor, guard.SignedIn(req));
    ASSIGN_OR_RETURN(policy::ApplicationForm f, svc.Prefill(actor, req.PathParam("id")));
    json::array fields;
    for (const policy::PrefillField& p : f.fields) {
      fields.push_back(json::object{{"key", p.fact},
                                    {"label", p.label},
                                    {"unit", p.unit},
                                    {"value", FactValue(p.value)},
                                    {"source", p.source},
                                    {"asOf", p.as_of}});
    }
    return json::object{
        {"itemId", f.item_id},
        {"itemTitle", f.item_title},
        {"ruleVersion", f.rule_version},
        {"enterpriseId", f.enterprise_id},
        {"enterpriseName", f.enterprise_name},
        {"fields", std::move(fields)},
        {"eligible", f.eligible},
        {"explanation", ExplanationJson(f.explanation)},
        {"amountFen", f.amount_fen ? json::value(*f.amount_fen) : json::value(nullptr)}};
  });

  router.Post("/api/v1/policy-items/{id}/apply", [&](Request& req) -> Result<json::value> {
    ASSIGN_OR_RETURN(identity::Principal actor, guard.SignedIn(req));
    ASSIGN_OR_RETURN(json::object body, ParseJsonBody(req));
    JsonReader in(body);
    const std::string period = in.String("period");
    RETURN_IF_ERROR(in.Finish());
    ASSIGN_OR_RETURN(policy::Offer o, svc.Apply(actor, req.PathParam("id"), period));
    return OfferJson(o);
  });

  router.Get("/api/v1/policy-applications/review", [&](Request& req) -> Result<json::value> {
    ASSIGN_OR_RETURN(identity::Principal actor, guard.SignedIn(req));
    ASSIGN_OR_RETURN(std::vector<policy::Offer> list, svc.ReviewQueue(actor));
    return OffersJson(list);
  });

  router.Post("/api/v1/policy-items/{id}/batches", [&](Request& req) -> Result<json::value> {
    ASSIGN_OR_RETURN(identity::Principal actor, guard.SignedIn(req));
    ASSIGN_OR_RETURN(json::object body, ParseJsonBody(req));
    JsonReader in(body);
    const std::string period = in.String("period");
    RETURN_IF_ERROR(in.Finish());
    ASSIGN_OR_RETURN(policy::PaymentBatch b,
                     svc.CreateApplicationBatch(actor, req.PathParam("id"), period));
    return BatchJson(b);
  });

  // --- payments ---
  router.Get("/api/v1/payment-batches/{id}", [&](Request& req) -> Result<json::value> {
    ASSIGN_OR_RETURN(identity::Principal actor, guard.SignedIn(req));
    ASSIGN_OR_RETURN(policy::PaymentBatch b, svc.Batch(actor, req.PathParam("id")));
    return BatchJson(b);
  });

  router.Add("GET", "/api/v1/payment-batches/{id}/file", [&](Request& req) -> Result<Response> {
    ASSIGN_OR_RETURN(identity::Principal actor, guard.SignedIn(req));
    ASSIGN_OR_RETURN(policy::PaymentBatch b, svc.Batch(actor, req.PathParam("id")));
    Response r;
    r.content_type = "text/csv; charset=utf-8";
    r.body = std::move(b.csv);
    r.SetHeader("Content-Disposition", "attachment; filename=\"payment-" + b.id + ".csv\"");
    r.SetHeader("Cache-Control", "private, no-store");
    return r;
  });

  // The bank's result file (CSV body) for any batch.
  auto reconcile = [&](Request& req) -> Result<json::value> {
    ASSIGN_OR_RETURN(identity::Principal actor, guard.SignedIn(req));
    ASSIGN_OR_RETURN(policy::ReconcileReport r, svc.Reconcile(actor, req.body));
    json::array errors;
    for (const std::string& e : r.errors) errors.push_back(json::value(e));
    return json::object{{"paid", r.paid}, {"failed", r.failed}, {"errors", std::move(errors)}};
  };
  router.Post("/api/v1/payment-batches/{id}/reconcile", reconcile);

  router.Post("/api/v1/policy-payments/{id}/clawback", [&](Request& req) -> Result<json::value> {
    ASSIGN_OR_RETURN(identity::Principal actor, guard.SignedIn(req));
    ASSIGN_OR_RETURN(json::object body, ParseJsonBody(req));
    JsonReader in(body);
    const std::string reason = in.String("reason", false);
    RETURN_IF_ERROR(in.Finish());
    ASSIGN_OR_RETURN(policy::Payment p, svc.Clawback(actor, req.PathParam("id"), reason));
    return PaymentJson(p);
  });

  router.Get("/api/v1/policy-payments/{id}/trace", [&](Request& req) -> Result<json::value> {
    ASSIGN_OR_RETURN(identity::Principal actor, guard.SignedIn(req));
    ASSIGN_OR_RETURN(policy::PaymentTrace t, svc.Trace(actor, req.PathParam("id")));
    json::array facts;
    for (const policy::SourcedFact& f : t.snapshot.facts) {
      facts.push_back(json::object{{"fact", f.fact},
                                   {"value", FactValue(f.value)},
                                   {"source", f.source},
                                   {"asOf", f.as_of}});
    }
    json::array ledger;
    for (const policy::LedgerTxn& x : t.ledger) {
      json::array entries;
      for (const policy::LedgerEntry& e : x.entries) {
        entries.push_back(json::object{{"account", e.account},
                                       {"accountName", policy::AccountLabel(e.account)},
                                       {"amountFen", e.amount_fen}});
      }
      ledger.push_back(json::object{{"id", x.id},
                                    {"kind", x.kind},
                                    {"memo", x.memo},
                                    {"createdBy", x.created_by},
                                    {"createdAt", IsoTimeCst(x.created_at_ms)},
                                    {"entries", std::move(entries)}});
    }
    return json::object{{"policyId", t.policy_id},
                        {"policyTitle", t.policy_title},
                        {"docNo", t.doc_no},
                        {"itemId", t.item_id},
                        {"itemTitle", t.item_title},
                        {"period", t.period},
                        {"ruleVersion", t.rule_version},
                        {"ruleText", t.rule_text},
                        {"formulaText", t.formula_text},
                        {"ruleEffectiveFrom", t.rule_effective_from},
                        {"snapshot", json::object{{"enterpriseId", t.snapshot.enterprise_id},
                                                  {"name", t.snapshot.name},
                                                  {"takenAt", IsoTimeCst(t.snapshot.taken_at_ms)},
                                                  {"facts", std::move(facts)}}},
                        {"offer", OfferJson(t.offer)},
                        {"payment", PaymentJson(t.payment)},
                        {"batchCreatedAt", IsoTimeCst(t.batch_created_at_ms)},
                        {"ledger", std::move(ledger)}};
  });

  // --- public 公示 ---
  router.Get("/api/v1/policy-notices", [&](Request&) -> Result<json::value> {
    ASSIGN_OR_RETURN(std::vector<policy::PublicNotice> list, svc.Notices());
    json::array items;
    for (const policy::PublicNotice& n : list) items.push_back(NoticeJson(n));
    return json::object{{"items", std::move(items)}};
  });
  router.Get("/api/v1/policy-notices/{id}", [&](Request& req) -> Result<json::value> {
    ASSIGN_OR_RETURN(policy::PublicNotice n, svc.Notice(req.PathParam("id")));
    return NoticeJson(n);
  });
}

}  // namespace onestop::http
