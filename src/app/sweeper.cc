#include "app/sweeper.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <exception>

namespace onestop::app {

Sweeper::Sweeper(cases::AppointmentService& appointments, cases::CaseService& cases,
                 const Clock& clock, Options options)
    : appointments_(appointments), cases_(cases), clock_(clock), options_(options) {}

Sweeper::~Sweeper() { Stop(); }

Result<void> Sweeper::RunOnce() {
  std::optional<Error> first;
  Result<cases::SweepReport> swept = appointments_.SendDueReminders(clock_.NowMs());
  if (!swept.has_value()) {
    first = swept.error();
  } else {
    if (swept->reminded > 0 || swept->no_shows > 0) {
      spdlog::info("预约：已发送提醒 {} 条，标记未到 {} 个", swept->reminded, swept->no_shows);
    }
    if (swept->failed > 0) {
      spdlog::warn("预约：{} 个预约本轮处理失败，下轮重试（{}）", swept->failed, swept->last_error);
    }
  }
  Result<int> flagged = cases_.FlagOverduePledges();
  if (!flagged.has_value()) {
    if (!first) first = flagged.error();
  } else if (*flagged > 0) {
    spdlog::info("办件：{} 项容缺材料已超过承诺期限", *flagged);
  }
  if (first) return *first;
  return Ok();
}

void Sweeper::Start() {
  std::lock_guard lock(mu_);
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] { Loop(); });
}

void Sweeper::Stop() {
  std::thread running;
  {
    std::lock_guard lock(mu_);
    if (!thread_.joinable()) return;
    stopping_ = true;
    running = std::move(thread_);
  }
  wake_.notify_all();
  running.join();
}

void Sweeper::Loop() {
  spdlog::info("定时任务已启动（预约提醒与未到标记、容缺材料逾期，每 {} 秒一轮）",
               options_.interval_ms / 1000);
  while (true) {
    try {
      Result<void> r = RunOnce();
      if (!r.has_value()) {
        spdlog::warn("定时任务出错：{}（{}）", r.error().message, r.error().reason);
      }
    } catch (const std::exception& e) {
      spdlog::error("定时任务异常：{}", e.what());
    }
    std::unique_lock lock(mu_);
    if (stopping_) break;
    wake_.wait_for(lock, std::chrono::milliseconds(options_.interval_ms),
                   [this] { return stopping_; });
    if (stopping_) break;
  }
  spdlog::info("定时任务已停止");
}

}  // namespace onestop::app
