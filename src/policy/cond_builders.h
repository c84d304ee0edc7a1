// Building condition trees in code (tests, the generator in bench/, demo data):
//   All({Leaf("employees", Op::kGe, {50.0}), Not(Leaf("bad_credit", Op::kEq, {true}))})
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "policy/rule.h"

namespace onestop::policy {

inline Cond Leaf(std::string fact, Op op, std::vector<Value> values) {
  Cond c;
  c.kind = Cond::Kind::kFact;
  c.fact = std::move(fact);
  c.op = op;
  c.values = std::move(values);
  return c;
}
inline Cond Group(Cond::Kind kind, std::vector<Cond> children) {
  Cond c;
  c.kind = kind;
  c.children = std::move(children);
  return c;
}
inline Cond All(std::vector<Cond> children) { return Group(Cond::Kind::kAll, std::move(children)); }
inline Cond Any(std::vector<Cond> children) { return Group(Cond::Kind::kAny, std::move(children)); }
inline Cond Not(Cond child) { return Group(Cond::Kind::kNot, {std::move(child)}); }

}  // namespace onestop::policy
