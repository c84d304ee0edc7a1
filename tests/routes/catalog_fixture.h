// Catalogue data for the route tests: items with unique valid codes in demo departments, and a
// two-item bundle, as exchange-format JSON (docs/catalog-format.md).
#pragma once

#include <boost/json.hpp>
#include <string>

#include "catalog/catalog_fixtures.h"
#include "catalog/catalog_json.h"
#include "routes/harness.h"

namespace onestop::routes_test {

// A valid item in `department` with a code no other test uses. `name` gets a unique suffix.
inline catalog::Item UniqueItem(DemoEnv& env, const std::string& name,
                                const std::string& department = "HN-CS-WJW") {
  std::string n = env.Unique("");
  n = std::string(5 - std::min<std::size_t>(5, n.size()), '0') + n;
  catalog::Item item = catalog::testing::ValidItem(catalog::testing::kWjwUscc, "0001" + n + "000",
                                                   name + n, department);
  return item;
}

inline boost::json::value ItemBody(const catalog::Item& item) { return catalog::ItemToJson(item); }

// PUT /catalog/items/{code} as admin; ADD_FAILURE unless 200.
inline catalog::Item PutItem(DemoEnv& env, catalog::Item item, const std::string& as = "admin") {
  Response r = env.Call("PUT", "/api/v1/catalog/items/" + item.code, ItemBody(item), &env.As(as));
  EXPECT_STATUS(r, 200);
  if (r.status == 200) item.version = static_cast<int>(Int(Obj(r), "version"));
  return item;
}

// A bundle of two new items, the second after the first, its result field mapped into the
// second's form; a situation decides whether the second applies. Saved through the API.
struct TwoItemBundle {
  catalog::Item first, second;
  catalog::Bundle bundle;
};

inline TwoItemBundle MakeTwoItemBundle(DemoEnv& env, const std::string& as = "admin") {
  TwoItemBundle t;
  t.first = UniqueItem(env, "出生医学证明");
  t.first.result = {"出生医学证明", "doc.birthCert", "", {"certNo"}};
  t.first.materials.push_back(catalog::testing::Mat("doc.marriageCert", "结婚证"));
  t.first = PutItem(env, t.first, as);
  t.second = UniqueItem(env, "户口登记", "HN-CS-GAJ");
  t.second.promised_limit.value = 10;
  t.second.materials.push_back(catalog::testing::Mat("doc.birthCert", "出生医学证明"));
  t.second.fields.push_back(catalog::testing::Text("child.birthCertNo", "出生医学证明编号"));
  t.second = PutItem(env, t.second, as);
  catalog::Bundle& b = t.bundle;
  b.code = "birth-" + env.Unique("t");
  b.name = "出生一件事（测试）";
  b.category = "person";
  b.department_code = "HN-CS-XSPJ";
  b.situations = {{"hukou", "是否办理户口登记？", {{"yes", "是", {}}, {"no", "否", {}}}}};
  b.items = {{t.first.code, {}, true}, {t.second.code, {"hukou=yes"}, true}};
  b.edges = {{t.first.code, t.second.code, {{"certNo", "child.birthCertNo"}}}};
  return t;
}

}  // namespace onestop::routes_test
