#include "audit/audit_log.h"

#include <openssl/evp.h>

#include <boost/json.hpp>
#include <chrono>
#include <cstdio>
#include <map>

namespace onestop::audit {
namespace {

namespace json = boost::json;

constexpr Millis kDayMs = 86'400'000;
constexpr Millis kCstOffsetMs = 8 * 3'600'000;  // China Standard Time, UTC+8, no DST

std::string Hex(const unsigned char* data, unsigned int n) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  out.reserve(n * 2);
  for (unsigned int i = 0; i < n; ++i) {
    out += digits[data[i] >> 4];
    out += digits[data[i] & 0xf];
  }
  return out;
}

std::string Sm3Hex(std::string_view data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_Digest(data.data(), data.size(), md, &n, EVP_sm3(), nullptr);
  return Hex(md, n);
}

std::string DayString(Millis day_index) {
  using namespace std::chrono;
  year_month_day ymd{sys_days{days{day_index}}};
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return buf;
}

constexpr const char* kEntryColumns =
    "seq, at_ms, actor_id, actor_name, actor_department_id, action, subject_type, subject_id, "
    "subject_party_id, purpose, details, request_id, prev_hash, hash";

Entry EntryFromRow(const store::Row& r) {
  Entry e;
  e.seq = r.Int(0);
  e.at_ms = r.Int(1);
  e.actor_id = r.Text(2);
  e.actor_name = r.Text(3);
  e.actor_department_id = r.OptText(4);
  e.action = r.Text(5);
  e.subject_type = r.Text(6);
  e.subject_id = r.Text(7);
  e.subject_party_id = r.OptText(8);
  e.purpose = r.Text(9);
  e.details_json = r.Text(10);
  e.request_id = r.Text(11);
  e.prev_hash = r.Text(12);
  e.hash = r.Text(13);
  return e;
}

// Appends the WHERE clause for `f` to `sql` and its parameters to `params`.
void AddFilter(const Filter& f, std::string& sql, std::vector<store::Value>& params) {
  sql += " WHERE 1 = 1";
  if (f.actor_id) {
    sql += " AND actor_id = ?";
    params.emplace_back(*f.actor_id);
  }
  if (f.action_prefix) {
    sql += " AND action LIKE ? ESCAPE '\\'";
    params.emplace_back(store::LikePrefix(*f.action_prefix));
  }
  if (f.subject_id) {
    sql += " AND subject_id = ?";
    params.emplace_back(*f.subject_id);
  }
  if (f.subject_party_id) {
    sql += " AND subject_party_id = ?";
    params.emplace_back(*f.subject_party_id);
  }
  if (f.from_ms) {
    sql += " AND at_ms >= ?";
    params.emplace_back(*f.from_ms);
  }
  if (f.to_ms) {
    sql += " AND at_ms < ?";
    params.emplace_back(*f.to_ms);
  }
  if (f.actor_department_ids) {
    if (f.actor_department_ids->empty()) {
      sql += " AND 1 = 0";
    } else {
      sql += " AND actor_department_id IN (";
      for (std::size_t i = 0; i < f.actor_department_ids->size(); ++i) {
        sql += i == 0 ? "?" : ", ?";
        params.emplace_back((*f.actor_department_ids)[i]);
      }
      sql += ")";
    }
  }
}

}  // namespace

std::string AuditLog::CanonicalEncoding(const Entry& e) {
  // A JSON array of scalars in a fixed order: Boost.JSON serializes it deterministically, and
  // any language can rebuild it. details is the stored (already normalised) JSON text.
  json::array a;
  a.emplace_back(e.seq);
  a.emplace_back(e.at_ms);
  a.emplace_back(e.actor_id);
  a.emplace_back(e.actor_name);
  a.emplace_back(e.actor_department_id ? json::value(*e.actor_department_id) : json::value());
  a.emplace_back(e.action);
  a.emplace_back(e.subject_type);
  a.emplace_back(e.subject_id);
  a.emplace_back(e.subject_party_id ? json::value(*e.subject_party_id) : json::value());
  a.emplace_back(e.purpose);
  a.emplace_back(e.details_json);
  a.emplace_back(e.request_id);
  return json::serialize(a);
}

std::string AuditLog::ComputeHash(const Entry& e) {
  return Sm3Hex(e.prev_hash + "\n" + CanonicalEncoding(e));
}

Result<Entry> AuditLog::Append(store::Tx& tx, const Actor& actor, const Record& record) const {
  Entry e;
  {
    boost::system::error_code ec;
    json::value details = json::parse(record.details_json, ec);
    if (ec || !details.is_object()) {
      return InvalidArgument("audit.bad_details", "审计详情必须是 JSON 对象");
    }
    e.details_json = json::serialize(details);
  }
  // Taking the head row first serialises appends (a row lock on PostgreSQL; SQLite writers
  // are serialised anyway), so seq has no gaps and prev_hash is always the real tip.
  ASSIGN_OR_RETURN(std::int64_t locked,
                   tx.Exec("UPDATE audit_head SET seq = seq + 1 WHERE id = 1"));
  if (locked != 1) return Internal("audit.no_head", "审计链头记录缺失，请检查数据库迁移");
  ASSIGN_OR_RETURN(store::Row head, tx.QueryOne("SELECT seq, hash FROM audit_head WHERE id = 1", {},
                                                "audit.no_head", "审计链头记录缺失"));
  e.seq = head.Int(0);
  e.prev_hash = head.Text(1);
  e.at_ms = clock_.NowMs();
  e.actor_id = actor.id;
  e.actor_name = actor.name;
  e.actor_department_id = actor.department_id;
  e.action = record.action;
  e.subject_type = record.subject_type;
  e.subject_id = record.subject_id;
  e.subject_party_id = record.subject_party_id;
  e.purpose = record.purpose;
  e.request_id = actor.request_id;
  e.hash = ComputeHash(e);
  RETURN_IF_ERROR(tx.Exec(
      "INSERT INTO audit_entry (seq, at_ms, actor_id, actor_name, actor_department_id, action, "
      "subject_type, subject_id, subject_party_id, purpose, details, request_id, prev_hash, hash)"
      " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
      {e.seq, e.at_ms, e.actor_id, e.actor_name, store::Opt(e.actor_department_id), e.action,
       e.subject_type, e.subject_id, store::Opt(e.subject_party_id), e.purpose, e.details_json,
       e.request_id, e.prev_hash, e.hash}));
  RETURN_IF_ERROR(tx.Exec("UPDATE audit_head SET hash = ? WHERE id = 1", {e.hash}));
  return e;
}

Result<Page> AuditLog::Search(store::Tx& tx, const Filter& filter) const {
  std::string where;
  std::vector<store::Value> params;
  AddFilter(filter, where, params);
  Page page;
  ASSIGN_OR_RETURN(store::Rows count, tx.Query("SELECT COUNT(*) FROM audit_entry" + where, params));
  page.total = count.front().Int(0);
  params.emplace_back(std::int64_t{filter.limit});
  params.emplace_back(std::int64_t{filter.offset});
  ASSIGN_OR_RETURN(store::Rows rows,
                   tx.Query(std::string("SELECT ") + kEntryColumns + " FROM audit_entry" + where +
                                " ORDER BY seq DESC LIMIT ? OFFSET ?",
                            params));
  page.items.reserve(rows.size());
  for (const store::Row& r : rows) page.items.push_back(EntryFromRow(r));
  return page;
}

Result<std::vector<std::pair<std::string, std::int64_t>>> AuditLog::CountByDay(
    store::Tx& tx, int days, const std::optional<std::vector<std::string>>& departments) const {
  Millis today = (clock_.NowMs() + kCstOffsetMs) / kDayMs;
  Millis first = today - days + 1;
  Filter f;
  f.from_ms = first * kDayMs - kCstOffsetMs;
  f.actor_department_ids = departments;
  std::string where;
  std::vector<store::Value> params{store::Value{kCstOffsetMs}};  // the first "?" below
  AddFilter(f, where, params);
  ASSIGN_OR_RETURN(store::Rows rows,
                   tx.Query("SELECT (at_ms + ?) / 86400000 AS day, COUNT(*) FROM audit_entry" +
                                where + " GROUP BY day",
                            params));
  std::map<Millis, std::int64_t> counts;
  for (const store::Row& r : rows) counts[r.Int(0)] = r.Int(1);
  std::vector<std::pair<std::string, std::int64_t>> out;
  for (Millis d = first; d <= today; ++d) out.emplace_back(DayString(d), counts[d]);
  return out;
}

Result<VerifyReport> AuditLog::Verify(store::Db& db) const {
  // One read transaction (one snapshot on both backends): an append commits its entry and the
  // head together, so entries read in separate transactions could be compared with a head that
  // a concurrent append has moved on, and a live chain would look truncated.
  return store::Read(db, [&](store::Tx& tx) -> Result<VerifyReport> {
    VerifyReport report;
    std::string prev_hash(kGenesisHash);
    std::int64_t expected_seq = 1;
    constexpr std::int64_t kBatch = 2000;
    std::int64_t after = 0;
    auto broken = [&](std::int64_t seq, std::string problem) {
      report.ok = false;
      report.first_broken_seq = seq;
      report.problem = std::move(problem);
    };
    for (;;) {
      ASSIGN_OR_RETURN(store::Rows rows,
                       tx.Query(std::string("SELECT ") + kEntryColumns +
                                    " FROM audit_entry WHERE seq > ? ORDER BY seq LIMIT ?",
                                {after, kBatch}));
      for (const store::Row& r : rows) {
        Entry e = EntryFromRow(r);
        if (e.seq != expected_seq) {
          broken(expected_seq, "第 " + std::to_string(expected_seq) +
                                   " 条审计记录缺失（下一条为第 " + std::to_string(e.seq) +
                                   " 条）");
          return report;
        }
        if (e.prev_hash != prev_hash) {
          broken(e.seq, "第 " + std::to_string(e.seq) +
                            " 条审计记录的前序哈希与上一条不符（记录被删除、插入或调换顺序）");
          return report;
        }
        if (ComputeHash(e) != e.hash) {
          broken(e.seq,
                 "第 " + std::to_string(e.seq) + " 条审计记录的内容与其哈希不符（记录被篡改）");
          return report;
        }
        prev_hash = e.hash;
        ++expected_seq;
        ++report.checked;
        after = e.seq;
      }
      if (static_cast<std::int64_t>(rows.size()) < kBatch) break;
    }
    ASSIGN_OR_RETURN(store::Row head, tx.QueryOne("SELECT seq, hash FROM audit_head WHERE id = 1",
                                                  {}, "audit.no_head", "审计链头记录缺失"));
    if (head.Int(0) != report.checked || head.Text(1) != prev_hash) {
      std::int64_t missing_from = report.checked + 1;
      if (head.Int(0) > report.checked) {
        broken(missing_from, "审计链末尾缺少第 " + std::to_string(missing_from) + " 至第 " +
                                 std::to_string(head.Int(0)) + " 条记录（记录被删除）");
      } else {
        broken(report.checked, "审计链头与最后一条记录不符（第 " + std::to_string(report.checked) +
                                   " 条之后的链头被篡改）");
      }
    }
    return report;
  });
}

std::string ActionLabel(std::string_view action) {
  static const std::map<std::string, std::string, std::less<>> kLabels = {
      {"identity.login", "登录"},
      {"identity.login_failed", "登录失败"},
      {"identity.logout", "退出登录"},
      {"identity.department.create", "新增部门"},
      {"identity.department.update", "修改部门"},
      {"identity.user.create", "新增用户"},
      {"identity.user.update", "修改用户"},
      {"identity.user.password_reset", "重置密码"},
      {"identity.person.create", "登记自然人"},
      {"identity.person.read", "查看自然人信息"},
      {"identity.person.search", "查询自然人"},
      {"identity.enterprise.create", "登记企业"},
      {"identity.enterprise.read", "查看企业信息"},
      {"identity.enterprise.legacy_uscc_confirmed", "确认早期试点信用代码"},
      {"calendar.override.set", "调整工作日历"},
      {"calendar.override.remove", "恢复发布的工作日历"},
      {"catalog.item.save", "保存事项"},
      {"catalog.item.retire", "停用事项"},
      {"catalog.bundle.save", "保存一件事"},
      {"catalog.import", "导入事项目录"},
      {"appointments.hall.create", "新增服务大厅"},
      {"appointments.hall.update", "修改服务大厅"},
      {"appointments.booking.create", "预约"},
      {"appointments.booking.cancel", "取消预约"},
      {"appointments.booking.check_in", "预约签到"},
      {"appointments.booking.link_case", "预约关联办件"},
      {"appointments.booking.no_show", "预约未到"},
      {"audit.verify", "校验审计链"},
      {"notify.inbox.read", "阅读站内消息"},
      {"notify.sms.sent", "发送短信通知"},
      {"notify.sms.failed", "短信通知发送失败"},
      {"licences.grant.create", "授权部门调取电子证照"},
      {"licences.grant.revoke", "撤回证照授权"},
      {"licences.licence.retrieve", "调取电子证照"},
      {"licences.retrieve.refused", "调取电子证照被拒绝（无有效授权）"},
      {"licences.token.scan", "扫码查看电子证照"},
      {"licences.token.refused", "扫码用证被拒绝"},
      {"licences.licence.copy", "下载证照加注件"},
      {"cases.case.attach_material", "补充申请材料"},
      {"licences.archive.read", "查看电子档案"},
      {"licences.archive.verify_original", "核验原件（电子档案材料升为B级）"},
      {"licences.archive.reuse", "复用电子档案材料"},
      {"licences.licence.provide", "申请人授权使用本人电子证照"},
      {"licences.licence.issue", "签发电子证照"},
      {"licences.licence.new_version", "电子证照换发新版本"},
      {"licences.licence.status", "变更电子证照状态"},
      {"licences.type.create", "新增证照类型"},
      {"licences.type.update", "修改证照类型"},
      {"licences.import.start", "开始批量导入电子证照"},
      {"licences.import.batch", "批量导入电子证照（一批）"},

      {"seal.create", "制作电子印章"},
      {"seal.rotate", "更换电子印章密钥"},
      {"proofs.type.define", "保存证明类型"},
      {"proofs.register.put", "更新数据登记簿"},
      {"proofs.proof.generate", "即时开具证明"},
      {"proofs.proof.apply", "申请开具证明"},
      {"proofs.proof.approve", "审核通过并出具证明"},
      {"proofs.proof.reject", "不予出具证明"},
      {"proofs.proof.revoke", "撤销证明"},
      {"proofs.proof.read", "查看证明"},
      {"proofs.proof.download", "下载证明"},
      {"proofs.datasheet.create", "生成政务数据查询单"},
      {"policy.policy.create", "新增政策"},
      {"policy.policy.update", "修改政策"},
      {"policy.policy.publish", "发布政策"},
      {"policy.policy.retire", "废止政策"},
      {"policy.item.create", "新增申报事项"},
      {"policy.item.update", "修改申报事项"},
      {"policy.enterprise.import", "导入企业数据"},
      {"policy.loan.create", "新增贷款产品"},
      {"policy.loan.update", "修改贷款产品"},
      {"policy.loan.publish", "发布贷款产品"},
      {"policy.loan.withdraw", "下架贷款产品"},
      {"policy.loan.request", "企业提交融资需求"},
      {"policy.loan.request_withdraw", "企业撤回融资需求"},
      {"policy.loan.answer", "银行答复融资需求"},
      {"policy.campaign.create", "新建免申即享兑现批次"},
      {"policy.campaign.compare", "免申即享数据比对"},
      {"policy.campaign.prereview", "免申即享系统预审"},
      {"policy.campaign.notify", "发送免申即享兑现通知"},
      {"policy.campaign.publicize", "发布兑现公示"},
      {"policy.offer.approve", "兑现初核通过"},
      {"policy.offer.reject", "兑现初核不通过"},
      {"policy.offer.confirm", "企业确认兑现意愿"},
      {"policy.offer.decline", "企业放弃兑现"},
      {"policy.batch.create", "生成拨付批次"},
      {"policy.payment.reconcile", "导入银行对账结果"},
      {"policy.payment.clawback", "追回拨付资金"},
      {"policy.application.submit", "提交快申快享申请"},
      {"policy.application.approve", "快申快享审核通过"},
      {"policy.application.reject", "快申快享审核不通过"},
      {"cases.case.submit", "提交申请"},
      {"cases.case.accept", "受理"},
      {"cases.case.refuse", "不予受理"},
      {"cases.case.correction", "一次性告知补正"},
      {"cases.case.resubmit", "补正后重新提交"},
      {"cases.case.hand_out", "出件"},
      {"cases.case.confirm_receipt", "确认收件"},
      {"cases.task.approve", "审批通过"},
      {"cases.task.reject", "审批不通过"},
      {"cases.task.return", "退回"},
  };
  auto it = kLabels.find(action);
  return it != kLabels.end() ? it->second : std::string(action);
}

}  // namespace onestop::audit
