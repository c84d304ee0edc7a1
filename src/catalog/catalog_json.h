// The catalogue's JSON exchange format (docs/catalog-format.md): Item, Bundle and BundlePlan as
// boost::json with camelCase keys and enums as codes. Used by import/export, the HTTP routes and
// cases/. Reading is strict: unknown keys and wrong types are errors with their JSON path;
// absent keys take the defaults of item.h / bundle.h. Meaning is checked by validate.h.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <string>
#include <vector>

#include "catalog/bundle.h"
#include "catalog/item.h"
#include "core/result.h"

namespace onestop::catalog {

// Every field, including "version" (which Import ignores).
boost::json::object ItemToJson(const Item& item);
boost::json::object BundleToJson(const Bundle& bundle);

// Reads an item / a bundle. kInvalidArgument catalog.bad_json carrying one field error per
// problem, each with its path relative to `v` ("materials[0].need", "promisedLmit" for an
// unknown key) and a Chinese message ("应为整数", "未知的键（拼写错误？）").
Result<Item> ItemFromJson(const boost::json::value& v);
Result<Bundle> BundleFromJson(const boost::json::value& v);

// {"<situation>": "<option>", …}. kInvalidArgument catalog.bad_json when not an object of strings.
Result<Answers> AnswersFromJson(const boost::json::value& v);

// A plan for the portal: the selected items (code, name, department, promised limit, whether
// on the critical path, looked up in `items`), edges, merged fields and materials, dropped
// materials with reasons, the critical path and the before / after figures.
boost::json::object PlanToJson(const BundlePlan& plan, const std::vector<Item>& items);
boost::json::object FiguresToJson(const BundleFigures& f);

// `v` as text with two-space indents, one member per line and arrays of scalars on one line,
// UTF-8 unescaped: the layout Export writes, so that import errors can name a line.
std::string PrettyJson(const boost::json::value& v);

}  // namespace onestop::catalog
