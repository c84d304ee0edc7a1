#include "cases/appointment_service.h"

#include <openssl/evp.h>

#include <algorithm>
#include <boost/json.hpp>
#include <cstdio>
#include <map>
#include <set>
#include <utility>

#include "cases/appointment_json.h"
#include "core/id_number.h"
#include "core/ids.h"
#include "core/region.h"
#include "core/text.h"
#include "notify/notify.h"

namespace onestop::cases {
namespace json = boost::json;
using identity::Permission;
using identity::Principal;
using text::CountCodePoints;
using text::TrimSpace;

namespace {

constexpr Millis kMinuteMs = 60'000;
// A booked slot that ended this long ago without a check-in is a no-show.
constexpr Millis kNoShowGraceMs = 30 * kMinuteMs;
// Rows one sweep handles per kind; the sweeper runs every minute.
constexpr int kSweepBatch = 500;
constexpr int kMaxPeriods = 8;
constexpr int kMaxCounterTypes = 20;

// --- times of day ----------------------------------------------------------------------------

// "HH:MM" (00:00–23:59) as minutes after midnight, or nullopt.
std::optional<int> MinutesOf(std::string_view hhmm) {
  if (hhmm.size() != 5 || hhmm[2] != ':') return std::nullopt;
  for (std::size_t i : {0u, 1u, 3u, 4u}) {
    if (hhmm[i] < '0' || hhmm[i] > '9') return std::nullopt;
  }
  const int h = (hhmm[0] - '0') * 10 + (hhmm[1] - '0');
  const int m = (hhmm[3] - '0') * 10 + (hhmm[4] - '0');
  if (h > 23 || m > 59) return std::nullopt;
  return h * 60 + m;
}

std::string HhMm(int minutes) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%02d:%02d", (minutes / 60) % 100, minutes % 60);
  return buf;
}

// One slot of a day as the schedule makes it.
struct SlotDef {
  int start = 0;
  int end = 0;
  bool extended = false;
};

HallDayKind KindOf(const HallSchedule& s, const DayInfo& day) {
  if (day.workday) {
    return s.workday.empty() && s.evening.empty() ? HallDayKind::kClosed : HallDayKind::kWorkday;
  }
  if (day.kind == DayKind::kHoliday && !s.restday_on_holidays) return HallDayKind::kClosed;
  return s.restday.empty() ? HallDayKind::kClosed : HallDayKind::kRestday;
}

std::vector<SlotDef> SlotsOf(const HallSchedule& s, HallDayKind kind) {
  std::vector<SlotDef> out;
  if (s.slot_minutes <= 0) return out;
  auto add = [&](const std::vector<Period>& periods, bool extended) {
    for (const Period& p : periods) {
      const std::optional<int> from = MinutesOf(p.from);
      const std::optional<int> to = MinutesOf(p.to);
      if (!from || !to) continue;
      for (int t = *from; t + s.slot_minutes <= *to; t += s.slot_minutes) {
        out.push_back({t, t + s.slot_minutes, extended});
      }
    }
  };
  if (kind == HallDayKind::kWorkday) {
    add(s.workday, false);
    add(s.evening, true);  // 延时服务
  } else if (kind == HallDayKind::kRestday) {
    add(s.restday, true);  // 周末服务
  }
  std::sort(out.begin(), out.end(),
            [](const SlotDef& a, const SlotDef& b) { return a.start < b.start; });
  return out;
}

Millis InstantOf(const Date& date, int minutes) {
  return date.StartOfDayMs() + Millis{minutes} * kMinuteMs;
}

std::int64_t DaysBetween(const Date& from, const Date& to) {
  return to.DaysSinceEpoch() - from.DaysSinceEpoch();
}

int Ymd(const Date& d) { return d.year * 10000 + d.month * 100 + d.day; }

bool Contains(const std::vector<std::string>& list, const std::string& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

// --- personal numbers ------------------------------------------------------------------------

// hex(SHA-256(text)): who booked, for "one active booking a day", without storing the number.
std::string Sha256Hex(std::string_view text) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(text.data(), text.size(), digest, &len, EVP_sha256(), nullptr);
  static const char* kHex = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < len; ++i) {
    out += kHex[digest[i] >> 4];
    out += kHex[digest[i] & 0xF];
  }
  return out;
}

// --- rows ------------------------------------------------------------------------------------

constexpr const char* kHallColumns =
    "id, code, name, region_code, address, phone, active, schedule_json, counter_types_json, "
    "version";

Result<Hall> HallFromRow(const store::Row& r) {
  Hall h;
  h.id = r.Text(0);
  h.code = r.Text(1);
  h.name = r.Text(2);
  h.region_code = r.Text(3);
  h.address = r.Text(4);
  h.phone = r.Text(5);
  h.active = r.Bool(6);
  ASSIGN_OR_RETURN(h.schedule, ScheduleFromJson(r.Text(7)));
  ASSIGN_OR_RETURN(h.counter_types, CounterTypesFromJson(r.Text(8)));
  h.version = r.Int(9);
  return h;
}

Result<Hall> LoadHall(store::Tx& tx, const std::string& id) {
  ASSIGN_OR_RETURN(
      store::Row row,
      tx.QueryOne(std::string("SELECT ") + kHallColumns + " FROM appt_hall WHERE id = ?", {id},
                  "appointments.hall_not_found", "服务大厅不存在"));
  return HallFromRow(row);
}

constexpr const char* kBookingColumns =
    "id, booking_no, hall_id, hall_name, counter_type, counter_type_name, slot_date, slot_start, "
    "slot_end, starts_at_ms, ends_at_ms, extended, item_code, bundle_code, subject_name, "
    "applicant_name, phone, status, cancel_reason, created_at_ms, checked_in_at_ms, case_id, "
    "version, applicant_party_id, applicant_user_id, booked_by, applicant_kind";

// A booking as stored, with what is not shown to everyone.
struct BookingRecord {
  Booking b;
  std::string applicant_name;  // whole
  std::string phone;           // whole
  std::string party_id, user_id, booked_by;
  std::string kind;  // person / enterprise
};

BookingRecord BookingFromRow(const store::Row& r) {
  BookingRecord rec;
  Booking& b = rec.b;
  b.id = r.Text(0);
  b.booking_no = r.Text(1);
  b.hall_id = r.Text(2);
  b.hall_name = r.Text(3);
  b.counter_type = r.Text(4);
  b.counter_type_name = r.Text(5);
  b.date = Date::Parse(r.Text(6)).value_or(Date{});
  b.start = r.Text(7);
  b.end = r.Text(8);
  b.starts_at_ms = r.Int(9);
  b.ends_at_ms = r.Int(10);
  b.extended = r.Bool(11);
  b.item_code = r.Text(12);
  b.bundle_code = r.Text(13);
  b.subject_name = r.Text(14);
  rec.applicant_name = r.Text(15);
  rec.phone = r.Text(16);
  b.status = ParseBookingStatus(r.Text(17)).value_or(BookingStatus::kBooked);
  b.cancel_reason = r.Text(18);
  b.created_at_ms = r.Int(19);
  b.checked_in_at_ms = r.OptInt(20);
  b.case_id = r.Text(21);
  b.version = r.Int(22);
  rec.party_id = r.Text(23);
  rec.user_id = r.Text(24);
  rec.booked_by = r.Text(25);
  rec.kind = r.Text(26);
  return rec;
}

Result<BookingRecord> LoadBooking(store::Tx& tx, const std::string& id) {
  ASSIGN_OR_RETURN(store::Row row, tx.QueryOne(std::string("SELECT ") + kBookingColumns +
                                                   " FROM appt_booking WHERE id = ?",
                                               {id}, "appointments.not_found", "预约不存在"));
  return BookingFromRow(row);
}

// The booking as `staff_view` (whole name) or anyone else (a person's name masked; an
// enterprise's name is public) sees it.
Booking Publish(const BookingRecord& rec, bool staff_view) {
  Booking b = rec.b;
  b.applicant_name =
      staff_view || rec.kind == "enterprise" ? rec.applicant_name : MaskName(rec.applicant_name);
  b.phone_masked = MaskPhone(rec.phone);
  return b;
}

bool StaffView(const Principal& actor) {
  return actor.kind == identity::UserKind::kStaff && actor.Has(Permission::kIntakeCases);
}

bool IsBooker(const Principal& actor, const BookingRecord& rec) {
  if (!rec.booked_by.empty() && rec.booked_by == actor.user_id) return true;
  if (!rec.user_id.empty() && rec.user_id == actor.user_id) return true;
  if (rec.party_id.empty()) return false;
  return (actor.person_id && *actor.person_id == rec.party_id) ||
         (actor.enterprise_id && *actor.enterprise_id == rec.party_id);
}

// --- the counter a booking goes to -----------------------------------------------------------

// The counter type `code`, or (when empty) the one serving the item / bundle: one that lists it
// before a general one. kNotFound appointments.no_such_counter; kInvalidArgument
// appointments.counter_not_for_item.
Result<const CounterType*> ResolveCounter(const Hall& hall, const std::string& code,
                                          const std::string& item_code,
                                          const std::string& bundle_code) {
  if (!code.empty()) {
    for (const CounterType& c : hall.counter_types) {
      if (c.code != code) continue;
      const bool serves = c.IsGeneral() || (item_code.empty() && bundle_code.empty()) ||
                          (!item_code.empty() && Contains(c.item_codes, item_code)) ||
                          (!bundle_code.empty() && Contains(c.bundle_codes, bundle_code));
      if (!serves) {
        return InvalidArgument("appointments.counter_not_for_item",
                               "“" + c.name + "”不办理所选" +
                                   (item_code.empty() ? "一件事" : "事项") +
                                   "，请选择综合受理窗口或对应的专区")
            .WithField("counterType", "该窗口不办理所选事项");
      }
      return &c;
    }
    return NotFound("appointments.no_such_counter",
                    "“" + hall.name + "”没有编码为“" + code + "”的窗口类型")
        .WithField("counterType", "窗口类型不存在");
  }
  for (const CounterType& c : hall.counter_types) {
    if (!item_code.empty() && Contains(c.item_codes, item_code)) return &c;
  }
  for (const CounterType& c : hall.counter_types) {
    if (!bundle_code.empty() && Contains(c.bundle_codes, bundle_code)) return &c;
  }
  for (const CounterType& c : hall.counter_types) {
    if (c.IsGeneral()) return &c;
  }
  return InvalidArgument("appointments.counter_not_for_item",
                         "“" + hall.name + "”没有办理所选" +
                             (item_code.empty() ? "一件事" : "事项") + "的窗口，请选择其他大厅");
}

// --- audit and notices -----------------------------------------------------------------------

Result<void> Audit(store::Tx& tx, const audit::AuditLog& audit, const Principal& actor,
                   const std::string& action, const std::string& subject_type,
                   const std::string& subject_id, const std::string& party_id,
                   json::object details) {
  audit::Record r;
  r.action = action;
  r.subject_type = subject_type;
  r.subject_id = subject_id;
  if (!party_id.empty()) r.subject_party_id = party_id;
  r.details_json = json::serialize(details);
  RETURN_IF_ERROR(audit.Append(tx, identity::ActorOf(actor), r));
  return Ok();
}

json::object BookingDetails(const Booking& b) {
  return {
      {"bookingNo", b.booking_no}, {"hallId", b.hall_id}, {"counterType", b.counter_type},
      {"date", b.date.ToString()}, {"start", b.start},    {"status", BookingStatusCode(b.status)}};
}

// Tells the applicant about `rec` (inbox of their account / party when known, SMS to the phone).
Result<void> Tell(store::Tx& tx, const Clock& clock, const BookingRecord& rec,
                  const std::string& template_code, const std::string& title,
                  const std::string& body) {
  notify::Message m;
  m.recipient_user_id = rec.user_id;
  m.recipient_party_id = rec.party_id;
  m.phone = rec.phone;
  m.title = title;
  m.body = body;
  m.template_code = template_code;
  m.subject_type = "appointment";
  m.subject_id = rec.b.id;
  RETURN_IF_ERROR(notify::Enqueue(tx, clock, m));
  return Ok();
}

// "2026-02-14 09:00–09:30 在祁阳市政务服务中心（综合受理窗口）".
std::string WhenWhere(const Booking& b) {
  return b.date.ToString() + " " + b.start + "–" + b.end + " 在" + b.hall_name + "（" +
         b.counter_type_name + "）";
}

std::string What(const Booking& b) {
  return b.subject_name.empty() ? std::string() : "办理“" + b.subject_name + "”";
}

// --- checks ------------------------------------------------------------------------------------

void CheckLength(std::vector<FieldError>& errors, const std::string& field, std::string_view value,
                 std::size_t min, std::size_t max, const std::string& label) {
  const std::size_t n = CountCodePoints(TrimSpace(value));
  if (n < min || n > max) {
    errors.push_back({field, min == 0 ? label + "不能超过 " + std::to_string(max) + " 个字"
                                      : label + "应为 " + std::to_string(min) + "–" +
                                            std::to_string(max) + " 个字"});
  }
}

void CheckRange(std::vector<FieldError>& errors, const std::string& field, int value, int min,
                int max, const std::string& label) {
  if (value < min || value > max) {
    errors.push_back(
        {field, label + "应在 " + std::to_string(min) + " 到 " + std::to_string(max) + " 之间"});
  }
}

bool CodeChars(std::string_view code) {
  return std::all_of(code.begin(), code.end(), [](char ch) {
    return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
           ch == '-' || ch == '_';
  });
}

// The periods of one list: well-formed, a multiple of the slot length, not overlapping.
// Returns the well-formed ones (from before to) as minutes.
std::vector<std::pair<int, int>> CheckPeriods(std::vector<FieldError>& errors,
                                              const std::vector<Period>& periods,
                                              const std::string& key, int slot_minutes) {
  std::vector<std::pair<int, int>> ok;
  const std::string base = "schedule." + key;
  if (static_cast<int>(periods.size()) > kMaxPeriods) {
    errors.push_back({base, "最多设置 " + std::to_string(kMaxPeriods) + " 个时段"});
  }
  for (std::size_t i = 0; i < periods.size(); ++i) {
    const std::string path = base + "[" + std::to_string(i) + "]";
    const std::optional<int> from = MinutesOf(periods[i].from);
    const std::optional<int> to = MinutesOf(periods[i].to);
    if (!from) errors.push_back({path + ".from", "时间格式应为 HH:MM（00:00–23:59）"});
    if (!to) errors.push_back({path + ".to", "时间格式应为 HH:MM（00:00–23:59）"});
    if (!from || !to) continue;
    if (*from >= *to) {
      errors.push_back({path + ".to", "结束时间应晚于开始时间"});
      continue;
    }
    if (slot_minutes > 0 && (*to - *from) % slot_minutes != 0) {
      errors.push_back({path + ".to", "时段长度应为预约时长（" + std::to_string(slot_minutes) +
                                          " 分钟）的整数倍"});
    }
    ok.emplace_back(*from, *to);
  }
  std::vector<std::pair<int, int>> sorted = ok;
  std::sort(sorted.begin(), sorted.end());
  for (std::size_t i = 1; i < sorted.size(); ++i) {
    if (sorted[i - 1].second > sorted[i].first) {
      errors.push_back({base, "时段 " + HhMm(sorted[i - 1].first) + "–" +
                                  HhMm(sorted[i - 1].second) + " 与 " + HhMm(sorted[i].first) +
                                  "–" + HhMm(sorted[i].second) + " 重叠"});
    }
  }
  return ok;
}

Hall Normalised(const Hall& in) {
  Hall h = in;
  auto trim = [](std::string& s) { s = std::string(TrimSpace(s)); };
  trim(h.code);
  trim(h.name);
  trim(h.region_code);
  trim(h.address);
  trim(h.phone);
  for (std::vector<Period>* list :
       {&h.schedule.workday, &h.schedule.evening, &h.schedule.restday}) {
    for (Period& p : *list) {
      trim(p.from);
      trim(p.to);
    }
  }
  for (CounterType& c : h.counter_types) {
    trim(c.code);
    trim(c.name);
    for (std::string& s : c.item_codes) trim(s);
    for (std::string& s : c.bundle_codes) trim(s);
  }
  return h;
}

}  // namespace

AppointmentService::AppointmentService(store::Db& db, const Clock& clock,
                                       const audit::AuditLog& audit,
                                       calendar::CalendarService& calendar,
                                       catalog::CatalogService& catalog,
                                       identity::IdentityServices& identity)
    : db_(db),
      clock_(clock),
      audit_(audit),
      calendar_(calendar),
      catalog_(catalog),
      identity_(identity) {}

// --- halls -------------------------------------------------------------------------------------

Result<std::vector<Hall>> AppointmentService::ListHalls(bool include_inactive,
                                                        const Principal* actor) {
  if (include_inactive) {
    if (actor == nullptr) {
      return Unauthenticated("identity.unauthenticated", "请先登录");
    }
    RETURN_IF_ERROR(identity::Require(*actor, Permission::kManageCatalog));
  }
  return store::Read(db_, [&](store::Tx& tx) -> Result<std::vector<Hall>> {
    ASSIGN_OR_RETURN(store::Rows rows,
                     tx.Query(std::string("SELECT ") + kHallColumns + " FROM appt_hall" +
                              (include_inactive ? "" : " WHERE active = 1") + " ORDER BY code"));
    std::vector<Hall> out;
    for (const store::Row& r : rows) {
      ASSIGN_OR_RETURN(Hall h, HallFromRow(r));
      out.push_back(std::move(h));
    }
    return out;
  });
}

Result<Hall> AppointmentService::GetHall(const std::string& id) {
  return store::Read(db_, [&](store::Tx& tx) { return LoadHall(tx, id); });
}

Result<void> AppointmentService::ValidateHall(const Hall& h) {
  std::vector<FieldError> errors;
  if (h.code.empty()) {
    errors.push_back({"code", "请填写大厅编码"});
  } else if (h.code.size() < 2 || h.code.size() > 32 || !CodeChars(h.code)) {
    errors.push_back({"code", "大厅编码应为 2–32 位字母、数字、- 或 _，如 HALL-431121-01"});
  }
  if (h.name.empty()) {
    errors.push_back({"name", "请填写大厅名称"});
  } else {
    CheckLength(errors, "name", h.name, 2, 60, "大厅名称");
  }
  if (h.region_code.empty()) {
    errors.push_back({"regionCode", "请选择行政区划"});
  } else if (Result<const Region*> r = ValidateRegionCode(h.region_code); !r.has_value()) {
    errors.push_back({"regionCode", r.error().message});
  }
  CheckLength(errors, "address", h.address, 0, 200, "地址");
  CheckLength(errors, "phone", h.phone, 0, 40, "咨询电话");

  const HallSchedule& s = h.schedule;
  CheckRange(errors, "schedule.slotMinutes", s.slot_minutes, 10, 240, "每个预约时段的分钟数");
  CheckRange(errors, "schedule.bookAheadDays", s.book_ahead_days, 1, 60, "可提前预约的天数");
  CheckRange(errors, "schedule.cancelBeforeMinutes", s.cancel_before_minutes, 0, 7 * 24 * 60,
             "取消截止（开始前分钟数）");
  CheckRange(errors, "schedule.reminderHours", s.reminder_hours, 0, 7 * 24, "提前提醒的小时数");
  const int slot = s.slot_minutes >= 10 && s.slot_minutes <= 240 ? s.slot_minutes : 0;
  const auto workday = CheckPeriods(errors, s.workday, "workday", slot);
  CheckPeriods(errors, s.evening, "evening", slot);
  CheckPeriods(errors, s.restday, "restday", slot);
  // 延时服务 follows the working hours: it starts when (or after) the last period ends.
  int workday_end = 0;
  for (const auto& [from, to] : workday) workday_end = std::max(workday_end, to);
  for (std::size_t i = 0; i < s.evening.size(); ++i) {
    const std::optional<int> from = MinutesOf(s.evening[i].from);
    if (from && *from < workday_end) {
      errors.push_back({"schedule.evening[" + std::to_string(i) + "].from",
                        "延时服务应在工作日时段结束（" + HhMm(workday_end) + "）之后开始"});
    }
  }
  if (s.workday.empty() && s.evening.empty() && s.restday.empty()) {
    errors.push_back({"schedule.workday", "请至少设置一个办理时段"});
  }

  if (h.counter_types.empty()) {
    errors.push_back({"counterTypes", "请至少设置一个窗口类型"});
  } else if (static_cast<int>(h.counter_types.size()) > kMaxCounterTypes) {
    errors.push_back(
        {"counterTypes", "最多设置 " + std::to_string(kMaxCounterTypes) + " 个窗口类型"});
  }
  std::set<std::string> codes;
  std::map<std::string, bool> item_ok, bundle_ok;  // catalogue lookups, once per code
  for (std::size_t i = 0; i < h.counter_types.size(); ++i) {
    const CounterType& c = h.counter_types[i];
    const std::string path = "counterTypes[" + std::to_string(i) + "]";
    if (c.code.empty()) {
      errors.push_back({path + ".code", "请填写窗口类型编码"});
    } else if (c.code.size() > 32 || !CodeChars(c.code)) {
      errors.push_back({path + ".code", "编码应为 1–32 位字母、数字、- 或 _"});
    } else if (!codes.insert(c.code).second) {
      errors.push_back({path + ".code", "窗口类型编码“" + c.code + "”重复"});
    }
    if (c.name.empty()) {
      errors.push_back({path + ".name", "请填写窗口名称"});
    } else {
      CheckLength(errors, path + ".name", c.name, 2, 30, "窗口名称");
    }
    CheckRange(errors, path + ".slotCapacity", c.slot_capacity, 1, 999, "每个时段可约人数");
    CheckRange(errors, path + ".dayCapacity", c.day_capacity, 1, 999, "每天可约人数");
    if (c.slot_capacity > c.day_capacity && c.day_capacity >= 1) {
      errors.push_back({path + ".slotCapacity", "每个时段可约人数不能超过每天可约人数"});
    }
    std::set<std::string> seen;
    for (std::size_t j = 0; j < c.item_codes.size(); ++j) {
      const std::string& code = c.item_codes[j];
      const std::string field = path + ".itemCodes[" + std::to_string(j) + "]";
      if (!seen.insert("i:" + code).second) {
        errors.push_back({field, "事项重复"});
        continue;
      }
      auto it = item_ok.find(code);
      if (it == item_ok.end()) it = item_ok.emplace(code, catalog_.GetItem(code).has_value()).first;
      if (!it->second) errors.push_back({field, "事项“" + code + "”不存在或已停用"});
    }
    for (std::size_t j = 0; j < c.bundle_codes.size(); ++j) {
      const std::string& code = c.bundle_codes[j];
      const std::string field = path + ".bundleCodes[" + std::to_string(j) + "]";
      if (!seen.insert("b:" + code).second) {
        errors.push_back({field, "一件事重复"});
        continue;
      }
      auto it = bundle_ok.find(code);
      if (it == bundle_ok.end()) {
        it = bundle_ok.emplace(code, catalog_.GetBundle(code).has_value()).first;
      }
      if (!it->second) errors.push_back({field, "一件事“" + code + "”不存在"});
    }
  }
  if (errors.empty()) return Ok();
  Error e = InvalidArgument("appointments.invalid_hall", "服务大厅信息有误，请按提示修改");
  e.fields = std::move(errors);
  return e;
}

Result<Hall> AppointmentService::SaveHall(const Principal& actor, const Hall& input, bool create) {
  RETURN_IF_ERROR(identity::Require(actor, Permission::kManageCatalog));
  const Hall h = Normalised(input);
  // Catalogue lookups run in their own transactions, so before ours.
  RETURN_IF_ERROR(ValidateHall(h));
  const Millis now = clock_.NowMs();
  return store::Transact(db_, [&](store::Tx& tx) -> Result<Hall> {
    Hall saved = h;
    ASSIGN_OR_RETURN(store::Rows same_code,
                     tx.Query("SELECT id FROM appt_hall WHERE code = ?", {h.code}));
    const bool taken = !same_code.empty() && (create || same_code.front().Text(0) != h.id);
    if (taken) {
      return AlreadyExists("appointments.hall_code_taken", "大厅编码“" + h.code + "”已被使用")
          .WithField("code", "编码已被其他大厅使用");
    }
    const std::string schedule = json::serialize(ScheduleToJson(h.schedule));
    const std::string counters = json::serialize(CounterTypesToJson(h.counter_types));
    if (create) {
      saved.id = NewUlid(now);
      saved.version = 1;
      Result<std::int64_t> inserted = tx.Exec(
          "INSERT INTO appt_hall (id, code, name, region_code, address, phone, active, "
          "schedule_json, counter_types_json, created_by, created_at_ms, updated_at_ms, version) "
          "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)",
          {saved.id, h.code, h.name, h.region_code, h.address, h.phone,
           std::int64_t{h.active ? 1 : 0}, schedule, counters, actor.user_id, now, now});
      if (!inserted.has_value()) {
        if (inserted.error().code == ErrorCode::kAlreadyExists) {
          return AlreadyExists("appointments.hall_code_taken", "大厅编码“" + h.code + "”已被使用")
              .WithField("code", "编码已被其他大厅使用");
        }
        return std::move(inserted).error();
      }
    } else {
      ASSIGN_OR_RETURN(Hall current, LoadHall(tx, h.id));
      const Error stale = Aborted(
          "appointments.version_conflict",
          "该大厅已被他人修改（当前第 " + std::to_string(current.version) + " 版），请刷新后再改");
      if (current.version != h.version) return stale;
      ASSIGN_OR_RETURN(
          std::int64_t n,
          tx.Exec("UPDATE appt_hall SET code = ?, name = ?, region_code = ?, address = ?, "
                  "phone = ?, active = ?, schedule_json = ?, counter_types_json = ?, "
                  "updated_at_ms = ?, version = version + 1 WHERE id = ? AND version = ?",
                  {h.code, h.name, h.region_code, h.address, h.phone,
                   std::int64_t{h.active ? 1 : 0}, schedule, counters, now, h.id, h.version}));
      if (n == 0) return stale;
      saved.version = h.version + 1;
    }
    RETURN_IF_ERROR(Audit(tx, audit_, actor,
                          create ? "appointments.hall.create" : "appointments.hall.update", "hall",
                          saved.id, "",
                          json::object{{"code", saved.code},
                                       {"name", saved.name},
                                       {"active", saved.active},
                                       {"version", saved.version}}));
    return saved;
  });
}

Result<Hall> AppointmentService::CreateHall(const Principal& actor, const Hall& hall) {
  return SaveHall(actor, hall, true);
}

Result<Hall> AppointmentService::UpdateHall(const Principal& actor, const Hall& hall) {
  return SaveHall(actor, hall, false);
}

// --- slots -------------------------------------------------------------------------------------

Result<SlotView> AppointmentService::Slots(const SlotQuery& q) {
  {
    std::vector<FieldError> errors;
    if (TrimSpace(q.hall_id).empty()) errors.push_back({"hallId", "请选择服务大厅"});
    CheckRange(errors, "days", q.days, 1, 31, "天数");
    if (!errors.empty()) {
      Error e = InvalidArgument("appointments.invalid_query", "查询参数有误");
      e.fields = std::move(errors);
      return e;
    }
  }
  ASSIGN_OR_RETURN(WorkingCalendar cal, calendar_.Current());
  const Millis now = clock_.NowMs();
  const Date today = Date::FromMillisCst(now);
  const Date from = q.from.value_or(today);
  const Date to = from.AddDays(q.days - 1);
  return store::Read(db_, [&](store::Tx& tx) -> Result<SlotView> {
    ASSIGN_OR_RETURN(Hall hall, LoadHall(tx, q.hall_id));  // an unknown hall is 404 first
    if (q.counter_type.empty() && q.item_code.empty() && q.bundle_code.empty()) {
      return InvalidArgument("appointments.invalid_query", "查询参数有误")
          .WithField("counterType", "请指定窗口类型，或事项（itemCode）、一件事（bundleCode）");
    }
    ASSIGN_OR_RETURN(const CounterType* ct,
                     ResolveCounter(hall, q.counter_type, q.item_code, q.bundle_code));
    const std::vector<store::Value> range = {hall.id, ct->code, from.ToString(), to.ToString()};
    ASSIGN_OR_RETURN(store::Rows day_rows,
                     tx.Query("SELECT slot_date, booked FROM appt_day_count WHERE hall_id = ? AND "
                              "counter_type = ? AND slot_date >= ? AND slot_date <= ?",
                              range));
    ASSIGN_OR_RETURN(store::Rows slot_rows,
                     tx.Query("SELECT slot_date, slot_start, booked FROM appt_slot_count WHERE "
                              "hall_id = ? AND counter_type = ? AND slot_date >= ? AND "
                              "slot_date <= ?",
                              range));
    std::map<std::string, int> day_booked;
    for (const store::Row& r : day_rows) day_booked[r.Text(0)] = static_cast<int>(r.Int(1));
    std::map<std::pair<std::string, std::string>, int> slot_booked;
    for (const store::Row& r : slot_rows) {
      slot_booked[{r.Text(0), r.Text(1)}] = static_cast<int>(r.Int(2));
    }
    SlotView view;
    view.counter_type = ct->code;
    view.counter_type_name = ct->name;
    for (int i = 0; i < q.days; ++i) {
      SlotDay day;
      day.date = from.AddDays(i);
      const std::string date = day.date.ToString();
      day.kind = KindOf(hall.schedule, cal.Day(day.date));
      if (day.kind != HallDayKind::kClosed) {
        day.day_capacity = ct->day_capacity;
        day.day_booked = day_booked.count(date) ? day_booked[date] : 0;
        const std::int64_t ahead = DaysBetween(today, day.date);
        const bool day_open = hall.active && ahead >= 0 && ahead <= hall.schedule.book_ahead_days &&
                              day.day_booked < day.day_capacity;
        for (const SlotDef& d : SlotsOf(hall.schedule, day.kind)) {
          Slot s;
          s.start = HhMm(d.start);
          s.end = HhMm(d.end);
          s.extended = d.extended;
          s.capacity = ct->slot_capacity;
          auto it = slot_booked.find({date, s.start});
          s.booked = it == slot_booked.end() ? 0 : it->second;
          s.available = std::max(0, s.capacity - s.booked);
          s.bookable = day_open && s.available > 0 && InstantOf(day.date, d.start) > now;
          day.slots.push_back(std::move(s));
        }
      }
      view.days.push_back(std::move(day));
    }
    return view;
  });
}

// --- bookings ----------------------------------------------------------------------------------

// Who a booking is for.
struct AppointmentService::Applicant {
  std::string kind = "person";  // or "enterprise"
  std::string name;
  std::string key;  // SHA-256 of "person:<身份证号>" / "enterprise:<统一社会信用代码>"
  std::string number_masked;
  std::string party_id;  // "" when the person is not registered
  std::string user_id;   // the citizen / enterprise account booking for itself, else ""
  std::string phone;
};

Result<AppointmentService::Applicant> AppointmentService::ApplicantOf(const Principal& actor,
                                                                      const BookingRequest& req) {
  Applicant a;
  const std::string phone(TrimSpace(req.phone));
  if (actor.kind == identity::UserKind::kStaff) {
    // Staff book on behalf of someone named in the request (checked by Book). The booking is
    // not linked to a registered person: finding one by 身份证号 is an audited lookup, and a
    // refused booking must leave no trace. The notices go by SMS.
    const std::string number(TrimSpace(req.id_number));
    ASSIGN_OR_RETURN(IdNumber id, ParseIdNumber(number));
    a.name = std::string(TrimSpace(req.applicant_name));
    a.key = Sha256Hex("person:" + id.number);
    a.number_masked = MaskIdNumber(id.number);
    a.phone = phone;
    return a;
  }
  a.user_id = actor.user_id;
  if (actor.kind == identity::UserKind::kCitizen && actor.person_id) {
    ASSIGN_OR_RETURN(identity::Person p,
                     identity_.parties.GetPerson(actor, *actor.person_id, "预约办事"));
    a.name = p.name;
    a.key = Sha256Hex("person:" + p.id_number);
    a.number_masked = MaskIdNumber(p.id_number);
    a.party_id = p.id;
    a.phone = phone.empty() ? p.phone : phone;
  } else if (actor.kind == identity::UserKind::kEnterprise && actor.enterprise_id) {
    ASSIGN_OR_RETURN(identity::Enterprise e,
                     identity_.parties.GetEnterprise(actor, *actor.enterprise_id, "预约办事"));
    a.kind = "enterprise";
    a.name = e.name;
    a.key = Sha256Hex("enterprise:" + e.uscc);
    a.number_masked = e.uscc;
    a.party_id = e.id;
    a.phone = phone;
  } else {
    return FailedPrecondition("appointments.no_party",
                              "您的账号尚未关联实名信息，请先到窗口办理实名登记");
  }
  if (a.phone.empty()) {
    return InvalidArgument("appointments.invalid_booking", "请填写接收预约短信的手机号")
        .WithField("phone", "请填写手机号");
  }
  return a;
}

Result<Booking> AppointmentService::Book(const Principal& actor, const BookingRequest& req) {
  const bool staff = actor.kind == identity::UserKind::kStaff;
  RETURN_IF_ERROR(
      identity::Require(actor, staff ? Permission::kIntakeCases : Permission::kApplyCases));
  const Millis now = clock_.NowMs();
  const Date today = Date::FromMillisCst(now);
  {  // The request's own problems, all at once.
    std::vector<FieldError> errors;
    if (TrimSpace(req.hall_id).empty()) errors.push_back({"hallId", "请选择服务大厅"});
    if (!req.date) errors.push_back({"date", "请选择预约日期"});
    if (!MinutesOf(req.start)) errors.push_back({"start", "请选择预约时段（HH:MM）"});
    if (req.counter_type.empty() && req.item_code.empty() && req.bundle_code.empty()) {
      errors.push_back({"counterType", "请选择窗口类型"});
    }
    if (!req.item_code.empty() && !req.bundle_code.empty()) {
      errors.push_back({"bundleCode", "事项和一件事只能选一个"});
    }
    if (!TrimSpace(req.phone).empty()) {
      if (Result<std::string> m = ValidateMobile(req.phone); !m.has_value()) {
        errors.push_back({"phone", m.error().message});
      }
    }
    if (staff) {
      if (TrimSpace(req.applicant_name).empty()) {
        errors.push_back({"applicantName", "请填写预约人姓名"});
      } else {
        CheckLength(errors, "applicantName", req.applicant_name, 2, 30, "姓名");
      }
      if (TrimSpace(req.id_number).empty()) {
        errors.push_back({"idNumber", "请填写预约人身份证号"});
      } else if (Result<IdNumber> id = ParseIdNumber(req.id_number, Ymd(today)); !id.has_value()) {
        errors.push_back({"idNumber", id.error().message});
      }
      if (TrimSpace(req.phone).empty()) errors.push_back({"phone", "请填写预约人手机号"});
    }
    if (!errors.empty()) {
      Error e = InvalidArgument("appointments.invalid_booking", "预约信息有误，请按提示修改");
      e.fields = std::move(errors);
      return e;
    }
  }
  ASSIGN_OR_RETURN(Applicant applicant, ApplicantOf(actor, req));

  // What it is for, from the catalogue (its own transactions, so before ours).
  std::string subject;
  if (!req.item_code.empty()) {
    Result<catalog::Item> item = catalog_.GetItem(req.item_code);
    if (!item.has_value()) {
      return InvalidArgument("appointments.invalid_booking", "所选事项不存在或已停用")
          .WithField("itemCode", "事项不存在或已停用");
    }
    subject = item->name;
  } else if (!req.bundle_code.empty()) {
    Result<catalog::Bundle> bundle = catalog_.GetBundle(req.bundle_code);
    if (!bundle.has_value()) {
      return InvalidArgument("appointments.invalid_booking", "所选一件事不存在")
          .WithField("bundleCode", "一件事不存在");
    }
    subject = bundle->name;
  }
  ASSIGN_OR_RETURN(WorkingCalendar cal, calendar_.Current());
  const Date date = *req.date;
  const int start = *MinutesOf(req.start);

  return store::Transact(db_, [&](store::Tx& tx) -> Result<Booking> {
    ASSIGN_OR_RETURN(Hall hall, LoadHall(tx, req.hall_id));
    if (!hall.active) {
      return FailedPrecondition("appointments.hall_inactive",
                                "“" + hall.name + "”已停止预约服务，请选择其他大厅");
    }
    ASSIGN_OR_RETURN(const CounterType* ct,
                     ResolveCounter(hall, req.counter_type, req.item_code, req.bundle_code));
    const HallSchedule& s = hall.schedule;
    const std::int64_t ahead = DaysBetween(today, date);
    if (ahead < 0) {
      return InvalidArgument("appointments.slot_past", "所选日期已过，请选择其他时段")
          .WithField("date", "日期已过");
    }
    if (ahead > s.book_ahead_days) {
      return InvalidArgument("appointments.too_far_ahead",
                             "只能预约今天起 " + std::to_string(s.book_ahead_days) +
                                 " 天内的时段（最晚 " +
                                 today.AddDays(s.book_ahead_days).ToString() + "）")
          .WithField("date", "超出可预约范围");
    }
    const DayInfo day = cal.Day(date);
    const HallDayKind kind = KindOf(s, day);
    if (kind == HallDayKind::kClosed) {
      return InvalidArgument("appointments.closed_day",
                             date.ToString() + (day.name.empty() ? "" : "（" + day.name + "）") +
                                 " “" + hall.name + "”不对外办理，请选择其他日期")
          .WithField("date", "当天不办理");
    }
    std::optional<SlotDef> slot;
    for (const SlotDef& d : SlotsOf(s, kind)) {
      if (d.start == start) slot = d;
    }
    if (!slot) {
      return InvalidArgument("appointments.no_such_slot",
                             date.ToString() + " " + HhMm(start) + " 不是可预约的时段")
          .WithField("start", "不是可预约的时段");
    }
    const Millis starts_at = InstantOf(date, slot->start);
    if (starts_at <= now) {
      return InvalidArgument("appointments.slot_past", "该时段已开始或已过，请选择其他时段")
          .WithField("start", "时段已过");
    }
    const std::string date_text = date.ToString();
    ASSIGN_OR_RETURN(store::Rows dup,
                     tx.Query("SELECT booking_no, slot_start FROM appt_booking WHERE hall_id = ? "
                              "AND slot_date = ? AND applicant_key = ? AND status = 'booked'",
                              {hall.id, date_text, applicant.key}));
    const auto duplicate = [&](const std::string& detail) {
      return AlreadyExists("appointments.duplicate", "已有 " + date_text + " 在“" + hall.name +
                                                         "”的预约" + detail +
                                                         "，同一天在同一大厅只能预约一次");
    };
    if (!dup.empty()) {
      return duplicate("（预约号 " + dup.front().Text(0) + "，" + dup.front().Text(1) + "）");
    }

    // Seats: the day's row, then the slot's, always in this order (concurrent bookings lock
    // the rows in the same order). `booked < capacity` in the UPDATE is the capacity check:
    // a booking that finds no row to change lost the last seat.
    const std::vector<store::Value> day_key = {hall.id, ct->code, date_text};
    RETURN_IF_ERROR(
        tx.Exec("INSERT INTO appt_day_count (hall_id, counter_type, slot_date, "
                "booked) VALUES (?, ?, ?, 0) ON CONFLICT DO NOTHING",
                day_key));
    ASSIGN_OR_RETURN(std::int64_t day_taken,
                     tx.Exec("UPDATE appt_day_count SET booked = booked + 1 WHERE hall_id = ? AND "
                             "counter_type = ? AND slot_date = ? AND booked < ?",
                             {hall.id, ct->code, date_text, std::int64_t{ct->day_capacity}}));
    if (day_taken == 0) {
      return FailedPrecondition("appointments.day_full",
                                date_text + " “" + ct->name + "”的预约已满，请选择其他日期");
    }
    const std::string start_text = HhMm(slot->start);
    RETURN_IF_ERROR(
        tx.Exec("INSERT INTO appt_slot_count (hall_id, counter_type, slot_date, "
                "slot_start, booked) VALUES (?, ?, ?, ?, 0) ON CONFLICT DO NOTHING",
                {hall.id, ct->code, date_text, start_text}));
    ASSIGN_OR_RETURN(
        std::int64_t slot_taken,
        tx.Exec("UPDATE appt_slot_count SET booked = booked + 1 WHERE hall_id = ? AND "
                "counter_type = ? AND slot_date = ? AND slot_start = ? AND booked < ?",
                {hall.id, ct->code, date_text, start_text, std::int64_t{ct->slot_capacity}}));
    if (slot_taken == 0) {
      return FailedPrecondition("appointments.slot_full",
                                date_text + " " + start_text + " 的时段已约满，请选择其他时段");
    }

    // 预约号: YY + the slot's date + its sequence at this hall that day.
    ASSIGN_OR_RETURN(store::Rows seq,
                     tx.Query("INSERT INTO appt_booking_counter (hall_id, day, n) VALUES (?, ?, 1) "
                              "ON CONFLICT (hall_id, day) DO UPDATE SET "
                              "n = appt_booking_counter.n + 1 RETURNING n",
                              {hall.id, date_text}));
    std::string n = std::to_string(seq.front().Int(0));
    if (n.size() < 3) n.insert(0, 3 - n.size(), '0');
    std::string ymd = date_text;
    ymd.erase(std::remove(ymd.begin(), ymd.end(), '-'), ymd.end());

    BookingRecord rec;
    Booking& b = rec.b;
    b.id = NewUlid(now);
    b.booking_no = "YY" + ymd + n;
    b.hall_id = hall.id;
    b.hall_name = hall.name;
    b.counter_type = ct->code;
    b.counter_type_name = ct->name;
    b.date = date;
    b.start = start_text;
    b.end = HhMm(slot->end);
    b.starts_at_ms = starts_at;
    b.ends_at_ms = InstantOf(date, slot->end);
    b.extended = slot->extended;
    b.item_code = req.item_code;
    b.bundle_code = req.bundle_code;
    b.subject_name = subject;
    b.status = BookingStatus::kBooked;
    b.created_at_ms = now;
    b.version = 1;
    rec.applicant_name = applicant.name;
    rec.phone = applicant.phone;
    rec.party_id = applicant.party_id;
    rec.user_id = applicant.user_id;
    rec.booked_by = actor.user_id;
    rec.kind = applicant.kind;
    // The reminder is due reminder_hours before the slot; a booking made inside that window
    // gets none (its confirmation just arrived).
    std::optional<std::int64_t> remind_at;
    if (s.reminder_hours > 0) {
      const Millis at = starts_at - Millis{s.reminder_hours} * 3'600'000;
      if (at > now) remind_at = at;
    }
    Result<std::int64_t> inserted = tx.Exec(
        "INSERT INTO appt_booking (id, booking_no, hall_id, hall_name, counter_type, "
        "counter_type_name, slot_date, slot_start, slot_end, starts_at_ms, ends_at_ms, extended, "
        "item_code, bundle_code, subject_name, applicant_kind, applicant_name, "
        "applicant_number_masked, applicant_key, applicant_party_id, applicant_user_id, phone, "
        "status, cancel_reason, "
        "remind_at_ms, reminded_at_ms, booked_by, created_at_ms, cancelled_at_ms, "
        "checked_in_at_ms, case_id, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
        "?, ?, ?, ?, ?, ?, ?, 'booked', '', ?, NULL, ?, ?, NULL, NULL, '', 1)",
        {b.id,
         b.booking_no,
         b.hall_id,
         b.hall_name,
         b.counter_type,
         b.counter_type_name,
         date_text,
         b.start,
         b.end,
         b.starts_at_ms,
         b.ends_at_ms,
         std::int64_t{b.extended ? 1 : 0},
         b.item_code,
         b.bundle_code,
         b.subject_name,
         applicant.kind,
         applicant.name,
         applicant.number_masked,
         applicant.key,
         applicant.party_id.empty() ? store::kNull : store::Value(applicant.party_id),
         applicant.user_id.empty() ? store::kNull : store::Value(applicant.user_id),
         applicant.phone,
         store::Opt(remind_at),
         actor.user_id,
         now});
    if (!inserted.has_value()) {
      // The unique index on active bookings: a concurrent booking of the same person won.
      if (inserted.error().code == ErrorCode::kAlreadyExists) return duplicate("");
      return std::move(inserted).error();
    }
    RETURN_IF_ERROR(Audit(tx, audit_, actor, "appointments.booking.create", "appointment", b.id,
                          rec.party_id, BookingDetails(b)));
    RETURN_IF_ERROR(Tell(tx, clock_, rec, "appointment.booked", "预约成功",
                         "您已预约 " + WhenWhere(b) + What(b) + "，预约号 " + b.booking_no +
                             "。请携带身份证件和所需材料按时到达" +
                             (hall.address.empty() ? "" : "（地址：" + hall.address + "）") +
                             "。"));
    return Publish(rec, StaffView(actor));
  });
}

Result<std::vector<Booking>> AppointmentService::Mine(const Principal& actor) {
  RETURN_IF_ERROR(identity::Require(actor, Permission::kApplyCases));
  const std::string party = actor.person_id.value_or(actor.enterprise_id.value_or(""));
  return store::Read(db_, [&](store::Tx& tx) -> Result<std::vector<Booking>> {
    ASSIGN_OR_RETURN(
        store::Rows rows,
        tx.Query(std::string("SELECT ") + kBookingColumns +
                     " FROM appt_booking WHERE applicant_user_id = ? OR booked_by = ? OR "
                     "(applicant_party_id IS NOT NULL AND applicant_party_id = ?) "
                     "ORDER BY created_at_ms DESC, id DESC LIMIT 200",
                 {actor.user_id, actor.user_id, party}));
    std::vector<Booking> out;
    for (const store::Row& r : rows) out.push_back(Publish(BookingFromRow(r), StaffView(actor)));
    return out;
  });
}

Result<Booking> AppointmentService::Cancel(const Principal& actor, const std::string& id,
                                           const std::string& reason) {
  const bool staff = actor.kind == identity::UserKind::kStaff;
  RETURN_IF_ERROR(
      identity::Require(actor, staff ? Permission::kIntakeCases : Permission::kApplyCases));
  const std::string why(TrimSpace(reason));
  const std::size_t n = CountCodePoints(why);
  if ((staff && n < 2) || n > 200) {
    const std::string message =
        staff ? "请填写取消原因（2–200 个字）" : "取消原因不能超过 200 个字";
    return InvalidArgument("appointments.invalid_reason", message).WithField("reason", message);
  }
  const Millis now = clock_.NowMs();
  return store::Transact(db_, [&](store::Tx& tx) -> Result<Booking> {
    ASSIGN_OR_RETURN(BookingRecord rec, LoadBooking(tx, id));
    if (!staff && !IsBooker(actor, rec)) return NotFound("appointments.not_found", "预约不存在");
    Booking& b = rec.b;
    if (b.status != BookingStatus::kBooked) {
      return FailedPrecondition("appointments.bad_state",
                                "该预约" + std::string(BookingStatusName(b.status)) + "，不能取消");
    }
    ASSIGN_OR_RETURN(Hall hall, LoadHall(tx, b.hall_id));
    const Millis deadline =
        b.starts_at_ms - Millis{hall.schedule.cancel_before_minutes} * kMinuteMs;
    if (now > deadline) {
      return FailedPrecondition("appointments.too_late_to_cancel",
                                "预约时段开始前 " +
                                    std::to_string(hall.schedule.cancel_before_minutes) +
                                    " 分钟内不能取消；如不能前来，请联系大厅" +
                                    (hall.phone.empty() ? "" : "（" + hall.phone + "）"));
    }
    ASSIGN_OR_RETURN(
        std::int64_t changed,
        tx.Exec("UPDATE appt_booking SET status = 'cancelled', cancel_reason = ?, "
                "cancelled_at_ms = ?, version = version + 1 WHERE id = ? AND version = ?",
                {why, now, b.id, b.version}));
    RETURN_IF_ERROR(store::CheckVersion(changed));
    // The seat goes back.
    const std::string date_text = b.date.ToString();
    RETURN_IF_ERROR(
        tx.Exec("UPDATE appt_day_count SET booked = booked - 1 WHERE hall_id = ? AND "
                "counter_type = ? AND slot_date = ? AND booked > 0",
                {b.hall_id, b.counter_type, date_text}));
    RETURN_IF_ERROR(
        tx.Exec("UPDATE appt_slot_count SET booked = booked - 1 WHERE hall_id = ? AND "
                "counter_type = ? AND slot_date = ? AND slot_start = ? AND booked > 0",
                {b.hall_id, b.counter_type, date_text, b.start}));
    b.status = BookingStatus::kCancelled;
    b.cancel_reason = why;
    b.version += 1;
    json::object details = BookingDetails(b);
    details["reason"] = why;
    details["byStaff"] = staff;
    RETURN_IF_ERROR(Audit(tx, audit_, actor, "appointments.booking.cancel", "appointment", b.id,
                          rec.party_id, std::move(details)));
    RETURN_IF_ERROR(Tell(tx, clock_, rec, "appointment.cancelled", "预约已取消",
                         "您 " + WhenWhere(b) + "的预约（预约号 " + b.booking_no + "）已取消" +
                             (staff ? "，原因：" + why : std::string()) + "。"));
    return Publish(rec, StaffView(actor));
  });
}

Result<std::vector<Booking>> AppointmentService::DayList(const Principal& actor,
                                                         const BookingFilter& filter) {
  RETURN_IF_ERROR(identity::Require(actor, Permission::kIntakeCases));
  if (TrimSpace(filter.hall_id).empty()) {
    return InvalidArgument("appointments.invalid_query", "请选择服务大厅")
        .WithField("hallId", "请选择服务大厅");
  }
  const Date date = filter.date.value_or(Date::FromMillisCst(clock_.NowMs()));
  const std::string status = filter.status ? BookingStatusCode(*filter.status) : "";
  return store::Read(db_, [&](store::Tx& tx) -> Result<std::vector<Booking>> {
    ASSIGN_OR_RETURN(Hall hall, LoadHall(tx, filter.hall_id));
    ASSIGN_OR_RETURN(store::Rows rows,
                     tx.Query(std::string("SELECT ") + kBookingColumns +
                                  " FROM appt_booking WHERE hall_id = ? AND slot_date = ? AND "
                                  "(? = '' OR status = ?) ORDER BY slot_start, booking_no",
                              {hall.id, date.ToString(), status, status}));
    std::vector<Booking> out;
    for (const store::Row& r : rows) out.push_back(Publish(BookingFromRow(r), true));
    return out;
  });
}

Result<Booking> AppointmentService::CheckIn(const Principal& actor, const std::string& id,
                                            const std::string& case_id_in) {
  RETURN_IF_ERROR(identity::Require(actor, Permission::kIntakeCases));
  const std::string case_id(TrimSpace(case_id_in));
  const Millis now = clock_.NowMs();
  return store::Transact(db_, [&](store::Tx& tx) -> Result<Booking> {
    ASSIGN_OR_RETURN(BookingRecord rec, LoadBooking(tx, id));
    Booking& b = rec.b;
    if (!case_id.empty()) {
      ASSIGN_OR_RETURN(store::Rows found,
                       tx.Query("SELECT 1 FROM case_file WHERE id = ?", {case_id}));
      if (found.empty()) {
        return InvalidArgument("appointments.invalid_case", "要关联的办件不存在")
            .WithField("caseId", "办件不存在");
      }
    }
    std::string action;
    if (b.status == BookingStatus::kBooked) {
      const Date today = Date::FromMillisCst(now);
      if (b.date != today) {
        return FailedPrecondition("appointments.not_today",
                                  "只能在预约当天（" + b.date.ToString() + "）签到");
      }
      b.status = BookingStatus::kCheckedIn;
      b.checked_in_at_ms = now;
      action = "appointments.booking.check_in";
    } else if (b.status == BookingStatus::kCheckedIn && !case_id.empty()) {
      action = "appointments.booking.link_case";
    } else {
      return FailedPrecondition(
          "appointments.bad_state",
          "该预约" + std::string(BookingStatusName(b.status)) +
              (b.status == BookingStatus::kCheckedIn ? "，如需关联办件请提供办件编号"
                                                     : "，不能签到"));
    }
    if (!case_id.empty()) b.case_id = case_id;
    ASSIGN_OR_RETURN(std::int64_t changed,
                     tx.Exec("UPDATE appt_booking SET status = ?, checked_in_at_ms = ?, "
                             "case_id = ?, version = version + 1 WHERE id = ? AND version = ?",
                             {std::string(BookingStatusCode(b.status)),
                              store::Opt(b.checked_in_at_ms), b.case_id, b.id, b.version}));
    RETURN_IF_ERROR(store::CheckVersion(changed));
    b.version += 1;
    json::object details = BookingDetails(b);
    if (!b.case_id.empty()) details["caseId"] = b.case_id;
    RETURN_IF_ERROR(
        Audit(tx, audit_, actor, action, "appointment", b.id, rec.party_id, std::move(details)));
    return Publish(rec, true);
  });
}

// --- the sweep ---------------------------------------------------------------------------------

namespace {
// One booking's outcome: counted when done; a failure is counted and the sweep goes on (the
// booking is tried again by the next sweep).
void Count(const Result<bool>& done, int& counter, SweepReport& report) {
  if (done.has_value()) {
    if (*done) ++counter;
    return;
  }
  ++report.failed;
  report.last_error = done.error().reason + ": " + done.error().message;
}
}  // namespace

Result<SweepReport> AppointmentService::SendDueReminders(Millis now) {
  SweepReport report;
  const Principal system = Principal::System();
  ASSIGN_OR_RETURN(store::Rows due, store::Read(db_, [&](store::Tx& tx) {
                     return tx.Query(
                         "SELECT id FROM appt_booking WHERE status = 'booked' AND "
                         "remind_at_ms IS NOT NULL AND remind_at_ms <= ? AND reminded_at_ms IS "
                         "NULL AND starts_at_ms > ? ORDER BY remind_at_ms LIMIT ?",
                         {now, now, std::int64_t{kSweepBatch}});
                   }));
  for (const store::Row& row : due) {
    const std::string id = row.Text(0);
    Result<bool> sent = store::Transact(db_, [&](store::Tx& tx) -> Result<bool> {
      // Claimed by this update: another node that got here first changed the
      // row already, and a cancelled booking is not reminded.
      ASSIGN_OR_RETURN(std::int64_t n, tx.Exec("UPDATE appt_booking SET reminded_at_ms = ? "
                                               "WHERE id = ? AND status = 'booked' AND "
                                               "reminded_at_ms IS NULL",
                                               {now, id}));
      if (n == 0) return false;
      ASSIGN_OR_RETURN(BookingRecord rec, LoadBooking(tx, id));
      ASSIGN_OR_RETURN(Hall hall, LoadHall(tx, rec.b.hall_id));
      RETURN_IF_ERROR(Tell(tx, clock_, rec, "appointment.reminder", "预约提醒",
                           "提醒：您已预约 " + WhenWhere(rec.b) + What(rec.b) + "，预约号 " +
                               rec.b.booking_no + "。请携带身份证件按时到达" +
                               (hall.address.empty() ? "" : "（地址：" + hall.address + "）") +
                               "；如不能前来，请提前取消。"));
      return true;
    });
    Count(sent, report.reminded, report);
  }

  ASSIGN_OR_RETURN(store::Rows ended, store::Read(db_, [&](store::Tx& tx) {
                     return tx.Query(
                         "SELECT id FROM appt_booking WHERE status = 'booked' AND ends_at_ms < ? "
                         "ORDER BY ends_at_ms LIMIT ?",
                         {now - kNoShowGraceMs, std::int64_t{kSweepBatch}});
                   }));
  for (const store::Row& row : ended) {
    const std::string id = row.Text(0);
    Result<bool> marked = store::Transact(db_, [&](store::Tx& tx) -> Result<bool> {
      ASSIGN_OR_RETURN(std::int64_t n, tx.Exec("UPDATE appt_booking SET status = 'no_show', "
                                               "version = version + 1 WHERE id = ? AND "
                                               "status = 'booked'",
                                               {id}));
      if (n == 0) return false;
      ASSIGN_OR_RETURN(BookingRecord rec, LoadBooking(tx, id));
      RETURN_IF_ERROR(Audit(tx, audit_, system, "appointments.booking.no_show", "appointment", id,
                            rec.party_id, BookingDetails(rec.b)));
      return true;
    });
    Count(marked, report.no_shows, report);
  }
  return report;
}

}  // namespace onestop::cases
