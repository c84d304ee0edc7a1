// Bundles (一件事): items from several departments applied for at once, with dependency edges
// (prerequisite → next, with field mappings) and situations (情形) whose answers select the
// items and materials that apply. PlanBundle derives what an applicant actually faces — the
// merged form, the merged material list, the critical-path time limit — and the reform's
// before / after figures, from data only.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "catalog/item.h"
#include "core/result.h"

namespace onestop::catalog {

// One answer choice of a situation question. Items and materials named here apply only when
// this option is chosen (see BundleItem::when and Material skipping below).
struct SituationOption {
  std::string code;   // "yes"
  std::string label;  // "是"
  std::vector<std::string> skip_materials;  // material keys not needed when this is chosen
  bool operator==(const SituationOption&) const = default;
};

struct Situation {
  std::string code;      // "parents_married"
  std::string question;  // "父母是否已登记结婚？"
  std::vector<SituationOption> options;
  bool operator==(const Situation&) const = default;
};

// An item of the bundle. It applies when `when` is empty, or when any of its conditions
// "<situation code>=<option code>" holds for the answers.
struct BundleItem {
  std::string item_code;  // 实施编码
  std::vector<std::string> when;
  bool blocking = true;  // a rejection ends the whole case (false: the others carry on)
  bool operator==(const BundleItem&) const = default;
};

// A result field of `from` copied into a form field of `to` when `to` starts.
struct FieldMapping {
  std::string from_field;  // one of the prerequisite's ItemResult::fields
  std::string to_field;    // a FormField::key of the next item
  bool operator==(const FieldMapping&) const = default;
};

// `to` starts only when `from` is approved.
struct Edge {
  std::string from;  // item code
  std::string to;    // item code
  std::vector<FieldMapping> mappings;
  bool operator==(const Edge&) const = default;
};

struct Bundle {
  std::string code;  // "birth"
  int version = 0;
  std::string name;        // "出生一件事"
  std::string category;    // "person" / "enterprise" / "project"
  std::string description;
  std::string department_code;  // 牵头部门
  std::vector<Situation> situations;
  std::vector<BundleItem> items;
  std::vector<Edge> edges;
  bool operator==(const Bundle&) const = default;
};

// Situation code → option code.
using Answers = std::map<std::string, std::string>;

// A field of the merged form and the items that ask for it.
struct MergedField {
  FormField field;
  std::vector<std::string> item_codes;
  bool filled_by_prerequisite = false;  // mapped from an earlier item's result: not asked
};

// A material of the merged list and the items that need it.
struct MergedMaterial {
  Material material;
  std::vector<std::string> item_codes;
};

// A material left out of the merged list, and why ("由《出生医学证明签发》办结后生成").
struct DroppedMaterial {
  Material material;
  std::string item_code;
  std::string reason;
};

// The before / after figures the reform reports (材料 24 → 7, 时限, 跑动 8 → 1).
struct BundleFigures {
  int materials_before = 0;  // sum of each selected item's own materials
  int materials_after = 0;   // merged, de-duplicated, minus produced ones
  int days_before = 0;       // sum of the selected items' promised limits, in working days
  int days_after = 0;        // critical path of the dependency graph, in working days
  int visits_before = 0;     // sum of the selected items' own required visits
  int visits_after = 0;      // 1 if any selected item needs a visit, else 0
  int items = 0;             // selected items
  int departments = 0;       // distinct departments among them
  // 减证办: materials_after minus the merged materials a licence type can stand in for
  // (Material::licence_type set), i.e. what is left to bring when the applicant holds them all.
  int materials_with_licences = 0;
};

struct BundlePlan {
  std::vector<std::string> item_codes;  // selected items, in a topological order
  std::vector<Edge> edges;              // edges among the selected items
  std::vector<MergedField> fields;
  std::vector<MergedMaterial> materials;
  std::vector<DroppedMaterial> dropped;
  std::vector<std::string> critical_path;  // item codes on the longest path
  BundleFigures figures;
};

// Natural-day limits count as ⌈N × 5 / 7⌉ working days in the bundle figures (shown with
// the figures); a case still counts each item's own unit.
int LimitInWorkingDays(const TimeLimit& limit);

// Derives the plan of `bundle` for `answers`. `items` must hold every item the bundle names
// (at the version the bundle is planned against). kInvalidArgument catalog.bad_answer when an
// answer names an unknown situation or option, catalog.missing_answer when a question that
// decides something is unanswered; kFailedPrecondition catalog.cycle when the edges loop,
// catalog.unknown_item when an item is missing.
Result<BundlePlan> PlanBundle(const Bundle& bundle, const std::vector<Item>& items,
                              const Answers& answers);

}  // namespace onestop::catalog
