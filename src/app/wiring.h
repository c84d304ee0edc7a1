// Wiring: builds the object graph of one onestop process from a Config (database, audit,
// identity, calendar, HTTP router). The composition root; nothing else news up services.
#pragma once

#include <memory>
#include <string>

#include "app/config.h"
#include "audit/audit_log.h"
#include "calendar/calendar_service.h"
#include "cases/appointment_service.h"
#include "cases/blob_store.h"
#include "cases/case_service.h"
#include "catalog/catalog_service.h"
#include "http/app_routes.h"
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

namespace onestop::app {

struct PolicyServices;  // app/policy_wiring.h: 政策超市 / 免申即享 services

struct App {
  const Clock& clock;
  std::unique_ptr<store::Db> db;
  audit::AuditLog audit;
  identity::PasswordHasher hasher;
  identity::IdentityServices identity;
  calendar::CalendarService calendar;
  catalog::CatalogService catalog;         // 事项目录与一件事
  notify::InboxService inbox;              // 站内消息
  cases::BlobStore blobs;                  // uploaded materials
  cases::CaseService cases;                // 办件
  cases::AppointmentService appointments;  // 预约
  licences::ArchiveService archive;        // 电子档案 (材料复用)
  seal::SealService seals;                 // 电子印章
  proofs::ProofService proofs;             // 证明
  licences::LicenceService licences;       // 电子证照库
  proofs::DataSheetService data_sheets;    // 政务数据查询单
  licences::LicenceImporter licence_importer;
  licences::BackgroundImports licence_imports;     // uploads imported in the background
  std::unique_ptr<licences::GrantService> grants;  // 授权, 动态二维码, 扫码用证
  std::unique_ptr<PolicyServices> policy;          // 政策库, 企业数据, 匹配, 免申即享
  http::SessionGuard guard;
  std::unique_ptr<http::AppContext> context;
  http::Router router;

  // `master_key` encrypts seal private keys; when absent, config.master_key (hex) if set.
  App(const Config& config, const Clock& clock, std::unique_ptr<store::Db> db,
      identity::PasswordHasher hasher, std::optional<seal::MasterKey> master_key = std::nullopt);
  ~App();
};

// Opens the database of `config` (no migration).
Result<std::unique_ptr<store::Db>> OpenDatabase(const Config& config);

// Opens the database, applies migrations, and builds every service and the router.
// `hasher` defaults to interactive argon2id limits.
Result<std::unique_ptr<App>> BuildApp(const Config& config, const Clock& clock,
                                      std::optional<identity::PasswordHasher> hasher = {});

// The seal master key of `config`: master_key_file, else master_key (hex), else for the demo
// <dir of the SQLite file, or ./data>/master.key (created 0600 once, with a warning), else none
// (seals cannot sign; seal.no_master_key).
Result<std::optional<seal::MasterKey>> ResolveMasterKey(const Config& config);

// The web UI directory to serve: config.web_root, or else the first of ./web/dist and
// <dir of the binary>/../../web/dist that holds index.html; "" when none does.
std::string ResolveWebRoot(const Config& config);

// Where uploaded files are kept: config.uploads, or else `uploads/` beside the SQLite file, or
// ./data/uploads for PostgreSQL.
std::string ResolveUploadsDir(const Config& config);

// The program version ("0.1.0").
const char* Version();

}  // namespace onestop::app
