#include "http/enterprise_import_jobs.h"

#include <spdlog/spdlog.h>

#include <condition_variable>
#include <memory>
#include <optional>
#include <sstream>

namespace onestop::http {

namespace {
struct FirstAnswer {
  std::mutex mu;
  std::condition_variable cv;
  std::optional<Result<policy::EnterpriseImport>> answer;

  void Set(Result<policy::EnterpriseImport> r) {
    std::lock_guard lock(mu);
    if (answer.has_value()) return;
    answer.emplace(std::move(r));
    cv.notify_all();
  }
};
}  // namespace

EnterpriseImportJobs::EnterpriseImportJobs(policy::EnterpriseService& enterprises,
                                           policy::MatchService* matches)
    : enterprises_(enterprises), matches_(matches) {}

EnterpriseImportJobs::~EnterpriseImportJobs() { WaitForAll(); }

Result<policy::EnterpriseImport> EnterpriseImportJobs::Start(const identity::Principal& actor,
                                                             policy::ImportOptions options,
                                                             std::string data) {
  auto first = std::make_shared<FirstAnswer>();
  options.on_progress = [first](const policy::EnterpriseImport& job) { first->Set(job); };
  std::thread worker(
      [this, first, actor, options = std::move(options), data = std::move(data)]() mutable {
        std::istringstream in(std::move(data));
        Result<policy::ImportReport> report = enterprises_.Import(actor, in, options);
        if (report.has_value() && matches_ != nullptr && !report->changed_ids.empty()) {
          Result<void> rematched = matches_->OnEnterprisesChanged(report->changed_ids);
          if (!rematched.has_value()) {
            spdlog::warn("企业数据导入 {} 后重新匹配失败：{}", report->job.id,
                         rematched.error().message);
            matches_->InvalidateFacts();
          }
        }
        if (report.has_value()) {
          first->Set(report->job);
        } else {
          first->Set(report.error());
        }
      });
  {
    std::lock_guard lock(mu_);
    threads_.push_back(std::move(worker));
  }
  std::unique_lock lock(first->mu);
  first->cv.wait(lock, [&] { return first->answer.has_value(); });
  return *first->answer;
}

void EnterpriseImportJobs::WaitForAll() {
  std::list<std::thread> threads;
  {
    std::lock_guard lock(mu_);
    threads.swap(threads_);
  }
  for (std::thread& t : threads) {
    if (t.joinable()) t.join();
  }
}

}  // namespace onestop::http
