#include "http/auth_middleware.h"

#include <openssl/crypto.h>

namespace onestop::http {
namespace {

bool ChangesState(const std::string& method) {
  return method == "POST" || method == "PUT" || method == "PATCH" || method == "DELETE";
}

bool SameToken(const std::string& a, const std::string& b) {
  return a.size() == b.size() && !a.empty() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace

Result<std::shared_ptr<const identity::Principal>> SessionGuard::SignedInShared(
    const Request& req) const {
  std::optional<std::string> token = req.Cookie(kSessionCookie);
  if (!token) return Unauthenticated("identity.unauthenticated", "请先登录");
  ASSIGN_OR_RETURN(std::shared_ptr<const identity::Principal> p, auth_.AuthenticateShared(*token));
  if (ChangesState(req.method) && !SameToken(req.Header(kCsrfHeader), p->csrf_token)) {
    return PermissionDenied("identity.csrf", "安全令牌（CSRF）缺失或无效，请刷新页面后重试");
  }
  return p;
}

Result<identity::Principal> SessionGuard::SignedIn(const Request& req) const {
  ASSIGN_OR_RETURN(std::shared_ptr<const identity::Principal> shared, SignedInShared(req));
  identity::Principal p = *shared;
  p.request_id = req.request_id;
  return p;
}

std::string SessionGuard::SessionCookie(const std::string& token, Millis max_age_ms) const {
  return std::string(kSessionCookie) + "=" + token +
         "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" + std::to_string(max_age_ms / 1000) +
         (cookie_.secure ? "; Secure" : "");
}

std::string SessionGuard::ClearCookie() const {
  return std::string(kSessionCookie) + "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0" +
         (cookie_.secure ? "; Secure" : "");
}

}  // namespace onestop::http
