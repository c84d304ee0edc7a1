// Micro-benchmarks of the core validators and the working-day calendar. BM_Baseline copies an
// 18-character string, so the other figures can be quoted as multiples of it.
#include <benchmark/benchmark.h>

#include <string>

#include "core/id_number.h"
#include "core/region.h"
#include "core/uscc.h"
#include "core/working_days.h"

namespace onestop {
namespace {

void BM_Baseline_CopyString18(benchmark::State& state) {
  const std::string source = "11010519491231002X";
  for (auto _ : state) {
    std::string copy = source;
    benchmark::DoNotOptimize(copy);
  }
}
BENCHMARK(BM_Baseline_CopyString18);

void BM_ParseIdNumber(benchmark::State& state) {
  for (auto _ : state) {
    Result<IdNumber> r = ParseIdNumber("11010519491231002X", 20260115);
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_ParseIdNumber);

void BM_ParseIdNumber_BadCheck(benchmark::State& state) {
  for (auto _ : state) {
    Result<IdNumber> r = ParseIdNumber("110105194912310021", 20260115);
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_ParseIdNumber_BadCheck);

void BM_ParseUscc(benchmark::State& state) {
  for (auto _ : state) {
    Result<Uscc> r = ParseUscc("11100000000013338W", false);
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_ParseUscc);

void BM_ValidateRegionCode(benchmark::State& state) {
  (void)FindRegion("430104");  // load the table outside the timed loop
  for (auto _ : state) {
    Result<const Region*> r = ValidateRegionCode("430104");
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_ValidateRegionCode);

void BM_AddWorkingDays20(benchmark::State& state) {
  const WorkingCalendar& cal = WorkingCalendar::Builtin();
  const Date start{2026, 9, 25};
  for (auto _ : state) {
    WorkingCalendar::Counted r = cal.AddWorkingDays(start, 20);
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_AddWorkingDays20);

void BM_AddWorkingDays20_PastPublishedYears(benchmark::State& state) {
  const WorkingCalendar& cal = WorkingCalendar::Builtin();
  const Date start{2026, 12, 20};
  for (auto _ : state) {
    WorkingCalendar::Counted r = cal.AddWorkingDays(start, 20);
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_AddWorkingDays20_PastPublishedYears);

}  // namespace
}  // namespace onestop
