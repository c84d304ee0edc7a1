// Appointments (预约): service halls (服务大厅) with their opening hours and counter types, the
// time slots computed from them, and bookings. Plain values; AppointmentService
// (appointment_service.h) enforces the rules. Dates are China Standard Time calendar days and
// times "HH:MM" on them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "core/working_days.h"

namespace onestop::cases {

// One opening period of a day, "09:00"–"12:00" (from inclusive, to exclusive).
struct Period {
  std::string from;
  std::string to;
  bool operator==(const Period&) const = default;
};

// When a hall is open and how far ahead it takes bookings. Working days and rest days come
// from the working-day calendar (调休 weekends worked count as working days).
struct HallSchedule {
  int slot_minutes = 30;             // 10–240; every period's length is a multiple of it
  int book_ahead_days = 14;          // 1–60: the last bookable day is today + this (today = 0)
  int cancel_before_minutes = 30;    // cancellation allowed until this long before the slot
  int reminder_hours = 24;           // reminder this long before the slot; 0 = none
  std::vector<Period> workday;       // on working days
  std::vector<Period> evening;       // 延时服务 on working days, after the workday periods
  std::vector<Period> restday;       // 周末服务 on rest days
  bool restday_on_holidays = false;  // restday periods also on statutory holidays
  bool operator==(const HallSchedule&) const = default;
};

// A kind of counter (窗口类型) with its own capacity. No item and no bundle = serves any item.
struct CounterType {
  std::string code;  // "general", unique within the hall
  std::string name;  // "综合受理窗口"
  std::vector<std::string> item_codes;
  std::vector<std::string> bundle_codes;
  int slot_capacity = 1;  // seats per slot, 1–999
  int day_capacity = 1;   // seats per day, 1–999, ≥ slot_capacity
  bool IsGeneral() const { return item_codes.empty() && bundle_codes.empty(); }
  bool operator==(const CounterType&) const = default;
};

struct Hall {
  std::string id;  // ULID, "" for a new hall
  std::string code;
  std::string name;
  std::string region_code;  // 行政区划代码
  std::string address;
  std::string phone;
  bool active = true;
  HallSchedule schedule;
  std::vector<CounterType> counter_types;
  std::int64_t version = 0;  // 0 for a new hall; the version edited for an update
};

// What a hall does on a given day.
enum class HallDayKind {
  kWorkday,  // working day (incl. 调休 weekends): workday and evening periods
  kRestday,  // rest day with 周末服务 periods (holidays only with restday_on_holidays)
  kClosed,   // no periods that day
};
const char* HallDayKindCode(HallDayKind k);  // "workday" / "restday" / "closed"

struct Slot {
  std::string start, end;  // "HH:MM"
  bool extended = false;   // evening (延时) or rest-day (周末) service
  int capacity = 0;
  int booked = 0;
  int available = 0;      // capacity − booked, never negative
  bool bookable = false;  // not past, within book-ahead days, seats left in the slot and day
};

struct SlotDay {
  Date date;
  HallDayKind kind = HallDayKind::kClosed;
  int day_capacity = 0;  // 0 when closed
  int day_booked = 0;
  std::vector<Slot> slots;
};

struct SlotQuery {
  std::string hall_id;
  std::string counter_type;  // or, when empty, the counter serving item_code / bundle_code
  std::string item_code;
  std::string bundle_code;
  std::optional<Date> from;  // default today
  int days = 7;              // 1–31
};

struct SlotView {
  std::string counter_type;  // the counter type shown (picked for the item when not given)
  std::string counter_type_name;
  std::vector<SlotDay> days;
};

enum class BookingStatus {
  kBooked,     // 已预约
  kCancelled,  // 已取消
  kCheckedIn,  // 已签到
  kNoShow,     // 未到 (not checked in 30 minutes after the slot ended)
};
const char* BookingStatusCode(BookingStatus s);  // "booked", "cancelled", "checked_in", "no_show"
const char* BookingStatusName(BookingStatus s);  // "已预约" …
// kInvalidArgument appointments.bad_status.
Result<BookingStatus> ParseBookingStatus(std::string_view code);

// A booking request. Citizens and enterprises book for themselves; staff (cases.intake) book on
// behalf of someone and then give applicant_name, id_number and phone.
struct BookingRequest {
  std::string hall_id;
  std::string counter_type;  // may be empty when item_code or bundle_code picks it
  std::optional<Date> date;
  std::string start;  // "HH:MM", a slot start of that day
  std::string item_code;
  std::string bundle_code;
  std::string phone;           // optional for citizens (default: the registered one)
  std::string applicant_name;  // staff only
  std::string id_number;       // staff only
};

struct Booking {
  std::string id;
  std::string booking_no;  // "YY20260214001"
  std::string hall_id, hall_name;
  std::string counter_type, counter_type_name;
  Date date;
  std::string start, end;
  bool extended = false;
  std::string item_code, bundle_code, subject_name;
  // Whole for staff with cases.intake; masked ("张*三") for everyone else.
  std::string applicant_name;
  std::string phone_masked;  // "138****0001"
  BookingStatus status = BookingStatus::kBooked;
  std::string cancel_reason;
  Millis created_at_ms = 0;
  Millis starts_at_ms = 0, ends_at_ms = 0;
  std::optional<Millis> checked_in_at_ms;
  std::string case_id;
  std::int64_t version = 1;
};

// What one sweep did.
struct SweepReport {
  int reminded = 0;        // reminders sent
  int no_shows = 0;        // bookings marked no_show
  int failed = 0;          // bookings whose change failed (tried again next time)
  std::string last_error;  // "<reason>: <message>" of the last failure
};

// "张*三": keeps the first and last character of a name of 3 or more characters, masks the
// rest; a 2-character name keeps the first ("张*"). Counts code points.
std::string MaskName(std::string_view name);

}  // namespace onestop::cases
