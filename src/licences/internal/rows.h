// Row mapping and SQL of the licence tables (licences_type, licences_licence). Private to
// src/licences/.
#pragma once

#include <string>
#include <vector>

#include "licences/licence.h"
#include "store/db.h"

namespace onestop::licences::internal {

// kNotFound licences.no_such_type.
Result<LicenceType> LoadType(store::Tx& tx, const std::string& code);
// Every type ordered by code; `department_id` "" = all.
Result<std::vector<LicenceType>> ListTypes(store::Tx& tx, const std::string& department_id);
Result<std::int64_t> InsertType(store::Tx& tx, const LicenceType& t);
// Rows changed (0 = stale `expected_version`).
Result<std::int64_t> UpdateType(store::Tx& tx, const LicenceType& t, std::int64_t expected_version);

// kNotFound licences.not_found.
Result<Licence> LoadLicence(store::Tx& tx, const std::string& identifier);
// "SELECT <columns> FROM licences_licence" + `tail` (WHERE / ORDER / LIMIT with ? params).
Result<std::vector<Licence>> QueryLicences(store::Tx& tx, const std::string& tail,
                                           const std::vector<store::Value>& params);
Result<std::int64_t> InsertLicence(store::Tx& tx, const Licence& l);

}  // namespace onestop::licences::internal
