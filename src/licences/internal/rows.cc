#include "licences/internal/rows.h"

namespace onestop::licences::internal {

namespace json = boost::json;

namespace {

constexpr const char* kTypeColumns =
    "t.code, t.name, t.definer_name, t.holder_type, t.face_fields_json, t.validity_years, "
    "t.issuing_department_id, d.name, t.issuer_uscc, t.item_codes_json, t.material_keys_json, "
    "t.created_at_ms, t.updated_at_ms, t.version";

constexpr const char* kTypeFrom =
    " FROM licences_type t JOIN identity_department d ON d.id = t.issuing_department_id";

std::string StringsJson(const std::vector<std::string>& v) {
  json::array a;
  for (const std::string& s : v) a.emplace_back(s);
  return json::serialize(a);
}

std::vector<std::string> StringsOf(const std::string& text) {
  std::vector<std::string> out;
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_array()) return out;
  for (const json::value& x : v.as_array()) {
    if (x.is_string()) out.emplace_back(x.as_string());
  }
  return out;
}

std::string FieldsJson(const std::vector<FaceField>& fields) {
  json::array a;
  for (const FaceField& f : fields) {
    a.push_back(json::object{{"key", f.key},
                             {"label", f.label},
                             {"type", FieldTypeCode(f.type)},
                             {"required", f.required}});
  }
  return json::serialize(a);
}

std::vector<FaceField> FieldsOf(const std::string& text) {
  std::vector<FaceField> out;
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_array()) return out;
  for (const json::value& x : v.as_array()) {
    if (!x.is_object()) continue;
    const json::object& o = x.as_object();
    FaceField f;
    if (const json::value* k = o.if_contains("key"); k && k->is_string()) f.key = k->as_string();
    if (const json::value* k = o.if_contains("label"); k && k->is_string()) {
      f.label = k->as_string();
    }
    if (const json::value* k = o.if_contains("type"); k && k->is_string()) {
      f.type = ParseFieldType(std::string(k->as_string())).value_or(FieldType::kText);
    }
    if (const json::value* k = o.if_contains("required"); k && k->is_bool()) {
      f.required = k->as_bool();
    }
    out.push_back(std::move(f));
  }
  return out;
}

LicenceType TypeFromRow(const store::Row& r) {
  LicenceType t;
  t.code = r.Text(0);
  t.name = r.Text(1);
  t.definer_name = r.Text(2);
  t.holder_type = ParseHolderType(r.Text(3)).value_or(HolderType::kPerson);
  t.face_fields = FieldsOf(r.Text(4));
  t.validity_years = static_cast<int>(r.Int(5));
  t.issuing_department_id = r.Text(6);
  t.issuing_department_name = r.Text(7);
  t.issuer_uscc = r.Text(8);
  t.item_codes = StringsOf(r.Text(9));
  t.material_keys = StringsOf(r.Text(10));
  t.created_at_ms = r.Int(11);
  t.updated_at_ms = r.Int(12);
  t.version = r.Int(13);
  return t;
}

constexpr const char* kLicenceColumns =
    "identifier, type_code, type_name, name, number, version, serial, issuer_name, issuer_uscc, "
    "issuing_department_id, issued_by_department_id, issue_date, valid_from, valid_to, "
    "region_code, holder_name, holder_code, holder_type, item_code, item_name, face_json, "
    "status, status_reason, previous_identifier, superseded_by, case_id, seal_id, key_id, "
    "sign_alg, signature, signed_at_ms, created_at_ms, updated_at_ms, row_version";

Licence LicenceFromRow(const store::Row& r) {
  Licence l;
  l.identifier = r.Text(0);
  l.type_code = r.Text(1);
  l.type_name = r.Text(2);
  l.name = r.Text(3);
  l.number = r.Text(4);
  l.version = static_cast<int>(r.Int(5));
  l.serial = r.Text(6);
  l.issuer_name = r.Text(7);
  l.issuer_uscc = r.Text(8);
  l.issuing_department_id = r.Text(9);
  l.issued_by_department_id = r.Text(10);
  l.issue_date = r.Text(11);
  l.valid_from = r.Text(12);
  l.valid_to = r.Text(13);
  l.region_code = r.Text(14);
  l.holder_name = r.Text(15);
  l.holder_code = r.Text(16);
  l.holder_type = ParseHolderType(r.Text(17)).value_or(HolderType::kPerson);
  l.item_code = r.Text(18);
  l.item_name = r.Text(19);
  boost::system::error_code ec;
  json::value face = json::parse(r.Text(20), ec);
  if (!ec && face.is_object()) l.face = face.as_object();
  l.status = ParseLicenceStatus(r.Text(21)).value_or(LicenceStatus::kValid);
  l.status_reason = r.Text(22);
  l.previous_identifier = r.OptText(23);
  l.superseded_by = r.OptText(24);
  l.case_id = r.OptText(25);
  l.seal_id = r.Text(26);
  l.key_id = r.Text(27);
  l.sign_alg = r.Text(28);
  l.signature_b64 = r.Text(29);
  l.signed_at_ms = r.Int(30);
  l.created_at_ms = r.Int(31);
  l.updated_at_ms = r.Int(32);
  l.row_version = r.Int(33);
  return l;
}

}  // namespace

Result<LicenceType> LoadType(store::Tx& tx, const std::string& code) {
  ASSIGN_OR_RETURN(
      store::Row row,
      tx.QueryOne(std::string("SELECT ") + kTypeColumns + kTypeFrom + " WHERE t.code = ?", {code},
                  "licences.no_such_type", "证照类型“" + code + "”不存在"));
  return TypeFromRow(row);
}

Result<std::vector<LicenceType>> ListTypes(store::Tx& tx, const std::string& department_id) {
  std::string sql = std::string("SELECT ") + kTypeColumns + kTypeFrom;
  std::vector<store::Value> params;
  if (!department_id.empty()) {
    sql += " WHERE t.issuing_department_id = ?";
    params.push_back(department_id);
  }
  ASSIGN_OR_RETURN(store::Rows rows, tx.Query(sql + " ORDER BY t.code", params));
  std::vector<LicenceType> out;
  for (const store::Row& r : rows) out.push_back(TypeFromRow(r));
  return out;
}

Result<std::int64_t> InsertType(store::Tx& tx, const LicenceType& t) {
  return tx.Exec(
      "INSERT INTO licences_type (code, name, definer_name, holder_type, face_fields_json, "
      "validity_years, issuing_department_id, issuer_uscc, item_codes_json, material_keys_json, "
      "created_at_ms, updated_at_ms, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)",
      {t.code, t.name, t.definer_name, std::string(HolderTypeCode(t.holder_type)),
       FieldsJson(t.face_fields), std::int64_t{t.validity_years}, t.issuing_department_id,
       t.issuer_uscc, StringsJson(t.item_codes), StringsJson(t.material_keys), t.created_at_ms,
       t.updated_at_ms});
}

Result<std::int64_t> UpdateType(store::Tx& tx, const LicenceType& t,
                                std::int64_t expected_version) {
  return tx.Exec(
      "UPDATE licences_type SET name = ?, definer_name = ?, holder_type = ?, "
      "face_fields_json = ?, validity_years = ?, issuing_department_id = ?, issuer_uscc = ?, "
      "item_codes_json = ?, material_keys_json = ?, updated_at_ms = ?, version = version + 1 "
      "WHERE code = ? AND version = ?",
      {t.name, t.definer_name, std::string(HolderTypeCode(t.holder_type)),
       FieldsJson(t.face_fields), std::int64_t{t.validity_years}, t.issuing_department_id,
       t.issuer_uscc, StringsJson(t.item_codes), StringsJson(t.material_keys), t.updated_at_ms,
       t.code, expected_version});
}

Result<Licence> LoadLicence(store::Tx& tx, const std::string& identifier) {
  ASSIGN_OR_RETURN(store::Row row, tx.QueryOne(std::string("SELECT ") + kLicenceColumns +
                                                   " FROM licences_licence WHERE identifier = ?",
                                               {identifier}, "licences.not_found", "证照不存在"));
  return LicenceFromRow(row);
}

Result<std::vector<Licence>> QueryLicences(store::Tx& tx, const std::string& tail,
                                           const std::vector<store::Value>& params) {
  ASSIGN_OR_RETURN(
      store::Rows rows,
      tx.Query(std::string("SELECT ") + kLicenceColumns + " FROM licences_licence" + tail, params));
  std::vector<Licence> out;
  out.reserve(rows.size());
  for (const store::Row& r : rows) out.push_back(LicenceFromRow(r));
  return out;
}

Result<std::int64_t> InsertLicence(store::Tx& tx, const Licence& l) {
  return tx.Exec(
      "INSERT INTO licences_licence (identifier, type_code, type_name, name, number, version, "
      "serial, issuer_name, issuer_uscc, issuing_department_id, issued_by_department_id, "
      "issue_date, valid_from, valid_to, region_code, holder_name, holder_code, holder_type, "
      "item_code, item_name, face_json, status, status_reason, previous_identifier, "
      "superseded_by, case_id, seal_id, key_id, sign_alg, signature, signed_at_ms, "
      "created_at_ms, updated_at_ms, row_version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
      "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {l.identifier,
       l.type_code,
       l.type_name,
       l.name,
       l.number,
       std::int64_t{l.version},
       l.serial,
       l.issuer_name,
       l.issuer_uscc,
       l.issuing_department_id,
       l.issued_by_department_id,
       l.issue_date,
       l.valid_from,
       l.valid_to,
       l.region_code,
       l.holder_name,
       l.holder_code,
       std::string(HolderTypeCode(l.holder_type)),
       l.item_code,
       l.item_name,
       json::serialize(l.face),
       std::string(LicenceStatusCode(l.status)),
       l.status_reason,
       store::Opt(l.previous_identifier),
       store::Opt(l.superseded_by),
       store::Opt(l.case_id),
       l.seal_id,
       l.key_id,
       l.sign_alg,
       l.signature_b64,
       l.signed_at_ms,
       l.created_at_ms,
       l.updated_at_ms,
       l.row_version});
}

}  // namespace onestop::licences::internal
