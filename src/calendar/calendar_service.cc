#include "calendar/calendar_service.h"

#include <boost/json.hpp>

#include "core/text.h"

namespace onestop::calendar {
namespace {

Result<void> CheckText(const std::string& value, const char* field, const char* label,
                       std::size_t min, std::size_t max) {
  std::size_t n = text::CountCodePoints(text::TrimSpace(value));
  if (n < min || n > max) {
    std::string message =
        std::string(label) + "须为 " + std::to_string(min) + "–" + std::to_string(max) + " 个字";
    return InvalidArgument("calendar.invalid_override", message).WithField(field, message);
  }
  return Ok();
}

boost::json::object DayJson(const DayInfo& d) {
  return {{"date", d.date.ToString()}, {"workday", d.workday}, {"name", d.name}};
}

}  // namespace

CalendarService::CalendarService(store::Db& db, const Clock& clock, const audit::AuditLog& audit,
                                 const WorkingCalendar& published, Millis cache_ms)
    : db_(db), clock_(clock), audit_(audit), published_(published), cache_ms_(cache_ms) {}

Result<std::vector<CalendarOverride>> CalendarService::LoadOverrides() {
  return store::Read(db_, [](store::Tx& tx) -> Result<std::vector<CalendarOverride>> {
    ASSIGN_OR_RETURN(store::Rows rows,
                     tx.Query("SELECT date, workday, name FROM calendar_override ORDER BY date"));
    std::vector<CalendarOverride> out;
    for (const store::Row& r : rows) {
      Result<Date> d = Date::Parse(r.Text(0));
      if (d.has_value()) out.push_back({*d, r.Bool(1), r.Text(2)});
    }
    return out;
  });
}

Result<WorkingCalendar> CalendarService::Current() {
  const Millis now = clock_.NowMs();
  {
    std::lock_guard lock(mu_);
    if (cached_ && now - cached_at_ms_ < cache_ms_) return *cached_;
  }
  ASSIGN_OR_RETURN(std::vector<CalendarOverride> overrides, LoadOverrides());
  WorkingCalendar current = published_.WithOverrides(std::move(overrides));
  std::lock_guard lock(mu_);
  cached_ = current;
  cached_at_ms_ = now;
  return current;
}

void CalendarService::Invalidate() {
  std::lock_guard lock(mu_);
  cached_.reset();
}

Result<YearView> CalendarService::Year(int year) {
  if (year < 1900 || year > 2199) {
    return InvalidArgument("calendar.bad_year", "年份须在 1900–2199 之间");
  }
  ASSIGN_OR_RETURN(WorkingCalendar cal, Current());
  YearView view;
  view.year = year;
  view.published = cal.IsPublished(year);
  view.source = cal.SourceNote();
  for (Date d{year, 1, 1}; d.year == year; d = d.AddDays(1)) view.days.push_back(cal.Day(d));
  return view;
}

Result<DayInfo> CalendarService::SetOverride(const identity::Principal& actor, Date date,
                                             bool workday, const std::string& name,
                                             const std::string& reason) {
  RETURN_IF_ERROR(identity::Require(actor, identity::Permission::kManageCalendar));
  RETURN_IF_ERROR(CheckText(name, "name", "名称", 1, 32));
  RETURN_IF_ERROR(CheckText(reason, "reason", "调整原因", 2, 200));
  if (date.year < 1900 || date.year > 2199) {
    return InvalidArgument("calendar.bad_year", "年份须在 1900–2199 之间");
  }
  // Date is a plain struct: 2026-02-30 would be stored, audited, then skipped on load.
  if (!Date::IsValid(date.year, date.month, date.day)) {
    return InvalidArgument("calendar.bad_date", "日期 " + date.ToString() + " 不存在")
        .WithField("date", "日期不存在");
  }
  ASSIGN_OR_RETURN(WorkingCalendar before_cal, Current());
  DayInfo before = before_cal.Day(date);
  const std::string day = date.ToString();
  const std::string clean_name(text::TrimSpace(name));
  const std::string clean_reason(text::TrimSpace(reason));
  RETURN_IF_ERROR(store::Transact(db_, [&](store::Tx& tx) -> Result<void> {
    const Millis now = clock_.NowMs();
    ASSIGN_OR_RETURN(
        std::int64_t changed,
        tx.Exec("UPDATE calendar_override SET workday = ?, name = ?, reason = ?, "
                "updated_by = ?, updated_at_ms = ?, version = version + 1 "
                "WHERE date = ?",
                {std::int64_t{workday}, clean_name, clean_reason, actor.user_id, now, day}));
    if (changed == 0) {
      RETURN_IF_ERROR(
          tx.Exec("INSERT INTO calendar_override (date, workday, name, reason, updated_by, "
                  "updated_at_ms, version) VALUES (?,?,?,?,?,?,1)",
                  {day, std::int64_t{workday}, clean_name, clean_reason, actor.user_id, now}));
    }
    RETURN_IF_ERROR(audit_.Append(
        tx, identity::ActorOf(actor),
        {"calendar.override.set", "calendar_day", day, std::nullopt, clean_reason,
         boost::json::serialize(boost::json::object{
             {"before", DayJson(before)},
             {"after", {{"date", day}, {"workday", workday}, {"name", clean_name}}}})}));
    return Ok();
  }));
  Invalidate();
  ASSIGN_OR_RETURN(WorkingCalendar cal, Current());
  return cal.Day(date);
}

Result<DayInfo> CalendarService::RemoveOverride(const identity::Principal& actor, Date date,
                                                const std::string& reason) {
  RETURN_IF_ERROR(identity::Require(actor, identity::Permission::kManageCalendar));
  RETURN_IF_ERROR(CheckText(reason, "reason", "调整原因", 2, 200));
  const std::string day = date.ToString();
  ASSIGN_OR_RETURN(WorkingCalendar before_cal, Current());
  DayInfo before = before_cal.Day(date);
  RETURN_IF_ERROR(store::Transact(db_, [&](store::Tx& tx) -> Result<void> {
    ASSIGN_OR_RETURN(std::int64_t removed,
                     tx.Exec("DELETE FROM calendar_override WHERE date = ?", {day}));
    if (removed == 0) {
      return NotFound("calendar.no_override", day + " 没有人工调整，无需恢复");
    }
    RETURN_IF_ERROR(
        audit_.Append(tx, identity::ActorOf(actor),
                      {"calendar.override.remove", "calendar_day", day, std::nullopt,
                       std::string(text::TrimSpace(reason)),
                       boost::json::serialize(boost::json::object{{"before", DayJson(before)}})}));
    return Ok();
  }));
  Invalidate();
  ASSIGN_OR_RETURN(WorkingCalendar cal, Current());
  return cal.Day(date);
}

Result<std::vector<OverrideRecord>> CalendarService::Overrides() {
  return store::Read(db_, [](store::Tx& tx) -> Result<std::vector<OverrideRecord>> {
    ASSIGN_OR_RETURN(store::Rows rows,
                     tx.Query("SELECT date, workday, name, reason, updated_by, updated_at_ms "
                              "FROM calendar_override ORDER BY date"));
    std::vector<OverrideRecord> out;
    for (const store::Row& r : rows) {
      Result<Date> d = Date::Parse(r.Text(0));
      if (!d.has_value()) continue;
      out.push_back({*d, r.Bool(1), r.Text(2), r.Text(3), r.Text(4), r.Int(5)});
    }
    return out;
  });
}

}  // namespace onestop::calendar
