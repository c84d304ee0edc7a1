#include "policy/matcher.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <random>
#include <sstream>

#include "policy/rule.h"

namespace onestop::policy {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// Random data over a few facts of every type, one of which ("mixed") changes type between
// enterprises; values and operands come from small pools so that rules hit and leaves repeat.
class RandomWorld {
 public:
  explicit RandomWorld(uint32_t seed) : rng_(seed) {}

  Value NumberValue() {
    static const double kPool[] = {-1, 0, 0.5, 1, 2, 3, 5, 7.25, 10, 50, 100, 1e6};
    return Value(kPool[Pick(std::size(kPool))]);
  }
  Value StringValue() {
    static const char* kPool[] = {"",    "C",     "C39",  "C3911",  "C3912",
                                  "C40", "A0111", "4313", "431302", "431381"};
    return Value(std::string(kPool[Pick(std::size(kPool))]));
  }
  Value BoolValue() { return Value(Pick(2) == 0); }
  Value AnyValue() {
    switch (Pick(3)) {
      case 0:
        return NumberValue();
      case 1:
        return StringValue();
      default:
        return BoolValue();
    }
  }

  // The value fact `f` gets (or nullopt: missing, 20 %).
  std::optional<Value> FactValue(const std::string& f) {
    if (Pick(5) == 0) return std::nullopt;
    if (f == "employees" || f == "revenue") return NumberValue();
    if (f == "industry" || f == "region") return StringValue();
    if (f == "high_tech" || f == "bad_credit") return BoolValue();
    return AnyValue();  // "mixed"
  }

  EnterpriseLine Enterprise(const std::string& id) {
    EnterpriseLine line;
    line.id = id;
    for (const std::string& f : kFacts) {
      if (std::optional<Value> v = FactValue(f)) line.facts.emplace(f, *v);
    }
    return line;
  }

  Cond Leaf() {
    Cond c;
    c.kind = Cond::Kind::kFact;
    c.fact = kFacts[Pick(std::size(kFacts))];
    if (Pick(20) == 0) c.fact = "nobody_has_this";
    static const Op kOps[] = {Op::kEq, Op::kNe, Op::kLt,     Op::kLe,     Op::kGt,
                              Op::kGe, Op::kIn, Op::kPrefix, Op::kBetween};
    c.op = kOps[Pick(std::size(kOps))];
    // Mostly the fact's own type, sometimes another (a mismatch is simply false).
    auto operand = [&]() -> Value {
      if (Pick(8) == 0) return AnyValue();
      if (c.fact == "employees" || c.fact == "revenue") return NumberValue();
      if (c.fact == "industry" || c.fact == "region") return StringValue();
      if (c.fact == "high_tech" || c.fact == "bad_credit") return BoolValue();
      return AnyValue();
    };
    switch (c.op) {
      case Op::kIn: {
        std::size_t n = Pick(4);  // may be empty
        for (std::size_t i = 0; i < n; ++i) c.values.push_back(operand());
        break;
      }
      case Op::kBetween: {
        Value a = NumberValue(), b = NumberValue();
        if (Pick(10) == 0) b = StringValue();
        c.values = {a, b};  // lo > hi sometimes: empty range
        break;
      }
      case Op::kPrefix:
        c.values = {Pick(8) == 0 ? NumberValue() : StringValue()};
        break;
      default:
        c.values = {operand()};
    }
    return c;
  }

  Cond Rule(int depth) {
    if (depth == 0 || Pick(3) == 0) return Leaf();
    Cond c;
    switch (Pick(3)) {
      case 0:
        c.kind = Cond::Kind::kAll;
        break;
      case 1:
        c.kind = Cond::Kind::kAny;
        break;
      default:
        c.kind = Cond::Kind::kNot;
        c.children.push_back(Rule(depth - 1));
        return c;
    }
    std::size_t n = Pick(5);  // 0..4 children: empty all / any too
    for (std::size_t i = 0; i < n; ++i) c.children.push_back(Rule(depth - 1));
    return c;
  }

  std::size_t Pick(std::size_t n) {
    return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng_);
  }

  static inline const std::string kFacts[] = {"employees", "revenue",    "industry", "region",
                                              "high_tech", "bad_credit", "mixed"};

 private:
  std::mt19937 rng_;
};

FactStore StoreOf(const std::vector<EnterpriseLine>& lines) {
  FactStore store;
  for (const EnterpriseLine& line : lines) store.Upsert(line);
  store.Seal();
  return store;
}

// Every count, every row's bit and the one-row evaluation equal the reference Evaluate.
void ExpectSameAsReference(Matcher& m, const FactStore& store, const std::vector<Cond>& rules,
                           const std::vector<EnterpriseLine>& lines, const std::string& what) {
  ASSERT_EQ(store.size(), lines.size());
  for (std::size_t i = 0; i < rules.size(); ++i) {
    std::size_t expected = 0;
    for (const EnterpriseLine& line : lines) {
      FactStore::Row row = *store.FindRow(line.id);
      bool want = Evaluate(rules[i], line.facts);
      expected += want ? 1 : 0;
      ASSERT_EQ(m.Matches(static_cast<Matcher::ItemIndex>(i), row), want)
          << what << " item " << i << " " << ToJson(rules[i]) << " row " << line.id;
      ASSERT_EQ(m.EvaluateRow(store, static_cast<Matcher::ItemIndex>(i), row), want)
          << what << " item " << i << " row " << line.id;
    }
    ASSERT_EQ(m.Count(static_cast<Matcher::ItemIndex>(i)), expected) << what << " item " << i;
  }
}

TEST(MatcherTest, CountsEqualReferenceOnRandomData) {
  for (uint32_t seed = 1; seed <= 40; ++seed) {
    RandomWorld world(seed);
    std::vector<EnterpriseLine> lines;
    const std::size_t n = 1 + world.Pick(700);  // partial last words and blocks
    for (std::size_t i = 0; i < n; ++i) lines.push_back(world.Enterprise("E" + std::to_string(i)));
    std::vector<Cond> rules;
    for (int i = 0; i < 60; ++i) rules.push_back(world.Rule(4));
    for (int i = 0; i < 10; ++i) rules.push_back(rules[world.Pick(rules.size())]);  // repeats
    FactStore store = StoreOf(lines);
    Matcher m = Matcher::Compile(std::span<const Cond>(rules));
    EXPECT_LE(m.stats().unique_leaves, m.stats().leaf_uses);
    MatchOptions options;
    options.threads = 1 + static_cast<int>(seed % 3);
    m.Run(store, options);
    ExpectSameAsReference(m, store, rules, lines, "seed " + std::to_string(seed));
  }
}

TEST(MatcherTest, LargeStoreUsesSeveralBlocksAndThreads) {
  RandomWorld world(99);
  std::vector<EnterpriseLine> lines;
  for (int i = 0; i < 5000; ++i) lines.push_back(world.Enterprise("E" + std::to_string(i)));
  std::vector<Cond> rules;
  for (int i = 0; i < 40; ++i) rules.push_back(world.Rule(3));
  FactStore store = StoreOf(lines);
  Matcher m = Matcher::Compile(std::span<const Cond>(rules));
  MatchOptions options;
  options.threads = 2;
  m.Run(store, options);
  EXPECT_EQ(m.stats().threads, 2);
  ExpectSameAsReference(m, store, rules, lines, "large");
}

TEST(MatcherTest, SharedLeavesAreEvaluatedOnce) {
  Result<std::vector<RuleEntry>> entries = ParsePolicyFile(
      R"([{"id":"P1","title":"a","cond":{"all":[{"fact":"employees","op":">=","value":50},
                                               {"fact":"industry","op":"prefix","value":"C39"}]}},
          {"id":"P2","title":"b","cond":{"any":[{"fact":"industry","op":"prefix","value":"C39"},
                                               {"not":{"fact":"employees","op":">=","value":50}}]}},
          {"id":"P3","title":"c","cond":{"fact":"region","op":"in","value":["431381","431302"]}},
          {"id":"P4","title":"d","cond":{"fact":"region","op":"in","value":["431302","431381"]}}])",
      nullptr);
  ASSERT_TRUE(entries.has_value()) << entries.error().message;
  Matcher m = Matcher::Compile(std::span<const RuleEntry>(*entries));
  EXPECT_EQ(m.stats().leaf_uses, 6u);
  EXPECT_EQ(m.stats().unique_leaves, 3u);  // `in` lists are sets

  FactStore store;
  store.Upsert({"A", {{"employees", 80.0}, {"industry", std::string("C3911")}}});
  store.Upsert({"B", {{"employees", 10.0}, {"region", std::string("431302")}}});
  store.Upsert({"C", {{"industry", std::string("C40")}}});
  store.Seal();
  m.Run(store);
  EXPECT_THAT(m.counts(), ElementsAre(1, 3, 1, 1));
  EXPECT_THAT(m.MatchingIds(store, 0), ElementsAre("A"));
  EXPECT_THAT(m.MatchingIds(store, 1), ElementsAre("A", "B", "C"));  // C: no employees → not
  EXPECT_THAT(m.MatchingIds(store, 3), ElementsAre("B"));
  EXPECT_THAT(m.FactsReadBy(1), ::testing::UnorderedElementsAre("employees", "industry"));
}

TEST(MatcherTest, MissingFactIsFalseAndItsNegationTrue) {
  Cond leaf;
  leaf.kind = Cond::Kind::kFact;
  leaf.fact = "bad_credit";
  leaf.op = Op::kEq;
  leaf.values = {Value(true)};
  Cond negated;
  negated.kind = Cond::Kind::kNot;
  negated.children = {leaf};
  Cond ne = leaf;
  ne.op = Op::kNe;
  std::vector<Cond> rules = {leaf, negated, ne, Cond{}};  // Cond{} is {"all":[]}: true
  FactStore store;
  store.Upsert({"none", {}});
  store.Upsert({"yes", {{"bad_credit", true}}});
  store.Upsert({"text", {{"bad_credit", std::string("true")}}});  // another type
  Matcher m = Matcher::Compile(std::span<const Cond>(rules));
  m.Run(store);
  EXPECT_THAT(m.MatchingIds(store, 0), ElementsAre("yes"));
  EXPECT_THAT(m.MatchingIds(store, 1), ElementsAre("none", "text"));
  EXPECT_THAT(m.MatchingIds(store, 2), ElementsAre());  // != on missing / other type: false
  EXPECT_THAT(m.counts(), ElementsAre(1, 2, 0, 3));
}

TEST(MatcherTest, RematchOneEqualsFullRun) {
  for (uint32_t seed = 1; seed <= 12; ++seed) {
    RandomWorld world(1000 + seed);
    std::vector<EnterpriseLine> lines;
    for (int i = 0; i < 300; ++i) lines.push_back(world.Enterprise("E" + std::to_string(i)));
    std::vector<Cond> rules;
    for (int i = 0; i < 50; ++i) rules.push_back(world.Rule(4));
    FactStore store = StoreOf(lines);
    Matcher m = Matcher::Compile(std::span<const Cond>(rules));
    m.Run(store);
    for (int step = 0; step < 400; ++step) {
      EnterpriseLine line;
      std::size_t pick = world.Pick(lines.size() + 20);
      if (pick >= lines.size()) {
        line = world.Enterprise("N" + std::to_string(lines.size()));  // a new enterprise
        lines.push_back(line);
      } else {
        line = lines[pick];
        // Change, drop or add one or two facts; sometimes a string never seen, or a new fact.
        for (std::size_t k = 0, n = 1 + world.Pick(2); k < n; ++k) {
          const std::string& f = RandomWorld::kFacts[world.Pick(std::size(RandomWorld::kFacts))];
          std::optional<Value> v = world.FactValue(f);
          if (world.Pick(10) == 0) v = Value("C39-new-" + std::to_string(step));
          if (v) {
            line.facts[f] = *v;
          } else {
            line.facts.erase(f);
          }
        }
        if (world.Pick(30) == 0) line.facts["nobody_has_this"] = Value(1.0);
        lines[pick] = line;
      }
      std::vector<bool> before(rules.size());
      FactStore::Row row =
          store.FindRow(line.id).value_or(static_cast<FactStore::Row>(store.size()));
      for (std::size_t i = 0; i < rules.size(); ++i) {
        before[i] = m.Matches(static_cast<Matcher::ItemIndex>(i), row);
      }
      FactStore::Change change = store.Upsert(line);
      std::vector<Matcher::ItemIndex> flipped = m.RematchOne(store, change);
      std::vector<Matcher::ItemIndex> expected;
      for (std::size_t i = 0; i < rules.size(); ++i) {
        if (Evaluate(rules[i], line.facts) != before[i]) {
          expected.push_back(static_cast<Matcher::ItemIndex>(i));
        }
      }
      ASSERT_EQ(flipped, expected) << "seed " << seed << " step " << step;
      if (step == 200) store.Seal();  // renumbers string ids: the matcher re-binds
    }
    ExpectSameAsReference(m, store, rules, lines, "after updates, seed " + std::to_string(seed));
    m.Run(store);  // and a full run agrees with the incremental state
    ExpectSameAsReference(m, store, rules, lines, "rerun, seed " + std::to_string(seed));
  }
}

TEST(MatcherTest, UpsertReportsOnlyChangedColumns) {
  FactStore store;
  FactStore::Change a = store.Upsert({"A", {{"employees", 5.0}, {"industry", std::string("C39")}}});
  EXPECT_TRUE(a.added);
  EXPECT_EQ(a.columns.size(), 2u);
  FactStore::Change same =
      store.Upsert({"A", {{"employees", 5.0}, {"industry", std::string("C39")}}});
  EXPECT_FALSE(same.added);
  EXPECT_TRUE(same.columns.empty());
  FactStore::Change dropped = store.Upsert({"A", {{"employees", 6.0}}});
  EXPECT_EQ(dropped.columns.size(), 2u);  // employees changed, industry gone
  EXPECT_FALSE(store.Get(0, "industry").has_value());
  EXPECT_EQ(store.Get(0, "employees"), std::optional<Value>(6.0));
}

TEST(MatcherTest, LoadsJsonLinesWithProgress) {
  std::istringstream in(
      "{\"id\":\"A\",\"employees\":12,\"industry\":\"C3911\",\"high_tech\":true}\n"
      "\n"
      "{\"id\":\"B\",\"employees\":null,\"region\":\"431302\"}\r\n"
      "{\"id\":\"C\"}\n");
  std::vector<std::size_t> seen;
  Result<FactStore> store = FactStore::LoadJsonLines(
      in, [&](const FactStore::LoadProgress& p) { seen.push_back(p.rows); }, 2);
  ASSERT_TRUE(store.has_value()) << store.error().message;
  EXPECT_EQ(store->size(), 3u);
  EXPECT_THAT(seen, ElementsAre(1, 3, 3));  // rows after lines 2 and 4, and at the end
  EXPECT_EQ(store->Get(*store->FindRow("A"), "industry"),
            std::optional<Value>(Value(std::string("C3911"))));
  EXPECT_FALSE(store->Get(*store->FindRow("B"), "employees").has_value());
  Facts a = store->FactsOf(*store->FindRow("A"));
  EXPECT_EQ(a.size(), 3u);
  EXPECT_EQ(a.at("high_tech"), Value(true));
}

TEST(MatcherTest, BadLinesAreReportedWithTheirLineNumbers) {
  std::istringstream in(
      "{\"id\":\"A\",\"employees\":12}\n"
      "{\"id\":\"B\",\"employees\":\n"
      "\n"
      "{\"id\":\"A\",\"employees\":13}\n"
      "[1,2]\n"
      "{\"id\":\"C\"}\n");
  Result<FactStore> store = FactStore::LoadJsonLines(in);
  ASSERT_FALSE(store.has_value());
  EXPECT_EQ(store.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(store.error().reason, "policy.enterprise_line");
  EXPECT_THAT(store.error().message, ::testing::StartsWith("第2行："));
  EXPECT_THAT(store.error().message, HasSubstr("共 3 行有误"));
  ASSERT_EQ(store.error().fields.size(), 3u);
  EXPECT_EQ(store.error().fields[0].field, "第2行");
  EXPECT_EQ(store.error().fields[1].field, "第4行");
  EXPECT_THAT(store.error().fields[1].message, HasSubstr("第1行已出现"));
  EXPECT_EQ(store.error().fields[2].field, "第5行");
}

TEST(MatcherTest, UnreadableFileIsAnError) {
  Result<FactStore> store = FactStore::LoadJsonLinesFile("/nonexistent/enterprises.jsonl");
  ASSERT_FALSE(store.has_value());
  EXPECT_EQ(store.error().reason, "policy.enterprise_file");
  EXPECT_THAT(store.error().message, HasSubstr("无法读取企业数据文件"));
}

TEST(MatcherTest, EmptyStoreAndNoRules) {
  FactStore store;
  std::vector<Cond> rules = {Cond{}};
  Matcher m = Matcher::Compile(std::span<const Cond>(rules));
  m.Run(store);
  EXPECT_THAT(m.counts(), ElementsAre(0));
  Matcher none = Matcher::Compile(std::span<const Cond>());
  none.Run(store);
  EXPECT_TRUE(none.counts().empty());
}

}  // namespace
}  // namespace onestop::policy
