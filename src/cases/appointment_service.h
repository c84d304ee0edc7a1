// AppointmentService: appointments (预约) — service halls and their hours (administrators),
// the slot grid (public), booking and cancellation (citizens, enterprises, and counter staff on
// someone's behalf), the counter's day list and check-in, and the periodic sweep that sends
// reminders and marks no-shows. Every change is one transaction with its audit entry and its
// notification (notify::Enqueue). Capacity is enforced by conditional updates of per-slot and
// per-day counter rows, so concurrent bookings never overbook on either database.
// Working days and rest days come from calendar/; the HTTP shapes are in http/routes/.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "audit/audit_log.h"
#include "calendar/calendar_service.h"
#include "cases/appointment.h"
#include "catalog/catalog_service.h"
#include "identity/identity_service.h"
#include "identity/principal.h"
#include "store/db.h"

namespace onestop::cases {

struct BookingFilter {
  std::string hall_id;
  std::optional<Date> date;  // default today
  std::optional<BookingStatus> status;
};

class AppointmentService {
 public:
  AppointmentService(store::Db& db, const Clock& clock, const audit::AuditLog& audit,
                     calendar::CalendarService& calendar, catalog::CatalogService& catalog,
                     identity::IdentityServices& identity);

  // --- halls ---------------------------------------------------------------------------------
  // Halls ordered by code: the active ones, or all of them when `include_inactive`, which needs
  // `actor` with catalog.manage (kPermissionDenied otherwise; kUnauthenticated without actor).
  Result<std::vector<Hall>> ListHalls(bool include_inactive,
                                      const identity::Principal* actor = nullptr);
  // Any hall, active or not. kNotFound appointments.hall_not_found.
  Result<Hall> GetHall(const std::string& id);
  // Creates a hall (catalog.manage). kInvalidArgument appointments.invalid_hall with every
  // problem as a field error ("schedule.workday[1].to", "counterTypes[0].itemCodes[2]" …);
  // kAlreadyExists appointments.hall_code_taken.
  Result<Hall> CreateHall(const identity::Principal& actor, const Hall& hall);
  // Replaces hall `hall.id`, whose `version` is the one edited; `active = false` deactivates it
  // (existing bookings stay). kNotFound; kAborted appointments.version_conflict when stale;
  // as CreateHall otherwise.
  Result<Hall> UpdateHall(const identity::Principal& actor, const Hall& hall);

  // --- slots ---------------------------------------------------------------------------------
  // The slot grid of one counter type for `days` days from `from` (public).
  // kInvalidArgument appointments.invalid_query (days, missing counter type / item);
  // kNotFound appointments.hall_not_found, appointments.no_such_counter;
  // kInvalidArgument appointments.counter_not_for_item (no counter serves the item/bundle).
  Result<SlotView> Slots(const SlotQuery& query);

  // --- bookings ------------------------------------------------------------------------------
  // Books a slot (cases.apply for oneself, or cases.intake on behalf of the named person).
  // kInvalidArgument appointments.invalid_booking (field errors), appointments.slot_past,
  // appointments.too_far_ahead, appointments.no_such_slot, appointments.closed_day,
  // appointments.counter_not_for_item; kFailedPrecondition appointments.hall_inactive,
  // appointments.no_party (account without a registered person); kNotFound
  // appointments.hall_not_found, appointments.no_such_counter; kFailedPrecondition
  // appointments.slot_full, appointments.day_full (409); kAlreadyExists appointments.duplicate (one
  // active booking per person, hall and day).
  Result<Booking> Book(const identity::Principal& actor, const BookingRequest& request);
  // The actor's own bookings (cases.apply): booked by their account or for their person /
  // enterprise; newest first, at most 200.
  Result<std::vector<Booking>> Mine(const identity::Principal& actor);
  // Cancels a booked booking: by its booker (reason optional) or by staff with cases.intake
  // (reason required, 2–200 characters); the seat is given back. kFailedPrecondition
  // appointments.bad_state (not booked), appointments.too_late_to_cancel (less than the hall's
  // cancelBeforeMinutes before the slot); kInvalidArgument appointments.invalid_reason.
  Result<Booking> Cancel(const identity::Principal& actor, const std::string& id,
                         const std::string& reason);
  // The counter's list of one hall and day (cases.intake), ordered by start time, with whole
  // names and masked phones. kNotFound appointments.hall_not_found.
  Result<std::vector<Booking>> DayList(const identity::Principal& actor,
                                       const BookingFilter& filter);
  // Checks a booked booking in on its own date (cases.intake): checked_in; with `case_id`
  // (an existing 办件) it is linked too. On a checked-in booking a `case_id` links the case
  // afterwards. kFailedPrecondition appointments.bad_state, appointments.not_today;
  // kInvalidArgument appointments.invalid_case (no such case).
  Result<Booking> CheckIn(const identity::Principal& actor, const std::string& id,
                          const std::string& case_id);

  // --- the periodic sweep ----------------------------------------------------------------------
  // Sends the "预约提醒" of every booked booking whose reminder is due at `now` and whose slot
  // has not started (once: a booking made inside the reminder window has none), and marks
  // booked bookings whose slot ended more than 30 minutes before `now` as no_show. Each booking
  // is its own transaction, so several nodes may sweep at once without sending twice.
  Result<SweepReport> SendDueReminders(Millis now);

 private:
  struct Applicant;
  Result<Applicant> ApplicantOf(const identity::Principal& actor, const BookingRequest& request);
  Result<void> ValidateHall(const Hall& hall);
  Result<Hall> SaveHall(const identity::Principal& actor, const Hall& hall, bool create);

  store::Db& db_;
  const Clock& clock_;
  const audit::AuditLog& audit_;
  calendar::CalendarService& calendar_;
  catalog::CatalogService& catalog_;
  identity::IdentityServices& identity_;
};

}  // namespace onestop::cases
