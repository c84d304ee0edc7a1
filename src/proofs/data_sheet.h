// 政务数据查询单 (government data sheet): for one subject (a person by 身份证号 or an enterprise by
// 统一社会信用代码), a staff-facing sheet gathering the fields of the subject's electronic
// licences (licences/) and of the data registers (proof_register_record), each with its source
// and as-of date, as data and as PDF. Reading it is audited against the subject with a purpose.
#pragma once

#include <string>
#include <vector>

#include "audit/audit_log.h"
#include "core/clock.h"
#include "core/result.h"
#include "identity/principal.h"
#include "licences/licence_service.h"
#include "store/db.h"

namespace onestop::proofs {

struct DataSheetRow {
  std::string section;  // e.g. "居民户口簿" or "不动产登记"
  std::string label;    // e.g. "住址"
  std::string value;
  std::string source;  // the department the value comes from
  std::string as_of;   // YYYY-MM-DD
};

struct DataSheet {
  std::string number;        // 查询单号 CX<YYYYMMDD><ms within the day>
  std::string subject_kind;  // person / enterprise
  std::string subject_party_id, subject_name, subject_code;
  std::string purpose;
  std::string requested_by, requested_by_department;
  Millis generated_at_ms = 0;
  std::vector<DataSheetRow> rows;
};

class DataSheetService {
 public:
  DataSheetService(store::Db& db, const Clock& clock, const audit::AuditLog& audit,
                   licences::LicenceService& licences)
      : db_(db), clock_(clock), audit_(audit), licences_(licences) {}

  // The sheet for the subject whose 身份证号 / 统一社会信用代码 is `subject_code` (parties.read;
  // audited `proofs.datasheet.create` against the subject with `purpose`).
  // kInvalidArgument proofs.purpose_required, proofs.purpose_too_long, proofs.subject_required;
  // kNotFound proofs.no_subject; kPermissionDenied identity.permission_denied.
  Result<DataSheet> Build(const identity::Principal& actor, const std::string& subject_code,
                          const std::string& purpose);
  // Build() laid out as an A4 PDF.
  Result<std::string> Pdf(const identity::Principal& actor, const std::string& subject_code,
                          const std::string& purpose);

 private:
  store::Db& db_;
  const Clock& clock_;
  const audit::AuditLog& audit_;
  licences::LicenceService& licences_;
};

}  // namespace onestop::proofs
