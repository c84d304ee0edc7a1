#include "http/policy_json.h"

#include <boost/json.hpp>

namespace onestop::http {
namespace json = boost::json;

json::object ExplanationJson(const policy::Explanation& e) {
  json::array leaves;
  for (const policy::LeafExplanation& l : e.leaves) {
    leaves.push_back(json::object{{"fact", l.fact},
                                  {"label", l.label},
                                  {"text", l.text},
                                  {"held", l.held},
                                  {"missing", l.missing},
                                  {"negated", l.negated}});
  }
  return {{"eligible", e.eligible}, {"leaves", std::move(leaves)}};
}

}  // namespace onestop::http
