// Licence routes (电子证照库): the licence type catalogue, issuing and changing licences
// (licences.issue), the holder's own licences, public verification (no login), the signed bytes
// for `openssl`, and bulk imports running in the background with their progress.
#include <boost/json.hpp>

#include "http/app_routes.h"
#include "http/json_util.h"
#include "licences/licence_import.h"
#include "licences/licence_service.h"

namespace onestop::http {
namespace json = boost::json;
using namespace onestop::licences;  // NOLINT: the route file of this module

namespace {

json::object TypeJson(const LicenceType& t) {
  json::array fields;
  for (const FaceField& f : t.face_fields) {
    fields.push_back(json::object{{"key", f.key},
                                  {"label", f.label},
                                  {"type", FieldTypeCode(f.type)},
                                  {"required", f.required}});
  }
  json::array items(t.item_codes.begin(), t.item_codes.end());
  json::array materials(t.material_keys.begin(), t.material_keys.end());
  return {{"code", t.code},
          {"name", t.name},
          {"definerName", t.definer_name},
          {"holderType", HolderTypeCode(t.holder_type)},
          {"holderTypeName", HolderTypeName(t.holder_type)},
          {"faceFields", std::move(fields)},
          {"validityYears", t.validity_years},
          {"issuingDepartmentId", t.issuing_department_id},
          {"issuingDepartmentName", t.issuing_department_name},
          {"issuerUscc", t.issuer_uscc},
          {"itemCodes", std::move(items)},
          {"materialKeys", std::move(materials)},
          {"version", t.version}};
}

json::value OptJson(const std::optional<std::string>& v) {
  return v ? json::value(*v) : json::value(nullptr);
}

json::object LicenceJson(const Licence& l) {
  return {{"identifier", l.identifier},
          {"name", l.name},
          {"typeCode", l.type_code},
          {"typeName", l.type_name},
          {"number", l.number},
          {"version", l.version},
          {"issuerName", l.issuer_name},
          {"issuerUscc", l.issuer_uscc},
          {"issuingDepartmentId", l.issuing_department_id},
          {"issueDate", l.issue_date},
          {"validFrom", l.valid_from},
          {"validTo", l.valid_to},
          {"regionCode", l.region_code},
          {"holderName", l.holder_name},
          {"holderCode", l.holder_code},
          {"holderCodeType", HolderTypeCode(l.holder_type)},
          {"itemCode", l.item_code},
          {"itemName", l.item_name},
          {"face", l.face},
          {"status", LicenceStatusCode(l.status)},
          {"statusName", LicenceStatusName(l.status)},
          {"statusReason", l.status_reason},
          {"previousIdentifier", OptJson(l.previous_identifier)},
          {"supersededBy", OptJson(l.superseded_by)},
          {"caseId", OptJson(l.case_id)},
          {"signature",
           {{"sealId", l.seal_id},
            {"keyId", l.key_id},
            {"alg", l.sign_alg},
            {"value", l.signature_b64},
            {"signedAt", IsoTimeCst(l.signed_at_ms)}}}};
}

json::object VerificationJson(const Verification& v) {
  json::object o{{"result", VerifyResultCode(v.result)},
                 {"resultName", VerifyResultName(v.result)},
                 {"message", v.message},
                 {"checkedAt", IsoTimeCst(v.checked_at_ms)},
                 {"licence", nullptr},
                 {"seal", nullptr}};
  if (v.licence) {
    const LicenceSummary& s = *v.licence;
    o["licence"] = json::object{{"identifier", s.identifier},
                                {"name", s.name},
                                {"typeCode", s.type_code},
                                {"number", s.number},
                                {"version", s.version},
                                {"issuerName", s.issuer_name},
                                {"issuerUscc", s.issuer_uscc},
                                {"issueDate", s.issue_date},
                                {"validFrom", s.valid_from},
                                {"validTo", s.valid_to},
                                {"regionCode", s.region_code},
                                {"holderName", s.holder_name_masked},
                                {"holderCode", s.holder_code_masked},
                                {"holderCodeType", HolderTypeCode(s.holder_type)},
                                {"status", LicenceStatusCode(s.status)},
                                {"supersededBy", OptJson(s.superseded_by)}};
  }
  if (v.seal) {
    o["seal"] = json::object{{"sealId", v.seal->seal_id},
                             {"sealName", v.seal->seal_name},
                             {"departmentName", v.seal->department_name},
                             {"keyId", v.seal->key_id},
                             {"alg", v.seal->alg},
                             {"publicKeyPem", v.seal->public_key_pem}};
  }
  return o;
}

json::object JobJson(const ImportJob& j) {
  json::array errors;
  for (const ImportRowError& e : j.errors) {
    errors.push_back(json::object{{"line", e.line}, {"field", e.field}, {"message", e.message}});
  }
  double percent = j.state == "done"   ? 100.0
                   : j.total_bytes > 0 ? 100.0 * static_cast<double>(j.committed_bytes) /
                                             static_cast<double>(j.total_bytes)
                                       : 0.0;
  return {{"id", j.id},
          {"typeCode", j.type_code},
          {"departmentId", j.department_id},
          {"fileName", j.file_name},
          {"format", j.format == ImportFormat::kCsv ? "csv" : "jsonl"},
          {"state", j.state},
          {"rowsRead", j.rows_read},
          {"imported", j.imported},
          {"failed", j.failed},
          {"lastCommittedLine", j.last_committed_line},
          {"totalBytes", j.total_bytes},
          {"committedBytes", j.committed_bytes},
          {"percent", percent},
          {"failure", j.failure},
          {"errors", std::move(errors)},
          {"startedAt", IsoTimeCst(j.started_at_ms)},
          {"updatedAt", IsoTimeCst(j.updated_at_ms)}};
}

// A licence type from a request body (code from the path on PUT).
Result<LicenceType> TypeFrom(const json::object& body, std::optional<std::string> code) {
  JsonReader in(body);
  LicenceType t;
  t.code = code ? *code : in.String("code");
  t.name = in.String("name");
  t.definer_name = in.String("definerName");
  const std::string holder = in.String("holderType");
  t.validity_years = static_cast<int>(in.Int("validityYears", false, 0, 100, 0));
  t.issuing_department_id = in.String("issuingDepartmentId");
  t.issuer_uscc = in.String("issuerUscc");
  t.item_codes = in.StringList("itemCodes", false);
  t.material_keys = in.StringList("materialKeys", false);
  if (code) t.version = in.Int("version", true, 1);
  std::vector<std::string> field_types;
  const json::value* fields = body.if_contains("faceFields");
  if (fields == nullptr || !fields->is_array()) {
    in.AddError("faceFields", "应为照面字段数组");
  } else {
    std::size_t i = 0;
    for (const json::value& v : fields->as_array()) {
      const std::string base = "faceFields[" + std::to_string(i++) + "].";
      if (!v.is_object()) {
        in.AddError(base.substr(0, base.size() - 1), "应为对象");
        continue;
      }
      JsonReader f(v.as_object(), base);
      FaceField ff;
      ff.key = f.String("key");
      ff.label = f.String("label");
      const std::string type = f.String("type");
      ff.required = f.Bool("required", false);
      for (const FieldError& e : f.errors()) in.AddError(e.field, e.message);
      Result<FieldType> ft = ParseFieldType(type);
      if (!type.empty() && !ft.has_value()) in.AddError(base + "type", ft.error().message);
      if (ft.has_value()) ff.type = *ft;
      t.face_fields.push_back(std::move(ff));
    }
  }
  RETURN_IF_ERROR(in.Finish());
  ASSIGN_OR_RETURN(t.holder_type, ParseHolderType(holder));
  return t;
}

// The uploaded file: a raw body, or the first file part of a multipart/form-data body.
Result<std::string> UploadedFile(const Request& req, std::string& file_name) {
  const std::string type = req.Header("Content-Type");
  if (type.rfind("multipart/form-data", 0) != 0) return req.body;
  std::size_t b = type.find("boundary=");
  if (b == std::string::npos) {
    return InvalidArgument("licences.bad_upload", "multipart 请求缺少 boundary");
  }
  std::string boundary = type.substr(b + 9);
  if (!boundary.empty() && boundary.front() == '"')
    boundary = boundary.substr(1, boundary.size() - 2);
  const std::string delim = "--" + boundary;
  std::size_t pos = 0;
  while ((pos = req.body.find(delim, pos)) != std::string::npos) {
    pos += delim.size();
    std::size_t head_end = req.body.find("\r\n\r\n", pos);
    if (head_end == std::string::npos) break;
    const std::string head = req.body.substr(pos, head_end - pos);
    std::size_t fn = head.find("filename=\"");
    std::size_t next = req.body.find("\r\n" + delim, head_end + 4);
    if (next == std::string::npos) break;
    if (fn != std::string::npos) {
      std::size_t fn_end = head.find('"', fn + 10);
      if (file_name.empty() && fn_end != std::string::npos) {
        file_name = head.substr(fn + 10, fn_end - fn - 10);
      }
      return req.body.substr(head_end + 4, next - head_end - 4);
    }
    pos = next;
  }
  return InvalidArgument("licences.bad_upload", "multipart 请求中没有文件");
}

}  // namespace

void AddLicenceRoutes(Router& router, AppContext& app) {
  SessionGuard& guard = app.guard;
  LicenceService& svc = app.licences;
  BackgroundImports& imports = app.licence_imports;

  router.Get("/api/v1/licence-types", [&](Request& req) -> Result<json::value> {
    ASSIGN_OR_RETURN(identity::Principal actor, guard.SignedIn(req));
    ASSIGN_OR_RETURN(std::vector<LicenceType> types, svc.ListTypes(actor));
    json::array items;
    for (const LicenceType& t : types) items.push_back(TypeJson(t));
    return json::object{{"items", std::move(items)}};
  });

  router.Get("/api/v1/licence-types/{code}", [&](Request& req) -> Result<json::value> {
    ASSIGN_OR_RETURN(identity::Principal actor, guard.SignedIn(req));
    ASSIGN_OR_RETURN(LicenceType t, svc.GetType(actor, req.PathParam("code")));
    return TypeJson(t);
  });

  router.Post("/api/v1/licence-types", [&](Request& req) -> Result<json::value> {
    ASSIGN_OR_RETURN(identity::Principal actor, guard.SignedIn(req));
    ASSIGN_OR_RETURN(json::object body, ParseJsonBody(req));
    ASSIGN_OR_RETURN(LicenceType t, TypeFrom(body, std::nullopt));
    ASSIGN_OR_RETURN(LicenceType made, svc.CreateType(actor, t));
    return TypeJson(made);
  });

  router.Put("/api/v1/licence-types/{code}", [&](Request& req) -> Result<json::value> {
    ASSIGN_OR_RETURN(identity::Principal actor, guard.SignedIn(req));
    ASSIGN_OR_RETURN(json::object body, ParseJsonBody(req));
    ASSIGN_OR_RETURN(LicenceType t, TypeFrom(body, req.PathParam("code")));
    ASSIGN_OR_RETURN(LicenceType saved, svc.UpdateType(actor, t));
    return TypeJson(saved);
  });

  router.Get("/api/v1/licences", [&](Request& req) -> Result<json::value> {
    ASSIGN_OR_RETURN(identity::Principal actor, guard.SignedIn(req));
    ASSIGN_OR_RETURN(Page page, ParsePage(req));
    LicenceFilter f;
    f.offset = page.offset();
    f.limit = page.page_size;
    f.type_code = req.Query("typeCode").value_or("");
    f.holder_code = req.Query("holderCode").value_or("");
    f.q = req.Query("q").value_or("");
    f.include_superseded = req.Query("includeSuperseded").value_or("") == "true";
    const std::string status = req.Query("status").value_or("");
    if (!status.empty()) {
      ASSIGN_OR_RETURN(f.status, ParseLicenceStatus(status));
    }
    ASSIGN_OR_RETURN(LicencePage p, svc.List(actor, f));
    json::array items;
    for (const Licence& l : p.items) items.push_back(LicenceJson(l));
    return json::object{{"items", std::move(items)},
                        {"total", p.total},
                        {"page", page.page},
                        {"pageSize", page.page_size}};
  });

  router.Post("/api/v1/licences", [&](Request& req) -> Result<json::value> {
    ASSIGN_OR_RETURN(identity::Principal actor, guard.SignedIn(req));
    ASSIGN_OR_RETURN(json::object body, ParseJsonBody(req));
    JsonReader in(body);
    NewLicence n;
    n.type_code = in.String("typeCode");
    n.holder_name = in.String("holderName");
    n.holder_code = in.String("holderCode");
    n.number = in.String("number", false);
    n.issue_date = in.String("issueDate", false);
    n.valid_from = in.String("validFrom", false);
    n.valid_to = in.String("validTo", false);
    n.region_code = in.String("regionCode", false);
    n.item_code = in.String("itemCode", false);
    n.item_name = in.String("itemName", false);
    std::optional<json::object> face = in.Object("face");
    RETURN_IF_ERROR(in.Finish());
    if (face) n.face = *face;
    ASSIGN_OR_RETURN(Licence l, svc.Issue(actor, n));
    return LicenceJson(l);
  });

  router.Get("/api/v1/licences/{identifier}", [&](Request& req) -> Result<json::value> {
    ASSIGN_OR_RETURN(identity::Principal actor, guard.SignedIn(req));
    ASSIGN_OR_RETURN(Licence l, svc.Get(actor, req.PathParam("identifier")));
    return LicenceJson(l);
  });

  router.Post("/api/v1/licences/{identifier}/status", [&](Request& req) -> Result<json::value> {
    ASSIGN_OR_RETURN(identity::Principal actor, guard.SignedIn(req));
    ASSIGN_OR_RETURN(json::object body, ParseJsonBody(req));
    JsonReader in(body);
    const std::string status = in.String("status");
    const std::string reason = in.String("reason");
    RETURN_IF_ERROR(in.Finish());
    ASSIGN_OR_RETURN(LicenceStatus to, ParseLicenceStatus(status));
    ASSIGN_OR_RETURN(Licence l, svc.ChangeStatus(actor, req.PathParam("identifier"), to, reason));
    return LicenceJson(l);
  });

  router.Post("/api/v1/licences/{identifier}/versions", [&](Request& req) -> Result<json::value> {
    ASSIGN_OR_RETURN(identity::Principal actor, guard.SignedIn(req));
    ASSIGN_OR_RETURN(json::object body, ParseJsonBody(req));
    JsonReader in(body);
    LicenceChange c;
    c.face = in.Object("face", false);
    c.holder_name = in.OptString("holderName");
    c.valid_to = in.OptString("validTo");
    c.reason = in.String("reason");
    RETURN_IF_ERROR(in.Finish());
    ASSIGN_OR_RETURN(Licence l, svc.NewVersion(actor, req.PathParam("identifier"), c));
    return LicenceJson(l);
  });

  // Public: anyone may check a licence by its identifier (QR code, verification page).
  router.Get("/api/v1/licences/{identifier}/verify", [&](Request& req) -> Result<json::value> {
    ASSIGN_OR_RETURN(Verification v, svc.Verify(req.PathParam("identifier")));
    return VerificationJson(v);
  });

  // The exact signed bytes (RFC 8785 JSON) for `openssl` (docs/SEALS.md).
  router.Add("GET", "/api/v1/licences/{identifier}/signed", [&](Request& req) -> Result<Response> {
    ASSIGN_OR_RETURN(identity::Principal actor, guard.SignedIn(req));
    ASSIGN_OR_RETURN(std::string bytes, svc.SignedBytes(actor, req.PathParam("identifier")));
    Response r;
    r.content_type = "application/json; charset=utf-8";
    r.SetHeader("Content-Disposition", "attachment; filename=\"licence.json\"");
    r.body = std::move(bytes);
    return r;
  });

  router.Get("/api/v1/me/licences", [&](Request& req) -> Result<json::value> {
    ASSIGN_OR_RETURN(identity::Principal actor, guard.SignedIn(req));
    const bool all = req.Query("all").value_or("") == "true";
    ASSIGN_OR_RETURN(std::vector<Licence> mine, svc.Mine(actor, !all));
    json::array items;
    for (const Licence& l : mine) items.push_back(LicenceJson(l));
    return json::object{{"items", std::move(items)}};
  });

  // Bulk import: the file as the raw body or a multipart file part; parameters in the query.
  router.Add("POST", "/api/v1/licence-imports", [&](Request& req) -> Result<Response> {
    ASSIGN_OR_RETURN(identity::Principal actor, guard.SignedIn(req));
    ASSIGN_OR_RETURN(std::string type_code, QueryRequired(req, "typeCode"));
    std::string department = req.Query("departmentId").value_or(actor.department_id.value_or(""));
    ASSIGN_OR_RETURN(ImportFormat format, ParseImportFormat(req.Query("format").value_or("csv")));
    std::string file_name = req.Query("fileName").value_or("");
    ASSIGN_OR_RETURN(std::string data, UploadedFile(req, file_name));
    ASSIGN_OR_RETURN(ImportJob job, imports.Start(actor, type_code, department, format, file_name,
                                                  std::move(data)));
    return JsonResponse(JobJson(job), 201);
  });

  router.Get("/api/v1/licence-imports/{id}", [&](Request& req) -> Result<json::value> {
    ASSIGN_OR_RETURN(identity::Principal actor, guard.SignedIn(req));
    ASSIGN_OR_RETURN(ImportJob job, imports.importer().Get(actor, req.PathParam("id")));
    return JobJson(job);
  });
}

}  // namespace onestop::http
