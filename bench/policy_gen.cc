// policy_gen: deterministic policies and enterprises in the neutral format (policy/rule.h) for
// the matcher benchmark, and the reference counts they should give.
//
//   policy_gen --items 4288 --enterprises 21622 --seed 1 --out-policies P.json
//              --out-enterprises E.jsonl
//   policy_gen --reference --policies P.json --enterprises E.jsonl [--threads N]
//   policy_gen --flat --policies P.json --enterprises E.jsonl --out-policies P.flat
//              --out-enterprises E.flat     (the input of bench/policy_peers/columnar.c)
//
// Enterprises look like 娄底 (4313xx) firms: GB/T 4754-2017 industry codes (制造业 C13–C43 the
// largest section), employees log-normal (median ≈ 12), revenue and tax tied to size, flags at
// realistic rates (高新 ≈ 4 %, 专精特新 ≈ 1.5 %, 失信 ≈ 2 %), each fact missing now and then.
// Items have 2–8 leaves mixing every operator with nested any / not, and are retried until they
// match 0.1–5 % of a sample of enterprises (most do). `--reference` evaluates every item for
// every enterprise with policy::Evaluate: the expected output of `onestop match`.
#include <algorithm>
#include <boost/json/serialize.hpp>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "policy/cond_builders.h"
#include "policy/rule.h"

namespace {

using onestop::policy::Cond;
using onestop::policy::EnterpriseLine;
using onestop::policy::Facts;
using onestop::policy::Group;
using onestop::policy::Leaf;
using onestop::policy::Not;
using onestop::policy::Op;
using onestop::policy::Value;

using Rng = std::mt19937_64;

double Uniform(Rng& rng) { return std::uniform_real_distribution<double>(0.0, 1.0)(rng); }
int UniformInt(Rng& rng, int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); }
bool Chance(Rng& rng, double p) { return Uniform(rng) < p; }
double LogNormal(Rng& rng, double median, double sigma) {
  return median * std::exp(sigma * std::normal_distribution<double>(0.0, 1.0)(rng));
}
template <typename T>
const T& PickOf(Rng& rng, const std::vector<T>& v) {
  return v[std::uniform_int_distribution<std::size_t>(0, v.size() - 1)(rng)];
}
// Index by weight.
std::size_t Weighted(Rng& rng, const std::vector<double>& weights) {
  return std::discrete_distribution<std::size_t>(weights.begin(), weights.end())(rng);
}

// GB/T 4754-2017 sections with their divisions and a share of registered firms.
struct Section {
  char letter;
  int first_division, last_division;
  double weight;
};
const std::vector<Section> kSections = {{'A', 1, 5, 6},   {'B', 6, 12, 1},  {'C', 13, 43, 30},
                                        {'D', 44, 46, 1}, {'E', 47, 50, 8}, {'F', 51, 52, 26},
                                        {'G', 53, 60, 5}, {'H', 61, 62, 7}, {'I', 63, 65, 5},
                                        {'K', 70, 70, 2}, {'L', 71, 72, 6}, {'M', 73, 75, 3}};
const std::vector<std::string> kRegions = {"431302", "431321", "431322", "431381", "431382"};
const std::vector<double> kRegionWeights = {22, 18, 20, 12, 28};  // 涟源 431382 largest
const std::vector<std::string> kRatings = {"A", "B", "C", "D"};

std::string IndustryCode(Rng& rng) {
  std::vector<double> w;
  for (const Section& s : kSections) w.push_back(s.weight);
  const Section& s = kSections[Weighted(rng, w)];
  // Lower divisions, groups and classes are more common (a Zipf-like skew).
  int span = s.last_division - s.first_division + 1;
  int division =
      s.first_division + static_cast<int>(std::floor(span * std::pow(Uniform(rng), 1.6)));
  int group = 1 + static_cast<int>(std::floor(6 * std::pow(Uniform(rng), 1.5)));
  int klass = 1 + static_cast<int>(std::floor(5 * std::pow(Uniform(rng), 1.5)));
  char buf[48];
  std::snprintf(buf, sizeof buf, "%c%02d%d%d", s.letter, division, group, klass);
  return buf;
}

Facts EnterpriseFacts(Rng& rng) {
  Facts f;
  auto maybe = [&](const char* key, Value v, double missing) {
    if (!Chance(rng, missing)) f.emplace(key, std::move(v));
  };
  const std::string industry = IndustryCode(rng);
  const bool tech_sector = industry[0] == 'C' || industry[0] == 'I' || industry[0] == 'M';
  maybe("industry", industry, 0.01);
  maybe("region", kRegions[Weighted(rng, kRegionWeights)], 0.0);
  const int year = 2026 - static_cast<int>(std::floor(30 * std::pow(Uniform(rng), 1.8)));
  const int month = UniformInt(rng, 1, year == 2026 ? 10 : 12);
  maybe("registered_on", Value(double(year * 10000 + month * 100 + UniformInt(rng, 1, 28))), 0.0);
  const double employees = std::max(1.0, std::round(LogNormal(rng, 12, 1.25)));
  maybe("employees", employees, 0.04);
  const double insured = std::round(employees * (0.4 + 0.6 * Uniform(rng)));
  maybe("insured_employees", insured, 0.08);
  // 失业保险: about 1 % of a ¥4,500 monthly base, 12 months, in fen.
  maybe("insurance_paid_fen", std::round(insured * LogNormal(rng, 54000, 0.3)), 0.1);
  maybe("layoff_rate", std::round(1000 * std::min(0.3, LogNormal(rng, 0.015, 1.0))) / 1000, 0.35);
  const double revenue = std::round(employees * LogNormal(rng, 2.5e7, 0.9));  // ¥25万 each
  maybe("revenue_fen", revenue, 0.05);
  maybe("tax_paid_fen", std::round(revenue * (0.005 + 0.05 * Uniform(rng))), 0.07);
  const double rd = tech_sector ? std::min(0.4, LogNormal(rng, 0.02, 1.0)) : 0.002 * Uniform(rng);
  maybe("rd_ratio", std::round(rd * 10000) / 10000, 0.3);
  const bool high_tech = Chance(rng, tech_sector ? 0.09 : 0.01) && employees >= 5;
  maybe("high_tech", high_tech, 0.05);
  maybe("specialized", Chance(rng, employees >= 20 ? 0.04 : 0.003), 0.05);
  maybe("small_micro", employees < 100 ? Chance(rng, 0.92) : Chance(rng, 0.05), 0.03);
  maybe("credit_rating", kRatings[Weighted(rng, {30, 50, 15, 5})], 0.06);
  const double patents =
      Chance(rng, high_tech ? 0.9 : 0.15) ? std::round(LogNormal(rng, 3, 1.0)) : 0;
  maybe("patents", patents, 0.1);
  maybe("bad_credit", Chance(rng, 0.02), 0.02);
  return f;
}

// ----- rules --------------------------------------------------------------------------------

Op OrderOp(Rng& rng, bool at_least) {
  if (at_least) return Chance(rng, 0.7) ? Op::kGe : Op::kGt;
  return Chance(rng, 0.7) ? Op::kLt : Op::kLe;
}

// A selective "who": an industry or a region; a numeric threshold; or a flag. Thresholds come
// from short lists of round figures, as policy texts use them, so leaves repeat across items.
Cond SectorLeaf(Rng& rng) {
  switch (UniformInt(rng, 0, 5)) {
    case 0: {  // a section or division prefix: "C", "C39"
      std::string code = IndustryCode(rng);
      return Leaf("industry", Op::kPrefix, {code.substr(0, Chance(rng, 0.3) ? 1 : 3)});
    }
    case 1: {  // a group prefix: "C391"
      return Leaf("industry", Op::kPrefix, {IndustryCode(rng).substr(0, 4)});
    }
    case 2: {  // a list of classes
      std::vector<Value> codes;
      for (int i = UniformInt(rng, 2, 6); i > 0; --i) codes.emplace_back(IndustryCode(rng));
      return Leaf("industry", Op::kIn, std::move(codes));
    }
    case 3:
      return Leaf("region", Op::kEq, {kRegions[Weighted(rng, kRegionWeights)]});
    case 4: {
      std::vector<Value> regions;
      for (int i = UniformInt(rng, 2, 3); i > 0; --i) regions.emplace_back(PickOf(rng, kRegions));
      return Leaf("region", Op::kIn, std::move(regions));
    }
    default:
      return Leaf("region", Op::kNe, {PickOf(rng, kRegions)});
  }
}

Cond NumberLeaf(Rng& rng) {
  switch (UniformInt(rng, 0, 9)) {
    case 0:
      return Leaf("employees", OrderOp(rng, Chance(rng, 0.6)),
                  {PickOf(rng, std::vector<Value>{5.0, 10.0, 20.0, 30.0, 50.0, 100.0, 300.0})});
    case 1: {
      double lo = PickOf(rng, std::vector<double>{10, 20, 50}), hi = lo * UniformInt(rng, 2, 10);
      return Leaf("employees", Op::kBetween, {lo, hi});
    }
    case 2:
      return Leaf("revenue_fen", OrderOp(rng, Chance(rng, 0.7)),
                  {PickOf(rng, std::vector<Value>{5e7, 2e8, 5e8, 1e9, 2e9, 5e9, 2e10})});
    case 3:
      return Leaf("tax_paid_fen", Op::kGe,
                  {PickOf(rng, std::vector<Value>{1e6, 5e6, 1e7, 5e7, 1e8})});
    case 4:
      return Leaf("rd_ratio", Op::kGe, {PickOf(rng, std::vector<Value>{0.03, 0.04, 0.05, 0.06})});
    case 5:
      return Leaf("patents", OrderOp(rng, true), {PickOf(rng, std::vector<Value>{1.0, 3.0, 5.0})});
    case 6: {
      double from = PickOf(rng, std::vector<double>{20160101, 20190101, 20210101, 20230101});
      return Chance(rng, 0.5) ? Leaf("registered_on", Op::kGe, {from})
                              : Leaf("registered_on", Op::kBetween, {from, from + 30000});
    }
    case 7:
      return Leaf("insured_employees", Op::kGe, {PickOf(rng, std::vector<Value>{5.0, 10.0, 30.0})});
    case 8:
      return Leaf("layoff_rate", Op::kLe, {PickOf(rng, std::vector<Value>{0.03, 0.055})});
    default:
      return Leaf("insurance_paid_fen", Op::kGe, {PickOf(rng, std::vector<Value>{1e5, 1e6, 5e6})});
  }
}

Cond FlagLeaf(Rng& rng) {
  switch (UniformInt(rng, 0, 5)) {
    case 0:
      return Leaf("high_tech", Op::kEq, {true});
    case 1:
      return Leaf("specialized", Op::kEq, {true});
    case 2:
      return Leaf("small_micro", Op::kEq, {Chance(rng, 0.8)});
    case 3:
      return Leaf("credit_rating", Op::kIn, {std::string("A"), std::string("B")});
    case 4:
      return Leaf("credit_rating", Op::kNe, {std::string("D")});
    default:
      return Leaf("small_micro", Op::kNe, {false});
  }
}

Cond AnyLeaf(Rng& rng) {
  double r = Uniform(rng);
  if (r < 0.3) return SectorLeaf(rng);
  if (r < 0.75) return NumberLeaf(rng);
  return FlagLeaf(rng);
}

// 2–8 leaves: a sector, a few thresholds or flags, often "not 失信", sometimes an any of two
// alternatives or a not of an any.
Cond Rule(Rng& rng) {
  const int leaves = UniformInt(rng, 2, 8);
  std::vector<Cond> parts;
  int used = 0;
  parts.push_back(SectorLeaf(rng));
  ++used;
  if (Chance(rng, 0.6) && used < leaves) {
    parts.push_back(Not(Leaf("bad_credit", Op::kEq, {true})));
    ++used;
  }
  while (used < leaves) {
    double r = Uniform(rng);
    if (r < 0.2 && leaves - used >= 2) {
      parts.push_back(Group(Cond::Kind::kAny, {AnyLeaf(rng), AnyLeaf(rng)}));
      used += 2;
    } else if (r < 0.28 && leaves - used >= 2) {
      parts.push_back(Not(Group(Cond::Kind::kAny, {NumberLeaf(rng), FlagLeaf(rng)})));
      used += 2;
    } else if (r < 0.35) {
      parts.push_back(Not(AnyLeaf(rng)));
      ++used;
    } else {
      parts.push_back(AnyLeaf(rng));
      ++used;
    }
  }
  std::shuffle(parts.begin(), parts.end(), rng);
  return Group(Cond::Kind::kAll, std::move(parts));
}

const std::vector<std::string> kTitles = {
    "稳岗返还",     "高新技术企业认定奖励", "专精特新奖补",
    "研发费用补助", "小微企业贷款贴息",     "新招用人员社保补贴",
    "技术改造补助", "首次升规奖励",         "创业担保贷款贴息",
    "专利资助",     "产业园区租金减免",     "外贸企业保费补助"};

std::string Arg(int argc, char** argv, const char* name, const std::string& fallback) {
  for (int i = 1; i + 1 < argc; ++i) {
    if (std::strcmp(argv[i], name) == 0) return argv[i + 1];
  }
  return fallback;
}
bool Flag(int argc, char** argv, const char* name) {
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], name) == 0) return true;
  }
  return false;
}

std::string EnterpriseJson(const std::string& id, const Facts& facts) {
  // Keys in a fixed order so that the file is byte-for-byte reproducible.
  static const char* kOrder[] = {
      "industry",           "region",      "registered_on", "employees",     "insured_employees",
      "insurance_paid_fen", "layoff_rate", "revenue_fen",   "tax_paid_fen",  "rd_ratio",
      "high_tech",          "specialized", "small_micro",   "credit_rating", "patents",
      "bad_credit"};
  std::string out = "{\"id\":\"" + id + "\"";
  for (const char* key : kOrder) {
    auto it = facts.find(key);
    if (it == facts.end()) continue;
    out += ",\"";
    out += key;
    out += "\":";
    if (const double* d = std::get_if<double>(&it->second)) {
      char buf[32];
      auto [end, ec] = std::to_chars(buf, buf + sizeof buf, *d);  // shortest exact form
      out.append(buf, end);
    } else if (const std::string* s = std::get_if<std::string>(&it->second)) {
      out += "\"" + *s + "\"";
    } else {
      out += std::get<bool>(it->second) ? "true" : "false";
    }
  }
  out += "}\n";
  return out;
}

int Generate(int argc, char** argv) {
  const long items = std::stol(Arg(argc, argv, "--items", "4288"));
  const long enterprises = std::stol(Arg(argc, argv, "--enterprises", "21622"));
  const unsigned long seed = std::stoul(Arg(argc, argv, "--seed", "1"));
  const std::string policies_path = Arg(argc, argv, "--out-policies", "policies.json");
  const std::string enterprises_path = Arg(argc, argv, "--out-enterprises", "enterprises.jsonl");

  // A sample for tuning the items' selectivity, from its own stream.
  Rng sample_rng(seed * 7919 + 17);
  std::vector<Facts> sample;
  for (int i = 0; i < 1500; ++i) sample.push_back(EnterpriseFacts(sample_rng));

  Rng rule_rng(seed * 104729 + 3);
  std::ofstream pol(policies_path, std::ios::binary);
  if (!pol) {
    std::cerr << "无法写入 " << policies_path << "\n";
    return 1;
  }
  pol << "[\n";
  long tuned = 0;
  for (long i = 0; i < items; ++i) {
    Cond rule;
    bool in_range = false;
    for (int attempt = 0; attempt < 12 && !in_range; ++attempt) {
      rule = Rule(rule_rng);
      std::size_t hits = 0;
      for (const Facts& f : sample) hits += onestop::policy::Evaluate(rule, f) ? 1 : 0;
      in_range = hits >= 2 && hits <= 75;  // ≈ 0.1–5 % of 1,500
    }
    tuned += in_range ? 1 : 0;
    char id[32];
    std::snprintf(id, sizeof id, "P%05ld", i + 1);
    boost::json::object entry;
    entry["id"] = id;
    entry["title"] = PickOf(rule_rng, kTitles) + "（第" + std::to_string(i + 1) + "项）";
    entry["cond"] = onestop::policy::ToJson(rule);
    pol << "  " << boost::json::serialize(entry) << (i + 1 < items ? ",\n" : "\n");
  }
  pol << "]\n";

  Rng ent_rng(seed);
  std::ofstream ent(enterprises_path, std::ios::binary);
  if (!ent) {
    std::cerr << "无法写入 " << enterprises_path << "\n";
    return 1;
  }
  for (long i = 0; i < enterprises; ++i) {
    char id[32];
    std::snprintf(id, sizeof id, "E%07ld", i + 1);
    ent << EnterpriseJson(id, EnterpriseFacts(ent_rng));
  }
  if (!pol.good() || !ent.good()) {
    std::cerr << "写入失败\n";
    return 1;
  }
  std::cerr << "已生成 " << items << " 个事项（" << tuned << " 个在样本上命中 0.1–5 %）和 "
            << enterprises << " 家企业\n";
  return 0;
}

int Reference(int argc, char** argv) {
  const std::string policies_path = Arg(argc, argv, "--policies", "");
  const std::string enterprises_path = Arg(argc, argv, "--enterprises", "");
  int threads = std::stoi(Arg(argc, argv, "--threads", "0"));
  if (threads <= 0) threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  std::ifstream pol(policies_path, std::ios::binary);
  std::ostringstream text;
  text << pol.rdbuf();
  auto entries = onestop::policy::ParsePolicyFile(text.str(), nullptr);
  if (!entries.has_value()) {
    std::cerr << "错误：" << entries.error().message << "\n";
    return 1;
  }
  std::ifstream ent(enterprises_path, std::ios::binary);
  if (!ent) {
    std::cerr << "错误：无法读取 " << enterprises_path << "\n";
    return 1;
  }
  std::vector<Facts> all;
  std::string line;
  for (long n = 1; std::getline(ent, line); ++n) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    auto parsed = onestop::policy::ParseEnterpriseLine(line);
    if (!parsed.has_value()) {
      std::cerr << "错误：第" << n << "行：" << parsed.error().message << "\n";
      return 1;
    }
    all.push_back(std::move(parsed->facts));
  }
  std::vector<std::size_t> counts(entries->size(), 0);
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] {
      for (std::size_t i = t; i < entries->size(); i += threads) {
        std::size_t c = 0;
        for (const Facts& f : all) c += onestop::policy::Evaluate((*entries)[i].cond, f) ? 1 : 0;
        counts[i] = c;
      }
    });
  }
  for (std::thread& t : pool) t.join();
  for (std::size_t i = 0; i < entries->size(); ++i) {
    std::cout << (*entries)[i].id << ' ' << counts[i] << '\n';
  }
  return 0;
}

// --- the flat form read by bench/policy_peers/columnar.c ---------------------------------

std::string FlatValue(const Value& v) {
  if (const double* d = std::get_if<double>(&v)) {
    char buf[40];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, *d);
    return "n:" + std::string(buf, end);
  }
  if (const std::string* s = std::get_if<std::string>(&v)) return "s:" + *s;
  return std::get<bool>(v) ? "b:1" : "b:0";
}

int ColumnIndex(std::vector<std::string>& columns, const std::string& fact) {
  auto it = std::find(columns.begin(), columns.end(), fact);
  if (it != columns.end()) return static_cast<int>(it - columns.begin());
  columns.push_back(fact);
  return static_cast<int>(columns.size() - 1);
}

void FlatCond(const Cond& c, std::vector<std::string>& columns, std::string& out) {
  switch (c.kind) {
    case Cond::Kind::kAll:
    case Cond::Kind::kAny:
      out += c.kind == Cond::Kind::kAll ? " A " : " O ";
      out += std::to_string(c.children.size());
      for (const Cond& k : c.children) FlatCond(k, columns, out);
      return;
    case Cond::Kind::kNot:
      if (c.children.empty()) {
        out += " A 0";  // not of nothing is true
        return;
      }
      out += " N";
      FlatCond(c.children[0], columns, out);
      return;
    case Cond::Kind::kFact:
      out += " L " + std::to_string(ColumnIndex(columns, c.fact)) + " " +
             std::to_string(static_cast<int>(c.op)) + " " + std::to_string(c.values.size());
      for (const Value& v : c.values) out += " " + FlatValue(v);
      return;
  }
}

int Flat(int argc, char** argv) {
  std::ifstream pol(Arg(argc, argv, "--policies", ""), std::ios::binary);
  std::ostringstream text;
  text << pol.rdbuf();
  auto entries = onestop::policy::ParsePolicyFile(text.str(), nullptr);
  if (!entries.has_value()) {
    std::cerr << "错误：" << entries.error().message << "\n";
    return 1;
  }
  std::vector<std::string> columns;
  std::vector<EnterpriseLine> lines;
  std::ifstream ent(Arg(argc, argv, "--enterprises", ""), std::ios::binary);
  std::string line;
  while (std::getline(ent, line)) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    auto parsed = onestop::policy::ParseEnterpriseLine(line);
    if (!parsed.has_value()) {
      std::cerr << "错误：" << parsed.error().message << "\n";
      return 1;
    }
    for (const auto& [fact, v] : parsed->facts) ColumnIndex(columns, fact);
    lines.push_back(std::move(*parsed));
  }
  std::string rules = "items " + std::to_string(entries->size()) + "\n";
  for (const auto& e : *entries) {
    rules += e.id;
    FlatCond(e.cond, columns, rules);
    rules += "\n";
  }
  std::ofstream(Arg(argc, argv, "--out-policies", "policies.flat"), std::ios::binary) << rules;
  std::ofstream out(Arg(argc, argv, "--out-enterprises", "enterprises.flat"), std::ios::binary);
  out << "columns " << columns.size() << " rows " << lines.size() << "\n";
  for (const EnterpriseLine& l : lines) {
    for (std::size_t c = 0; c < columns.size(); ++c) {
      auto it = l.facts.find(columns[c]);
      out << (c ? " " : "") << (it == l.facts.end() ? "~" : FlatValue(it->second));
    }
    out << "\n";
  }
  return out.good() ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (Flag(argc, argv, "--help")) {
    std::cout << "policy_gen [--items N] [--enterprises N] [--seed S] [--out-policies F] "
                 "[--out-enterprises F]\n"
                 "policy_gen --reference --policies F --enterprises F [--threads N]\n"
                 "policy_gen --flat --policies F --enterprises F --out-policies F "
                 "--out-enterprises F\n";
    return 0;
  }
  try {
    if (Flag(argc, argv, "--flat")) return Flat(argc, argv);
    return Flag(argc, argv, "--reference") ? Reference(argc, argv) : Generate(argc, argv);
  } catch (const std::exception& e) {  // std::stol on a bad flag value
    std::cerr << "错误：参数无效（" << e.what() << "）\n";
    return 1;
  }
}
