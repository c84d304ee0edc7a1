// onestop match --policies FILE.json --enterprises FILE.jsonl: the bulk matcher (数据比对) on
// files in the neutral format, with no database (none is opened). Prints "<policy id> <count>"
// per policy in file order on stdout and the time of each phase on stderr.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>

#include "app/commands/commands.h"
#include "policy/matcher.h"
#include "policy/rule.h"

namespace onestop::app {
namespace {

struct MatchArgs {
  std::string policies;
  std::string enterprises;
  int threads = 0;
  bool progress = false;
  int rematch = 0;  // enterprises to change one by one after the run, timing RematchOne
};

double MsSince(std::chrono::steady_clock::time_point from) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - from).count();
}

// Names the file in front of the module's message, keeping code and reason.
Error InFile(Error error, const std::string& what, const std::string& path) {
  error.message = what + "“" + path + "”：" + error.message;
  return error;
}

// Changes `n` enterprises spread over the file, one at a time (employees + 7, and the industry
// of every second one), re-matches each against all items with RematchOne, and restores it.
void Rematch(policy::FactStore& store, policy::Matcher& matcher, int n) {
  std::vector<double> us;
  std::size_t flipped = 0;
  for (int k = 0; k < n; ++k) {
    const auto row = static_cast<policy::FactStore::Row>((store.size() * k) / n);
    policy::EnterpriseLine before{store.IdOf(row), store.FactsOf(row)};
    policy::EnterpriseLine after = before;
    auto it = after.facts.find("employees");
    const double* e = it == after.facts.end() ? nullptr : std::get_if<double>(&it->second);
    after.facts["employees"] = policy::Value((e != nullptr ? *e : 0.0) + 7);
    if (k % 2 == 1) after.facts["industry"] = policy::Value(std::string("C3911"));
    policy::FactStore::Change change = store.Upsert(after);
    auto start = std::chrono::steady_clock::now();
    flipped += matcher.RematchOne(store, change).size();
    us.push_back(MsSince(start) * 1000.0);
    (void)matcher.RematchOne(store, store.Upsert(before));
  }
  std::sort(us.begin(), us.end());
  double sum = 0;
  for (double u : us) sum += u;
  char line[256];
  std::snprintf(line, sizeof line,
                "单家企业重新匹配（%zu 次）：平均 %.1f 微秒，中位 %.1f，最长 %.1f；翻转 %zu 项\n"
                "rematch n=%zu mean_us=%.3f p50_us=%.3f max_us=%.3f\n",
                us.size(), sum / us.size(), us[us.size() / 2], us.back(), flipped, us.size(),
                sum / us.size(), us[us.size() / 2], us.back());
  std::cerr << line;
}

Result<void> Match(const MatchArgs& args) {
  auto start = std::chrono::steady_clock::now();
  std::ifstream file(args.policies, std::ios::binary);
  if (!file) {
    return InvalidArgument("policy.policy_file", "无法读取政策文件：" + args.policies);
  }
  std::ostringstream text;
  text << file.rdbuf();
  Result<std::vector<policy::RuleEntry>> entries = policy::ParsePolicyFile(text.str(), nullptr);
  if (!entries.has_value()) return InFile(std::move(entries).error(), "政策文件", args.policies);
  const double policies_ms = MsSince(start);

  start = std::chrono::steady_clock::now();
  policy::FactStore::ProgressFn progress;
  if (args.progress) {
    progress = [](const policy::FactStore::LoadProgress& p) {
      std::cerr << "已读取 " << p.lines << " 行，" << p.rows << " 家企业\n";
    };
  }
  Result<policy::FactStore> store =
      policy::FactStore::LoadJsonLinesFile(args.enterprises, progress, 50000);
  if (!store.has_value()) return InFile(std::move(store).error(), "企业数据文件", args.enterprises);
  const double enterprises_ms = MsSince(start);

  start = std::chrono::steady_clock::now();
  policy::Matcher matcher = policy::Matcher::Compile(std::span<const policy::RuleEntry>(*entries));
  const double compile_ms = MsSince(start);

  policy::MatchOptions options;
  options.threads = args.threads;
  options.keep_bitmaps = args.rematch > 0;  // else counts only
  matcher.Run(*store, options);
  // Counts are taken now: the --rematch changes below are undone, but not needed for output.
  std::vector<std::size_t> counts = matcher.counts();

  std::string out;
  out.reserve(entries->size() * 24);
  for (std::size_t i = 0; i < entries->size(); ++i) {
    out += (*entries)[i].id;
    out += ' ';
    out += std::to_string(counts[i]);
    out += '\n';
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  std::fflush(stdout);

  const policy::MatchStats& s = matcher.stats();
  const double evaluations = static_cast<double>(s.items) * static_cast<double>(store->size());
  const double match_ms = s.bind_ms + s.match_ms;
  char line[512];
  std::snprintf(line, sizeof line,
                "匹配完成：事项 %zu 个 × 企业 %zu 家；条件 %zu 个（共用后 %zu 个，节点 %zu 个）\n"
                "耗时（毫秒）：读取政策 %.1f，载入企业 %.1f，编译 %.1f，匹配 %.1f（绑定 %.1f），"
                "线程 %d；每秒 %.3g 次事项判定\n",
                s.items, store->size(), s.leaf_uses, s.unique_leaves, s.nodes, policies_ms,
                enterprises_ms, compile_ms, match_ms, s.bind_ms, s.threads,
                match_ms > 0 ? evaluations / (match_ms / 1000.0) : 0.0);
  std::cerr << line;
  // One machine-readable line for bench/policy_bench.sh.
  std::snprintf(line, sizeof line,
                "timing items=%zu enterprises=%zu load_policies_ms=%.3f load_enterprises_ms=%.3f "
                "compile_ms=%.3f match_ms=%.3f threads=%d\n",
                s.items, store->size(), policies_ms, enterprises_ms, compile_ms, match_ms,
                s.threads);
  std::cerr << line;
  if (args.rematch > 0 && store->size() > 0) Rematch(*store, matcher, args.rematch);
  return Ok();
}

}  // namespace

void AddMatchCommand(CLI::App& cli, GlobalFlags& /*global*/, int& exit_code) {
  auto args = std::make_shared<MatchArgs>();
  CLI::App* cmd =
      cli.add_subcommand("match", "数据比对：按政策文件的条件统计符合条件的企业数（不使用数据库）");
  cmd->add_option("--policies", args->policies, "政策文件（JSON 数组：id、title、cond）")
      ->required();
  cmd->add_option("--enterprises", args->enterprises, "企业数据文件（JSON Lines，每行一家企业）")
      ->required();
  cmd->add_option("--threads", args->threads, "线程数，默认每个 CPU 核一个")
      ->check(CLI::Range(0, 256));
  cmd->add_flag("--progress", args->progress, "载入企业数据时报告进度");
  cmd->add_option("--rematch", args->rematch,
                  "匹配后逐一改动 N 家企业的数据并计时单家重新匹配（基准测试用）")
      ->check(CLI::Range(0, 1000000));
  cmd->callback([&exit_code, args] { exit_code = ExitCode(Match(*args)); });
}

}  // namespace onestop::app
