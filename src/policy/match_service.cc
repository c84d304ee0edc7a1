#include "policy/match_service.h"

#include <algorithm>
#include <utility>

#include "core/text.h"
#include "core/working_days.h"

namespace onestop::policy {

using identity::Permission;
using identity::Principal;

namespace {

constexpr int kMaxSample = 100;
constexpr std::size_t kNonMatchSample = 5;

}  // namespace

MatchService::MatchService(PolicyService& policies, FactSource& facts, const Clock& clock)
    : policies_(policies), facts_(facts), clock_(clock) {}

MatchService::~MatchService() = default;

Result<void> MatchService::EnsureItems() {
  if (items_.has_value()) return Ok();
  const Principal system = Principal::System();
  const std::string today = Date::FromMillisCst(clock_.NowMs()).ToString();
  std::vector<OpenItem> out;
  PolicyQuery query;
  query.limit = 100;
  for (;;) {
    ASSIGN_OR_RETURN(PolicyPage page, policies_.Search(system, query));
    for (const Policy& p : page.items) {
      ASSIGN_OR_RETURN(std::vector<Item> items, policies_.Items(system, p.id));
      for (Item& item : items) {
        if (item.status != "open") continue;
        Result<ItemRule> rule = policies_.CurrentRule(system, item.id, today);
        if (!rule.has_value()) {
          if (rule.error().code == ErrorCode::kNotFound) continue;  // no rule in force yet
          return std::move(rule).error();
        }
        out.push_back({p.id, p.title, p.category, std::move(item), std::move(*rule)});
      }
    }
    query.offset += static_cast<int>(page.items.size());
    if (page.items.empty() || query.offset >= page.total) break;
  }
  items_ = std::move(out);
  return Ok();
}

Result<void> MatchService::EnsureStore() {
  if (store_.has_value()) return Ok();
  ASSIGN_OR_RETURN(FactStore store, facts_.LoadAll());
  store_.emplace(std::move(store));
  return Ok();
}

Result<void> MatchService::EnsureMatcher() {
  RETURN_IF_ERROR(EnsureItems());
  RETURN_IF_ERROR(EnsureStore());
  if (matcher_.has_value()) return Ok();
  std::vector<Cond> rules;
  rules.reserve(items_->size());
  for (const OpenItem& i : *items_) rules.push_back(i.rule.cond);
  matcher_.emplace(Matcher::Compile(rules));
  matcher_->Run(*store_);
  return Ok();
}

void MatchService::Invalidate() {
  std::lock_guard lock(mu_);
  items_.reset();
  matcher_.reset();
}

void MatchService::InvalidateFacts() {
  std::lock_guard lock(mu_);
  store_.reset();
  matcher_.reset();
}

Result<void> MatchService::OnEnterprisesChanged(const std::vector<std::string>& ids) {
  {
    std::lock_guard lock(mu_);
    if (!store_.has_value()) return Ok();  // the next use loads everything afresh
  }
  // Read outside the lock; apply under it.
  std::vector<EnterpriseLine> lines;
  lines.reserve(ids.size());
  for (const std::string& id : ids) {
    Result<FactSnapshot> s = facts_.Snapshot(id);
    if (!s.has_value()) {
      if (s.error().code == ErrorCode::kNotFound) continue;
      return std::move(s).error();
    }
    lines.push_back({s->enterprise_id, s->AsFacts()});
  }
  std::lock_guard lock(mu_);
  if (!store_.has_value()) return Ok();
  for (const EnterpriseLine& line : lines) {
    FactStore::Change change = store_->Upsert(line);
    if (matcher_.has_value()) matcher_->RematchOne(*store_, change);
  }
  return Ok();
}

Result<std::vector<Recommendation>> MatchService::Recommend(const Principal& actor,
                                                            const std::string& enterprise_id) {
  const std::string id(text::TrimSpace(enterprise_id));
  if (!actor.Has(Permission::kReadParties)) {
    if (actor.kind != identity::UserKind::kEnterprise) {
      RETURN_IF_ERROR(identity::Require(actor, Permission::kReadParties));
    }
    ASSIGN_OR_RETURN(std::string own, facts_.EnterpriseIdOf(actor));
    if (own != id) {
      return PermissionDenied("policy.not_own_enterprise", "企业账号只能查看本企业的推荐");
    }
  }
  ASSIGN_OR_RETURN(FactSnapshot snapshot, facts_.Snapshot(id));
  const policy::Facts facts = snapshot.AsFacts();
  std::vector<Recommendation> out;
  {
    std::lock_guard lock(mu_);
    RETURN_IF_ERROR(EnsureItems());
    out.reserve(items_->size());
    for (const OpenItem& i : *items_) {
      Recommendation r;
      r.policy_id = i.policy_id;
      r.policy_title = i.policy_title;
      r.category = i.category;
      r.item_id = i.item.id;
      r.item_title = i.item.title;
      r.mode = i.item.mode;
      r.rule_version = i.rule.version;
      r.eligible = Evaluate(i.rule.cond, facts);
      r.explanation = Explain(i.rule.cond, facts, policies_.schema());
      if (r.eligible) {
        Result<Fen> amount = Evaluate(i.rule.formula, facts);
        if (amount.has_value()) r.amount_fen = *amount;
      }
      out.push_back(std::move(r));
    }
  }
  std::stable_partition(out.begin(), out.end(), [](const Recommendation& r) { return r.eligible; });
  return out;
}

Result<DryRunResult> MatchService::DryRun(const Principal& actor, const Cond& cond,
                                          const Formula& formula, Fen budget_fen, int sample) {
  RETURN_IF_ERROR(identity::Require(actor, Permission::kManageCatalog));
  if (sample < 0 || sample > kMaxSample) {
    return InvalidArgument("policy.bad_query", "试算样本数应在 0 到 100 之间");
  }
  std::lock_guard lock(mu_);
  RETURN_IF_ERROR(EnsureStore());
  const FactStore& store = *store_;
  Matcher matcher = Matcher::Compile(std::span<const Cond>(&cond, 1));
  matcher.Run(store);
  DryRunResult out;
  out.enterprises = static_cast<std::int64_t>(store.size());
  const FactSchema& schema = policies_.schema();
  for (FactStore::Row row = 0; row < store.size(); ++row) {
    const bool match = matcher.Matches(0, row);
    if (!match) {
      if (out.non_matches.size() < std::min<std::size_t>(kNonMatchSample, sample)) {
        const policy::Facts facts = store.FactsOf(row);
        out.non_matches.push_back(
            {store.IdOf(row), false, std::nullopt, Explain(cond, facts, schema)});
      }
      continue;
    }
    ++out.matching;
    const policy::Facts facts = store.FactsOf(row);
    std::optional<Fen> amount;
    if (Result<Fen> a = Evaluate(formula, facts); a.has_value()) {
      amount = *a;
      out.total_fen += *a;
    } else {
      ++out.amount_missing;
    }
    if (out.matches.size() < static_cast<std::size_t>(sample)) {
      out.matches.push_back({store.IdOf(row), true, amount, Explain(cond, facts, schema)});
    }
  }
  out.over_budget = budget_fen > 0 && out.total_fen > budget_fen;
  return out;
}

Result<std::vector<std::string>> MatchService::MatchingIds(const std::string& item_id) {
  std::lock_guard lock(mu_);
  RETURN_IF_ERROR(EnsureMatcher());
  for (std::size_t i = 0; i < items_->size(); ++i) {
    if ((*items_)[i].item.id == item_id) {
      return matcher_->MatchingIds(*store_, static_cast<Matcher::ItemIndex>(i));
    }
  }
  return NotFound("policy.item_not_open", "申报事项不存在或未开放申报：" + item_id);
}

}  // namespace onestop::policy
