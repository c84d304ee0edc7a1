// Sign-in and sessions (登录与会话). Sessions live in the database (identity_session) so that
// several server nodes share them; the cookie holds a random token whose SHA-256 is the row id.
// Sign-in is split in two so that a provincial unified-identity platform (OIDC) can be added
// without rewriting: an authenticator proves who the user is (VerifyPassword here; an OIDC
// callback later, via identity_external_identity), then OpenSession() starts the session.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "audit/audit_log.h"
#include "core/clock.h"
#include "identity/password.h"
#include "identity/principal.h"
#include "store/db.h"

namespace onestop::identity {

struct SessionOptions {
  Millis absolute_ttl_ms = 12 * 3600 * 1000;  // a session ends 12 h after sign-in
  Millis idle_ttl_ms = 2 * 3600 * 1000;       // … or after 2 h without a request
  int max_failed_logins = 5;                  // consecutive failures before the lock-out
  Millis lockout_ms = 15 * 60 * 1000;         // how long the account stays locked
  int max_failures_per_addr = 30;             // failures from one address per window
  Millis addr_window_ms = 10 * 60 * 1000;
  Millis principal_cache_ms = 2000;  // how long a node trusts a loaded principal
};

struct ClientInfo {
  std::string remote_addr;
  std::string user_agent;
  std::string request_id;
};

struct SessionGrant {
  std::string token;       // goes into the cookie; never stored
  std::string csrf_token;  // the client echoes it in X-CSRF-Token
  Millis expires_at_ms = 0;
  Principal principal;
};

class AuthService {
 public:
  AuthService(store::Db& db, const Clock& clock, const audit::AuditLog& audit,
              const PasswordHasher& hasher, SessionOptions options = {});

  // Username + password sign-in. kUnauthenticated identity.bad_credentials (same answer for an
  // unknown user and a wrong password); kResourceExhausted identity.locked (too many failures:
  // the account is locked for lockout_ms) or identity.too_many_attempts (this address);
  // kPermissionDenied identity.disabled.
  Result<SessionGrant> LoginWithPassword(const std::string& username, const std::string& password,
                                         const ClientInfo& client);

  // Starts a session for an already authenticated user (`method`: "password", "oidc" …).
  Result<SessionGrant> OpenSession(const std::string& user_id, const std::string& method,
                                   const ClientInfo& client);

  // The principal of a session token. kUnauthenticated identity.unauthenticated (no such
  // session) or identity.session_expired.
  Result<Principal> Authenticate(const std::string& token);
  // As Authenticate, without a copy: the principal is shared with this node's cache, so it
  // must not be changed (its request_id is empty). For code that runs on every request.
  Result<std::shared_ptr<const Principal>> AuthenticateShared(const std::string& token);

  // Ends the session of `actor` (and forgets it on this node).
  Result<void> Logout(const Principal& actor);

  // Loads the principal of an account (roles, permissions, resolved data scope).
  static Result<Principal> LoadPrincipal(store::Tx& tx, const std::string& user_id);

  // SHA-256 hex of a session token (the session row id).
  static std::string TokenId(const std::string& token);

  // Forgets cached principals on this node (after role or scope changes in tests).
  void ClearCache();

 private:
  struct Cached {
    std::shared_ptr<const Principal> principal;  // shared with callers: never changed
    Millis loaded_at_ms;
  };
  bool AddrBlocked(const std::string& addr);
  void NoteAddrFailure(const std::string& addr);

  store::Db& db_;
  const Clock& clock_;
  const audit::AuditLog& audit_;
  const PasswordHasher& hasher_;
  SessionOptions options_;
  std::mutex mu_;
  std::map<std::string, Cached> cache_;                       // by session id
  std::map<std::string, std::vector<Millis>> addr_failures_;  // in-memory, per node
};

}  // namespace onestop::identity
