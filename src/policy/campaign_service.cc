#include "policy/campaign_service.h"

#include <algorithm>
#include <boost/json.hpp>
#include <map>
#include <span>

#include "core/csv.h"
#include "core/id_number.h"
#include "core/ids.h"
#include "core/text.h"
#include "core/working_days.h"
#include "notify/notify.h"
#include "policy/internal/service_util.h"
#include "policy/matcher.h"

namespace onestop::policy {
namespace json = boost::json;
using identity::Permission;
using identity::Principal;
using internal::Audit;
using internal::Code;
using internal::LabelOf;
using internal::Trimmed;

namespace {

constexpr Code kStepLabels[] = {
    {"compare", "数据比对"}, {"prereview", "系统预审"}, {"review", "人工初核"}, {"notify", "通知"},
    {"confirm", "意愿确认"}, {"pay", "拨付"},           {"publicize", "公示"}};
constexpr Code kOfferStatuses[] = {{"matched", "比对符合"},      {"excluded", "预审排除"},
                                   {"pending_review", "待初核"}, {"approved", "初核通过"},
                                   {"rejected", "初核不通过"},   {"notified", "已通知"},
                                   {"confirmed", "已确认"},      {"declined", "已放弃"},
                                   {"batched", "拨付中"},        {"paid", "已拨付"}};

constexpr const char* kCampaignCols =
    "id, item_id, period, department_id, publicity_from, publicity_to, created_by, "
    "created_at_ms, updated_at_ms";
constexpr const char* kOfferCols =
    "id, campaign_id, item_id, period, kind, enterprise_id, enterprise_name, rule_version, "
    "snapshot_json, amount_fen, status, reason_code, reason, committed, account_name, bank_name, "
    "account_no, reviewed_by, reviewed_at_ms, notified_at_ms, confirmed_by, confirmed_by_name, "
    "confirmed_at_ms, created_at_ms, updated_at_ms";
constexpr const char* kPaymentCols =
    "id, voucher_no, batch_id, offer_id, item_id, period, enterprise_id, enterprise_name, "
    "amount_fen, account_name, bank_name, account_no, status, bank_serial, bank_note, "
    "result_at_ms, clawback_reason, clawback_at_ms, created_at_ms";

Date TodayDate(const Clock& clock) { return Date::FromMillisCst(clock.NowMs()); }
std::string Today(const Clock& clock) { return TodayDate(clock).ToString(); }

Campaign CampaignFromRow(const store::Row& r) {
  Campaign c;
  c.id = r.Text(0);
  c.item_id = r.Text(1);
  c.period = r.Text(2);
  c.department_id = r.Text(3);
  c.publicity_from = r.Text(4);
  c.publicity_to = r.Text(5);
  c.created_by = r.Text(6);
  c.created_at_ms = r.Int(7);
  c.updated_at_ms = r.Int(8);
  return c;
}

Offer OfferFromRow(const store::Row& r) {
  Offer o;
  o.id = r.Text(0);
  o.campaign_id = r.Text(1);
  o.item_id = r.Text(2);
  o.period = r.Text(3);
  o.kind = r.Text(4);
  o.enterprise_id = r.Text(5);
  o.enterprise_name = r.Text(6);
  o.rule_version = static_cast<int>(r.Int(7));
  o.snapshot_json = r.Text(8);
  o.amount_fen = r.Int(9);
  o.status = r.Text(10);
  o.reason_code = r.Text(11);
  o.reason = r.Text(12);
  o.committed = r.Bool(13);
  o.account = {r.Text(14), r.Text(15), r.Text(16)};
  o.reviewed_by = r.Text(17);
  o.reviewed_at_ms = r.OptInt(18);
  o.notified_at_ms = r.OptInt(19);
  o.confirmed_by = r.Text(20);
  o.confirmed_by_name = r.Text(21);
  o.confirmed_at_ms = r.OptInt(22);
  o.created_at_ms = r.Int(23);
  o.updated_at_ms = r.Int(24);
  return o;
}

Payment PaymentFromRow(const store::Row& r) {
  Payment p;
  p.id = r.Text(0);
  p.voucher_no = r.Text(1);
  p.batch_id = r.Text(2);
  p.offer_id = r.Text(3);
  p.item_id = r.Text(4);
  p.period = r.Text(5);
  p.enterprise_id = r.Text(6);
  p.enterprise_name = r.Text(7);
  p.amount_fen = r.Int(8);
  p.account = {r.Text(9), r.Text(10), r.Text(11)};
  p.status = r.Text(12);
  p.bank_serial = r.Text(13);
  p.bank_note = r.Text(14);
  p.result_at_ms = r.OptInt(15);
  p.clawback_reason = r.Text(16);
  p.clawback_at_ms = r.OptInt(17);
  p.created_at_ms = r.Int(18);
  return p;
}

// The item with what campaigns need of its policy.
struct ItemInfo {
  std::string id, policy_id, title, mode, status, department_id;
  std::string window_from, window_to;
  Fen budget_fen = 0;
  int publicity_days = 0;
  std::string policy_title, doc_no, policy_status;
};

Result<ItemInfo> LoadItemInfo(store::Tx& tx, const std::string& id) {
  ASSIGN_OR_RETURN(
      store::Row r,
      tx.QueryOne("SELECT i.id, i.policy_id, i.title, i.mode, i.status, i.department_id, "
                  "i.window_from, i.window_to, i.budget_fen, i.publicity_days, p.title, p.doc_no, "
                  "p.status FROM policy_item i JOIN policy p ON p.id = i.policy_id WHERE i.id = ?",
                  {id}, "policy.item_not_found", "没有这个申报事项：" + id));
  ItemInfo i;
  i.id = r.Text(0);
  i.policy_id = r.Text(1);
  i.title = r.Text(2);
  i.mode = r.Text(3);
  i.status = r.Text(4);
  i.department_id = r.Text(5);
  i.window_from = r.Text(6);
  i.window_to = r.Text(7);
  i.budget_fen = r.Int(8);
  i.publicity_days = static_cast<int>(r.Int(9));
  i.policy_title = r.Text(10);
  i.doc_no = r.Text(11);
  i.policy_status = r.Text(12);
  return i;
}

Result<Campaign> LoadCampaign(store::Tx& tx, const std::string& id) {
  ASSIGN_OR_RETURN(
      store::Row r,
      tx.QueryOne(std::string("SELECT ") + kCampaignCols + " FROM policy_campaign WHERE id = ?",
                  {id}, "policy.campaign_not_found", "没有这个兑现批次：" + id));
  Campaign c = CampaignFromRow(r);
  ASSIGN_OR_RETURN(store::Rows title,
                   tx.Query("SELECT title FROM policy_item WHERE id = ?", {c.item_id}));
  if (!title.empty()) c.item_title = title.front().Text(0);
  return c;
}

Result<Offer> LoadOffer(store::Tx& tx, const std::string& id) {
  ASSIGN_OR_RETURN(
      store::Row r,
      tx.QueryOne(std::string("SELECT ") + kOfferCols + " FROM policy_offer WHERE id = ?", {id},
                  "policy.offer_not_found", "没有这条兑现记录：" + id));
  return OfferFromRow(r);
}

Result<std::vector<Offer>> QueryOffers(store::Tx& tx, const std::string& where,
                                       const std::vector<store::Value>& params) {
  ASSIGN_OR_RETURN(
      store::Rows rows,
      tx.Query(std::string("SELECT ") + kOfferCols + " FROM policy_offer " + where, params));
  std::vector<Offer> out;
  for (const store::Row& r : rows) out.push_back(OfferFromRow(r));
  return out;
}

Result<std::vector<Offer>> CampaignOffers(store::Tx& tx, const std::string& campaign_id) {
  return QueryOffers(tx, "WHERE campaign_id = ? ORDER BY enterprise_id, id", {campaign_id});
}

Result<std::vector<Payment>> QueryPayments(store::Tx& tx, const std::string& where,
                                           const std::vector<store::Value>& params) {
  ASSIGN_OR_RETURN(
      store::Rows rows,
      tx.Query(std::string("SELECT ") + kPaymentCols + " FROM policy_payment " + where, params));
  std::vector<Payment> out;
  for (const store::Row& r : rows) out.push_back(PaymentFromRow(r));
  return out;
}

bool IsDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// "2026", "2026Q1"…"2026Q4", "2026-01"…"2026-12".
bool ValidPeriod(std::string_view p) {
  if (p.size() < 4 || !IsDigits(p.substr(0, 4))) return false;
  if (p.size() == 4) return true;
  if (p.size() == 6 && p[4] == 'Q') return p[5] >= '1' && p[5] <= '4';
  if (p.size() == 7 && p[4] == '-' && IsDigits(p.substr(5))) {
    const int m = (p[5] - '0') * 10 + (p[6] - '0');
    return m >= 1 && m <= 12;
  }
  return false;
}

// The months a period covers: {year, first month, last month}.
struct PeriodSpan {
  int year = 0, from = 1, to = 12;
};
PeriodSpan SpanOf(std::string_view p) {
  PeriodSpan s;
  s.year = std::stoi(std::string(p.substr(0, 4)));
  if (p.size() == 6) {
    s.to = (p[5] - '0') * 3;
    s.from = s.to - 2;
  } else if (p.size() == 7) {
    s.from = s.to = (p[5] - '0') * 10 + (p[6] - '0');
  }
  return s;
}
bool Overlap(std::string_view a, std::string_view b) {
  if (!ValidPeriod(a) || !ValidPeriod(b)) return a == b;
  const PeriodSpan x = SpanOf(a), y = SpanOf(b);
  return x.year == y.year && x.from <= y.to && y.from <= x.to;
}

// 重复享受: the enterprise is already paid or payable for this item in an overlapping period
// (a live payment, or another offer confirmed or on its way to payment).
Result<bool> AlreadyEnjoyed(store::Tx& tx, const Offer& o) {
  ASSIGN_OR_RETURN(store::Rows rows,
                   tx.Query("SELECT period FROM policy_payment WHERE item_id = ? AND "
                            "enterprise_id = ? AND status <> 'failed' UNION ALL "
                            "SELECT period FROM policy_offer WHERE item_id = ? AND "
                            "enterprise_id = ? AND id <> ? AND status IN ('notified', "
                            "'confirmed', 'batched', 'paid')",
                            {o.item_id, o.enterprise_id, o.item_id, o.enterprise_id, o.id}));
  for (const store::Row& r : rows) {
    if (Overlap(r.Text(0), o.period)) return true;
  }
  return false;
}

Error BadPeriod(const std::string& period, const std::string& reason) {
  const std::string msg = "兑现期间格式应为 2026、2026Q3 或 2026-07：" + period;
  return InvalidArgument(reason, msg).WithField("period", msg);
}

// Marks `step` done now (keeps the first time unless `again`).
Result<void> MarkStep(store::Tx& tx, const std::string& campaign_id, std::string_view step,
                      Millis now, bool again = false) {
  RETURN_IF_ERROR(tx.Exec(std::string("UPDATE policy_campaign_step SET done_at_ms = ? WHERE "
                                      "campaign_id = ? AND step = ?") +
                              (again ? "" : " AND done_at_ms IS NULL"),
                          {now, campaign_id, std::string(step)}));
  return {};
}
Result<void> ClearStep(store::Tx& tx, const std::string& campaign_id, std::string_view step) {
  RETURN_IF_ERROR(tx.Exec(
      "UPDATE policy_campaign_step SET done_at_ms = NULL WHERE campaign_id = ? AND step = ?",
      {campaign_id, std::string(step)}));
  return {};
}
Result<bool> StepDone(store::Tx& tx, const std::string& campaign_id, std::string_view step) {
  ASSIGN_OR_RETURN(store::Rows rows,
                   tx.Query("SELECT done_at_ms FROM policy_campaign_step WHERE campaign_id = ? "
                            "AND step = ?",
                            {campaign_id, std::string(step)}));
  return !rows.empty() && !rows.front().IsNull(0);
}
Result<std::string> StepDue(store::Tx& tx, const std::string& campaign_id, std::string_view step) {
  ASSIGN_OR_RETURN(store::Rows rows,
                   tx.Query("SELECT due_on FROM policy_campaign_step WHERE campaign_id = ? AND "
                            "step = ?",
                            {campaign_id, std::string(step)}));
  return rows.empty() ? std::string() : rows.front().Text(0);
}

Result<std::int64_t> CountOffers(store::Tx& tx, const std::string& campaign_id,
                                 const std::string& status) {
  ASSIGN_OR_RETURN(
      store::Rows rows,
      tx.Query("SELECT COUNT(*) FROM policy_offer WHERE campaign_id = ? AND status = ?",
               {campaign_id, status}));
  return rows.front().Int(0);
}

Result<void> EnsureBudget(store::Tx& tx, const std::string& item_id) {
  RETURN_IF_ERROR(
      tx.Exec("INSERT INTO policy_budget (item_id, committed_fen) VALUES (?, 0) "
              "ON CONFLICT (item_id) DO NOTHING",
              {item_id}));
  return {};
}

// Commits `amount` against the item's budget: the conditional UPDATE holds the row lock, so two
// confirmations can never both fit into the last of the money. False when it does not fit.
Result<bool> CommitBudget(store::Tx& tx, const std::string& item_id, Fen amount) {
  RETURN_IF_ERROR(EnsureBudget(tx, item_id));
  ASSIGN_OR_RETURN(std::int64_t n,
                   tx.Exec("UPDATE policy_budget SET committed_fen = committed_fen + ? "
                           "WHERE item_id = ? AND committed_fen + ? <= "
                           "(SELECT budget_fen FROM policy_item WHERE id = ?)",
                           {amount, item_id, amount, item_id}));
  return n == 1;
}

Result<Fen> CommittedOf(store::Tx& tx, const std::string& item_id) {
  ASSIGN_OR_RETURN(
      store::Rows rows,
      tx.Query("SELECT committed_fen FROM policy_budget WHERE item_id = ?", {item_id}));
  return rows.empty() ? Fen{0} : rows.front().Int(0);
}

Result<std::string> PostCommit(store::Tx& tx, Millis now, const Offer& o, const Principal& actor) {
  LedgerTxn t;
  t.item_id = o.item_id;
  t.kind = "commit";
  t.offer_id = o.id;
  t.memo = "确认兑现，占用预算：" + o.enterprise_name;
  t.created_by = actor.user_id;
  t.entries = {{std::string(kAccountBudget), -o.amount_fen},
               {std::string(kAccountPayable), o.amount_fen}};
  return PostLedger(tx, now, std::move(t));
}

// The enterprise of an enterprise account: (identity party id, 统一社会信用代码).
struct Me {
  std::string party_id, uscc, name;
};
Result<Me> EnterpriseOf(store::Tx& tx, const Principal& actor) {
  if (!actor.enterprise_id.has_value() || actor.enterprise_id->empty()) {
    return PermissionDenied("policy.not_enterprise", "只有企业账号可以办理此事项");
  }
  ASSIGN_OR_RETURN(
      store::Row r,
      tx.QueryOne("SELECT id, uscc, name FROM identity_enterprise WHERE id = ?",
                  {*actor.enterprise_id}, "policy.not_enterprise", "没有找到本账号所属的企业"));
  return Me{r.Text(0), r.Text(1), r.Text(2)};
}

std::optional<std::string> PartyOfUscc(store::Tx& tx, const std::string& uscc) {
  Result<store::Rows> rows = tx.Query("SELECT id FROM identity_enterprise WHERE uscc = ?", {uscc});
  if (!rows.has_value() || rows->empty()) return std::nullopt;
  return rows->front().Text(0);
}

Result<std::string> NameOfUscc(store::Tx& tx, const std::string& uscc) {
  ASSIGN_OR_RETURN(store::Rows rows,
                   tx.Query("SELECT name FROM identity_enterprise WHERE uscc = ?", {uscc}));
  return rows.empty() ? std::string() : rows.front().Text(0);
}

// Staff who run campaigns (catalog.manage) or review (cases.review) within the department.
Result<void> RequireStaffOf(const Principal& actor, const std::string& department_id) {
  if (actor.Has(Permission::kManageCatalog) && actor.CoversDepartment(department_id)) return {};
  return identity::RequireInScope(actor, Permission::kReviewCases, department_id);
}

// Sends a message; an SMS only to a valid phone. A message without any recipient is skipped.
Result<void> Send(store::Tx& tx, const Clock& clock, notify::Message m) {
  if (!m.phone.empty() && !ValidateMobile(m.phone).has_value()) m.phone.clear();
  if (m.phone.empty() && m.recipient_party_id.empty() && m.recipient_user_id.empty()) return {};
  RETURN_IF_ERROR(notify::Enqueue(tx, clock, m));
  return {};
}

std::string Cut(const std::string& s, std::size_t max_chars) {
  if (text::CountCodePoints(s) <= max_chars) return s;
  std::string out;
  std::size_t n = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80 && ++n > max_chars - 1) break;
    out += s[i];
  }
  return out + "…";
}

std::string PhoneOf(const FactSnapshot& snap) {
  for (const SourcedFact& f : snap.facts) {
    if (f.fact == "contact_phone" || f.fact == "phone") {
      if (const std::string* s = std::get_if<std::string>(&f.value)) return *s;
    }
  }
  return "";
}

std::string CsvField(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    out += c;
    if (c == '"') out += '"';
  }
  return out + "\"";
}

std::string Purpose(const std::string& item_title, const std::string& period) {
  return item_title + "（" + period + "）";
}

std::string BatchCsv(const std::vector<Payment>& payments, const std::string& purpose) {
  std::string csv = "\xEF\xBB\xBF";
  csv += "序号,支付凭证号,收款单位,统一社会信用代码,开户行,账号,金额（元）,用途\r\n";
  int n = 0;
  for (const Payment& p : payments) {
    csv += std::to_string(++n) + "," + CsvField(p.voucher_no) + "," +
           CsvField(p.account.account_name) + "," + CsvField(p.enterprise_id) + "," +
           CsvField(p.account.bank_name) + "," + CsvField(p.account.account_no) + "," +
           FormatYuan(p.amount_fen) + "," + CsvField(purpose) + "\r\n";
  }
  return csv;
}

// One CSV record per line, each field trimmed (an open quote keeps what was read).
std::vector<std::string> SplitCsvLine(std::string_view line) {
  std::vector<std::string> out;
  SplitCsv(line, out);
  for (std::string& f : out) f = Trimmed(f);
  return out;
}

std::string LastFour(const std::string& account_no) {
  return account_no.size() <= 4 ? account_no : "****" + account_no.substr(account_no.size() - 4);
}

// Checks a bank account against the enterprise's name; normalised (spaces out of the number).
Result<BankAccount> CheckAccount(const BankAccount& in, const std::string& enterprise_name) {
  BankAccount out;
  out.account_name = Trimmed(in.account_name);
  out.bank_name = Trimmed(in.bank_name);
  for (char c : in.account_no) {
    if (c != ' ') out.account_no += c;
  }
  std::vector<FieldError> fields;
  if (out.account_name.empty()) {
    fields.push_back({"accountName", "请填写户名"});
  } else if (!enterprise_name.empty() && out.account_name != enterprise_name) {
    fields.push_back({"accountName", "户名应与企业名称一致：" + enterprise_name});
  }
  if (out.bank_name.empty()) {
    fields.push_back({"bankName", "请填写开户行"});
  } else if (text::CountCodePoints(out.bank_name) > 100) {
    fields.push_back({"bankName", "开户行不能超过 100 个字"});
  }
  if (!IsDigits(out.account_no) || out.account_no.size() < 8 || out.account_no.size() > 30) {
    fields.push_back({"accountNo", "账号应为 8 到 30 位数字"});
  }
  if (!fields.empty()) {
    Error e = InvalidArgument("policy.invalid_account", fields.front().message);
    e.fields = std::move(fields);
    return e;
  }
  return out;
}

json::object OfferDetails(const Offer& o) {
  return {{"campaignId", o.campaign_id},     {"itemId", o.item_id},       {"period", o.period},
          {"enterpriseId", o.enterprise_id}, {"amountFen", o.amount_fen}, {"status", o.status}};
}

}  // namespace

std::string_view StepLabel(std::string_view step) { return LabelOf(kStepLabels, step); }
std::string_view OfferStatusLabel(std::string_view status) {
  return LabelOf(kOfferStatuses, status);
}

CampaignService::CampaignService(store::Db& db, const Clock& clock, const audit::AuditLog& audit,
                                 PolicyService& policies, FactSource& facts)
    : db_(db), clock_(clock), audit_(audit), policies_(policies), facts_(facts) {}

// ----------------------------------------------------------------------------- campaigns

Result<Campaign> CampaignService::Create(const Principal& actor, const CampaignInput& input) {
  RETURN_IF_ERROR(identity::Require(actor, Permission::kManageCatalog));
  const std::string period = Trimmed(input.period);
  std::vector<FieldError> fields;
  if (!ValidPeriod(period)) {
    fields.push_back({"period", "兑现期间格式应为 2026、2026Q3 或 2026-07：" + period});
  }
  const std::string* dues[] = {&input.due_compare,  &input.due_prereview, &input.due_review,
                               &input.due_notify,   &input.due_confirm,   &input.due_pay,
                               &input.due_publicize};
  const char* due_fields[] = {"dueCompare", "duePrereview", "dueReview",   "dueNotify",
                              "dueConfirm", "duePay",       "duePublicize"};
  std::vector<std::string> due_on;
  for (int i = 0; i < 7; ++i) {
    Result<Date> d = Date::Parse(*dues[i]);
    const std::string label(StepLabel(kCampaignSteps[i]));
    if (!d.has_value()) {
      fields.push_back({due_fields[i], label + "的截止日期应为 YYYY-MM-DD：" + *dues[i]});
      due_on.emplace_back();
      continue;
    }
    due_on.push_back(d->ToString());
    if (i > 0 && !due_on[i - 1].empty() && due_on[i] < due_on[i - 1]) {
      fields.push_back({due_fields[i], label + "的截止日期不能早于上一步"});
    }
  }
  if (!fields.empty()) {
    Error e = InvalidArgument("policy.invalid_campaign", fields.front().message);
    e.fields = std::move(fields);
    return e;
  }
  return store::Transact(db_, [&](store::Tx& tx) -> Result<Campaign> {
    ASSIGN_OR_RETURN(ItemInfo item, LoadItemInfo(tx, Trimmed(input.item_id)));
    RETURN_IF_ERROR(
        identity::RequireInScope(actor, Permission::kManageCatalog, item.department_id));
    if (item.mode != "exempt") {
      return FailedPrecondition("policy.not_exempt", "只有免申即享事项可以发起兑现批次");
    }
    if (item.policy_status != "published") {
      return FailedPrecondition("policy.not_published", "政策尚未发布（或已废止），不能发起兑现");
    }
    ASSIGN_OR_RETURN(store::Rows existing,
                     tx.Query("SELECT id FROM policy_campaign WHERE item_id = ? AND period = ?",
                              {item.id, period}));
    if (!existing.empty()) {
      return AlreadyExists("policy.campaign_exists", "该事项 " + period + " 期间的兑现批次已存在");
    }
    Campaign c;
    const Millis now = clock_.NowMs();
    c.id = NewUlid(now);
    c.item_id = item.id;
    c.period = period;
    c.department_id = item.department_id;
    c.created_by = actor.user_id;
    c.created_at_ms = c.updated_at_ms = now;
    RETURN_IF_ERROR(tx.Exec(std::string("INSERT INTO policy_campaign (") + kCampaignCols +
                                ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                            {c.id, c.item_id, c.period, c.department_id, c.publicity_from,
                             c.publicity_to, c.created_by, c.created_at_ms, c.updated_at_ms}));
    for (int i = 0; i < 7; ++i) {
      RETURN_IF_ERROR(
          tx.Exec("INSERT INTO policy_campaign_step (campaign_id, seq, step, due_on) "
                  "VALUES (?, ?, ?, ?)",
                  {c.id, std::int64_t{i + 1}, std::string(kCampaignSteps[i]), due_on[i]}));
    }
    RETURN_IF_ERROR(EnsureBudget(tx, item.id));
    RETURN_IF_ERROR(Audit(tx, audit_, actor, "policy.campaign.create", "policy_campaign", c.id,
                          {{"itemId", item.id}, {"period", period}, {"title", item.title}}));
    return c;
  });
}

Result<CampaignConsole> CampaignService::Console(const Principal& actor, const std::string& id) {
  const Date today = TodayDate(clock_);
  return store::Read(db_, [&](store::Tx& tx) -> Result<CampaignConsole> {
    CampaignConsole out;
    ASSIGN_OR_RETURN(out.campaign, LoadCampaign(tx, id));
    RETURN_IF_ERROR(RequireStaffOf(actor, out.campaign.department_id));
    ASSIGN_OR_RETURN(ItemInfo item, LoadItemInfo(tx, out.campaign.item_id));
    out.item_title = item.title;
    out.policy_title = item.policy_title;
    ASSIGN_OR_RETURN(store::Rows steps,
                     tx.Query("SELECT step, due_on, done_at_ms FROM policy_campaign_step WHERE "
                              "campaign_id = ? ORDER BY seq",
                              {id}));
    bool current_found = false;
    for (const store::Row& r : steps) {
      CampaignStep s;
      s.step = r.Text(0);
      s.label = std::string(StepLabel(s.step));
      s.due_on = r.Text(1);
      s.done_at_ms = r.OptInt(2);
      Result<Date> due = Date::Parse(s.due_on);
      const std::int64_t due_day = due.has_value() ? due->DaysSinceEpoch() : 0;
      if (s.done_at_ms.has_value()) {
        s.state = "done";
        s.light = Date::FromMillisCst(*s.done_at_ms).DaysSinceEpoch() <= due_day ? "green" : "red";
      } else {
        s.state = current_found ? "pending" : "current";
        current_found = true;
        const std::int64_t left = due_day - today.DaysSinceEpoch();
        s.light = left < 0 ? "red" : (left <= 2 ? "yellow" : "green");
      }
      out.steps.push_back(std::move(s));
    }
    ASSIGN_OR_RETURN(store::Rows counts,
                     tx.Query("SELECT status, COUNT(*) FROM policy_offer WHERE campaign_id = ? "
                              "GROUP BY status ORDER BY status",
                              {id}));
    for (const store::Row& r : counts) out.offer_counts.emplace_back(r.Text(0), r.Int(1));
    ASSIGN_OR_RETURN(store::Rows offered,
                     tx.Query("SELECT COALESCE(SUM(amount_fen), 0) FROM policy_offer WHERE "
                              "campaign_id = ? AND status IN ('notified', 'confirmed', "
                              "'batched', 'paid')",
                              {id}));
    out.offered_fen = offered.front().Int(0);
    ASSIGN_OR_RETURN(LedgerBalances b, BalancesOf(tx, item.id));
    out.budget.budget_fen = item.budget_fen;
    ASSIGN_OR_RETURN(out.budget.committed_fen, CommittedOf(tx, item.id));
    out.budget.payable_fen = b.payable;
    out.budget.paid_fen = b.paid + b.clawback;
    out.budget.clawback_fen = b.clawback;
    out.budget.available_fen = item.budget_fen - out.budget.committed_fen;
    return out;
  });
}

Result<std::vector<Offer>> CampaignService::Compare(const Principal& actor, const std::string& id) {
  RETURN_IF_ERROR(identity::Require(actor, Permission::kManageCatalog));
  ASSIGN_OR_RETURN(Campaign c,
                   store::Read(db_, [&](store::Tx& tx) { return LoadCampaign(tx, id); }));
  RETURN_IF_ERROR(identity::RequireInScope(actor, Permission::kManageCatalog, c.department_id));
  ASSIGN_OR_RETURN(ItemRule rule, policies_.CurrentRule(actor, c.item_id, Today(clock_)));
  ASSIGN_OR_RETURN(FactStore store, facts_.LoadAll());
  Matcher matcher = Matcher::Compile(std::span<const Cond>(&rule.cond, 1));
  matcher.Run(store);
  const Millis now = clock_.NowMs();
  std::vector<Offer> offers;
  for (const std::string& eid : matcher.MatchingIds(store, 0)) {
    ASSIGN_OR_RETURN(FactSnapshot snap, facts_.Snapshot(eid));
    Offer o;
    o.campaign_id = c.id;
    o.item_id = c.item_id;
    o.period = c.period;
    o.kind = "exempt";
    o.enterprise_id = eid;
    o.enterprise_name = snap.name;
    o.rule_version = rule.version;
    o.snapshot_json = SnapshotToJson(snap);
    o.status = "matched";
    Result<Fen> amount = Evaluate(rule.formula, snap.AsFacts());
    if (!amount.has_value()) {
      o.status = "excluded";
      o.reason_code = "policy.formula_error";
      o.reason = "兑现金额无法测算：" + amount.error().message;
    } else {
      o.amount_fen = *amount;
      if (o.amount_fen <= 0) {
        o.status = "excluded";
        o.reason_code = "policy.zero_amount";
        o.reason = "测算兑现金额为零";
      }
    }
    offers.push_back(std::move(o));
  }
  std::sort(offers.begin(), offers.end(),
            [](const Offer& a, const Offer& b) { return a.enterprise_id < b.enterprise_id; });
  return store::Transact(db_, [&](store::Tx& tx) -> Result<std::vector<Offer>> {
    ASSIGN_OR_RETURN(Campaign fresh, LoadCampaign(tx, id));
    ASSIGN_OR_RETURN(bool notified, StepDone(tx, id, "notify"));
    if (notified) {
      return FailedPrecondition("policy.already_notified", "已发出兑现通知，不能重新比对");
    }
    // Nothing has been sent yet, so every offer of the campaign is replaced.
    RETURN_IF_ERROR(tx.Exec("DELETE FROM policy_offer WHERE campaign_id = ?", {id}));
    std::vector<Offer> out = offers;
    for (Offer& o : out) {
      o.id = NewUlid(now);
      o.created_at_ms = o.updated_at_ms = now;
      if (o.enterprise_name.empty()) {
        ASSIGN_OR_RETURN(o.enterprise_name, NameOfUscc(tx, o.enterprise_id));
      }
      RETURN_IF_ERROR(tx.Exec(
          std::string("INSERT INTO policy_offer (") + kOfferCols +
              ", created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, '', '', '', '', "
              "NULL, NULL, '', '', NULL, ?, ?, ?)",
          {o.id, o.campaign_id, o.item_id, o.period, o.kind, o.enterprise_id, o.enterprise_name,
           std::int64_t{o.rule_version}, o.snapshot_json, o.amount_fen, o.status, o.reason_code,
           o.reason, o.created_at_ms, o.updated_at_ms, actor.user_id}));
    }
    RETURN_IF_ERROR(MarkStep(tx, id, "compare", now, /*again=*/true));
    RETURN_IF_ERROR(ClearStep(tx, id, "prereview"));
    RETURN_IF_ERROR(ClearStep(tx, id, "review"));
    std::int64_t excluded = 0;
    for (const Offer& o : out) excluded += o.status == "excluded" ? 1 : 0;
    RETURN_IF_ERROR(Audit(tx, audit_, actor, "policy.campaign.compare", "policy_campaign", id,
                          {{"ruleVersion", rule.version},
                           {"enterprises", static_cast<std::int64_t>(store.size())},
                           {"matched", static_cast<std::int64_t>(out.size())},
                           {"excluded", excluded}}));
    (void)fresh;
    return out;
  });
}

Result<std::vector<Offer>> CampaignService::PreReview(const Principal& actor,
                                                      const std::string& id) {
  RETURN_IF_ERROR(identity::Require(actor, Permission::kManageCatalog));
  const Millis now = clock_.NowMs();
  return store::Transact(db_, [&](store::Tx& tx) -> Result<std::vector<Offer>> {
    ASSIGN_OR_RETURN(Campaign c, LoadCampaign(tx, id));
    RETURN_IF_ERROR(identity::RequireInScope(actor, Permission::kManageCatalog, c.department_id));
    ASSIGN_OR_RETURN(bool compared, StepDone(tx, id, "compare"));
    if (!compared) return FailedPrecondition("policy.not_compared", "请先完成数据比对");
    ASSIGN_OR_RETURN(bool notified, StepDone(tx, id, "notify"));
    if (notified) {
      return FailedPrecondition("policy.already_notified", "已发出兑现通知，不能重新预审");
    }
    // A second pre-review starts again from the comparison's result.
    RETURN_IF_ERROR(tx.Exec(
        "UPDATE policy_offer SET status = 'matched', reason_code = '', reason = '', "
        "reviewed_by = '', reviewed_at_ms = NULL, updated_at_ms = ? WHERE campaign_id = ? AND "
        "(status IN ('pending_review', 'approved', 'rejected') OR reason_code IN "
        "('policy.bad_credit', 'policy.duplicate', 'policy.insufficient_budget'))",
        {now, id}));
    ASSIGN_OR_RETURN(ItemInfo item, LoadItemInfo(tx, c.item_id));
    ASSIGN_OR_RETURN(std::vector<Offer> offers,
                     QueryOffers(tx,
                                 "WHERE campaign_id = ? AND status = 'matched' "
                                 "ORDER BY amount_fen, enterprise_id",
                                 {id}));
    ASSIGN_OR_RETURN(Fen committed, CommittedOf(tx, c.item_id));
    Fen remaining = item.budget_fen - committed;
    std::int64_t counts[4] = {0, 0, 0, 0};  // bad credit, duplicate, budget, passed
    for (Offer& o : offers) {
      std::string code, reason;
      ASSIGN_OR_RETURN(FactSnapshot snap, SnapshotFromJson(o.snapshot_json));
      Facts facts = snap.AsFacts();
      auto bad = facts.find("bad_credit");
      ASSIGN_OR_RETURN(bool dup, AlreadyEnjoyed(tx, o));
      if (bad != facts.end() && std::holds_alternative<bool>(bad->second) &&
          std::get<bool>(bad->second)) {
        code = "policy.bad_credit";
        reason = "列入严重失信主体名单";
        ++counts[0];
      } else if (dup) {
        code = "policy.duplicate";
        reason = "重复享受：本期已拨付或已在兑现中";
        ++counts[1];
      } else if (o.amount_fen > remaining) {
        code = "policy.insufficient_budget";
        reason = "预算不足：剩余预算 " + FormatYuan(remaining) + " 元，不足兑现 " +
                 FormatYuan(o.amount_fen) + " 元";
        ++counts[2];
      } else {
        remaining -= o.amount_fen;
        ++counts[3];
      }
      o.status = code.empty() ? "pending_review" : "excluded";
      o.reason_code = code;
      o.reason = reason;
      o.updated_at_ms = now;
      RETURN_IF_ERROR(
          tx.Exec("UPDATE policy_offer SET status = ?, reason_code = ?, reason = ?, "
                  "updated_at_ms = ? WHERE id = ?",
                  {o.status, o.reason_code, o.reason, now, o.id}));
    }
    RETURN_IF_ERROR(MarkStep(tx, id, "prereview", now, /*again=*/true));
    RETURN_IF_ERROR(ClearStep(tx, id, "review"));
    RETURN_IF_ERROR(Audit(tx, audit_, actor, "policy.campaign.prereview", "policy_campaign", id,
                          {{"badCredit", counts[0]},
                           {"duplicate", counts[1]},
                           {"insufficientBudget", counts[2]},
                           {"passed", counts[3]}}));
    return CampaignOffers(tx, id);
  });
}

Result<std::vector<Offer>> CampaignService::Review(const Principal& actor, const std::string& id,
                                                   const std::vector<std::string>& offer_ids,
                                                   bool approve, const std::string& reason) {
  RETURN_IF_ERROR(identity::Require(actor, Permission::kReviewCases));
  const std::string why = Trimmed(reason);
  if (!approve && why.empty()) {
    return InvalidArgument("policy.reason_required", "初核不通过须填写理由")
        .WithField("reason", "初核不通过须填写理由");
  }
  const Millis now = clock_.NowMs();
  return store::Transact(db_, [&](store::Tx& tx) -> Result<std::vector<Offer>> {
    ASSIGN_OR_RETURN(Campaign c, LoadCampaign(tx, id));
    RETURN_IF_ERROR(identity::RequireInScope(actor, Permission::kReviewCases, c.department_id));
    ASSIGN_OR_RETURN(bool notified, StepDone(tx, id, "notify"));
    if (notified) {
      return FailedPrecondition("policy.already_notified", "已发出兑现通知，不能再初核");
    }
    std::vector<std::string> ids = offer_ids;
    if (ids.empty()) {
      ASSIGN_OR_RETURN(std::vector<Offer> pending,
                       QueryOffers(tx,
                                   "WHERE campaign_id = ? AND status = 'pending_review' "
                                   "ORDER BY enterprise_id",
                                   {id}));
      for (const Offer& o : pending) ids.push_back(o.id);
      if (ids.empty()) {
        return FailedPrecondition("policy.not_pending_review", "没有待初核的兑现对象");
      }
    }
    for (const std::string& oid : ids) {
      ASSIGN_OR_RETURN(Offer o, LoadOffer(tx, oid));
      if (o.campaign_id != id) {
        return NotFound("policy.offer_not_found", "本批次没有这条兑现记录：" + oid);
      }
      if (o.status != "pending_review") {
        return FailedPrecondition("policy.not_pending_review",
                                  o.enterprise_name + " 不在待初核状态（" +
                                      std::string(OfferStatusLabel(o.status)) + "）");
      }
      RETURN_IF_ERROR(tx.Exec(
          "UPDATE policy_offer SET status = ?, reason_code = ?, reason = ?, reviewed_by = ?, "
          "reviewed_at_ms = ?, updated_at_ms = ? WHERE id = ?",
          {std::string(approve ? "approved" : "rejected"),
           std::string(approve ? "" : "policy.rejected"), approve ? std::string() : why,
           actor.user_id, now, now, oid}));
    }
    ASSIGN_OR_RETURN(std::int64_t left, CountOffers(tx, id, "pending_review"));
    if (left == 0) RETURN_IF_ERROR(MarkStep(tx, id, "review", now));
    json::array reviewed;
    for (const std::string& oid : ids) reviewed.emplace_back(oid);
    json::object details{{"offers", std::move(reviewed)}};
    if (!approve) details["reason"] = why;
    RETURN_IF_ERROR(Audit(tx, audit_, actor,
                          approve ? "policy.offer.approve" : "policy.offer.reject",
                          "policy_campaign", id, std::move(details)));
    return CampaignOffers(tx, id);
  });
}

Result<std::vector<Offer>> CampaignService::Notify(const Principal& actor, const std::string& id) {
  RETURN_IF_ERROR(identity::Require(actor, Permission::kManageCatalog));
  const Millis now = clock_.NowMs();
  return store::Transact(db_, [&](store::Tx& tx) -> Result<std::vector<Offer>> {
    ASSIGN_OR_RETURN(Campaign c, LoadCampaign(tx, id));
    RETURN_IF_ERROR(identity::RequireInScope(actor, Permission::kManageCatalog, c.department_id));
    ASSIGN_OR_RETURN(bool prereviewed, StepDone(tx, id, "prereview"));
    if (!prereviewed) return FailedPrecondition("policy.not_prereviewed", "请先完成系统预审");
    ASSIGN_OR_RETURN(std::int64_t pending, CountOffers(tx, id, "pending_review"));
    if (pending > 0) {
      return FailedPrecondition("policy.review_pending",
                                "还有 " + std::to_string(pending) + " 家企业未完成人工初核");
    }
    ASSIGN_OR_RETURN(std::vector<Offer> approved,
                     QueryOffers(tx,
                                 "WHERE campaign_id = ? AND status = 'approved' "
                                 "ORDER BY enterprise_id",
                                 {id}));
    if (approved.empty()) {
      return FailedPrecondition("policy.nothing_to_notify", "没有初核通过、待通知的企业");
    }
    ASSIGN_OR_RETURN(ItemInfo item, LoadItemInfo(tx, c.item_id));
    ASSIGN_OR_RETURN(std::string confirm_due, StepDue(tx, id, "confirm"));
    std::int64_t sms = 0;
    for (const Offer& o : approved) {
      ASSIGN_OR_RETURN(FactSnapshot snap, SnapshotFromJson(o.snapshot_json));
      notify::Message m;
      m.recipient_party_id = PartyOfUscc(tx, o.enterprise_id).value_or("");
      m.phone = PhoneOf(snap);
      m.title = "免申即享政策兑现通知";
      m.body =
          Cut(o.enterprise_name + "：根据《" + item.policy_title + "》，贵单位符合“" + item.title +
                  "”（" + c.period + "）兑现条件，拟兑现 " + FormatYuan(o.amount_fen) +
                  " 元，无需申请。请于 " + confirm_due + " 前登录平台确认兑现意愿并填写收款账户。",
              notify::kMaxBodyChars);
      m.template_code = "policy.offer.notified";
      m.subject_type = "policy_offer";
      m.subject_id = o.id;
      if (!m.phone.empty() && ValidateMobile(m.phone).has_value()) ++sms;
      RETURN_IF_ERROR(Send(tx, clock_, m));
      RETURN_IF_ERROR(
          tx.Exec("UPDATE policy_offer SET status = 'notified', notified_at_ms = ?, "
                  "updated_at_ms = ? WHERE id = ? AND status = 'approved'",
                  {now, now, o.id}));
    }
    RETURN_IF_ERROR(MarkStep(tx, id, "review", now));
    RETURN_IF_ERROR(MarkStep(tx, id, "notify", now));
    RETURN_IF_ERROR(
        Audit(tx, audit_, actor, "policy.campaign.notify", "policy_campaign", id,
              {{"notified", static_cast<std::int64_t>(approved.size())}, {"sms", sms}}));
    return CampaignOffers(tx, id);
  });
}

Result<std::vector<Offer>> CampaignService::Offers(const Principal& actor, const std::string& id) {
  return store::Read(db_, [&](store::Tx& tx) -> Result<std::vector<Offer>> {
    ASSIGN_OR_RETURN(Campaign c, LoadCampaign(tx, id));
    RETURN_IF_ERROR(RequireStaffOf(actor, c.department_id));
    return CampaignOffers(tx, id);
  });
}

Result<Campaign> CampaignService::Publicize(const Principal& actor, const std::string& id) {
  RETURN_IF_ERROR(identity::Require(actor, Permission::kManageCatalog));
  const Date today = TodayDate(clock_);
  const Millis now = clock_.NowMs();
  return store::Transact(db_, [&](store::Tx& tx) -> Result<Campaign> {
    ASSIGN_OR_RETURN(Campaign c, LoadCampaign(tx, id));
    RETURN_IF_ERROR(identity::RequireInScope(actor, Permission::kManageCatalog, c.department_id));
    if (!c.publicity_from.empty()) {
      return FailedPrecondition("policy.already_publicized", "本批次已经公示");
    }
    ASSIGN_OR_RETURN(store::Rows paid,
                     tx.Query("SELECT COUNT(*) FROM policy_payment WHERE item_id = ? AND "
                              "period = ? AND status = 'paid'",
                              {c.item_id, c.period}));
    if (paid.front().Int(0) == 0) {
      return FailedPrecondition("policy.nothing_paid", "还没有已到账的拨付，无需公示");
    }
    ASSIGN_OR_RETURN(ItemInfo item, LoadItemInfo(tx, c.item_id));
    c.publicity_from = today.ToString();
    c.publicity_to = today.AddDays(std::max(item.publicity_days, 1) - 1).ToString();
    c.updated_at_ms = now;
    RETURN_IF_ERROR(
        tx.Exec("UPDATE policy_campaign SET publicity_from = ?, publicity_to = ?, "
                "updated_at_ms = ? WHERE id = ?",
                {c.publicity_from, c.publicity_to, now, id}));
    RETURN_IF_ERROR(MarkStep(tx, id, "publicize", now));
    RETURN_IF_ERROR(Audit(tx, audit_, actor, "policy.campaign.publicize", "policy_campaign", id,
                          {{"from", c.publicity_from}, {"to", c.publicity_to}}));
    return c;
  });
}

Result<std::vector<Campaign>> CampaignService::Campaigns(const Principal& actor) {
  if (!actor.Has(Permission::kManageCatalog)) {
    RETURN_IF_ERROR(identity::Require(actor, Permission::kReviewCases));
  }
  return store::Read(db_, [&](store::Tx& tx) -> Result<std::vector<Campaign>> {
    ASSIGN_OR_RETURN(
        store::Rows rows,
        tx.Query("SELECT id FROM policy_campaign ORDER BY created_at_ms DESC, id DESC"));
    std::vector<Campaign> out;
    for (const store::Row& r : rows) {
      ASSIGN_OR_RETURN(Campaign c, LoadCampaign(tx, r.Text(0)));
      if (RequireStaffOf(actor, c.department_id).has_value()) out.push_back(std::move(c));
    }
    return out;
  });
}

Result<std::vector<Payment>> CampaignService::Payments(const Principal& actor,
                                                       const std::string& id) {
  return store::Read(db_, [&](store::Tx& tx) -> Result<std::vector<Payment>> {
    ASSIGN_OR_RETURN(Campaign c, LoadCampaign(tx, id));
    RETURN_IF_ERROR(RequireStaffOf(actor, c.department_id));
    return QueryPayments(tx,
                         "WHERE item_id = ? AND period = ? ORDER BY enterprise_id, created_at_ms",
                         {c.item_id, c.period});
  });
}

Result<std::vector<PublicNotice>> CampaignService::Notices() {
  ASSIGN_OR_RETURN(store::Rows rows, store::Read(db_, [](store::Tx& tx) {
                     return tx.Query(
                         "SELECT id FROM policy_campaign WHERE publicity_from <> '' "
                         "ORDER BY publicity_from DESC, id DESC");
                   }));
  std::vector<PublicNotice> out;
  for (const store::Row& r : rows) {
    ASSIGN_OR_RETURN(PublicNotice n, Notice(r.Text(0)));
    out.push_back(std::move(n));
  }
  return out;
}

Result<PublicNotice> CampaignService::Notice(const std::string& campaign_id) {
  return store::Read(db_, [&](store::Tx& tx) -> Result<PublicNotice> {
    Result<Campaign> c = LoadCampaign(tx, campaign_id);
    if (!c.has_value() || c->publicity_from.empty()) {
      return NotFound("policy.notice_not_found", "没有这份公示");
    }
    ASSIGN_OR_RETURN(ItemInfo item, LoadItemInfo(tx, c->item_id));
    PublicNotice n;
    n.campaign_id = c->id;
    n.policy_title = item.policy_title;
    n.doc_no = item.doc_no;
    n.item_title = item.title;
    n.period = c->period;
    n.publicity_from = c->publicity_from;
    n.publicity_to = c->publicity_to;
    ASSIGN_OR_RETURN(std::vector<Payment> paid,
                     QueryPayments(tx,
                                   "WHERE item_id = ? AND period = ? AND status = 'paid' "
                                   "ORDER BY enterprise_id",
                                   {c->item_id, c->period}));
    for (const Payment& p : paid) {
      n.recipients.push_back({p.enterprise_name, p.enterprise_id, p.amount_fen});
      n.total_fen += p.amount_fen;
    }
    return n;
  });
}

// ------------------------------------------------------------------------ the enterprise

Result<Offer> CampaignService::Confirm(const Principal& actor, const std::string& offer_id,
                                       const BankAccount& account) {
  const Millis now = clock_.NowMs();
  const std::string today = Today(clock_);
  return store::Transact(db_, [&](store::Tx& tx) -> Result<Offer> {
    ASSIGN_OR_RETURN(Me me, EnterpriseOf(tx, actor));
    ASSIGN_OR_RETURN(Offer o, LoadOffer(tx, offer_id));
    if (o.enterprise_id != me.uscc) {
      return NotFound("policy.offer_not_found", "没有这条兑现记录：" + offer_id);
    }
    if (o.status == "confirmed" || o.status == "batched" || o.status == "paid") {
      return FailedPrecondition("policy.already_confirmed", "已确认过兑现意愿，无需重复确认");
    }
    if (o.status == "declined") {
      return FailedPrecondition("policy.already_declined", "已放弃本次兑现，不能再确认");
    }
    const std::string expected = o.kind == "quick" ? "approved" : "notified";
    if (o.status != expected) {
      return FailedPrecondition(
          "policy.not_confirmable",
          "当前状态（" + std::string(OfferStatusLabel(o.status)) + "）不能确认兑现");
    }
    if (o.kind == "exempt") {
      ASSIGN_OR_RETURN(std::string due, StepDue(tx, o.campaign_id, "confirm"));
      if (!due.empty() && today > due) {
        return FailedPrecondition("policy.confirm_closed", "意愿确认已于 " + due + " 截止");
      }
    }
    ASSIGN_OR_RETURN(BankAccount checked, CheckAccount(account, o.enterprise_name));
    // The status in the WHERE makes a concurrent second confirmation change nothing.
    ASSIGN_OR_RETURN(
        std::int64_t n,
        tx.Exec("UPDATE policy_offer SET status = 'confirmed', committed = 1, account_name = ?, "
                "bank_name = ?, account_no = ?, confirmed_by = ?, confirmed_by_name = ?, "
                "confirmed_at_ms = ?, updated_at_ms = ? WHERE id = ? AND status = ?",
                {checked.account_name, checked.bank_name, checked.account_no, actor.user_id,
                 actor.display_name, now, now, o.id, expected}));
    if (n != 1) {
      return FailedPrecondition("policy.already_confirmed", "已确认过兑现意愿，无需重复确认");
    }
    ASSIGN_OR_RETURN(bool fits, CommitBudget(tx, o.item_id, o.amount_fen));
    if (!fits) {
      return FailedPrecondition("policy.over_budget",
                                "该事项预算已用完，暂不能确认兑现，请联系主管部门");
    }
    RETURN_IF_ERROR(PostCommit(tx, now, o, actor));
    if (o.kind == "exempt") {
      ASSIGN_OR_RETURN(std::int64_t waiting, CountOffers(tx, o.campaign_id, "notified"));
      if (waiting == 0) RETURN_IF_ERROR(MarkStep(tx, o.campaign_id, "confirm", now));
    }
    ASSIGN_OR_RETURN(Offer out, LoadOffer(tx, o.id));
    json::object details = OfferDetails(out);
    details["bankName"] = checked.bank_name;
    details["accountNo"] = LastFour(checked.account_no);
    RETURN_IF_ERROR(Audit(tx, audit_, actor, "policy.offer.confirm", "policy_offer", o.id,
                          std::move(details), me.party_id));
    return out;
  });
}

Result<Offer> CampaignService::Decline(const Principal& actor, const std::string& offer_id) {
  const Millis now = clock_.NowMs();
  return store::Transact(db_, [&](store::Tx& tx) -> Result<Offer> {
    ASSIGN_OR_RETURN(Me me, EnterpriseOf(tx, actor));
    ASSIGN_OR_RETURN(Offer o, LoadOffer(tx, offer_id));
    if (o.enterprise_id != me.uscc) {
      return NotFound("policy.offer_not_found", "没有这条兑现记录：" + offer_id);
    }
    if (o.status == "confirmed" || o.status == "batched" || o.status == "paid") {
      return FailedPrecondition("policy.already_confirmed", "已确认兑现，不能再放弃");
    }
    if (o.status == "declined") {
      return FailedPrecondition("policy.already_declined", "已放弃本次兑现");
    }
    const std::string expected = o.kind == "quick" ? "approved" : "notified";
    if (o.status != expected) {
      return FailedPrecondition(
          "policy.not_confirmable",
          "当前状态（" + std::string(OfferStatusLabel(o.status)) + "）不能放弃");
    }
    ASSIGN_OR_RETURN(std::int64_t n,
                     tx.Exec("UPDATE policy_offer SET status = 'declined', confirmed_by = ?, "
                             "confirmed_by_name = ?, confirmed_at_ms = ?, updated_at_ms = ? "
                             "WHERE id = ? AND status = ?",
                             {actor.user_id, actor.display_name, now, now, o.id, expected}));
    if (n != 1) return FailedPrecondition("policy.already_declined", "已放弃本次兑现");
    if (o.kind == "exempt") {
      ASSIGN_OR_RETURN(std::int64_t waiting, CountOffers(tx, o.campaign_id, "notified"));
      if (waiting == 0) RETURN_IF_ERROR(MarkStep(tx, o.campaign_id, "confirm", now));
    }
    ASSIGN_OR_RETURN(Offer out, LoadOffer(tx, o.id));
    RETURN_IF_ERROR(Audit(tx, audit_, actor, "policy.offer.decline", "policy_offer", o.id,
                          OfferDetails(out), me.party_id));
    return out;
  });
}

Result<std::vector<Offer>> CampaignService::MyOffers(const Principal& actor) {
  return store::Read(db_, [&](store::Tx& tx) -> Result<std::vector<Offer>> {
    ASSIGN_OR_RETURN(Me me, EnterpriseOf(tx, actor));
    return QueryOffers(tx,
                       "WHERE enterprise_id = ? AND (kind = 'quick' OR status IN ('notified', "
                       "'confirmed', 'declined', 'batched', 'paid')) "
                       "ORDER BY created_at_ms DESC, id DESC",
                       {me.uscc});
  });
}

Result<std::vector<Payment>> CampaignService::MyPayouts(const Principal& actor) {
  return store::Read(db_, [&](store::Tx& tx) -> Result<std::vector<Payment>> {
    ASSIGN_OR_RETURN(Me me, EnterpriseOf(tx, actor));
    return QueryPayments(tx, "WHERE enterprise_id = ? ORDER BY created_at_ms DESC, id DESC",
                         {me.uscc});
  });
}

// --------------------------------------------------------------------------- 快申快享

Result<ApplicationForm> CampaignService::Prefill(const Principal& actor,
                                                 const std::string& item_id) {
  ASSIGN_OR_RETURN(Me me, store::Read(db_, [&](store::Tx& tx) { return EnterpriseOf(tx, actor); }));
  ASSIGN_OR_RETURN(ItemInfo item,
                   store::Read(db_, [&](store::Tx& tx) { return LoadItemInfo(tx, item_id); }));
  if (item.mode != "quick") {
    return FailedPrecondition("policy.not_quick", "该事项为免申即享，无需申请");
  }
  if (item.status != "open" || item.policy_status != "published") {
    return FailedPrecondition("policy.item_not_open", "该事项当前不受理申请");
  }
  ASSIGN_OR_RETURN(ItemRule rule, policies_.CurrentRule(actor, item_id, Today(clock_)));
  Result<FactSnapshot> snap = facts_.Snapshot(me.uscc);
  FactSnapshot s;
  if (snap.has_value()) {
    s = std::move(*snap);
  } else if (snap.error().code != ErrorCode::kNotFound) {
    return std::move(snap).error();
  }
  ApplicationForm f;
  f.item_id = item.id;
  f.item_title = item.title;
  f.rule_version = rule.version;
  f.enterprise_id = me.uscc;
  f.enterprise_name = s.name.empty() ? me.name : s.name;
  std::vector<std::string> keys = FactsRead(rule.cond);
  for (const std::string& k : FactsRead(rule.formula)) {
    if (std::find(keys.begin(), keys.end(), k) == keys.end()) keys.push_back(k);
  }
  for (const std::string& k : keys) {
    PrefillField field;
    field.fact = k;
    if (const FactDef* def = policies_.schema().Find(k)) {
      field.label = def->label;
      field.unit = def->unit;
      field.source = def->source;
    }
    for (const SourcedFact& sf : s.facts) {
      if (sf.fact == k) {
        field.value = sf.value;
        field.source = sf.source;
        field.as_of = sf.as_of;
      }
    }
    f.fields.push_back(std::move(field));
  }
  const Facts facts = s.AsFacts();
  f.explanation = Explain(rule.cond, facts, policies_.schema());
  f.eligible = f.explanation.eligible;
  Result<Fen> amount = Evaluate(rule.formula, facts);
  if (amount.has_value()) f.amount_fen = *amount;
  return f;
}

Result<Offer> CampaignService::Apply(const Principal& actor, const std::string& item_id,
                                     const std::string& period_in) {
  const std::string period = Trimmed(period_in);
  if (!ValidPeriod(period)) return BadPeriod(period, "policy.invalid_application");
  ASSIGN_OR_RETURN(ApplicationForm form, Prefill(actor, item_id));
  ASSIGN_OR_RETURN(ItemInfo item,
                   store::Read(db_, [&](store::Tx& tx) { return LoadItemInfo(tx, item_id); }));
  const std::string today = Today(clock_);
  if ((!item.window_from.empty() && today < item.window_from) ||
      (!item.window_to.empty() && today > item.window_to)) {
    return FailedPrecondition("policy.window_closed",
                              "不在申报期内（" + item.window_from + " 至 " + item.window_to + "）");
  }
  if (!form.eligible) {
    std::string why;
    for (const LeafExplanation& l : form.explanation.leaves) {
      if (l.held == l.negated) why += (why.empty() ? "" : "；") + l.text;
    }
    return FailedPrecondition("policy.not_eligible", "不符合申报条件：" + why);
  }
  if (!form.amount_fen.has_value()) {
    return FailedPrecondition("policy.formula_error", "兑现金额无法测算，请联系主管部门");
  }
  ASSIGN_OR_RETURN(FactSnapshot snap, facts_.Snapshot(form.enterprise_id));
  const Millis now = clock_.NowMs();
  return store::Transact(db_, [&](store::Tx& tx) -> Result<Offer> {
    ASSIGN_OR_RETURN(Me me, EnterpriseOf(tx, actor));
    ASSIGN_OR_RETURN(
        store::Rows existing,
        tx.Query("SELECT COUNT(*) FROM policy_offer WHERE item_id = ? AND period = ? AND "
                 "enterprise_id = ? AND status NOT IN ('rejected', 'declined', 'excluded', "
                 "'matched')",
                 {item_id, period, me.uscc}));
    if (existing.front().Int(0) > 0) {
      return FailedPrecondition("policy.already_applied", "本期已申请或已在兑现中，不能重复申请");
    }
    Offer o;
    o.id = NewUlid(now);
    o.item_id = item_id;
    o.period = period;
    o.kind = "quick";
    o.enterprise_id = me.uscc;
    o.enterprise_name = form.enterprise_name;
    o.rule_version = form.rule_version;
    o.snapshot_json = SnapshotToJson(snap);
    o.amount_fen = *form.amount_fen;
    o.status = "pending_review";
    o.created_at_ms = o.updated_at_ms = now;
    RETURN_IF_ERROR(tx.Exec(
        std::string("INSERT INTO policy_offer (") + kOfferCols +
            ", created_by) VALUES (?, NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?, '', '', 0, '', '', '', '', "
            "NULL, NULL, '', '', NULL, ?, ?, ?)",
        {o.id, o.item_id, o.period, o.kind, o.enterprise_id, o.enterprise_name,
         std::int64_t{o.rule_version}, o.snapshot_json, o.amount_fen, o.status, now, now,
         actor.user_id}));
    RETURN_IF_ERROR(EnsureBudget(tx, item_id));
    RETURN_IF_ERROR(Audit(tx, audit_, actor, "policy.application.submit", "policy_offer", o.id,
                          OfferDetails(o), me.party_id));
    return o;
  });
}

Result<Offer> CampaignService::ReviewApplication(const Principal& actor,
                                                 const std::string& offer_id, bool approve,
                                                 const std::string& reason) {
  RETURN_IF_ERROR(identity::Require(actor, Permission::kReviewCases));
  const std::string why = Trimmed(reason);
  if (!approve && why.empty()) {
    return InvalidArgument("policy.reason_required", "审核不通过须填写理由")
        .WithField("reason", "审核不通过须填写理由");
  }
  const Millis now = clock_.NowMs();
  return store::Transact(db_, [&](store::Tx& tx) -> Result<Offer> {
    ASSIGN_OR_RETURN(Offer o, LoadOffer(tx, offer_id));
    if (o.kind != "quick") {
      return NotFound("policy.offer_not_found", "没有这条快申快享申请：" + offer_id);
    }
    ASSIGN_OR_RETURN(ItemInfo item, LoadItemInfo(tx, o.item_id));
    RETURN_IF_ERROR(identity::RequireInScope(actor, Permission::kReviewCases, item.department_id));
    if (o.status != "pending_review") {
      return FailedPrecondition(
          "policy.not_pending_review",
          "该申请不在待审核状态（" + std::string(OfferStatusLabel(o.status)) + "）");
    }
    ASSIGN_OR_RETURN(std::int64_t n,
                     tx.Exec("UPDATE policy_offer SET status = ?, reason_code = ?, reason = ?, "
                             "reviewed_by = ?, reviewed_at_ms = ?, updated_at_ms = ? "
                             "WHERE id = ? AND status = 'pending_review'",
                             {std::string(approve ? "approved" : "rejected"),
                              std::string(approve ? "" : "policy.rejected"),
                              approve ? std::string() : why, actor.user_id, now, now, o.id}));
    RETURN_IF_ERROR(store::CheckVersion(n));
    notify::Message m;
    m.recipient_party_id = PartyOfUscc(tx, o.enterprise_id).value_or("");
    m.title = approve ? "快申快享申请已通过" : "快申快享申请未通过";
    m.body = Cut(approve ? "您申请的“" + item.title + "”（" + o.period + "）已审核通过，拟兑现 " +
                               FormatYuan(o.amount_fen) + " 元。请登录平台确认收款账户。"
                         : "您申请的“" + item.title + "”（" + o.period + "）未通过审核：" + why,
                 notify::kMaxBodyChars);
    m.template_code = approve ? "policy.application.approved" : "policy.application.rejected";
    m.subject_type = "policy_offer";
    m.subject_id = o.id;
    RETURN_IF_ERROR(Send(tx, clock_, m));
    ASSIGN_OR_RETURN(Offer out, LoadOffer(tx, o.id));
    json::object details = OfferDetails(out);
    if (!approve) details["reason"] = why;
    RETURN_IF_ERROR(Audit(
        tx, audit_, actor, approve ? "policy.application.approve" : "policy.application.reject",
        "policy_offer", o.id, std::move(details),
        m.recipient_party_id.empty() ? std::nullopt
                                     : std::optional<std::string>(m.recipient_party_id)));
    return out;
  });
}

Result<std::vector<Offer>> CampaignService::ReviewQueue(const Principal& actor) {
  RETURN_IF_ERROR(identity::Require(actor, Permission::kReviewCases));
  return store::Read(db_, [&](store::Tx& tx) -> Result<std::vector<Offer>> {
    ASSIGN_OR_RETURN(store::Rows rows,
                     tx.Query("SELECT o.id, i.department_id FROM policy_offer o JOIN policy_item i "
                              "ON i.id = o.item_id WHERE o.kind = 'quick' AND o.status = "
                              "'pending_review' ORDER BY o.created_at_ms, o.id"));
    std::vector<Offer> out;
    for (const store::Row& r : rows) {
      if (!actor.CoversDepartment(r.Text(1))) continue;
      ASSIGN_OR_RETURN(Offer o, LoadOffer(tx, r.Text(0)));
      out.push_back(std::move(o));
    }
    return out;
  });
}

// -------------------------------------------------------------------------- payments

namespace {

// Turns the confirmed offers of (item, period, kind) into payments of one new batch. Each offer
// is claimed with a conditional UPDATE first, so concurrent batches never take the same one;
// the unique index on policy_payment is the last guard.
Result<PaymentBatch> MakeBatch(store::Tx& tx, const audit::AuditLog& audit, const Principal& actor,
                               Millis now, const ItemInfo& item, const std::string& period,
                               const std::string& campaign_id, const std::string& kind) {
  ASSIGN_OR_RETURN(std::vector<Offer> offers,
                   QueryOffers(tx,
                               "WHERE item_id = ? AND period = ? AND kind = ? AND "
                               "status = 'confirmed' ORDER BY enterprise_id, id",
                               {item.id, period, kind}));
  PaymentBatch b;
  b.id = NewUlid(now);
  b.item_id = item.id;
  b.period = period;
  b.campaign_id = campaign_id;
  b.created_at_ms = now;
  RETURN_IF_ERROR(tx.Exec(
      "INSERT INTO policy_payment_batch (id, item_id, period, campaign_id, payments, total_fen, "
      "created_by, created_at_ms) VALUES (?, ?, ?, ?, 0, 0, ?, ?)",
      {b.id, item.id, period, campaign_id.empty() ? store::kNull : store::Value(campaign_id),
       actor.user_id, now}));
  for (const Offer& o : offers) {
    ASSIGN_OR_RETURN(std::int64_t claimed,
                     tx.Exec("UPDATE policy_offer SET status = 'batched', updated_at_ms = ? "
                             "WHERE id = ? AND status = 'confirmed'",
                             {now, o.id}));
    if (claimed != 1) continue;  // another batch took it
    ASSIGN_OR_RETURN(store::Rows live,
                     tx.Query("SELECT COUNT(*) FROM policy_payment WHERE item_id = ? AND "
                              "period = ? AND enterprise_id = ? AND status <> 'failed'",
                              {o.item_id, o.period, o.enterprise_id}));
    if (live.front().Int(0) > 0) {
      RETURN_IF_ERROR(tx.Exec("UPDATE policy_offer SET status = 'confirmed' WHERE id = ?", {o.id}));
      b.skipped.push_back(o.enterprise_name + "：本期已有拨付记录");
      continue;
    }
    if (!o.committed) {
      // Released by a failed payment: commit again, if the budget still covers it.
      ASSIGN_OR_RETURN(bool fits, CommitBudget(tx, o.item_id, o.amount_fen));
      if (!fits) {
        RETURN_IF_ERROR(
            tx.Exec("UPDATE policy_offer SET status = 'confirmed' WHERE id = ?", {o.id}));
        b.skipped.push_back(o.enterprise_name + "：预算不足");
        continue;
      }
      RETURN_IF_ERROR(tx.Exec("UPDATE policy_offer SET committed = 1 WHERE id = ?", {o.id}));
      RETURN_IF_ERROR(PostCommit(tx, now, o, actor));
    }
    Payment p;
    p.id = NewUlid(now);
    p.voucher_no = "ZF" + p.id;
    p.batch_id = b.id;
    p.offer_id = o.id;
    p.item_id = o.item_id;
    p.period = o.period;
    p.enterprise_id = o.enterprise_id;
    p.enterprise_name = o.enterprise_name;
    p.amount_fen = o.amount_fen;
    p.account = o.account;
    p.status = "pending";
    p.created_at_ms = now;
    RETURN_IF_ERROR(
        tx.Exec(std::string("INSERT INTO policy_payment (") + kPaymentCols +
                    ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '', '', NULL, '', NULL, ?)",
                {p.id, p.voucher_no, p.batch_id, p.offer_id, p.item_id, p.period, p.enterprise_id,
                 p.enterprise_name, p.amount_fen, p.account.account_name, p.account.bank_name,
                 p.account.account_no, p.status, now}));
    b.total_fen += p.amount_fen;
    b.payments.push_back(std::move(p));
  }
  if (b.payments.empty()) {
    return FailedPrecondition(
        "policy.nothing_to_pay",
        b.skipped.empty() ? "没有已确认、待拨付的企业" : "没有可拨付的企业：" + b.skipped.front());
  }
  RETURN_IF_ERROR(
      tx.Exec("UPDATE policy_payment_batch SET payments = ?, total_fen = ? WHERE id = ?",
              {static_cast<std::int64_t>(b.payments.size()), b.total_fen, b.id}));
  b.csv = BatchCsv(b.payments, Purpose(item.title, period));
  json::array skipped;
  for (const std::string& s : b.skipped) skipped.emplace_back(s);
  RETURN_IF_ERROR(Audit(tx, audit, actor, "policy.batch.create", "policy_payment_batch", b.id,
                        {{"itemId", item.id},
                         {"period", period},
                         {"payments", static_cast<std::int64_t>(b.payments.size())},
                         {"totalFen", b.total_fen},
                         {"skipped", std::move(skipped)}}));
  return b;
}

}  // namespace

Result<PaymentBatch> CampaignService::CreateBatch(const Principal& actor, const std::string& id) {
  RETURN_IF_ERROR(identity::Require(actor, Permission::kManageCatalog));
  const Millis now = clock_.NowMs();
  return store::Transact(db_, [&](store::Tx& tx) -> Result<PaymentBatch> {
    ASSIGN_OR_RETURN(Campaign c, LoadCampaign(tx, id));
    RETURN_IF_ERROR(identity::RequireInScope(actor, Permission::kManageCatalog, c.department_id));
    ASSIGN_OR_RETURN(ItemInfo item, LoadItemInfo(tx, c.item_id));
    return MakeBatch(tx, audit_, actor, now, item, c.period, c.id, "exempt");
  });
}

Result<PaymentBatch> CampaignService::CreateApplicationBatch(const Principal& actor,
                                                             const std::string& item_id,
                                                             const std::string& period_in) {
  RETURN_IF_ERROR(identity::Require(actor, Permission::kManageCatalog));
  const std::string period = Trimmed(period_in);
  if (!ValidPeriod(period)) return BadPeriod(period, "policy.invalid_batch");
  const Millis now = clock_.NowMs();
  return store::Transact(db_, [&](store::Tx& tx) -> Result<PaymentBatch> {
    ASSIGN_OR_RETURN(ItemInfo item, LoadItemInfo(tx, item_id));
    RETURN_IF_ERROR(
        identity::RequireInScope(actor, Permission::kManageCatalog, item.department_id));
    return MakeBatch(tx, audit_, actor, now, item, period, "", "quick");
  });
}

Result<PaymentBatch> CampaignService::Batch(const Principal& actor, const std::string& batch_id) {
  RETURN_IF_ERROR(identity::Require(actor, Permission::kManageCatalog));
  return store::Read(db_, [&](store::Tx& tx) -> Result<PaymentBatch> {
    ASSIGN_OR_RETURN(
        store::Row r,
        tx.QueryOne("SELECT id, item_id, period, campaign_id, total_fen, "
                    "created_at_ms FROM policy_payment_batch WHERE id = ?",
                    {batch_id}, "policy.batch_not_found", "没有这个拨付批次：" + batch_id));
    PaymentBatch b;
    b.id = r.Text(0);
    b.item_id = r.Text(1);
    b.period = r.Text(2);
    b.campaign_id = r.Text(3);
    b.total_fen = r.Int(4);
    b.created_at_ms = r.Int(5);
    ASSIGN_OR_RETURN(ItemInfo item, LoadItemInfo(tx, b.item_id));
    RETURN_IF_ERROR(
        identity::RequireInScope(actor, Permission::kManageCatalog, item.department_id));
    ASSIGN_OR_RETURN(b.payments,
                     QueryPayments(tx, "WHERE batch_id = ? ORDER BY enterprise_id, id", {b.id}));
    b.csv = BatchCsv(b.payments, Purpose(item.title, b.period));
    return b;
  });
}

Result<ReconcileReport> CampaignService::Reconcile(const Principal& actor, const std::string& csv) {
  RETURN_IF_ERROR(identity::Require(actor, Permission::kManageCatalog));
  std::string_view body = csv;
  if (body.starts_with("\xEF\xBB\xBF")) body.remove_prefix(3);
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start <= body.size()) {
    std::size_t end = body.find('\n', start);
    if (end == std::string_view::npos) end = body.size();
    std::string_view line = body.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.emplace_back(line);
    start = end + 1;
  }
  const std::vector<std::string> header =
      lines.empty() ? std::vector<std::string>{} : SplitCsvLine(lines.front());
  if (header.size() < 4 || header[0] != "支付凭证号" || header[1] != "结果" ||
      header[2] != "银行流水号" || header[3] != "说明") {
    return InvalidArgument("policy.reconcile_file",
                           "对账文件第一行应为：支付凭证号,结果,银行流水号,说明");
  }
  const Millis now = clock_.NowMs();
  return store::Transact(db_, [&](store::Tx& tx) -> Result<ReconcileReport> {
    ReconcileReport report;
    std::vector<std::string> campaigns;
    for (std::size_t i = 1; i < lines.size(); ++i) {
      if (Trimmed(lines[i]).empty()) continue;
      const std::string at = "第" + std::to_string(i + 1) + "行：";
      std::vector<std::string> f = SplitCsvLine(lines[i]);
      f.resize(std::max<std::size_t>(f.size(), 4));
      const std::string& voucher = f[0];
      const std::string& result = f[1];
      const std::string& serial = f[2];
      const std::string& note = f[3];
      if (voucher.empty()) {
        report.errors.push_back(at + "缺少支付凭证号");
        continue;
      }
      if (result != "成功" && result != "失败") {
        report.errors.push_back(at + "结果只能是“成功”或“失败”：" + result);
        continue;
      }
      if (result == "成功" && serial.empty()) {
        report.errors.push_back(at + "支付成功须有银行流水号");
        continue;
      }
      ASSIGN_OR_RETURN(std::vector<Payment> found,
                       QueryPayments(tx, "WHERE voucher_no = ?", {voucher}));
      if (found.empty()) {
        report.errors.push_back(at + "没有这个支付凭证号：" + voucher);
        continue;
      }
      const Payment& p = found.front();
      ASSIGN_OR_RETURN(ItemInfo item, LoadItemInfo(tx, p.item_id));
      if (!actor.CoversDepartment(item.department_id)) {
        report.errors.push_back(at + "无权对账其他部门的拨付：" + voucher);
        continue;
      }
      if (p.status != "pending") {
        report.errors.push_back(at + "支付凭证号 " + voucher + " 已对账，不能重复对账");
        continue;
      }
      const bool ok = result == "成功";
      ASSIGN_OR_RETURN(
          std::int64_t n,
          tx.Exec("UPDATE policy_payment SET status = ?, bank_serial = ?, "
                  "bank_note = ?, result_at_ms = ? WHERE id = ? AND status = 'pending'",
                  {std::string(ok ? "paid" : "failed"), serial, note, now, p.id}));
      RETURN_IF_ERROR(store::CheckVersion(n));
      LedgerTxn t;
      t.item_id = p.item_id;
      t.offer_id = p.offer_id;
      t.payment_id = p.id;
      t.created_by = actor.user_id;
      if (ok) {
        t.kind = "pay";
        t.memo = "银行支付成功，流水号 " + serial;
        t.entries = {{std::string(kAccountPayable), -p.amount_fen},
                     {std::string(kAccountPaid), p.amount_fen}};
        RETURN_IF_ERROR(
            tx.Exec("UPDATE policy_offer SET status = 'paid', updated_at_ms = ? "
                    "WHERE id = ?",
                    {now, p.offer_id}));
        ++report.paid;
      } else {
        t.kind = "release";
        t.memo = "银行支付失败，释放预算：" + note;
        t.entries = {{std::string(kAccountPayable), -p.amount_fen},
                     {std::string(kAccountBudget), p.amount_fen}};
        RETURN_IF_ERROR(
            tx.Exec("UPDATE policy_budget SET committed_fen = committed_fen - ? WHERE item_id = ?",
                    {p.amount_fen, p.item_id}));
        RETURN_IF_ERROR(
            tx.Exec("UPDATE policy_offer SET status = 'confirmed', committed = 0, "
                    "updated_at_ms = ? WHERE id = ?",
                    {now, p.offer_id}));
        ++report.failed;
      }
      RETURN_IF_ERROR(PostLedger(tx, now, std::move(t)));
      ASSIGN_OR_RETURN(Offer o, LoadOffer(tx, p.offer_id));
      if (!o.campaign_id.empty() &&
          std::find(campaigns.begin(), campaigns.end(), o.campaign_id) == campaigns.end()) {
        campaigns.push_back(o.campaign_id);
      }
    }
    for (const std::string& cid : campaigns) {
      ASSIGN_OR_RETURN(store::Rows open,
                       tx.Query("SELECT COUNT(*) FROM policy_offer WHERE campaign_id = ? AND "
                                "status IN ('confirmed', 'batched')",
                                {cid}));
      if (open.front().Int(0) == 0) RETURN_IF_ERROR(MarkStep(tx, cid, "pay", now));
    }
    if (report.paid + report.failed > 0) {
      RETURN_IF_ERROR(Audit(tx, audit_, actor, "policy.payment.reconcile", "policy_payment", "",
                            {{"paid", report.paid},
                             {"failed", report.failed},
                             {"errors", static_cast<std::int64_t>(report.errors.size())}}));
    }
    return report;
  });
}

Result<Payment> CampaignService::Clawback(const Principal& actor, const std::string& payment_id,
                                          const std::string& reason) {
  RETURN_IF_ERROR(identity::Require(actor, Permission::kManageCatalog));
  const std::string why = Trimmed(reason);
  if (why.empty()) {
    return InvalidArgument("policy.reason_required", "追回资金须填写理由")
        .WithField("reason", "追回资金须填写理由");
  }
  const Millis now = clock_.NowMs();
  return store::Transact(db_, [&](store::Tx& tx) -> Result<Payment> {
    ASSIGN_OR_RETURN(std::vector<Payment> found, QueryPayments(tx, "WHERE id = ?", {payment_id}));
    if (found.empty()) {
      return NotFound("policy.payment_not_found", "没有这笔拨付：" + payment_id);
    }
    Payment p = found.front();
    ASSIGN_OR_RETURN(ItemInfo item, LoadItemInfo(tx, p.item_id));
    RETURN_IF_ERROR(
        identity::RequireInScope(actor, Permission::kManageCatalog, item.department_id));
    if (p.status != "paid") {
      return FailedPrecondition("policy.not_paid", "只有已到账的拨付可以追回");
    }
    ASSIGN_OR_RETURN(std::int64_t n,
                     tx.Exec("UPDATE policy_payment SET status = 'clawed_back', "
                             "clawback_reason = ?, clawback_at_ms = ? WHERE id = ? AND "
                             "status = 'paid'",
                             {why, now, p.id}));
    RETURN_IF_ERROR(store::CheckVersion(n));
    LedgerTxn t;
    t.item_id = p.item_id;
    t.kind = "clawback";
    t.offer_id = p.offer_id;
    t.payment_id = p.id;
    t.memo = "追回：" + why;
    t.created_by = actor.user_id;
    t.entries = {{std::string(kAccountPaid), -p.amount_fen},
                 {std::string(kAccountClawback), p.amount_fen}};
    RETURN_IF_ERROR(PostLedger(tx, now, std::move(t)));
    p.status = "clawed_back";
    p.clawback_reason = why;
    p.clawback_at_ms = now;
    RETURN_IF_ERROR(
        Audit(tx, audit_, actor, "policy.payment.clawback", "policy_payment", p.id,
              {{"enterpriseId", p.enterprise_id}, {"amountFen", p.amount_fen}, {"reason", why}},
              PartyOfUscc(tx, p.enterprise_id)));
    return p;
  });
}

Result<PaymentTrace> CampaignService::Trace(const Principal& actor, const std::string& payment_id) {
  return store::Read(db_, [&](store::Tx& tx) -> Result<PaymentTrace> {
    ASSIGN_OR_RETURN(std::vector<Payment> found, QueryPayments(tx, "WHERE id = ?", {payment_id}));
    if (found.empty()) {
      return NotFound("policy.payment_not_found", "没有这笔拨付：" + payment_id);
    }
    PaymentTrace t;
    t.payment = found.front();
    ASSIGN_OR_RETURN(ItemInfo item, LoadItemInfo(tx, t.payment.item_id));
    if (actor.enterprise_id.has_value()) {
      ASSIGN_OR_RETURN(Me me, EnterpriseOf(tx, actor));
      if (me.uscc != t.payment.enterprise_id) {
        return NotFound("policy.payment_not_found", "没有这笔拨付：" + payment_id);
      }
    } else {
      RETURN_IF_ERROR(RequireStaffOf(actor, item.department_id));
    }
    t.policy_id = item.policy_id;
    t.policy_title = item.policy_title;
    t.doc_no = item.doc_no;
    t.item_id = item.id;
    t.item_title = item.title;
    t.period = t.payment.period;
    ASSIGN_OR_RETURN(t.offer, LoadOffer(tx, t.payment.offer_id));
    t.rule_version = t.offer.rule_version;
    ASSIGN_OR_RETURN(store::Row rule,
                     tx.QueryOne("SELECT cond_json, formula_json, effective_from FROM "
                                 "policy_item_rule WHERE item_id = ? AND version = ?",
                                 {item.id, std::int64_t{t.rule_version}}, "policy.no_rule_in_force",
                                 "找不到兑现所依据的规则版本"));
    ASSIGN_OR_RETURN(Cond cond, FromJsonText(rule.Text(0), nullptr));
    ASSIGN_OR_RETURN(Formula formula, FormulaFromJsonText(rule.Text(1), nullptr));
    t.rule_text = ToText(cond, policies_.schema(), /*chinese=*/true);
    t.formula_text = FormulaToText(formula, policies_.schema(), /*chinese=*/true);
    t.rule_effective_from = rule.Text(2);
    ASSIGN_OR_RETURN(t.snapshot, SnapshotFromJson(t.offer.snapshot_json));
    ASSIGN_OR_RETURN(
        store::Row batch,
        tx.QueryOne("SELECT created_at_ms FROM policy_payment_batch WHERE id = ?",
                    {t.payment.batch_id}, "policy.batch_not_found", "没有这个拨付批次"));
    t.batch_created_at_ms = batch.Int(0);
    ASSIGN_OR_RETURN(t.ledger, LedgerOfOffer(tx, t.offer.id));
    return t;
  });
}

}  // namespace onestop::policy
