// Case routes (src/http/routes/cases_routes.cc) over the demo: the 出生一件事 through HTTP from
// upload to completion, and the bad inputs, each with its error and nothing changed.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <string>
#include <vector>

#include "core/id_number.h"
#include "routes/harness.h"
#include "store/db.h"

namespace onestop::routes_test {
namespace {
namespace json = boost::json;

class CasesRoutesTest : public RoutesTest {
 protected:
  const Session& Who(const std::string& username) {
    auto it = extra_.find(username);
    if (it == extra_.end()) it = extra_.emplace(username, env().Login(username, "Demo@2026")).first;
    return it->second;
  }

  Response Post(const std::string& target, const json::value& body, const std::string& as) {
    return env().Call("POST", target, body, &Who(as));
  }
  Response Get(const std::string& target, const std::string& as) {
    return env().Call("GET", target, nullptr, &Who(as));
  }

  std::string Upload(const std::string& text, const std::string& as = "citizen") {
    Response r = env().CallRaw("POST", "/api/v1/blobs", "%PDF-1.4\n" + text, &Who(as),
                               {{"Content-Type", "application/pdf"}});
    EXPECT_STATUS(r, 200);
    return Str(Obj(r), "sha256");
  }

  // The first option of every situation of bundle `code`.
  json::object DefaultAnswers(const std::string& code) {
    Response r = env().Call("GET", "/api/v1/catalog/bundles/" + code);
    EXPECT_STATUS(r, 200);
    json::object answers;
    const json::object bundle = Obj(r);
    for (const json::value& s : bundle.at("situations").as_array()) {
      answers[Str(s, "code")] = Str(s.at("options").as_array().at(0), "code");
    }
    return answers;
  }

  // The merged form filled by field type, and every material uploaded, for the plan.
  json::object Application(const std::string& code, const json::object& answers) {
    Response r = env().Call("POST", "/api/v1/catalog/bundles/" + code + "/plan",
                            json::object{{"answers", answers}});
    EXPECT_STATUS(r, 200);
    json::object plan = Obj(r);
    json::object form;
    for (const json::value& f : plan.at("fields").as_array()) {
      if (f.at("filledByPrerequisite").as_bool()) continue;
      const std::string type = Str(f, "type");
      std::string v = "测试";
      if (type == "idNumber")
        v = "43010419900307123" + std::string(1, IdNumberCheckChar("43010419900307123"));
      if (type == "date") v = "2026-02-01";
      if (type == "phone") v = "13800000000";
      if (type == "boolean") v = "true";
      if (type == "region") v = "430104";
      if (type == "select") v = std::string(f.at("options").as_array().at(0).as_string());
      if (type == "number") {
        const json::value& min = f.at("min");
        v = min.is_null()
                ? "1"
                : (Str(f, "key").find("Year") != std::string::npos ? "2026" : json::serialize(min));
      }
      form[Str(f, "key")] = v;
    }
    json::array materials;
    for (const json::value& m : plan.at("materials").as_array()) {
      materials.push_back(json::object{{"key", Str(m, "key")},
                                       {"sha256", Upload(Str(m, "key"))},
                                       {"fileName", Str(m, "name") + ".pdf"}});
    }
    return {{"kind", "bundle"},
            {"catalogCode", code},
            {"answers", answers},
            {"form", form},
            {"materials", std::move(materials)},
            {"channel", "online"}};
  }

  std::map<std::string, Session> extra_;
};

TEST_P(CasesRoutesTest, BirthBundleFromUploadToCompletionOverHttp) {
  json::object app = Application("birth", DefaultAnswers("birth"));
  Response r = Post("/api/v1/cases", app, "citizen");
  ASSERT_STATUS(r, 200);
  json::object c = Obj(r);
  const std::string id = Str(c, "id");
  EXPECT_EQ(Str(c, "status"), "submitted");
  EXPECT_EQ(Str(c, "statusName"), "待受理");
  EXPECT_EQ(Str(c, "channel"), "online");
  EXPECT_EQ(Str(c.at("applicant"), "name"), "张三");

  // Any counter clerk accepts it.
  r = Post("/api/v1/cases/" + id + "/accept", json::object{{"mode", "normal"}}, "clerk");
  ASSERT_STATUS(r, 200);
  c = Obj(r);
  EXPECT_EQ(Str(c, "status"), "in_progress");
  EXPECT_EQ(Str(c, "receiptNo").substr(0, 2), "SL");
  EXPECT_FALSE(c.at("deadline").is_null());
  // The bundle's critical path is one working day, so it is due soon from the start.
  EXPECT_EQ(Str(c.at("light"), "code"), "yellow");

  // Each department finds its task in its queue only once it has been pushed there, acts on
  // it, and the next one starts by itself.
  const std::map<std::string, std::string> reviewer_of = {{"长沙市卫生健康委员会", "wjw_reviewer"},
                                                          {"长沙市公安局", "gaj_reviewer"},
                                                          {"长沙市医疗保障局", "ybj_reviewer"}};
  for (int round = 0; round < 12 && Str(c, "status") == "in_progress"; ++round) {
    const json::object* pending = FindBy(c.at("tasks").as_array(), "status", "pending");
    ASSERT_NE(pending, nullptr);
    const std::string reviewer = reviewer_of.at(Str(*pending, "departmentName"));
    json::array queue = Items(Get("/api/v1/tasks/queue", reviewer));
    ASSERT_NE(FindBy(queue, "id", Str(*pending, "id")), nullptr) << reviewer;
    json::object result;
    if (Int(*pending, "stepIndex") + 1 >= Int(*pending, "stepCount")) {
      const json::object item =
          Obj(env().Call("GET", "/api/v1/catalog/items/" + Str(*pending, "itemCode")));
      for (const json::value& f : item.at("result").at("fields").as_array()) {
        result[std::string(f.as_string())] = "R-" + std::string(f.as_string());
      }
    }
    r = Post("/api/v1/tasks/" + Str(*pending, "id") + "/approve",
             json::object{{"comment", "同意"}, {"result", result}}, reviewer);
    ASSERT_STATUS(r, 200);
    c = Obj(r);
  }
  EXPECT_EQ(Str(c, "status"), "completed");
  // The citizen sees the timeline and confirms receipt of the electronic result.
  r = Get("/api/v1/cases/" + id, "citizen");
  ASSERT_STATUS(r, 200);
  EXPECT_EQ(Str(Obj(r).at("timeline").as_array().back(), "kind"), "completed");
  r = Post("/api/v1/cases/" + id + "/confirm-receipt", json::object{}, "citizen");
  ASSERT_STATUS(r, 200);
  EXPECT_EQ(Str(Obj(r), "status"), "delivered");
  // The uploaded files come back to whoever may see the case.
  const std::string key = Str(Obj(r).at("materials").as_array().at(0), "key");
  Response file =
      env().Call("GET", "/api/v1/cases/" + id + "/materials/" + key, nullptr, &Who("citizen"));
  ASSERT_STATUS(file, 200);
  EXPECT_EQ(file.content_type, "application/pdf");
  EXPECT_EQ(file.body.rfind("%PDF-", 0), 0u);
}

TEST_P(CasesRoutesTest, BadInputsAreRefusedAndChangeNothing) {
  const Snapshot before = Snap(env());
  // Uploads are checked by content.
  Response r = env().CallRaw("POST", "/api/v1/blobs", "MZ not a pdf", &Who("citizen"),
                             {{"Content-Type", "application/pdf"}});
  EXPECT_ERROR(r, 400, "INVALID_ARGUMENT", "cases.blob_type");
  // Unknown channel, wrong shapes, missing fields.
  r = Post("/api/v1/cases",
           json::object{{"kind", "bundle"}, {"catalogCode", "birth"}, {"channel", "fax"}},
           "citizen");
  EXPECT_ERROR(r, 400, "INVALID_ARGUMENT", "cases.bad_channel");
  r = Post("/api/v1/cases",
           json::object{{"kind", "bundle"},
                        {"catalogCode", "birth"},
                        {"channel", "online"},
                        {"form", json::object{{"applicant.name", json::array{}}}},
                        {"materials", "x"}},
           "citizen");
  EXPECT_ERROR(r, 400, "INVALID_ARGUMENT", "http.invalid_body");
  EXPECT_THAT(FieldsOf(r), ::testing::ElementsAre("form.applicant.name", "materials"));
  r = Post("/api/v1/cases", json::object{{"channel", "online"}}, "citizen");
  EXPECT_ERROR(r, 400, "INVALID_ARGUMENT", "http.invalid_body");
  // A form that does not pass the schema names every field.
  json::object app = Application("birth", DefaultAnswers("birth"));
  const Snapshot with_uploads = Snap(env());
  app["form"].as_object()["unknown.key"] = "x";
  r = Post("/api/v1/cases", app, "citizen");
  EXPECT_ERROR(r, 400, "INVALID_ARGUMENT", "cases.invalid_form");
  EXPECT_THAT(FieldsOf(r), ::testing::Contains("unknown.key"));
  EXPECT_EQ(Snap(env()), with_uploads);
  (void)before;
}

TEST_P(CasesRoutesTest, WhoMayDoWhat) {
  json::object app = Application("birth", DefaultAnswers("birth"));
  Response r = Post("/api/v1/cases", app, "citizen");
  ASSERT_STATUS(r, 200);
  const std::string id = Str(Obj(r), "id");
  for (const char* who : {"clerk", "gaj_reviewer", "enterprise"}) Who(who);  // sign in first
  const Snapshot before = Snap(env());
  // Not signed in; a citizen accepting; another department's reviewer reading.
  EXPECT_ERROR(env().Call("GET", "/api/v1/cases/" + id), 401, "UNAUTHENTICATED",
               "identity.unauthenticated");
  EXPECT_ERROR(Post("/api/v1/cases/" + id + "/accept", json::object{}, "citizen"), 403,
               "PERMISSION_DENIED", "identity.permission_denied");
  EXPECT_ERROR(Get("/api/v1/cases/" + id, "gaj_reviewer"), 404, "NOT_FOUND", "cases.not_found");
  EXPECT_ERROR(Get("/api/v1/cases/" + id, "enterprise"), 404, "NOT_FOUND", "cases.not_found");
  EXPECT_ERROR(Get("/api/v1/tasks/queue", "citizen"), 403, "PERMISSION_DENIED",
               "identity.permission_denied");
  // A write without the CSRF token.
  Response no_csrf =
      env().CallRaw("POST", "/api/v1/cases/" + id + "/refuse", R"({"reason":"不属于受理范围"})",
                    &Who("clerk"), {{"Content-Type", "application/json"}, {"X-CSRF-Token", ""}});
  EXPECT_ERROR(no_csrf, 403, "PERMISSION_DENIED", "identity.csrf");
  EXPECT_EQ(Snap(env()), before);
  // The clerk may; the case then shows as 不予受理 to the citizen.
  r = Post("/api/v1/cases/" + id + "/refuse", json::object{{"reason", "不属于本中心受理范围"}},
           "clerk");
  ASSERT_STATUS(r, 200);
  r = Get("/api/v1/cases?status=refused", "citizen");
  ASSERT_STATUS(r, 200);
  EXPECT_NE(FindBy(Items(r), "id", id), nullptr);
}

// Every department that owns a demo item has a demo reviewer, so every demo case can finish.
TEST_P(CasesRoutesTest, EveryDemoItemDepartmentHasAReviewer) {
  Result<store::Rows> orphans = store::Read(env().db().db(), [](store::Tx& tx) {
    return tx.Query(
        "SELECT DISTINCT i.department_code FROM catalog_item i WHERE i.is_current = 1 AND NOT "
        "EXISTS (SELECT 1 FROM identity_user u JOIN identity_department d ON d.id = "
        "u.department_id JOIN identity_user_role r ON r.user_id = u.id WHERE d.code = "
        "i.department_code AND r.role_code = 'reviewer') ORDER BY 1",
        {});
  });
  ASSERT_TRUE(orphans.has_value()) << orphans.error().message;
  std::vector<std::string> codes;
  for (const store::Row& row : *orphans) codes.push_back(row.Text(0));
  EXPECT_THAT(codes, ::testing::IsEmpty());
  EXPECT_GT(env().db().Count("catalog_item"), 50);
}

INSTANTIATE_ROUTES_TEST(CasesRoutesTest);

}  // namespace
}  // namespace onestop::routes_test
