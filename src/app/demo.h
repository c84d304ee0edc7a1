// Demo data (演示数据): a Hunan-flavoured set of departments, staff for every role, citizens
// and enterprises whose numbers pass their check digits, and a few data accesses so that
// "谁查看了我的数据" has something to show. Loaded by `onestop demo load` and `serve --demo`.
#pragma once

#include <string>
#include <vector>

#include "app/wiring.h"

namespace onestop::app {

struct DemoAccount {
  std::string username;
  std::string password;
  std::string role_name;
  std::string where;  // department or linked party
};

// The accounts the demo creates (printed by serve --demo).
const std::vector<DemoAccount>& DemoAccounts();

// Loads the demo data unless it is already there (then does nothing and returns false).
// Runs every step through the services, so validation and audit apply as for real input.
Result<bool> LoadDemo(App& app);

// Proof types and sample register records (demo_proofs.cc), when no proof type exists yet;
// the number of register records written.
Result<int> LoadDemoProofs(App& app);

// Licence types, the issuing departments' seals and licences of the demo citizens and
// enterprises (demo_licences.cc), when the types are missing; the number of licences issued.
Result<int> LoadDemoLicences(App& app);

// Policies with their declarable items, rules and formulas (demo_policies.cc), published, when
// the library is empty; the number of items written.
Result<int> LoadDemoPolicies(App& app);
// Facts of the demo enterprises and 200 generated ones (demo_policies.cc), when no enterprise
// import was made yet; the number of rows imported. The demo enterprise account's company
// qualifies for 高新技术企业认定奖励 and not for 专精特新企业奖补.
Result<int> LoadDemoEnterpriseFacts(App& app);

// Loan products of the demo bank (demo_loans.cc, 融资一件事), published, when the bank has none;
// the number of products.
Result<int> LoadDemoLoans(App& app);

}  // namespace onestop::app
