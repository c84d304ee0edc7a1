// Consent routes (授权, 免证办): the holder's grants (give, list, revoke), the dynamic identity QR
// token, the holder's purpose-bound copy (加注件), and at the counter: scanning a token, retrieving
// under a grant and attaching a licence to a case. Shapes are in docs/openapi.json and
// docs/API.md ("Consent"); rules live in licences::GrantService.
#include <boost/json.hpp>

#include "http/app_routes.h"
#include "http/json_util.h"
#include "licences/grant_service.h"

namespace onestop::http {
namespace json = boost::json;
using namespace onestop::licences;  // NOLINT: the route file of this module

namespace {

json::value OptJson(const std::optional<std::string>& v) {
  return v ? json::value(*v) : json::value(nullptr);
}

// `holder_view`: the holder sees their own code whole; anyone else masked.
json::object GrantJson(const Grant& g, bool holder_view) {
  json::array types(g.type_codes.begin(), g.type_codes.end());
  const HolderType ht = g.holder_kind == "person" ? HolderType::kPerson : HolderType::kEnterprise;
  return {{"id", g.id},
          {"holderPartyId", g.holder_party_id},
          {"holderKind", g.holder_kind},
          {"holderName", holder_view ? g.holder_name : MaskHolderName(g.holder_name)},
          {"holderCode", holder_view ? g.holder_code : MaskHolderCode(ht, g.holder_code)},
          {"departmentId", g.department_id},
          {"departmentName", g.department_name},
          {"itemCode", g.item_code},
          {"caseId", OptJson(g.case_id)},
          {"typeCodes", std::move(types)},
          {"purpose", g.purpose},
          {"mode", GrantModeCode(g.mode)},
          {"modeName", GrantModeName(g.mode)},
          {"source", g.source},
          {"createdAt", IsoTimeCst(g.created_at_ms)},
          {"expiresAt", IsoTimeCst(g.expires_at_ms)},
          {"revokedAt", g.revoked_at_ms ? json::value(IsoTimeCst(*g.revoked_at_ms)) : nullptr},
          {"usedAt", g.used_at_ms ? json::value(IsoTimeCst(*g.used_at_ms)) : nullptr},
          {"status", GrantStatusCode(g.status)},
          {"statusName", GrantStatusName(g.status)}};
}

json::object SummaryJson(const LicenceSummary& s) {
  return {{"identifier", s.identifier},
          {"name", s.name},
          {"typeCode", s.type_code},
          {"number", s.number},
          {"version", s.version},
          {"issuerName", s.issuer_name},
          {"issueDate", s.issue_date},
          {"validFrom", s.valid_from},
          {"validTo", s.valid_to},
          {"holderName", s.holder_name_masked},
          {"holderCode", s.holder_code_masked},
          {"status", LicenceStatusCode(s.status)},
          {"statusName", LicenceStatusName(s.status)}};
}

// A retrieved licence: what the grant let the department see, face data included.
json::object RetrievedJson(const Licence& l) {
  return {{"identifier", l.identifier},
          {"name", l.name},
          {"typeCode", l.type_code},
          {"typeName", l.type_name},
          {"number", l.number},
          {"version", l.version},
          {"issuerName", l.issuer_name},
          {"issueDate", l.issue_date},
          {"validFrom", l.valid_from},
          {"validTo", l.valid_to},
          {"holderName", l.holder_name},
          {"holderCode", l.holder_code},
          {"face", l.face},
          {"status", LicenceStatusCode(l.status)},
          {"statusName", LicenceStatusName(l.status)}};
}

Result<GrantService*> Grants(AppContext& app) {
  if (app.grants == nullptr) return Unavailable("licences.no_grants", "授权服务未启用");
  return app.grants;
}

}  // namespace

void AddConsentRoutes(Router& router, AppContext& app) {
  SessionGuard& guard = app.guard;

  router.Get("/api/v1/me/grants", [&](Request& req) -> Result<json::value> {
    ASSIGN_OR_RETURN(identity::Principal actor, guard.SignedIn(req));
    ASSIGN_OR_RETURN(GrantService * grants, Grants(app));
    std::optional<GrantStatus> status;
    if (std::optional<std::string> s = req.Query("status"); s && !s->empty()) {
      Result<GrantStatus> parsed = ParseGrantStatus(*s);
      if (!parsed.has_value()) {
        return std::move(parsed).error().WithField("status",
                                                   "应为 active、used、expired 或 revoked");
      }
      status = *parsed;
    }
    ASSIGN_OR_RETURN(std::vector<Grant> mine, grants->Mine(actor, status));
    json::array items;
    for (const Grant& g : mine) items.push_back(GrantJson(g, true));
    const auto total = static_cast<std::int64_t>(items.size());
    return json::object{{"items", std::move(items)}, {"total", total}};
  });

  router.Add("POST", "/api/v1/me/grants", [&](Request& req) -> Result<Response> {
    ASSIGN_OR_RETURN(identity::Principal actor, guard.SignedIn(req));
    ASSIGN_OR_RETURN(GrantService * grants, Grants(app));
    ASSIGN_OR_RETURN(json::object body, ParseJsonBody(req));
    JsonReader in(body);
    NewGrant g;
    g.department_id = in.String("departmentId");
    g.item_code = in.OptString("itemCode").value_or("");
    g.case_id = in.OptString("caseId");
    if (g.case_id && g.case_id->empty()) g.case_id.reset();
    g.type_codes = in.StringList("typeCodes");
    g.purpose = in.String("purpose", false);
    const std::int64_t days = in.Int("validDays", false, 1, 90, 7);
    const std::string mode = in.OptString("mode").value_or("single_use");
    RETURN_IF_ERROR(in.Finish());
    Result<GrantMode> m = ParseGrantMode(mode);
    if (!m.has_value())
      return std::move(m).error().WithField("mode", "应为 single_use 或 until_case_closes");
    g.mode = *m;
    g.expires_at_ms = app.clock.NowMs() + days * 24 * 3600 * 1000;
    ASSIGN_OR_RETURN(Grant made, grants->Give(actor, g));
    return JsonResponse(GrantJson(made, true), 201);
  });

  router.Post("/api/v1/me/grants/{id}/revoke", [&](Request& req) -> Result<json::value> {
    ASSIGN_OR_RETURN(identity::Principal actor, guard.SignedIn(req));
    ASSIGN_OR_RETURN(GrantService * grants, Grants(app));
    ASSIGN_OR_RETURN(Grant g, grants->Revoke(actor, req.PathParam("id")));
    return GrantJson(g, true);
  });

  router.Get("/api/v1/me/identity-token", [&](Request& req) -> Result<json::value> {
    ASSIGN_OR_RETURN(identity::Principal actor, guard.SignedIn(req));
    ASSIGN_OR_RETURN(GrantService * grants, Grants(app));
    std::vector<std::string> types;
    if (std::optional<std::string> t = req.Query("types"); t && !t->empty()) {
      std::string_view rest = *t;
      while (!rest.empty()) {
        const std::size_t comma = rest.find(',');
        std::string_view one = rest.substr(0, comma);
        if (!one.empty()) types.emplace_back(one);
        rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
      }
    }
    ASSIGN_OR_RETURN(IdentityToken tok, grants->IssueToken(actor, types));
    json::array codes(tok.type_codes.begin(), tok.type_codes.end());
    return json::object{{"token", tok.token},
                        {"tokenId", tok.token_id},
                        {"expiresAt", IsoTimeCst(tok.expires_at_ms)},
                        {"expiresInSeconds", (tok.expires_at_ms - app.clock.NowMs()) / 1000},
                        {"refreshAfterSeconds", tok.refresh_after_seconds},
                        {"typeCodes", std::move(codes)}};
  });

  router.Add("GET", "/api/v1/me/licences/{identifier}/copy", [&](Request& req) -> Result<Response> {
    ASSIGN_OR_RETURN(identity::Principal actor, guard.SignedIn(req));
    ASSIGN_OR_RETURN(GrantService * grants, Grants(app));
    ASSIGN_OR_RETURN(LicenceCopy copy, grants->HolderCopy(actor, req.PathParam("identifier"),
                                                          req.Query("purpose").value_or(""),
                                                          req.Query("until").value_or("")));
    Response r;
    r.content_type = "application/pdf";
    r.body = std::move(copy.pdf);
    r.SetHeader("Content-Disposition", "attachment; filename=\"licence-copy.pdf\"");
    r.SetHeader("Cache-Control", "private, no-store");
    r.SetHeader("X-Content-Type-Options", "nosniff");
    return r;
  });

  router.Post("/api/v1/licence-retrievals/scan", [&](Request& req) -> Result<json::value> {
    ASSIGN_OR_RETURN(identity::Principal actor, guard.SignedIn(req));
    ASSIGN_OR_RETURN(GrantService * grants, Grants(app));
    ASSIGN_OR_RETURN(json::object body, ParseJsonBody(req));
    JsonReader in(body);
    ScanInput s;
    s.token = in.String("token");
    s.item_code = in.String("itemCode", false);
    s.case_id = in.OptString("caseId");
    if (s.case_id && s.case_id->empty()) s.case_id.reset();
    s.purpose = in.String("purpose", false);
    RETURN_IF_ERROR(in.Finish());
    ASSIGN_OR_RETURN(ScanResult r, grants->Scan(actor, s));
    json::array licences;
    for (const LicenceSummary& l : r.licences) licences.push_back(SummaryJson(l));
    return json::object{{"grant", GrantJson(r.grant, false)},
                        {"holder", json::object{{"kind", r.holder_kind},
                                                {"name", r.holder_name_masked},
                                                {"code", r.holder_code_masked}}},
                        {"licences", std::move(licences)}};
  });

  router.Post("/api/v1/licence-retrievals/query", [&](Request& req) -> Result<json::value> {
    ASSIGN_OR_RETURN(identity::Principal actor, guard.SignedIn(req));
    ASSIGN_OR_RETURN(GrantService * grants, Grants(app));
    ASSIGN_OR_RETURN(json::object body, ParseJsonBody(req));
    JsonReader in(body);
    RetrievalRequest r;
    r.grant_id = in.OptString("grantId").value_or("");
    r.holder_party_id = in.OptString("holderPartyId").value_or("");
    r.item_code = in.OptString("itemCode").value_or("");
    r.case_id = in.OptString("caseId");
    if (r.case_id && r.case_id->empty()) r.case_id.reset();
    r.type_code = in.String("typeCode");
    if (r.grant_id.empty() && r.holder_party_id.empty()) {
      in.AddError("grantId", "请指定授权或持证人");
    }
    RETURN_IF_ERROR(in.Finish());
    ASSIGN_OR_RETURN(std::vector<Licence> found, grants->Retrieve(actor, r));
    json::array items;
    for (const Licence& l : found) items.push_back(RetrievedJson(l));
    return json::object{{"items", std::move(items)}};
  });

  router.Add("POST", "/api/v1/licence-retrievals", [&](Request& req) -> Result<Response> {
    ASSIGN_OR_RETURN(identity::Principal actor, guard.SignedIn(req));
    ASSIGN_OR_RETURN(GrantService * grants, Grants(app));
    ASSIGN_OR_RETURN(json::object body, ParseJsonBody(req));
    JsonReader in(body);
    AttachInput a;
    a.grant_id = in.String("grantId");
    a.identifier = in.String("identifier");
    a.case_id = in.String("caseId");
    a.material_key = in.String("materialKey");
    RETURN_IF_ERROR(in.Finish());
    ASSIGN_OR_RETURN(Attachment done, grants->Attach(actor, a));
    return JsonResponse(json::object{{"caseId", done.c.id},
                                     {"caseStatus", cases::CaseStatusCode(done.c.status)},
                                     {"materialKey", done.material_key},
                                     {"licenceIdentifier", done.licence_identifier},
                                     {"blobSha256", done.blob_sha256},
                                     {"fileName", done.file_name}},
                        201);
  });
}

}  // namespace onestop::http
