// JSON shapes shared by the policy routes (policy_routes, enterprise_fact_routes,
// campaign_routes, loan_routes): one spelling of a rule explanation for every page that shows
// "why (not)".
#pragma once

#include <boost/json/object.hpp>

#include "policy/rule.h"

namespace onestop::http {

// {eligible, leaves:[{fact, label, text, held, missing, negated}]} (PolicyExplanation).
boost::json::object ExplanationJson(const policy::Explanation& e);

}  // namespace onestop::http
