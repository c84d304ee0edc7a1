#include "catalog/catalog_service.h"

#include <algorithm>
#include <boost/json.hpp>
#include <map>
#include <set>

#include "catalog/catalog_json.h"
#include "catalog/json_positions.h"
#include "catalog/validate.h"
#include "core/text.h"

namespace onestop::catalog {
namespace json = boost::json;
namespace {

using identity::Permission;

constexpr const char* kItemColumns = "body_json, version, retired";

bool SameItem(Item a, Item b) {
  a.version = b.version = 0;
  return a == b;
}
bool SameBundle(Bundle a, Bundle b) {
  a.version = b.version = 0;
  return a == b;
}

std::string Joined(const std::vector<int>& codes) {
  std::string out = ",";
  for (int c : codes) out += std::to_string(c) + ",";
  return out;
}

std::string ItemCodesColumn(const Bundle& b) {
  std::string out = ",";
  for (const BundleItem& i : b.items) out += i.item_code + ",";
  return out;
}

std::string Prefixed(const std::string& prefix, const std::string& path) {
  if (path.empty()) return prefix;
  return prefix + (path.front() == '[' ? "" : ".") + path;
}

Error VersionConflict(const char* what, int current, int edited) {
  return Aborted("catalog.version_conflict", std::string(what) + "已被他人修改（当前为第 " +
                                                 std::to_string(current) + " 版，您编辑的是第 " +
                                                 std::to_string(edited) + " 版），请刷新后重试");
}

Result<Item> ParseItem(const std::string& body, std::int64_t version) {
  boost::system::error_code ec;
  json::value v = json::parse(body, ec);
  if (ec) return Internal("catalog.corrupt_row", "事项数据损坏，无法读取");
  Result<Item> item = ItemFromJson(v);
  if (!item.has_value()) return Internal("catalog.corrupt_row", "事项数据损坏，无法读取");
  item->version = static_cast<int>(version);
  return item;
}

Result<Bundle> ParseBundle(const std::string& body, std::int64_t version) {
  boost::system::error_code ec;
  json::value v = json::parse(body, ec);
  if (ec) return Internal("catalog.corrupt_row", "一件事数据损坏，无法读取");
  Result<Bundle> bundle = BundleFromJson(v);
  if (!bundle.has_value()) return Internal("catalog.corrupt_row", "一件事数据损坏，无法读取");
  bundle->version = static_cast<int>(version);
  return bundle;
}

struct CurrentItemRow {
  Item item;
  bool retired = false;
};

// ---- Repository functions over one transaction ----

Result<std::optional<CurrentItemRow>> LoadCurrentItem(store::Tx& tx, const std::string& code) {
  ASSIGN_OR_RETURN(store::Rows rows,
                   tx.Query(std::string("SELECT ") + kItemColumns +
                                " FROM catalog_item WHERE code = ? AND is_current = 1",
                            {code}));
  if (rows.empty()) return std::optional<CurrentItemRow>();
  ASSIGN_OR_RETURN(Item item, ParseItem(rows.front().Text(0), rows.front().Int(1)));
  return std::optional<CurrentItemRow>(CurrentItemRow{std::move(item), rows.front().Bool(2)});
}

Result<Item> LoadItem(store::Tx& tx, const std::string& code, int version) {
  if (version == 0) {
    ASSIGN_OR_RETURN(std::optional<CurrentItemRow> row, LoadCurrentItem(tx, code));
    if (!row) return NotFound("catalog.item_not_found", "事项 " + code + " 不存在");
    if (row->retired) {
      return NotFound("catalog.item_retired", "事项《" + row->item.name + "》已停用");
    }
    return std::move(row->item);
  }
  ASSIGN_OR_RETURN(store::Rows rows,
                   tx.Query(std::string("SELECT ") + kItemColumns +
                                " FROM catalog_item WHERE code = ? AND version = ?",
                            {code, std::int64_t{version}}));
  if (rows.empty()) {
    return NotFound("catalog.item_not_found",
                    "事项 " + code + " 没有第 " + std::to_string(version) + " 版");
  }
  return ParseItem(rows.front().Text(0), rows.front().Int(1));
}

// The current, not retired versions of `codes` that exist (others are left out).
Result<std::vector<Item>> LoadActiveItems(store::Tx& tx, const std::set<std::string>& codes) {
  std::vector<Item> out;
  for (const std::string& code : codes) {
    ASSIGN_OR_RETURN(std::optional<CurrentItemRow> row, LoadCurrentItem(tx, code));
    if (row && !row->retired) out.push_back(std::move(row->item));
  }
  return out;
}

Result<std::optional<Bundle>> LoadCurrentBundle(store::Tx& tx, const std::string& code) {
  ASSIGN_OR_RETURN(store::Rows rows, tx.Query("SELECT body_json, version FROM catalog_bundle "
                                              "WHERE code = ? AND is_current = 1",
                                              {code}));
  if (rows.empty()) return std::optional<Bundle>();
  ASSIGN_OR_RETURN(Bundle b, ParseBundle(rows.front().Text(0), rows.front().Int(1)));
  return std::optional<Bundle>(std::move(b));
}

// Current bundles that name item `code`.
Result<std::vector<Bundle>> BundlesUsing(store::Tx& tx, const std::string& code) {
  ASSIGN_OR_RETURN(store::Rows rows,
                   tx.Query("SELECT body_json, version FROM catalog_bundle WHERE is_current = 1 "
                            "AND item_codes LIKE ? ESCAPE '\\' ORDER BY code",
                            {store::LikeContains("," + code + ",")}));
  std::vector<Bundle> out;
  for (const store::Row& r : rows) {
    ASSIGN_OR_RETURN(Bundle b, ParseBundle(r.Text(0), r.Int(1)));
    out.push_back(std::move(b));
  }
  return out;
}

// identity_department ids of the `codes` that exist.
Result<std::map<std::string, std::string>> DepartmentIds(store::Tx& tx,
                                                         const std::set<std::string>& codes) {
  std::map<std::string, std::string> out;
  if (codes.empty()) return out;
  std::string sql = "SELECT code, id FROM identity_department WHERE code IN (";
  std::vector<store::Value> params;
  for (const std::string& c : codes) {
    sql += params.empty() ? "?" : ",?";
    params.emplace_back(c);
  }
  ASSIGN_OR_RETURN(store::Rows rows, tx.Query(sql + ")", params));
  for (const store::Row& r : rows) out.emplace(r.Text(0), r.Text(1));
  return out;
}

std::set<std::string> DepartmentCodesOf(const Item& item) {
  std::set<std::string> codes;
  if (!item.department_code.empty()) codes.insert(item.department_code);
  for (const Step& s : item.steps) {
    if (!s.department_code.empty()) codes.insert(s.department_code);
  }
  return codes;
}

// Field errors for the departments of `item` that do not exist.
void UnknownDepartments(const Item& item, const std::map<std::string, std::string>& ids,
                        std::vector<FieldError>& problems) {
  if (!item.department_code.empty() && !ids.contains(item.department_code)) {
    problems.push_back({"departmentCode", "部门 " + item.department_code + " 不存在"});
  }
  for (std::size_t i = 0; i < item.steps.size(); ++i) {
    const std::string& d = item.steps[i].department_code;
    if (!d.empty() && !ids.contains(d)) {
      problems.push_back(
          {"steps[" + std::to_string(i) + "].departmentCode", "部门 " + d + " 不存在"});
    }
  }
}

// Checks that every current bundle naming `changed` (except `skip`) stays valid when the items
// of `replacement` replace the current ones. Problems are {bundle code, message}.
Result<std::vector<FieldError>> BrokenBundles(store::Tx& tx, const std::vector<Item>& changed,
                                              const std::map<std::string, Item>& replacement,
                                              const std::set<std::string>& skip) {
  std::map<std::string, Bundle> affected;
  for (const Item& item : changed) {
    ASSIGN_OR_RETURN(std::vector<Bundle> using_it, BundlesUsing(tx, item.code));
    for (Bundle& b : using_it) {
      if (!skip.contains(b.code)) affected.emplace(b.code, std::move(b));
    }
  }
  std::vector<FieldError> out;
  for (const auto& [code, bundle] : affected) {
    std::set<std::string> codes;
    for (const BundleItem& bi : bundle.items) codes.insert(bi.item_code);
    ASSIGN_OR_RETURN(std::vector<Item> items, LoadActiveItems(tx, codes));
    for (Item& i : items) {
      if (auto r = replacement.find(i.code); r != replacement.end()) i = r->second;
    }
    std::vector<FieldError> problems = BundleProblems(bundle, items);
    if (!problems.empty()) {
      out.push_back({code, "一件事「" + bundle.name + "」将不再有效：" +
                               Prefixed("", problems.front().field) + " " +
                               problems.front().message});
    }
  }
  return out;
}

Result<void> InsertItem(store::Tx& tx, const Item& item, const std::string& by, Millis now) {
  Result<std::int64_t> r = tx.Exec(
      "INSERT INTO catalog_item (code, version, name, department_code, basic_code, item_type, "
      "service_objects, is_current, retired, body_json, created_by, created_at_ms) "
      "VALUES (?,?,?,?,?,?,?,1,0,?,?,?)",
      {item.code, std::int64_t{item.version}, item.name, item.department_code, item.basic_code,
       item.item_type, Joined(item.service_objects), json::serialize(ItemToJson(item)), by, now});
  if (!r.has_value() && r.error().code == ErrorCode::kAlreadyExists) {
    return VersionConflict("事项", item.version, item.version - 1);
  }
  RETURN_IF_ERROR(r);
  return Ok();
}

Result<void> InsertBundle(store::Tx& tx, const Bundle& b, const std::string& by, Millis now) {
  Result<std::int64_t> r = tx.Exec(
      "INSERT INTO catalog_bundle (code, version, name, category, department_code, item_codes, "
      "is_current, body_json, created_by, created_at_ms) VALUES (?,?,?,?,?,?,1,?,?,?)",
      {b.code, std::int64_t{b.version}, b.name, b.category, b.department_code, ItemCodesColumn(b),
       json::serialize(BundleToJson(b)), by, now});
  if (!r.has_value() && r.error().code == ErrorCode::kAlreadyExists) {
    return VersionConflict("一件事", b.version, b.version - 1);
  }
  RETURN_IF_ERROR(r);
  return Ok();
}

// Makes `version` of `table`'s `code` no longer current; the row lock also serialises rival
// writers (the loser updates 0 rows: a version conflict).
Result<void> Demote(store::Tx& tx, const char* table, const char* what, const std::string& code,
                    int version) {
  ASSIGN_OR_RETURN(std::int64_t n,
                   tx.Exec(std::string("UPDATE ") + table +
                               " SET is_current = 0 WHERE code = ? AND version = ? AND "
                               "is_current = 1",
                           {code, std::int64_t{version}}));
  if (n == 0) return VersionConflict(what, version + 1, version);
  return Ok();
}

std::string SaveDetails(int version, const std::string& name, const std::string& department,
                        const char* source) {
  return json::serialize(json::object{{"version", version},
                                      {"previousVersion", version - 1},
                                      {"name", name},
                                      {"departmentCode", department},
                                      {"source", source}});
}

// Writes `item` as the next version after `current` (none: version 1) and audits it.
Result<Item> WriteItem(store::Tx& tx, const audit::AuditLog& audit,
                       const identity::Principal& actor, Item item,
                       const std::optional<CurrentItemRow>& current, Millis now,
                       const char* source) {
  item.version = current ? current->item.version + 1 : 1;
  if (current)
    RETURN_IF_ERROR(Demote(tx, "catalog_item", "事项", item.code, current->item.version));
  RETURN_IF_ERROR(InsertItem(tx, item, actor.user_id, now));
  RETURN_IF_ERROR(
      audit.Append(tx, identity::ActorOf(actor),
                   {"catalog.item.save", "catalog_item", item.code, std::nullopt, "",
                    SaveDetails(item.version, item.name, item.department_code, source)}));
  return item;
}

Result<Bundle> WriteBundle(store::Tx& tx, const audit::AuditLog& audit,
                           const identity::Principal& actor, Bundle bundle,
                           const std::optional<Bundle>& current, Millis now, const char* source) {
  bundle.version = current ? current->version + 1 : 1;
  if (current) {
    RETURN_IF_ERROR(Demote(tx, "catalog_bundle", "一件事", bundle.code, current->version));
  }
  RETURN_IF_ERROR(InsertBundle(tx, bundle, actor.user_id, now));
  RETURN_IF_ERROR(
      audit.Append(tx, identity::ActorOf(actor),
                   {"catalog.bundle.save", "catalog_bundle", bundle.code, std::nullopt, "",
                    SaveDetails(bundle.version, bundle.name, bundle.department_code, source)}));
  return bundle;
}

// kPermissionDenied unless `actor` may manage the catalogue of `department_code`.
Result<void> RequireDepartment(const identity::Principal& actor,
                               const std::map<std::string, std::string>& ids,
                               const std::string& department_code) {
  auto it = ids.find(department_code);
  return identity::RequireInScope(actor, Permission::kManageCatalog,
                                  it == ids.end() ? std::optional<std::string_view>()
                                                  : std::optional<std::string_view>(it->second));
}

std::string Lower(std::string s) {
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return s;
}

}  // namespace

// ---- Reads ----

Result<Item> CatalogService::GetItem(const std::string& code, int version) {
  if (version < 0) return NotFound("catalog.item_not_found", "事项版本号不能为负数");
  return store::Read(db_, [&](store::Tx& tx) { return LoadItem(tx, code, version); });
}

Result<Bundle> CatalogService::GetBundle(const std::string& code, int version) {
  return store::Read(db_, [&](store::Tx& tx) -> Result<Bundle> {
    store::Rows rows;
    if (version == 0) {
      ASSIGN_OR_RETURN(rows, tx.Query("SELECT body_json, version FROM catalog_bundle "
                                      "WHERE code = ? AND is_current = 1",
                                      {code}));
    } else {
      ASSIGN_OR_RETURN(rows, tx.Query("SELECT body_json, version FROM catalog_bundle "
                                      "WHERE code = ? AND version = ?",
                                      {code, std::int64_t{version}}));
    }
    if (rows.empty()) {
      return NotFound("catalog.bundle_not_found",
                      version == 0
                          ? "一件事 " + code + " 不存在"
                          : "一件事 " + code + " 没有第 " + std::to_string(version) + " 版");
    }
    return ParseBundle(rows.front().Text(0), rows.front().Int(1));
  });
}

Result<std::vector<Item>> CatalogService::ItemsOf(const Bundle& bundle) {
  return store::Read(db_, [&](store::Tx& tx) -> Result<std::vector<Item>> {
    std::vector<Item> out;
    for (const BundleItem& bi : bundle.items) {
      ASSIGN_OR_RETURN(Item item, LoadItem(tx, bi.item_code, 0));
      out.push_back(std::move(item));
    }
    return out;
  });
}

Result<ItemPage> CatalogService::SearchItems(const ItemQuery& query) {
  if (query.limit < 1 || query.limit > 100 || query.offset < 0) {
    return InvalidArgument("catalog.bad_query", "分页参数有误：每页 1–100 条，偏移不能为负数");
  }
  std::string where = " WHERE is_current = 1";
  std::vector<store::Value> params;
  if (!query.include_retired) where += " AND retired = 0";
  const std::string text(text::TrimSpace(query.text));
  if (!text.empty()) {
    where += " AND (LOWER(name) LIKE ? ESCAPE '\\' OR LOWER(code) LIKE ? ESCAPE '\\')";
    params.emplace_back(store::LikeContains(Lower(text)));
    params.emplace_back(store::LikeContains(Lower(text)));
  }
  if (!query.department_code.empty()) {
    where += " AND department_code = ?";
    params.emplace_back(query.department_code);
  }
  if (query.service_object) {
    where += " AND service_objects LIKE ? ESCAPE '\\'";
    params.emplace_back(store::LikeContains("," + std::to_string(*query.service_object) + ","));
  }
  return store::Read(db_, [&](store::Tx& tx) -> Result<ItemPage> {
    ItemPage page;
    ASSIGN_OR_RETURN(store::Rows count,
                     tx.Query("SELECT COUNT(*) FROM catalog_item" + where, params));
    page.total = count.front().Int(0);
    std::vector<store::Value> p = params;
    p.emplace_back(std::int64_t{query.limit});
    p.emplace_back(std::int64_t{query.offset});
    ASSIGN_OR_RETURN(store::Rows rows,
                     tx.Query(std::string("SELECT ") + kItemColumns + " FROM catalog_item" + where +
                                  " ORDER BY code LIMIT ? OFFSET ?",
                              p));
    for (const store::Row& r : rows) {
      ASSIGN_OR_RETURN(Item item, ParseItem(r.Text(0), r.Int(1)));
      page.items.push_back(std::move(item));
    }
    return page;
  });
}

Result<std::vector<Bundle>> CatalogService::ListBundles() {
  return store::Read(db_, [&](store::Tx& tx) -> Result<std::vector<Bundle>> {
    ASSIGN_OR_RETURN(store::Rows rows,
                     tx.Query("SELECT body_json, version FROM catalog_bundle WHERE is_current = 1 "
                              "ORDER BY code"));
    std::vector<Bundle> out;
    for (const store::Row& r : rows) {
      ASSIGN_OR_RETURN(Bundle b, ParseBundle(r.Text(0), r.Int(1)));
      out.push_back(std::move(b));
    }
    return out;
  });
}

Result<PlannedBundle> CatalogService::PlanOf(const std::string& bundle_code,
                                             const Answers& answers) {
  PlannedBundle out;
  ASSIGN_OR_RETURN(out.bundle, GetBundle(bundle_code, 0));
  ASSIGN_OR_RETURN(out.items, ItemsOf(out.bundle));
  ASSIGN_OR_RETURN(out.plan, PlanBundle(out.bundle, out.items, answers));
  return out;
}

Result<PlannedBundle> CatalogService::PreviewPlan(const identity::Principal& actor,
                                                  const Bundle& bundle, const Answers& answers) {
  RETURN_IF_ERROR(identity::Require(actor, Permission::kManageCatalog));
  PlannedBundle out;
  out.bundle = bundle;
  RETURN_IF_ERROR(store::Read(db_, [&](store::Tx& tx) -> Result<void> {
    std::set<std::string> codes;
    for (const BundleItem& bi : bundle.items) codes.insert(bi.item_code);
    ASSIGN_OR_RETURN(std::vector<Item> items, LoadActiveItems(tx, codes));
    std::vector<FieldError> problems = BundleProblems(bundle, items);
    if (!bundle.department_code.empty()) {
      ASSIGN_OR_RETURN(auto ids, DepartmentIds(tx, {bundle.department_code}));
      if (!ids.contains(bundle.department_code)) {
        problems.push_back({"departmentCode", "部门 " + bundle.department_code + " 不存在"});
      }
    }
    if (!problems.empty()) return InvalidBundle(bundle, std::move(problems));
    // In bundle order, as ItemsOf gives them.
    for (const BundleItem& bi : bundle.items) {
      for (Item& item : items) {
        if (item.code == bi.item_code) out.items.push_back(std::move(item));
      }
    }
    return Ok();
  }));
  ASSIGN_OR_RETURN(out.plan, PlanBundle(out.bundle, out.items, answers));
  return out;
}

// ---- Writes ----

Result<Item> CatalogService::SaveItem(const identity::Principal& actor, const Item& item) {
  RETURN_IF_ERROR(identity::Require(actor, Permission::kManageCatalog));
  std::vector<FieldError> problems = ItemProblems(item);
  return store::Transact(db_, [&](store::Tx& tx) -> Result<Item> {
    std::vector<FieldError> all = problems;
    ASSIGN_OR_RETURN(auto ids, DepartmentIds(tx, DepartmentCodesOf(item)));
    UnknownDepartments(item, ids, all);
    if (!all.empty()) return InvalidItem(item, std::move(all));
    RETURN_IF_ERROR(RequireDepartment(actor, ids, item.department_code));

    ASSIGN_OR_RETURN(std::optional<CurrentItemRow> current, LoadCurrentItem(tx, item.code));
    const int current_version = current ? current->item.version : 0;
    if (item.version != current_version) {
      return VersionConflict("事项", current_version, item.version);
    }
    if (current) {
      // The department that owned it must be in scope too (no moving items out of others').
      ASSIGN_OR_RETURN(auto old_ids, DepartmentIds(tx, {current->item.department_code}));
      RETURN_IF_ERROR(RequireDepartment(actor, old_ids, current->item.department_code));
      if (!current->retired && SameItem(current->item, item)) return current->item;
    }
    ASSIGN_OR_RETURN(std::vector<FieldError> broken,
                     BrokenBundles(tx, {item}, {{item.code, item}}, {}));
    if (!broken.empty()) {
      Error e = FailedPrecondition("catalog.breaks_bundle", broken.front().message);
      e.fields = std::move(broken);
      return e;
    }
    return WriteItem(tx, audit_, actor, item, current, clock_.NowMs(), "edit");
  });
}

Result<Bundle> CatalogService::SaveBundle(const identity::Principal& actor, const Bundle& bundle) {
  RETURN_IF_ERROR(identity::Require(actor, Permission::kManageCatalog));
  return store::Transact(db_, [&](store::Tx& tx) -> Result<Bundle> {
    std::set<std::string> codes;
    for (const BundleItem& bi : bundle.items) codes.insert(bi.item_code);
    ASSIGN_OR_RETURN(std::vector<Item> items, LoadActiveItems(tx, codes));
    std::vector<FieldError> problems = BundleProblems(bundle, items);
    std::set<std::string> departments;
    if (!bundle.department_code.empty()) departments.insert(bundle.department_code);
    ASSIGN_OR_RETURN(auto ids, DepartmentIds(tx, departments));
    if (!bundle.department_code.empty() && !ids.contains(bundle.department_code)) {
      problems.push_back({"departmentCode", "部门 " + bundle.department_code + " 不存在"});
    }
    if (!problems.empty()) return InvalidBundle(bundle, std::move(problems));
    RETURN_IF_ERROR(RequireDepartment(actor, ids, bundle.department_code));

    ASSIGN_OR_RETURN(std::optional<Bundle> current, LoadCurrentBundle(tx, bundle.code));
    const int current_version = current ? current->version : 0;
    if (bundle.version != current_version) {
      return VersionConflict("一件事", current_version, bundle.version);
    }
    if (current) {
      ASSIGN_OR_RETURN(auto old_ids, DepartmentIds(tx, {current->department_code}));
      RETURN_IF_ERROR(RequireDepartment(actor, old_ids, current->department_code));
      if (SameBundle(*current, bundle)) return *current;
    }
    return WriteBundle(tx, audit_, actor, bundle, current, clock_.NowMs(), "edit");
  });
}

Result<Item> CatalogService::RetireItem(const identity::Principal& actor, const std::string& code,
                                        int version, const std::string& reason) {
  RETURN_IF_ERROR(identity::Require(actor, Permission::kManageCatalog));
  const std::string why(text::TrimSpace(reason));
  const std::size_t n = text::CountCodePoints(why);
  if (n < 2 || n > 200) {
    return InvalidArgument("catalog.invalid_reason", "停用原因须为 2–200 个字")
        .WithField("reason", "停用原因须为 2–200 个字");
  }
  return store::Transact(db_, [&](store::Tx& tx) -> Result<Item> {
    ASSIGN_OR_RETURN(std::optional<CurrentItemRow> current, LoadCurrentItem(tx, code));
    if (!current) return NotFound("catalog.item_not_found", "事项 " + code + " 不存在");
    ASSIGN_OR_RETURN(auto ids, DepartmentIds(tx, {current->item.department_code}));
    RETURN_IF_ERROR(RequireDepartment(actor, ids, current->item.department_code));
    if (current->item.version != version) {
      return VersionConflict("事项", current->item.version, version);
    }
    if (current->retired) {
      return FailedPrecondition("catalog.item_retired", "事项《" + current->item.name + "》已停用");
    }
    ASSIGN_OR_RETURN(std::vector<Bundle> users, BundlesUsing(tx, code));
    if (!users.empty()) {
      return FailedPrecondition("catalog.item_in_use", "事项《" + current->item.name +
                                                           "》被一件事「" + users.front().name +
                                                           "」使用，请先将其移出后再停用");
    }
    const Millis now = clock_.NowMs();
    ASSIGN_OR_RETURN(std::int64_t changed,
                     tx.Exec("UPDATE catalog_item SET retired = 1, retired_by = ?, "
                             "retired_at_ms = ? WHERE code = ? AND version = ? AND "
                             "is_current = 1 AND retired = 0",
                             {actor.user_id, now, code, std::int64_t{version}}));
    if (changed == 0) return VersionConflict("事项", version + 1, version);
    RETURN_IF_ERROR(audit_.Append(
        tx, identity::ActorOf(actor),
        {"catalog.item.retire", "catalog_item", code, std::nullopt, why,
         json::serialize(json::object{{"version", version}, {"name", current->item.name}})}));
    return current->item;
  });
}

// ---- Import / export ----

Result<ImportReport> CatalogService::Import(const identity::Principal& actor,
                                            std::string_view text) {
  RETURN_IF_ERROR(identity::Require(actor, Permission::kManageCatalog));
  auto invalid = [](std::vector<FieldError> fields) {
    Error e = InvalidArgument("catalog.invalid_import",
                              "导入文件有 " + std::to_string(fields.size()) +
                                  " 处问题，未导入任何内容。第一处：" + fields.front().message);
    e.fields = std::move(fields);
    return e;
  };

  // Syntax, with line numbers (and no repeated keys), then the values themselves.
  Result<JsonPositions> scanned = JsonPositions::Scan(text);
  if (!scanned.has_value()) return invalid({{"file", scanned.error().message}});
  const JsonPositions& positions = *scanned;
  json::value root;
  {
    boost::system::error_code ec;
    json::stream_parser parser;
    const std::size_t used = parser.write_some(text.data(), text.size(), ec);
    if (!ec) parser.finish(ec);
    if (ec) {
      const TextPosition p = JsonPositions::At(text, used);
      return invalid(
          {{"file", "第 " + std::to_string(p.line) + " 行第 " + std::to_string(p.column) +
                        " 列：JSON 语法错误（" + ec.message() + "）"}});
    }
    root = parser.release();
  }

  std::vector<FieldError> problems;  // JSON paths from the root of the file
  auto add = [&](const std::string& prefix, const std::vector<FieldError>& fields) {
    for (const FieldError& f : fields) problems.push_back({Prefixed(prefix, f.field), f.message});
  };
  std::vector<Item> items;
  std::vector<std::string> item_paths;
  std::vector<Bundle> bundles;
  std::vector<std::string> bundle_paths;
  if (!root.is_object()) {
    problems.push_back({"", "导入文件应为 JSON 对象：{\"items\": […], \"bundles\": […]}"});
  } else {
    for (const auto& [key, value] : root.get_object()) {
      const bool is_items = key == "items", is_bundles = key == "bundles";
      if (!is_items && !is_bundles) {
        problems.push_back({std::string(key), "未知的键（应为 items 或 bundles）"});
        continue;
      }
      if (value.is_null()) continue;
      if (!value.is_array()) {
        problems.push_back({std::string(key), "应为数组"});
        continue;
      }
      const json::array& list = value.get_array();
      for (std::size_t i = 0; i < list.size(); ++i) {
        const std::string path = std::string(key) + "[" + std::to_string(i) + "]";
        if (is_items) {
          Result<Item> item = ItemFromJson(list[i]);
          if (!item.has_value()) {
            add(path, item.error().fields);
            continue;
          }
          item->version = 0;
          add(path, ItemProblems(*item));
          items.push_back(std::move(*item));
          item_paths.push_back(path);
        } else {
          Result<Bundle> bundle = BundleFromJson(list[i]);
          if (!bundle.has_value()) {
            add(path, bundle.error().fields);
            continue;
          }
          bundle->version = 0;
          bundles.push_back(std::move(*bundle));
          bundle_paths.push_back(path);
        }
      }
    }
  }
  std::map<std::string, std::size_t> first_item, first_bundle;
  for (std::size_t i = 0; i < items.size(); ++i) {
    auto [it, fresh] = first_item.emplace(items[i].code, i);
    if (!fresh)
      problems.push_back(
          {item_paths[i] + ".code", "实施编码与 " + item_paths[it->second] + " 重复"});
  }
  for (std::size_t i = 0; i < bundles.size(); ++i) {
    auto [it, fresh] = first_bundle.emplace(bundles[i].code, i);
    if (!fresh) {
      problems.push_back(
          {bundle_paths[i] + ".code", "一件事编码与 " + bundle_paths[it->second] + " 重复"});
    }
  }

  auto format = [&](std::vector<FieldError> fields) {
    std::stable_sort(fields.begin(), fields.end(), [&](const FieldError& a, const FieldError& b) {
      const TextPosition pa = positions.Find(a.field), pb = positions.Find(b.field);
      return std::pair(pa.line, pa.column) < std::pair(pb.line, pb.column);
    });
    for (FieldError& f : fields) {
      if (f.message.starts_with("第 ")) continue;  // already placed (syntax errors)
      const TextPosition p = positions.Find(f.field);
      f.message = "第 " + std::to_string(p.line) + " 行 " + f.field +
                  (f.field.empty() ? "" : "：") + f.message;
      if (f.field.empty()) f.field = "file";  // the file as a whole
    }
    return invalid(std::move(fields));
  };

  return store::Transact(db_, [&](store::Tx& tx) -> Result<ImportReport> {
    std::vector<FieldError> all = problems;
    // Departments.
    std::set<std::string> dept_codes;
    for (const Item& i : items) dept_codes.merge(DepartmentCodesOf(i));
    for (const Bundle& b : bundles) {
      if (!b.department_code.empty()) dept_codes.insert(b.department_code);
    }
    ASSIGN_OR_RETURN(auto ids, DepartmentIds(tx, dept_codes));
    for (std::size_t i = 0; i < items.size(); ++i) {
      std::vector<FieldError> unknown;
      UnknownDepartments(items[i], ids, unknown);
      for (const FieldError& f : unknown)
        all.push_back({Prefixed(item_paths[i], f.field), f.message});
    }
    // Bundles against the catalogue as it will be: current items overlaid by the file's.
    std::map<std::string, Item> incoming;
    for (const Item& i : items) incoming.emplace(i.code, i);
    for (std::size_t k = 0; k < bundles.size(); ++k) {
      const Bundle& b = bundles[k];
      std::set<std::string> codes;
      for (const BundleItem& bi : b.items) {
        if (!incoming.contains(bi.item_code)) codes.insert(bi.item_code);
      }
      ASSIGN_OR_RETURN(std::vector<Item> available, LoadActiveItems(tx, codes));
      for (const BundleItem& bi : b.items) {
        if (auto it = incoming.find(bi.item_code); it != incoming.end()) {
          available.push_back(it->second);
        }
      }
      for (const FieldError& f : BundleProblems(b, available)) {
        all.push_back({Prefixed(bundle_paths[k], f.field), f.message});
      }
      if (!b.department_code.empty() && !ids.contains(b.department_code)) {
        all.push_back(
            {bundle_paths[k] + ".departmentCode", "部门 " + b.department_code + " 不存在"});
      }
    }
    // Bundles already in the catalogue (and not in the file) that the new items would break.
    std::set<std::string> in_file;
    for (const Bundle& b : bundles) in_file.insert(b.code);
    ASSIGN_OR_RETURN(std::vector<FieldError> broken, BrokenBundles(tx, items, incoming, in_file));
    // Stored bundles are not in the file: reported against the file as a whole.
    for (const FieldError& f : broken) all.push_back({"", "数据库中的" + f.message});
    if (!all.empty()) return format(std::move(all));

    // Permission per department (before anything is written).
    for (const Item& i : items) RETURN_IF_ERROR(RequireDepartment(actor, ids, i.department_code));
    for (const Bundle& b : bundles) {
      RETURN_IF_ERROR(RequireDepartment(actor, ids, b.department_code));
    }

    ImportReport report;
    const Millis now = clock_.NowMs();
    for (const Item& item : items) {
      ASSIGN_OR_RETURN(std::optional<CurrentItemRow> current, LoadCurrentItem(tx, item.code));
      if (current && !current->retired && SameItem(current->item, item)) {
        ++report.items_unchanged;
        continue;
      }
      if (current) {
        ASSIGN_OR_RETURN(auto old_ids, DepartmentIds(tx, {current->item.department_code}));
        RETURN_IF_ERROR(RequireDepartment(actor, old_ids, current->item.department_code));
      }
      ++(current ? report.items_new_version : report.items_new);
      RETURN_IF_ERROR(WriteItem(tx, audit_, actor, item, current, now, "import"));
    }
    for (const Bundle& bundle : bundles) {
      ASSIGN_OR_RETURN(std::optional<Bundle> current, LoadCurrentBundle(tx, bundle.code));
      if (current && SameBundle(*current, bundle)) {
        ++report.bundles_unchanged;
        continue;
      }
      if (current) {
        ASSIGN_OR_RETURN(auto old_ids, DepartmentIds(tx, {current->department_code}));
        RETURN_IF_ERROR(RequireDepartment(actor, old_ids, current->department_code));
      }
      ++(current ? report.bundles_new_version : report.bundles_new);
      RETURN_IF_ERROR(WriteBundle(tx, audit_, actor, bundle, current, now, "import"));
    }
    RETURN_IF_ERROR(audit_.Append(
        tx, identity::ActorOf(actor),
        {"catalog.import", "catalog", "import", std::nullopt, "",
         json::serialize(json::object{{"itemsNew", report.items_new},
                                      {"itemsNewVersion", report.items_new_version},
                                      {"itemsUnchanged", report.items_unchanged},
                                      {"bundlesNew", report.bundles_new},
                                      {"bundlesNewVersion", report.bundles_new_version},
                                      {"bundlesUnchanged", report.bundles_unchanged}})}));
    return report;
  });
}

Result<std::string> CatalogService::Export(const identity::Principal& actor) {
  RETURN_IF_ERROR(identity::Require(actor, Permission::kManageCatalog));
  return store::Read(db_, [&](store::Tx& tx) -> Result<std::string> {
    json::array items, bundles;
    ASSIGN_OR_RETURN(store::Rows item_rows,
                     tx.Query(std::string("SELECT ") + kItemColumns +
                              " FROM catalog_item WHERE is_current = 1 AND retired = 0 "
                              "ORDER BY code"));
    for (const store::Row& r : item_rows) {
      ASSIGN_OR_RETURN(Item item, ParseItem(r.Text(0), r.Int(1)));
      items.push_back(ItemToJson(item));
    }
    ASSIGN_OR_RETURN(store::Rows bundle_rows,
                     tx.Query("SELECT body_json, version FROM catalog_bundle WHERE is_current = 1 "
                              "ORDER BY code"));
    for (const store::Row& r : bundle_rows) {
      ASSIGN_OR_RETURN(Bundle b, ParseBundle(r.Text(0), r.Int(1)));
      bundles.push_back(BundleToJson(b));
    }
    return PrettyJson(json::object{{"items", std::move(items)}, {"bundles", std::move(bundles)}});
  });
}

}  // namespace onestop::catalog
