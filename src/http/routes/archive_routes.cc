// Archive routes (个人电子档案, 材料复用 / 减证办): the holder's own archive and material list, a
// party's archive for a clerk, checking an original (C → B) and reusing an archived file in a
// case. Shapes are in docs/openapi.json and docs/API.md ("Archive"); rules live in
// licences::ArchiveService.
#include <boost/json.hpp>

#include "catalog/catalog_json.h"
#include "http/app_routes.h"
#include "http/json_util.h"
#include "licences/archive_service.h"

namespace onestop::http {
namespace json = boost::json;
using licences::ArchiveItem;

namespace {

json::value OptText(const std::optional<std::string>& s) {
  return s ? json::value(*s) : json::value(nullptr);
}

json::object ArchiveItemJson(const ArchiveItem& a) {
  return {{"id", a.id},
          {"holderPartyId", a.holder_party_id},
          {"holderKind", a.holder_kind},
          {"materialKey", a.material_key},
          {"name", a.name},
          {"blobSha256", a.blob_sha256},
          {"fileName", a.file_name},
          {"contentType", a.content_type},
          {"size", a.size},
          {"trustLevel", licences::TrustLevelCode(a.trust)},
          {"trustLevelName", licences::TrustLevelName(a.trust)},
          {"sourceCaseId", a.source_case_id},
          {"sourceCaseTitle", a.source_case_title},
          {"licenceIdentifier", OptText(a.licence_identifier)},
          {"verifiedBy", OptText(a.verified_by_name)},
          {"verifiedAt",
           a.verified_at_ms ? json::value(IsoTimeCst(*a.verified_at_ms)) : json::value(nullptr)},
          {"reuseCount", a.reuse_count},
          {"createdAt", IsoTimeCst(a.created_at_ms)},
          {"version", a.version}};
}

json::object ItemsJson(const std::vector<ArchiveItem>& items) {
  json::array out;
  for (const ArchiveItem& a : items) out.push_back(ArchiveItemJson(a));
  return {{"items", std::move(out)}};
}

json::object MaterialListJson(const licences::PersonalMaterialList& list) {
  json::array materials;
  for (const licences::PersonalMaterial& m : list.materials) {
    json::array archived;
    for (const ArchiveItem& a : m.archived) archived.push_back(ArchiveItemJson(a));
    json::array items;
    for (const std::string& code : m.item_codes) items.emplace_back(code);
    json::object o{{"key", m.material.key},
                   {"name", m.material.name},
                   {"need", catalog::MaterialNeedCode(m.material.need)},
                   {"licenceType", m.material.licence_type},
                   {"itemCodes", std::move(items)},
                   {"provision", licences::ProvisionCode(m.provision)},
                   {"note", m.note},
                   {"uploadRequired", m.provision == licences::Provision::kUpload},
                   {"archived", std::move(archived)}};
    if (m.provision == licences::Provision::kLicence) {
      o["licence"] = json::object{{"identifier", m.licence_identifier}, {"name", m.licence_name}};
    }
    materials.push_back(std::move(o));
  }
  return {{"materials", std::move(materials)},
          {"byLicence", list.by_licence},
          {"fromArchive", list.from_archive},
          {"toUpload", list.to_upload}};
}

}  // namespace

void AddArchiveRoutes(Router& router, AppContext& app) {
  if (app.archive == nullptr) return;
  licences::ArchiveService& svc = *app.archive;
  SessionGuard& guard = app.guard;

  router.Get("/api/v1/me/archive", [&](Request& req) -> Result<json::value> {
    ASSIGN_OR_RETURN(identity::Principal actor, guard.SignedIn(req));
    ASSIGN_OR_RETURN(std::vector<ArchiveItem> items, svc.Mine(actor));
    return ItemsJson(items);
  });

  router.Post("/api/v1/me/material-list", [&](Request& req) -> Result<json::value> {
    ASSIGN_OR_RETURN(identity::Principal actor, guard.SignedIn(req));
    ASSIGN_OR_RETURN(json::object body, ParseJsonBody(req));
    JsonReader in(body);
    const std::string kind = in.String("kind");
    const std::string code = in.String("code");
    catalog::Answers answers;
    if (const json::value* a = body.if_contains("answers"); a != nullptr && !a->is_null()) {
      Result<catalog::Answers> parsed = catalog::AnswersFromJson(*a);
      if (parsed.has_value()) {
        answers = *std::move(parsed);
      } else {
        in.AddError("answers", "应为对象：情形编码 → 选项编码");
      }
    }
    RETURN_IF_ERROR(in.Finish());
    ASSIGN_OR_RETURN(licences::PersonalMaterialList list,
                     svc.MaterialList(actor, kind, code, answers));
    return MaterialListJson(list);
  });

  router.Get("/api/v1/parties/{id}/archive", [&](Request& req) -> Result<json::value> {
    ASSIGN_OR_RETURN(identity::Principal actor, guard.SignedIn(req));
    ASSIGN_OR_RETURN(std::vector<ArchiveItem> items, svc.OfParty(actor, req.PathParam("id")));
    return ItemsJson(items);
  });

  router.Post("/api/v1/archive/{id}/verify-original", [&](Request& req) -> Result<json::value> {
    ASSIGN_OR_RETURN(identity::Principal actor, guard.SignedIn(req));
    ASSIGN_OR_RETURN(ArchiveItem item, svc.VerifyOriginal(actor, req.PathParam("id")));
    return ArchiveItemJson(item);
  });

  router.Post("/api/v1/cases/{id}/reuse", [&](Request& req) -> Result<json::value> {
    ASSIGN_OR_RETURN(identity::Principal actor, guard.SignedIn(req));
    ASSIGN_OR_RETURN(json::object body, ParseJsonBody(req));
    JsonReader in(body);
    licences::ReuseInput r;
    r.case_id = req.PathParam("id");
    r.archive_id = in.String("archiveId");
    r.material_key = in.String("materialKey");
    RETURN_IF_ERROR(in.Finish());
    ASSIGN_OR_RETURN(cases::Case c, svc.Reuse(actor, r));
    json::object material;
    for (const cases::CaseMaterial& m : c.materials) {
      if (m.key != r.material_key) continue;
      material = {{"key", m.key},
                  {"name", m.name},
                  {"status", m.status},
                  {"blobSha256", m.blob_sha256},
                  {"fileName", m.file_name},
                  {"contentType", m.content_type},
                  {"size", m.size}};
    }
    return json::object{{"caseId", c.id},
                        {"caseVersion", c.version},
                        {"status", cases::CaseStatusCode(c.status)},
                        {"archiveId", r.archive_id},
                        {"material", std::move(material)}};
  });

  // 减证办: the applicant's own valid licences stand in for the materials the case still lacks.
  router.Post("/api/v1/cases/{id}/use-licences", [&](Request& req) -> Result<json::value> {
    ASSIGN_OR_RETURN(identity::Principal actor, guard.SignedIn(req));
    ASSIGN_OR_RETURN(licences::ArchiveService::LicencesUsed used,
                     svc.UseLicences(actor, req.PathParam("id")));
    json::array materials;
    for (const cases::CaseMaterial& m : used.c.materials) {
      materials.push_back(json::object{{"key", m.key},
                                       {"name", m.name},
                                       {"status", m.status},
                                       {"fileName", m.file_name},
                                       {"contentType", m.content_type}});
    }
    return json::object{{"caseId", used.c.id},
                        {"caseVersion", used.c.version},
                        {"status", cases::CaseStatusCode(used.c.status)},
                        {"provided", json::value_from(used.material_keys)},
                        {"materials", std::move(materials)}};
  });
}

}  // namespace onestop::http
