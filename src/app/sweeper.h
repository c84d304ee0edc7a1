// Sweeper (定时任务): the server's periodic jobs in one background thread — appointment
// reminders and no-shows (AppointmentService::SendDueReminders) and overdue 容缺 pledges
// (CaseService::FlagOverduePledges). Both are safe with several server nodes on one database:
// each change is claimed by a conditional update in its own transaction. Started by `serve`.
#pragma once

#include <condition_variable>
#include <mutex>
#include <thread>

#include "cases/appointment_service.h"
#include "cases/case_service.h"
#include "core/clock.h"

namespace onestop::app {

struct SweeperOptions {
  Millis interval_ms = 60'000;  // pause between rounds (real time)
};

class Sweeper {
 public:
  using Options = SweeperOptions;

  // The services and `clock` must outlive the sweeper.
  Sweeper(cases::AppointmentService& appointments, cases::CaseService& cases, const Clock& clock,
          Options options = {});
  ~Sweeper();  // Stop()
  Sweeper(const Sweeper&) = delete;
  Sweeper& operator=(const Sweeper&) = delete;

  // One round at the clock's now: reminders and no-shows, then overdue pledges. Both jobs run
  // even if the first fails; the first error is returned (and logged by the thread).
  Result<void> RunOnce();

  // Runs RunOnce at once and then every interval_ms in a background thread. Stop() wakes it,
  // waits for the round in progress and joins. Both are idempotent.
  void Start();
  void Stop();

 private:
  void Loop();

  cases::AppointmentService& appointments_;
  cases::CaseService& cases_;
  const Clock& clock_;
  Options options_;

  std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace onestop::app
