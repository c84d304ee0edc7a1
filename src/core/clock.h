// Clock: the only source of "now" in OneStop. SystemClock in production; FakeClock
// (tests/testutil and here, for the CLI's --now) in tests. Instants are UTC epoch ms.
#pragma once

#include <atomic>
#include <cstdint>

namespace onestop {

// Milliseconds since the Unix epoch, UTC. Stored in SQL as `*_at_ms BIGINT`.
using Millis = std::int64_t;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual Millis NowMs() const = 0;
};

class SystemClock final : public Clock {
 public:
  Millis NowMs() const override;
  // A process-wide instance for wiring.
  static SystemClock& Instance();
};

// The system clock moved to start at `start_ms`: it then runs at real speed. For training
// installations and browser tests that must act on a given day (`onestop serve --now`).
class ShiftedClock final : public Clock {
 public:
  explicit ShiftedClock(Millis start_ms) : offset_(start_ms - SystemClock::Instance().NowMs()) {}
  Millis NowMs() const override { return SystemClock::Instance().NowMs() + offset_; }

 private:
  Millis offset_;
};

// A clock that only moves when told to. Thread-safe.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(Millis start_ms) : now_(start_ms) {}
  Millis NowMs() const override { return now_.load(); }
  void Set(Millis ms) { now_.store(ms); }
  void Advance(Millis delta_ms) { now_.fetch_add(delta_ms); }

 private:
  std::atomic<Millis> now_;
};

}  // namespace onestop
