#include "catalog/catalog_json.h"

#include <boost/json.hpp>
#include <cmath>
#include <limits>
#include <map>
#include <set>

namespace onestop::catalog {
namespace json = boost::json;
namespace {

// ---- Writing ----

json::value OptIntJson(const std::optional<int>& v) {
  return v ? json::value(static_cast<std::int64_t>(*v)) : json::value(nullptr);
}

json::value NumberJson(const std::optional<double>& v) {
  if (!v) return nullptr;
  double whole = 0;
  if (std::modf(*v, &whole) == 0.0 && std::fabs(*v) < 9e15) {
    return static_cast<std::int64_t>(*v);
  }
  return *v;
}

template <typename T>
json::array Array(const std::vector<T>& values) {
  json::array a;
  for (const T& v : values) a.emplace_back(v);
  return a;
}

json::object LimitJson(const TimeLimit& t) {
  return {{"value", t.value}, {"unit", LimitUnitCode(t.unit)}, {"note", t.note}};
}

json::object MaterialJson(const Material& m) {
  return {{"key", m.key},
          {"name", m.name},
          {"need", MaterialNeedCode(m.need)},
          {"originals", m.originals},
          {"copies", m.copies},
          {"paperSize", m.paper_size},
          {"source", static_cast<int>(m.source)},
          {"issuer", m.issuer},
          {"licenceType", m.licence_type},
          {"blankFormUrl", m.blank_form_url},
          {"sampleUrl", m.sample_url},
          {"note", m.note}};
}

json::object FieldJson(const FormField& f) {
  return {{"key", f.key},
          {"label", f.label},
          {"type", FieldTypeCode(f.type)},
          {"required", f.required},
          {"options", Array(f.options)},
          {"maxLength", f.max_length},
          {"min", NumberJson(f.min)},
          {"max", NumberJson(f.max)},
          {"hint", f.hint}};
}

json::object StepJson(const Step& s) {
  return {{"name", s.name},
          {"role", s.role},
          {"departmentCode", s.department_code},
          {"limitWorkingDays", OptIntJson(s.limit_working_days)}};
}

json::object EdgeJson(const Edge& e) {
  json::array mappings;
  for (const FieldMapping& m : e.mappings) {
    mappings.push_back(json::object{{"fromField", m.from_field}, {"toField", m.to_field}});
  }
  return {{"from", e.from}, {"to", e.to}, {"mappings", std::move(mappings)}};
}

// ---- Reading ----

std::string Join(const std::string& path, std::string_view key) {
  return path.empty() ? std::string(key) : path + "." + std::string(key);
}
std::string Index(const std::string& path, std::size_t i) {
  return path + "[" + std::to_string(i) + "]";
}

// Reads the members of one JSON object, recording a field error for each problem; unknown keys
// are reported by Finish(). A JSON null counts as absent.
class ObjectIn {
 public:
  ObjectIn(const json::value& v, std::string path, std::vector<FieldError>& errors)
      : path_(std::move(path)), errors_(errors) {
    if (v.is_object()) {
      object_ = &v.get_object();
    } else {
      Error(path_, "应为对象");
    }
  }

  const std::string& path() const { return path_; }
  std::vector<FieldError>& errors() { return errors_; }
  void Error(const std::string& path, std::string message) {
    errors_.push_back({path, std::move(message)});
  }

  // The value of `key`, or nullptr when absent or null. Marks the key as known.
  const json::value* Find(std::string_view key) {
    known_.insert(std::string(key));
    if (object_ == nullptr) return nullptr;
    const json::value* v = object_->if_contains(key);
    return v == nullptr || v->is_null() ? nullptr : v;
  }
  std::string At(std::string_view key) const { return Join(path_, key); }

  void Str(std::string_view key, std::string& out) {
    const json::value* v = Find(key);
    if (v == nullptr) return;
    if (!v->is_string()) return Error(At(key), "应为字符串");
    out = std::string(v->get_string());
  }
  void Bool(std::string_view key, bool& out) {
    const json::value* v = Find(key);
    if (v == nullptr) return;
    if (!v->is_bool()) return Error(At(key), "应为 true 或 false");
    out = v->get_bool();
  }
  template <typename T>
  void Int(std::string_view key, T& out) {
    const json::value* v = Find(key);
    if (v != nullptr) ReadInt(*v, At(key), out);
  }
  void OptInt(std::string_view key, std::optional<int>& out) {
    const json::value* v = Find(key);
    if (v == nullptr) return;
    int n = 0;
    if (ReadInt(*v, At(key), n)) out = n;
  }
  void OptNumber(std::string_view key, std::optional<double>& out) {
    const json::value* v = Find(key);
    if (v == nullptr) return;
    if (!v->is_number()) return Error(At(key), "应为数字");
    out = v->to_number<double>();
  }
  void IntList(std::string_view key, std::vector<int>& out) {
    const json::array* a = Array(key);
    if (a == nullptr) return;
    out.clear();
    for (std::size_t i = 0; i < a->size(); ++i) {
      int n = 0;
      if (ReadInt((*a)[i], Index(At(key), i), n)) out.push_back(n);
    }
  }
  void StrList(std::string_view key, std::vector<std::string>& out) {
    const json::array* a = Array(key);
    if (a == nullptr) return;
    out.clear();
    for (std::size_t i = 0; i < a->size(); ++i) {
      if ((*a)[i].is_string()) {
        out.emplace_back((*a)[i].get_string());
      } else {
        Error(Index(At(key), i), "应为字符串");
      }
    }
  }
  // The array at `key`, or nullptr (absent, or not an array: an error).
  const json::array* Array(std::string_view key) {
    const json::value* v = Find(key);
    if (v == nullptr) return nullptr;
    if (!v->is_array()) {
      Error(At(key), "应为数组");
      return nullptr;
    }
    return &v->get_array();
  }
  // Reads each element of the array at `key` with `read(element, path)`.
  template <typename T, typename F>
  void List(std::string_view key, std::vector<T>& out, F read) {
    const json::array* a = Array(key);
    if (a == nullptr) return;
    out.clear();
    for (std::size_t i = 0; i < a->size(); ++i) out.push_back(read((*a)[i], Index(At(key), i)));
  }

  // Unknown keys are typos: each is an error at its own path.
  void Finish() {
    if (object_ == nullptr) return;
    for (const auto& [k, v] : *object_) {
      if (!known_.contains(std::string(k))) Error(At(k), "未知的键（拼写错误？）");
    }
  }

 private:
  template <typename T>
  bool ReadInt(const json::value& v, const std::string& path, T& out) {
    std::int64_t n = 0;
    if (v.is_int64()) {
      n = v.get_int64();
    } else if (v.is_uint64() && v.get_uint64() <= static_cast<std::uint64_t>(
                                                      std::numeric_limits<std::int64_t>::max())) {
      n = static_cast<std::int64_t>(v.get_uint64());
    } else if (v.is_double() && std::floor(v.get_double()) == v.get_double() &&
               std::fabs(v.get_double()) < 9e15) {
      n = static_cast<std::int64_t>(v.get_double());
    } else {
      Error(path, "应为整数");
      return false;
    }
    if (n < std::numeric_limits<T>::min() || n > std::numeric_limits<T>::max()) {
      Error(path, "数值超出范围");
      return false;
    }
    out = static_cast<T>(n);
    return true;
  }

  const json::object* object_ = nullptr;
  std::string path_;
  std::vector<FieldError>& errors_;
  std::set<std::string> known_;
};

template <typename T, typename Parse>
void EnumCode(ObjectIn& in, std::string_view key, T& out, Parse parse) {
  std::string code;
  const json::value* v = in.Find(key);
  if (v == nullptr) return;
  if (!v->is_string()) return in.Error(in.At(key), "应为字符串");
  Result<T> parsed = parse(std::string_view(v->get_string()));
  if (parsed.has_value()) {
    out = *parsed;
  } else {
    in.Error(in.At(key), parsed.error().message);
  }
}

TimeLimit ReadLimit(const json::value& v, const std::string& path, std::vector<FieldError>& e) {
  TimeLimit t;
  ObjectIn in(v, path, e);
  in.Int("value", t.value);
  EnumCode(in, "unit", t.unit, ParseLimitUnit);
  in.Str("note", t.note);
  in.Finish();
  return t;
}

Material ReadMaterial(const json::value& v, const std::string& path, std::vector<FieldError>& e) {
  Material m;
  ObjectIn in(v, path, e);
  in.Str("key", m.key);
  in.Str("name", m.name);
  EnumCode(in, "need", m.need, ParseMaterialNeed);
  in.Int("originals", m.originals);
  in.Int("copies", m.copies);
  in.Str("paperSize", m.paper_size);
  int source = static_cast<int>(m.source);
  in.Int("source", source);
  if (source != 10 && source != 20 && source != 99) {
    in.Error(in.At("source"), "来源渠道应为 10（申请人自备）、20（政府部门核发）或 99（其他）");
  } else {
    m.source = static_cast<SourceChannel>(source);
  }
  in.Str("issuer", m.issuer);
  in.Str("licenceType", m.licence_type);
  in.Str("blankFormUrl", m.blank_form_url);
  in.Str("sampleUrl", m.sample_url);
  in.Str("note", m.note);
  in.Finish();
  return m;
}

FormField ReadField(const json::value& v, const std::string& path, std::vector<FieldError>& e) {
  FormField f;
  ObjectIn in(v, path, e);
  in.Str("key", f.key);
  in.Str("label", f.label);
  EnumCode(in, "type", f.type, ParseFieldType);
  in.Bool("required", f.required);
  in.StrList("options", f.options);
  in.Int("maxLength", f.max_length);
  in.OptNumber("min", f.min);
  in.OptNumber("max", f.max);
  in.Str("hint", f.hint);
  in.Finish();
  return f;
}

Step ReadStep(const json::value& v, const std::string& path, std::vector<FieldError>& e) {
  Step s;
  ObjectIn in(v, path, e);
  in.Str("name", s.name);
  in.Str("role", s.role);
  in.Str("departmentCode", s.department_code);
  in.OptInt("limitWorkingDays", s.limit_working_days);
  in.Finish();
  return s;
}

ItemResult ReadResult(const json::value& v, const std::string& path, std::vector<FieldError>& e) {
  ItemResult r;
  ObjectIn in(v, path, e);
  in.Str("name", r.name);
  in.Str("materialKey", r.material_key);
  in.Str("licenceType", r.licence_type);
  in.StrList("fields", r.fields);
  in.Finish();
  return r;
}

Item ReadItem(const json::value& v, std::vector<FieldError>& e) {
  Item item;
  ObjectIn in(v, "", e);
  in.Str("code", item.code);
  in.Str("basicCode", item.basic_code);
  in.Int("version", item.version);
  in.Str("name", item.name);
  in.Str("departmentCode", item.department_code);
  in.Str("itemType", item.item_type);
  in.Int("level", item.level);
  in.IntList("serviceObjects", item.service_objects);
  in.IntList("handlingForms", item.handling_forms);
  in.Int("caseType", item.case_type);
  if (const json::value* l = in.Find("statutoryLimit")) {
    item.statutory_limit = ReadLimit(*l, in.At("statutoryLimit"), e);
  }
  if (const json::value* l = in.Find("promisedLimit")) {
    item.promised_limit = ReadLimit(*l, in.At("promisedLimit"), e);
  }
  in.Bool("charged", item.charged);
  in.Int("feeFen", item.fee_fen);
  in.Str("feeBasis", item.fee_basis);
  in.Bool("onlinePayment", item.online_payment);
  in.Int("onlineDepth", item.online_depth);
  in.Int("visits", item.visits);
  in.Str("onsiteReason", item.onsite_reason);
  in.Bool("mailApplication", item.mail_application);
  in.Str("conditions", item.conditions);
  in.Str("legalBasis", item.legal_basis);
  in.Str("explanation", item.explanation);
  if (const json::value* r = in.Find("result")) item.result = ReadResult(*r, in.At("result"), e);
  in.Bool("appointment", item.appointment);
  in.Bool("expressDelivery", item.express_delivery);
  in.Bool("commitmentAllowed", item.commitment_allowed);
  in.Bool("deemedApprovalAllowed", item.deemed_approval_allowed);
  in.OptInt("deemedApprovalDays", item.deemed_approval_days);
  in.List("materials", item.materials,
          [&](const json::value& m, const std::string& p) { return ReadMaterial(m, p, e); });
  in.List("fields", item.fields,
          [&](const json::value& f, const std::string& p) { return ReadField(f, p, e); });
  in.List("steps", item.steps,
          [&](const json::value& s, const std::string& p) { return ReadStep(s, p, e); });
  in.Finish();
  return item;
}

SituationOption ReadOption(const json::value& v, const std::string& path,
                           std::vector<FieldError>& e) {
  SituationOption o;
  ObjectIn in(v, path, e);
  in.Str("code", o.code);
  in.Str("label", o.label);
  in.StrList("skipMaterials", o.skip_materials);
  in.Finish();
  return o;
}

Situation ReadSituation(const json::value& v, const std::string& path, std::vector<FieldError>& e) {
  Situation s;
  ObjectIn in(v, path, e);
  in.Str("code", s.code);
  in.Str("question", s.question);
  in.List("options", s.options,
          [&](const json::value& o, const std::string& p) { return ReadOption(o, p, e); });
  in.Finish();
  return s;
}

BundleItem ReadBundleItem(const json::value& v, const std::string& path,
                          std::vector<FieldError>& e) {
  BundleItem b;
  ObjectIn in(v, path, e);
  in.Str("itemCode", b.item_code);
  in.StrList("when", b.when);
  in.Bool("blocking", b.blocking);
  in.Finish();
  return b;
}

FieldMapping ReadMapping(const json::value& v, const std::string& path,
                         std::vector<FieldError>& e) {
  FieldMapping m;
  ObjectIn in(v, path, e);
  in.Str("fromField", m.from_field);
  in.Str("toField", m.to_field);
  in.Finish();
  return m;
}

Edge ReadEdge(const json::value& v, const std::string& path, std::vector<FieldError>& e) {
  Edge edge;
  ObjectIn in(v, path, e);
  in.Str("from", edge.from);
  in.Str("to", edge.to);
  in.List("mappings", edge.mappings,
          [&](const json::value& m, const std::string& p) { return ReadMapping(m, p, e); });
  in.Finish();
  return edge;
}

Bundle ReadBundle(const json::value& v, std::vector<FieldError>& e) {
  Bundle b;
  ObjectIn in(v, "", e);
  in.Str("code", b.code);
  in.Int("version", b.version);
  in.Str("name", b.name);
  in.Str("category", b.category);
  in.Str("description", b.description);
  in.Str("departmentCode", b.department_code);
  in.List("situations", b.situations,
          [&](const json::value& s, const std::string& p) { return ReadSituation(s, p, e); });
  in.List("items", b.items,
          [&](const json::value& i, const std::string& p) { return ReadBundleItem(i, p, e); });
  in.List("edges", b.edges,
          [&](const json::value& x, const std::string& p) { return ReadEdge(x, p, e); });
  in.Finish();
  return b;
}

Error BadJson(std::vector<FieldError> errors) {
  const FieldError& first = errors.front();
  Error e =
      InvalidArgument("catalog.bad_json", "JSON 内容有误：" + first.field +
                                              (first.field.empty() ? "" : " ") + first.message);
  e.fields = std::move(errors);
  return e;
}

// ---- Pretty printing ----

bool IsScalar(const json::value& v) { return !v.is_object() && !v.is_array(); }

void Pretty(const json::value& v, int indent, std::string& out) {
  const std::string pad(static_cast<std::size_t>(indent) * 2, ' ');
  const std::string inner(static_cast<std::size_t>(indent + 1) * 2, ' ');
  if (v.is_object()) {
    const json::object& o = v.get_object();
    if (o.empty()) {
      out += "{}";
      return;
    }
    out += "{\n";
    bool first = true;
    for (const auto& [k, member] : o) {
      if (!first) out += ",\n";
      first = false;
      out += inner + json::serialize(json::string_view(k)) + ": ";
      Pretty(member, indent + 1, out);
    }
    out += "\n" + pad + "}";
  } else if (v.is_array()) {
    const json::array& a = v.get_array();
    if (std::all_of(a.begin(), a.end(), IsScalar)) {
      out += json::serialize(a);  // [] or [1, 2, 3] on one line
      return;
    }
    out += "[\n";
    for (std::size_t i = 0; i < a.size(); ++i) {
      if (i > 0) out += ",\n";
      out += inner;
      Pretty(a[i], indent + 1, out);
    }
    out += "\n" + pad + "]";
  } else {
    out += json::serialize(v);
  }
}

}  // namespace

json::object ItemToJson(const Item& item) {
  return {{"code", item.code},
          {"basicCode", item.basic_code},
          {"version", item.version},
          {"name", item.name},
          {"departmentCode", item.department_code},
          {"itemType", item.item_type},
          {"level", item.level},
          {"serviceObjects", Array(item.service_objects)},
          {"handlingForms", Array(item.handling_forms)},
          {"caseType", item.case_type},
          {"statutoryLimit", LimitJson(item.statutory_limit)},
          {"promisedLimit", LimitJson(item.promised_limit)},
          {"charged", item.charged},
          {"feeFen", item.fee_fen},
          {"feeBasis", item.fee_basis},
          {"onlinePayment", item.online_payment},
          {"onlineDepth", item.online_depth},
          {"visits", item.visits},
          {"onsiteReason", item.onsite_reason},
          {"mailApplication", item.mail_application},
          {"conditions", item.conditions},
          {"legalBasis", item.legal_basis},
          {"explanation", item.explanation},
          {"result",
           {{"name", item.result.name},
            {"materialKey", item.result.material_key},
            {"licenceType", item.result.licence_type},
            {"fields", Array(item.result.fields)}}},
          {"appointment", item.appointment},
          {"expressDelivery", item.express_delivery},
          {"commitmentAllowed", item.commitment_allowed},
          {"deemedApprovalAllowed", item.deemed_approval_allowed},
          {"deemedApprovalDays", OptIntJson(item.deemed_approval_days)},
          {"materials",
           [&] {
             json::array a;
             for (const Material& m : item.materials) a.push_back(MaterialJson(m));
             return a;
           }()},
          {"fields",
           [&] {
             json::array a;
             for (const FormField& f : item.fields) a.push_back(FieldJson(f));
             return a;
           }()},
          {"steps", [&] {
             json::array a;
             for (const Step& s : item.steps) a.push_back(StepJson(s));
             return a;
           }()}};
}

json::object BundleToJson(const Bundle& bundle) {
  json::array situations;
  for (const Situation& s : bundle.situations) {
    json::array options;
    for (const SituationOption& o : s.options) {
      options.push_back(json::object{
          {"code", o.code}, {"label", o.label}, {"skipMaterials", Array(o.skip_materials)}});
    }
    situations.push_back(
        json::object{{"code", s.code}, {"question", s.question}, {"options", std::move(options)}});
  }
  json::array items;
  for (const BundleItem& i : bundle.items) {
    items.push_back(
        json::object{{"itemCode", i.item_code}, {"when", Array(i.when)}, {"blocking", i.blocking}});
  }
  json::array edges;
  for (const Edge& e : bundle.edges) edges.push_back(EdgeJson(e));
  return {{"code", bundle.code},
          {"version", bundle.version},
          {"name", bundle.name},
          {"category", bundle.category},
          {"description", bundle.description},
          {"departmentCode", bundle.department_code},
          {"situations", std::move(situations)},
          {"items", std::move(items)},
          {"edges", std::move(edges)}};
}

Result<Item> ItemFromJson(const json::value& v) {
  std::vector<FieldError> errors;
  Item item = ReadItem(v, errors);
  if (!errors.empty()) return BadJson(std::move(errors));
  return item;
}

Result<Bundle> BundleFromJson(const json::value& v) {
  std::vector<FieldError> errors;
  Bundle bundle = ReadBundle(v, errors);
  if (!errors.empty()) return BadJson(std::move(errors));
  return bundle;
}

Result<Answers> AnswersFromJson(const json::value& v) {
  if (!v.is_object()) return BadJson({{"answers", "应为对象：{\"情形编码\": \"选项编码\"}"}});
  Answers answers;
  std::vector<FieldError> errors;
  for (const auto& [k, option] : v.get_object()) {
    if (option.is_string()) {
      answers.emplace(std::string(k), std::string(option.get_string()));
    } else {
      errors.push_back({"answers." + std::string(k), "应为字符串（选项编码）"});
    }
  }
  if (!errors.empty()) return BadJson(std::move(errors));
  return answers;
}

json::object FiguresToJson(const BundleFigures& f) {
  return {{"materialsBefore", f.materials_before},
          {"materialsAfter", f.materials_after},
          {"daysBefore", f.days_before},
          {"daysAfter", f.days_after},
          {"visitsBefore", f.visits_before},
          {"visitsAfter", f.visits_after},
          {"items", f.items},
          {"departments", f.departments},
          {"materialsWithLicences", f.materials_with_licences}};
}

json::object PlanToJson(const BundlePlan& plan, const std::vector<Item>& items) {
  std::map<std::string, const Item*> by_code;
  for (const Item& i : items) by_code.emplace(i.code, &i);
  const std::set<std::string> critical(plan.critical_path.begin(), plan.critical_path.end());
  json::array selected;
  for (const std::string& code : plan.item_codes) {
    json::object o{{"code", code}, {"critical", critical.contains(code)}};
    if (auto it = by_code.find(code); it != by_code.end()) {
      const Item& item = *it->second;
      o["name"] = item.name;
      o["departmentCode"] = item.department_code;
      o["promisedLimit"] = LimitJson(item.promised_limit);
      o["limitWorkingDays"] = LimitInWorkingDays(item.promised_limit);
      o["visits"] = item.visits;
    }
    selected.push_back(std::move(o));
  }
  json::array edges;
  for (const Edge& e : plan.edges) edges.push_back(EdgeJson(e));
  json::array fields;
  for (const MergedField& f : plan.fields) {
    json::object o = FieldJson(f.field);
    o["itemCodes"] = Array(f.item_codes);
    o["filledByPrerequisite"] = f.filled_by_prerequisite;
    fields.push_back(std::move(o));
  }
  json::array materials;
  for (const MergedMaterial& m : plan.materials) {
    json::object o = MaterialJson(m.material);
    o["itemCodes"] = Array(m.item_codes);
    materials.push_back(std::move(o));
  }
  json::array dropped;
  for (const DroppedMaterial& d : plan.dropped) {
    dropped.push_back(json::object{
        {"material", MaterialJson(d.material)}, {"itemCode", d.item_code}, {"reason", d.reason}});
  }
  return {{"items", std::move(selected)},          {"edges", std::move(edges)},
          {"fields", std::move(fields)},           {"materials", std::move(materials)},
          {"dropped", std::move(dropped)},         {"criticalPath", Array(plan.critical_path)},
          {"figures", FiguresToJson(plan.figures)}};
}

std::string PrettyJson(const json::value& v) {
  std::string out;
  Pretty(v, 0, out);
  out += "\n";
  return out;
}

}  // namespace onestop::catalog
