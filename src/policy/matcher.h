// The bulk matcher (政策匹配 / 数据比对): which enterprises qualify for which declarable items,
// for all items against all enterprises at once. FactStore holds the enterprises' facts column by
// column; Matcher compiles the items' rules (policy/rule.h) into shared leaves and word-wise
// bitmap operations, runs them on both cores, and re-matches one changed enterprise in
// microseconds. The reference semantics are policy::Evaluate; nothing here touches the database.
#pragma once

#include <cstdint>
#include <functional>
#include <iosfwd>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/result.h"
#include "policy/rule.h"

namespace onestop::policy {

// One fact across all enterprises (struct of arrays). A fact normally has one type, but an
// enterprise line may hold it with another, so each type has its own part, allocated on first
// use, each with its own presence bits. Row r is bit r % 64 of word r / 64.
struct FactColumn {
  std::string name;
  // Numbers.
  std::vector<uint64_t> num_present;
  std::vector<double> num;
  // Strings, interned per column. Ids below `sorted_count` are in byte order of their strings
  // (so a prefix or an equality is an id range); later ids were added after the last Seal().
  std::vector<uint64_t> str_present;
  std::vector<uint32_t> str;
  std::vector<std::string> dict;
  std::unordered_map<std::string, uint32_t> dict_index;
  uint32_t sorted_count = 0;
  // Booleans.
  std::vector<uint64_t> bool_present;
  std::vector<uint64_t> bool_value;
};

class FactStore {
 public:
  using Row = uint32_t;

  // Progress of a streamed load, reported every `progress_every` lines and at the end.
  struct LoadProgress {
    std::size_t lines = 0;  // lines read so far (blank ones included)
    std::size_t rows = 0;   // enterprises loaded so far
    std::size_t bytes = 0;  // bytes read so far
  };
  using ProgressFn = std::function<void(const LoadProgress&)>;

  // Streams JSON lines {"id", <fact>: <value>, …} (policy::ParseEnterpriseLine); blank lines are
  // skipped. All or nothing: kInvalidArgument policy.enterprise_line, message "第N行：…" for the
  // first bad line, and one field per bad line ("第N行", up to 100); a repeated id is an error.
  static Result<FactStore> LoadJsonLines(std::istream& in, const ProgressFn& progress = {},
                                         std::size_t progress_every = 10000);
  // The same from a file; kInvalidArgument policy.enterprise_file when it cannot be read.
  static Result<FactStore> LoadJsonLinesFile(const std::string& path,
                                             const ProgressFn& progress = {},
                                             std::size_t progress_every = 10000);

  // What Upsert changed: the row, whether it is new, and the columns whose value changed
  // (appeared, disappeared or differs), each once.
  struct Change {
    Row row = 0;
    bool added = false;
    std::vector<uint32_t> columns;
  };
  // Adds the enterprise or replaces all of its facts (a fact absent from `line` becomes missing).
  Change Upsert(const EnterpriseLine& line);

  // Sorts every string dictionary and renumbers the ids (LoadJsonLines does this at the end).
  void Seal();

  std::size_t size() const { return ids_.size(); }
  std::optional<Row> FindRow(std::string_view id) const;
  const std::string& IdOf(Row row) const { return ids_[row]; }
  // The value of `fact` for `row`, nullopt when missing.
  std::optional<Value> Get(Row row, std::string_view fact) const;
  // All facts of `row`, in the reference representation (for Evaluate and Explain).
  Facts FactsOf(Row row) const;

  const std::vector<FactColumn>& columns() const { return columns_; }
  // The column of `fact`, -1 when no enterprise ever had it.
  int ColumnOf(std::string_view fact) const;
  // Grows whenever a Seal() renumbers string ids (matchers re-bind their string leaves).
  uint64_t epoch() const { return epoch_; }

 private:
  uint32_t ColumnFor(const std::string& fact);
  void EnsureWords(std::size_t words);
  // Sets `row` of column `c` to `v`; true if that changed anything.
  bool SetValue(FactColumn& c, Row row, const Value& v);
  bool ClearValue(FactColumn& c, Row row);

  std::vector<std::string> ids_;
  std::unordered_map<std::string, Row> rows_;
  std::vector<FactColumn> columns_;
  std::unordered_map<std::string, uint32_t> column_index_;
  std::size_t words_ = 0;  // capacity in 64-row words of every allocated column part
  uint64_t epoch_ = 0;
};

struct MatchOptions {
  int threads = 0;           // 0: one per core
  bool keep_bitmaps = true;  // keep per-item result bitmaps (MatchingIds, RematchOne)
};

struct MatchStats {
  std::size_t items = 0;
  std::size_t leaf_uses = 0;      // leaves as written in all items
  std::size_t unique_leaves = 0;  // evaluated once each (per row block)
  std::size_t nodes = 0;          // distinct nodes after sharing
  int threads = 0;                // used by the last Run
  double bind_ms = 0;             // last Run: resolving facts and string ids
  double match_ms = 0;            // last Run: evaluation and counting
};

class Matcher {
 public:
  using ItemIndex = uint32_t;

  // Compiles the rules; item i is rules[i]. Identical leaves (fact, operator, operand — `in`
  // lists as sets) and identical subtrees are shared across all items.
  static Matcher Compile(std::span<const Cond> rules);
  static Matcher Compile(std::span<const RuleEntry> entries);
  Matcher(Matcher&&) noexcept;
  Matcher& operator=(Matcher&&) noexcept;
  ~Matcher();

  // Evaluates every item for every enterprise of `store`: counts, and the per-item bitmaps
  // unless options.keep_bitmaps is false.
  void Run(const FactStore& store, const MatchOptions& options = {});

  // After store.Upsert: re-evaluates, for that row only, the items that read a changed fact
  // (all items for a new row) and returns the items whose result flipped, ascending.
  // REQUIRES: Run(store) with keep_bitmaps before, and every later Upsert passed here.
  std::vector<ItemIndex> RematchOne(const FactStore& store, const FactStore::Change& change);

  // The result of one item for one row, computed directly from the compiled tree.
  bool EvaluateRow(const FactStore& store, ItemIndex item, FactStore::Row row);

  std::size_t size() const { return roots_.size(); }
  std::size_t Count(ItemIndex item) const { return counts_[item]; }
  const std::vector<std::size_t>& counts() const { return counts_; }
  // From the last Run / RematchOne. REQUIRES: keep_bitmaps.
  bool Matches(ItemIndex item, FactStore::Row row) const;
  // Ids of the enterprises matching `item`, in row order. REQUIRES: keep_bitmaps.
  std::vector<std::string> MatchingIds(const FactStore& store, ItemIndex item) const;
  // The facts item `item` reads (keys), each once.
  std::vector<std::string> FactsReadBy(ItemIndex item) const;
  const MatchStats& stats() const { return stats_; }

  struct Leaf;
  struct Node;

 private:
  Matcher();
  uint32_t Intern(const Cond& c);
  uint32_t InternLeaf(const Cond& c);
  uint32_t InternNode(int kind, std::vector<uint32_t> children);
  void Bind(const FactStore& store);
  void EvalBlock(const FactStore& store, std::size_t block, uint64_t* scratch) const;
  bool EvalLeafRow(const FactStore& store, const Leaf& leaf, FactStore::Row row) const;
  bool EvalNodeRow(const FactStore& store, uint32_t node, FactStore::Row row);
  void EnsureResultWords(std::size_t words);

  std::vector<Leaf> leaves_;
  std::vector<Node> nodes_;
  std::vector<uint32_t> child_ids_;
  std::unordered_map<std::string, uint32_t> node_index_;
  std::vector<uint32_t> roots_;  // per item
  std::vector<std::string> facts_;
  std::unordered_map<std::string, uint32_t> fact_index_;
  std::vector<std::vector<ItemIndex>> fact_items_;  // per fact: items reading it
  std::vector<std::vector<uint32_t>> item_facts_;   // per item: facts it reads

  // Binding to a store.
  const FactStore* bound_store_ = nullptr;
  uint64_t bound_epoch_ = ~uint64_t{0};
  std::size_t bound_columns_ = 0;
  std::vector<int> fact_column_;  // per fact: store column or -1
  std::vector<int> column_fact_;  // per store column: fact or -1

  // Results.
  std::vector<std::size_t> counts_;
  std::vector<uint64_t> results_;  // word-major: word w of item i at w * size() + i
  std::size_t result_words_ = 0;
  std::size_t rows_done_ = 0;  // rows covered by the results

  // Memo for EvaluateRow / RematchOne.
  std::vector<uint32_t> memo_stamp_;
  std::vector<uint8_t> memo_value_;
  uint32_t stamp_ = 0;
  std::vector<uint32_t> item_stamp_;
  uint32_t item_stamp_stamp_ = 0;

  MatchStats stats_;
};

}  // namespace onestop::policy
