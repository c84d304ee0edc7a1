// Shared by notify_routes_test.cc and notify_authz_test.cc: puts messages into the demo
// database the way a service would (notify::Enqueue in a committed transaction).
#pragma once

#include <string>

#include "notify/notify.h"
#include "routes/harness.h"

namespace onestop::routes_test {

// Enqueues a message titled `title` for `user_id` and/or `party_id` (no SMS), one second after
// the previous one (so that "newest first" is well defined); its id, or "" after ADD_FAILURE.
inline std::string Notify(DemoEnv& env, const std::string& user_id, const std::string& party_id,
                          const std::string& title) {
  env.clock().Advance(1000);
  notify::Message m;
  m.recipient_user_id = user_id;
  m.recipient_party_id = party_id;
  m.title = title;
  m.body = title + "：请登录查看办件进度。";
  m.template_code = "case.accepted";
  m.subject_type = "case";
  m.subject_id = "case-" + title;
  Result<std::string> id = store::Transact(
      env.db().db(), [&](store::Tx& tx) { return notify::Enqueue(tx, env.clock(), m); });
  EXPECT_TRUE(id.has_value()) << id.error().message;
  return id.value_or("");
}

}  // namespace onestop::routes_test
