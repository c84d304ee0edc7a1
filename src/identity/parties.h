// Parties (办事主体): persons (自然人, 公民身份号码) and enterprises (企业, 统一社会信用代码).
// PartyService registers and finds them; every read of a party's details is audited with the
// stated purpose (事由), so the party can see it under "谁查看了我的数据".
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "audit/audit_log.h"
#include "core/clock.h"
#include "identity/principal.h"
#include "store/db.h"

namespace onestop::identity {

struct Person {
  std::string id;
  std::string name;
  std::string id_number;  // whole; mask it (MaskIdNumber) wherever it is not needed whole
  std::string phone;
  std::string gender;      // 男 / 女
  std::string birth_date;  // YYYY-MM-DD
  std::string region_code;
  std::optional<std::string> department_id;
  Millis created_at_ms = 0;
  std::int64_t version = 1;
};

struct Enterprise {
  std::string id;
  std::string name;
  std::string uscc;
  std::string legal_representative;
  std::string region_code;
  std::string industry;
  std::optional<std::string> uscc_warning;
  std::optional<std::string> department_id;
  Millis created_at_ms = 0;
  std::int64_t version = 1;
};

struct NewPerson {
  std::string name;
  std::string id_number;
  std::string phone;
};

struct NewEnterprise {
  std::string name;
  std::string uscc;
  std::string legal_representative;
  std::string region_code;
  std::string industry;
  bool confirm_legacy_uscc = false;  // an administrator accepts a code that fails the check
};

struct PartyQuery {
  std::string q;  // name fragment, or a whole 身份证号 / 统一社会信用代码
  int offset = 0;
  int limit = 20;
};

template <typename T>
struct PartyPage {
  std::vector<T> items;
  std::int64_t total = 0;
};

class PartyService {
 public:
  PartyService(store::Db& db, const Clock& clock, const audit::AuditLog& audit)
      : db_(db), clock_(clock), audit_(audit) {}

  // Registers a person. kInvalidArgument with the validator's reason (core.id_number_check …)
  // and field errors; kAlreadyExists identity.person_exists; kPermissionDenied.
  Result<Person> CreatePerson(const Principal& actor, const NewPerson& p);
  // Persons in the actor's data scope whose name contains `q`; a whole valid 身份证号 finds
  // that person whatever the scope (无差别受理: anyone may come to any counter) and the
  // lookup is audited against the person.
  Result<PartyPage<Person>> SearchPersons(const Principal& actor, const PartyQuery& q);
  // One person's details. The person may read their own; staff need parties.read, scope and a
  // purpose (identity.purpose_required); the read is audited with the purpose.
  Result<Person> GetPerson(const Principal& actor, const std::string& id,
                           const std::string& purpose);

  // Registers an enterprise. A 统一社会信用代码 whose check character fails is refused
  // (core.uscc_check) unless `confirm_legacy_uscc` and the actor has uscc.confirm_legacy.
  Result<Enterprise> CreateEnterprise(const Principal& actor, const NewEnterprise& e);
  Result<PartyPage<Enterprise>> SearchEnterprises(const Principal& actor, const PartyQuery& q);
  Result<Enterprise> GetEnterprise(const Principal& actor, const std::string& id,
                                   const std::string& purpose);

 private:
  store::Db& db_;
  const Clock& clock_;
  const audit::AuditLog& audit_;
};

}  // namespace onestop::identity
