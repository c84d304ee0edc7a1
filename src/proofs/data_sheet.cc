#include "proofs/data_sheet.h"

#include <boost/json.hpp>
#include <map>

#include "core/id_number.h"
#include "core/ids.h"
#include "core/text.h"
#include "core/working_days.h"
#include "proofs/proof_service.h"
#include "render/document.h"

namespace onestop::proofs {
namespace json = boost::json;

namespace {

std::string Scalar(const json::value& v) {
  switch (v.kind()) {
    case json::kind::string:
      return std::string(v.as_string());
    case json::kind::int64:
      return std::to_string(v.as_int64());
    case json::kind::uint64:
      return std::to_string(v.as_uint64());
    case json::kind::double_:
      return json::serialize(v);
    case json::kind::bool_:
      return v.as_bool() ? "是" : "否";
    case json::kind::null:
      return "";
    default:
      return json::serialize(v);
  }
}

// Register data as rows: scalars as they are; an array as its items ("；"-joined), or 无.
// The Chinese labels of a register's keys, taken from the proof types that read it: a field
// template "{{data.KEY}}" or "{{data.KEY.list}}" labels KEY.
Result<std::map<std::string, std::string>> RegisterLabels(store::Tx& tx,
                                                          const std::string& register_code) {
  std::map<std::string, std::string> labels;
  ASSIGN_OR_RETURN(store::Rows types, tx.Query("SELECT fields_json FROM proof_type WHERE "
                                               "register_code = ? ORDER BY code",
                                               {register_code}));
  for (const store::Row& t : types) {
    boost::system::error_code ec;
    const json::value fields = json::parse(t.Text(0), ec);
    if (ec || !fields.is_array()) continue;
    for (const json::value& f : fields.as_array()) {
      if (!f.is_object()) continue;
      const json::value* label = f.as_object().if_contains("label");
      const json::value* value = f.as_object().if_contains("value");
      if (!label || !value || !label->is_string() || !value->is_string()) continue;
      std::string v(value->as_string());
      if (!v.starts_with("{{data.") || !v.ends_with("}}")) continue;
      v = v.substr(7, v.size() - 9);
      if (v.ends_with(".list")) v.resize(v.size() - 5);
      if (v.find('.') != std::string::npos) continue;
      labels.emplace(v, std::string(label->as_string()));
    }
  }
  return labels;
}

void RegisterRows(const std::string& section, const std::string& source, const std::string& as_of,
                  const json::object& data, const std::map<std::string, std::string>& labels,
                  std::vector<DataSheetRow>& out) {
  for (const auto& [key, value] : data) {
    std::string text;
    if (value.is_array()) {
      for (const json::value& item : value.as_array()) {
        std::string one;
        if (item.is_object()) {
          for (const auto& [k, v] : item.as_object()) {
            if (!one.empty()) one += "，";
            one += Scalar(v);
          }
        } else {
          one = Scalar(item);
        }
        if (!text.empty()) text += "；";
        text += one;
      }
      if (text.empty()) text = "无";
    } else {
      text = Scalar(value);
    }
    auto label = labels.find(std::string(key));
    out.push_back(
        {section, label != labels.end() ? label->second : std::string(key), text, source, as_of});
  }
}

}  // namespace

Result<DataSheet> DataSheetService::Build(const identity::Principal& actor,
                                          const std::string& subject_in,
                                          const std::string& purpose_in) {
  RETURN_IF_ERROR(identity::Require(actor, identity::Permission::kReadParties));
  ASSIGN_OR_RETURN(std::string purpose, CheckPurpose(purpose_in));
  const std::string subject(text::TrimSpace(subject_in));
  if (subject.empty()) {
    return InvalidArgument("proofs.subject_required", "请填写查询对象的身份证号或统一社会信用代码")
        .WithField("subject", "必填");
  }
  return store::Transact(db_, [&](store::Tx& tx) -> Result<DataSheet> {
    DataSheet s;
    s.purpose = purpose;
    s.requested_by = actor.display_name;
    s.requested_by_department = actor.department_name;
    s.generated_at_ms = clock_.NowMs();
    s.subject_code = subject;
    licences::HolderType holder_type = licences::HolderType::kPerson;
    ASSIGN_OR_RETURN(
        store::Rows person,
        tx.Query("SELECT id, name FROM identity_person WHERE id_number = ?", {subject}));
    if (!person.empty()) {
      s.subject_kind = "person";
      s.subject_party_id = person.front().Text(0);
      s.subject_name = person.front().Text(1);
    } else {
      ASSIGN_OR_RETURN(
          store::Rows ent,
          tx.Query("SELECT id, name FROM identity_enterprise WHERE uscc = ?", {subject}));
      if (ent.empty()) {
        return NotFound("proofs.no_subject", "平台没有该身份证号或统一社会信用代码的办事主体");
      }
      s.subject_kind = "enterprise";
      s.subject_party_id = ent.front().Text(0);
      s.subject_name = ent.front().Text(1);
      holder_type = licences::HolderType::kEnterprise;
    }
    const Date today = Date::FromMillisCst(s.generated_at_ms);
    std::string ymd = today.ToString();
    ymd.erase(std::remove(ymd.begin(), ymd.end(), '-'), ymd.end());
    s.number = "CX" + ymd + std::to_string(s.generated_at_ms % 86'400'000);

    // Licences (电子证照): metadata, then each face field with the type's label.
    ASSIGN_OR_RETURN(
        std::vector<licences::Licence> lics,
        licences::LicenceService::ByHolder(tx, holder_type, subject, false, today.ToString()));
    for (const licences::Licence& l : lics) {
      const std::string section = l.name;
      s.rows.push_back({section, "证照编号", l.number, l.issuer_name, l.issue_date});
      s.rows.push_back({section, "证照状态", licences::LicenceStatusName(l.status), l.issuer_name,
                        l.issue_date});
      s.rows.push_back({section, "有效期",
                        l.valid_from + " 至 " + (l.valid_to.empty() ? "长期" : l.valid_to),
                        l.issuer_name, l.issue_date});
      Result<licences::LicenceType> type = licences_.GetType(tx, l.type_code);
      for (const auto& [key, value] : l.face) {
        std::string label(key);
        if (type.has_value()) {
          for (const licences::FaceField& f : type->face_fields) {
            if (f.key == key) label = f.label;
          }
        }
        s.rows.push_back({section, label, Scalar(value), l.issuer_name, l.issue_date});
      }
    }
    // Data registers (数据登记簿).
    ASSIGN_OR_RETURN(
        store::Rows records,
        tx.Query("SELECT register_name, source_name, as_of, data_json, register_code FROM "
                 "proof_register_record WHERE subject_code_type = ? AND "
                 "subject_code = ? ORDER BY register_code",
                 {std::string(licences::HolderTypeCode(holder_type)), subject}));
    for (const store::Row& r : records) {
      const json::value data = json::parse(r.Text(3));
      ASSIGN_OR_RETURN(auto labels, RegisterLabels(tx, r.Text(4)));
      RegisterRows(r.Text(0), r.Text(1), r.Text(2), data.as_object(), labels, s.rows);
    }

    audit::Record a;
    a.action = "proofs.datasheet.create";
    a.subject_type = s.subject_kind;
    a.subject_id = s.subject_party_id;
    a.subject_party_id = s.subject_party_id;
    a.purpose = purpose;
    a.details_json = json::serialize(json::object{{"number", s.number},
                                                  {"licences", lics.size()},
                                                  {"registers", records.size()},
                                                  {"rows", s.rows.size()}});
    RETURN_IF_ERROR(audit_.Append(tx, identity::ActorOf(actor), a));
    return s;
  });
}

Result<std::string> DataSheetService::Pdf(const identity::Principal& actor,
                                          const std::string& subject_code,
                                          const std::string& purpose) {
  ASSIGN_OR_RETURN(DataSheet s, Build(actor, subject_code, purpose));
  const Date d = Date::FromMillisCst(s.generated_at_ms);
  render::Document doc;
  doc.title = "政务数据查询单";
  doc.number_line = "查询单号：" + s.number;
  const std::string code =
      s.subject_kind == "person" ? MaskIdNumber(s.subject_code) : s.subject_code;
  doc.paragraphs = {
      "查询对象：" + s.subject_name + "（" +
          (s.subject_kind == "person" ? "公民身份号码 " : "统一社会信用代码 ") + code + "）",
      "查询事由：" + s.purpose,
      "查询人：" + s.requested_by +
          (s.requested_by_department.empty() ? "" : "（" + s.requested_by_department + "）") +
          "，查询日期：" + d.ToString()};
  std::string section;
  for (const DataSheetRow& r : s.rows) {
    if (r.section != section) {
      section = r.section;
      doc.fields.push_back({"【" + section + "】", "来源：" + r.source + "，数据截至 " + r.as_of});
    }
    doc.fields.push_back({r.label, r.value});
  }
  if (s.rows.empty()) doc.closing.push_back("平台未汇集到该主体的证照或登记簿数据。");
  doc.closing.push_back(
      "本查询单汇集平台共享的电子证照与部门登记数据，各项数据以来源部门为准，仅供本次事由内部使用"
      "。");
  doc.issuer_name =
      s.requested_by_department.empty() ? "OneStop 政务服务平台" : s.requested_by_department;
  doc.issued_date =
      std::to_string(d.year) + "年" + std::to_string(d.month) + "月" + std::to_string(d.day) + "日";
  doc.watermark = "内部查询 仅供" + s.purpose;
  doc.footer = "查询已记入审计日志（" + s.number + "）";
  return render::RenderPdf(doc);
}

}  // namespace onestop::proofs
