// Archive routes (src/http/routes/archive_routes.cc) over the demo: 张三's uploaded file in his
// archive, reused in a later case, checked against the original by the counter (C → B), the
// material list with archived files, and every refusal with its error and nothing changed.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <string>

#include "routes/harness.h"

namespace onestop::routes_test {
namespace {
namespace json = boost::json;

// 老年人优待证办理 (长沙市民政局): materials doc.applicantIdCard and doc.photo.
constexpr const char* kItem = "11430100MB1A01098N3432030101000";

class ArchiveRoutesTest : public RoutesTest {
 protected:
  std::string Upload(const std::string& text) {
    Response r = env().CallRaw("POST", "/api/v1/blobs", "%PDF-1.4\n" + text, &env().As("citizen"),
                               {{"Content-Type", "application/pdf"}});
    EXPECT_STATUS(r, 200);
    return Str(Obj(r), "sha256");
  }

  // A case of 张三 filed online, with the ID card file `sha` when given.
  std::string Apply(const std::string& sha) {
    json::array materials;
    if (!sha.empty()) {
      materials.push_back(json::object{
          {"key", "doc.applicantIdCard"}, {"sha256", sha}, {"fileName", "身份证.pdf"}});
    }
    json::object body{{"kind", "item"},
                      {"catalogCode", kItem},
                      {"form", json::object{{"applicant.name", "张三"},
                                            {"applicant.idNumber", env().PersonIdNumber("张三")},
                                            {"applicant.phone", "13800000001"}}},
                      {"materials", std::move(materials)},
                      {"channel", "online"},
                      {"delivery", "electronic"}};
    Response r = env().Call("POST", "/api/v1/cases", body, &env().As("citizen"));
    EXPECT_STATUS(r, 200);
    return Str(Obj(r), "id");
  }

  // 张三's archive item holding file `sha`.
  json::object ItemOf(const std::string& sha) {
    Response r = env().Call("GET", "/api/v1/me/archive", nullptr, &env().As("citizen"));
    EXPECT_STATUS(r, 200);
    const json::array items = Items(r);
    const json::object* a = FindBy(items, "blobSha256", sha);
    EXPECT_NE(a, nullptr) << sha;
    return a == nullptr ? json::object{} : *a;
  }
};

TEST_P(ArchiveRoutesTest, AnUploadedFileIsArchivedReusedAndCheckedAgainstTheOriginal) {
  const std::string sha = Upload(env().Unique("id card "));
  Apply(sha);
  json::object item = ItemOf(sha);
  EXPECT_EQ(Str(item, "trustLevel"), "C");
  EXPECT_EQ(Str(item, "trustLevelName"), "申请人上传");
  EXPECT_EQ(Str(item, "materialKey"), "doc.applicantIdCard");
  EXPECT_EQ(Str(item, "fileName"), "身份证.pdf");
  EXPECT_EQ(Str(item, "holderPartyId"), env().PersonId("张三"));
  const std::string id = Str(item, "id");

  // The holder reuses it in a new case: the case references the same file.
  const std::string second = Apply("");
  Response r = env().Call("POST", "/api/v1/cases/" + second + "/reuse",
                          json::object{{"archiveId", id}, {"materialKey", "doc.applicantIdCard"}},
                          &env().As("citizen"));
  ASSERT_STATUS(r, 200);
  EXPECT_EQ(Str(Obj(r), "caseId"), second);
  EXPECT_EQ(Str(Obj(r).at("material"), "status"), "provided");
  EXPECT_EQ(Str(Obj(r).at("material"), "blobSha256"), sha);
  EXPECT_EQ(Int(ItemOf(sha), "reuseCount"), 1);

  // The counter sees the archive (张三 has cases waiting) and checks the original.
  r = env().Call("GET", "/api/v1/parties/" + env().PersonId("张三") + "/archive", nullptr,
                 &env().As("clerk"));
  ASSERT_STATUS(r, 200);
  EXPECT_NE(FindBy(Items(r), "id", id), nullptr);
  r = env().Call("POST", "/api/v1/archive/" + id + "/verify-original", nullptr, &env().As("clerk"));
  ASSERT_STATUS(r, 200);
  EXPECT_EQ(Str(Obj(r), "trustLevel"), "B");
  EXPECT_FALSE(Str(Obj(r), "verifiedBy").empty());
  EXPECT_EQ(Str(ItemOf(sha), "trustLevel"), "B");

  // The material list offers the archived file and asks for the photo.
  r = env().Call("POST", "/api/v1/me/material-list",
                 json::object{{"kind", "item"}, {"code", kItem}}, &env().As("citizen"));
  ASSERT_STATUS(r, 200);
  const json::array materials = Obj(r).at("materials").as_array();
  const json::object* card = FindBy(materials, "key", "doc.applicantIdCard");
  ASSERT_NE(card, nullptr);
  // The demo citizen holds a valid 居民身份证 licence, which stands in for the ID card before
  // any archived copy does.
  EXPECT_EQ(Str(*card, "provision"), "licence");
  EXPECT_FALSE(card->at("uploadRequired").as_bool());
  EXPECT_NE(FindBy(card->at("archived").as_array(), "id", id), nullptr);
  const json::object* photo = FindBy(materials, "key", "doc.photo");
  ASSERT_NE(photo, nullptr);
  EXPECT_EQ(Str(*photo, "provision"), "upload");
  EXPECT_TRUE(photo->at("uploadRequired").as_bool());
}

// 减证办: 张三 files without his ID card; his valid 居民身份证 licence provides it under a grant
// until the case closes, shown in his grants and access log; a second call provides nothing.
TEST_P(ArchiveRoutesTest, OwnLicencesProvideTheMissingMaterials) {
  const std::string id = Apply("");
  const Session& citizen = env().As("citizen");
  Response r = env().Call("POST", "/api/v1/cases/" + id + "/use-licences", nullptr, &citizen);
  ASSERT_STATUS(r, 200);
  json::object used = Obj(r);
  EXPECT_EQ(used.at("provided").as_array(), (json::array{"doc.applicantIdCard"}));
  const json::object* card = FindBy(used.at("materials").as_array(), "key", "doc.applicantIdCard");
  ASSERT_NE(card, nullptr);
  EXPECT_EQ(Str(*card, "status"), "provided");
  EXPECT_EQ(Str(*card, "contentType"), "application/pdf");
  EXPECT_EQ(Str(*card, "fileName"), "居民身份证（电子证照）.pdf");
  const json::object* photo = FindBy(used.at("materials").as_array(), "key", "doc.photo");
  ASSERT_NE(photo, nullptr);
  EXPECT_EQ(Str(*photo, "status"), "missing");

  Response grants = env().Call("GET", "/api/v1/me/grants?status=active", nullptr, &citizen);
  ASSERT_STATUS(grants, 200);
  json::array live = Items(grants);
  const json::object* g = FindBy(live, "caseId", id);
  ASSERT_NE(g, nullptr);
  EXPECT_EQ(Str(*g, "mode"), "until_case_closes");
  Response log = env().Call("GET", "/api/v1/audit/my-access?pageSize=50", nullptr, &citizen);
  ASSERT_STATUS(log, 200);
  json::array entries = Items(log);
  EXPECT_NE(FindBy(entries, "action", "licences.licence.provide"), nullptr);

  // Nothing left to provide: nothing changes.
  Snapshot before = Snap(env());
  Response again = env().Call("POST", "/api/v1/cases/" + id + "/use-licences", nullptr, &citizen);
  ASSERT_STATUS(again, 200);
  EXPECT_TRUE(Obj(again).at("provided").as_array().empty());
  EXPECT_EQ(Snap(env()), before);

  // Another person's case, and a clerk, are refused.
  EXPECT_ERROR(
      env().Call("POST", "/api/v1/cases/" + id + "/use-licences", nullptr, &env().As("clerk")), 403,
      "PERMISSION_DENIED", "identity.permission_denied");
  EXPECT_EQ(Snap(env()), before);
}

TEST_P(ArchiveRoutesTest, RefusalsChangeNothing) {
  const std::string sha = Upload(env().Unique("refused "));
  Apply(sha);
  const std::string id = Str(ItemOf(sha), "id");
  const std::string second = Apply("");
  ASSERT_STATUS(
      env().Call("POST", "/api/v1/archive/" + id + "/verify-original", nullptr, &env().As("clerk")),
      200);
  const Snapshot before = Snap(env());
  const std::int64_t reuses = env().db().Count("archive_reuse");
  const std::int64_t items = env().db().Count("archive_item");

  // Raising a B item again, an unknown id, a citizen or a reviewer checking an original.
  Response r =
      env().Call("POST", "/api/v1/archive/" + id + "/verify-original", nullptr, &env().As("clerk"));
  EXPECT_ERROR(r, 409, "FAILED_PRECONDITION", "archive.already_verified");
  r = env().Call("POST", "/api/v1/archive/01JUNKNOWNUNKNOWNUNKNOWN00/verify-original", nullptr,
                 &env().As("clerk"));
  EXPECT_ERROR(r, 404, "NOT_FOUND", "archive.not_found");
  r = env().Call("POST", "/api/v1/archive/" + id + "/verify-original", nullptr,
                 &env().As("citizen"));
  EXPECT_ERROR(r, 403, "PERMISSION_DENIED", "identity.permission_denied");
  r = env().Call("POST", "/api/v1/archive/" + id + "/verify-original", nullptr,
                 &env().As("reviewer"));
  EXPECT_ERROR(r, 403, "PERMISSION_DENIED", "identity.permission_denied");

  // Reuse: no consent (a clerk without a grant), another holder, bad bodies, unknown item.
  const std::string path = "/api/v1/cases/" + second + "/reuse";
  const json::object body{{"archiveId", id}, {"materialKey", "doc.applicantIdCard"}};
  r = env().Call("POST", path, body, &env().As("clerk"));
  EXPECT_ERROR(r, 403, "PERMISSION_DENIED", "archive.no_consent");
  r = env().Call("POST", path, body, &env().As("enterprise"));
  EXPECT_ERROR(r, 404, "NOT_FOUND", "cases.not_found");
  r = env().Call("POST", path, json::object{}, &env().As("citizen"));
  EXPECT_ERROR(r, 400, "INVALID_ARGUMENT", "http.invalid_body");
  EXPECT_THAT(FieldsOf(r), ::testing::ElementsAre("archiveId", "materialKey"));
  r = env().Call("POST", path,
                 json::object{{"archiveId", "01JUNKNOWNUNKNOWNUNKNOWN00"},
                              {"materialKey", "doc.applicantIdCard"}},
                 &env().As("citizen"));
  EXPECT_ERROR(r, 404, "NOT_FOUND", "archive.not_found");
  r = env().Call("POST", path, json::object{{"archiveId", id}, {"materialKey", "doc.photo"}},
                 &env().As("citizen"));
  EXPECT_ERROR(r, 409, "FAILED_PRECONDITION", "archive.wrong_material");

  // Reading: the holder's own archive only; a party's archive is the counter's.
  r = env().Call("GET", "/api/v1/me/archive", nullptr, &env().As("clerk"));
  EXPECT_ERROR(r, 403, "PERMISSION_DENIED", "identity.permission_denied");
  r = env().Call("GET", "/api/v1/parties/" + env().PersonId("张三") + "/archive", nullptr,
                 &env().As("reviewer"));
  EXPECT_ERROR(r, 403, "PERMISSION_DENIED", "identity.permission_denied");
  r = env().Call("GET", "/api/v1/parties/01JUNKNOWNUNKNOWNUNKNOWN00/archive", nullptr,
                 &env().As("clerk"));
  EXPECT_ERROR(r, 404, "NOT_FOUND", "archive.no_party");
  r = env().Call("GET", "/api/v1/me/archive");
  EXPECT_ERROR(r, 401, "UNAUTHENTICATED", "identity.unauthenticated");
  r = env().Call("POST", "/api/v1/me/material-list", json::object{{"kind", "x"}, {"code", kItem}},
                 &env().As("citizen"));
  EXPECT_ERROR(r, 400, "INVALID_ARGUMENT", "archive.bad_kind");

  EXPECT_EQ(Snap(env()), before);
  EXPECT_EQ(env().db().Count("archive_reuse"), reuses);
  EXPECT_EQ(env().db().Count("archive_item"), items);
  const json::object after = ItemOf(sha);
  EXPECT_EQ(Str(after, "trustLevel"), "B");
  EXPECT_EQ(Int(after, "reuseCount"), 0);
  EXPECT_EQ(Int(after, "version"), 2);  // raised once, before the refusals
}

INSTANTIATE_ROUTES_TEST(ArchiveRoutesTest);

}  // namespace
}  // namespace onestop::routes_test
