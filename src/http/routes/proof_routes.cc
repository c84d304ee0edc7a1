// Proof routes (证明): proof types, instant generation and online application by the holder,
// the department's review queue with approve / reject / revoke, the PDF, and — without login —
// verification by code or QR payload and the issuers' revocation status lists.
#include <boost/json.hpp>

#include "http/app_routes.h"
#include "http/json_util.h"

namespace onestop::http {
namespace json = boost::json;

namespace {

json::value OptTime(const std::optional<Millis>& t) {
  return t ? json::value(IsoTimeCst(*t)) : json::value(nullptr);
}

json::object TypeJson(const proofs::ProofType& t) {
  json::array fields, inputs;
  for (const proofs::FieldTemplate& f : t.fields) fields.push_back(json::value(f.label));
  for (const proofs::InputField& f : t.inputs) {
    inputs.push_back({{"key", f.key}, {"label", f.label}, {"required", f.required}});
  }
  return {{"code", t.code},
          {"name", t.name},
          {"departmentId", t.department_id},
          {"departmentName", t.department_name},
          {"mode", proofs::ProofModeCode(t.mode)},
          {"registerCode", t.register_code},
          {"holderKind", t.holder_kind},
          {"validityDays", t.validity_days},
          {"fields", std::move(fields)},
          {"inputs", std::move(inputs)}};
}

json::object ProofJson(const proofs::Proof& p, const std::string& base_url) {
  json::object inputs;
  for (const auto& [k, v] : p.inputs) inputs[k] = v;
  json::array fields;
  for (const proofs::ProofField& f : p.fields) {
    fields.push_back({{"label", f.label}, {"value", f.value}});
  }
  const bool issued = !p.verification_code.empty();
  return {{"id", p.id},
          {"number", p.number},
          {"type", p.type_code},
          {"typeName", p.type_name},
          {"mode", proofs::ProofModeCode(p.mode)},
          {"departmentId", p.department_id},
          {"issuerName", p.issuer_name},
          {"holderKind", p.holder_kind},
          {"holderName", p.holder_name},
          {"holderCodeType", p.holder_code_type},
          {"holderCode", p.holder_code},
          {"purpose", p.purpose},
          {"inputs", std::move(inputs)},
          {"fields", std::move(fields)},
          {"body", p.body},
          {"sources", json::parse(p.sources_json)},
          {"status", proofs::ProofStatusCode(p.status)},
          {"statusName", proofs::ProofStatusName(p.status)},
          {"reason", p.reason},
          {"verificationCode", p.verification_code},
          {"statusIndex", p.status_index ? json::value(*p.status_index) : json::value(nullptr)},
          {"sealId", p.seal_id},
          {"keyId", p.key_id},
          {"signAlg", p.sign_alg},
          {"signature", p.signature},
          {"signedJson", p.signed_json},
          {"qrPayload", p.qr_payload},
          {"verifyUrl", issued ? base_url + "/verify?code=" + p.verification_code : ""},
          {"pdfUrl", issued ? "/api/v1/proofs/" + p.id + "/pdf" : ""},
          {"appliedAt", IsoTimeCst(p.applied_at_ms)},
          {"issuedAt", OptTime(p.issued_at_ms)},
          {"validUntil", OptTime(p.valid_until_ms)}};
}

json::object VerificationJson(const proofs::PublicVerification& v) {
  return {{"status", v.status},
          {"statusName", v.status_name},
          {"verificationCode", v.verification_code},
          {"number", v.number},
          {"typeName", v.type_name},
          {"issuerName", v.issuer_name},
          {"holderName", v.holder_name_masked},
          {"holderCode", v.holder_code_masked},
          {"issuedAt", OptTime(v.issued_at_ms)},
          {"validUntil", OptTime(v.valid_until_ms)},
          {"sealId", v.seal_id},
          {"keyId", v.key_id}};
}

json::object ListJson(const std::vector<proofs::Proof>& list, const std::string& base_url) {
  json::array items;
  for (const proofs::Proof& p : list) items.push_back(ProofJson(p, base_url));
  return {{"items", std::move(items)}, {"total", list.size()}};
}

}  // namespace

void AddProofRoutes(Router& router, AppContext& app) {
  SessionGuard& guard = app.guard;
  proofs::ProofService& svc = app.proofs;
  const std::string base = svc.options().public_base_url;

  router.Get("/api/v1/proof-types", [&](Request&) -> Result<json::value> {
    ASSIGN_OR_RETURN(std::vector<proofs::ProofType> types, svc.ListTypes());
    json::array items;
    for (const proofs::ProofType& t : types) items.push_back(TypeJson(t));
    return json::object{{"items", std::move(items)}};
  });

  router.Post("/api/v1/proofs/generate", [&, base](Request& req) -> Result<json::value> {
    ASSIGN_OR_RETURN(identity::Principal actor, guard.SignedIn(req));
    ASSIGN_OR_RETURN(json::object body, ParseJsonBody(req));
    JsonReader in(body);
    std::string type = in.String("type");
    std::string purpose = in.String("purpose", false);
    RETURN_IF_ERROR(in.Finish());
    ASSIGN_OR_RETURN(proofs::Proof p, svc.Generate(actor, type, purpose));
    return ProofJson(p, base);
  });

  router.Post("/api/v1/proofs", [&, base](Request& req) -> Result<json::value> {
    ASSIGN_OR_RETURN(identity::Principal actor, guard.SignedIn(req));
    ASSIGN_OR_RETURN(json::object body, ParseJsonBody(req));
    JsonReader in(body);
    std::string type = in.String("type");
    std::string purpose = in.String("purpose", false);
    std::optional<json::object> raw_inputs = in.Object("inputs", false);
    std::map<std::string, std::string> inputs;
    if (raw_inputs) {
      for (const auto& [k, v] : *raw_inputs) {
        if (!v.is_string()) {
          in.AddError("inputs." + std::string(k), "应为字符串");
          continue;
        }
        inputs[std::string(k)] = std::string(v.as_string());
      }
    }
    RETURN_IF_ERROR(in.Finish());
    ASSIGN_OR_RETURN(proofs::Proof p, svc.Apply(actor, type, purpose, inputs));
    return ProofJson(p, base);
  });

  router.Get("/api/v1/me/proofs", [&, base](Request& req) -> Result<json::value> {
    ASSIGN_OR_RETURN(identity::Principal actor, guard.SignedIn(req));
    ASSIGN_OR_RETURN(std::vector<proofs::Proof> list, svc.Mine(actor));
    return ListJson(list, base);
  });

  router.Get("/api/v1/proofs/review", [&, base](Request& req) -> Result<json::value> {
    ASSIGN_OR_RETURN(identity::Principal actor, guard.SignedIn(req));
    ASSIGN_OR_RETURN(std::vector<proofs::Proof> list, svc.ReviewQueue(actor));
    return ListJson(list, base);
  });

  router.Get("/api/v1/proofs/search", [&, base](Request& req) -> Result<json::value> {
    ASSIGN_OR_RETURN(identity::Principal actor, guard.SignedIn(req));
    ASSIGN_OR_RETURN(
        std::vector<proofs::Proof> list,
        svc.Search(actor, req.Query("status").value_or(""), req.Query("q").value_or("")));
    return ListJson(list, base);
  });

  router.Get("/api/v1/proofs/{id}", [&, base](Request& req) -> Result<json::value> {
    ASSIGN_OR_RETURN(identity::Principal actor, guard.SignedIn(req));
    ASSIGN_OR_RETURN(proofs::Proof p, svc.Get(actor, req.PathParam("id")));
    return ProofJson(p, base);
  });

  router.Post("/api/v1/proofs/{id}/approve", [&, base](Request& req) -> Result<json::value> {
    ASSIGN_OR_RETURN(identity::Principal actor, guard.SignedIn(req));
    ASSIGN_OR_RETURN(proofs::Proof p, svc.Approve(actor, req.PathParam("id")));
    return ProofJson(p, base);
  });

  auto with_reason = [&, base](bool revoke) {
    return [&svc, &guard, base, revoke](Request& req) -> Result<json::value> {
      ASSIGN_OR_RETURN(identity::Principal actor, guard.SignedIn(req));
      ASSIGN_OR_RETURN(json::object body, ParseJsonBody(req));
      JsonReader in(body);
      std::string reason = in.String("reason", false);
      RETURN_IF_ERROR(in.Finish());
      ASSIGN_OR_RETURN(proofs::Proof p, revoke ? svc.Revoke(actor, req.PathParam("id"), reason)
                                               : svc.Reject(actor, req.PathParam("id"), reason));
      return ProofJson(p, base);
    };
  };
  router.Post("/api/v1/proofs/{id}/reject", with_reason(false));
  router.Post("/api/v1/proofs/{id}/revoke", with_reason(true));

  router.Add("GET", "/api/v1/proofs/{id}/pdf", [&](Request& req) -> Result<Response> {
    ASSIGN_OR_RETURN(identity::Principal actor, guard.SignedIn(req));
    ASSIGN_OR_RETURN(std::string pdf, svc.Pdf(actor, req.PathParam("id")));
    Response r;
    r.content_type = "application/pdf";
    r.body = std::move(pdf);
    r.SetHeader("Content-Disposition",
                "inline; filename=\"proof-" + req.PathParam("id") + ".pdf\"");
    r.SetHeader("Cache-Control", "private, no-store");
    r.SetHeader("X-Content-Type-Options", "nosniff");
    return r;
  });

  // 政务数据查询单 for staff: {subjectCode, purpose} → the sheet as JSON, or as PDF.
  if (app.data_sheets != nullptr) {
    proofs::DataSheetService& sheets = *app.data_sheets;
    auto read_request = [](Request& req, std::string& code, std::string& purpose) -> Result<void> {
      ASSIGN_OR_RETURN(json::object body, ParseJsonBody(req));
      JsonReader in(body);
      code = in.String("subjectCode", false);
      purpose = in.String("purpose", false);
      return in.Finish();
    };
    router.Post("/api/v1/data-sheets", [&, read_request](Request& req) -> Result<json::value> {
      ASSIGN_OR_RETURN(identity::Principal actor, guard.SignedIn(req));
      std::string code, purpose;
      RETURN_IF_ERROR(read_request(req, code, purpose));
      ASSIGN_OR_RETURN(proofs::DataSheet s, sheets.Build(actor, code, purpose));
      json::array rows;
      for (const proofs::DataSheetRow& r : s.rows) {
        rows.push_back(json::object{{"section", r.section},
                                    {"label", r.label},
                                    {"value", r.value},
                                    {"source", r.source},
                                    {"asOf", r.as_of}});
      }
      return json::object{{"number", s.number},
                          {"subjectKind", s.subject_kind},
                          {"subjectName", s.subject_name},
                          {"subjectCode", s.subject_code},
                          {"purpose", s.purpose},
                          {"requestedBy", s.requested_by},
                          {"requestedByDepartment", s.requested_by_department},
                          {"generatedAt", IsoTimeCst(s.generated_at_ms)},
                          {"rows", std::move(rows)}};
    });
    router.Add("POST", "/api/v1/data-sheets/pdf",
               [&, read_request](Request& req) -> Result<Response> {
                 ASSIGN_OR_RETURN(identity::Principal actor, guard.SignedIn(req));
                 std::string code, purpose;
                 RETURN_IF_ERROR(read_request(req, code, purpose));
                 ASSIGN_OR_RETURN(std::string pdf, sheets.Pdf(actor, code, purpose));
                 Response r;
                 r.content_type = "application/pdf";
                 r.body = std::move(pdf);
                 r.SetHeader("Content-Disposition", "inline; filename=\"data-sheet.pdf\"");
                 r.SetHeader("Cache-Control", "private, no-store");
                 r.SetHeader("X-Content-Type-Options", "nosniff");
                 return r;
               });
  }

  // Public: no login.
  router.Get("/api/v1/verify/proofs/{code}", [&](Request& req) -> Result<json::value> {
    ASSIGN_OR_RETURN(proofs::PublicVerification v, svc.VerifyCode(req.PathParam("code")));
    return VerificationJson(v);
  });

  router.Post("/api/v1/verify/proofs", [&](Request& req) -> Result<json::value> {
    ASSIGN_OR_RETURN(json::object body, ParseJsonBody(req));
    JsonReader in(body);
    std::string payload = in.String("payload");
    RETURN_IF_ERROR(in.Finish());
    ASSIGN_OR_RETURN(proofs::QrVerification v, svc.VerifyQr(payload));
    json::object out = VerificationJson(v.current);
    out["signatureValid"] = true;
    out["claims"] = json::object{{"code", v.claims.code},
                                 {"number", v.claims.number},
                                 {"type", v.claims.type},
                                 {"holder", v.claims.holder},
                                 {"sealId", v.claims.seal_id},
                                 {"keyId", v.claims.key_id},
                                 {"issuedAt", IsoTimeCst(v.claims.issued_at_ms)},
                                 {"validUntil", IsoTimeCst(v.claims.valid_until_ms)},
                                 {"statusIndex", v.claims.status_index}};
    return out;
  });

  router.Add("GET", "/api/v1/status-lists/{issuerId}", [&, base](Request& req) -> Result<Response> {
    ASSIGN_OR_RETURN(proofs::StatusListDoc doc, svc.StatusList(req.PathParam("issuerId")));
    const std::string id = base + "/api/v1/status-lists/" + doc.department_id;
    json::object body{
        {"@context", json::array{"https://www.w3.org/ns/credentials/v2"}},
        {"id", id},
        {"type", json::array{"VerifiableCredential", "BitstringStatusListCredential"}},
        {"issuer", json::object{{"id", doc.department_id}, {"name", doc.department_name}}},
        {"validFrom", IsoTimeCst(doc.generated_at_ms)},
        {"credentialSubject", json::object{{"id", id + "#list"},
                                           {"type", "BitstringStatusList"},
                                           {"statusPurpose", "revocation"},
                                           {"encodedList", doc.encoded_list}}},
        {"bits", doc.bits},
        {"revoked", doc.revoked}};
    Response r = JsonResponse(body);
    r.SetHeader("Cache-Control", "public, max-age=300");
    return r;
  });
}

}  // namespace onestop::http
