#include "identity/sessions.h"

#include <sodium.h>

#include <algorithm>
#include <boost/json.hpp>

#include "identity/users.h"

namespace onestop::identity {
namespace {

constexpr Millis kLastSeenResolutionMs = 60'000;  // write last_seen at most once a minute

std::string RandomToken(std::size_t bytes, bool base64) {
  std::vector<unsigned char> buf(bytes);
  randombytes_buf(buf.data(), buf.size());
  if (base64) {
    std::string out(sodium_base64_ENCODED_LEN(bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING),
                    '\0');
    sodium_bin2base64(out.data(), out.size(), buf.data(), buf.size(),
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    out.resize(std::strlen(out.c_str()));
    return out;
  }
  std::string out(bytes * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), buf.data(), buf.size());
  out.resize(bytes * 2);
  return out;
}

Error BadCredentials() {
  return Unauthenticated("identity.bad_credentials", "用户名或密码错误");
}

Error Locked(Millis remaining_ms) {
  Millis minutes = std::max<Millis>(1, (remaining_ms + 59'999) / 60'000);
  return ResourceExhausted("identity.locked", "登录失败次数过多，账号已临时锁定，请 " +
                                                  std::to_string(minutes) + " 分钟后再试");
}

}  // namespace

AuthService::AuthService(store::Db& db, const Clock& clock, const audit::AuditLog& audit,
                         const PasswordHasher& hasher, SessionOptions options)
    : db_(db), clock_(clock), audit_(audit), hasher_(hasher), options_(options) {
  [[maybe_unused]] const int sodium_ready = sodium_init();
}

std::string AuthService::TokenId(const std::string& token) {
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(token.data()), token.size());
  char hex[crypto_hash_sha256_BYTES * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return hex;
}

bool AuthService::AddrBlocked(const std::string& addr) {
  std::lock_guard lock(mu_);
  auto it = addr_failures_.find(addr);
  if (it == addr_failures_.end()) return false;
  Millis cutoff = clock_.NowMs() - options_.addr_window_ms;
  auto& v = it->second;
  v.erase(v.begin(), std::lower_bound(v.begin(), v.end(), cutoff));
  return static_cast<int>(v.size()) >= options_.max_failures_per_addr;
}

void AuthService::NoteAddrFailure(const std::string& addr) {
  std::lock_guard lock(mu_);
  if (addr_failures_.size() > 10000) addr_failures_.clear();  // bound memory under a flood
  addr_failures_[addr].push_back(clock_.NowMs());
}

Result<SessionGrant> AuthService::LoginWithPassword(const std::string& username,
                                                    const std::string& password,
                                                    const ClientInfo& client) {
  if (AddrBlocked(client.remote_addr)) {
    return ResourceExhausted("identity.too_many_attempts", "登录尝试过于频繁，请稍后再试");
  }
  if (username.empty() || password.empty()) {
    Error e = InvalidArgument("identity.credentials_required", "请输入用户名和密码");
    if (username.empty()) e = std::move(e).WithField("username", "请输入用户名");
    if (password.empty()) e = std::move(e).WithField("password", "请输入密码");
    return e;
  }
  ASSIGN_OR_RETURN(store::Rows rows, store::Read(db_, [&](store::Tx& tx) {
                     return tx.Query(
                         "SELECT id, password_hash, status, locked_until_ms, display_name, "
                         "department_id FROM identity_user WHERE username = ?",
                         {username});
                   }));
  if (rows.empty()) {
    hasher_.BurnVerifyTime(password);
    NoteAddrFailure(client.remote_addr);
    return BadCredentials();
  }
  const store::Row& u = rows.front();
  const std::string user_id = u.Text(0);
  const Millis now = clock_.NowMs();
  if (std::optional<Millis> until = u.OptInt(3); until && *until > now) {
    return Locked(*until - now);
  }
  // Verify outside any transaction: ~90 ms that must not hold a write lock.
  if (!hasher_.Verify(u.Text(1), password)) {
    NoteAddrFailure(client.remote_addr);
    audit::Actor actor{user_id, u.Text(4), u.OptText(5), client.request_id};
    ASSIGN_OR_RETURN(bool locked, store::Transact(db_, [&](store::Tx& tx) -> Result<bool> {
                       RETURN_IF_ERROR(tx.Exec(
                           "UPDATE identity_user SET failed_logins = failed_logins + 1 "
                           "WHERE id = ?",
                           {user_id}));
                       ASSIGN_OR_RETURN(store::Row f, tx.QueryOne(
                                                          "SELECT failed_logins FROM "
                                                          "identity_user WHERE id = ?",
                                                          {user_id}, "identity.user_not_found",
                                                          "用户不存在"));
                       bool lock = f.Int(0) >= options_.max_failed_logins;
                       if (lock) {
                         RETURN_IF_ERROR(tx.Exec(
                             "UPDATE identity_user SET failed_logins = 0, locked_until_ms = ? "
                             "WHERE id = ?",
                             {now + options_.lockout_ms, user_id}));
                       }
                       RETURN_IF_ERROR(audit_.Append(
                           tx, actor,
                           {"identity.login_failed", "user", user_id, std::nullopt, "",
                            boost::json::serialize(boost::json::object{
                                {"remoteAddr", client.remote_addr},
                                {"failures", f.Int(0)},
                                {"locked", lock}})}));
                       return lock;
                     }));
    if (locked) return Locked(options_.lockout_ms);
    return BadCredentials();
  }
  if (u.Text(2) != "active") {
    return PermissionDenied("identity.disabled", "账号已停用，请联系管理员");
  }
  return OpenSession(user_id, "password", client);
}

Result<SessionGrant> AuthService::OpenSession(const std::string& user_id,
                                              const std::string& method,
                                              const ClientInfo& client) {
  SessionGrant grant;
  grant.token = RandomToken(32, /*base64=*/true);
  grant.csrf_token = RandomToken(16, /*base64=*/false);
  const std::string session_id = TokenId(grant.token);
  const Millis now = clock_.NowMs();
  grant.expires_at_ms = now + options_.absolute_ttl_ms;
  ASSIGN_OR_RETURN(grant.principal, store::Transact(db_, [&](store::Tx& tx) -> Result<Principal> {
                     ASSIGN_OR_RETURN(Principal p, LoadPrincipal(tx, user_id));
                     RETURN_IF_ERROR(tx.Exec(
                         "UPDATE identity_user SET failed_logins = 0, locked_until_ms = NULL "
                         "WHERE id = ?",
                         {user_id}));
                     RETURN_IF_ERROR(tx.Exec(
                         "DELETE FROM identity_session WHERE user_id = ? AND expires_at_ms < ?",
                         {user_id, now}));
                     RETURN_IF_ERROR(tx.Exec(
                         "INSERT INTO identity_session (id, user_id, csrf_token, auth_method, "
                         "remote_addr, user_agent, created_at_ms, last_seen_at_ms, "
                         "expires_at_ms) VALUES (?,?,?,?,?,?,?,?,?)",
                         {session_id, user_id, grant.csrf_token, method, client.remote_addr,
                          client.user_agent.substr(0, 256), now, now, grant.expires_at_ms}));
                     p.request_id = client.request_id;
                     RETURN_IF_ERROR(audit_.Append(
                         tx, ActorOf(p),
                         {"identity.login", "user", user_id, std::nullopt, "",
                          boost::json::serialize(boost::json::object{
                              {"method", method}, {"remoteAddr", client.remote_addr}})}));
                     return p;
                   }));
  grant.principal.session_id = session_id;
  grant.principal.csrf_token = grant.csrf_token;
  return grant;
}

Result<Principal> AuthService::Authenticate(const std::string& token) {
  ASSIGN_OR_RETURN(std::shared_ptr<const Principal> p, AuthenticateShared(token));
  return *p;
}

Result<std::shared_ptr<const Principal>> AuthService::AuthenticateShared(const std::string& token) {
  if (token.empty() || token.size() > 128) {
    return Unauthenticated("identity.unauthenticated", "请先登录");
  }
  const std::string id = TokenId(token);
  const Millis now = clock_.NowMs();
  {
    std::lock_guard lock(mu_);
    auto it = cache_.find(id);
    if (it != cache_.end()) {
      if (now - it->second.loaded_at_ms < options_.principal_cache_ms) {
        return it->second.principal;
      }
      cache_.erase(it);
    }
  }
  ASSIGN_OR_RETURN(store::Rows rows, store::Read(db_, [&](store::Tx& tx) {
                     return tx.Query(
                         "SELECT user_id, csrf_token, expires_at_ms, last_seen_at_ms "
                         "FROM identity_session WHERE id = ?",
                         {id});
                   }));
  if (rows.empty()) return Unauthenticated("identity.unauthenticated", "请先登录");
  const store::Row& s = rows.front();
  const bool expired =
      now >= s.Int(2) || now - s.Int(3) >= options_.idle_ttl_ms;
  if (expired) {
    (void)store::Transact(db_, [&](store::Tx& tx) {
      return tx.Exec("DELETE FROM identity_session WHERE id = ?", {id});
    });
    return Unauthenticated("identity.session_expired", "登录已过期，请重新登录");
  }
  ASSIGN_OR_RETURN(Principal p, store::Read(db_, [&](store::Tx& tx) {
                     return LoadPrincipal(tx, s.Text(0));
                   }));
  if (now - s.Int(3) >= kLastSeenResolutionMs) {
    RETURN_IF_ERROR(store::Transact(db_, [&](store::Tx& tx) {
      return tx.Exec("UPDATE identity_session SET last_seen_at_ms = ? WHERE id = ?", {now, id});
    }));
  }
  p.session_id = id;
  p.csrf_token = s.Text(1);
  auto shared = std::make_shared<const Principal>(std::move(p));
  std::lock_guard lock(mu_);
  if (cache_.size() > 50000) cache_.clear();
  cache_[id] = Cached{shared, now};
  return shared;
}

Result<void> AuthService::Logout(const Principal& actor) {
  {
    std::lock_guard lock(mu_);
    cache_.erase(actor.session_id);
  }
  return store::Transact(db_, [&](store::Tx& tx) -> Result<void> {
    RETURN_IF_ERROR(tx.Exec("DELETE FROM identity_session WHERE id = ?", {actor.session_id}));
    RETURN_IF_ERROR(audit_.Append(tx, ActorOf(actor),
                                  {"identity.logout", "user", actor.user_id, std::nullopt, "",
                                   "{}"}));
    return Ok();
  });
}

void AuthService::ClearCache() {
  std::lock_guard lock(mu_);
  cache_.clear();
}

Result<Principal> AuthService::LoadPrincipal(store::Tx& tx, const std::string& user_id) {
  ASSIGN_OR_RETURN(User u, internal::LoadUser(tx, user_id));
  if (!u.active) return Unauthenticated("identity.disabled", "账号已停用，请联系管理员");
  Principal p;
  p.user_id = u.id;
  p.username = u.username;
  p.display_name = u.display_name;
  p.kind = u.kind;
  p.roles = u.roles;
  p.department_id = u.department_id;
  p.department_name = u.department_name;
  p.data_scope = u.data_scope;
  p.person_id = u.person_id;
  p.enterprise_id = u.enterprise_id;
  for (Role r : u.roles) {
    const RoleInfo& info = InfoOf(r);
    p.permissions.insert(info.permissions.begin(), info.permissions.end());
  }
  switch (u.data_scope) {
    case DataScope::kAll:
    case DataScope::kSelf:
      break;
    case DataScope::kCustom:
      p.scope_department_ids.insert(u.custom_department_ids.begin(),
                                    u.custom_department_ids.end());
      break;
    case DataScope::kDept:
      if (u.department_id) p.scope_department_ids.insert(*u.department_id);
      break;
    case DataScope::kDeptAndBelow:
      if (u.department_id) {
        ASSIGN_OR_RETURN(store::Rows below,
                         tx.Query("SELECT d.id FROM identity_department d, identity_department me "
                                  "WHERE me.id = ? AND d.path LIKE me.path || '%'",
                                  {*u.department_id}));
        for (const store::Row& r : below) p.scope_department_ids.insert(r.Text(0));
      }
      break;
  }
  return p;
}

}  // namespace onestop::identity
