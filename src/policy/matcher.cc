#include "policy/matcher.h"

#include <algorithm>
#include <atomic>
#include <bit>
#include <chrono>
#include <cstring>
#include <fstream>
#include <istream>
#include <mutex>
#include <thread>

namespace onestop::policy {

namespace {

constexpr std::size_t kBlockWords = 16;  // 1,024 rows per block: node bitmaps stay in cache
constexpr std::size_t kMaxReportedLines = 100;

std::size_t WordsFor(std::size_t rows) { return (rows + 63) / 64; }

bool TestBit(const std::vector<uint64_t>& bits, std::size_t i) {
  return i / 64 < bits.size() && ((bits[i / 64] >> (i % 64)) & 1) != 0;
}
void SetBit(std::vector<uint64_t>& bits, std::size_t i) { bits[i / 64] |= uint64_t{1} << (i % 64); }
void ClearBit(std::vector<uint64_t>& bits, std::size_t i) {
  bits[i / 64] &= ~(uint64_t{1} << (i % 64));
}

// The single-value semantics of a leaf, as the reference Evaluate has them: the fact must hold
// a value of the operand's type (numbers for the order operators and between, strings for
// prefix); anything else is false.
bool Holds(Op op, const std::vector<Value>& operands, const Value& v) {
  switch (op) {
    case Op::kEq:
      return operands.size() == 1 && operands[0].index() == v.index() && operands[0] == v;
    case Op::kNe:
      return operands.size() == 1 && operands[0].index() == v.index() && operands[0] != v;
    case Op::kLt:
    case Op::kLe:
    case Op::kGt:
    case Op::kGe: {
      if (operands.size() != 1) return false;
      const double* a = std::get_if<double>(&v);
      const double* b = std::get_if<double>(&operands[0]);
      if (a == nullptr || b == nullptr) return false;
      if (op == Op::kLt) return *a < *b;
      if (op == Op::kLe) return *a <= *b;
      if (op == Op::kGt) return *a > *b;
      return *a >= *b;
    }
    case Op::kIn:
      for (const Value& o : operands) {
        if (o.index() == v.index() && o == v) return true;
      }
      return false;
    case Op::kPrefix: {
      if (operands.size() != 1) return false;
      const std::string* s = std::get_if<std::string>(&v);
      const std::string* p = std::get_if<std::string>(&operands[0]);
      return s != nullptr && p != nullptr && s->starts_with(*p);
    }
    case Op::kBetween: {
      if (operands.size() != 2) return false;
      const double* a = std::get_if<double>(&v);
      const double* lo = std::get_if<double>(&operands[0]);
      const double* hi = std::get_if<double>(&operands[1]);
      return a != nullptr && lo != nullptr && hi != nullptr && *lo <= *a && *a <= *hi;
    }
  }
  return false;
}

void AppendValueKey(std::string& key, const Value& v) {
  if (const double* d = std::get_if<double>(&v)) {
    char buf[sizeof(double)];
    std::memcpy(buf, d, sizeof buf);
    key += 'n';
    key.append(buf, sizeof buf);
  } else if (const std::string* s = std::get_if<std::string>(&v)) {
    key += 's';
    key += std::to_string(s->size());
    key += ':';
    key += *s;
  } else {
    key += std::get<bool>(v) ? "t" : "f";
  }
}

bool ValueLess(const Value& a, const Value& b) {
  if (a.index() != b.index()) return a.index() < b.index();
  return a < b;
}

double Ms(std::chrono::steady_clock::time_point from) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - from).count();
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// FactStore

std::optional<FactStore::Row> FactStore::FindRow(std::string_view id) const {
  auto it = rows_.find(std::string(id));
  if (it == rows_.end()) return std::nullopt;
  return it->second;
}

int FactStore::ColumnOf(std::string_view fact) const {
  auto it = column_index_.find(std::string(fact));
  return it == column_index_.end() ? -1 : static_cast<int>(it->second);
}

uint32_t FactStore::ColumnFor(const std::string& fact) {
  auto it = column_index_.find(fact);
  if (it != column_index_.end()) return it->second;
  uint32_t c = static_cast<uint32_t>(columns_.size());
  columns_.emplace_back();
  columns_.back().name = fact;
  column_index_.emplace(fact, c);
  return c;
}

void FactStore::EnsureWords(std::size_t words) {
  if (words <= words_) return;
  std::size_t cap = std::max<std::size_t>({words, words_ * 2, 16});
  for (FactColumn& c : columns_) {
    if (!c.num_present.empty()) {
      c.num_present.resize(cap, 0);
      c.num.resize(cap * 64, 0.0);
    }
    if (!c.str_present.empty()) {
      c.str_present.resize(cap, 0);
      c.str.resize(cap * 64, 0);
    }
    if (!c.bool_present.empty()) {
      c.bool_present.resize(cap, 0);
      c.bool_value.resize(cap, 0);
    }
  }
  words_ = cap;
}

bool FactStore::ClearValue(FactColumn& c, Row row) {
  bool changed = false;
  if (TestBit(c.num_present, row)) {
    ClearBit(c.num_present, row);
    c.num[row] = 0;
    changed = true;
  }
  if (TestBit(c.str_present, row)) {
    ClearBit(c.str_present, row);
    changed = true;
  }
  if (TestBit(c.bool_present, row)) {
    ClearBit(c.bool_present, row);
    ClearBit(c.bool_value, row);
    changed = true;
  }
  return changed;
}

bool FactStore::SetValue(FactColumn& c, Row row, const Value& v) {
  if (const double* d = std::get_if<double>(&v)) {
    if (TestBit(c.num_present, row) && c.num[row] == *d) return false;
    ClearValue(c, row);
    if (c.num_present.empty()) {
      c.num_present.assign(words_, 0);
      c.num.assign(words_ * 64, 0.0);
    }
    SetBit(c.num_present, row);
    c.num[row] = *d;
    return true;
  }
  if (const std::string* s = std::get_if<std::string>(&v)) {
    uint32_t id;
    auto it = c.dict_index.find(*s);
    if (it != c.dict_index.end()) {
      id = it->second;
      if (TestBit(c.str_present, row) && c.str[row] == id) return false;
    } else {
      id = static_cast<uint32_t>(c.dict.size());  // unsorted until the next Seal()
      c.dict.push_back(*s);
      c.dict_index.emplace(*s, id);
    }
    ClearValue(c, row);
    if (c.str_present.empty()) {
      c.str_present.assign(words_, 0);
      c.str.assign(words_ * 64, 0);
    }
    SetBit(c.str_present, row);
    c.str[row] = id;
    return true;
  }
  bool b = std::get<bool>(v);
  if (TestBit(c.bool_present, row) && TestBit(c.bool_value, row) == b) return false;
  ClearValue(c, row);
  if (c.bool_present.empty()) {
    c.bool_present.assign(words_, 0);
    c.bool_value.assign(words_, 0);
  }
  SetBit(c.bool_present, row);
  if (b) SetBit(c.bool_value, row);
  return true;
}

FactStore::Change FactStore::Upsert(const EnterpriseLine& line) {
  Change change;
  auto it = rows_.find(line.id);
  if (it == rows_.end()) {
    change.row = static_cast<Row>(ids_.size());
    change.added = true;
    ids_.push_back(line.id);
    rows_.emplace(line.id, change.row);
    EnsureWords(WordsFor(ids_.size()));
  } else {
    change.row = it->second;
  }
  std::vector<uint8_t> seen(columns_.size(), 0);
  for (const auto& [fact, value] : line.facts) {
    uint32_t c = ColumnFor(fact);
    if (c >= seen.size()) seen.resize(c + 1, 0);
    seen[c] = 1;
    if (SetValue(columns_[c], change.row, value)) change.columns.push_back(c);
  }
  if (!change.added) {
    for (uint32_t c = 0; c < columns_.size(); ++c) {
      if (!seen[c] && ClearValue(columns_[c], change.row)) change.columns.push_back(c);
    }
  }
  std::sort(change.columns.begin(), change.columns.end());
  return change;
}

void FactStore::Seal() {
  bool renumbered = false;
  for (FactColumn& c : columns_) {
    if (c.sorted_count == c.dict.size()) continue;
    std::vector<uint32_t> order(c.dict.size());
    for (uint32_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(),
              [&](uint32_t a, uint32_t b) { return c.dict[a] < c.dict[b]; });
    std::vector<uint32_t> new_id(order.size());
    std::vector<std::string> dict(order.size());
    for (uint32_t i = 0; i < order.size(); ++i) {
      new_id[order[i]] = i;
      dict[i] = std::move(c.dict[order[i]]);
    }
    for (std::size_t r = 0; r < ids_.size(); ++r) {
      if (TestBit(c.str_present, r)) c.str[r] = new_id[c.str[r]];
    }
    c.dict = std::move(dict);
    c.dict_index.clear();
    for (uint32_t i = 0; i < c.dict.size(); ++i) c.dict_index.emplace(c.dict[i], i);
    c.sorted_count = static_cast<uint32_t>(c.dict.size());
    renumbered = true;
  }
  if (renumbered) ++epoch_;
}

std::optional<Value> FactStore::Get(Row row, std::string_view fact) const {
  int ci = ColumnOf(fact);
  if (ci < 0 || row >= ids_.size()) return std::nullopt;
  const FactColumn& c = columns_[ci];
  if (TestBit(c.num_present, row)) return Value(c.num[row]);
  if (TestBit(c.str_present, row)) return Value(c.dict[c.str[row]]);
  if (TestBit(c.bool_present, row)) return Value(TestBit(c.bool_value, row));
  return std::nullopt;
}

Facts FactStore::FactsOf(Row row) const {
  Facts facts;
  for (const FactColumn& c : columns_) {
    if (std::optional<Value> v = Get(row, c.name)) facts.emplace(c.name, std::move(*v));
  }
  return facts;
}

Result<FactStore> FactStore::LoadJsonLines(std::istream& in, const ProgressFn& progress,
                                           std::size_t progress_every) {
  FactStore store;
  LoadProgress p;
  std::vector<FieldError> bad;
  std::size_t bad_count = 0;
  std::string first_message;
  std::vector<std::size_t> line_of_row;
  std::string line;
  auto report = [&](std::string message) {
    ++bad_count;
    std::string where = "第" + std::to_string(p.lines) + "行";
    if (first_message.empty()) first_message = where + "：" + message;
    if (bad.size() < kMaxReportedLines) bad.push_back({std::move(where), std::move(message)});
  };
  while (std::getline(in, line)) {
    ++p.lines;
    p.bytes += line.size() + 1;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") != std::string::npos) {
      Result<EnterpriseLine> parsed = ParseEnterpriseLine(line);
      if (!parsed.has_value()) {
        report(parsed.error().message);
      } else if (std::optional<Row> row = store.FindRow(parsed->id)) {
        report("企业标识“" + parsed->id + "”重复（第" + std::to_string(line_of_row[*row]) +
               "行已出现）");
      } else {
        store.Upsert(*parsed);
        line_of_row.push_back(p.lines);
        ++p.rows;
      }
    }
    if (progress && progress_every > 0 && p.lines % progress_every == 0) progress(p);
  }
  if (in.bad()) {
    return InvalidArgument("policy.enterprise_file",
                           "读取企业数据时出错（第" + std::to_string(p.lines) + "行之后）");
  }
  if (progress) progress(p);
  if (bad_count > 0) {
    std::string message = first_message;
    if (bad_count > 1) message += "（共 " + std::to_string(bad_count) + " 行有误）";
    Error error = InvalidArgument("policy.enterprise_line", std::move(message));
    error.fields = std::move(bad);
    return error;
  }
  store.Seal();
  return store;
}

Result<FactStore> FactStore::LoadJsonLinesFile(const std::string& path, const ProgressFn& progress,
                                               std::size_t progress_every) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return InvalidArgument("policy.enterprise_file", "无法读取企业数据文件：" + path);
  }
  return LoadJsonLines(in, progress, progress_every);
}

// ---------------------------------------------------------------------------------------------
// Matcher: compiled form

enum NodeKind : uint8_t { kTrueNode, kFalseNode, kLeafNode, kAllNode, kAnyNode, kNotNode };

struct Matcher::Leaf {
  uint32_t fact = 0;
  Op op = Op::kEq;
  std::vector<Value> operands;  // `in`: sorted, each once
  // Number part: the operands that are numbers (for `in`, sorted).
  bool num = false;
  double a = 0, b = 0;
  std::vector<double> num_set;
  // String part, bound to the column's dictionary by Bind().
  bool str = false;
  bool str_range = false;  // accept ids in [lo, hi) (negated for !=); else the `accept` bits
  bool str_negate = false;
  uint32_t lo = 0, hi = 0;
  uint32_t bound_n = 0;  // ids at or past this were added after Bind(): decided on the string
  std::vector<uint64_t> accept;
  // Boolean part.
  bool accept_true = false, accept_false = false;

  bool AcceptId(uint32_t id) const {
    if (str_range) return ((id - lo) < (hi - lo)) != str_negate;
    return ((accept[id >> 6] >> (id & 63)) & 1) != 0;
  }
};

struct Matcher::Node {
  NodeKind kind = kTrueNode;
  uint32_t leaf = 0;         // kLeafNode
  uint32_t first_child = 0;  // into child_ids_
  uint32_t child_count = 0;
};

Matcher::Matcher() = default;
Matcher::Matcher(Matcher&&) noexcept = default;
Matcher& Matcher::operator=(Matcher&&) noexcept = default;
Matcher::~Matcher() = default;

uint32_t Matcher::InternNode(int kind, std::vector<uint32_t> children) {
  std::string key(1, static_cast<char>(kind));
  for (uint32_t c : children) key.append(reinterpret_cast<const char*>(&c), sizeof c);
  auto it = node_index_.find(key);
  if (it != node_index_.end()) return it->second;
  Node n;
  n.kind = static_cast<NodeKind>(kind);
  n.first_child = static_cast<uint32_t>(child_ids_.size());
  n.child_count = static_cast<uint32_t>(children.size());
  child_ids_.insert(child_ids_.end(), children.begin(), children.end());
  uint32_t id = static_cast<uint32_t>(nodes_.size());
  nodes_.push_back(n);
  node_index_.emplace(std::move(key), id);
  return id;
}

uint32_t Matcher::InternLeaf(const Cond& c) {
  ++stats_.leaf_uses;
  std::vector<Value> operands = c.values;
  if (c.op != Op::kIn && c.op != Op::kBetween && operands.size() > 1) {
    operands.resize(1);  // the reference reads only the first operand
  }
  if (c.op == Op::kIn) {
    std::sort(operands.begin(), operands.end(), ValueLess);
    operands.erase(std::unique(operands.begin(), operands.end(),
                               [](const Value& x, const Value& y) {
                                 return x.index() == y.index() && x == y;
                               }),
                   operands.end());
  }
  std::string key = "L" + c.fact + '\0' + std::string(OpText(c.op)) + '\0';
  for (const Value& v : operands) AppendValueKey(key, v);
  auto it = node_index_.find(key);
  if (it != node_index_.end()) return it->second;

  Leaf leaf;
  auto [fit, fresh] = fact_index_.emplace(c.fact, static_cast<uint32_t>(facts_.size()));
  if (fresh) {
    facts_.push_back(c.fact);
    fact_items_.emplace_back();
  }
  leaf.fact = fit->second;
  leaf.op = c.op;
  leaf.operands = operands;
  auto number = [&](std::size_t i) { return std::get_if<double>(&operands[i]); };
  switch (c.op) {
    case Op::kEq:
    case Op::kNe:
    case Op::kLt:
    case Op::kLe:
    case Op::kGt:
    case Op::kGe:
      if (operands.size() == 1) {
        if (const double* d = number(0)) {
          leaf.num = true;
          leaf.a = *d;
        } else if (std::holds_alternative<std::string>(operands[0])) {
          leaf.str = c.op == Op::kEq || c.op == Op::kNe;
        } else if (c.op == Op::kEq || c.op == Op::kNe) {
          bool b = std::get<bool>(operands[0]);
          bool want = c.op == Op::kEq ? b : !b;
          leaf.accept_true = want;
          leaf.accept_false = !want;
        }
      }
      break;
    case Op::kIn:
      for (const Value& v : operands) {
        if (const double* d = std::get_if<double>(&v)) {
          leaf.num = true;
          leaf.num_set.push_back(*d);
        } else if (std::holds_alternative<std::string>(v)) {
          leaf.str = true;
        } else if (std::get<bool>(v)) {
          leaf.accept_true = true;
        } else {
          leaf.accept_false = true;
        }
      }
      break;
    case Op::kPrefix:
      leaf.str = operands.size() == 1 && std::holds_alternative<std::string>(operands[0]);
      break;
    case Op::kBetween:
      if (operands.size() == 2 && number(0) != nullptr && number(1) != nullptr) {
        leaf.num = true;
        leaf.a = *number(0);
        leaf.b = *number(1);
      }
      break;
  }
  uint32_t leaf_id = static_cast<uint32_t>(leaves_.size());
  leaves_.push_back(std::move(leaf));
  Node n;
  n.kind = kLeafNode;
  n.leaf = leaf_id;
  uint32_t id = static_cast<uint32_t>(nodes_.size());
  nodes_.push_back(n);
  node_index_.emplace(std::move(key), id);
  return id;
}

// Boolean algebra is exact here (a leaf is false on a missing fact, `not` is plain complement),
// so nested all/any are flattened, constants folded and children sorted to share subtrees.
uint32_t Matcher::Intern(const Cond& c) {
  switch (c.kind) {
    case Cond::Kind::kFact:
      return InternLeaf(c);
    case Cond::Kind::kNot: {
      // As the reference: `not` of nothing is true, and only the first child counts.
      if (c.children.empty()) return InternNode(kTrueNode, {});
      uint32_t child = Intern(c.children[0]);
      const Node& n = nodes_[child];
      if (n.kind == kTrueNode) return InternNode(kFalseNode, {});
      if (n.kind == kFalseNode) return InternNode(kTrueNode, {});
      if (n.kind == kNotNode) return child_ids_[n.first_child];
      return InternNode(kNotNode, {child});
    }
    case Cond::Kind::kAll:
    case Cond::Kind::kAny: {
      const bool all = c.kind == Cond::Kind::kAll;
      const NodeKind self = all ? kAllNode : kAnyNode;
      const NodeKind unit = all ? kTrueNode : kFalseNode;  // neutral element
      const NodeKind zero = all ? kFalseNode : kTrueNode;  // absorbing element
      std::vector<uint32_t> kids;
      for (const Cond& child : c.children) {
        uint32_t id = Intern(child);
        const Node& n = nodes_[id];
        if (n.kind == unit) continue;
        if (n.kind == zero) return InternNode(zero, {});
        if (n.kind == self) {
          kids.insert(kids.end(), child_ids_.begin() + n.first_child,
                      child_ids_.begin() + n.first_child + n.child_count);
        } else {
          kids.push_back(id);
        }
      }
      std::sort(kids.begin(), kids.end());
      kids.erase(std::unique(kids.begin(), kids.end()), kids.end());
      if (kids.empty()) return InternNode(unit, {});
      if (kids.size() == 1) return kids[0];
      return InternNode(self, std::move(kids));
    }
  }
  return InternNode(kTrueNode, {});
}

Matcher Matcher::Compile(std::span<const Cond> rules) {
  Matcher m;
  for (const Cond& rule : rules) {
    ItemIndex item = static_cast<ItemIndex>(m.roots_.size());
    m.roots_.push_back(m.Intern(rule));
    // The facts this item reads: walk its compiled tree.
    std::vector<uint32_t> facts;
    std::vector<uint32_t> stack = {m.roots_.back()};
    while (!stack.empty()) {
      const Node& n = m.nodes_[stack.back()];
      stack.pop_back();
      if (n.kind == kLeafNode) {
        facts.push_back(m.leaves_[n.leaf].fact);
      } else {
        for (uint32_t i = 0; i < n.child_count; ++i)
          stack.push_back(m.child_ids_[n.first_child + i]);
      }
    }
    std::sort(facts.begin(), facts.end());
    facts.erase(std::unique(facts.begin(), facts.end()), facts.end());
    for (uint32_t f : facts) m.fact_items_[f].push_back(item);
    m.item_facts_.push_back(std::move(facts));
  }
  m.node_index_.clear();
  m.node_index_.rehash(0);
  m.counts_.assign(m.roots_.size(), 0);
  m.stats_.items = m.roots_.size();
  m.stats_.unique_leaves = m.leaves_.size();
  m.stats_.nodes = m.nodes_.size();
  m.memo_stamp_.assign(m.nodes_.size(), 0);
  m.memo_value_.assign(m.nodes_.size(), 0);
  m.item_stamp_.assign(m.roots_.size(), 0);
  return m;
}

Matcher Matcher::Compile(std::span<const RuleEntry> entries) {
  std::vector<Cond> rules;
  rules.reserve(entries.size());
  for (const RuleEntry& e : entries) rules.push_back(e.cond);
  return Compile(std::span<const Cond>(rules));
}

std::vector<std::string> Matcher::FactsReadBy(ItemIndex item) const {
  std::vector<std::string> out;
  for (uint32_t f : item_facts_[item]) out.push_back(facts_[f]);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Binding to a store

void Matcher::Bind(const FactStore& store) {
  const auto& columns = store.columns();
  fact_column_.assign(facts_.size(), -1);
  column_fact_.assign(columns.size(), -1);
  for (uint32_t f = 0; f < facts_.size(); ++f) {
    int c = store.ColumnOf(facts_[f]);
    fact_column_[f] = c;
    if (c >= 0) column_fact_[c] = static_cast<int>(f);
  }
  for (Leaf& leaf : leaves_) {
    if (!leaf.str) continue;
    int ci = fact_column_[leaf.fact];
    const std::vector<std::string> empty;
    const std::vector<std::string>& dict = ci >= 0 ? columns[ci].dict : empty;
    const uint32_t n = static_cast<uint32_t>(dict.size());
    const bool sorted = ci >= 0 && columns[ci].sorted_count == n;
    leaf.bound_n = n;
    leaf.accept.clear();
    leaf.str_negate = false;
    if (sorted && leaf.op != Op::kIn) {
      // A sorted dictionary makes equality and prefix an id range.
      const std::string& s = std::get<std::string>(leaf.operands[0]);
      auto first = std::lower_bound(dict.begin(), dict.end(), s);
      auto last = leaf.op == Op::kPrefix
                      ? std::partition_point(first, dict.end(),
                                             [&](const std::string& d) { return d.starts_with(s); })
                      : (first != dict.end() && *first == s ? first + 1 : first);
      leaf.str_range = true;
      leaf.str_negate = leaf.op == Op::kNe;
      leaf.lo = static_cast<uint32_t>(first - dict.begin());
      leaf.hi = static_cast<uint32_t>(last - dict.begin());
      continue;
    }
    leaf.str_range = false;
    leaf.accept.assign(WordsFor(n) + 1, 0);
    if (leaf.op == Op::kIn && ci >= 0) {
      for (const Value& v : leaf.operands) {
        const std::string* s = std::get_if<std::string>(&v);
        if (s == nullptr) continue;
        auto it = columns[ci].dict_index.find(*s);
        if (it != columns[ci].dict_index.end()) SetBit(leaf.accept, it->second);
      }
    } else {
      for (uint32_t id = 0; id < n; ++id) {
        if (Holds(leaf.op, leaf.operands, Value(dict[id]))) SetBit(leaf.accept, id);
      }
    }
  }
  bound_store_ = &store;
  bound_epoch_ = store.epoch();
  bound_columns_ = columns.size();
}

// ---------------------------------------------------------------------------------------------
// Bulk evaluation

namespace {

template <typename Test>
void NumberWords(const double* v, const uint64_t* present, std::size_t nw, uint64_t* out,
                 Test test) {
  for (std::size_t w = 0; w < nw; ++w) {
    const double* x = v + w * 64;
    uint64_t bits = 0;
    for (int j = 0; j < 64; ++j) bits |= static_cast<uint64_t>(test(x[j])) << j;
    out[w] |= bits & present[w];
  }
}

}  // namespace

void Matcher::EvalBlock(const FactStore& store, std::size_t block, uint64_t* scratch) const {
  const auto& columns = store.columns();
  const std::size_t total_words = WordsFor(store.size());
  const std::size_t w0 = block * kBlockWords;
  const std::size_t nw = std::min(kBlockWords, total_words - w0);
  for (std::size_t i = 0; i < nodes_.size(); ++i) {
    const Node& n = nodes_[i];
    uint64_t* out = scratch + i * kBlockWords;
    const uint32_t* kids = child_ids_.data() + n.first_child;
    switch (n.kind) {
      case kTrueNode:
        std::fill(out, out + nw, ~uint64_t{0});
        break;
      case kFalseNode:
        std::fill(out, out + nw, 0);
        break;
      case kAllNode: {
        const uint64_t* first = scratch + std::size_t{kids[0]} * kBlockWords;
        std::copy(first, first + nw, out);
        for (uint32_t k = 1; k < n.child_count; ++k) {
          const uint64_t* c = scratch + std::size_t{kids[k]} * kBlockWords;
          for (std::size_t w = 0; w < nw; ++w) out[w] &= c[w];
        }
        break;
      }
      case kAnyNode: {
        const uint64_t* first = scratch + std::size_t{kids[0]} * kBlockWords;
        std::copy(first, first + nw, out);
        for (uint32_t k = 1; k < n.child_count; ++k) {
          const uint64_t* c = scratch + std::size_t{kids[k]} * kBlockWords;
          for (std::size_t w = 0; w < nw; ++w) out[w] |= c[w];
        }
        break;
      }
      case kNotNode: {
        const uint64_t* c = scratch + std::size_t{kids[0]} * kBlockWords;
        for (std::size_t w = 0; w < nw; ++w) out[w] = ~c[w];
        break;
      }
      case kLeafNode: {
        std::fill(out, out + nw, 0);
        const Leaf& leaf = leaves_[n.leaf];
        int ci = fact_column_[leaf.fact];
        if (ci < 0) break;
        const FactColumn& col = columns[ci];
        if (leaf.num && !col.num_present.empty()) {
          const double* v = col.num.data() + w0 * 64;
          const uint64_t* p = col.num_present.data() + w0;
          const double a = leaf.a, b = leaf.b;
          switch (leaf.op) {
            case Op::kEq:
              NumberWords(v, p, nw, out, [a](double x) { return x == a; });
              break;
            case Op::kNe:
              NumberWords(v, p, nw, out, [a](double x) { return x != a; });
              break;
            case Op::kLt:
              NumberWords(v, p, nw, out, [a](double x) { return x < a; });
              break;
            case Op::kLe:
              NumberWords(v, p, nw, out, [a](double x) { return x <= a; });
              break;
            case Op::kGt:
              NumberWords(v, p, nw, out, [a](double x) { return x > a; });
              break;
            case Op::kGe:
              NumberWords(v, p, nw, out, [a](double x) { return x >= a; });
              break;
            case Op::kBetween:
              NumberWords(v, p, nw, out, [a, b](double x) { return a <= x && x <= b; });
              break;
            case Op::kIn: {
              const std::vector<double>& set = leaf.num_set;
              NumberWords(v, p, nw, out, [&set](double x) {
                for (double s : set) {
                  if (s == x) return true;
                }
                return false;
              });
              break;
            }
            case Op::kPrefix:
              break;
          }
        }
        if (leaf.str && !col.str_present.empty()) {
          const uint32_t* ids = col.str.data() + w0 * 64;
          const uint64_t* p = col.str_present.data() + w0;
          for (std::size_t w = 0; w < nw; ++w) {
            if (p[w] == 0) continue;
            uint64_t bits = 0;
            if (leaf.str_range) {
              const uint32_t lo = leaf.lo, span = leaf.hi - leaf.lo;
              const uint64_t flip = leaf.str_negate ? ~uint64_t{0} : 0;
              for (int j = 0; j < 64; ++j) {
                bits |= static_cast<uint64_t>(ids[w * 64 + j] - lo < span) << j;
              }
              bits ^= flip;
            } else {
              for (int j = 0; j < 64; ++j) {
                uint32_t id = ids[w * 64 + j];
                bits |= ((leaf.accept[id >> 6] >> (id & 63)) & 1) << j;
              }
            }
            out[w] |= bits & p[w];
          }
        }
        if ((leaf.accept_true || leaf.accept_false) && !col.bool_present.empty()) {
          const uint64_t* p = col.bool_present.data() + w0;
          const uint64_t* val = col.bool_value.data() + w0;
          const uint64_t t = leaf.accept_true ? ~uint64_t{0} : 0;
          const uint64_t f = leaf.accept_false ? ~uint64_t{0} : 0;
          for (std::size_t w = 0; w < nw; ++w) out[w] |= p[w] & ((val[w] & t) | (~val[w] & f));
        }
        break;
      }
    }
  }
}

// Results are word-major (all items' bits for rows 64w…64w+63 are adjacent), so RematchOne reads
// and writes one contiguous run for its row instead of one cache line per item.
void Matcher::EnsureResultWords(std::size_t words) {
  if (words <= result_words_) return;
  results_.resize(words * roots_.size(), 0);
  result_words_ = words;
}

void Matcher::Run(const FactStore& store, const MatchOptions& options) {
  auto bind_start = std::chrono::steady_clock::now();
  Bind(store);
  stats_.bind_ms = Ms(bind_start);

  auto start = std::chrono::steady_clock::now();
  const std::size_t rows = store.size();
  const std::size_t total_words = WordsFor(rows);
  const std::size_t blocks = (total_words + kBlockWords - 1) / kBlockWords;
  if (options.keep_bitmaps) {
    results_.assign(total_words * roots_.size(), 0);
    result_words_ = total_words;
  } else {
    results_.clear();
    results_.shrink_to_fit();
    result_words_ = 0;
  }
  int threads = options.threads > 0
                    ? options.threads
                    : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  threads = static_cast<int>(std::clamp<std::size_t>(blocks, 1, threads));
  counts_.assign(roots_.size(), 0);

  std::atomic<std::size_t> next{0};
  std::mutex merge;
  auto work = [&] {
    std::vector<uint64_t> scratch(nodes_.size() * kBlockWords);
    std::vector<std::size_t> counts(roots_.size(), 0);
    for (std::size_t block = next++; block < blocks; block = next++) {
      EvalBlock(store, block, scratch.data());
      const std::size_t w0 = block * kBlockWords;
      const std::size_t nw = std::min(kBlockWords, total_words - w0);
      // Rows past the last enterprise are cleared (a `not` sets them).
      const std::size_t tail = rows - (w0 + nw - 1) * 64;  // rows in the last word, 1..64
      const uint64_t last_mask = tail >= 64 ? ~uint64_t{0} : (uint64_t{1} << tail) - 1;
      for (std::size_t item = 0; item < roots_.size(); ++item) {
        const uint64_t* r = scratch.data() + std::size_t{roots_[item]} * kBlockWords;
        std::size_t count = 0;
        for (std::size_t w = 0; w + 1 < nw; ++w) count += std::popcount(r[w]);
        const uint64_t last = r[nw - 1] & last_mask;
        count += std::popcount(last);
        counts[item] += count;
        if (options.keep_bitmaps) {
          uint64_t* dst = results_.data() + w0 * roots_.size() + item;
          for (std::size_t w = 0; w + 1 < nw; ++w) dst[w * roots_.size()] = r[w];
          dst[(nw - 1) * roots_.size()] = last;
        }
      }
    }
    std::lock_guard lock(merge);
    for (std::size_t i = 0; i < counts.size(); ++i) counts_[i] += counts[i];
  };
  if (blocks > 0) {
    std::vector<std::thread> pool;
    for (int t = 1; t < threads; ++t) pool.emplace_back(work);
    work();
    for (std::thread& t : pool) t.join();
  }
  rows_done_ = rows;
  stats_.threads = threads;
  stats_.match_ms = Ms(start);
}

// ---------------------------------------------------------------------------------------------
// One row

bool Matcher::EvalLeafRow(const FactStore& store, const Leaf& leaf, FactStore::Row row) const {
  int ci = fact_column_[leaf.fact];
  if (ci < 0) return false;
  const FactColumn& col = store.columns()[ci];
  if (TestBit(col.num_present, row)) {
    return leaf.num && Holds(leaf.op, leaf.operands, Value(col.num[row]));
  }
  if (TestBit(col.str_present, row)) {
    if (!leaf.str) return false;
    uint32_t id = col.str[row];
    if (id >= leaf.bound_n) return Holds(leaf.op, leaf.operands, Value(col.dict[id]));
    return leaf.AcceptId(id);
  }
  if (TestBit(col.bool_present, row)) {
    return TestBit(col.bool_value, row) ? leaf.accept_true : leaf.accept_false;
  }
  return false;
}

bool Matcher::EvalNodeRow(const FactStore& store, uint32_t node, FactStore::Row row) {
  if (memo_stamp_[node] == stamp_) return memo_value_[node] != 0;
  const Node& n = nodes_[node];
  bool v = false;
  switch (n.kind) {
    case kTrueNode:
      v = true;
      break;
    case kFalseNode:
      v = false;
      break;
    case kLeafNode:
      v = EvalLeafRow(store, leaves_[n.leaf], row);
      break;
    case kAllNode:
      v = true;
      for (uint32_t k = 0; k < n.child_count && v; ++k) {
        v = EvalNodeRow(store, child_ids_[n.first_child + k], row);
      }
      break;
    case kAnyNode:
      for (uint32_t k = 0; k < n.child_count && !v; ++k) {
        v = EvalNodeRow(store, child_ids_[n.first_child + k], row);
      }
      break;
    case kNotNode:
      v = !EvalNodeRow(store, child_ids_[n.first_child], row);
      break;
  }
  memo_stamp_[node] = stamp_;
  memo_value_[node] = v ? 1 : 0;
  return v;
}

namespace {
// Starts a fresh memo generation; on wrap-around the stamps are cleared.
uint32_t NextStamp(uint32_t& stamp, std::vector<uint32_t>& stamps) {
  if (++stamp == 0) {
    std::fill(stamps.begin(), stamps.end(), 0);
    stamp = 1;
  }
  return stamp;
}
}  // namespace

bool Matcher::EvaluateRow(const FactStore& store, ItemIndex item, FactStore::Row row) {
  if (bound_store_ != &store || bound_epoch_ != store.epoch() ||
      bound_columns_ != store.columns().size()) {
    Bind(store);
  }
  NextStamp(stamp_, memo_stamp_);
  return EvalNodeRow(store, roots_[item], row);
}

std::vector<Matcher::ItemIndex> Matcher::RematchOne(const FactStore& store,
                                                    const FactStore::Change& change) {
  if (bound_store_ != &store || bound_epoch_ != store.epoch() ||
      bound_columns_ != store.columns().size()) {
    Bind(store);
  }
  const FactStore::Row row = change.row;
  EnsureResultWords(WordsFor(std::size_t{row} + 1));
  const bool all = change.added || row >= rows_done_;
  rows_done_ = std::max<std::size_t>(rows_done_, std::size_t{row} + 1);
  NextStamp(stamp_, memo_stamp_);
  std::vector<ItemIndex> flipped;
  auto visit = [&](ItemIndex item) {
    bool now = EvalNodeRow(store, roots_[item], row);
    uint64_t& word = results_[(row / 64) * roots_.size() + item];
    const uint64_t bit = uint64_t{1} << (row % 64);
    if (now == ((word & bit) != 0)) return;
    word ^= bit;
    if (now) {
      ++counts_[item];
    } else {
      --counts_[item];
    }
    flipped.push_back(item);
  };
  if (all) {
    for (ItemIndex item = 0; item < roots_.size(); ++item) visit(item);
    return flipped;
  }
  NextStamp(item_stamp_stamp_, item_stamp_);
  for (uint32_t c : change.columns) {
    if (c >= column_fact_.size() || column_fact_[c] < 0) continue;
    for (ItemIndex item : fact_items_[column_fact_[c]]) {
      if (item_stamp_[item] == item_stamp_stamp_) continue;
      item_stamp_[item] = item_stamp_stamp_;
      visit(item);
    }
  }
  std::sort(flipped.begin(), flipped.end());
  return flipped;
}

bool Matcher::Matches(ItemIndex item, FactStore::Row row) const {
  if (row / 64 >= result_words_) return false;
  return ((results_[(row / 64) * roots_.size() + item] >> (row % 64)) & 1) != 0;
}

std::vector<std::string> Matcher::MatchingIds(const FactStore& store, ItemIndex item) const {
  std::vector<std::string> ids;
  const std::size_t words = std::min(result_words_, WordsFor(store.size()));
  for (std::size_t w = 0; w < words; ++w) {
    uint64_t bits = results_[w * roots_.size() + item];
    while (bits != 0) {
      std::size_t row = w * 64 + std::countr_zero(bits);
      bits &= bits - 1;
      if (row < store.size()) ids.push_back(store.IdOf(static_cast<FactStore::Row>(row)));
    }
  }
  return ids;
}

}  // namespace onestop::policy
