// Inbox (站内消息): the in-app messages of the signed-in user. A citizen or enterprise account
// sees the messages addressed to its user id or to its party (person / enterprise); staff see
// those addressed to their user id. Nobody sees anyone else's: the inbox is always one's own,
// so no permission is needed beyond being signed in. Messages are written by Enqueue (notify.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "audit/audit_log.h"
#include "core/clock.h"
#include "identity/principal.h"
#include "store/db.h"

namespace onestop::notify {

struct InboxMessage {
  std::string id;  // the message id (the same as its outbox row)
  std::string title, body, template_code, subject_type, subject_id;
  Millis created_at_ms = 0;
  std::optional<Millis> read_at_ms;  // nullopt while unread
};

struct InboxPage {
  std::vector<InboxMessage> items;  // newest first
  std::int64_t total = 0;           // matching messages, ignoring offset/limit
};

inline constexpr int kMaxInboxLimit = 100;

class InboxService {
 public:
  InboxService(store::Db& db, const Clock& clock);

  // `actor`'s messages, newest first; only unread ones with `unread_only`.
  // kUnauthenticated notify.no_user (no user id); kInvalidArgument notify.bad_page
  // (offset < 0, limit outside 1–100).
  Result<InboxPage> List(const identity::Principal& actor, int offset, int limit, bool unread_only);

  // Marks message `id` read (audited as notify.inbox.read) and returns it; a message already
  // read is returned unchanged. kNotFound notify.message_not_found when there is no such message
  // or it is not `actor`'s; kUnauthenticated notify.no_user.
  Result<InboxMessage> MarkRead(const identity::Principal& actor, const std::string& id);

  // Number of unread messages of `actor`. kUnauthenticated notify.no_user.
  Result<std::int64_t> UnreadCount(const identity::Principal& actor);

 private:
  store::Db& db_;
  const Clock& clock_;
  audit::AuditLog audit_;
};

}  // namespace onestop::notify
