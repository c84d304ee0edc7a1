// The 政策超市 / 免申即享 part of the object graph (app::App::policy): the policy library and,
// as they are built, the enterprise fact store, the matcher service and campaigns. Kept out of
// wiring.h so adding a service here recompiles only wiring.cc, the demo and the tests that use it.
#pragma once

#include "audit/audit_log.h"
#include "core/clock.h"
#include "http/enterprise_import_jobs.h"
#include "policy/campaign_service.h"
#include "policy/enterprise_service.h"
#include "policy/loan_service.h"
#include "policy/match_service.h"
#include "policy/policy_service.h"
#include "store/db.h"

namespace onestop::app {

struct PolicyServices {
  PolicyServices(store::Db& db, const Clock& clock, const audit::AuditLog& audit);

  policy::PolicyService policies;         // 政策库
  policy::EnterpriseService enterprises;  // 企业数据 (the matcher's FactSource)
  policy::MatchService matches;           // 为我推荐, 试算, 数据比对
  policy::CampaignService campaigns;      // 免申即享 campaigns, 快申快享, payments, 公示
  policy::LoanService loans;              // 融资一件事: loan products and requests
  http::EnterpriseImportJobs enterprise_imports;  // last: its threads end first
};

}  // namespace onestop::app
