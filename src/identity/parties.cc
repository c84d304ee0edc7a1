#include "identity/parties.h"

#include <boost/json.hpp>

#include "core/id_number.h"
#include "core/ids.h"
#include "core/region.h"
#include "core/uscc.h"
#include "core/working_days.h"
#include "identity/internal/validate.h"

namespace onestop::identity {
namespace {

constexpr const char* kPersonColumns =
    "id, name, id_number, phone, gender, birth_date, region_code, department_id, created_at_ms, "
    "version";
constexpr const char* kEnterpriseColumns =
    "id, name, uscc, legal_representative, region_code, industry, uscc_warning, department_id, "
    "created_at_ms, version";

Person PersonFromRow(const store::Row& r) {
  return Person{r.Text(0), r.Text(1), r.Text(2),    r.Text(3), r.Text(4),
                r.Text(5), r.Text(6), r.OptText(7), r.Int(8),  r.Int(9)};
}

Enterprise EnterpriseFromRow(const store::Row& r) {
  return Enterprise{r.Text(0), r.Text(1),    r.Text(2),    r.Text(3), r.Text(4),
                    r.Text(5), r.OptText(6), r.OptText(7), r.Int(8),  r.Int(9)};
}

int TodayYmd(const Clock& clock) {
  Date d = Date::FromMillisCst(clock.NowMs());
  return d.year * 10000 + d.month * 100 + d.day;
}

// Appends the data-scope condition for party tables (registered by a department in scope;
// "self" = registered by the actor).
void AddScope(const Principal& actor, std::string& where, std::vector<store::Value>& params) {
  std::optional<std::vector<std::string>> scope = actor.ScopeFilter();
  if (!scope) return;
  if (actor.data_scope == DataScope::kSelf) {
    where += " AND created_by = ?";
    params.emplace_back(actor.user_id);
    return;
  }
  if (scope->empty()) {
    where += " AND 1 = 0";
    return;
  }
  where += " AND department_id IN (";
  for (std::size_t i = 0; i < scope->size(); ++i) {
    where += i == 0 ? "?" : ", ?";
    params.emplace_back((*scope)[i]);
  }
  where += ")";
}

bool InScope(const Principal& actor, const std::optional<std::string>& department_id,
             const std::string& created_by) {
  if (actor.data_scope == DataScope::kAll) return true;
  if (actor.data_scope == DataScope::kSelf) return created_by == actor.user_id;
  return department_id && actor.CoversDepartment(*department_id);
}

Result<std::string> CheckPurpose(const std::string& purpose) {
  std::string p = internal::Trim(purpose);
  std::size_t n = text::CountCodePoints(p);
  if (n < 2) {
    return InvalidArgument("identity.purpose_required", "查看个人信息须填写事由（至少 2 个字）")
        .WithField("purpose", "请填写事由");
  }
  if (n > 200) {
    return InvalidArgument("identity.purpose_too_long", "事由不能超过 200 个字")
        .WithField("purpose", "事由不能超过 200 个字");
  }
  return p;
}

std::string Json(boost::json::object o) { return boost::json::serialize(o); }

template <typename T, typename FromRow>
Result<PartyPage<T>> SearchTable(store::Tx& tx, const char* table, const char* columns,
                                 const std::string& where, std::vector<store::Value> params,
                                 const PartyQuery& q, FromRow from_row) {
  PartyPage<T> page;
  ASSIGN_OR_RETURN(store::Rows count,
                   tx.Query(std::string("SELECT COUNT(*) FROM ") + table + where, params));
  page.total = count.front().Int(0);
  params.emplace_back(std::int64_t{q.limit});
  params.emplace_back(std::int64_t{q.offset});
  ASSIGN_OR_RETURN(store::Rows rows,
                   tx.Query(std::string("SELECT ") + columns + " FROM " + table + where +
                                " ORDER BY created_at_ms DESC, id LIMIT ? OFFSET ?",
                            params));
  for (const store::Row& r : rows) page.items.push_back(from_row(r));
  return page;
}

}  // namespace

Result<Person> PartyService::CreatePerson(const Principal& actor, const NewPerson& in) {
  RETURN_IF_ERROR(Require(actor, Permission::kWriteParties));
  Person p;
  p.name = internal::Trim(in.name);
  internal::FieldChecker check;
  check.Text("name", "姓名", p.name, 2, 50);
  Result<IdNumber> id = ParseIdNumber(in.id_number, TodayYmd(clock_));
  if (!id.has_value()) {
    check.From("idNumber", id.error());
  } else {
    p.id_number = id->number;
    p.gender = id->male ? "男" : "女";
    p.birth_date = id->BirthDate();
    p.region_code = id->region_code;
  }
  if (!internal::Trim(in.phone).empty()) {
    Result<std::string> phone = ValidateMobile(in.phone);
    if (!phone.has_value()) {
      check.From("phone", phone.error());
    } else {
      p.phone = *phone;
    }
  }
  RETURN_IF_ERROR(check.Finish("identity.invalid_person"));
  return store::Transact(db_, [&](store::Tx& tx) -> Result<Person> {
    ASSIGN_OR_RETURN(store::Rows taken,
                     tx.Query("SELECT id FROM identity_person WHERE id_number = ?", {p.id_number}));
    if (!taken.empty()) {
      return AlreadyExists("identity.person_exists",
                           "身份证号为 " + MaskIdNumber(p.id_number) + " 的自然人已登记")
          .WithField("idNumber", "该身份证号已登记");
    }
    p.created_at_ms = clock_.NowMs();
    p.id = NewUlid(p.created_at_ms);
    p.department_id = actor.department_id;
    RETURN_IF_ERROR(
        tx.Exec("INSERT INTO identity_person (id, name, id_number, phone, gender, birth_date, "
                "region_code, department_id, created_by, created_at_ms, updated_at_ms, version) "
                "VALUES (?,?,?,?,?,?,?,?,?,?,?,1)",
                {p.id, p.name, p.id_number, p.phone, p.gender, p.birth_date, p.region_code,
                 store::Opt(p.department_id), actor.user_id, p.created_at_ms, p.created_at_ms}));
    RETURN_IF_ERROR(audit_.Append(tx, ActorOf(actor),
                                  {"identity.person.create", "person", p.id, p.id, "登记自然人",
                                   Json({{"idNumber", MaskIdNumber(p.id_number)}})}));
    return p;
  });
}

Result<PartyPage<Person>> PartyService::SearchPersons(const Principal& actor, const PartyQuery& q) {
  RETURN_IF_ERROR(Require(actor, Permission::kReadParties));
  std::string text = internal::Trim(q.q);
  Result<IdNumber> exact = ParseIdNumber(text);
  if (exact.has_value()) {
    // A whole number: the person stands at the counter. Found whatever the scope, audited.
    return store::Transact(db_, [&](store::Tx& tx) -> Result<PartyPage<Person>> {
      ASSIGN_OR_RETURN(
          PartyPage<Person> page,
          SearchTable<Person>(tx, "identity_person", kPersonColumns, " WHERE id_number = ?",
                              {exact->number}, q, PersonFromRow));
      for (const Person& p : page.items) {
        RETURN_IF_ERROR(
            audit_.Append(tx, ActorOf(actor),
                          {"identity.person.search", "person", p.id, p.id, "按身份证号查找",
                           Json({{"idNumber", MaskIdNumber(p.id_number)}})}));
      }
      return page;
    });
  }
  std::string where = " WHERE 1 = 1";
  std::vector<store::Value> params;
  AddScope(actor, where, params);
  if (!text.empty()) {
    where += " AND name LIKE ? ESCAPE '\\'";
    params.emplace_back(store::LikeContains(text));
  }
  return store::Read(db_, [&](store::Tx& tx) {
    return SearchTable<Person>(tx, "identity_person", kPersonColumns, where, params, q,
                               PersonFromRow);
  });
}

Result<Person> PartyService::GetPerson(const Principal& actor, const std::string& id,
                                       const std::string& purpose) {
  bool self = actor.person_id && *actor.person_id == id;
  if (self) {
    return store::Read(db_, [&](store::Tx& tx) -> Result<Person> {
      ASSIGN_OR_RETURN(store::Row row,
                       tx.QueryOne(std::string("SELECT ") + kPersonColumns +
                                       " FROM identity_person WHERE id = ?",
                                   {id}, "identity.person_not_found", "自然人不存在"));
      return PersonFromRow(row);
    });
  }
  RETURN_IF_ERROR(Require(actor, Permission::kReadParties));
  ASSIGN_OR_RETURN(std::string why, CheckPurpose(purpose));
  return store::Transact(db_, [&](store::Tx& tx) -> Result<Person> {
    ASSIGN_OR_RETURN(store::Row row,
                     tx.QueryOne(std::string("SELECT ") + kPersonColumns +
                                     ", created_by FROM identity_person WHERE id = ?",
                                 {id}, "identity.person_not_found", "自然人不存在"));
    Person p = PersonFromRow(row);
    if (!InScope(actor, p.department_id, row.Text(10))) {
      return PermissionDenied("identity.out_of_scope", "该自然人不在您的数据权限范围内");
    }
    RETURN_IF_ERROR(audit_.Append(tx, ActorOf(actor),
                                  {"identity.person.read", "person", p.id, p.id, why, "{}"}));
    return p;
  });
}

Result<Enterprise> PartyService::CreateEnterprise(const Principal& actor, const NewEnterprise& in) {
  RETURN_IF_ERROR(Require(actor, Permission::kWriteParties));
  if (in.confirm_legacy_uscc) RETURN_IF_ERROR(Require(actor, Permission::kConfirmLegacyUscc));
  Enterprise e;
  e.name = internal::Trim(in.name);
  e.legal_representative = internal::Trim(in.legal_representative);
  e.industry = internal::Trim(in.industry);
  e.region_code = internal::Trim(in.region_code);
  internal::FieldChecker check;
  check.Text("name", "企业名称", e.name, 2, 100);
  Result<Uscc> uscc = ParseUscc(in.uscc, in.confirm_legacy_uscc);
  if (!uscc.has_value()) {
    check.From("uscc", uscc.error());
  } else {
    e.uscc = uscc->code;
    if (!uscc->check_ok) e.uscc_warning = uscc->warning;
  }
  check.Text("legalRepresentative", "法定代表人", e.legal_representative, 2, 50);
  Result<const Region*> region = ValidateRegionCode(e.region_code);
  if (!region.has_value()) check.From("regionCode", region.error());
  check.Text("industry", "行业", e.industry, 0, 64);
  RETURN_IF_ERROR(check.Finish("identity.invalid_enterprise"));
  return store::Transact(db_, [&](store::Tx& tx) -> Result<Enterprise> {
    ASSIGN_OR_RETURN(store::Rows taken,
                     tx.Query("SELECT name FROM identity_enterprise WHERE uscc = ?", {e.uscc}));
    if (!taken.empty()) {
      return AlreadyExists("identity.enterprise_exists", "统一社会信用代码 " + e.uscc + " 已由“" +
                                                             taken.front().Text(0) + "”登记")
          .WithField("uscc", "该统一社会信用代码已登记");
    }
    e.created_at_ms = clock_.NowMs();
    e.id = NewUlid(e.created_at_ms);
    e.department_id = actor.department_id;
    RETURN_IF_ERROR(tx.Exec(
        "INSERT INTO identity_enterprise (id, name, uscc, legal_representative, region_code, "
        "industry, uscc_warning, uscc_confirmed_by, department_id, created_by, created_at_ms, "
        "updated_at_ms, version) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,1)",
        {e.id, e.name, e.uscc, e.legal_representative, e.region_code, e.industry,
         store::Opt(e.uscc_warning), e.uscc_warning ? store::Value(actor.user_id) : store::kNull,
         store::Opt(e.department_id), actor.user_id, e.created_at_ms, e.created_at_ms}));
    RETURN_IF_ERROR(audit_.Append(tx, ActorOf(actor),
                                  {"identity.enterprise.create", "enterprise", e.id, e.id,
                                   "登记企业", Json({{"uscc", e.uscc}, {"name", e.name}})}));
    if (e.uscc_warning) {
      RETURN_IF_ERROR(audit_.Append(
          tx, ActorOf(actor),
          {"identity.enterprise.legacy_uscc_confirmed", "enterprise", e.id, e.id,
           "管理员确认早期试点代码", Json({{"uscc", e.uscc}, {"warning", *e.uscc_warning}})}));
    }
    return e;
  });
}

Result<PartyPage<Enterprise>> PartyService::SearchEnterprises(const Principal& actor,
                                                              const PartyQuery& q) {
  RETURN_IF_ERROR(Require(actor, Permission::kReadParties));
  std::string text = internal::Trim(q.q);
  std::string where = " WHERE 1 = 1";
  std::vector<store::Value> params;
  Result<Uscc> exact = ParseUscc(text, /*accept_failed_check=*/true);
  if (exact.has_value()) {
    where += " AND uscc = ?";  // a whole code: found whatever the scope (public register data)
    params.emplace_back(exact->code);
  } else {
    AddScope(actor, where, params);
    if (!text.empty()) {
      where += " AND name LIKE ? ESCAPE '\\'";
      params.emplace_back(store::LikeContains(text));
    }
  }
  return store::Read(db_, [&](store::Tx& tx) {
    return SearchTable<Enterprise>(tx, "identity_enterprise", kEnterpriseColumns, where, params, q,
                                   EnterpriseFromRow);
  });
}

Result<Enterprise> PartyService::GetEnterprise(const Principal& actor, const std::string& id,
                                               const std::string& purpose) {
  bool self = actor.enterprise_id && *actor.enterprise_id == id;
  if (!self) {
    RETURN_IF_ERROR(Require(actor, Permission::kReadParties));
  }
  std::string why;
  if (!self) {
    ASSIGN_OR_RETURN(why, CheckPurpose(purpose));
  }
  return store::Transact(db_, [&](store::Tx& tx) -> Result<Enterprise> {
    ASSIGN_OR_RETURN(store::Row row,
                     tx.QueryOne(std::string("SELECT ") + kEnterpriseColumns +
                                     ", created_by FROM identity_enterprise WHERE id = ?",
                                 {id}, "identity.enterprise_not_found", "企业不存在"));
    Enterprise e = EnterpriseFromRow(row);
    if (self) return e;
    if (!InScope(actor, e.department_id, row.Text(10))) {
      return PermissionDenied("identity.out_of_scope", "该企业不在您的数据权限范围内");
    }
    RETURN_IF_ERROR(audit_.Append(
        tx, ActorOf(actor), {"identity.enterprise.read", "enterprise", e.id, e.id, why, "{}"}));
    return e;
  });
}

}  // namespace onestop::identity
