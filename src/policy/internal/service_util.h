// Helpers shared by the policy module's database services (policy_service.cc, loan_service.cc,
// campaign_service.cc …): code ↔ Chinese label tables, trimming, field errors, the audit entry of
// a change and the department check. Not part of the public API.
#pragma once

#include <boost/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "audit/audit_log.h"
#include "core/result.h"
#include "core/text.h"
#include "identity/principal.h"
#include "store/db.h"

namespace onestop::policy::internal {

// One code with its Chinese label ("draft" → "草稿").
struct Code {
  std::string_view code, label;
};

// The label of `code` in `codes`, "" when it is not one of them.
template <std::size_t N>
std::string_view LabelOf(const Code (&codes)[N], std::string_view code) {
  for (const Code& c : codes) {
    if (c.code == code) return c.label;
  }
  return {};
}

inline std::string Trimmed(std::string_view s) { return std::string(text::TrimSpace(s)); }

// Collects field errors; the first one's message becomes the error's message.
class FieldErrors {
 public:
  void Add(std::string field, std::string message) {
    fields_.push_back({std::move(field), std::move(message)});
  }
  bool empty() const { return fields_.empty(); }
  Error ToError(std::string reason) const {
    Error e = InvalidArgument(std::move(reason), fields_.front().message);
    e.fields = fields_;
    return e;
  }

 private:
  std::vector<FieldError> fields_;
};

// Appends the audit entry of a change in the caller's transaction; `party` is the person or
// enterprise whose data it is (shown on their 谁查看了我的数据).
inline Result<void> Audit(store::Tx& tx, const audit::AuditLog& audit,
                          const identity::Principal& actor, const std::string& action,
                          const std::string& subject_type, const std::string& subject_id,
                          boost::json::object details,
                          std::optional<std::string> party = std::nullopt) {
  audit::Record r;
  r.action = action;
  r.subject_type = subject_type;
  r.subject_id = subject_id;
  r.subject_party_id = std::move(party);
  r.details_json = boost::json::serialize(details);
  RETURN_IF_ERROR(audit.Append(tx, identity::ActorOf(actor), r));
  return {};
}

// kNotFound policy.no_such_department unless the department exists.
inline Result<void> CheckDepartment(store::Tx& tx, const std::string& id) {
  ASSIGN_OR_RETURN(store::Rows rows,
                   tx.Query("SELECT id FROM identity_department WHERE id = ?", {id}));
  if (rows.empty()) return NotFound("policy.no_such_department", "没有这个部门：" + id);
  return {};
}

}  // namespace onestop::policy::internal
