// Halls (服务大厅) as JSON with camelCase keys: the shape of the HTTP API (docs/API.md "Hall")
// and of the appt_hall JSON columns. Reading checks the shape only (missing keys, wrong types);
// AppointmentService checks the meaning. Bookings and slots are encoded by the routes.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <string_view>

#include "cases/appointment.h"
#include "core/result.h"

namespace onestop::cases {

boost::json::object ScheduleToJson(const HallSchedule& schedule);
boost::json::array CounterTypesToJson(const std::vector<CounterType>& counter_types);
// Every field of the hall, with "id" and "version".
boost::json::object HallToJson(const Hall& hall);

// Reads a hall from `v` ("id" and "version" are not read). Absent optional keys take the
// defaults of appointment.h; code, name, regionCode, schedule and counterTypes are required.
// kInvalidArgument appointments.invalid_hall with one field error per problem, named by its
// path ("schedule.workday[0].from", "counterTypes[1].slotCapacity") in Chinese ("应为整数").
Result<Hall> HallFromJson(const boost::json::value& v);

// The stored columns (appt_hall.schedule_json / counter_types_json), written by
// ScheduleToJson / CounterTypesToJson. kInvalidArgument appointments.invalid_hall.
Result<HallSchedule> ScheduleFromJson(std::string_view text);
Result<std::vector<CounterType>> CounterTypesFromJson(std::string_view text);

}  // namespace onestop::cases
