// PlanBundle: what an applicant of a bundle actually faces for a set of situation answers.
#include <algorithm>
#include <map>
#include <queue>
#include <set>

#include "catalog/bundle.h"

namespace onestop::catalog {
namespace {

// Strength of a material's need when several items ask for it: any 必要 makes it 必要.
int NeedRank(MaterialNeed n) {
  switch (n) {
    case MaterialNeed::kRequired:
      return 3;
    case MaterialNeed::kDeferable:
      return 2;
    case MaterialNeed::kOptional:
      return 1;
  }
  return 0;
}

template <typename T>
void AddOnce(std::vector<T>& list, const T& value) {
  if (std::find(list.begin(), list.end(), value) == list.end()) list.push_back(value);
}

// Kahn's algorithm over nodes 0..n-1; ties go to the lowest index (bundle order). Returns fewer
// than n nodes when the edges loop.
std::vector<int> TopologicalOrder(int n, const std::vector<std::pair<int, int>>& edges) {
  std::vector<int> indegree(n, 0);
  std::vector<std::vector<int>> next(n);
  for (auto [a, b] : edges) {
    next[a].push_back(b);
    ++indegree[b];
  }
  std::priority_queue<int, std::vector<int>, std::greater<>> ready;
  for (int i = 0; i < n; ++i) {
    if (indegree[i] == 0) ready.push(i);
  }
  std::vector<int> order;
  while (!ready.empty()) {
    int v = ready.top();
    ready.pop();
    order.push_back(v);
    for (int w : next[v]) {
      if (--indegree[w] == 0) ready.push(w);
    }
  }
  return order;
}

}  // namespace

int LimitInWorkingDays(const TimeLimit& limit) {
  if (limit.unit == LimitUnit::kWorkingDays) return limit.value;
  return (limit.value * 5 + 6) / 7;  // ⌈N × 5 / 7⌉
}

Result<BundlePlan> PlanBundle(const Bundle& bundle, const std::vector<Item>& items,
                              const Answers& answers) {
  // The bundle's items, by position in the bundle.
  const int n = static_cast<int>(bundle.items.size());
  std::map<std::string, int> index;
  std::vector<const Item*> item_at(n, nullptr);
  for (int i = 0; i < n; ++i) {
    const std::string& code = bundle.items[i].item_code;
    index.emplace(code, i);
    for (const Item& it : items) {
      if (it.code == code) item_at[i] = &it;
    }
    if (item_at[i] == nullptr) {
      return FailedPrecondition("catalog.unknown_item", "一件事「" + bundle.name + "」中的事项 " +
                                                            code + " 不存在或已停用");
    }
  }

  // Answers name known situations and options; every deciding question is answered.
  std::map<std::string, const Situation*> situations;
  for (const Situation& s : bundle.situations) situations.emplace(s.code, &s);
  std::vector<FieldError> bad;
  std::vector<const SituationOption*> chosen;
  for (const auto& [sit, opt] : answers) {
    auto s = situations.find(sit);
    if (s == situations.end()) {
      bad.push_back({"answers." + sit, "没有这个情形"});
      continue;
    }
    auto o = std::find_if(s->second->options.begin(), s->second->options.end(),
                          [&](const SituationOption& x) { return x.code == opt; });
    if (o == s->second->options.end()) {
      bad.push_back({"answers." + sit, "情形「" + s->second->question + "」没有选项 " + opt});
    } else {
      chosen.push_back(&*o);
    }
  }
  if (!bad.empty()) {
    Error e = InvalidArgument("catalog.bad_answer", "情形回答有误：" + bad.front().message);
    e.fields = std::move(bad);
    return e;
  }
  std::set<std::string> deciding;
  for (const BundleItem& bi : bundle.items) {
    for (const std::string& w : bi.when) deciding.insert(w.substr(0, w.find('=')));
  }
  std::vector<FieldError> missing;
  for (const Situation& s : bundle.situations) {
    const bool skips =
        std::any_of(s.options.begin(), s.options.end(),
                    [](const SituationOption& o) { return !o.skip_materials.empty(); });
    if ((skips || deciding.contains(s.code)) && !answers.contains(s.code)) {
      missing.push_back({"answers." + s.code, "请回答：" + s.question});
    }
  }
  if (!missing.empty()) {
    Error e = InvalidArgument("catalog.missing_answer", missing.front().message);
    e.fields = std::move(missing);
    return e;
  }

  // Edges by index; the whole graph must be acyclic.
  std::vector<std::pair<int, int>> all_edges;
  for (const Edge& e : bundle.edges) {
    auto a = index.find(e.from), b = index.find(e.to);
    if (a == index.end() || b == index.end()) {
      return FailedPrecondition("catalog.unknown_item", "一件事「" + bundle.name +
                                                            "」的前置关系引用了不在其中的事项 " +
                                                            (a == index.end() ? e.from : e.to));
    }
    all_edges.emplace_back(a->second, b->second);
  }
  if (static_cast<int>(TopologicalOrder(n, all_edges).size()) != n) {
    return FailedPrecondition("catalog.cycle",
                              "一件事「" + bundle.name + "」的前置关系形成循环，无法排出办理顺序");
  }

  // Selected items: no condition, or any condition "<situation>=<option>" holds.
  std::vector<bool> selected(n, false);
  for (int i = 0; i < n; ++i) {
    const std::vector<std::string>& when = bundle.items[i].when;
    selected[i] = when.empty() || std::any_of(when.begin(), when.end(), [&](const std::string& w) {
                    const std::size_t eq = w.find('=');
                    if (eq == std::string::npos) return false;
                    auto a = answers.find(w.substr(0, eq));
                    return a != answers.end() && a->second == w.substr(eq + 1);
                  });
  }

  BundlePlan plan;
  std::vector<std::pair<int, int>> edges;  // among selected items
  std::vector<std::vector<int>> preds(n);
  std::vector<std::vector<const Edge*>> incoming(n);
  for (std::size_t k = 0; k < all_edges.size(); ++k) {
    auto [a, b] = all_edges[k];
    if (!selected[a] || !selected[b]) continue;
    edges.push_back(all_edges[k]);
    preds[b].push_back(a);
    incoming[b].push_back(&bundle.edges[k]);
    plan.edges.push_back(bundle.edges[k]);
  }
  std::vector<int> order;
  for (int v : TopologicalOrder(n, edges)) {
    if (selected[v]) order.push_back(v);
  }
  std::vector<int> rank(n, 0);  // position in `order`
  for (std::size_t k = 0; k < order.size(); ++k) rank[order[k]] = static_cast<int>(k);
  for (std::vector<int>& p : preds) {
    std::sort(p.begin(), p.end(), [&](int a, int b) { return rank[a] < rank[b]; });
  }
  // Every selected item that precedes v (transitively).
  std::vector<std::set<int>> before(n);
  for (int v : order) {
    for (int u : preds[v]) {
      before[v].insert(u);
      before[v].insert(before[u].begin(), before[u].end());
    }
  }
  for (int v : order) plan.item_codes.push_back(bundle.items[v].item_code);

  // Merged form: first occurrence of a key wins; a field is not asked when every item that
  // asks for it gets it from a selected prerequisite's result (a mapping on an incoming edge).
  std::map<std::string, std::size_t> field_at;
  for (int v : order) {
    for (const FormField& f : item_at[v]->fields) {
      auto [it, fresh] = field_at.emplace(f.key, plan.fields.size());
      if (fresh) plan.fields.push_back({f, {}, false});
      AddOnce(plan.fields[it->second].item_codes, item_at[v]->code);
    }
  }
  for (MergedField& mf : plan.fields) {
    mf.filled_by_prerequisite =
        std::all_of(mf.item_codes.begin(), mf.item_codes.end(), [&](const std::string& code) {
          const int v = index.at(code);
          return std::any_of(incoming[v].begin(), incoming[v].end(), [&](const Edge* e) {
            return std::any_of(e->mappings.begin(), e->mappings.end(),
                               [&](const FieldMapping& m) { return m.to_field == mf.field.key; });
          });
        });
  }

  // Merged materials: skipped by a chosen option, or produced by an earlier item, are dropped;
  // the rest are merged by key (the largest counts and the strongest need win).
  std::map<std::string, std::string> skipped;  // key → reason
  for (const auto& [sit, opt] : answers) {
    const Situation* s = situations.at(sit);
    for (const SituationOption& o : s->options) {
      if (o.code != opt) continue;
      for (const std::string& key : o.skip_materials) {
        skipped.emplace(key, "情形「" + s->question + "」选择「" + o.label + "」时无需提供");
      }
    }
  }
  std::map<std::string, std::size_t> material_at;
  for (int v : order) {
    const Item& item = *item_at[v];
    plan.figures.materials_before += static_cast<int>(item.materials.size());
    for (const Material& m : item.materials) {
      if (auto s = skipped.find(m.key); s != skipped.end()) {
        plan.dropped.push_back({m, item.code, s->second});
        continue;
      }
      auto producer = std::find_if(before[v].begin(), before[v].end(),
                                   [&](int u) { return item_at[u]->result.material_key == m.key; });
      if (producer != before[v].end()) {
        plan.dropped.push_back(
            {m, item.code, "由《" + item_at[*producer]->name + "》办结后生成，无需提交"});
        continue;
      }
      auto [it, fresh] = material_at.emplace(m.key, plan.materials.size());
      if (fresh) {
        plan.materials.push_back({m, {}});
      } else {
        Material& merged = plan.materials[it->second].material;
        merged.originals = std::max(merged.originals, m.originals);
        merged.copies = std::max(merged.copies, m.copies);
        if (NeedRank(m.need) > NeedRank(merged.need)) merged.need = m.need;
      }
      AddOnce(plan.materials[it->second].item_codes, item.code);
    }
  }

  // Critical path: the longest chain of promised limits in working days. Ties keep the
  // earlier item in the plan's order.
  std::vector<int> dist(n, 0), via(n, -1);
  int end = -1;
  for (int v : order) {
    for (int u : preds[v]) {
      if (via[v] == -1 || dist[u] > dist[via[v]]) via[v] = u;
    }
    dist[v] = LimitInWorkingDays(item_at[v]->promised_limit) + (via[v] == -1 ? 0 : dist[via[v]]);
    if (end == -1 || dist[v] > dist[end]) end = v;
  }
  for (int v = end; v != -1; v = via[v]) plan.critical_path.push_back(bundle.items[v].item_code);
  std::reverse(plan.critical_path.begin(), plan.critical_path.end());

  BundleFigures& f = plan.figures;
  std::set<std::string> departments;
  for (int v : order) {
    const Item& item = *item_at[v];
    f.days_before += LimitInWorkingDays(item.promised_limit);
    f.visits_before += item.visits;
    departments.insert(item.department_code);
  }
  f.materials_after = static_cast<int>(plan.materials.size());
  f.materials_with_licences = static_cast<int>(
      std::count_if(plan.materials.begin(), plan.materials.end(),
                    [](const MergedMaterial& m) { return m.material.licence_type.empty(); }));
  f.days_after = end == -1 ? 0 : dist[end];
  f.visits_after = f.visits_before > 0 ? 1 : 0;
  f.items = static_cast<int>(order.size());
  f.departments = static_cast<int>(departments.size());
  return plan;
}

}  // namespace onestop::catalog
