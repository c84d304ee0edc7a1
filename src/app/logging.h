// Logging set-up for the onestop program (spdlog): the default logger writes to stderr. While
// the server runs, lines are formatted into memory and written in batches (BufferedLogging),
// so the access log (one info line per request) costs no system call per request.
#pragma once

#include <memory>

namespace onestop::app {

// The line layout of every onestop log line: "2026-11-27T09:30:00.123+0800 info …".
inline constexpr const char* kLogPattern = "%Y-%m-%dT%H:%M:%S.%e%z %^%l%$ %v";

// Makes the default logger "onestop" write each line to stderr at once, coloured on a terminal.
void InitLogging();

// While an instance lives, the default logger buffers its lines and writes them to stderr when
// 64 KB have gathered, every second, and at once for a warning or error (with everything
// buffered before it). The destructor writes what is left and restores InitLogging's logger,
// so a clean shutdown loses no line; a crash or SIGKILL may lose up to the last second.
// On a terminal nothing changes (lines stay immediate and coloured). Not thread-safe: create
// and destroy it while no other thread logs.
class BufferedLogging {
 public:
  BufferedLogging();
  ~BufferedLogging();
  BufferedLogging(const BufferedLogging&) = delete;
  BufferedLogging& operator=(const BufferedLogging&) = delete;

 private:
  bool active_ = false;
};

}  // namespace onestop::app
