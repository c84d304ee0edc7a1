// Matching (数据比对) over the database: every open item (申报事项, status open, of a published
// policy, with the rule in force today) against the enterprises of a FactSource, held in memory
// (FactStore + Matcher, built lazily, thread-safe). 为我推荐 with explanations, the 试算 dry run of
// an unsaved rule, and the matching enterprises of an item for campaigns. Re-imported enterprises
// are re-matched alone (OnEnterprisesChanged). Nothing is written here.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/money.h"
#include "core/result.h"
#include "identity/principal.h"
#include "policy/fact_source.h"
#include "policy/formula.h"
#include "policy/matcher.h"
#include "policy/policy_service.h"
#include "policy/rule.h"

namespace onestop::policy {

// One open item for one enterprise (为我推荐).
struct Recommendation {
  std::string policy_id, policy_title, category;  // category code (CategoryLabel for 中文)
  std::string item_id, item_title, mode;          // mode exempt / quick
  int rule_version = 0;
  bool eligible = false;
  Explanation explanation;
  std::optional<Fen> amount_fen;  // nullopt when not eligible or the formula lacks a fact
};

// One enterprise in a dry run's sample.
struct DryRunSample {
  std::string enterprise_id;
  bool eligible = false;
  std::optional<Fen> amount_fen;
  Explanation explanation;
};

struct DryRunResult {
  std::int64_t enterprises = 0;  // in the data
  std::int64_t matching = 0;
  Fen total_fen = 0;                      // over the matches whose amount could be computed
  std::int64_t amount_missing = 0;        // matches whose formula lacks a fact (not in the total)
  bool over_budget = false;               // budget_fen > 0 and total_fen > budget_fen
  std::vector<DryRunSample> matches;      // the first `sample` matches, in data order
  std::vector<DryRunSample> non_matches;  // a few (≤ 5) that do not match, with why not
};

class MatchService {
 public:
  MatchService(PolicyService& policies, FactSource& facts, const Clock& clock);
  ~MatchService();

  // Every open item for `enterprise_id`, eligible ones first (then in item order), each with
  // its explanation and amount. An enterprise account may only ask for itself
  // (kPermissionDenied policy.not_own_enterprise); staff need parties.read.
  // kNotFound policy.no_such_enterprise.
  Result<std::vector<Recommendation>> Recommend(const identity::Principal& actor,
                                                const std::string& enterprise_id);
  // 试算 of an unsaved rule over all enterprises (catalog.manage). `sample` 0…100
  // (kInvalidArgument policy.bad_query).
  Result<DryRunResult> DryRun(const identity::Principal& actor, const Cond& cond,
                              const Formula& formula, Fen budget_fen, int sample = 10);
  // The enterprises matching an open item, in data order. kNotFound policy.item_not_open.
  Result<std::vector<std::string>> MatchingIds(const std::string& item_id);

  // Items changed (added, opened, closed, rule changed): the next call rebuilds them.
  void Invalidate();
  // Enterprise data replaced wholesale: the next call reloads every enterprise.
  void InvalidateFacts();
  // These enterprises' facts changed (an import's changed_ids): re-loads just them and
  // re-matches them against the items that read a changed fact. Unknown ids are skipped.
  Result<void> OnEnterprisesChanged(const std::vector<std::string>& ids);

 private:
  struct OpenItem {
    std::string policy_id, policy_title, category;
    Item item;
    ItemRule rule;
  };
  Result<void> EnsureItems();    // REQUIRES: mu_ held
  Result<void> EnsureStore();    // REQUIRES: mu_ held
  Result<void> EnsureMatcher();  // REQUIRES: mu_ held

  PolicyService& policies_;
  FactSource& facts_;
  const Clock& clock_;
  std::mutex mu_;
  std::optional<std::vector<OpenItem>> items_;
  std::optional<FactStore> store_;
  std::optional<Matcher> matcher_;
};

}  // namespace onestop::policy
