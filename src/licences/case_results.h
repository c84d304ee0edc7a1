// Issue from cases (办结即发证): the function CaseService::SetResultIssuer takes. When a case
// item whose catalogue entry names a licence type as its result is approved, the licence is
// issued to the applicant inside the approval's transaction; face data come from the case's form
// and result fields whose keys match the type's face fields (result fields win; a form key
// "applicant.name" also fills the face field "name").
#pragma once

#include "cases/case_service.h"
#include "licences/licence_service.h"

namespace onestop::licences {

// Errors of the returned function roll the approval back: licences.no_such_type,
// licences.invalid_licence (e.g. face.<key> missing from the form and the result), seal errors.
cases::ResultIssuer CaseResultIssuer(LicenceService& licences);

}  // namespace onestop::licences
