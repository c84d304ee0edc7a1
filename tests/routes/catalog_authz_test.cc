// Every catalogue endpoint tried as every demo role (and anonymously): the portal's reads are
// public; saving, retiring, importing and exporting need catalog.manage (platform_admin, and
// dept_admin for departments within its scope).
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <string>

#include "routes/catalog_fixture.h"
#include "routes/harness.h"

namespace onestop::routes_test {
namespace {
namespace json = boost::json;

std::map<std::string, Outcome> Everyone() {
  std::map<std::string, Outcome> m;
  for (const std::string& role : DemoRoles()) m[role] = Allowed();
  return m;
}

// catalog.manage: the platform administrator, and 长沙's department administrator (the items
// here are in 长沙市卫生健康委员会, within its scope).
std::map<std::string, Outcome> CatalogManagers() {
  std::map<std::string, Outcome> m;
  for (const std::string& role : DemoRoles()) {
    m[role] = role == "admin" || role == "hr_admin" ? Allowed() : Denied();
  }
  return m;
}

std::function<std::string(DemoEnv&)> Fixed(std::string target) {
  return [target](DemoEnv&) { return target; };
}

class CatalogAuthzTest : public RoutesTest {
 protected:
  // One item and one bundle the read cases use (made once per backend's shared database).
  const TwoItemBundle& Shared() {
    static std::map<store::Backend, TwoItemBundle> made;
    auto it = made.find(GetParam());
    if (it == made.end()) {
      TwoItemBundle t = MakeTwoItemBundle(env());
      EXPECT_STATUS(env().Call("PUT", "/api/v1/catalog/bundles/" + t.bundle.code,
                               catalog::BundleToJson(t.bundle), &env().As("admin")),
                    200);
      it = made.emplace(GetParam(), t).first;
    }
    return it->second;
  }
};

TEST_P(CatalogAuthzTest, ThePortalReadsArePublic) {
  const TwoItemBundle& t = Shared();
  const std::string item = "/api/v1/catalog/items/" + t.first.code;
  const std::string bundle = "/api/v1/catalog/bundles/" + t.bundle.code;
  for (const auto& [name, target] : std::vector<std::pair<std::string, std::string>>{
           {"/catalog/items", "/api/v1/catalog/items"},
           {"/catalog/items/{code}", item},
           {"/catalog/bundles", "/api/v1/catalog/bundles"},
           {"/catalog/bundles/{code}", bundle},
       }) {
    RunAuthz(env(), {.name = name,
                     .method = "GET",
                     .target = Fixed(target),
                     .outcomes = Everyone(),
                     .is_public = true});
  }
  // The QR codes need the Host header (their link is absolute), which RunAuthz does not send.
  for (const std::string& target : {item + "/qr.svg", bundle + "/qr.svg"}) {
    std::vector<const Session*> callers = {nullptr};
    for (const std::string& role : DemoRoles()) callers.push_back(&env().As(role));
    for (const Session* who : callers) {
      SCOPED_TRACE(target + " as " + (who == nullptr ? "anonymous" : who->username));
      Response r = env().CallRaw("GET", target, "", who, {{"Host", "zwfw.example.cn"}});
      EXPECT_STATUS(r, 200);
      EXPECT_EQ(r.content_type, "image/svg+xml");
    }
  }
  RunAuthz(env(),
           {.name = "/catalog/bundles/{code}/plan",
            .method = "POST",
            .target = Fixed(bundle + "/plan"),
            .body = [](DemoEnv&) -> json::value {
              return json::object{{"answers", json::object{{"hukou", "yes"}}}};
            },
            .outcomes = Everyone(),
            .is_public = true,
            .check = [](DemoEnv&, const std::string&,
                        const Response& r) { EXPECT_EQ(Int(Obj(r).at("figures"), "items"), 2); }});
}

TEST_P(CatalogAuthzTest, SavingAnItemNeedsCatalogManage) {
  // A new code for every call, so each allowed call creates version 1.
  auto item = std::make_shared<catalog::Item>();
  RunAuthz(env(), {.name = "/catalog/items/{code}",
                   .method = "PUT",
                   .target =
                       [item](DemoEnv& e) {
                         *item = UniqueItem(e, "权限测试事项");
                         return "/api/v1/catalog/items/" + item->code;
                       },
                   .body = [item](DemoEnv&) { return ItemBody(*item); },
                   .outcomes = CatalogManagers(),
                   .check = [](DemoEnv&, const std::string&,
                               const Response& r) { EXPECT_EQ(Int(Obj(r), "version"), 1); }});
}

TEST_P(CatalogAuthzTest, RetiringAnItemNeedsCatalogManage) {
  RunAuthz(env(), {.name = "/catalog/items/{code}/retire",
                   .method = "POST",
                   .target =
                       [](DemoEnv& e) {
                         catalog::Item item = PutItem(e, UniqueItem(e, "权限测试停用"));
                         return "/api/v1/catalog/items/" + item.code + "/retire";
                       },
                   .body = [](DemoEnv&) -> json::value {
                     return json::object{{"version", 1}, {"reason", "权限测试停用"}};
                   },
                   .outcomes = CatalogManagers()});
}

TEST_P(CatalogAuthzTest, SavingABundleNeedsCatalogManage) {
  auto bundle = std::make_shared<catalog::Bundle>();
  RunAuthz(env(),
           {.name = "/catalog/bundles/{code}",
            .method = "PUT",
            .target =
                [bundle](DemoEnv& e) {
                  *bundle = MakeTwoItemBundle(e).bundle;
                  return "/api/v1/catalog/bundles/" + bundle->code;
                },
            .body = [bundle](DemoEnv&) { return json::value(catalog::BundleToJson(*bundle)); },
            .outcomes = CatalogManagers()});
}

TEST_P(CatalogAuthzTest, PreviewingAnUnsavedBundleNeedsCatalogManage) {
  const TwoItemBundle& t = Shared();
  catalog::Bundle edit = t.bundle;
  edit.edges.clear();
  RunAuthz(env(), {.name = "/catalog/plan-preview",
                   .method = "POST",
                   .target = Fixed("/api/v1/catalog/plan-preview"),
                   .body = [edit](DemoEnv&) -> json::value {
                     return json::object{{"bundle", catalog::BundleToJson(edit)},
                                         {"answers", json::object{{"hukou", "yes"}}}};
                   },
                   .outcomes = CatalogManagers(),
                   .check =
                       [](DemoEnv&, const std::string&, const Response& r) {
                         EXPECT_EQ(Int(Obj(r).at("figures"), "daysAfter"), 10);
                       }});
}

TEST_P(CatalogAuthzTest, ImportAndExportNeedCatalogManage) {
  RunAuthz(env(),
           {.name = "/catalog/import",
            .method = "POST",
            .target = Fixed("/api/v1/catalog/import"),
            .body = [](DemoEnv& e) -> json::value {
              return json::object{{"items", json::array{ItemBody(UniqueItem(e, "权限测试导入"))}}};
            },
            .outcomes = CatalogManagers(),
            .check = [](DemoEnv&, const std::string&,
                        const Response& r) { EXPECT_EQ(Int(Obj(r), "itemsNew"), 1); }});
  RunAuthz(env(), {.name = "/catalog/export",
                   .method = "GET",
                   .target = Fixed("/api/v1/catalog/export"),
                   .outcomes = CatalogManagers()});
}

INSTANTIATE_ROUTES_TEST(CatalogAuthzTest);

}  // namespace
}  // namespace onestop::routes_test
