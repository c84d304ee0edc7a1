// Departments (部门): a tree that follows the administrative hierarchy, province → city →
// county → township → village, each with a 行政区划代码. DepartmentService is the entry point.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "audit/audit_log.h"
#include "core/clock.h"
#include "identity/principal.h"
#include "store/db.h"

namespace onestop::identity {

enum class DeptLevel { kProvince, kCity, kCounty, kTownship, kVillage };
const char* DeptLevelCode(DeptLevel l);  // "province" …
const char* DeptLevelName(DeptLevel l);  // "省级" …
Result<DeptLevel> ParseDeptLevel(std::string_view code);

struct Department {
  std::string id;
  std::string code;
  std::string name;
  std::optional<std::string> parent_id;
  std::string region_code;
  DeptLevel level = DeptLevel::kCounty;
  std::string path;  // "/<root>/…/<id>/"
  Millis created_at_ms = 0;
  Millis updated_at_ms = 0;
  std::int64_t version = 1;
};

struct NewDepartment {
  std::string code;
  std::string name;
  std::optional<std::string> parent_id;
  std::string region_code;
  std::string level;  // DeptLevel code
};

struct DepartmentUpdate {
  std::string id;
  std::string name;
  std::string region_code;
  std::int64_t version = 0;
};

class DepartmentService {
 public:
  DepartmentService(store::Db& db, const Clock& clock, const audit::AuditLog& audit)
      : db_(db), clock_(clock), audit_(audit) {}

  // Every department, ordered by path (the org chart is not personal data: any signed-in
  // user may read it).
  Result<std::vector<Department>> List(const Principal& actor);
  // kNotFound identity.department_not_found.
  Result<Department> Get(const Principal& actor, const std::string& id);
  Result<Department> GetByCode(const std::string& code);

  // Adds a department under `parent_id` (or a root). kPermissionDenied unless the actor may
  // manage departments and the parent is in scope (a root needs scope "all");
  // kInvalidArgument for bad fields (level above the parent's, region outside the parent's);
  // kAlreadyExists identity.department_code_taken.
  Result<Department> Create(const Principal& actor, const NewDepartment& d);
  // Renames / moves the region of a department. kAborted store.version_conflict when stale.
  Result<Department> Update(const Principal& actor, const DepartmentUpdate& u);

 private:
  store::Db& db_;
  const Clock& clock_;
  const audit::AuditLog& audit_;
};

namespace internal {
Result<Department> LoadDepartment(store::Tx& tx, const std::string& id);
}  // namespace internal

}  // namespace onestop::identity
