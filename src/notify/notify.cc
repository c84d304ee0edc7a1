#include "notify/notify.h"

#include "core/id_number.h"
#include "core/ids.h"
#include "core/text.h"

namespace onestop::notify {
namespace {

constexpr const char* kOutboxColumns =
    "id, template_code, subject_type, subject_id, recipient_user_id, recipient_party_id, phone, "
    "sms_text, status, attempts, next_attempt_at_ms, lease_owner, lease_until_ms, last_error, "
    "created_at_ms, finished_at_ms";

store::Value NullIfEmpty(const std::string& s) {
  return s.empty() ? store::kNull : store::Value(s);
}

// Adds a field error when `value` (trimmed) is not min–max characters long.
void CheckLength(Error& error, bool& bad, const std::string& value, const char* field,
                 const char* label, std::size_t min, std::size_t max) {
  const std::size_t n = text::CountCodePoints(text::TrimSpace(value));
  if (n >= min && n <= max) return;
  bad = true;
  std::string message = n < min ? std::string(label) + "必填"
                                : std::string(label) + "最多 " + std::to_string(max) + " 个字";
  error = std::move(error).WithField(field, message);
}

}  // namespace

const char* OutboxStatusCode(OutboxStatus s) {
  switch (s) {
    case OutboxStatus::kPending:
      return "pending";
    case OutboxStatus::kSending:
      return "sending";
    case OutboxStatus::kSent:
      return "sent";
    case OutboxStatus::kFailed:
      return "failed";
    case OutboxStatus::kSkipped:
      return "skipped";
  }
  return "";
}

std::optional<OutboxStatus> ParseOutboxStatus(std::string_view code) {
  for (OutboxStatus s : {OutboxStatus::kPending, OutboxStatus::kSending, OutboxStatus::kSent,
                         OutboxStatus::kFailed, OutboxStatus::kSkipped}) {
    if (code == OutboxStatusCode(s)) return s;
  }
  return std::nullopt;
}

Result<std::string> Enqueue(store::Tx& tx, const Clock& clock, const Message& message) {
  const std::string user(text::TrimSpace(message.recipient_user_id));
  const std::string party(text::TrimSpace(message.recipient_party_id));
  std::string phone(text::TrimSpace(message.phone));
  if (user.empty() && party.empty() && phone.empty()) {
    return InvalidArgument("notify.no_recipient",
                           "通知没有接收人：接收用户、接收当事人和手机号至少填写一项");
  }
  Error invalid = InvalidArgument("notify.invalid_message", "通知内容不完整");
  bool bad = false;
  CheckLength(invalid, bad, message.title, "title", "标题", 1, kMaxTitleChars);
  CheckLength(invalid, bad, message.body, "body", "正文", 1, kMaxBodyChars);
  CheckLength(invalid, bad, message.template_code, "templateCode", "通知类型", 1,
              kMaxTemplateCodeChars);
  if (bad) return invalid;
  if (!phone.empty()) {
    Result<std::string> valid = ValidateMobile(phone);
    if (!valid.has_value()) {
      Error e = std::move(valid).error();
      std::string why = e.message;
      return std::move(e).WithField("phone", why);
    }
    phone = *valid;
  }

  const Millis now = clock.NowMs();
  std::string id = NewUlid(now);
  const std::string title(text::TrimSpace(message.title));
  const std::string body(text::TrimSpace(message.body));
  const std::string code(text::TrimSpace(message.template_code));
  const OutboxStatus status = phone.empty() ? OutboxStatus::kSkipped : OutboxStatus::kPending;
  RETURN_IF_ERROR(tx.Exec(
      "INSERT INTO notify_outbox (id, template_code, subject_type, subject_id, recipient_user_id, "
      "recipient_party_id, phone, sms_text, status, attempts, next_attempt_at_ms, last_error, "
      "created_at_ms, version) VALUES (?,?,?,?,?,?,?,?,?,0,?,'',?,1)",
      {id, code, message.subject_type, message.subject_id, NullIfEmpty(user), NullIfEmpty(party),
       phone, phone.empty() ? std::string() : body, std::string(OutboxStatusCode(status)), now,
       now}));
  if (!user.empty() || !party.empty()) {
    RETURN_IF_ERROR(
        tx.Exec("INSERT INTO notify_inbox (id, recipient_user_id, recipient_party_id, title, body, "
                "template_code, subject_type, subject_id, created_at_ms, version) "
                "VALUES (?,?,?,?,?,?,?,?,?,1)",
                {id, NullIfEmpty(user), NullIfEmpty(party), title, body, code, message.subject_type,
                 message.subject_id, now}));
  }
  return id;
}

Result<OutboxEntry> GetOutbox(store::Tx& tx, std::string_view id) {
  ASSIGN_OR_RETURN(
      store::Row r,
      tx.QueryOne(std::string("SELECT ") + kOutboxColumns + " FROM notify_outbox WHERE id = ?",
                  {std::string(id)}, "notify.message_not_found", "消息不存在"));
  OutboxEntry e;
  e.id = r.Text(0);
  e.template_code = r.Text(1);
  e.subject_type = r.Text(2);
  e.subject_id = r.Text(3);
  e.recipient_user_id = r.Text(4);
  e.recipient_party_id = r.Text(5);
  e.phone = r.Text(6);
  e.sms_text = r.Text(7);
  e.status = ParseOutboxStatus(r.Text(8)).value_or(OutboxStatus::kFailed);
  e.attempts = static_cast<int>(r.Int(9));
  e.next_attempt_at_ms = r.Int(10);
  e.lease_owner = r.Text(11);
  e.lease_until_ms = r.OptInt(12);
  e.last_error = r.Text(13);
  e.created_at_ms = r.Int(14);
  e.finished_at_ms = r.OptInt(15);
  return e;
}

}  // namespace onestop::notify
