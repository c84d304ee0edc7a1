#include "cases/appointment.h"

#include <boost/json.hpp>
#include <limits>

#include "cases/appointment_json.h"
#include "core/text.h"

namespace onestop::cases {
namespace json = boost::json;

const char* HallDayKindCode(HallDayKind k) {
  switch (k) {
    case HallDayKind::kWorkday:
      return "workday";
    case HallDayKind::kRestday:
      return "restday";
    case HallDayKind::kClosed:
      return "closed";
  }
  return "closed";
}

namespace {
constexpr BookingStatus kStatuses[] = {BookingStatus::kBooked, BookingStatus::kCancelled,
                                       BookingStatus::kCheckedIn, BookingStatus::kNoShow};
}  // namespace

const char* BookingStatusCode(BookingStatus s) {
  switch (s) {
    case BookingStatus::kBooked:
      return "booked";
    case BookingStatus::kCancelled:
      return "cancelled";
    case BookingStatus::kCheckedIn:
      return "checked_in";
    case BookingStatus::kNoShow:
      return "no_show";
  }
  return "booked";
}

const char* BookingStatusName(BookingStatus s) {
  switch (s) {
    case BookingStatus::kBooked:
      return "已预约";
    case BookingStatus::kCancelled:
      return "已取消";
    case BookingStatus::kCheckedIn:
      return "已签到";
    case BookingStatus::kNoShow:
      return "未到";
  }
  return "已预约";
}

Result<BookingStatus> ParseBookingStatus(std::string_view code) {
  for (BookingStatus s : kStatuses) {
    if (code == BookingStatusCode(s)) return s;
  }
  return InvalidArgument("appointments.bad_status",
                         "预约状态应为 booked、cancelled、checked_in 或 no_show")
      .WithField("status", "应为 booked、cancelled、checked_in 或 no_show");
}

std::string MaskName(std::string_view name) {
  const std::string_view n = text::TrimSpace(name);
  const std::size_t count = text::CountCodePoints(n);
  if (count <= 1) return std::string(n);
  std::string out(text::CodePointAt(n, 0));
  if (count == 2) return out + "*";
  out.append(count - 2, '*');
  out += text::CodePointAt(n, count - 1);
  return out;
}

// --- JSON ------------------------------------------------------------------------------------

namespace {

json::array PeriodsToJson(const std::vector<Period>& periods) {
  json::array a;
  for (const Period& p : periods) a.push_back(json::object{{"from", p.from}, {"to", p.to}});
  return a;
}

json::array StringsToJson(const std::vector<std::string>& list) {
  json::array a;
  for (const std::string& s : list) a.emplace_back(s);
  return a;
}

// Collects shape problems while reading one JSON object (absent keys keep the defaults).
class Reader {
 public:
  Reader(const json::object& o, std::string prefix, std::vector<FieldError>& errors)
      : o_(o), prefix_(std::move(prefix)), errors_(errors) {}

  void String(std::string_view key, std::string& out, bool required = false) {
    const json::value* v = Find(key);
    if (v == nullptr) {
      if (required) Add(key, "必填");
      return;
    }
    if (!v->is_string()) return Add(key, "应为字符串");
    out = std::string(v->as_string());
  }
  void Int(std::string_view key, int& out) {
    const json::value* v = Find(key);
    if (v == nullptr) return;
    if (v->is_int64() && v->as_int64() >= std::numeric_limits<int>::min() &&
        v->as_int64() <= std::numeric_limits<int>::max()) {
      out = static_cast<int>(v->as_int64());
    } else if (v->is_uint64() && v->as_uint64() <= std::numeric_limits<int>::max()) {
      out = static_cast<int>(v->as_uint64());
    } else {
      Add(key, "应为整数");
    }
  }
  void Bool(std::string_view key, bool& out) {
    const json::value* v = Find(key);
    if (v == nullptr) return;
    if (!v->is_bool()) return Add(key, "应为布尔值");
    out = v->as_bool();
  }
  void Strings(std::string_view key, std::vector<std::string>& out) {
    const json::array* a = Array(key, false);
    if (a == nullptr) return;
    out.clear();
    for (std::size_t i = 0; i < a->size(); ++i) {
      if (!(*a)[i].is_string()) {
        Add(std::string(key) + "[" + std::to_string(i) + "]", "应为字符串");
        continue;
      }
      out.emplace_back((*a)[i].as_string());
    }
  }
  const json::array* Array(std::string_view key, bool required) {
    const json::value* v = Find(key);
    if (v == nullptr) {
      if (required) Add(key, "必填");
      return nullptr;
    }
    if (!v->is_array()) {
      Add(key, "应为数组");
      return nullptr;
    }
    return &v->as_array();
  }
  const json::object* Object(std::string_view key, bool required) {
    const json::value* v = Find(key);
    if (v == nullptr) {
      if (required) Add(key, "必填");
      return nullptr;
    }
    if (!v->is_object()) {
      Add(key, "应为对象");
      return nullptr;
    }
    return &v->as_object();
  }
  std::string Path(std::string_view key) const { return prefix_ + std::string(key); }
  void Add(std::string_view key, std::string message) {
    errors_.push_back({Path(key), std::move(message)});
  }

 private:
  const json::value* Find(std::string_view key) const {
    const json::value* v = o_.if_contains(key);
    return v == nullptr || v->is_null() ? nullptr : v;
  }

  const json::object& o_;
  std::string prefix_;
  std::vector<FieldError>& errors_;
};

std::vector<Period> ReadPeriods(Reader& r, std::string_view key, std::vector<FieldError>& errors) {
  std::vector<Period> out;
  const json::array* a = r.Array(key, false);
  if (a == nullptr) return out;
  for (std::size_t i = 0; i < a->size(); ++i) {
    const std::string path = r.Path(key) + "[" + std::to_string(i) + "]";
    if (!(*a)[i].is_object()) {
      errors.push_back({path, "应为对象 {from, to}"});
      continue;
    }
    Reader p((*a)[i].as_object(), path + ".", errors);
    Period period;
    p.String("from", period.from, true);
    p.String("to", period.to, true);
    out.push_back(std::move(period));
  }
  return out;
}

HallSchedule ReadSchedule(const json::object& o, const std::string& prefix,
                          std::vector<FieldError>& errors) {
  HallSchedule s;
  Reader r(o, prefix, errors);
  r.Int("slotMinutes", s.slot_minutes);
  r.Int("bookAheadDays", s.book_ahead_days);
  r.Int("cancelBeforeMinutes", s.cancel_before_minutes);
  r.Int("reminderHours", s.reminder_hours);
  s.workday = ReadPeriods(r, "workday", errors);
  s.evening = ReadPeriods(r, "evening", errors);
  s.restday = ReadPeriods(r, "restday", errors);
  r.Bool("restdayOnHolidays", s.restday_on_holidays);
  return s;
}

std::vector<CounterType> ReadCounterTypes(const json::array& a, const std::string& prefix,
                                          std::vector<FieldError>& errors) {
  std::vector<CounterType> out;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const std::string path = prefix + "[" + std::to_string(i) + "]";
    if (!a[i].is_object()) {
      errors.push_back({path, "应为对象"});
      continue;
    }
    Reader r(a[i].as_object(), path + ".", errors);
    CounterType c;
    r.String("code", c.code, true);
    r.String("name", c.name, true);
    r.Strings("itemCodes", c.item_codes);
    r.Strings("bundleCodes", c.bundle_codes);
    r.Int("slotCapacity", c.slot_capacity);
    r.Int("dayCapacity", c.day_capacity);
    out.push_back(std::move(c));
  }
  return out;
}

Error InvalidHall(std::vector<FieldError> fields) {
  Error e = InvalidArgument("appointments.invalid_hall", "服务大厅信息有误，请按提示修改");
  e.fields = std::move(fields);
  return e;
}

Result<json::value> ParseStored(std::string_view text) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec) return InvalidHall({{"", "存储的大厅设置不是有效的 JSON"}});
  return v;
}

}  // namespace

json::object ScheduleToJson(const HallSchedule& s) {
  return {{"slotMinutes", s.slot_minutes},
          {"bookAheadDays", s.book_ahead_days},
          {"cancelBeforeMinutes", s.cancel_before_minutes},
          {"reminderHours", s.reminder_hours},
          {"workday", PeriodsToJson(s.workday)},
          {"evening", PeriodsToJson(s.evening)},
          {"restday", PeriodsToJson(s.restday)},
          {"restdayOnHolidays", s.restday_on_holidays}};
}

json::array CounterTypesToJson(const std::vector<CounterType>& counter_types) {
  json::array a;
  for (const CounterType& c : counter_types) {
    a.push_back(json::object{{"code", c.code},
                             {"name", c.name},
                             {"itemCodes", StringsToJson(c.item_codes)},
                             {"bundleCodes", StringsToJson(c.bundle_codes)},
                             {"slotCapacity", c.slot_capacity},
                             {"dayCapacity", c.day_capacity}});
  }
  return a;
}

json::object HallToJson(const Hall& h) {
  return {{"id", h.id},
          {"code", h.code},
          {"name", h.name},
          {"regionCode", h.region_code},
          {"address", h.address},
          {"phone", h.phone},
          {"active", h.active},
          {"version", h.version},
          {"schedule", ScheduleToJson(h.schedule)},
          {"counterTypes", CounterTypesToJson(h.counter_types)}};
}

Result<Hall> HallFromJson(const json::value& v) {
  std::vector<FieldError> errors;
  if (!v.is_object()) return InvalidHall({{"", "应为 JSON 对象"}});
  Hall h;
  Reader r(v.as_object(), "", errors);
  r.String("code", h.code, true);
  r.String("name", h.name, true);
  r.String("regionCode", h.region_code, true);
  r.String("address", h.address);
  r.String("phone", h.phone);
  r.Bool("active", h.active);
  if (const json::object* s = r.Object("schedule", true)) {
    h.schedule = ReadSchedule(*s, "schedule.", errors);
  }
  if (const json::array* c = r.Array("counterTypes", true)) {
    h.counter_types = ReadCounterTypes(*c, "counterTypes", errors);
  }
  if (!errors.empty()) return InvalidHall(std::move(errors));
  return h;
}

Result<HallSchedule> ScheduleFromJson(std::string_view text) {
  ASSIGN_OR_RETURN(json::value v, ParseStored(text));
  if (!v.is_object()) return InvalidHall({{"schedule", "应为对象"}});
  std::vector<FieldError> errors;
  HallSchedule s = ReadSchedule(v.as_object(), "schedule.", errors);
  if (!errors.empty()) return InvalidHall(std::move(errors));
  return s;
}

Result<std::vector<CounterType>> CounterTypesFromJson(std::string_view text) {
  ASSIGN_OR_RETURN(json::value v, ParseStored(text));
  if (!v.is_array()) return InvalidHall({{"counterTypes", "应为数组"}});
  std::vector<FieldError> errors;
  std::vector<CounterType> out = ReadCounterTypes(v.as_array(), "counterTypes", errors);
  if (!errors.empty()) return InvalidHall(std::move(errors));
  return out;
}

}  // namespace onestop::cases
