// Seal routes (电子印章): the seal managers' list, create and rotate (seals.manage), and the
// public seal record with its public keys and its picture, for verifiers (no login).
#include <boost/json.hpp>

#include "http/app_routes.h"
#include "http/json_util.h"
#include "render/seal_picture.h"

namespace onestop::http {
namespace json = boost::json;

namespace {

json::object KeyJson(const seal::SealKey& k) {
  return {{"keyId", k.key_id},
          {"alg", seal::SignAlgCode(k.alg)},
          {"publicKeyPem", k.public_key_pem},
          {"createdAtMs", k.created_at_ms},
          {"retiredAtMs", k.retired_at_ms ? json::value(*k.retired_at_ms) : json::value(nullptr)}};
}

json::object SealJson(const seal::Seal& s) {
  json::array keys;
  for (const seal::SealKey& k : s.keys) keys.push_back(KeyJson(k));
  return {{"id", s.id},
          {"departmentId", s.department_id},
          {"departmentName", s.department_name},
          {"name", s.name},
          {"maker", s.maker},
          {"validFromMs", s.valid_from_ms},
          {"validToMs", s.valid_to_ms},
          {"status", s.status},
          {"createdAtMs", s.created_at_ms},
          {"version", s.version},
          {"pictureUrl", "/api/v1/seals/" + s.id + "/picture.png"},
          {"keys", std::move(keys)}};
}

// The title under the star: the seal's name without its department prefix, e.g.
// "长沙市岳麓区行政审批服务局电子证照专用章" → "电子证照专用章".
std::string PictureTitle(const seal::Seal& s) {
  if (s.name.starts_with(s.department_name) && s.name.size() > s.department_name.size()) {
    return s.name.substr(s.department_name.size());
  }
  return s.name;
}

}  // namespace

void AddSealRoutes(Router& router, AppContext& app) {
  SessionGuard& guard = app.guard;
  seal::SealService& seals = app.seals;

  router.Get("/api/v1/seals", [&](Request& req) -> Result<json::value> {
    ASSIGN_OR_RETURN(identity::Principal actor, guard.SignedIn(req));
    ASSIGN_OR_RETURN(std::vector<seal::Seal> list, seals.List(actor));
    json::array items;
    for (const seal::Seal& s : list) items.push_back(SealJson(s));
    return json::object{{"items", std::move(items)}};
  });

  router.Add("POST", "/api/v1/seals", [&](Request& req) -> Result<Response> {
    ASSIGN_OR_RETURN(identity::Principal actor, guard.SignedIn(req));
    ASSIGN_OR_RETURN(json::object body, ParseJsonBody(req));
    JsonReader in(body);
    seal::NewSeal s;
    s.department_id = in.String("departmentId");
    s.name = in.String("name");
    s.maker = in.OptString("maker").value_or("");
    s.valid_to_ms = in.OptInt("validToMs", 0).value_or(0);
    s.with_ed25519 = in.Bool("ed25519", false, false);
    RETURN_IF_ERROR(in.Finish());
    ASSIGN_OR_RETURN(seal::Seal created, seals.Create(actor, s));
    return JsonResponse(SealJson(created), 201);
  });

  router.Post("/api/v1/seals/{id}/rotate", [&](Request& req) -> Result<json::value> {
    ASSIGN_OR_RETURN(identity::Principal actor, guard.SignedIn(req));
    ASSIGN_OR_RETURN(seal::Seal rotated, seals.Rotate(actor, req.PathParam("id")));
    return SealJson(rotated);
  });

  // Public: what a verifier needs (no private material exists in a Seal).
  router.Get("/api/v1/seals/{id}", [&](Request& req) -> Result<json::value> {
    ASSIGN_OR_RETURN(seal::Seal s, seals.Get(req.PathParam("id")));
    return SealJson(s);
  });

  router.Add("GET", "/api/v1/seals/{id}/picture.png", [&](Request& req) -> Result<Response> {
    ASSIGN_OR_RETURN(seal::Seal s, seals.Get(req.PathParam("id")));
    Response r;
    r.content_type = "image/png";
    r.body = render::SealPng(s.department_name, PictureTitle(s), 400);
    r.SetHeader("Cache-Control", "public, max-age=3600");
    r.SetHeader("X-Content-Type-Options", "nosniff");
    return r;
  });
}

}  // namespace onestop::http
