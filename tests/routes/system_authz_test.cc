// The system endpoints are public: every demo role, and callers without a session, get 200.
#include <gtest/gtest.h>

#include <string>

#include "routes/harness.h"

namespace onestop::routes_test {
namespace {

class SystemAuthzTest : public RoutesTest {};

TEST_P(SystemAuthzTest, PublicEndpointsAnswerEveryone) {
  for (const char* target : {"/api/v1/healthz", "/metrics", "/api/v1/openapi.json",
                             "/api/v1/regions", "/api/v1/regions/430100"}) {
    RunAuthz(env(), {.name = target,
                     .method = "GET",
                     .target = [target](DemoEnv&) { return std::string(target); },
                     .outcomes =
                         [] {
                           std::map<std::string, Outcome> m;
                           for (const std::string& role : DemoRoles()) m[role] = Allowed();
                           return m;
                         }(),
                     .is_public = true});
  }
}

INSTANTIATE_ROUTES_TEST(SystemAuthzTest);

}  // namespace
}  // namespace onestop::routes_test
