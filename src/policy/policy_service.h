// The policy library (政策库): policies with their 文号, issuer, level, dates, category, tags and
// full text; their declarable items (申报事项) with mode, budget, window and publicity period; and
// each item's eligibility rule and benefit formula, versioned by effective date (a new
// policy_item_rule row per change, older ones kept). Editing needs catalog.manage over the
// policy's department; published (and retired) policies are public. Every change is audited in
// its transaction. Tables: policy, policy_item, policy_item_rule, policy_fts (migration 0015).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "audit/audit_log.h"
#include "core/clock.h"
#include "core/result.h"
#include "identity/principal.h"
#include "policy/formula.h"
#include "policy/rule.h"
#include "store/db.h"

namespace onestop::policy {

inline constexpr std::size_t kMaxTitleChars = 200;
inline constexpr std::size_t kMaxDocNoChars = 60;
inline constexpr std::size_t kMaxIssuerChars = 100;
inline constexpr std::size_t kMaxTagChars = 20;
inline constexpr std::size_t kMaxTags = 20;
inline constexpr int kMaxPublicityDays = 90;

// What a policy author writes (Create / Update). Dates are "YYYY-MM-DD" or "" (not set).
struct PolicyInput {
  std::string title;
  std::string doc_no;  // 文号, free text, ≤ 60 characters
  std::string issuer;  // 发文机关
  std::string level;   // central 中央 / province 省 / city 市 / county 县
  std::string published_on, effective_on, expires_on;  // effective ≤ expires when both set
  std::string category;  // tax 税收优惠 / cost 降本增效 / grant 资金奖补 / finance 金融支持 /
                         // factor 要素保障
  std::vector<std::string> tags;
  std::string full_text;
  std::string department_id;  // 责任部门
};

struct Policy : PolicyInput {
  std::string id;
  std::string status;  // draft / published / retired
  std::int64_t version = 0;
  Millis created_at_ms = 0, updated_at_ms = 0;
};

// Chinese names of the codes: "省级", "资金奖补", "草稿" … ("" for an unknown code).
std::string_view LevelLabel(std::string_view level);
std::string_view CategoryLabel(std::string_view category);
std::string_view PolicyStatusLabel(std::string_view status);

struct PolicyQuery {
  std::string text;  // substring of the title or full text, any case; "" = all
  std::string category, level, department_id, tag;  // "" = any
  bool open_only =
      false;  // in force today (service clock, China time): effective ≤ today ≤ expires
  // Drafts and retired policies too (catalog.manage); otherwise only published ones.
  bool include_unpublished = false;
  int offset = 0;
  int limit = 20;  // 1…100
};

struct PolicyPage {
  std::vector<Policy> items;  // newest published_on first, then id
  std::int64_t total = 0;
};

// A declarable item as written. The rule is given either as neutral JSON (rule_json) or as the
// text form (rule_text), the formula as text (formula_text) or JSON (formula_json); exactly one
// of each when creating. On UpdateItem, both empty keeps the current rule / formula; giving
// either one stores a new rule version effective from `effective_from` ("" = today).
struct ItemInput {
  std::string title;
  std::string mode;  // exempt 免申即享 / quick 快申快享
  std::int64_t budget_fen = 0;
  std::string window_from, window_to;  // 申报期, "" = open-ended
  int publicity_days = 0;              // 公示天数, 0…90
  std::string department_id;           // "" = the policy's department
  std::string status = "draft";        // draft / open / closed
  std::string rule_json, rule_text;
  std::string formula_text, formula_json;
  std::string effective_from;
};

struct Item {
  std::string id, policy_id, title, mode;
  std::int64_t budget_fen = 0;
  std::string window_from, window_to;
  int publicity_days = 0;
  std::string department_id, status;
  std::int64_t version = 0;
  Millis created_at_ms = 0, updated_at_ms = 0;
};

// One version of an item's rule and formula.
struct ItemRule {
  std::string item_id;
  int version = 0;
  Cond cond;
  Formula formula;
  std::string cond_json, formula_json;  // as stored
  std::string effective_from;
  std::string created_by;
  Millis created_at_ms = 0;
};

class PolicyService {
 public:
  PolicyService(store::Db& db, const Clock& clock, const audit::AuditLog& audit,
                FactSchema schema = FactSchema::Default());

  // A new draft (catalog.manage in scope of its department). kInvalidArgument
  // policy.invalid_policy with one field error per bad field (title, docNo, issuer, level,
  // category, publishedOn, effectiveOn, expiresOn, tags, department); kNotFound
  // policy.no_such_department.
  Result<Policy> Create(const identity::Principal& actor, const PolicyInput& input);
  // Replaces the fields of a draft or published policy. kAborted store.version_conflict when
  // `expected_version` is not the current one; kFailedPrecondition policy.retired.
  Result<Policy> Update(const identity::Principal& actor, const std::string& id,
                        const PolicyInput& input, std::int64_t expected_version);
  // draft → published (published_on defaults to today). kFailedPrecondition policy.not_draft.
  Result<Policy> Publish(const identity::Principal& actor, const std::string& id);
  // published → retired. kFailedPrecondition policy.not_published.
  Result<Policy> Retire(const identity::Principal& actor, const std::string& id);
  // A published or retired policy (public); a draft needs catalog.manage in scope.
  // kNotFound policy.not_found (also for a draft the actor may not see).
  Result<Policy> Get(const identity::Principal& actor, const std::string& id);
  // kInvalidArgument policy.bad_query (unknown category / level, limit outside 1…100);
  // include_unpublished needs catalog.manage.
  Result<PolicyPage> Search(const identity::Principal& actor, const PolicyQuery& query);

  // A new item of policy `policy_id` with rule version 1. kInvalidArgument policy.invalid_item
  // (field errors: title, mode, budgetFen, windowFrom, windowTo, publicityDays, status,
  // effectiveFrom, rule, formula); the rule and formula errors of rule.h / formula.h keep
  // their reasons (policy.rule_syntax, policy.unknown_fact …) with field "rule" / "formula";
  // kFailedPrecondition policy.retired.
  Result<Item> AddItem(const identity::Principal& actor, const std::string& policy_id,
                       const ItemInput& input);
  // As AddItem; a changed rule or formula is stored as a new version (an identical one is not).
  Result<Item> UpdateItem(const identity::Principal& actor, const std::string& item_id,
                          const ItemInput& input, std::int64_t expected_version);
  // The items of a policy the actor may see (as Get), by creation.
  Result<std::vector<Item>> Items(const identity::Principal& actor, const std::string& policy_id);
  // The rule version in force on `date` ("YYYY-MM-DD"): the latest effective_from ≤ date (the
  // highest version among equal dates). kNotFound policy.no_rule_in_force;
  // kInvalidArgument policy.bad_date.
  Result<ItemRule> CurrentRule(const identity::Principal& actor, const std::string& item_id,
                               const std::string& date);
  // Every rule version of an item, oldest first.
  Result<std::vector<ItemRule>> RuleVersions(const identity::Principal& actor,
                                             const std::string& item_id);

  const FactSchema& schema() const { return schema_; }

 private:
  store::Db& db_;
  const Clock& clock_;
  const audit::AuditLog& audit_;
  FactSchema schema_;
};

}  // namespace onestop::policy
