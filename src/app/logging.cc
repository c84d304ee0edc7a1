#include "app/logging.h"

#include <spdlog/details/log_msg.h>
#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/base_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <mutex>

namespace onestop::app {
namespace {

constexpr const char* kLoggerName = "onestop";
constexpr std::size_t kWriteBytes = 64 * 1024;

// Formats lines into one memory buffer and writes it to stderr with one fwrite + fflush when it
// is full or on flush(). Flushing every second and on warnings is the logger's job (flush_every,
// flush_on), so the order of lines is kept.
class BufferedStderrSink final : public spdlog::sinks::base_sink<std::mutex> {
 public:
  ~BufferedStderrSink() override {
    std::lock_guard lock(mutex_);
    WriteOut();
  }

 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    formatter_->format(msg, buffer_);  // appends
    if (buffer_.size() >= kWriteBytes) WriteOut();
  }
  void flush_() override { WriteOut(); }

 private:
  void WriteOut() {
    if (buffer_.size() == 0) return;
    std::fwrite(buffer_.data(), 1, buffer_.size(), stderr);
    std::fflush(stderr);
    buffer_.clear();
  }

  spdlog::memory_buf_t buffer_;
};

std::shared_ptr<spdlog::logger> MakeLogger(spdlog::sink_ptr sink, spdlog::level::level_enum level) {
  auto logger = std::make_shared<spdlog::logger>(kLoggerName, std::move(sink));
  logger->set_formatter(std::make_unique<spdlog::pattern_formatter>(kLogPattern));
  logger->set_level(level);
  return logger;
}

}  // namespace

void InitLogging() {
  spdlog::set_default_logger(
      MakeLogger(std::make_shared<spdlog::sinks::stderr_color_sink_mt>(), spdlog::level::info));
}

BufferedLogging::BufferedLogging() {
  if (isatty(STDERR_FILENO)) return;  // a person is watching: keep lines immediate
  active_ = true;
  const spdlog::level::level_enum level = spdlog::default_logger()->level();
  std::shared_ptr<spdlog::logger> logger =
      MakeLogger(std::make_shared<BufferedStderrSink>(), level);
  logger->flush_on(spdlog::level::warn);
  spdlog::default_logger()->flush();
  spdlog::set_default_logger(std::move(logger));
  spdlog::flush_every(std::chrono::seconds(1));
}

BufferedLogging::~BufferedLogging() {
  if (!active_) return;
  const spdlog::level::level_enum level = spdlog::default_logger()->level();
  spdlog::default_logger()->flush();
  spdlog::set_default_logger(
      MakeLogger(std::make_shared<spdlog::sinks::stderr_color_sink_mt>(), level));
}

}  // namespace onestop::app
