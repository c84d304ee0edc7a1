// Calendar routes: the working-day calendar (read by everyone signed in, overridden by admins)
// and the two calculators clerks use (N working days after a date; working days between).
#include <boost/json.hpp>

#include "http/app_routes.h"
#include "http/json_util.h"

namespace onestop::http {
namespace json = boost::json;

namespace {

const char* KindCode(DayKind k) {
  switch (k) {
    case DayKind::kWorkday:
      return "workday";
    case DayKind::kWeekend:
      return "weekend";
    case DayKind::kHoliday:
      return "holiday";
    case DayKind::kAdjustedWorkday:
      return "adjusted_workday";
  }
  return "";
}

json::object DayJson(const DayInfo& d) {
  return {{"date", d.date.ToString()},
          {"weekday", d.date.Weekday()},
          {"workday", d.workday},
          {"kind", KindCode(d.kind)},
          {"name", d.name},
          {"provisional", d.provisional},
          {"overridden", d.overridden}};
}

// A date from a path or query parameter, as a field error under `field`.
Result<Date> DateParam(const std::string& value, std::string_view field) {
  Result<Date> d = Date::Parse(value);
  if (!d.has_value()) {
    Error e = std::move(d).error();
    return std::move(e).WithField(std::string(field), "日期格式应为 YYYY-MM-DD");
  }
  return d;
}

}  // namespace

void AddCalendarRoutes(Router& router, AppContext& app) {
  SessionGuard& guard = app.guard;
  calendar::CalendarService& cal = app.calendar;

  router.Get("/api/v1/calendar/{year}", [&](Request& req) -> Result<json::value> {
    RETURN_IF_ERROR(guard.SignedIn(req));
    const std::string& y = req.PathParam("year");
    int year = 0;
    if (y.size() != 4 || y.find_first_not_of("0123456789") != std::string::npos) {
      return InvalidArgument("calendar.bad_year", "年份应为 4 位数字");
    }
    year = std::stoi(y);
    ASSIGN_OR_RETURN(calendar::YearView view, cal.Year(year));
    json::array days;
    for (const DayInfo& d : view.days) days.push_back(DayJson(d));
    return json::object{{"year", view.year},
                        {"published", view.published},
                        {"source", view.source},
                        {"days", std::move(days)}};
  });

  router.Put("/api/v1/calendar/days/{date}", [&](Request& req) -> Result<json::value> {
    ASSIGN_OR_RETURN(identity::Principal actor, guard.SignedIn(req));
    ASSIGN_OR_RETURN(Date date, DateParam(req.PathParam("date"), "date"));
    ASSIGN_OR_RETURN(json::object body, ParseJsonBody(req));
    JsonReader in(body);
    bool workday = in.Bool("workday");
    std::string name = in.String("name");
    std::string reason = in.String("reason");
    RETURN_IF_ERROR(in.Finish());
    ASSIGN_OR_RETURN(DayInfo day, cal.SetOverride(actor, date, workday, name, reason));
    return DayJson(day);
  });

  router.Delete("/api/v1/calendar/days/{date}", [&](Request& req) -> Result<json::value> {
    ASSIGN_OR_RETURN(identity::Principal actor, guard.SignedIn(req));
    ASSIGN_OR_RETURN(Date date, DateParam(req.PathParam("date"), "date"));
    ASSIGN_OR_RETURN(DayInfo day,
                     cal.RemoveOverride(actor, date, req.Query("reason").value_or("")));
    return DayJson(day);
  });

  router.Get("/api/v1/calendar/add", [&](Request& req) -> Result<json::value> {
    RETURN_IF_ERROR(guard.SignedIn(req));
    ASSIGN_OR_RETURN(std::string date_text, QueryRequired(req, "date"));
    ASSIGN_OR_RETURN(Date start, DateParam(date_text, "date"));
    RETURN_IF_ERROR(QueryRequired(req, "days"));  // required (docs/openapi.json): no fallback
    ASSIGN_OR_RETURN(int days, QueryInt(req, "days", 1, 1, 3650));
    ASSIGN_OR_RETURN(WorkingCalendar current, cal.Current());
    WorkingCalendar::Counted r = current.AddWorkingDays(start, days);
    return json::object{{"date", start.ToString()},
                        {"days", days},
                        {"result", r.date.ToString()},
                        {"provisional", r.provisional}};
  });

  router.Get("/api/v1/calendar/between", [&](Request& req) -> Result<json::value> {
    RETURN_IF_ERROR(guard.SignedIn(req));
    ASSIGN_OR_RETURN(std::string from_text, QueryRequired(req, "from"));
    ASSIGN_OR_RETURN(std::string to_text, QueryRequired(req, "to"));
    ASSIGN_OR_RETURN(Date from, DateParam(from_text, "from"));
    ASSIGN_OR_RETURN(Date to, DateParam(to_text, "to"));
    ASSIGN_OR_RETURN(WorkingCalendar current, cal.Current());
    WorkingCalendar::Span s = current.WorkingDaysBetween(from.StartOfDayMs(), to.StartOfDayMs());
    return json::object{{"from", from.ToString()},
                        {"to", to.ToString()},
                        {"workingDays", s.working_days},
                        {"provisional", s.provisional}};
  });
}

}  // namespace onestop::http
