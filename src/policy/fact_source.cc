#include "policy/fact_source.h"

#include <boost/json.hpp>
#include <string>
#include <utility>
#include <variant>

namespace onestop::policy {

namespace json = boost::json;

namespace {

json::value ValueToJson(const Value& v) {
  if (const double* d = std::get_if<double>(&v)) {
    // Whole numbers stay integers in the file (45, not 45.0).
    if (*d == static_cast<double>(static_cast<std::int64_t>(*d)) && *d > -9.0e15 && *d < 9.0e15) {
      return json::value(static_cast<std::int64_t>(*d));
    }
    return json::value(*d);
  }
  if (const std::string* s = std::get_if<std::string>(&v)) return json::value(*s);
  return json::value(std::get<bool>(v));
}

Error BadSnapshot(const std::string& what) {
  return InvalidArgument("policy.bad_snapshot", "数据快照格式错误：" + what);
}

}  // namespace

Facts FactSnapshot::AsFacts() const {
  Facts out;
  out.reserve(facts.size());
  for (const SourcedFact& f : facts) out.emplace(f.fact, f.value);
  return out;
}

std::string SnapshotToJson(const FactSnapshot& snapshot) {
  json::array facts;
  facts.reserve(snapshot.facts.size());
  for (const SourcedFact& f : snapshot.facts) {
    facts.push_back(json::object{{"fact", f.fact},
                                 {"value", ValueToJson(f.value)},
                                 {"source", f.source},
                                 {"asOf", f.as_of}});
  }
  json::object out{{"enterpriseId", snapshot.enterprise_id},
                   {"name", snapshot.name},
                   {"takenAtMs", snapshot.taken_at_ms},
                   {"facts", std::move(facts)}};
  return json::serialize(out);
}

Result<FactSnapshot> SnapshotFromJson(std::string_view text) {
  boost::system::error_code ec;
  json::value parsed = json::parse(text, ec);
  if (ec) return BadSnapshot(ec.message());
  const json::object* obj = parsed.if_object();
  if (obj == nullptr) return BadSnapshot("应为 JSON 对象");
  FactSnapshot out;
  if (const json::value* v = obj->if_contains("enterpriseId"); v && v->is_string()) {
    out.enterprise_id = std::string(v->get_string());
  } else {
    return BadSnapshot("缺少 enterpriseId");
  }
  if (const json::value* v = obj->if_contains("name"); v && v->is_string()) {
    out.name = std::string(v->get_string());
  }
  if (const json::value* v = obj->if_contains("takenAtMs"); v && v->is_int64()) {
    out.taken_at_ms = v->get_int64();
  }
  const json::value* facts = obj->if_contains("facts");
  if (facts == nullptr || !facts->is_array()) return BadSnapshot("缺少 facts 列表");
  for (const json::value& f : facts->get_array()) {
    const json::object* fo = f.if_object();
    if (fo == nullptr) return BadSnapshot("facts 的元素应为对象");
    SourcedFact sf;
    const json::value* key = fo->if_contains("fact");
    const json::value* value = fo->if_contains("value");
    if (key == nullptr || !key->is_string() || value == nullptr) {
      return BadSnapshot("facts 的元素缺少 fact 或 value");
    }
    sf.fact = std::string(key->get_string());
    if (value->is_bool()) {
      sf.value = value->get_bool();
    } else if (value->is_string()) {
      sf.value = std::string(value->get_string());
    } else if (value->is_number()) {
      sf.value = value->to_number<double>();
    } else {
      return BadSnapshot("「" + sf.fact + "」的值应为数值、文本或是否");
    }
    if (const json::value* s = fo->if_contains("source"); s && s->is_string()) {
      sf.source = std::string(s->get_string());
    }
    if (const json::value* s = fo->if_contains("asOf"); s && s->is_string()) {
      sf.as_of = std::string(s->get_string());
    }
    out.facts.push_back(std::move(sf));
  }
  return out;
}

Result<std::string> FactSource::EnterpriseIdOf(const identity::Principal& /*actor*/) {
  return FailedPrecondition("policy.not_enterprise", "只有企业账号可以查看本企业的数据");
}

}  // namespace onestop::policy
