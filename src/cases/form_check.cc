#include "cases/form_check.h"

#include <charconv>
#include <set>

#include "core/id_number.h"
#include "core/region.h"
#include "core/text.h"
#include "core/uscc.h"
#include "core/working_days.h"

namespace onestop::cases {
using text::CountCodePoints;
using text::TrimSpace;
namespace {

std::string FormatNumber(double d) {
  std::string s = std::to_string(d);
  s.erase(s.find_last_not_of('0') + 1);
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s;
}

// The problem with `value` for `field`, or "" when it is fine. `value` is not empty.
std::string Problem(const catalog::FormField& f, const std::string& value, int today) {
  using catalog::FieldType;
  switch (f.type) {
    case FieldType::kText: {
      const std::size_t n = CountCodePoints(value);
      if (static_cast<int>(n) > f.max_length) {
        return "不能超过 " + std::to_string(f.max_length) + " 个字";
      }
      return "";
    }
    case FieldType::kNumber: {
      double d = 0;
      const char* end = value.data() + value.size();
      auto [ptr, ec] = std::from_chars(value.data(), end, d);
      if (ec != std::errc() || ptr != end) return "应为数字";
      if (f.min && d < *f.min) return "不能小于 " + FormatNumber(*f.min);
      if (f.max && d > *f.max) return "不能大于 " + FormatNumber(*f.max);
      return "";
    }
    case FieldType::kDate: {
      Result<Date> d = Date::Parse(value);
      return d.has_value() ? "" : d.error().message;
    }
    case FieldType::kIdNumber: {
      Result<IdNumber> id = ParseIdNumber(value, today);
      return id.has_value() ? "" : id.error().message;
    }
    case FieldType::kUscc: {
      Result<Uscc> u = ParseUscc(value, false);
      return u.has_value() ? "" : u.error().message;
    }
    case FieldType::kPhone: {
      Result<std::string> p = ValidateMobile(value);
      return p.has_value() ? "" : p.error().message;
    }
    case FieldType::kRegion: {
      Result<const Region*> r = ValidateRegionCode(value);
      return r.has_value() ? "" : r.error().message;
    }
    case FieldType::kSelect: {
      for (const std::string& o : f.options) {
        if (o == value) return "";
      }
      std::string known;
      for (const std::string& o : f.options) known += (known.empty() ? "" : "、") + o;
      return "请从以下选项中选择：" + known;
    }
    case FieldType::kBoolean:
      return value == "true" || value == "false" ? "" : "应为“是”或“否”";
  }
  return "";
}

}  // namespace

Result<void> CheckForm(const std::vector<catalog::FormField>& fields, const FormValues& values,
                       int today_yyyymmdd) {
  Error e = InvalidArgument("cases.invalid_form", "申请表填写有误，请按提示修改");
  bool bad = false;
  std::set<std::string> known;
  for (const catalog::FormField& f : fields) {
    known.insert(f.key);
    auto it = values.find(f.key);
    const std::string value = it == values.end() ? "" : std::string(TrimSpace(it->second));
    if (value.empty()) {
      if (f.required) {
        e = std::move(e).WithField(f.key, "请填写“" + f.label + "”");
        bad = true;
      }
      continue;
    }
    std::string problem = Problem(f, value, today_yyyymmdd);
    if (!problem.empty()) {
      e = std::move(e).WithField(f.key, f.label + "：" + problem);
      bad = true;
    }
  }
  for (const auto& [key, value] : values) {
    if (!known.count(key)) {
      e = std::move(e).WithField(key, "申请表中没有这一项");
      bad = true;
    }
  }
  if (bad) return e;
  return Ok();
}

}  // namespace onestop::cases
