#include "identity/departments.h"

#include <boost/json.hpp>

#include "core/ids.h"
#include "core/region.h"
#include "identity/internal/validate.h"

namespace onestop::identity {
namespace {

constexpr const char* kColumns =
    "id, code, name, parent_id, region_code, level, path, created_at_ms, updated_at_ms, version";

Department FromRow(const store::Row& r) {
  Department d;
  d.id = r.Text(0);
  d.code = r.Text(1);
  d.name = r.Text(2);
  d.parent_id = r.OptText(3);
  d.region_code = r.Text(4);
  d.level = ParseDeptLevel(r.Text(5)).value_or(DeptLevel::kCounty);
  d.path = r.Text(6);
  d.created_at_ms = r.Int(7);
  d.updated_at_ms = r.Int(8);
  d.version = r.Int(9);
  return d;
}

int Rank(DeptLevel l) { return static_cast<int>(l); }

// How many leading digits of the region code a department at `level` shares with its children.
std::size_t RegionPrefix(DeptLevel level) {
  switch (level) {
    case DeptLevel::kProvince:
      return 2;
    case DeptLevel::kCity:
      return 4;
    case DeptLevel::kCounty:
    case DeptLevel::kTownship:
    case DeptLevel::kVillage:
      return 6;
  }
  return 6;
}

// Checks that `region_code` is a real code whose level fits a department at `level`.
void CheckRegionForLevel(internal::FieldChecker& check, const std::string& region_code,
                         DeptLevel level) {
  Result<const Region*> region = ValidateRegionCode(region_code);
  if (!region.has_value()) {
    check.From("regionCode", region.error());
    return;
  }
  bool province = region_code.ends_with("0000");
  bool city = !province && region_code.ends_with("00");
  bool fits = level == DeptLevel::kProvince ? province
              : level == DeptLevel::kCity   ? city
                                            : !province && !city;
  if (!fits) {
    check.Add("regionCode", std::string(DeptLevelName(level)) + "部门应使用" +
                                (level == DeptLevel::kProvince ? "省级"
                                 : level == DeptLevel::kCity   ? "地市级"
                                                               : "县级") +
                                "行政区划代码，" + region_code + "（" + (*region)->full_name +
                                "）不符");
  }
}

std::string Json(boost::json::object o) { return boost::json::serialize(o); }

}  // namespace

const char* DeptLevelCode(DeptLevel l) {
  switch (l) {
    case DeptLevel::kProvince:
      return "province";
    case DeptLevel::kCity:
      return "city";
    case DeptLevel::kCounty:
      return "county";
    case DeptLevel::kTownship:
      return "township";
    case DeptLevel::kVillage:
      return "village";
  }
  return "";
}

const char* DeptLevelName(DeptLevel l) {
  switch (l) {
    case DeptLevel::kProvince:
      return "省级";
    case DeptLevel::kCity:
      return "市级";
    case DeptLevel::kCounty:
      return "县级";
    case DeptLevel::kTownship:
      return "乡镇（街道）级";
    case DeptLevel::kVillage:
      return "村（社区）级";
  }
  return "";
}

Result<DeptLevel> ParseDeptLevel(std::string_view code) {
  for (DeptLevel l : {DeptLevel::kProvince, DeptLevel::kCity, DeptLevel::kCounty,
                      DeptLevel::kTownship, DeptLevel::kVillage}) {
    if (code == DeptLevelCode(l)) return l;
  }
  return InvalidArgument("identity.bad_level",
                         "未知层级“" + std::string(code) +
                             "”，可选：province（省）、city（市）、county（县）、township（乡镇）、"
                             "village（村）");
}

namespace internal {
Result<Department> LoadDepartment(store::Tx& tx, const std::string& id) {
  ASSIGN_OR_RETURN(store::Row row,
                   tx.QueryOne(std::string("SELECT ") + kColumns +
                                   " FROM identity_department WHERE id = ?",
                               {id}, "identity.department_not_found", "部门不存在"));
  return FromRow(row);
}
}  // namespace internal

Result<std::vector<Department>> DepartmentService::List(const Principal&) {
  return store::Read(db_, [](store::Tx& tx) -> Result<std::vector<Department>> {
    ASSIGN_OR_RETURN(store::Rows rows,
                     tx.Query(std::string("SELECT ") + kColumns +
                              " FROM identity_department ORDER BY path"));
    std::vector<Department> out;
    out.reserve(rows.size());
    for (const store::Row& r : rows) out.push_back(FromRow(r));
    return out;
  });
}

Result<Department> DepartmentService::Get(const Principal&, const std::string& id) {
  return store::Read(db_, [&](store::Tx& tx) { return internal::LoadDepartment(tx, id); });
}

Result<Department> DepartmentService::GetByCode(const std::string& code) {
  return store::Read(db_, [&](store::Tx& tx) -> Result<Department> {
    ASSIGN_OR_RETURN(store::Row row,
                     tx.QueryOne(std::string("SELECT ") + kColumns +
                                     " FROM identity_department WHERE code = ?",
                                 {code}, "identity.department_not_found",
                                 "部门编码“" + code + "”不存在"));
    return FromRow(row);
  });
}

Result<Department> DepartmentService::Create(const Principal& actor, const NewDepartment& in) {
  RETURN_IF_ERROR(Require(actor, Permission::kManageDepartments));
  Department d;
  d.code = internal::Trim(in.code);
  d.name = internal::Trim(in.name);
  d.parent_id = in.parent_id;
  d.region_code = internal::Trim(in.region_code);

  internal::FieldChecker check;
  check.Text("code", "部门编码", d.code, 2, 32);
  for (char c : d.code) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_')) {
      check.Add("code", "部门编码只能包含字母、数字、“-”和“_”");
      break;
    }
  }
  check.Text("name", "部门名称", d.name, 2, 64);
  Result<DeptLevel> level = ParseDeptLevel(in.level);
  if (!level.has_value()) {
    check.From("level", level.error());
  } else {
    d.level = *level;
    CheckRegionForLevel(check, d.region_code, d.level);
  }
  RETURN_IF_ERROR(check.Finish("identity.invalid_department"));

  return store::Transact(db_, [&](store::Tx& tx) -> Result<Department> {
    d.id = NewUlid(clock_.NowMs());
    if (d.parent_id) {
      Result<Department> parent = internal::LoadDepartment(tx, *d.parent_id);
      if (!parent.has_value()) {
        return InvalidArgument("identity.parent_not_found", "上级部门不存在")
            .WithField("parentId", "上级部门不存在");
      }
      RETURN_IF_ERROR(RequireInScope(actor, Permission::kManageDepartments, parent->id));
      internal::FieldChecker rel;
      if (Rank(d.level) < Rank(parent->level)) {
        rel.Add("level", std::string("下级部门的层级不能高于上级部门（上级为") +
                             DeptLevelName(parent->level) + "）");
      }
      std::size_t prefix = RegionPrefix(parent->level);
      if (d.region_code.compare(0, prefix, parent->region_code, 0, prefix) != 0) {
        rel.Add("regionCode", "行政区划 " + d.region_code + " 不在上级部门“" + parent->name +
                                  "”的辖区（" + parent->region_code + "）内");
      }
      RETURN_IF_ERROR(rel.Finish("identity.invalid_department"));
      d.path = parent->path + d.id + "/";
    } else {
      if (actor.data_scope != DataScope::kAll) {
        return PermissionDenied("identity.out_of_scope", "只有全部数据权限的管理员可以新增顶级部门");
      }
      d.path = "/" + d.id + "/";
    }
    ASSIGN_OR_RETURN(store::Rows taken,
                     tx.Query("SELECT name FROM identity_department WHERE code = ?", {d.code}));
    if (!taken.empty()) {
      return AlreadyExists("identity.department_code_taken",
                           "部门编码“" + d.code + "”已被“" + taken.front().Text(0) + "”使用")
          .WithField("code", "部门编码已存在");
    }
    d.created_at_ms = d.updated_at_ms = clock_.NowMs();
    RETURN_IF_ERROR(tx.Exec(
        "INSERT INTO identity_department (id, code, name, parent_id, region_code, level, path, "
        "created_at_ms, updated_at_ms, version) VALUES (?,?,?,?,?,?,?,?,?,1)",
        {d.id, d.code, d.name, store::Opt(d.parent_id), d.region_code, DeptLevelCode(d.level),
         d.path, d.created_at_ms, d.updated_at_ms}));
    RETURN_IF_ERROR(audit_.Append(
        tx, ActorOf(actor),
        {"identity.department.create", "department", d.id, std::nullopt, "",
         Json({{"code", d.code},
               {"name", d.name},
               {"regionCode", d.region_code},
               {"level", DeptLevelCode(d.level)}})}));
    return d;
  });
}

Result<Department> DepartmentService::Update(const Principal& actor, const DepartmentUpdate& u) {
  RETURN_IF_ERROR(Require(actor, Permission::kManageDepartments));
  std::string name = internal::Trim(u.name);
  std::string region = internal::Trim(u.region_code);
  return store::Transact(db_, [&](store::Tx& tx) -> Result<Department> {
    ASSIGN_OR_RETURN(Department d, internal::LoadDepartment(tx, u.id));
    RETURN_IF_ERROR(RequireInScope(actor, Permission::kManageDepartments, d.id));
    internal::FieldChecker check;
    check.Text("name", "部门名称", name, 2, 64);
    CheckRegionForLevel(check, region, d.level);
    if (check.ok() && d.parent_id) {
      ASSIGN_OR_RETURN(Department parent, internal::LoadDepartment(tx, *d.parent_id));
      std::size_t prefix = RegionPrefix(parent.level);
      if (region.compare(0, prefix, parent.region_code, 0, prefix) != 0) {
        check.Add("regionCode", "行政区划 " + region + " 不在上级部门“" + parent.name + "”的辖区内");
      }
    }
    RETURN_IF_ERROR(check.Finish("identity.invalid_department"));
    std::string old_name = d.name, old_region = d.region_code;
    d.name = name;
    d.region_code = region;
    d.updated_at_ms = clock_.NowMs();
    ASSIGN_OR_RETURN(std::int64_t changed,
                     tx.Exec("UPDATE identity_department SET name = ?, region_code = ?, "
                             "updated_at_ms = ?, version = version + 1 WHERE id = ? AND version = ?",
                             {d.name, d.region_code, d.updated_at_ms, d.id, u.version}));
    RETURN_IF_ERROR(store::CheckVersion(changed));
    d.version = u.version + 1;
    RETURN_IF_ERROR(audit_.Append(
        tx, ActorOf(actor),
        {"identity.department.update", "department", d.id, std::nullopt, "",
         Json({{"from", {{"name", old_name}, {"regionCode", old_region}}},
               {"to", {{"name", d.name}, {"regionCode", d.region_code}}}})}));
    return d;
  });
}

}  // namespace onestop::identity
