#include "proofs/qr_payload.h"

#include <boost/json.hpp>

#include "core/canonical_json.h"
#include "seal/seal_service.h"

namespace onestop::proofs {
namespace json = boost::json;

namespace {

Error BadPayload(std::string what) {
  return InvalidArgument("proofs.bad_qr_payload", "二维码内容不是有效的证明核验数据：" + what);
}

}  // namespace

std::string CanonicalClaims(const QrClaims& c) {
  json::object o;
  o["c"] = c.code;
  o["n"] = c.number;
  o["t"] = c.type;
  o["h"] = c.holder;
  o["s"] = c.seal_id;
  o["k"] = c.key_id;
  o["i"] = c.issued_at_ms;
  o["v"] = c.valid_until_ms;
  o["x"] = c.status_index;
  return CanonicalJson(o);
}

std::string EncodeQrPayload(std::string_view canonical_claims, std::string_view signature) {
  return std::string(kQrPrefix) + "." + seal::Base64Url(canonical_claims) + "." +
         seal::Base64Url(signature);
}

Result<ParsedQr> ParseQrPayload(std::string_view payload) {
  std::size_t a = payload.find('.');
  std::size_t b = a == std::string_view::npos ? a : payload.find('.', a + 1);
  if (b == std::string_view::npos || payload.substr(0, a) != kQrPrefix ||
      payload.find('.', b + 1) != std::string_view::npos) {
    return BadPayload("格式应为 OSP1.<声明>.<签名>");
  }
  ParsedQr out;
  Result<std::string> claims = seal::FromBase64(payload.substr(a + 1, b - a - 1));
  Result<std::string> sig = seal::FromBase64(payload.substr(b + 1));
  if (!claims.has_value() || !sig.has_value() || sig->empty()) return BadPayload("编码错误");
  out.claims_bytes = std::move(*claims);
  out.signature = std::move(*sig);
  boost::system::error_code ec;
  json::value v = json::parse(out.claims_bytes, ec);
  if (ec || !v.is_object()) return BadPayload("声明不是 JSON 对象");
  const json::object& o = v.as_object();
  auto str = [&](const char* k, std::string& dst) {
    const json::value* p = o.if_contains(k);
    if (p == nullptr || !p->is_string()) return false;
    dst = std::string(p->as_string());
    return true;
  };
  auto num = [&](const char* k, std::int64_t& dst) {
    const json::value* p = o.if_contains(k);
    if (p == nullptr || !p->is_int64()) return false;
    dst = p->as_int64();
    return true;
  };
  QrClaims& c = out.claims;
  if (!str("c", c.code) || !str("n", c.number) || !str("t", c.type) || !str("h", c.holder) ||
      !str("s", c.seal_id) || !str("k", c.key_id) || !num("i", c.issued_at_ms) ||
      !num("v", c.valid_until_ms) || !num("x", c.status_index)) {
    return BadPayload("缺少必要的声明字段");
  }
  return out;
}

Result<QrClaims> VerifyQrPayload(std::string_view payload, std::string_view public_key_pem) {
  ASSIGN_OR_RETURN(ParsedQr parsed, ParseQrPayload(payload));
  Result<void> ok = seal::VerifyWithPublicKeyPem(public_key_pem, seal::SignAlg::kSm2Sm3,
                                                 parsed.claims_bytes, parsed.signature);
  if (!ok.has_value()) {
    if (ok.error().reason == "seal.bad_signature") {
      return FailedPrecondition("proofs.bad_signature",
                                "签名核验失败：二维码内容被篡改，或不是该印章签发的");
    }
    return std::move(ok).error();
  }
  return parsed.claims;
}

}  // namespace onestop::proofs
