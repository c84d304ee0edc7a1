// Identity routes: sign-in, departments, roles, users, persons and enterprises.
#include <boost/json.hpp>

#include "core/id_number.h"
#include "core/region.h"
#include "http/app_routes.h"
#include "http/json_util.h"

namespace onestop::http {
namespace json = boost::json;
using identity::Principal;

namespace {

std::string RegionName(const std::string& code) {
  const Region* r = FindRegion(code);
  return r != nullptr ? r->full_name : std::string();
}

json::value OptJson(const std::optional<std::string>& v) {
  return v ? json::value(*v) : json::value(nullptr);
}

json::array RolesJson(const std::vector<identity::Role>& roles, bool with_names,
                      json::storage_ptr sp = {}) {
  json::array a(sp);
  a.reserve(roles.size());
  for (identity::Role r : roles) {
    const identity::RoleInfo& info = identity::InfoOf(r);
    if (with_names) {
      json::object role(sp);
      role.reserve(2);
      role.emplace("code", info.code);
      role.emplace("name", info.name);
      a.emplace_back(std::move(role));
    } else {
      a.emplace_back(info.code);
    }
  }
  return a;
}

// Built member by member in `sp` rather than from an initializer list (which copies every
// nested value): GET /auth/me runs on every page of the web UI.
json::object MeJson(const Principal& p, json::storage_ptr sp = {}) {
  json::array permissions(sp);
  permissions.reserve(p.permissions.size());
  for (identity::Permission perm : p.permissions) {
    permissions.emplace_back(identity::PermissionCode(perm));
  }
  json::value department(nullptr, sp);
  if (p.department_id) {
    json::object& d = department.emplace_object();
    d.reserve(2);
    d.emplace("id", *p.department_id);
    d.emplace("name", p.department_name);
  }
  json::object o(sp);
  o.reserve(10);
  o.emplace("id", p.user_id);
  o.emplace("username", p.username);
  o.emplace("displayName", p.display_name);
  o.emplace("kind", identity::UserKindCode(p.kind));
  o.emplace("roles", RolesJson(p.roles, true, sp));
  o.emplace("department", std::move(department));
  o.emplace("dataScope", identity::DataScopeCode(p.data_scope));
  o.emplace("permissions", std::move(permissions));
  o.emplace("personId", OptJson(p.person_id));
  o.emplace("enterpriseId", OptJson(p.enterprise_id));
  return o;
}

json::object DepartmentJson(const identity::Department& d) {
  return {{"id", d.id},
          {"code", d.code},
          {"name", d.name},
          {"parentId", OptJson(d.parent_id)},
          {"regionCode", d.region_code},
          {"regionName", RegionName(d.region_code)},
          {"level", identity::DeptLevelCode(d.level)},
          {"version", d.version}};
}

json::object UserJson(const identity::User& u) {
  json::array custom;
  for (const std::string& id : u.custom_department_ids) custom.emplace_back(id);
  return {{"id", u.id},
          {"username", u.username},
          {"displayName", u.display_name},
          {"kind", identity::UserKindCode(u.kind)},
          {"departmentId", OptJson(u.department_id)},
          {"departmentName", u.department_id ? json::value(u.department_name) : nullptr},
          {"roles", RolesJson(u.roles, false)},
          {"dataScope", identity::DataScopeCode(u.data_scope)},
          {"customDepartmentIds", std::move(custom)},
          {"status", u.active ? "active" : "disabled"},
          {"lockedUntil",
           u.locked_until_ms ? json::value(IsoTimeCst(*u.locked_until_ms)) : json::value(nullptr)},
          {"createdAt", IsoTimeCst(u.created_at_ms)},
          {"version", u.version}};
}

// Persons in lists: numbers masked.
json::object PersonJson(const identity::Person& p) {
  return {{"id", p.id},
          {"name", p.name},
          {"idNumberMasked", MaskIdNumber(p.id_number)},
          {"phoneMasked", p.phone.empty() ? std::string() : MaskPhone(p.phone)},
          {"gender", p.gender},
          {"birthDate", p.birth_date},
          {"regionCode", p.region_code},
          {"regionName", RegionName(p.region_code)},
          {"createdAt", IsoTimeCst(p.created_at_ms)},
          {"version", p.version}};
}

json::object EnterpriseJson(const identity::Enterprise& e) {
  return {{"id", e.id},
          {"name", e.name},
          {"uscc", e.uscc},
          {"legalRepresentative", e.legal_representative},
          {"regionCode", e.region_code},
          {"regionName", RegionName(e.region_code)},
          {"industry", e.industry},
          {"usccWarning", OptJson(e.uscc_warning)},
          {"createdAt", IsoTimeCst(e.created_at_ms)},
          {"version", e.version}};
}

template <typename T, typename F>
json::object PageJson(const std::vector<T>& items, std::int64_t total, F to_json) {
  json::array a;
  for (const T& item : items) a.push_back(to_json(item));
  return {{"items", std::move(a)}, {"total", total}};
}

Response WithCookie(json::value body, std::string cookie) {
  Response r = JsonResponse(body);
  r.SetHeader("Set-Cookie", std::move(cookie));
  r.SetHeader("Cache-Control", "no-store");
  return r;
}

}  // namespace

void AddIdentityRoutes(Router& router, AppContext& app) {
  SessionGuard& guard = app.guard;
  identity::IdentityServices& id = app.identity;

  // --- sign-in ---------------------------------------------------------------------------
  router.Add("POST", "/api/v1/auth/login", [&](Request& req) -> Result<Response> {
    ASSIGN_OR_RETURN(json::object body, ParseJsonBody(req));
    JsonReader in(body);
    std::string username = in.String("username", false);
    std::string password = in.String("password", false);
    RETURN_IF_ERROR(in.Finish());
    identity::ClientInfo client{req.remote_addr, req.Header("User-Agent"), req.request_id};
    ASSIGN_OR_RETURN(identity::SessionGrant grant,
                     id.auth.LoginWithPassword(username, password, client));
    return WithCookie(
        json::object{{"user", MeJson(grant.principal)}, {"csrfToken", grant.csrf_token}},
        guard.SessionCookie(grant.token, grant.expires_at_ms - app.clock.NowMs()));
  });

  router.Add("POST", "/api/v1/auth/logout", [&](Request& req) -> Result<Response> {
    ASSIGN_OR_RETURN(Principal actor, guard.SignedIn(req));
    RETURN_IF_ERROR(id.auth.Logout(actor));
    return WithCookie(json::object{{"ok", true}}, guard.ClearCookie());
  });

  router.Add("GET", "/api/v1/auth/me", [&](Request& req) -> Result<Response> {
    ASSIGN_OR_RETURN(std::shared_ptr<const Principal> actor, guard.SignedInShared(req));
    // A raw route so that the JSON can live in a stack buffer until it is serialized: the web
    // UI asks on every page. The body is the same as a JSON route's.
    unsigned char buffer[4096];
    json::monotonic_resource memory(buffer, sizeof buffer);
    json::storage_ptr sp(&memory);
    json::object body(sp);
    body.reserve(2);
    body.emplace("user", MeJson(*actor, sp));
    body.emplace("csrfToken", actor->csrf_token);
    return JsonResponse(body);
  });

  // --- departments -----------------------------------------------------------------------
  router.Get("/api/v1/departments", [&](Request& req) -> Result<json::value> {
    ASSIGN_OR_RETURN(Principal actor, guard.SignedIn(req));
    ASSIGN_OR_RETURN(std::vector<identity::Department> all, id.departments.List(actor));
    json::array items;
    for (const identity::Department& d : all) items.push_back(DepartmentJson(d));
    return json::object{{"items", std::move(items)}};
  });

  router.Get("/api/v1/departments/{id}", [&](Request& req) -> Result<json::value> {
    ASSIGN_OR_RETURN(Principal actor, guard.SignedIn(req));
    ASSIGN_OR_RETURN(identity::Department d, id.departments.Get(actor, req.PathParam("id")));
    return DepartmentJson(d);
  });

  router.Post("/api/v1/departments", [&](Request& req) -> Result<json::value> {
    ASSIGN_OR_RETURN(Principal actor, guard.SignedIn(req));
    ASSIGN_OR_RETURN(json::object body, ParseJsonBody(req));
    JsonReader in(body);
    identity::NewDepartment d;
    d.code = in.String("code");
    d.name = in.String("name");
    d.parent_id = in.OptString("parentId");
    d.region_code = in.String("regionCode");
    d.level = in.String("level");
    RETURN_IF_ERROR(in.Finish());
    ASSIGN_OR_RETURN(identity::Department created, id.departments.Create(actor, d));
    return DepartmentJson(created);
  });

  router.Put("/api/v1/departments/{id}", [&](Request& req) -> Result<json::value> {
    ASSIGN_OR_RETURN(Principal actor, guard.SignedIn(req));
    ASSIGN_OR_RETURN(json::object body, ParseJsonBody(req));
    JsonReader in(body);
    identity::DepartmentUpdate u;
    u.id = req.PathParam("id");
    u.name = in.String("name");
    u.region_code = in.String("regionCode");
    u.version = in.Int("version", true, 1);
    RETURN_IF_ERROR(in.Finish());
    ASSIGN_OR_RETURN(identity::Department updated, id.departments.Update(actor, u));
    return DepartmentJson(updated);
  });

  // --- roles and users -------------------------------------------------------------------
  router.Get("/api/v1/roles", [&](Request& req) -> Result<json::value> {
    ASSIGN_OR_RETURN(Principal actor, guard.SignedIn(req));
    RETURN_IF_ERROR(identity::Require(actor, identity::Permission::kManageUsers));
    json::array items;
    for (const identity::RoleInfo& r : identity::AllRoles()) {
      json::array permissions;
      for (identity::Permission p : r.permissions) {
        permissions.push_back(json::object{{"code", identity::PermissionCode(p)},
                                           {"name", identity::PermissionName(p)}});
      }
      items.push_back(
          json::object{{"code", r.code},
                       {"name", r.name},
                       {"description", r.description},
                       {"kind", identity::UserKindCode(r.kind)},
                       {"defaultDataScope", identity::DataScopeCode(r.default_scope)},
                       {"defaultDataScopeName", identity::DataScopeName(r.default_scope)},
                       {"permissions", std::move(permissions)}});
    }
    return json::object{{"items", std::move(items)}};
  });

  router.Get("/api/v1/users", [&](Request& req) -> Result<json::value> {
    ASSIGN_OR_RETURN(Principal actor, guard.SignedIn(req));
    ASSIGN_OR_RETURN(Page page, ParsePage(req));
    identity::UserQuery q{req.Query("q").value_or(""), req.Query("departmentId"), page.offset(),
                          page.page_size};
    if (q.department_id && q.department_id->empty()) q.department_id.reset();
    ASSIGN_OR_RETURN(identity::UserPage users, id.users.List(actor, q));
    return PageJson(users.items, users.total, UserJson);
  });

  router.Post("/api/v1/users", [&](Request& req) -> Result<json::value> {
    ASSIGN_OR_RETURN(Principal actor, guard.SignedIn(req));
    ASSIGN_OR_RETURN(json::object body, ParseJsonBody(req));
    JsonReader in(body);
    identity::NewUser u;
    u.username = in.String("username");
    u.password = in.String("password");
    u.display_name = in.String("displayName");
    u.roles = in.StringList("roles");
    u.department_id = in.OptString("departmentId");
    u.data_scope = in.OptString("dataScope");
    u.custom_department_ids = in.StringList("customDepartmentIds", false);
    u.person_id = in.OptString("personId");
    u.enterprise_id = in.OptString("enterpriseId");
    RETURN_IF_ERROR(in.Finish());
    ASSIGN_OR_RETURN(identity::User created, id.users.Create(actor, u));
    return UserJson(created);
  });

  router.Put("/api/v1/users/{id}", [&](Request& req) -> Result<json::value> {
    ASSIGN_OR_RETURN(Principal actor, guard.SignedIn(req));
    ASSIGN_OR_RETURN(json::object body, ParseJsonBody(req));
    JsonReader in(body);
    identity::UserUpdate u;
    u.id = req.PathParam("id");
    u.display_name = in.String("displayName");
    u.roles = in.StringList("roles");
    u.department_id = in.OptString("departmentId");
    u.data_scope = in.String("dataScope");
    u.custom_department_ids = in.StringList("customDepartmentIds", false);
    u.status = in.String("status");
    u.version = in.Int("version", true, 1);
    RETURN_IF_ERROR(in.Finish());
    ASSIGN_OR_RETURN(identity::User updated, id.users.Update(actor, u));
    return UserJson(updated);
  });

  router.Post("/api/v1/users/{id}/password", [&](Request& req) -> Result<json::value> {
    ASSIGN_OR_RETURN(Principal actor, guard.SignedIn(req));
    ASSIGN_OR_RETURN(json::object body, ParseJsonBody(req));
    JsonReader in(body);
    std::string password = in.String("password");
    RETURN_IF_ERROR(in.Finish());
    RETURN_IF_ERROR(id.users.ResetPassword(actor, req.PathParam("id"), password));
    return json::object{{"ok", true}};
  });

  // --- persons and enterprises -----------------------------------------------------------
  router.Get("/api/v1/persons", [&](Request& req) -> Result<json::value> {
    ASSIGN_OR_RETURN(Principal actor, guard.SignedIn(req));
    ASSIGN_OR_RETURN(Page page, ParsePage(req));
    ASSIGN_OR_RETURN(identity::PartyPage<identity::Person> found,
                     id.parties.SearchPersons(
                         actor, {req.Query("q").value_or(""), page.offset(), page.page_size}));
    return PageJson(found.items, found.total, PersonJson);
  });

  router.Post("/api/v1/persons", [&](Request& req) -> Result<json::value> {
    ASSIGN_OR_RETURN(Principal actor, guard.SignedIn(req));
    ASSIGN_OR_RETURN(json::object body, ParseJsonBody(req));
    JsonReader in(body);
    identity::NewPerson p;
    p.name = in.String("name");
    p.id_number = in.String("idNumber");
    p.phone = in.OptString("phone").value_or("");
    RETURN_IF_ERROR(in.Finish());
    ASSIGN_OR_RETURN(identity::Person created, id.parties.CreatePerson(actor, p));
    return PersonJson(created);
  });

  router.Get("/api/v1/persons/{id}", [&](Request& req) -> Result<json::value> {
    ASSIGN_OR_RETURN(Principal actor, guard.SignedIn(req));
    ASSIGN_OR_RETURN(identity::Person p, id.parties.GetPerson(actor, req.PathParam("id"),
                                                              req.Query("purpose").value_or("")));
    // The detail view is the one place the whole numbers are shown (the read was audited).
    json::object o = PersonJson(p);
    o["idNumber"] = p.id_number;
    o["phone"] = p.phone;
    return o;
  });

  router.Get("/api/v1/enterprises", [&](Request& req) -> Result<json::value> {
    ASSIGN_OR_RETURN(Principal actor, guard.SignedIn(req));
    ASSIGN_OR_RETURN(Page page, ParsePage(req));
    ASSIGN_OR_RETURN(identity::PartyPage<identity::Enterprise> found,
                     id.parties.SearchEnterprises(
                         actor, {req.Query("q").value_or(""), page.offset(), page.page_size}));
    return PageJson(found.items, found.total, EnterpriseJson);
  });

  router.Post("/api/v1/enterprises", [&](Request& req) -> Result<json::value> {
    ASSIGN_OR_RETURN(Principal actor, guard.SignedIn(req));
    ASSIGN_OR_RETURN(json::object body, ParseJsonBody(req));
    JsonReader in(body);
    identity::NewEnterprise e;
    e.name = in.String("name");
    e.uscc = in.String("uscc");
    e.legal_representative = in.String("legalRepresentative");
    e.region_code = in.String("regionCode");
    e.industry = in.OptString("industry").value_or("");
    e.confirm_legacy_uscc = in.Bool("confirmLegacyUscc", false);
    RETURN_IF_ERROR(in.Finish());
    ASSIGN_OR_RETURN(identity::Enterprise created, id.parties.CreateEnterprise(actor, e));
    return EnterpriseJson(created);
  });

  router.Get("/api/v1/enterprises/{id}", [&](Request& req) -> Result<json::value> {
    ASSIGN_OR_RETURN(Principal actor, guard.SignedIn(req));
    ASSIGN_OR_RETURN(
        identity::Enterprise e,
        id.parties.GetEnterprise(actor, req.PathParam("id"), req.Query("purpose").value_or("")));
    return EnterpriseJson(e);
  });
}

}  // namespace onestop::http
