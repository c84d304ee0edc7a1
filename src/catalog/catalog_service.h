// CatalogService: the catalogue (事项目录) and bundles (一件事) in the database. Every save
// stores a new version (old versions stay readable: cases keep the version they were filed
// under), with optimistic concurrency on the version being edited, and is audited. Reads are
// public (the portal needs no login). Import / Export use the JSON exchange format
// (catalog_json.h, docs/catalog-format.md). Workflow over bundles is cases/, not here.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "audit/audit_log.h"
#include "catalog/bundle.h"
#include "catalog/item.h"
#include "core/clock.h"
#include "identity/principal.h"
#include "store/db.h"

namespace onestop::catalog {

struct ItemQuery {
  std::string text;             // 事项名称 or 实施编码 contains (ASCII case-insensitive)
  std::string department_code;  // "" = any
  std::optional<int> service_object;  // GB/T 39046 表A.4 code, e.g. 1 = 自然人
  bool include_retired = false;       // 已停用 items too (admin lists)
  int offset = 0;
  int limit = 20;  // 1–100
};

struct ItemPage {
  std::vector<Item> items;  // current versions, ordered by code
  std::int64_t total = 0;
};

// One bundle planned for one set of answers, with the items it was planned against.
struct PlannedBundle {
  Bundle bundle;
  std::vector<Item> items;  // current versions of every item the bundle names
  BundlePlan plan;
};

struct ImportReport {
  int items_new = 0;          // codes not in the catalogue before
  int items_new_version = 0;  // changed (or 已停用 and now back): a new version
  int items_unchanged = 0;    // identical to the current version: nothing written
  int bundles_new = 0;
  int bundles_new_version = 0;
  int bundles_unchanged = 0;
};

class CatalogService {
 public:
  CatalogService(store::Db& db, const Clock& clock, const audit::AuditLog& audit)
      : db_(db), clock_(clock), audit_(audit) {}

  // The item `code` at `version`, or its current version when `version` is 0.
  // kNotFound catalog.item_not_found; catalog.item_retired (version 0 of a retired item).
  Result<Item> GetItem(const std::string& code, int version = 0);
  // kNotFound catalog.bundle_not_found.
  Result<Bundle> GetBundle(const std::string& code, int version = 0);
  // The current versions of the items `bundle` names, in bundle order.
  // kNotFound catalog.item_not_found / catalog.item_retired.
  Result<std::vector<Item>> ItemsOf(const Bundle& bundle);
  // Current items matching `query`. kInvalidArgument catalog.bad_query (limit, offset).
  Result<ItemPage> SearchItems(const ItemQuery& query);
  // Every current bundle, ordered by code.
  Result<std::vector<Bundle>> ListBundles();
  // The current bundle `code` planned for `answers` (PlanBundle and its errors).
  Result<PlannedBundle> PlanOf(const std::string& bundle_code, const Answers& answers);
  // Plans `bundle` as given (an unsaved edit) against the current items, writing nothing: the
  // editors' live figures. kPermissionDenied without catalog.manage; kInvalidArgument
  // catalog.invalid_bundle (every problem SaveBundle would report, unknown lead department
  // included) or PlanBundle's errors.
  Result<PlannedBundle> PreviewPlan(const identity::Principal& actor, const Bundle& bundle,
                                    const Answers& answers);

  // Saves `item` as a new version. `item.version` is the version the caller edited (0 for a
  // new item). An item identical to the current version is returned unchanged (no new version,
  // no audit entry). kPermissionDenied without catalog.manage or when the item's department is
  // outside the actor's data scope; kInvalidArgument catalog.invalid_item (every problem, with
  // unknown departments); kAborted catalog.version_conflict when `item.version` is stale;
  // kFailedPrecondition catalog.breaks_bundle when a current bundle would become invalid.
  Result<Item> SaveItem(const identity::Principal& actor, const Item& item);
  // As SaveItem for a bundle; its items must be current. kInvalidArgument catalog.invalid_bundle.
  Result<Bundle> SaveBundle(const identity::Principal& actor, const Bundle& bundle);
  // Retires (停用) the current version `version` of item `code`: it leaves searches and cannot be
  // planned or filed any more; old versions stay readable; saving it again brings it back.
  // kInvalidArgument catalog.invalid_reason (2–200 characters); kNotFound; kAborted
  // catalog.version_conflict; kFailedPrecondition catalog.item_retired, catalog.item_in_use
  // (a current bundle names it).
  Result<Item> RetireItem(const identity::Principal& actor, const std::string& code, int version,
                          const std::string& reason);

  // Imports a whole exchange file (items and bundles) in one transaction: nothing is written
  // unless every item and bundle is valid. "version" keys are ignored. kInvalidArgument
  // catalog.invalid_import whose field errors each read "第 L 行 <path>：<problem>";
  // kPermissionDenied as SaveItem.
  Result<ImportReport> Import(const identity::Principal& actor, std::string_view text);
  // Every current item and bundle in the exchange format (with "version"), pretty-printed.
  // kPermissionDenied without catalog.manage.
  Result<std::string> Export(const identity::Principal& actor);

 private:
  store::Db& db_;
  const Clock& clock_;
  const audit::AuditLog& audit_;
};

}  // namespace onestop::catalog
