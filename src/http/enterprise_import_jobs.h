// Enterprise data imports in the background (企业数据导入): POST /enterprise-imports answers 202
// with the job as soon as its first batch is committed (or the import ended), while the rest
// runs on its own thread; the page polls GET /enterprise-imports/{id}. When an import ends,
// the enterprises it added or changed are re-matched (MatchService::OnEnterprisesChanged).
#pragma once

#include <list>
#include <mutex>
#include <string>
#include <thread>

#include "core/result.h"
#include "identity/principal.h"
#include "policy/enterprise_service.h"
#include "policy/match_service.h"

namespace onestop::http {

class EnterpriseImportJobs {
 public:
  // `matches` may be null (nothing to re-match).
  EnterpriseImportJobs(policy::EnterpriseService& enterprises, policy::MatchService* matches);
  ~EnterpriseImportJobs();  // waits for the running imports
  EnterpriseImportJobs(const EnterpriseImportJobs&) = delete;
  EnterpriseImportJobs& operator=(const EnterpriseImportJobs&) = delete;

  // Starts importing `data` and returns the job after its first committed batch, or the
  // finished job, or the error that stopped it before any job existed (policy.import_header,
  // policy.import_format, policy.bad_date, identity.permission_denied).
  Result<policy::EnterpriseImport> Start(const identity::Principal& actor,
                                         policy::ImportOptions options, std::string data);
  // Waits for every import started so far (tests).
  void WaitForAll();

 private:
  policy::EnterpriseService& enterprises_;
  policy::MatchService* matches_;
  std::mutex mu_;
  std::list<std::thread> threads_;
};

}  // namespace onestop::http
