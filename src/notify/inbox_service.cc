#include "notify/inbox_service.h"

#include <boost/json.hpp>

namespace onestop::notify {
namespace {

constexpr const char* kInboxColumns =
    "id, title, body, template_code, subject_type, subject_id, created_at_ms, read_at_ms";

InboxMessage MessageFromRow(const store::Row& r) {
  InboxMessage m;
  m.id = r.Text(0);
  m.title = r.Text(1);
  m.body = r.Text(2);
  m.template_code = r.Text(3);
  m.subject_type = r.Text(4);
  m.subject_id = r.Text(5);
  m.created_at_ms = r.Int(6);
  m.read_at_ms = r.OptInt(7);
  return m;
}

Result<void> RequireUser(const identity::Principal& actor) {
  if (actor.user_id.empty()) {
    return Unauthenticated("notify.no_user", "请先登录后查看消息");
  }
  return Ok();
}

// " AND (<whose messages>)" for `actor` and its parameters: the user's own, and for citizen and
// enterprise accounts also their party's. Staff accounts never match by party.
std::string OwnerClause(const identity::Principal& actor, std::vector<store::Value>& params) {
  std::string sql = " AND (recipient_user_id = ?";
  params.emplace_back(actor.user_id);
  if (actor.kind != identity::UserKind::kStaff) {
    for (const std::optional<std::string>& party : {actor.person_id, actor.enterprise_id}) {
      if (party && !party->empty()) {
        sql += " OR recipient_party_id = ?";
        params.emplace_back(*party);
      }
    }
  }
  return sql + ")";
}

}  // namespace

InboxService::InboxService(store::Db& db, const Clock& clock)
    : db_(db), clock_(clock), audit_(clock) {}

Result<InboxPage> InboxService::List(const identity::Principal& actor, int offset, int limit,
                                     bool unread_only) {
  RETURN_IF_ERROR(RequireUser(actor));
  if (offset < 0 || limit < 1 || limit > kMaxInboxLimit) {
    Error e = InvalidArgument("notify.bad_page", "分页参数有误");
    if (offset < 0) e = std::move(e).WithField("offset", "不能小于 0");
    if (limit < 1 || limit > kMaxInboxLimit) {
      e = std::move(e).WithField("limit", "应在 1 到 " + std::to_string(kMaxInboxLimit) + " 之间");
    }
    return e;
  }
  return store::Read(db_, [&](store::Tx& tx) -> Result<InboxPage> {
    std::vector<store::Value> params;
    std::string where = " FROM notify_inbox WHERE 1 = 1" + OwnerClause(actor, params);
    if (unread_only) where += " AND read_at_ms IS NULL";
    ASSIGN_OR_RETURN(store::Rows count, tx.Query("SELECT COUNT(*)" + where, params));
    InboxPage page;
    page.total = count.front().Int(0);
    params.emplace_back(std::int64_t{limit});
    params.emplace_back(std::int64_t{offset});
    ASSIGN_OR_RETURN(store::Rows rows,
                     tx.Query(std::string("SELECT ") + kInboxColumns + where +
                                  " ORDER BY created_at_ms DESC, id DESC LIMIT ? OFFSET ?",
                              params));
    for (const store::Row& r : rows) page.items.push_back(MessageFromRow(r));
    return page;
  });
}

Result<InboxMessage> InboxService::MarkRead(const identity::Principal& actor,
                                            const std::string& id) {
  RETURN_IF_ERROR(RequireUser(actor));
  return store::Transact(db_, [&](store::Tx& tx) -> Result<InboxMessage> {
    std::vector<store::Value> params{id};
    const std::string owner = OwnerClause(actor, params);
    // Someone else's message is "not found": its existence is not revealed.
    ASSIGN_OR_RETURN(store::Row row, tx.QueryOne(std::string("SELECT ") + kInboxColumns +
                                                     " FROM notify_inbox WHERE id = ?" + owner,
                                                 params, "notify.message_not_found", "消息不存在"));
    InboxMessage m = MessageFromRow(row);
    if (m.read_at_ms) return m;
    const Millis now = clock_.NowMs();
    ASSIGN_OR_RETURN(std::int64_t changed,
                     tx.Exec("UPDATE notify_inbox SET read_at_ms = ?, version = version + 1 "
                             "WHERE id = ? AND read_at_ms IS NULL",
                             {now, id}));
    RETURN_IF_ERROR(store::CheckVersion(changed));  // marked by a concurrent call: retry
    // No subject party: reading one's own message touches nobody else's data.
    RETURN_IF_ERROR(audit_.Append(
        tx, identity::ActorOf(actor),
        {"notify.inbox.read", "notify_message", m.id, std::nullopt, "",
         boost::json::serialize(boost::json::object{{"templateCode", m.template_code}})}));
    m.read_at_ms = now;
    return m;
  });
}

Result<std::int64_t> InboxService::UnreadCount(const identity::Principal& actor) {
  RETURN_IF_ERROR(RequireUser(actor));
  return store::Read(db_, [&](store::Tx& tx) -> Result<std::int64_t> {
    std::vector<store::Value> params;
    ASSIGN_OR_RETURN(store::Rows rows,
                     tx.Query("SELECT COUNT(*) FROM notify_inbox WHERE read_at_ms IS NULL" +
                                  OwnerClause(actor, params),
                              params));
    return rows.front().Int(0);
  });
}

}  // namespace onestop::notify
