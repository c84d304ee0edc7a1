#include "policy/policy_service.h"

#include <algorithm>
#include <boost/json.hpp>

#include "core/ids.h"
#include "core/text.h"
#include "core/working_days.h"
#include "policy/internal/service_util.h"

namespace onestop::policy {
namespace json = boost::json;
using identity::Permission;
using identity::Principal;
using internal::Audit;
using internal::CheckDepartment;
using internal::Code;
using internal::FieldErrors;
using internal::LabelOf;
using internal::Trimmed;

namespace {

constexpr const char* kPolicyCols =
    "id, title, doc_no, issuer, level, published_on, effective_on, expires_on, category, "
    "tags_json, full_text, department_id, status, version, created_at_ms, updated_at_ms";
constexpr const char* kItemCols =
    "id, policy_id, title, mode, budget_fen, window_from, window_to, publicity_days, "
    "department_id, status, version, created_at_ms, updated_at_ms";
constexpr const char* kRuleCols =
    "item_id, version, cond_json, formula_json, effective_from, created_by, created_at_ms";

constexpr Code kLevels[] = {
    {"central", "中央"}, {"province", "省级"}, {"city", "市级"}, {"county", "县级"}};
constexpr Code kCategories[] = {{"tax", "税收优惠"},
                                {"cost", "降本增效"},
                                {"grant", "资金奖补"},
                                {"finance", "金融支持"},
                                {"factor", "要素保障"}};
constexpr Code kStatuses[] = {{"draft", "草稿"}, {"published", "已发布"}, {"retired", "已废止"}};
constexpr Code kModes[] = {{"exempt", "免申即享"}, {"quick", "快申快享"}};
constexpr Code kItemStatuses[] = {{"draft", "草稿"}, {"open", "受理中"}, {"closed", "已截止"}};

std::string Today(const Clock& clock) { return Date::FromMillisCst(clock.NowMs()).ToString(); }

// "" stays ""; otherwise a valid YYYY-MM-DD, normalised. Adds a field error when not.
std::string CheckDate(std::string_view value, const char* field, const char* what,
                      FieldErrors& errors) {
  std::string t = Trimmed(value);
  if (t.empty()) return t;
  Result<Date> d = Date::Parse(t);
  if (!d.has_value()) {
    errors.Add(field, std::string(what) + "不是有效的日期（格式为 YYYY-MM-DD）：" + t);
    return t;
  }
  return d->ToString();
}

void CheckLength(const std::string& value, const char* field, const char* what,
                 std::size_t max_chars, FieldErrors& errors) {
  if (text::CountCodePoints(value) > max_chars) {
    errors.Add(field, std::string(what) + "不能超过 " + std::to_string(max_chars) + " 个字");
  }
}

// Validates and normalises a policy's fields.
Result<PolicyInput> CheckPolicy(const PolicyInput& in) {
  FieldErrors errors;
  PolicyInput out;
  out.title = Trimmed(in.title);
  if (out.title.empty()) errors.Add("title", "请填写政策标题");
  CheckLength(out.title, "title", "政策标题", kMaxTitleChars, errors);
  out.doc_no = Trimmed(in.doc_no);
  CheckLength(out.doc_no, "docNo", "文号", kMaxDocNoChars, errors);
  out.issuer = Trimmed(in.issuer);
  if (out.issuer.empty()) errors.Add("issuer", "请填写发文机关");
  CheckLength(out.issuer, "issuer", "发文机关", kMaxIssuerChars, errors);
  out.level = Trimmed(in.level);
  if (LabelOf(kLevels, out.level).empty()) {
    errors.Add("level", "政策层级只能是中央、省级、市级或县级：" + out.level);
  }
  out.category = Trimmed(in.category);
  if (LabelOf(kCategories, out.category).empty()) {
    errors.Add("category",
               "政策类别只能是税收优惠、降本增效、资金奖补、金融支持或要素保障：" + out.category);
  }
  out.published_on = CheckDate(in.published_on, "publishedOn", "发布日期", errors);
  out.effective_on = CheckDate(in.effective_on, "effectiveOn", "施行日期", errors);
  out.expires_on = CheckDate(in.expires_on, "expiresOn", "失效日期", errors);
  if (!out.effective_on.empty() && !out.expires_on.empty() && errors.empty() &&
      out.effective_on > out.expires_on) {
    errors.Add("expiresOn", "失效日期不能早于施行日期");
  }
  if (in.tags.size() > kMaxTags) {
    errors.Add("tags", "标签不能超过 " + std::to_string(kMaxTags) + " 个");
  }
  for (const std::string& tag : in.tags) {
    std::string t = Trimmed(tag);
    if (t.empty()) {
      errors.Add("tags", "标签不能为空");
      break;
    }
    if (text::CountCodePoints(t) > kMaxTagChars) {
      errors.Add("tags", "标签不能超过 " + std::to_string(kMaxTagChars) + " 个字：" + t);
      break;
    }
    if (std::find(out.tags.begin(), out.tags.end(), t) == out.tags.end()) out.tags.push_back(t);
  }
  out.full_text = in.full_text;
  out.department_id = Trimmed(in.department_id);
  if (out.department_id.empty()) errors.Add("department", "请选择责任部门");
  if (!errors.empty()) return errors.ToError("policy.invalid_policy");
  return out;
}

std::string TagsJson(const std::vector<std::string>& tags) {
  json::array a;
  for (const std::string& t : tags) a.emplace_back(t);
  return json::serialize(a);
}

Policy PolicyFromRow(const store::Row& r) {
  Policy p;
  p.id = r.Text(0);
  p.title = r.Text(1);
  p.doc_no = r.Text(2);
  p.issuer = r.Text(3);
  p.level = r.Text(4);
  p.published_on = r.Text(5);
  p.effective_on = r.Text(6);
  p.expires_on = r.Text(7);
  p.category = r.Text(8);
  json::value tags = json::parse(r.Text(9));
  for (const json::value& t : tags.as_array()) p.tags.emplace_back(t.as_string());
  p.full_text = r.Text(10);
  p.department_id = r.Text(11);
  p.status = r.Text(12);
  p.version = r.Int(13);
  p.created_at_ms = r.Int(14);
  p.updated_at_ms = r.Int(15);
  return p;
}

Item ItemFromRow(const store::Row& r) {
  Item i;
  i.id = r.Text(0);
  i.policy_id = r.Text(1);
  i.title = r.Text(2);
  i.mode = r.Text(3);
  i.budget_fen = r.Int(4);
  i.window_from = r.Text(5);
  i.window_to = r.Text(6);
  i.publicity_days = static_cast<int>(r.Int(7));
  i.department_id = r.Text(8);
  i.status = r.Text(9);
  i.version = r.Int(10);
  i.created_at_ms = r.Int(11);
  i.updated_at_ms = r.Int(12);
  return i;
}

Result<ItemRule> RuleFromRow(const store::Row& r) {
  ItemRule rule;
  rule.item_id = r.Text(0);
  rule.version = static_cast<int>(r.Int(1));
  rule.cond_json = r.Text(2);
  rule.formula_json = r.Text(3);
  rule.effective_from = r.Text(4);
  rule.created_by = r.Text(5);
  rule.created_at_ms = r.Int(6);
  // Stored rows were checked when written; read them back without the schema so that a fact
  // removed from the schema later does not hide history.
  ASSIGN_OR_RETURN(rule.cond, FromJsonText(rule.cond_json, nullptr));
  ASSIGN_OR_RETURN(rule.formula, FormulaFromJsonText(rule.formula_json, nullptr));
  return rule;
}

Result<Policy> LoadPolicy(store::Tx& tx, const std::string& id) {
  ASSIGN_OR_RETURN(store::Row row,
                   tx.QueryOne(std::string("SELECT ") + kPolicyCols + " FROM policy WHERE id = ?",
                               {id}, "policy.not_found", "没有这项政策：" + id));
  return PolicyFromRow(row);
}

Result<Item> LoadItem(store::Tx& tx, const std::string& id) {
  ASSIGN_OR_RETURN(
      store::Row row,
      tx.QueryOne(std::string("SELECT ") + kItemCols + " FROM policy_item WHERE id = ?", {id},
                  "policy.item_not_found", "没有这个申报事项：" + id));
  return ItemFromRow(row);
}

// Readers see published and retired policies; drafts need catalog.manage in scope, and are
// reported as not found otherwise (a draft's existence is not public).
Result<void> CheckVisible(const Principal& actor, const Policy& p) {
  if (p.status != "draft") return {};
  if (actor.Has(Permission::kManageCatalog) && actor.CoversDepartment(p.department_id)) {
    return {};
  }
  return NotFound("policy.not_found", "没有这项政策：" + p.id);
}

Result<void> SyncFts(store::Tx& tx, const Policy& p) {
  if (tx.backend() != store::Backend::kSqlite) return {};  // PostgreSQL indexes the table itself
  RETURN_IF_ERROR(tx.Exec("DELETE FROM policy_fts WHERE policy_id = ?", {p.id}));
  RETURN_IF_ERROR(tx.Exec("INSERT INTO policy_fts (policy_id, title, full_text) VALUES (?, ?, ?)",
                          {p.id, p.title, p.full_text}));
  return {};
}

Result<void> WritePolicy(store::Tx& tx, const Policy& p, std::int64_t expected_version) {
  ASSIGN_OR_RETURN(
      std::int64_t n,
      tx.Exec("UPDATE policy SET title = ?, doc_no = ?, issuer = ?, level = ?, published_on = ?, "
              "effective_on = ?, expires_on = ?, category = ?, tags_json = ?, full_text = ?, "
              "department_id = ?, status = ?, version = ?, updated_at_ms = ? "
              "WHERE id = ? AND version = ?",
              {p.title, p.doc_no, p.issuer, p.level, p.published_on, p.effective_on, p.expires_on,
               p.category, TagsJson(p.tags), p.full_text, p.department_id, p.status, p.version,
               p.updated_at_ms, p.id, expected_version}));
  RETURN_IF_ERROR(store::CheckVersion(n));
  return SyncFts(tx, p);
}

json::object PolicyDetails(const Policy& p) {
  return {{"title", p.title}, {"docNo", p.doc_no}, {"status", p.status}, {"version", p.version}};
}

// The rule and formula of an item input, parsed and checked against the schema; nullopt when
// neither is given (allowed only on update). Errors keep rule.h / formula.h reasons.
struct RuleDraft {
  std::optional<Cond> cond;
  std::optional<Formula> formula;
};

// A rule.h / formula.h error as a field error of the item: its reason and message kept, the
// JSON path it names ("cond.all[1].op") renamed under `field` ("rule.all[1].op"), or `field`
// itself for the text forms.
Error AsFieldError(Error e, std::string_view path_root, const std::string& field) {
  for (FieldError& f : e.fields) {
    f.field = f.field.starts_with(path_root) ? field + f.field.substr(path_root.size())
                                             : field + "." + f.field;
  }
  if (e.fields.empty()) e.fields.push_back({field, e.message});
  return e;
}

Result<RuleDraft> ParseRuleDraft(const ItemInput& in, const FactSchema& schema, bool required) {
  RuleDraft d;
  const bool has_json = !Trimmed(in.rule_json).empty();
  const bool has_text = !Trimmed(in.rule_text).empty();
  if (has_json && has_text) {
    return InvalidArgument("policy.invalid_item", "资格条件请只填写一种形式（JSON 或文本）")
        .WithField("rule", "资格条件请只填写一种形式（JSON 或文本）");
  }
  if (has_json || has_text) {
    Result<Cond> c =
        has_json ? FromJsonText(in.rule_json, &schema) : ParseText(in.rule_text, schema);
    if (!c.has_value()) return AsFieldError(std::move(c).error(), "cond", "rule");
    d.cond = std::move(*c);
  } else if (required) {
    return InvalidArgument("policy.invalid_item", "请填写资格条件")
        .WithField("rule", "请填写资格条件");
  }
  const bool has_ftext = !Trimmed(in.formula_text).empty();
  const bool has_fjson = !Trimmed(in.formula_json).empty();
  if (has_ftext && has_fjson) {
    return InvalidArgument("policy.invalid_item", "测算公式请只填写一种形式（JSON 或文本）")
        .WithField("formula", "测算公式请只填写一种形式（JSON 或文本）");
  }
  if (has_ftext || has_fjson) {
    Result<Formula> f = has_ftext ? ParseFormula(in.formula_text, schema)
                                  : FormulaFromJsonText(in.formula_json, &schema);
    if (!f.has_value()) return AsFieldError(std::move(f).error(), "formula", "formula");
    d.formula = std::move(*f);
  } else if (required) {
    return InvalidArgument("policy.invalid_item", "请填写测算公式")
        .WithField("formula", "请填写测算公式");
  }
  return d;
}

// Validates the plain fields of an item; fills `out` (without id, policy, times).
Result<Item> CheckItem(const ItemInput& in, const Policy& policy, std::string& effective_from,
                       const std::string& today) {
  FieldErrors errors;
  Item out;
  out.title = Trimmed(in.title);
  if (out.title.empty()) errors.Add("title", "请填写申报事项名称");
  CheckLength(out.title, "title", "申报事项名称", kMaxTitleChars, errors);
  out.mode = Trimmed(in.mode);
  if (LabelOf(kModes, out.mode).empty()) {
    errors.Add("mode", "兑现方式只能是免申即享（exempt）或快申快享（quick）：" + out.mode);
  }
  out.budget_fen = in.budget_fen;
  if (in.budget_fen < 0) errors.Add("budgetFen", "预算金额不能为负数");
  out.window_from = CheckDate(in.window_from, "windowFrom", "申报开始日期", errors);
  out.window_to = CheckDate(in.window_to, "windowTo", "申报截止日期", errors);
  if (!out.window_from.empty() && !out.window_to.empty() && errors.empty() &&
      out.window_from > out.window_to) {
    errors.Add("windowTo", "申报截止日期不能早于开始日期");
  }
  out.publicity_days = in.publicity_days;
  if (in.publicity_days < 0 || in.publicity_days > kMaxPublicityDays) {
    errors.Add("publicityDays", "公示天数应在 0 到 " + std::to_string(kMaxPublicityDays) + " 之间");
  }
  out.status = Trimmed(in.status);
  if (LabelOf(kItemStatuses, out.status).empty()) {
    errors.Add("status", "申报事项状态只能是草稿、受理中或已截止：" + out.status);
  }
  out.department_id = Trimmed(in.department_id);
  if (out.department_id.empty()) out.department_id = policy.department_id;
  effective_from = CheckDate(in.effective_from, "effectiveFrom", "规则生效日期", errors);
  if (effective_from.empty()) effective_from = today;
  if (!errors.empty()) return errors.ToError("policy.invalid_item");
  return out;
}

Result<int> InsertRuleVersion(store::Tx& tx, const std::string& item_id, const Cond& cond,
                              const Formula& formula, const std::string& effective_from,
                              const Principal& actor, Millis now) {
  ASSIGN_OR_RETURN(store::Rows rows,
                   tx.Query("SELECT COALESCE(MAX(version), 0) FROM policy_item_rule "
                            "WHERE item_id = ?",
                            {item_id}));
  const int version = static_cast<int>(rows.front().Int(0)) + 1;
  RETURN_IF_ERROR(tx.Exec(
      std::string("INSERT INTO policy_item_rule (") + kRuleCols + ") VALUES (?, ?, ?, ?, ?, ?, ?)",
      {item_id, std::int64_t{version}, json::serialize(ToJson(cond)),
       json::serialize(FormulaToJson(formula)), effective_from, actor.user_id, now}));
  return version;
}

Result<std::vector<ItemRule>> LoadRules(store::Tx& tx, const std::string& item_id) {
  ASSIGN_OR_RETURN(store::Rows rows,
                   tx.Query(std::string("SELECT ") + kRuleCols +
                                " FROM policy_item_rule WHERE item_id = ? ORDER BY version",
                            {item_id}));
  std::vector<ItemRule> out;
  for (const store::Row& r : rows) {
    ASSIGN_OR_RETURN(ItemRule rule, RuleFromRow(r));
    out.push_back(std::move(rule));
  }
  return out;
}

}  // namespace

std::string_view LevelLabel(std::string_view level) { return LabelOf(kLevels, level); }
std::string_view CategoryLabel(std::string_view category) { return LabelOf(kCategories, category); }
std::string_view PolicyStatusLabel(std::string_view status) { return LabelOf(kStatuses, status); }

PolicyService::PolicyService(store::Db& db, const Clock& clock, const audit::AuditLog& audit,
                             FactSchema schema)
    : db_(db), clock_(clock), audit_(audit), schema_(std::move(schema)) {}

Result<Policy> PolicyService::Create(const Principal& actor, const PolicyInput& input) {
  RETURN_IF_ERROR(identity::Require(actor, Permission::kManageCatalog));
  ASSIGN_OR_RETURN(PolicyInput checked, CheckPolicy(input));
  RETURN_IF_ERROR(
      identity::RequireInScope(actor, Permission::kManageCatalog, checked.department_id));
  return store::Transact(db_, [&](store::Tx& tx) -> Result<Policy> {
    RETURN_IF_ERROR(CheckDepartment(tx, checked.department_id));
    Policy p;
    static_cast<PolicyInput&>(p) = checked;
    const Millis now = clock_.NowMs();
    p.id = NewUlid(now);
    p.status = "draft";
    p.version = 1;
    p.created_at_ms = p.updated_at_ms = now;
    RETURN_IF_ERROR(
        tx.Exec(std::string("INSERT INTO policy (") + kPolicyCols +
                    ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                {p.id, p.title, p.doc_no, p.issuer, p.level, p.published_on, p.effective_on,
                 p.expires_on, p.category, TagsJson(p.tags), p.full_text, p.department_id, p.status,
                 p.version, p.created_at_ms, p.updated_at_ms}));
    RETURN_IF_ERROR(SyncFts(tx, p));
    RETURN_IF_ERROR(
        Audit(tx, audit_, actor, "policy.policy.create", "policy", p.id, PolicyDetails(p)));
    return p;
  });
}

Result<Policy> PolicyService::Update(const Principal& actor, const std::string& id,
                                     const PolicyInput& input, std::int64_t expected_version) {
  RETURN_IF_ERROR(identity::Require(actor, Permission::kManageCatalog));
  ASSIGN_OR_RETURN(PolicyInput checked, CheckPolicy(input));
  RETURN_IF_ERROR(
      identity::RequireInScope(actor, Permission::kManageCatalog, checked.department_id));
  return store::Transact(db_, [&](store::Tx& tx) -> Result<Policy> {
    ASSIGN_OR_RETURN(Policy p, LoadPolicy(tx, id));
    RETURN_IF_ERROR(identity::RequireInScope(actor, Permission::kManageCatalog, p.department_id));
    if (p.status == "retired") {
      return FailedPrecondition("policy.retired", "已废止的政策不能修改");
    }
    if (p.version != expected_version) {
      return Aborted("store.version_conflict", "政策已被他人修改，请刷新后重试");
    }
    RETURN_IF_ERROR(CheckDepartment(tx, checked.department_id));
    static_cast<PolicyInput&>(p) = checked;
    p.version = expected_version + 1;
    p.updated_at_ms = clock_.NowMs();
    RETURN_IF_ERROR(WritePolicy(tx, p, expected_version));
    RETURN_IF_ERROR(
        Audit(tx, audit_, actor, "policy.policy.update", "policy", p.id, PolicyDetails(p)));
    return p;
  });
}

Result<Policy> PolicyService::Publish(const Principal& actor, const std::string& id) {
  RETURN_IF_ERROR(identity::Require(actor, Permission::kManageCatalog));
  return store::Transact(db_, [&](store::Tx& tx) -> Result<Policy> {
    ASSIGN_OR_RETURN(Policy p, LoadPolicy(tx, id));
    RETURN_IF_ERROR(identity::RequireInScope(actor, Permission::kManageCatalog, p.department_id));
    if (p.status != "draft") {
      return FailedPrecondition("policy.not_draft", "只有草稿状态的政策可以发布");
    }
    const std::int64_t old_version = p.version;
    if (p.published_on.empty()) p.published_on = Today(clock_);
    p.status = "published";
    p.version = old_version + 1;
    p.updated_at_ms = clock_.NowMs();
    RETURN_IF_ERROR(WritePolicy(tx, p, old_version));
    RETURN_IF_ERROR(
        Audit(tx, audit_, actor, "policy.policy.publish", "policy", p.id, PolicyDetails(p)));
    return p;
  });
}

Result<Policy> PolicyService::Retire(const Principal& actor, const std::string& id) {
  RETURN_IF_ERROR(identity::Require(actor, Permission::kManageCatalog));
  return store::Transact(db_, [&](store::Tx& tx) -> Result<Policy> {
    ASSIGN_OR_RETURN(Policy p, LoadPolicy(tx, id));
    RETURN_IF_ERROR(identity::RequireInScope(actor, Permission::kManageCatalog, p.department_id));
    if (p.status != "published") {
      return FailedPrecondition("policy.not_published", "只有已发布的政策可以废止");
    }
    const std::int64_t old_version = p.version;
    p.status = "retired";
    p.version = old_version + 1;
    p.updated_at_ms = clock_.NowMs();
    RETURN_IF_ERROR(WritePolicy(tx, p, old_version));
    RETURN_IF_ERROR(
        Audit(tx, audit_, actor, "policy.policy.retire", "policy", p.id, PolicyDetails(p)));
    return p;
  });
}

Result<Policy> PolicyService::Get(const Principal& actor, const std::string& id) {
  return store::Read(db_, [&](store::Tx& tx) -> Result<Policy> {
    ASSIGN_OR_RETURN(Policy p, LoadPolicy(tx, id));
    RETURN_IF_ERROR(CheckVisible(actor, p));
    return p;
  });
}

Result<PolicyPage> PolicyService::Search(const Principal& actor, const PolicyQuery& query) {
  if (query.include_unpublished) {
    RETURN_IF_ERROR(identity::Require(actor, Permission::kManageCatalog));
  }
  if (!query.category.empty() && CategoryLabel(query.category).empty()) {
    return InvalidArgument("policy.bad_query", "没有这个政策类别：" + query.category)
        .WithField("category", "没有这个政策类别：" + query.category);
  }
  if (!query.level.empty() && LevelLabel(query.level).empty()) {
    return InvalidArgument("policy.bad_query", "没有这个政策层级：" + query.level)
        .WithField("level", "没有这个政策层级：" + query.level);
  }
  if (query.limit < 1 || query.limit > 100 || query.offset < 0) {
    return InvalidArgument("policy.bad_query", "每页条数应在 1 到 100 之间，起始位置不能为负");
  }
  const std::string text = Trimmed(query.text);
  const std::string today = Today(clock_);
  return store::Read(db_, [&](store::Tx& tx) -> Result<PolicyPage> {
    std::string where = " WHERE 1 = 1";
    std::vector<store::Value> params;
    if (!query.include_unpublished) {
      // Retired policies stay readable by id (history) but leave the library's listing.
      where += " AND status = 'published'";
    } else {
      auto scope = actor.ScopeFilter();
      if (scope.has_value()) {
        // Drafts only within the actor's scope; published ones are public anyway.
        std::string in = " AND (status <> 'draft'";
        if (!scope->empty()) {
          in += " OR department_id IN (";
          for (std::size_t i = 0; i < scope->size(); ++i) {
            in += i ? ", ?" : "?";
            params.push_back((*scope)[i]);
          }
          in += ")";
        }
        where += in + ")";
      }
    }
    if (!text.empty()) {
      if (tx.backend() == store::Backend::kSqlite && text::CountCodePoints(text) >= 3) {
        std::string phrase = "\"";
        for (char c : text) {
          phrase += c;
          if (c == '"') phrase += '"';
        }
        phrase += "\"";
        where += " AND id IN (SELECT policy_id FROM policy_fts WHERE policy_fts MATCH ?)";
        params.push_back(phrase);
      } else if (tx.backend() == store::Backend::kSqlite) {
        // Under 3 characters the trigram index cannot help: a plain scan.
        where += " AND (title LIKE ? ESCAPE '\\' OR full_text LIKE ? ESCAPE '\\')";
        params.push_back(store::LikeContains(text));
        params.push_back(store::LikeContains(text));
      } else {
        // The GIN trigram index serves this ILIKE (for 3 characters and more).
        where += " AND (title || ' ' || full_text) ILIKE ? ESCAPE '\\'";
        params.push_back(store::LikeContains(text));
      }
    }
    if (!query.category.empty()) {
      where += " AND category = ?";
      params.push_back(query.category);
    }
    if (!query.level.empty()) {
      where += " AND level = ?";
      params.push_back(query.level);
    }
    if (!query.department_id.empty()) {
      where += " AND department_id = ?";
      params.push_back(Trimmed(query.department_id));
    }
    if (!Trimmed(query.tag).empty()) {
      where += " AND tags_json LIKE ? ESCAPE '\\'";
      params.push_back(store::LikeContains(json::serialize(json::string(Trimmed(query.tag)))));
    }
    if (query.open_only) {
      where +=
          " AND (effective_on = '' OR effective_on <= ?) AND (expires_on = '' OR "
          "expires_on >= ?)";
      params.push_back(today);
      params.push_back(today);
    }
    PolicyPage page;
    ASSIGN_OR_RETURN(store::Rows count, tx.Query("SELECT COUNT(*) FROM policy" + where, params));
    page.total = count.front().Int(0);
    params.push_back(std::int64_t{query.limit});
    params.push_back(std::int64_t{query.offset});
    ASSIGN_OR_RETURN(store::Rows rows,
                     tx.Query(std::string("SELECT ") + kPolicyCols + " FROM policy" + where +
                                  " ORDER BY published_on DESC, id DESC LIMIT ? OFFSET ?",
                              params));
    for (const store::Row& r : rows) page.items.push_back(PolicyFromRow(r));
    return page;
  });
}

Result<Item> PolicyService::AddItem(const Principal& actor, const std::string& policy_id,
                                    const ItemInput& input) {
  RETURN_IF_ERROR(identity::Require(actor, Permission::kManageCatalog));
  const std::string today = Today(clock_);
  return store::Transact(db_, [&](store::Tx& tx) -> Result<Item> {
    ASSIGN_OR_RETURN(Policy p, LoadPolicy(tx, policy_id));
    RETURN_IF_ERROR(identity::RequireInScope(actor, Permission::kManageCatalog, p.department_id));
    if (p.status == "retired") {
      return FailedPrecondition("policy.retired", "已废止的政策不能再增加申报事项");
    }
    std::string effective_from;
    ASSIGN_OR_RETURN(Item item, CheckItem(input, p, effective_from, today));
    ASSIGN_OR_RETURN(RuleDraft draft, ParseRuleDraft(input, schema_, true));
    RETURN_IF_ERROR(CheckDepartment(tx, item.department_id));
    const Millis now = clock_.NowMs();
    item.id = NewUlid(now);
    item.policy_id = p.id;
    item.version = 1;
    item.created_at_ms = item.updated_at_ms = now;
    RETURN_IF_ERROR(
        tx.Exec(std::string("INSERT INTO policy_item (") + kItemCols +
                    ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                {item.id, item.policy_id, item.title, item.mode, item.budget_fen, item.window_from,
                 item.window_to, std::int64_t{item.publicity_days}, item.department_id, item.status,
                 item.version, item.created_at_ms, item.updated_at_ms}));
    ASSIGN_OR_RETURN(int rule_version, InsertRuleVersion(tx, item.id, *draft.cond, *draft.formula,
                                                         effective_from, actor, now));
    RETURN_IF_ERROR(Audit(tx, audit_, actor, "policy.item.create", "policy_item", item.id,
                          {{"policyId", p.id},
                           {"title", item.title},
                           {"ruleVersion", rule_version},
                           {"effectiveFrom", effective_from}}));
    return item;
  });
}

Result<Item> PolicyService::UpdateItem(const Principal& actor, const std::string& item_id,
                                       const ItemInput& input, std::int64_t expected_version) {
  RETURN_IF_ERROR(identity::Require(actor, Permission::kManageCatalog));
  const std::string today = Today(clock_);
  return store::Transact(db_, [&](store::Tx& tx) -> Result<Item> {
    ASSIGN_OR_RETURN(Item old, LoadItem(tx, item_id));
    ASSIGN_OR_RETURN(Policy p, LoadPolicy(tx, old.policy_id));
    RETURN_IF_ERROR(identity::RequireInScope(actor, Permission::kManageCatalog, p.department_id));
    if (p.status == "retired") {
      return FailedPrecondition("policy.retired", "已废止政策的申报事项不能修改");
    }
    std::string effective_from;
    ASSIGN_OR_RETURN(Item item, CheckItem(input, p, effective_from, today));
    ASSIGN_OR_RETURN(RuleDraft draft, ParseRuleDraft(input, schema_, false));
    if (old.version != expected_version) {
      return Aborted("store.version_conflict", "申报事项已被他人修改，请刷新后重试");
    }
    RETURN_IF_ERROR(CheckDepartment(tx, item.department_id));
    const Millis now = clock_.NowMs();
    item.id = old.id;
    item.policy_id = old.policy_id;
    item.version = old.version + 1;
    item.created_at_ms = old.created_at_ms;
    item.updated_at_ms = now;
    ASSIGN_OR_RETURN(
        std::int64_t n,
        tx.Exec("UPDATE policy_item SET title = ?, mode = ?, budget_fen = ?, window_from = ?, "
                "window_to = ?, publicity_days = ?, department_id = ?, status = ?, version = ?, "
                "updated_at_ms = ? WHERE id = ? AND version = ?",
                {item.title, item.mode, item.budget_fen, item.window_from, item.window_to,
                 std::int64_t{item.publicity_days}, item.department_id, item.status, item.version,
                 item.updated_at_ms, item.id, expected_version}));
    RETURN_IF_ERROR(store::CheckVersion(n));
    json::object details{{"policyId", p.id}, {"title", item.title}, {"version", item.version}};
    if (draft.cond.has_value() || draft.formula.has_value()) {
      ASSIGN_OR_RETURN(std::vector<ItemRule> rules, LoadRules(tx, item.id));
      const ItemRule& latest = rules.back();
      Cond cond = draft.cond.has_value() ? *draft.cond : latest.cond;
      Formula formula = draft.formula.has_value() ? *draft.formula : latest.formula;
      if (!(cond == latest.cond && formula == latest.formula &&
            effective_from == latest.effective_from)) {
        ASSIGN_OR_RETURN(int rule_version,
                         InsertRuleVersion(tx, item.id, cond, formula, effective_from, actor, now));
        details["ruleVersion"] = rule_version;
        details["effectiveFrom"] = effective_from;
      }
    }
    RETURN_IF_ERROR(
        Audit(tx, audit_, actor, "policy.item.update", "policy_item", item.id, details));
    return item;
  });
}

Result<std::vector<Item>> PolicyService::Items(const Principal& actor,
                                               const std::string& policy_id) {
  return store::Read(db_, [&](store::Tx& tx) -> Result<std::vector<Item>> {
    ASSIGN_OR_RETURN(Policy p, LoadPolicy(tx, policy_id));
    RETURN_IF_ERROR(CheckVisible(actor, p));
    ASSIGN_OR_RETURN(
        store::Rows rows,
        tx.Query(std::string("SELECT ") + kItemCols +
                     " FROM policy_item WHERE policy_id = ? ORDER BY created_at_ms, id",
                 {policy_id}));
    std::vector<Item> out;
    for (const store::Row& r : rows) out.push_back(ItemFromRow(r));
    return out;
  });
}

Result<ItemRule> PolicyService::CurrentRule(const Principal& actor, const std::string& item_id,
                                            const std::string& date) {
  Result<Date> d = Date::Parse(date);
  if (!d.has_value()) {
    return InvalidArgument("policy.bad_date", "日期格式应为 YYYY-MM-DD：" + date)
        .WithField("date", "日期格式应为 YYYY-MM-DD：" + date);
  }
  const std::string day = d->ToString();
  return store::Read(db_, [&](store::Tx& tx) -> Result<ItemRule> {
    ASSIGN_OR_RETURN(Item item, LoadItem(tx, item_id));
    ASSIGN_OR_RETURN(Policy p, LoadPolicy(tx, item.policy_id));
    RETURN_IF_ERROR(CheckVisible(actor, p));
    ASSIGN_OR_RETURN(store::Rows rows,
                     tx.Query(std::string("SELECT ") + kRuleCols +
                                  " FROM policy_item_rule WHERE item_id = ? AND "
                                  "effective_from <= ? ORDER BY effective_from DESC, version DESC "
                                  "LIMIT 1",
                              {item_id, day}));
    if (rows.empty()) {
      return NotFound("policy.no_rule_in_force", "该申报事项在 " + day + " 尚无生效的规则");
    }
    return RuleFromRow(rows.front());
  });
}

Result<std::vector<ItemRule>> PolicyService::RuleVersions(const Principal& actor,
                                                          const std::string& item_id) {
  return store::Read(db_, [&](store::Tx& tx) -> Result<std::vector<ItemRule>> {
    ASSIGN_OR_RETURN(Item item, LoadItem(tx, item_id));
    ASSIGN_OR_RETURN(Policy p, LoadPolicy(tx, item.policy_id));
    RETURN_IF_ERROR(CheckVisible(actor, p));
    return LoadRules(tx, item_id);
  });
}

}  // namespace onestop::policy
