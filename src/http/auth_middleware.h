// SessionGuard: turns the session cookie into an identity::Principal for route code, and
// checks the CSRF token on state-changing requests. Routes that need a signed-in user call
// `ASSIGN_OR_RETURN(identity::Principal actor, guard.SignedIn(req));`.
#pragma once

#include <memory>
#include <string>

#include "http/message.h"
#include "identity/sessions.h"

namespace onestop::http {

inline constexpr const char* kSessionCookie = "onestop_session";
inline constexpr const char* kCsrfHeader = "X-CSRF-Token";

struct CookieOptions {
  bool secure = false;  // add "Secure" (set when served over HTTPS behind a proxy)
};

class SessionGuard {
 public:
  SessionGuard(identity::AuthService& auth, CookieOptions cookie) : auth_(auth), cookie_(cookie) {}

  // The principal of the request's session. kUnauthenticated without a valid session;
  // kPermissionDenied identity.csrf when a POST/PUT/PATCH/DELETE lacks the session's token.
  Result<identity::Principal> SignedIn(const Request& req) const;
  // As SignedIn, without copying the principal, which is shared and read-only (its request_id
  // is empty): for routes that only read it and write no audit entry, such as GET /auth/me.
  Result<std::shared_ptr<const identity::Principal>> SignedInShared(const Request& req) const;

  // Set-Cookie values that start and end a session.
  std::string SessionCookie(const std::string& token, Millis max_age_ms) const;
  std::string ClearCookie() const;

  identity::AuthService& auth() const { return auth_; }

 private:
  identity::AuthService& auth_;
  CookieOptions cookie_;
};

}  // namespace onestop::http
