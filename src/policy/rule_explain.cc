// Explain: which leaves of a rule held for one enterprise, with the actual values.
#include "core/money.h"
#include "policy/internal/rule_check.h"
#include "policy/rule.h"

namespace onestop::policy {

namespace {

void Collect(const Cond& c, const Facts& facts, const FactSchema& schema,
             std::vector<LeafExplanation>& out) {
  if (c.kind != Cond::Kind::kFact) {
    for (const Cond& child : c.children) Collect(child, facts, schema, out);
    return;
  }
  LeafExplanation e;
  e.fact = c.fact;
  const FactDef* def = schema.Find(c.fact);
  e.label = def != nullptr && !def->label.empty() ? def->label : c.fact;
  auto it = facts.find(c.fact);
  e.missing = it == facts.end();
  e.held = !e.missing && internal::LeafHolds(c, it->second);
  e.text = e.label + (e.missing ? " 无数据" : " " + internal::ValueText(it->second));
  out.push_back(std::move(e));
}

}  // namespace

Explanation Explain(const Cond& cond, const Facts& facts, const FactSchema& schema) {
  Explanation out;
  out.eligible = Evaluate(cond, facts);
  Collect(cond, facts, schema, out.leaves);
  return out;
}

}  // namespace onestop::policy
