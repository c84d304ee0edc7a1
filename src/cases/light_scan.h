// Light scan (红黄绿灯巡检): the supervision light of every pending task at one instant, for
// 电子监察 dashboards and scheduled jobs. ScanLights is the entry point. It reads case_task in
// pages keyed by task id (keyset pagination; store/ has no row-streaming query), so its memory
// is bounded by the page size however many tasks are open. Counts only: nothing is written.
// The light of one case when it is read is CaseService's (case_service.h).
#pragma once

#include <cstdint>

#include "calendar/calendar_service.h"
#include "core/clock.h"
#include "core/result.h"
#include "identity/principal.h"
#include "store/db.h"

namespace onestop::cases {

struct LightCounts {
  std::int64_t green = 0;
  std::int64_t yellow = 0;
  std::int64_t red = 0;
  std::int64_t suspended = 0;         // tasks of cases in 补正: their clocks stand still
  std::int64_t without_deadline = 0;  // no deadline stored (should not happen; counted anyway)
  std::int64_t scanned = 0;           // pending tasks read: the sum of the five above
  int pages = 0;                      // page queries run (the last one may come back short)
};

struct LightScanOptions {
  int page_size = 10000;  // rows per query, 1–100000: memory grows with it
  int yellow_days = 1;    // as cases::Options::yellow_days
};

inline constexpr int kMaxLightScanPage = 100000;

// Counts the lights of every pending task whose department is in `actor`'s data scope
// (everything for scope all; nothing for scope self), at `clock`'s now with the current
// calendar. Each page is its own read transaction, so a long scan holds no snapshot.
// kPermissionDenied without cases.read; kInvalidArgument cases.bad_page_size.
Result<LightCounts> ScanLights(store::Db& db, calendar::CalendarService& calendar,
                               const Clock& clock, const identity::Principal& actor,
                               const LightScanOptions& options = {});

}  // namespace onestop::cases
