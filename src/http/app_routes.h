// The whole HTTP API: every module's routes on one Router, plus /metrics, the OpenAPI document
// and the web UI. Each module's routes live in routes/<module>_routes.cc; they parse, call the
// service, encode — no rules.
#pragma once

#include <string>

#include "audit/audit_log.h"
#include "calendar/calendar_service.h"
#include "cases/appointment_service.h"
#include "cases/blob_store.h"
#include "cases/case_service.h"
#include "catalog/catalog_service.h"
#include "http/auth_middleware.h"
#include "http/router.h"
#include "identity/identity_service.h"
#include "licences/archive_service.h"
#include "licences/grant_service.h"
#include "licences/licence_import.h"
#include "licences/licence_service.h"
#include "notify/inbox_service.h"
#include "proofs/data_sheet.h"
#include "proofs/proof_service.h"
#include "seal/seal_service.h"
#include "store/db.h"

namespace onestop::policy {
class PolicyService;      // policy/policy_service.h
class EnterpriseService;  // policy/enterprise_service.h
class MatchService;       // policy/match_service.h
class CampaignService;    // policy/campaign_service.h
class LoanService;        // policy/loan_service.h
}  // namespace onestop::policy

namespace onestop::http {

class EnterpriseImportJobs;  // http/enterprise_import_jobs.h: enterprise imports in the background

struct AppContext {
  store::Db& db;
  const Clock& clock;
  const audit::AuditLog& audit;
  identity::IdentityServices& identity;
  calendar::CalendarService& calendar;
  catalog::CatalogService& catalog;
  notify::InboxService& inbox;
  cases::CaseService& cases;
  cases::BlobStore& blobs;
  SessionGuard& guard;
  cases::AppointmentService& appointments;  // 预约
  seal::SealService& seals;                 // 电子印章
  proofs::ProofService& proofs;             // 证明
  licences::LicenceService& licences;       // 电子证照库
  licences::BackgroundImports& licence_imports;
  std::string version;                              // build version for /healthz
  std::string web_root;                             // built web UI (web/dist); "" = no UI
  licences::ArchiveService* archive = nullptr;      // 电子档案 (routes skipped when null)
  licences::GrantService* grants = nullptr;         // 授权 / 扫码用证 (503 when null)
  proofs::DataSheetService* data_sheets = nullptr;  // 政务数据查询单 (routes skipped when null)
  // 政策超市 / 免申即享 (each group of routes is skipped when its service is null).
  policy::PolicyService* policies = nullptr;         // 政策库
  policy::EnterpriseService* enterprises = nullptr;  // 企业数据
  policy::MatchService* matches = nullptr;           // 为我推荐, 试算
  policy::CampaignService* campaigns = nullptr;      // 免申即享 campaigns, offers, payments
  policy::LoanService* loans = nullptr;              // 融资一件事
  EnterpriseImportJobs* enterprise_imports = nullptr;
};

void AddSystemRoutes(Router& router, AppContext& app);
void AddIdentityRoutes(Router& router, AppContext& app);
void AddCalendarRoutes(Router& router, AppContext& app);
void AddAuditRoutes(Router& router, AppContext& app);
void AddCatalogRoutes(Router& router, AppContext& app);
void AddCasesRoutes(Router& router, AppContext& app);
void AddNotifyRoutes(Router& router, AppContext& app);
void AddAppointmentsRoutes(Router& router, AppContext& app);
void AddSealRoutes(Router& router, AppContext& app);
void AddProofRoutes(Router& router, AppContext& app);
void AddLicenceRoutes(Router& router, AppContext& app);

void AddArchiveRoutes(Router& router, AppContext& app);  // 电子档案 / 材料复用
void AddConsentRoutes(Router& router, AppContext& app);  // 授权, 动态二维码, 扫码用证
void AddPolicyRoutes(Router& router, AppContext& app);   // 政策库, 规则, 试算
void AddEnterpriseFactRoutes(Router& router, AppContext& app);  // 企业数据导入, 为我推荐
void AddCampaignRoutes(Router& router, AppContext& app);  // 免申即享, 公示, 快申快享
void AddLoanRoutes(Router& router, AppContext& app);      // 融资一件事: products, requests

// All of the above, and the web UI as the fallback.
void AddAllRoutes(Router& router, AppContext& app);

// The OpenAPI document served at /api/v1/openapi.json (docs/openapi.json, embedded).
const std::string& OpenApiDocument();

}  // namespace onestop::http
