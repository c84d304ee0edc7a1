// Inbox routes (站内消息): the signed-in user's own messages, the unread count for the badge,
// and marking one read. Nobody can address another user's inbox (InboxService decides whose).
#include <boost/json.hpp>

#include "http/app_routes.h"
#include "http/json_util.h"

namespace onestop::http {
namespace json = boost::json;

namespace {

json::object MessageJson(const notify::InboxMessage& m) {
  return {{"id", m.id},
          {"title", m.title},
          {"body", m.body},
          {"templateCode", m.template_code},
          {"subjectType", m.subject_type},
          {"subjectId", m.subject_id},
          {"createdAt", IsoTimeCst(m.created_at_ms)},
          {"read", m.read_at_ms.has_value()},
          {"readAt", m.read_at_ms ? json::value(IsoTimeCst(*m.read_at_ms)) : json::value(nullptr)}};
}

// ?unread=true|false|1|0 (absent or empty: false).
Result<bool> QueryFlag(const Request& req, std::string_view name) {
  std::optional<std::string> v = req.Query(name);
  if (!v || v->empty() || *v == "false" || *v == "0") return false;
  if (*v == "true" || *v == "1") return true;
  return InvalidArgument("http.invalid_query", "查询参数有误")
      .WithField(std::string(name), "应为 true 或 false");
}

}  // namespace

void AddNotifyRoutes(Router& router, AppContext& app) {
  SessionGuard& guard = app.guard;
  notify::InboxService& inbox = app.inbox;

  router.Get("/api/v1/inbox", [&](Request& req) -> Result<json::value> {
    ASSIGN_OR_RETURN(std::shared_ptr<const identity::Principal> actor, guard.SignedInShared(req));
    ASSIGN_OR_RETURN(int offset, QueryInt(req, "offset", 0, 0, 1'000'000'000));
    ASSIGN_OR_RETURN(int limit, QueryInt(req, "limit", 20, 1, notify::kMaxInboxLimit));
    ASSIGN_OR_RETURN(bool unread, QueryFlag(req, "unread"));
    ASSIGN_OR_RETURN(notify::InboxPage page, inbox.List(*actor, offset, limit, unread));
    json::array items;
    for (const notify::InboxMessage& m : page.items) items.push_back(MessageJson(m));
    return json::object{{"items", std::move(items)}, {"total", page.total}};
  });

  router.Get("/api/v1/inbox/unread-count", [&](Request& req) -> Result<json::value> {
    ASSIGN_OR_RETURN(std::shared_ptr<const identity::Principal> actor, guard.SignedInShared(req));
    ASSIGN_OR_RETURN(std::int64_t count, inbox.UnreadCount(*actor));
    return json::object{{"count", count}};
  });

  router.Post("/api/v1/inbox/{id}/read", [&](Request& req) -> Result<json::value> {
    ASSIGN_OR_RETURN(identity::Principal actor, guard.SignedIn(req));
    ASSIGN_OR_RETURN(notify::InboxMessage m, inbox.MarkRead(actor, req.PathParam("id")));
    return MessageJson(m);
  });
}

}  // namespace onestop::http
