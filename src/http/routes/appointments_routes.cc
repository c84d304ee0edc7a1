// Appointment routes (预约): service halls and their hours, the slot grid, booking and
// cancellation, the counter's day list and check-in. Shapes are in docs/openapi.json and
// docs/API.md ("Appointments"); rules live in cases::AppointmentService.
#include <boost/json.hpp>

#include "cases/appointment_json.h"
#include "cases/appointment_service.h"
#include "http/app_routes.h"
#include "http/json_util.h"

namespace onestop::http {
namespace json = boost::json;

namespace {

json::value OptTime(const std::optional<Millis>& t) {
  return t ? json::value(IsoTimeCst(*t)) : json::value(nullptr);
}

json::object BookingJson(const cases::Booking& b) {
  return {{"id", b.id},
          {"bookingNo", b.booking_no},
          {"hallId", b.hall_id},
          {"hallName", b.hall_name},
          {"counterType", b.counter_type},
          {"counterTypeName", b.counter_type_name},
          {"date", b.date.ToString()},
          {"start", b.start},
          {"end", b.end},
          {"extended", b.extended},
          {"itemCode", b.item_code},
          {"bundleCode", b.bundle_code},
          {"subjectName", b.subject_name},
          {"applicantName", b.applicant_name},
          {"phone", b.phone_masked},
          {"status", cases::BookingStatusCode(b.status)},
          {"cancelReason", b.cancel_reason},
          {"createdAt", IsoTimeCst(b.created_at_ms)},
          {"checkedInAt", OptTime(b.checked_in_at_ms)},
          {"caseId", b.case_id},
          {"version", b.version}};
}

json::object BookingsJson(const std::vector<cases::Booking>& bookings) {
  json::array items;
  for (const cases::Booking& b : bookings) items.push_back(BookingJson(b));
  return {{"items", std::move(items)}};
}

json::object SlotViewJson(const cases::SlotView& v) {
  json::array days;
  for (const cases::SlotDay& d : v.days) {
    json::array slots;
    for (const cases::Slot& s : d.slots) {
      slots.push_back(json::object{{"start", s.start},
                                   {"end", s.end},
                                   {"extended", s.extended},
                                   {"capacity", s.capacity},
                                   {"booked", s.booked},
                                   {"available", s.available},
                                   {"bookable", s.bookable}});
    }
    days.push_back(json::object{{"date", d.date.ToString()},
                                {"kind", cases::HallDayKindCode(d.kind)},
                                {"dayCapacity", d.day_capacity},
                                {"dayBooked", d.day_booked},
                                {"slots", std::move(slots)}});
  }
  return {{"counterType", v.counter_type},
          {"counterTypeName", v.counter_type_name},
          {"days", std::move(days)}};
}

// Query parameter `name` as a date, nullopt when absent or empty.
// kInvalidArgument http.invalid_query with a field error when it is not YYYY-MM-DD.
Result<std::optional<Date>> DateQuery(const Request& req, std::string_view name) {
  const std::string text = req.Query(name).value_or("");
  if (text.empty()) return std::optional<Date>();
  Result<Date> d = Date::Parse(text);
  if (!d.has_value()) {
    return InvalidArgument("http.invalid_query", "查询参数有误")
        .WithField(std::string(name), "日期格式应为 YYYY-MM-DD");
  }
  return std::optional<Date>(*d);
}

// The hall in a request body (POST / PUT). Shape problems: 400 appointments.invalid_hall.
Result<cases::Hall> HallFromBody(const Request& req) {
  ASSIGN_OR_RETURN(json::object body, ParseJsonBody(req));
  return cases::HallFromJson(body);
}

}  // namespace

void AddAppointmentsRoutes(Router& router, AppContext& app) {
  SessionGuard& guard = app.guard;
  cases::AppointmentService& svc = app.appointments;

  // --- halls -------------------------------------------------------------------------------
  router.Get("/api/v1/appointments/halls", [&](Request& req) -> Result<json::value> {
    const std::string all = req.Query("all").value_or("");
    const bool include_inactive = all == "1" || all == "true";
    std::optional<identity::Principal> actor;
    if (include_inactive) {
      ASSIGN_OR_RETURN(identity::Principal signed_in, guard.SignedIn(req));
      actor = std::move(signed_in);
    }
    ASSIGN_OR_RETURN(std::vector<cases::Hall> halls,
                     svc.ListHalls(include_inactive, actor ? &*actor : nullptr));
    json::array items;
    for (const cases::Hall& h : halls) items.push_back(cases::HallToJson(h));
    return json::object{{"items", std::move(items)}};
  });

  router.Get("/api/v1/appointments/halls/{id}", [&](Request& req) -> Result<json::value> {
    ASSIGN_OR_RETURN(cases::Hall hall, svc.GetHall(req.PathParam("id")));
    return cases::HallToJson(hall);
  });

  router.Post("/api/v1/appointments/halls", [&](Request& req) -> Result<json::value> {
    ASSIGN_OR_RETURN(identity::Principal actor, guard.SignedIn(req));
    // Refused before the body is read, as the other administration routes are.
    RETURN_IF_ERROR(identity::Require(actor, identity::Permission::kManageCatalog));
    ASSIGN_OR_RETURN(cases::Hall hall, HallFromBody(req));
    ASSIGN_OR_RETURN(cases::Hall saved, svc.CreateHall(actor, hall));
    return cases::HallToJson(saved);
  });

  router.Put("/api/v1/appointments/halls/{id}", [&](Request& req) -> Result<json::value> {
    ASSIGN_OR_RETURN(identity::Principal actor, guard.SignedIn(req));
    RETURN_IF_ERROR(identity::Require(actor, identity::Permission::kManageCatalog));
    ASSIGN_OR_RETURN(json::object body, ParseJsonBody(req));
    JsonReader in(body);
    const std::int64_t version = in.Int("version", true, 1);
    RETURN_IF_ERROR(in.Finish());
    ASSIGN_OR_RETURN(cases::Hall hall, cases::HallFromJson(body));
    hall.id = req.PathParam("id");
    hall.version = version;
    ASSIGN_OR_RETURN(cases::Hall saved, svc.UpdateHall(actor, hall));
    return cases::HallToJson(saved);
  });

  router.Get("/api/v1/appointments/halls/{id}/slots", [&](Request& req) -> Result<json::value> {
    cases::SlotQuery q;
    q.hall_id = req.PathParam("id");
    q.counter_type = req.Query("counterType").value_or("");
    q.item_code = req.Query("itemCode").value_or("");
    q.bundle_code = req.Query("bundleCode").value_or("");
    ASSIGN_OR_RETURN(q.from, DateQuery(req, "from"));
    ASSIGN_OR_RETURN(q.days, QueryInt(req, "days", 7, 1, 31));
    ASSIGN_OR_RETURN(cases::SlotView view, svc.Slots(q));
    return SlotViewJson(view);
  });

  // --- bookings ----------------------------------------------------------------------------
  router.Add("POST", "/api/v1/appointments", [&](Request& req) -> Result<Response> {
    ASSIGN_OR_RETURN(identity::Principal actor, guard.SignedIn(req));
    ASSIGN_OR_RETURN(json::object body, ParseJsonBody(req));
    JsonReader in(body);
    cases::BookingRequest r;
    r.hall_id = in.String("hallId", false);
    r.counter_type = in.String("counterType", false);
    const std::string date = in.String("date", false);
    r.start = in.String("start", false);
    r.item_code = in.String("itemCode", false);
    r.bundle_code = in.String("bundleCode", false);
    r.phone = in.String("phone", false);
    r.applicant_name = in.String("applicantName", false);
    r.id_number = in.String("idNumber", false);
    if (!date.empty()) {
      Result<Date> d = Date::Parse(date);
      if (d.has_value()) {
        r.date = *d;
      } else {
        in.AddError("date", "日期格式应为 YYYY-MM-DD");
      }
    }
    RETURN_IF_ERROR(in.Finish());
    ASSIGN_OR_RETURN(cases::Booking b, svc.Book(actor, r));
    return JsonResponse(BookingJson(b), 201);
  });

  router.Get("/api/v1/appointments/mine", [&](Request& req) -> Result<json::value> {
    ASSIGN_OR_RETURN(identity::Principal actor, guard.SignedIn(req));
    ASSIGN_OR_RETURN(std::vector<cases::Booking> bookings, svc.Mine(actor));
    return BookingsJson(bookings);
  });

  router.Get("/api/v1/appointments", [&](Request& req) -> Result<json::value> {
    ASSIGN_OR_RETURN(identity::Principal actor, guard.SignedIn(req));
    cases::BookingFilter f;
    f.hall_id = req.Query("hallId").value_or("");
    ASSIGN_OR_RETURN(f.date, DateQuery(req, "date"));
    const std::string status = req.Query("status").value_or("");
    if (!status.empty()) {
      ASSIGN_OR_RETURN(f.status, cases::ParseBookingStatus(status));
    }
    ASSIGN_OR_RETURN(std::vector<cases::Booking> bookings, svc.DayList(actor, f));
    return BookingsJson(bookings);
  });

  router.Post("/api/v1/appointments/{id}/cancel", [&](Request& req) -> Result<json::value> {
    ASSIGN_OR_RETURN(identity::Principal actor, guard.SignedIn(req));
    ASSIGN_OR_RETURN(json::object body, ParseJsonBody(req));
    JsonReader in(body);
    const std::string reason = in.String("reason", false);
    RETURN_IF_ERROR(in.Finish());
    ASSIGN_OR_RETURN(cases::Booking b, svc.Cancel(actor, req.PathParam("id"), reason));
    return BookingJson(b);
  });

  router.Post("/api/v1/appointments/{id}/check-in", [&](Request& req) -> Result<json::value> {
    ASSIGN_OR_RETURN(identity::Principal actor, guard.SignedIn(req));
    ASSIGN_OR_RETURN(json::object body, ParseJsonBody(req));
    JsonReader in(body);
    const std::string case_id = in.String("caseId", false);
    RETURN_IF_ERROR(in.Finish());
    ASSIGN_OR_RETURN(cases::Booking b, svc.CheckIn(actor, req.PathParam("id"), case_id));
    return BookingJson(b);
  });
}

}  // namespace onestop::http
