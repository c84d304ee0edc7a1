// DepartmentService: the department tree, its region and level rules, and who may change it.
#include "identity/departments.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>

#include "identity/identity_fixture.h"

namespace onestop::identity {
namespace {

using fixture::FieldsOf;
using fixture::IsError;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

class DepartmentsTest : public fixture::IdentityTest {
 protected:
  Result<Department> Create(const Principal& actor, const std::string& code,
                            std::optional<std::string> parent, const std::string& region,
                            const std::string& level,
                            const std::string& name = "某某政务服务中心") {
    return svc_->departments.Create(actor, {code, name, std::move(parent), region, level});
  }

  Department Load(const std::string& id) {
    Result<Department> d = svc_->departments.Get(Principal::System(), id);
    EXPECT_TRUE(d.has_value()) << id;
    return d.has_value() ? *d : Department{};
  }
};

TEST_P(DepartmentsTest, SystemCreatesARootAndItIsAudited) {
  const std::int64_t audits = AuditCount();
  Result<Department> root =
      Create(Principal::System(), "BJ", std::nullopt, "110000", "province", "北京市政务服务中心");
  ASSERT_TRUE(root.has_value()) << root.error().message;
  EXPECT_EQ(root->parent_id, std::nullopt);
  EXPECT_EQ(root->path, "/" + root->id + "/");
  EXPECT_EQ(root->level, DeptLevel::kProvince);
  EXPECT_EQ(root->version, 1);
  EXPECT_EQ(root->created_at_ms, testutil::kTestNowMs);
  Department stored = Load(root->id);
  EXPECT_EQ(stored.code, "BJ");
  EXPECT_EQ(stored.name, "北京市政务服务中心");
  EXPECT_EQ(stored.region_code, "110000");
  EXPECT_EQ(stored.path, root->path);

  ASSERT_EQ(AuditCount(), audits + 1);
  audit::Entry e = LastAudit();
  EXPECT_EQ(e.action, "identity.department.create");
  EXPECT_EQ(e.subject_type, "department");
  EXPECT_EQ(e.subject_id, root->id);
  EXPECT_EQ(e.actor_id, "system");
  EXPECT_EQ(
      boost::json::parse(e.details_json),
      boost::json::parse(
          R"({"code":"BJ","name":"北京市政务服务中心","regionCode":"110000","level":"province"})"));
}

TEST_P(DepartmentsTest, ChildrenExtendTheParentsPathAndListIsInTreeOrder) {
  Department hunan = Load(hunan_), changsha = Load(changsha_), yuelu = Load(yuelu_);
  EXPECT_EQ(changsha.parent_id, hunan_);
  EXPECT_EQ(changsha.path, hunan.path + changsha_ + "/");
  EXPECT_EQ(yuelu.path, changsha.path + yuelu_ + "/");
  EXPECT_EQ(yuelu.level, DeptLevel::kCounty);

  Result<std::vector<Department>> all = svc_->departments.List(Principal{});
  ASSERT_TRUE(all.has_value());
  std::vector<std::string> ids;
  for (const Department& d : *all) ids.push_back(d.id);
  // Ordered by path: every department after its parent, each subtree contiguous (siblings
  // created in the same millisecond may come in either order).
  ASSERT_EQ(ids.size(), 4u);
  auto pos = [&](const std::string& id) {
    return std::find(ids.begin(), ids.end(), id) - ids.begin();
  };
  EXPECT_EQ(pos(hunan_), 0);
  EXPECT_EQ(pos(yuelu_), pos(changsha_) + 1);
  EXPECT_GT(pos(yongzhou_), 0);

  Result<Department> by_code = svc_->departments.GetByCode("HN-CS-YL");
  ASSERT_TRUE(by_code.has_value());
  EXPECT_EQ(by_code->id, yuelu_);
  EXPECT_TRUE(IsError(svc_->departments.GetByCode("NOPE"), ErrorCode::kNotFound,
                      "identity.department_not_found"));
  EXPECT_TRUE(IsError(svc_->departments.Get(Principal{}, "missing"), ErrorCode::kNotFound,
                      "identity.department_not_found"));
}

TEST_P(DepartmentsTest, SameLevelAndLowerLevelChildrenAreAllowed) {
  // A county bureau under a county government; a township under the county.
  Result<Department> bureau =
      Create(Principal::System(), "HN-CS-YL-SJ", yuelu_, "430104", "county");
  ASSERT_TRUE(bureau.has_value()) << bureau.error().message;
  Result<Department> town =
      Create(Principal::System(), "HN-CS-YL-JD", yuelu_, "430104", "township");
  ASSERT_TRUE(town.has_value()) << town.error().message;
  Result<Department> village =
      Create(Principal::System(), "HN-CS-YL-JD-C", town->id, "430104", "village");
  ASSERT_TRUE(village.has_value()) << village.error().message;
  // A province may have counties directly (e.g. 省直辖 units) as long as the region is inside.
  Result<Department> county = Create(Principal::System(), "HN-ZX", hunan_, "430102", "county");
  ASSERT_TRUE(county.has_value()) << county.error().message;
}

TEST_P(DepartmentsTest, RefusesALevelAboveTheParents) {
  Result<Department> town =
      Create(Principal::System(), "HN-CS-YL-JD", yuelu_, "430104", "township");
  ASSERT_TRUE(town.has_value());
  auto before = Counts();
  Result<Department> r = Create(Principal::System(), "HN-X", town->id, "430104", "county");
  ExpectRefused(r, ErrorCode::kInvalidArgument, "identity.invalid_department", before, "level");
  EXPECT_THAT(FieldsOf(r.error()), ElementsAre("level"));  // the region itself is fine
  EXPECT_THAT(r.error().message, HasSubstr("乡镇"));

  // A province under a city: wrong level (and necessarily a region outside the city).
  Result<Department> province =
      Create(Principal::System(), "HN-Y", changsha_, "430000", "province");
  ExpectRefused(province, ErrorCode::kInvalidArgument, "identity.invalid_department", before,
                "level");
}

TEST_P(DepartmentsTest, RefusesARegionOutsideTheParents) {
  auto before = Counts();
  // 零陵区 belongs to 永州市, not 长沙市.
  Result<Department> r = Create(Principal::System(), "HN-CS-LL", changsha_, "431102", "county");
  ExpectRefused(r, ErrorCode::kInvalidArgument, "identity.invalid_department", before,
                "regionCode");
  EXPECT_THAT(FieldsOf(r.error()), ElementsAre("regionCode"));
  EXPECT_THAT(r.error().message, HasSubstr("431102"));
  // A sibling county under a county department.
  Result<Department> sibling =
      Create(Principal::System(), "HN-CS-YL-X", yuelu_, "430103", "county");
  ExpectRefused(sibling, ErrorCode::kInvalidArgument, "identity.invalid_department", before,
                "regionCode");
  // Another province under 湖南.
  Result<Department> other = Create(Principal::System(), "HN-BJ", hunan_, "110105", "county");
  ExpectRefused(other, ErrorCode::kInvalidArgument, "identity.invalid_department", before,
                "regionCode");
}

TEST_P(DepartmentsTest, RefusesARegionThatDoesNotFitTheLevel) {
  auto before = Counts();
  struct Case {
    const char* region;
    const char* level;
    const char* expected;
  };
  for (const Case& c : {Case{"430100", "county", "县级"}, Case{"430104", "province", "省级"},
                        Case{"430000", "city", "地市级"}, Case{"430104", "city", "地市级"},
                        Case{"430100", "township", "县级"}}) {
    SCOPED_TRACE(std::string(c.region) + " " + c.level);
    Result<Department> r = Create(Principal::System(), "XX-1", std::nullopt, c.region, c.level);
    ExpectRefused(r, ErrorCode::kInvalidArgument, "identity.invalid_department", before,
                  "regionCode");
    EXPECT_THAT(r.error().message, HasSubstr(c.expected));
  }
}

TEST_P(DepartmentsTest, RefusesUnknownAndMalformedRegions) {
  auto before = Counts();
  Result<Department> unknown =
      Create(Principal::System(), "HN-CS-X", changsha_, "430199", "county");
  ExpectRefused(unknown, ErrorCode::kInvalidArgument, "core.region_unknown", before, "regionCode");
  EXPECT_THAT(FieldsOf(unknown.error()), ElementsAre("regionCode"));
  Result<Department> format = Create(Principal::System(), "HN-CS-X", changsha_, "43010", "county");
  ExpectRefused(format, ErrorCode::kInvalidArgument, "core.region_format", before, "regionCode");
  Result<Department> empty = Create(Principal::System(), "HN-CS-X", changsha_, "", "county");
  ExpectRefused(empty, ErrorCode::kInvalidArgument, "core.region_format", before, "regionCode");
}

TEST_P(DepartmentsTest, RefusesBadCodesNamesAndLevels) {
  auto before = Counts();
  const std::vector<std::string> bad_codes = {"HN CS", "长沙", "HN/CS",
                                              "HN.CS", "H",    std::string(33, 'A')};
  for (const std::string& code : bad_codes) {
    SCOPED_TRACE(code);
    Result<Department> r = Create(Principal::System(), code, changsha_, "430104", "county");
    ExpectRefused(r, ErrorCode::kInvalidArgument, "identity.invalid_department", before, "code");
    EXPECT_THAT(FieldsOf(r.error()), ElementsAre("code"));
  }
  Result<Department> short_name =
      Create(Principal::System(), "HN-CS-Y", changsha_, "430104", "county", "岳");
  ExpectRefused(short_name, ErrorCode::kInvalidArgument, "identity.invalid_department", before,
                "name");
  Result<Department> blank_name =
      Create(Principal::System(), "HN-CS-Y", changsha_, "430104", "county", "\xE3\x80\x80 ");
  ExpectRefused(blank_name, ErrorCode::kInvalidArgument, "identity.invalid_department", before,
                "name");
  Result<Department> level =
      Create(Principal::System(), "HN-CS-Y", changsha_, "430104", "district");
  ExpectRefused(level, ErrorCode::kInvalidArgument, "identity.bad_level", before, "level");
  // Several problems are reported together.
  Result<Department> many = Create(Principal::System(), "长", changsha_, "439999", "county", "岳");
  ASSERT_FALSE(many.has_value());
  EXPECT_THAT(FieldsOf(many.error()), ElementsAre("code", "code", "name", "regionCode"));
  EXPECT_EQ(Counts(), before);
}

TEST_P(DepartmentsTest, CodesAreTrimmedAndAcceptUnderscoreAndDash) {
  Result<Department> d = Create(Principal::System(), "  HN_CS-02 ", changsha_, " 430104 ", "county",
                                "\xE3\x80\x80岳麓区行政审批服务局 ");
  ASSERT_TRUE(d.has_value()) << d.error().message;
  EXPECT_EQ(d->code, "HN_CS-02");
  EXPECT_EQ(d->region_code, "430104");
  EXPECT_EQ(d->name, "岳麓区行政审批服务局");
}

TEST_P(DepartmentsTest, RefusesADuplicateCode) {
  auto before = Counts();
  Result<Department> r = Create(Principal::System(), " HN-CS ", hunan_, "430100", "city");
  ExpectRefused(r, ErrorCode::kAlreadyExists, "identity.department_code_taken", before, "code");
  EXPECT_THAT(r.error().message, HasSubstr("长沙市政务服务中心"));
}

TEST_P(DepartmentsTest, RefusesAnUnknownParent) {
  auto before = Counts();
  Result<Department> r =
      Create(Principal::System(), "XX", std::string("no-such-id"), "430104", "county");
  ExpectRefused(r, ErrorCode::kInvalidArgument, "identity.parent_not_found", before, "parentId");
}

TEST_P(DepartmentsTest, OnlyScopeAllMayCreateARoot) {
  Principal admin = Staff("cs_admin", {"dept_admin"}, changsha_);
  ASSERT_EQ(admin.data_scope, DataScope::kDeptAndBelow);
  auto before = Counts();
  Result<Department> r = Create(admin, "GD", std::nullopt, "440000", "province");
  ExpectRefused(r, ErrorCode::kPermissionDenied, "identity.out_of_scope", before);

  Principal platform = Staff("platform", {"platform_admin"}, hunan_);
  Result<Department> ok = Create(platform, "GD", std::nullopt, "440000", "province");
  ASSERT_TRUE(ok.has_value()) << ok.error().message;
  EXPECT_EQ(LastAudit().actor_id, platform.user_id);
  EXPECT_EQ(LastAudit().actor_department_id, hunan_);
}

TEST_P(DepartmentsTest, DeptAdminManagesItsOwnSubtreeOnly) {
  Principal admin = Staff("cs_admin", {"dept_admin"}, changsha_);
  EXPECT_EQ(admin.scope_department_ids, (std::set<std::string>{changsha_, yuelu_}));
  std::int64_t audits = AuditCount();
  Result<Department> under_own = Create(admin, "HN-CS-KF", changsha_, "430105", "county");
  ASSERT_TRUE(under_own.has_value()) << under_own.error().message;
  Result<Department> under_child = Create(admin, "HN-CS-YL-JD", yuelu_, "430104", "township");
  ASSERT_TRUE(under_child.has_value()) << under_child.error().message;
  EXPECT_EQ(AuditCount(), audits + 2);

  auto before = Counts();
  ExpectRefused(Create(admin, "HN-YZ-LL", yongzhou_, "431102", "county"),
                ErrorCode::kPermissionDenied, "identity.out_of_scope", before);
  ExpectRefused(Create(admin, "HN-SY", hunan_, "430200", "city"), ErrorCode::kPermissionDenied,
                "identity.out_of_scope", before);
}

TEST_P(DepartmentsTest, StaffWithoutDepartmentsManageAreRefused) {
  Principal clerk = Staff("clerk", {"counter_clerk"}, changsha_);
  auto before = Counts();
  Result<Department> r = Create(clerk, "HN-CS-KF", changsha_, "430105", "county");
  ExpectRefused(r, ErrorCode::kPermissionDenied, "identity.permission_denied", before);
  Department cs = Load(changsha_);
  ExpectRefused(svc_->departments.Update(clerk, {changsha_, "长沙市新名称", "430100", cs.version}),
                ErrorCode::kPermissionDenied, "identity.permission_denied", before);
  // The permission is checked before the input: invalid input still says "permission denied".
  ExpectRefused(Create(clerk, "!", std::nullopt, "", "nope"), ErrorCode::kPermissionDenied,
                "identity.permission_denied", before);
}

TEST_P(DepartmentsTest, UpdateRenamesBumpsTheVersionAndIsAudited) {
  Department before = Load(yuelu_);
  clock().Advance(60'000);
  std::int64_t audits = AuditCount();
  Result<Department> r = svc_->departments.Update(
      Principal::System(), {yuelu_, " 岳麓区数据局 ", "430104", before.version});
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_EQ(r->name, "岳麓区数据局");
  EXPECT_EQ(r->version, before.version + 1);
  Department after = Load(yuelu_);
  EXPECT_EQ(after.name, "岳麓区数据局");
  EXPECT_EQ(after.version, before.version + 1);
  EXPECT_EQ(after.updated_at_ms, testutil::kTestNowMs + 60'000);
  EXPECT_EQ(after.created_at_ms, before.created_at_ms);
  EXPECT_EQ(after.code, before.code);
  EXPECT_EQ(after.path, before.path);
  ASSERT_EQ(AuditCount(), audits + 1);
  audit::Entry e = LastAudit();
  EXPECT_EQ(e.action, "identity.department.update");
  EXPECT_EQ(e.subject_id, yuelu_);
  EXPECT_EQ(boost::json::parse(e.details_json),
            boost::json::parse(R"({"from":{"name":"岳麓区政务服务中心","regionCode":"430104"},)"
                               R"("to":{"name":"岳麓区数据局","regionCode":"430104"}})"));

  // The region may move within the parent's.
  Result<Department> moved = svc_->departments.Update(
      Principal::System(), {yuelu_, "天心区数据局", "430103", after.version});
  ASSERT_TRUE(moved.has_value()) << moved.error().message;
  EXPECT_EQ(Load(yuelu_).region_code, "430103");
}

TEST_P(DepartmentsTest, UpdateWithAStaleVersionIsAVersionConflict) {
  Department d = Load(yuelu_);
  ASSERT_TRUE(
      svc_->departments.Update(Principal::System(), {yuelu_, "第一次改名", "430104", d.version})
          .has_value());
  auto before = Counts();
  Result<Department> stale =
      svc_->departments.Update(Principal::System(), {yuelu_, "第二次改名", "430104", d.version});
  ExpectRefused(stale, ErrorCode::kAborted, "store.version_conflict", before);
  Department after = Load(yuelu_);
  EXPECT_EQ(after.name, "第一次改名");
  EXPECT_EQ(after.version, d.version + 1);
}

TEST_P(DepartmentsTest, UpdateRefusesBadInputAndOutOfScope) {
  Department d = Load(yuelu_);
  auto before = Counts();
  ExpectRefused(svc_->departments.Update(Principal::System(), {yuelu_, "天", "430104", d.version}),
                ErrorCode::kInvalidArgument, "identity.invalid_department", before, "name");
  ExpectRefused(
      svc_->departments.Update(Principal::System(), {yuelu_, "零陵区", "431102", d.version}),
      ErrorCode::kInvalidArgument, "identity.invalid_department", before, "regionCode");
  ExpectRefused(
      svc_->departments.Update(Principal::System(), {yuelu_, "长沙市", "430100", d.version}),
      ErrorCode::kInvalidArgument, "identity.invalid_department", before, "regionCode");
  ExpectRefused(
      svc_->departments.Update(Principal::System(), {yuelu_, "岳麓区", "430199", d.version}),
      ErrorCode::kInvalidArgument, "core.region_unknown", before, "regionCode");
  ExpectRefused(svc_->departments.Update(Principal::System(), {"missing", "某部门", "430104", 1}),
                ErrorCode::kNotFound, "identity.department_not_found", before);

  Principal yz_admin = Staff("yz_admin", {"dept_admin"}, yongzhou_);
  before = Counts();
  ExpectRefused(svc_->departments.Update(yz_admin, {yuelu_, "岳麓区某中心", "430104", d.version}),
                ErrorCode::kPermissionDenied, "identity.out_of_scope", before);
  Department after = Load(yuelu_);
  EXPECT_EQ(after.name, d.name);
  EXPECT_EQ(after.version, d.version);
}

INSTANTIATE_TEST_SUITE_P(Backends, DepartmentsTest, ::testing::ValuesIn(testutil::AllBackends()),
                         fixture::BackendName);

}  // namespace
}  // namespace onestop::identity
