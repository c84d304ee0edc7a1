// Where the matcher's enterprise data comes from (企业数据). The enterprise fact store
// (policy/enterprise_service.h, tables policy_enterprise / policy_enterprise_fact) implements it;
// campaigns (policy/campaign_service.h), the 试算 dry run and 为我推荐 read through it, and tests
// may give an in-memory one. Every fact carries the department it came from and its as-of date,
// so a match or a payment can record the data snapshot it was computed from.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "identity/principal.h"
#include "policy/matcher.h"
#include "policy/rule.h"

namespace onestop::policy {

// One fact of one enterprise with its provenance.
struct SourcedFact {
  std::string fact;    // key of the FactSchema ("employees")
  Value value;         // as in the neutral format
  std::string source;  // providing department: "市场监管" / "税务" / "人社" / "科技" / "信用" …
  std::string as_of;   // YYYY-MM-DD: the date the department's data describes
};

// All facts of one enterprise at one moment: what a match and a payment record.
struct FactSnapshot {
  std::string enterprise_id;  // the id of the neutral format: 统一社会信用代码
  std::string name;           // 企业名称 ("" when unknown)
  std::vector<SourcedFact> facts;  // by fact key
  Millis taken_at_ms = 0;

  Facts AsFacts() const;  // for policy::Evaluate / Explain / formulas
};

// The snapshot as stored with a match or a payment:
// {"enterpriseId","name","takenAtMs","facts":[{"fact","value","source","asOf"}…]}.
std::string SnapshotToJson(const FactSnapshot& snapshot);
Result<FactSnapshot> SnapshotFromJson(std::string_view json);

class FactSource {
 public:
  virtual ~FactSource() = default;
  // Every enterprise's facts as a column store for a bulk match (FactStore::Seal()ed).
  virtual Result<FactStore> LoadAll() = 0;
  // One enterprise's facts with their sources. kNotFound policy.no_such_enterprise.
  virtual Result<FactSnapshot> Snapshot(const std::string& enterprise_id) = 0;
  // The enterprise id (统一社会信用代码) of a signed-in enterprise account, for 为我推荐.
  // kFailedPrecondition policy.not_enterprise when `actor` is not one (the default).
  virtual Result<std::string> EnterpriseIdOf(const identity::Principal& actor);
};

}  // namespace onestop::policy
