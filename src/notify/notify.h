// Notifications (通知): a message for a person, written by the service whose event it reports
// IN THAT EVENT'S TRANSACTION (Enqueue), then shown in the in-app inbox (inbox_service.h) and
// sent as an SMS by the delivery worker (delivery_worker.h) through an SmsGateway
// (sms_gateway.h). If the event's transaction rolls back, nothing is shown and nothing is sent.
// The HTTP SMS gateway client is in http/sms_http_gateway.h, not here.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/result.h"
#include "store/db.h"

namespace onestop::notify {

// One notification. Who gets it: the inbox of `recipient_user_id` and/or of the party
// `recipient_party_id` (every account of that person or enterprise), and/or an SMS to `phone`.
// At least one of the three must be set.
struct Message {
  std::string recipient_user_id;   // identity_user.id, may be ""
  std::string recipient_party_id;  // person/enterprise id (identity_person/_enterprise), may be ""
  std::string phone;               // mainland mobile number; "" → no SMS
  std::string title;               // 1–100 characters, e.g. "办件已受理"
  std::string body;                // 1–500 characters; also the text of the SMS
  std::string template_code;       // what kind of message, e.g. "case.accepted"; 1–64 characters
  std::string subject_type;        // what it is about, e.g. "case"; may be ""
  std::string subject_id;          // e.g. the case id; may be ""
};

inline constexpr std::size_t kMaxTitleChars = 100;
inline constexpr std::size_t kMaxBodyChars = 500;
inline constexpr std::size_t kMaxTemplateCodeChars = 64;

// Writes `message` in `tx` (the caller's transaction): always an outbox row (status `pending`
// when there is a phone, `skipped` otherwise), and an inbox row when there is a recipient user
// or party. Returns the new message id (a ULID), which is also the SMS idempotency key.
// The caller authorizes and audits the event; Enqueue does neither.
// kInvalidArgument notify.no_recipient (no user, party or phone), notify.invalid_message
// (field errors for title, body, templateCode), core.mobile_format (phone); store errors.
Result<std::string> Enqueue(store::Tx& tx, const Clock& clock, const Message& message);

// Delivery state of one outbox row.
enum class OutboxStatus {
  kPending,  // waiting for its next attempt (next_attempt_at_ms)
  kSending,  // claimed by a worker until lease_until_ms
  kSent,     // the gateway accepted it
  kFailed,   // permanent gateway error, or max attempts reached
  kSkipped,  // no phone: inbox only
};
const char* OutboxStatusCode(OutboxStatus s);  // "pending", "sending", …
std::optional<OutboxStatus> ParseOutboxStatus(std::string_view code);

// An outbox row as stored (for status displays, operations and tests).
struct OutboxEntry {
  std::string id;
  std::string template_code, subject_type, subject_id;
  std::string recipient_user_id, recipient_party_id;  // "" when none
  std::string phone;  // whole while pending/sending, masked (138****0001) once finished
  std::string sms_text;
  OutboxStatus status = OutboxStatus::kPending;
  int attempts = 0;  // claims so far (a claim is counted before the send)
  Millis next_attempt_at_ms = 0;
  std::string lease_owner;  // node id of the worker holding the row, "" when none
  std::optional<Millis> lease_until_ms;
  std::string last_error;  // "<reason>: <message>" of the latest failure, "" when none
  Millis created_at_ms = 0;
  std::optional<Millis> finished_at_ms;  // when it was sent or given up
};

// The outbox row `id`. kNotFound notify.message_not_found.
Result<OutboxEntry> GetOutbox(store::Tx& tx, std::string_view id);

}  // namespace onestop::notify
