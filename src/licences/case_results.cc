#include "licences/case_results.h"

namespace onestop::licences {

cases::ResultIssuer CaseResultIssuer(LicenceService& licences) {
  return [&licences](store::Tx& tx, const cases::ItemApproved& a) -> Result<void> {
    ASSIGN_OR_RETURN(LicenceType t, licences.GetType(tx, a.licence_type));
    NewLicence n;
    n.type_code = t.code;
    n.case_id = a.case_id;
    n.item_code = a.item_code;
    n.item_name = a.item_name;
    // The holder: the applicant's whole number (the case keeps it masked).
    const bool person = a.applicant.kind != "enterprise";
    if (person != (t.holder_type == HolderType::kPerson)) {
      return FailedPrecondition("licences.holder_type_mismatch",
                                "“" + t.name + "”的持证主体应为" +
                                    (t.holder_type == HolderType::kPerson ? "自然人" : "企业"));
    }
    ASSIGN_OR_RETURN(store::Row holder,
                     tx.QueryOne(person ? "SELECT name, id_number FROM identity_person WHERE id = ?"
                                        : "SELECT name, uscc FROM identity_enterprise WHERE id = ?",
                                 {a.applicant.party_id}, "licences.no_holder", "申请人不存在"));
    n.holder_name = holder.Text(0);
    n.holder_code = holder.Text(1);
    for (const FaceField& f : t.face_fields) {
      auto r = a.result.find(f.key);
      if (r != a.result.end() && !r->second.empty()) {
        n.face[f.key] = r->second;
        continue;
      }
      auto v = a.form.find(f.key);
      if (v != a.form.end() && !v->second.empty()) {
        n.face[f.key] = v->second;
        continue;
      }
      // A form key with a prefix: "applicant.name" fills the face field "name".
      for (const auto& [key, value] : a.form) {
        if (!value.empty() && key.size() > f.key.size() &&
            key.compare(key.size() - f.key.size(), f.key.size(), f.key) == 0 &&
            key[key.size() - f.key.size() - 1] == '.') {
          n.face[f.key] = value;
          break;
        }
      }
    }
    if (a.reviewer == nullptr) return Internal("licences.no_reviewer", "缺少审批人");
    RETURN_IF_ERROR(licences.IssueForCase(tx, *a.reviewer, n));
    return Ok();
  };
}

}  // namespace onestop::licences
