// Catalogue routes through the real router on both backends: public reads (search, guide, QR
// code, plans), saving with versions and conflicts, retiring, import with line-precise errors
// and export; every refusal changes nothing.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "catalog/qr_svg.h"
#include "routes/catalog_fixture.h"
#include "routes/harness.h"

namespace onestop::routes_test {
namespace {
namespace json = boost::json;
using ::testing::HasSubstr;
using ::testing::StartsWith;

class CatalogRoutesTest : public RoutesTest {};

TEST_P(CatalogRoutesTest, AnItemSavedByAnAdministratorIsReadByAnyone) {
  catalog::Item item = UniqueItem(env(), "食品经营许可");
  Response put =
      env().Call("PUT", "/api/v1/catalog/items/" + item.code, ItemBody(item), &env().As("admin"));
  ASSERT_STATUS(put, 200);
  json::object saved = Obj(put);
  EXPECT_EQ(Int(saved, "version"), 1);
  EXPECT_EQ(Str(saved, "name"), item.name);
  EXPECT_EQ(Str(saved.at("labels"), "department"), "长沙市卫生健康委员会");
  EXPECT_EQ(Str(saved.at("labels"), "itemType"), "行政许可");
  EXPECT_EQ(Str(saved.at("labels"), "onlineDepth"), "在线申办（Ⅲ级）");

  // Anonymous reads: the guide, a version, the search.
  Response got = env().Call("GET", "/api/v1/catalog/items/" + item.code);
  ASSERT_STATUS(got, 200);
  EXPECT_EQ(Obj(got).at("materials"), saved.at("materials"));
  EXPECT_STATUS(env().Call("GET", "/api/v1/catalog/items/" + item.code + "?version=1"), 200);
  EXPECT_ERROR(env().Call("GET", "/api/v1/catalog/items/" + item.code + "?version=2"), 404,
               "NOT_FOUND", "catalog.item_not_found");
  EXPECT_ERROR(env().Call("GET", "/api/v1/catalog/items/" + std::string(31, '9')), 404, "NOT_FOUND",
               "catalog.item_not_found");
  EXPECT_ERROR(env().Call("GET", "/api/v1/catalog/items/" + item.code + "?version=x"), 400,
               "INVALID_ARGUMENT", "http.invalid_query");

  Response found = env().Call("GET", Url("/api/v1/catalog/items", {{"q", item.name}}));
  ASSERT_STATUS(found, 200);
  EXPECT_EQ(Int(Obj(found), "total"), 1);
  json::object summary = Items(found)[0].as_object();
  EXPECT_EQ(Str(summary, "code"), item.code);
  EXPECT_EQ(Int(summary, "materialCount"), 1);
  EXPECT_FALSE(summary.contains("materials"));
  EXPECT_EQ(Int(Obj(env().Call("GET", Url("/api/v1/catalog/items",
                                          {{"q", item.name}, {"department", "HN-CS-GAJ"}}))),
                "total"),
            0);
  EXPECT_EQ(
      Int(Obj(env().Call("GET", Url("/api/v1/catalog/items", {{"q", item.name}, {"object", "2"}}))),
          "total"),
      0);
  EXPECT_EQ(
      Int(Obj(env().Call("GET", Url("/api/v1/catalog/items", {{"q", item.name}, {"object", "1"}}))),
          "total"),
      1);
  EXPECT_ERROR(env().Call("GET", "/api/v1/catalog/items?limit=500"), 400, "INVALID_ARGUMENT",
               "http.invalid_query");
  EXPECT_ERROR(env().Call("GET", "/api/v1/catalog/items?object=9"), 400, "INVALID_ARGUMENT",
               "http.invalid_query");
}

TEST_P(CatalogRoutesTest, EditsMakeVersionsAndStaleOnesConflict) {
  catalog::Item v1 = PutItem(env(), UniqueItem(env(), "建筑工程施工许可"));
  catalog::Item edit = v1;
  edit.promised_limit.value = 3;
  Response put =
      env().Call("PUT", "/api/v1/catalog/items/" + v1.code, ItemBody(edit), &env().As("admin"));
  ASSERT_STATUS(put, 200);
  EXPECT_EQ(Int(Obj(put), "version"), 2);

  const Snapshot before = Snap(env());
  Response stale =
      env().Call("PUT", "/api/v1/catalog/items/" + v1.code, ItemBody(edit), &env().As("admin"));
  EXPECT_ERROR(stale, 409, "ABORTED", "catalog.version_conflict");
  EXPECT_EQ(Snap(env()), before);
  Response old = env().Call("GET", "/api/v1/catalog/items/" + v1.code + "?version=1");
  EXPECT_EQ(Int(Obj(old).at("promisedLimit"), "value"), 5);
}

TEST_P(CatalogRoutesTest, BadItemsAreRefusedWithFieldErrorsAndChangeNothing) {
  const Session& admin = env().As("admin");
  catalog::Item item = UniqueItem(env(), "坏事项");
  const Snapshot before = Snap(env());

  catalog::Item invalid = item;
  invalid.promised_limit.value = 30;
  invalid.online_depth = 4;
  Response r = env().Call("PUT", "/api/v1/catalog/items/" + item.code, ItemBody(invalid), &admin);
  EXPECT_ERROR(r, 400, "INVALID_ARGUMENT", "catalog.invalid_item");
  EXPECT_EQ(FieldsOf(r), (std::vector<std::string>{"promisedLimit.value", "visits"}));

  json::object typo = ItemBody(item).as_object();
  typo["promisedLimt"] = json::object{{"value", 1}};
  r = env().Call("PUT", "/api/v1/catalog/items/" + item.code, typo, &admin);
  EXPECT_ERROR(r, 400, "INVALID_ARGUMENT", "catalog.bad_json");
  EXPECT_EQ(FieldsOf(r), std::vector<std::string>{"promisedLimt"});

  r = env().Call("PUT", "/api/v1/catalog/items/" + std::string(31, '1'), ItemBody(item), &admin);
  EXPECT_ERROR(r, 400, "INVALID_ARGUMENT", "catalog.code_mismatch");

  catalog::Item elsewhere = UniqueItem(env(), "永州事项", "HN-YZ-RSJ");
  r = env().Call("PUT", "/api/v1/catalog/items/" + elsewhere.code, ItemBody(elsewhere),
                 &env().As("hr_admin"));
  EXPECT_ERROR(r, 403, "PERMISSION_DENIED", "identity.out_of_scope");

  r = env().CallRaw("PUT", "/api/v1/catalog/items/" + item.code, json::serialize(ItemBody(item)),
                    &admin, {{"Content-Type", "text/plain"}});
  EXPECT_ERROR(r, 400, "INVALID_ARGUMENT", "http.unsupported_media_type");
  EXPECT_EQ(Snap(env()), before);
}

TEST_P(CatalogRoutesTest, BundlesAreListedShownAndPlanned) {
  TwoItemBundle t = MakeTwoItemBundle(env());
  Response put = env().Call("PUT", "/api/v1/catalog/bundles/" + t.bundle.code,
                            catalog::BundleToJson(t.bundle), &env().As("admin"));
  ASSERT_STATUS(put, 200);
  EXPECT_EQ(Int(Obj(put), "version"), 1);

  Response list = env().Call("GET", "/api/v1/catalog/bundles");
  ASSERT_STATUS(list, 200);
  const json::array bundles = Items(list);
  const json::object* mine = FindBy(bundles, "code", t.bundle.code);
  ASSERT_NE(mine, nullptr);
  EXPECT_EQ(Str(*mine, "departmentName"), "长沙市行政审批服务局");
  EXPECT_EQ(Int(*mine, "itemCount"), 2);

  Response shown = env().Call("GET", "/api/v1/catalog/bundles/" + t.bundle.code);
  ASSERT_STATUS(shown, 200);
  const json::object shown_body = Obj(shown);
  const json::array& details = shown_body.at("itemDetails").as_array();
  ASSERT_EQ(details.size(), 2u);
  EXPECT_EQ(Str(details[1], "departmentName"), "长沙市公安局");
  EXPECT_EQ(Str(details[1], "name"), t.second.name);

  Response plan = env().Call("POST", "/api/v1/catalog/bundles/" + t.bundle.code + "/plan",
                             json::object{{"answers", json::object{{"hukou", "yes"}}}});
  ASSERT_STATUS(plan, 200);
  json::object p = Obj(plan);
  EXPECT_EQ(Str(p.at("bundle"), "name"), "出生一件事（测试）");
  const json::object& f = p.at("figures").as_object();
  EXPECT_EQ(Int(f, "items"), 2);
  EXPECT_EQ(Int(f, "materialsBefore"), 4);
  EXPECT_EQ(Int(f, "materialsAfter"), 2);  // 身份证 merged, 出生医学证明 produced by the first
  EXPECT_EQ(Int(f, "daysBefore"), 15);
  EXPECT_EQ(Int(f, "daysAfter"), 15);
  EXPECT_EQ(Int(f, "visitsBefore"), 2);
  EXPECT_EQ(Int(f, "visitsAfter"), 1);
  EXPECT_EQ(Str(p.at("dropped").as_array()[0], "reason"),
            "由《" + t.first.name + "》办结后生成，无需提交");

  plan = env().Call("POST", "/api/v1/catalog/bundles/" + t.bundle.code + "/plan",
                    json::object{{"answers", json::object{{"hukou", "no"}}}});
  ASSERT_STATUS(plan, 200);
  EXPECT_EQ(Int(Obj(plan).at("figures"), "items"), 1);

  EXPECT_ERROR(
      env().Call("POST", "/api/v1/catalog/bundles/" + t.bundle.code + "/plan", json::object{}), 400,
      "INVALID_ARGUMENT", "catalog.missing_answer");
  EXPECT_ERROR(env().Call("POST", "/api/v1/catalog/bundles/" + t.bundle.code + "/plan",
                          json::object{{"answers", json::object{{"hukou", 1}}}}),
               400, "INVALID_ARGUMENT", "catalog.bad_json");
  EXPECT_ERROR(env().Call("POST", "/api/v1/catalog/bundles/" + t.bundle.code + "/plan",
                          json::object{{"answer", json::object{}}}),
               400, "INVALID_ARGUMENT", "http.invalid_body");
  EXPECT_ERROR(env().Call("POST", "/api/v1/catalog/bundles/nope/plan",
                          json::object{{"answers", json::object{}}}),
               404, "NOT_FOUND", "catalog.bundle_not_found");
  EXPECT_ERROR(env().Call("GET", "/api/v1/catalog/bundles/nope"), 404, "NOT_FOUND",
               "catalog.bundle_not_found");
}

TEST_P(CatalogRoutesTest, BundleErrorsChangeNothing) {
  TwoItemBundle t = MakeTwoItemBundle(env());
  const Snapshot before = Snap(env());
  catalog::Bundle bad = t.bundle;
  bad.edges.push_back({t.second.code, t.first.code, {}});
  Response r = env().Call("PUT", "/api/v1/catalog/bundles/" + t.bundle.code,
                          catalog::BundleToJson(bad), &env().As("admin"));
  EXPECT_ERROR(r, 400, "INVALID_ARGUMENT", "catalog.invalid_bundle");
  EXPECT_THAT(Obj(r).at("error").at("message").as_string().c_str(), HasSubstr("前置关系形成循环"));
  r = env().Call("PUT", "/api/v1/catalog/bundles/" + t.bundle.code, catalog::BundleToJson(t.bundle),
                 &env().As("clerk"));
  EXPECT_ERROR(r, 403, "PERMISSION_DENIED", "identity.permission_denied");
  catalog::Bundle stale = t.bundle;
  stale.version = 3;
  r = env().Call("PUT", "/api/v1/catalog/bundles/" + t.bundle.code, catalog::BundleToJson(stale),
                 &env().As("admin"));
  EXPECT_ERROR(r, 409, "ABORTED", "catalog.version_conflict");
  EXPECT_EQ(Snap(env()), before);
}

TEST_P(CatalogRoutesTest, AnUnsavedBundleIsPlannedForTheEditorAndNothingIsWritten) {
  TwoItemBundle t = MakeTwoItemBundle(env());  // the items are saved, the bundle is not
  const Session& admin = env().As("admin");
  const Snapshot before = Snap(env());
  auto preview = [&](const catalog::Bundle& b, json::object answers) {
    return env().Call("POST", "/api/v1/catalog/plan-preview",
                      json::object{{"bundle", catalog::BundleToJson(b)}, {"answers", answers}},
                      &admin);
  };

  // The same plan as POST /catalog/bundles/{code}/plan would give once saved.
  Response r = preview(t.bundle, {{"hukou", "yes"}});
  ASSERT_STATUS(r, 200);
  json::object p = Obj(r);
  EXPECT_EQ(Str(p.at("bundle"), "name"), "出生一件事（测试）");
  EXPECT_EQ(Str(p.at("bundle"), "code"), t.bundle.code);
  const json::object& f = p.at("figures").as_object();
  EXPECT_EQ(Int(f, "items"), 2);
  EXPECT_EQ(Int(f, "materialsBefore"), 4);
  EXPECT_EQ(Int(f, "materialsAfter"), 2);
  EXPECT_EQ(Int(f, "daysBefore"), 15);
  EXPECT_EQ(Int(f, "daysAfter"), 15);
  EXPECT_EQ(Str(p.at("items").as_array()[1], "name"), t.second.name);
  EXPECT_EQ(p.at("criticalPath").as_array().size(), 2u);
  r = preview(t.bundle, {{"hukou", "no"}});
  ASSERT_STATUS(r, 200);
  EXPECT_EQ(Int(Obj(r).at("figures"), "items"), 1);

  // An edit not yet saved: without the edge both run at once (时限 15 → 10), and a new option
  // that skips the 结婚证.
  catalog::Bundle edit = t.bundle;
  edit.edges.clear();
  edit.situations.push_back(
      {"married", "父母是否已登记结婚？", {{"yes", "是", {}}, {"no", "否", {"doc.marriageCert"}}}});
  r = preview(edit, {{"hukou", "yes"}, {"married", "no"}});
  ASSERT_STATUS(r, 200);
  EXPECT_EQ(Int(Obj(r).at("figures"), "daysAfter"), 10);
  EXPECT_EQ(Int(Obj(r).at("figures"), "materialsAfter"), 2);  // 结婚证 skipped, 出生证明 asked
  EXPECT_EQ(Str(Obj(r).at("dropped").as_array()[0].at("material"), "key"), "doc.marriageCert");

  // Problems come back as field errors under "bundle." (validation, reading) or "answers.".
  catalog::Bundle bad = t.bundle;
  bad.items[1].when = {"hukou=maybe"};
  bad.name = "";
  r = preview(bad, {{"hukou", "yes"}});
  EXPECT_ERROR(r, 400, "INVALID_ARGUMENT", "catalog.invalid_bundle");
  EXPECT_EQ(FieldsOf(r), (std::vector<std::string>{"bundle.name", "bundle.items[1].when[0]"}));
  bad = t.bundle;
  bad.items.push_back({std::string(31, '9'), {}, true});
  r = preview(bad, {{"hukou", "yes"}});
  EXPECT_ERROR(r, 400, "INVALID_ARGUMENT", "catalog.invalid_bundle");
  EXPECT_EQ(FieldsOf(r), std::vector<std::string>{"bundle.items[2].itemCode"});
  json::object typo = catalog::BundleToJson(t.bundle);
  typo["situatons"] = json::array{};
  r = env().Call("POST", "/api/v1/catalog/plan-preview",
                 json::object{{"bundle", typo}, {"answers", json::object{{"hukou", "yes"}}}},
                 &admin);
  EXPECT_ERROR(r, 400, "INVALID_ARGUMENT", "catalog.bad_json");
  EXPECT_EQ(FieldsOf(r), std::vector<std::string>{"bundle.situatons"});
  r = preview(t.bundle, {});
  EXPECT_ERROR(r, 400, "INVALID_ARGUMENT", "catalog.missing_answer");
  EXPECT_EQ(FieldsOf(r), std::vector<std::string>{"answers.hukou"});
  r = preview(t.bundle, {{"hukou", "maybe"}});
  EXPECT_ERROR(r, 400, "INVALID_ARGUMENT", "catalog.bad_answer");
  EXPECT_ERROR(env().Call("POST", "/api/v1/catalog/plan-preview",
                          json::object{{"answers", json::object{}}}, &admin),
               400, "INVALID_ARGUMENT", "http.invalid_body");
  EXPECT_ERROR(env().Call("POST", "/api/v1/catalog/plan-preview",
                          json::object{{"bundle", catalog::BundleToJson(t.bundle)},
                                       {"answer", json::object{}}},
                          &admin),
               400, "INVALID_ARGUMENT", "http.invalid_body");
  EXPECT_ERROR(env().Call("POST", "/api/v1/catalog/plan-preview",
                          json::object{{"bundle", catalog::BundleToJson(t.bundle)},
                                       {"answers", json::object{{"hukou", 1}}}},
                          &admin),
               400, "INVALID_ARGUMENT", "catalog.bad_json");
  EXPECT_ERROR(
      env().Call("POST", "/api/v1/catalog/plan-preview",
                 json::object{{"bundle", catalog::BundleToJson(t.bundle)}}, &env().As("clerk")),
      403, "PERMISSION_DENIED", "identity.permission_denied");
  EXPECT_EQ(Snap(env()), before);  // nothing saved, nothing audited
  EXPECT_ERROR(env().Call("GET", "/api/v1/catalog/bundles/" + t.bundle.code), 404, "NOT_FOUND",
               "catalog.bundle_not_found");
}

TEST_P(CatalogRoutesTest, QrCodesLinkToTheGuideOnThisHost) {
  catalog::Item item = PutItem(env(), UniqueItem(env(), "二维码事项"));
  Response r = env().CallRaw("GET", "/api/v1/catalog/items/" + item.code + "/qr.svg", "", nullptr,
                             {{"Host", "zwfw.example.cn:8080"}});
  ASSERT_STATUS(r, 200);
  EXPECT_EQ(r.content_type, "image/svg+xml");
  EXPECT_THAT(r.body, StartsWith("<svg"));
  EXPECT_EQ(r.body, *catalog::QrSvg("http://zwfw.example.cn:8080/guide/item/" + item.code));

  r = env().CallRaw("GET", "/api/v1/catalog/items/" + item.code + "/qr.svg", "", nullptr,
                    {{"Host", "zwfw.example.cn"}, {"X-Forwarded-Proto", "https"}});
  ASSERT_STATUS(r, 200);
  EXPECT_EQ(r.body, *catalog::QrSvg("https://zwfw.example.cn/guide/item/" + item.code));

  EXPECT_ERROR(env().CallRaw("GET", "/api/v1/catalog/items/" + item.code + "/qr.svg", "", nullptr,
                             {{"Host", "evil.cn\"><script>"}}),
               400, "INVALID_ARGUMENT", "catalog.bad_host");
  EXPECT_ERROR(env().Call("GET", "/api/v1/catalog/items/" + item.code + "/qr.svg"), 400,
               "INVALID_ARGUMENT", "catalog.bad_host");  // no Host: no absolute link
  EXPECT_ERROR(env().CallRaw("GET", "/api/v1/catalog/items/" + std::string(31, '9') + "/qr.svg", "",
                             nullptr, {{"Host", "zwfw.example.cn"}}),
               404, "NOT_FOUND", "catalog.item_not_found");

  TwoItemBundle t = MakeTwoItemBundle(env());
  ASSERT_STATUS(env().Call("PUT", "/api/v1/catalog/bundles/" + t.bundle.code,
                           catalog::BundleToJson(t.bundle), &env().As("admin")),
                200);
  r = env().CallRaw("GET", "/api/v1/catalog/bundles/" + t.bundle.code + "/qr.svg", "", nullptr,
                    {{"Host", "127.0.0.1:8080"}});
  ASSERT_STATUS(r, 200);
  EXPECT_EQ(r.body, *catalog::QrSvg("http://127.0.0.1:8080/guide/bundle/" + t.bundle.code));
}

TEST_P(CatalogRoutesTest, RetiredItemsAreGoneFromTheGuide) {
  catalog::Item item = PutItem(env(), UniqueItem(env(), "待停用事项"));
  const Snapshot before = Snap(env());
  EXPECT_ERROR(env().Call("POST", "/api/v1/catalog/items/" + item.code + "/retire",
                          json::object{{"version", 1}, {"reason", "停"}}, &env().As("admin")),
               400, "INVALID_ARGUMENT", "catalog.invalid_reason");
  EXPECT_ERROR(env().Call("POST", "/api/v1/catalog/items/" + item.code + "/retire",
                          json::object{{"reason", "事项取消"}}, &env().As("admin")),
               400, "INVALID_ARGUMENT", "http.invalid_body");
  EXPECT_EQ(Snap(env()), before);
  Response r =
      env().Call("POST", "/api/v1/catalog/items/" + item.code + "/retire",
                 json::object{{"version", 1}, {"reason", "事项已取消"}}, &env().As("admin"));
  ASSERT_STATUS(r, 200);
  EXPECT_TRUE(Obj(r).at("retired").as_bool());
  EXPECT_ERROR(env().Call("GET", "/api/v1/catalog/items/" + item.code), 404, "NOT_FOUND",
               "catalog.item_retired");
  EXPECT_STATUS(env().Call("GET", "/api/v1/catalog/items/" + item.code + "?version=1"), 200);
}

TEST_P(CatalogRoutesTest, ImportAndExport) {
  const Session& admin = env().As("admin");
  TwoItemBundle t = MakeTwoItemBundle(env());
  catalog::Item fresh = UniqueItem(env(), "导入事项");
  json::object file{
      {"items", json::array{catalog::ItemToJson(t.first), catalog::ItemToJson(fresh)}},
      {"bundles", json::array{catalog::BundleToJson(t.bundle)}}};
  Response r = env().CallRaw("POST", "/api/v1/catalog/import", catalog::PrettyJson(file), &admin,
                             {{"Content-Type", "application/json"}});
  ASSERT_STATUS(r, 200);
  json::object report = Obj(r);
  EXPECT_EQ(Int(report, "itemsNew"), 1);
  EXPECT_EQ(Int(report, "itemsUnchanged"), 1);
  EXPECT_EQ(Int(report, "bundlesNew"), 1);

  // Errors name the line; nothing is written.
  const Snapshot before = Snap(env());
  catalog::Item broken = UniqueItem(env(), "导入坏事项");
  broken.visits = 0;  // but onsiteReason is set
  const std::string text =
      catalog::PrettyJson(json::object{{"items", json::array{catalog::ItemToJson(broken)}}});
  r = env().CallRaw("POST", "/api/v1/catalog/import", text, &admin,
                    {{"Content-Type", "application/json"}});
  EXPECT_ERROR(r, 400, "INVALID_ARGUMENT", "catalog.invalid_import");
  const std::size_t at = text.find("\"onsiteReason\"");
  const auto line =
      1 + std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(at), '\n');
  EXPECT_EQ(Str(Obj(r).at("error").at("fields").as_array()[0], "message"),
            "第 " + std::to_string(line) +
                " 行 items[0].onsiteReason：零跑动事项不应填写必须现场办理原因");
  r = env().CallRaw("POST", "/api/v1/catalog/import", "{\n  \"items\": [\n  }", &admin,
                    {{"Content-Type", "application/json"}});
  EXPECT_ERROR(r, 400, "INVALID_ARGUMENT", "catalog.invalid_import");
  EXPECT_THAT(std::string(Str(Obj(r).at("error").at("fields").as_array()[0], "message")),
              StartsWith("第 3 行第 3 列："));
  r = env().CallRaw("POST", "/api/v1/catalog/import", "{}", &admin,
                    {{"Content-Type", "text/plain"}});
  EXPECT_ERROR(r, 400, "INVALID_ARGUMENT", "http.unsupported_media_type");
  EXPECT_EQ(Snap(env()), before);

  Response exported = env().Call("GET", "/api/v1/catalog/export", nullptr, &admin);
  ASSERT_STATUS(exported, 200);
  EXPECT_EQ(exported.Header("Content-Disposition"), "attachment; filename=\"catalog.json\"");
  json::object all = Obj(exported);
  EXPECT_NE(FindBy(all.at("items").as_array(), "code", fresh.code), nullptr);
  EXPECT_NE(FindBy(all.at("bundles").as_array(), "code", t.bundle.code), nullptr);
  // The export imports back unchanged.
  r = env().CallRaw("POST", "/api/v1/catalog/import", exported.body, &admin,
                    {{"Content-Type", "application/json"}});
  ASSERT_STATUS(r, 200);
  EXPECT_EQ(Int(Obj(r), "itemsNew") + Int(Obj(r), "itemsNewVersion") + Int(Obj(r), "bundlesNew") +
                Int(Obj(r), "bundlesNewVersion"),
            0);
}

INSTANTIATE_ROUTES_TEST(CatalogRoutesTest);

}  // namespace
}  // namespace onestop::routes_test
