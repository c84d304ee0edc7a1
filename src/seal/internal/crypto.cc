#include "seal/internal/crypto.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

namespace onestop::seal::internal {
namespace {

struct MdCtxFree {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};
struct CipherCtxFree {
  void operator()(EVP_CIPHER_CTX* c) const { EVP_CIPHER_CTX_free(c); }
};
struct BioFree {
  void operator()(BIO* b) const { BIO_free(b); }
};
struct P8Free {
  void operator()(PKCS8_PRIV_KEY_INFO* p) const { PKCS8_PRIV_KEY_INFO_free(p); }
};

Error CryptoError(const char* what) {
  unsigned long e = ERR_get_error();
  char buf[256] = {0};
  if (e != 0) ERR_error_string_n(e, buf, sizeof buf);
  ERR_clear_error();
  return Internal("seal.crypto",
                  std::string("密码运算失败：") + what + (e ? " (" : "") + buf + (e ? ")" : ""));
}

const unsigned char* U(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

bool IsAlg(EVP_PKEY* key, SignAlg alg) {
  return alg == SignAlg::kSm2Sm3 ? EVP_PKEY_is_a(key, "SM2") == 1
                                 : EVP_PKEY_is_a(key, "ED25519") == 1;
}

// Starts a sign or verify operation: SM2 with SM3 and the default ID set on the pkey ctx
// (stack-notes gotcha 1: passing distid in the init params fails on 3.0), Ed25519 with no md.
bool InitDigest(EVP_MD_CTX* mctx, EVP_PKEY* key, SignAlg alg, bool sign) {
  EVP_PKEY_CTX* pctx = nullptr;
  const char* md = alg == SignAlg::kSm2Sm3 ? "SM3" : nullptr;
  int ok = sign ? EVP_DigestSignInit_ex(mctx, &pctx, md, nullptr, nullptr, key, nullptr)
                : EVP_DigestVerifyInit_ex(mctx, &pctx, md, nullptr, nullptr, key, nullptr);
  if (ok <= 0) return false;
  if (alg == SignAlg::kSm2Sm3 &&
      EVP_PKEY_CTX_set1_id(pctx, kSm2DefaultId.data(), kSm2DefaultId.size()) <= 0) {
    return false;
  }
  return true;
}

}  // namespace

Result<Pkey> GenerateKey(SignAlg alg) {
  EVP_PKEY* key = EVP_PKEY_Q_keygen(nullptr, nullptr, alg == SignAlg::kSm2Sm3 ? "SM2" : "ED25519");
  if (key == nullptr) return CryptoError("生成密钥对");
  return Pkey(key, PkeyFree{});
}

Result<std::string> PublicKeyPem(EVP_PKEY* key) {
  std::unique_ptr<BIO, BioFree> bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_PUBKEY(bio.get(), key) != 1) return CryptoError("导出公钥");
  char* data = nullptr;
  long n = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(n));
}

Result<std::string> PrivateKeyDer(EVP_PKEY* key) {
  std::unique_ptr<PKCS8_PRIV_KEY_INFO, P8Free> p8(EVP_PKEY2PKCS8(key));
  if (!p8) return CryptoError("导出私钥");
  unsigned char* der = nullptr;
  int n = i2d_PKCS8_PRIV_KEY_INFO(p8.get(), &der);
  if (n <= 0) return CryptoError("编码私钥");
  std::string out(reinterpret_cast<char*>(der), static_cast<std::size_t>(n));
  OPENSSL_clear_free(der, static_cast<std::size_t>(n));
  return out;
}

Result<Pkey> ParsePublicKeyPem(std::string_view pem, SignAlg alg) {
  std::unique_ptr<BIO, BioFree> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  EVP_PKEY* key = bio ? PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr) : nullptr;
  ERR_clear_error();
  if (key == nullptr) return InvalidArgument("seal.bad_key", "公钥不是有效的 PEM 格式");
  Pkey owned(key, PkeyFree{});
  if (!IsAlg(key, alg)) {
    return InvalidArgument("seal.bad_key", std::string("公钥不是 ") + SignAlgCode(alg) + " 密钥");
  }
  return owned;
}

Result<Pkey> ParsePrivateKeyDer(std::string_view der, SignAlg alg) {
  const unsigned char* p = U(der);
  std::unique_ptr<PKCS8_PRIV_KEY_INFO, P8Free> p8(
      d2i_PKCS8_PRIV_KEY_INFO(nullptr, &p, static_cast<long>(der.size())));
  EVP_PKEY* key = p8 ? EVP_PKCS82PKEY(p8.get()) : nullptr;
  ERR_clear_error();
  if (key == nullptr) return InvalidArgument("seal.bad_key", "私钥不是有效的 PKCS#8 格式");
  Pkey owned(key, PkeyFree{});
  if (alg == SignAlg::kSm2Sm3 && !EVP_PKEY_is_a(key, "SM2")) {
    // A PKCS#8 EC key on the SM2 curve may load as "EC"; make it an SM2 key.
    if (EVP_PKEY_is_a(key, "EC") && EVP_PKEY_set_type(key, EVP_PKEY_SM2) == 1) return owned;
  }
  if (!IsAlg(key, alg)) {
    return InvalidArgument("seal.bad_key", std::string("私钥不是 ") + SignAlgCode(alg) + " 密钥");
  }
  return owned;
}

Result<std::string> SignBytes(EVP_PKEY* key, SignAlg alg, std::string_view bytes) {
  std::unique_ptr<EVP_MD_CTX, MdCtxFree> mctx(EVP_MD_CTX_new());
  if (!mctx || !InitDigest(mctx.get(), key, alg, true)) return CryptoError("签名初始化");
  std::size_t len = 0;
  if (EVP_DigestSign(mctx.get(), nullptr, &len, U(bytes), bytes.size()) <= 0) {
    return CryptoError("签名");
  }
  std::string sig(len, '\0');
  if (EVP_DigestSign(mctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &len, U(bytes),
                     bytes.size()) <= 0) {
    return CryptoError("签名");
  }
  sig.resize(len);
  return sig;
}

bool VerifyBytes(EVP_PKEY* key, SignAlg alg, std::string_view bytes, std::string_view signature) {
  std::unique_ptr<EVP_MD_CTX, MdCtxFree> mctx(EVP_MD_CTX_new());
  bool ok =
      mctx && InitDigest(mctx.get(), key, alg, false) &&
      EVP_DigestVerify(mctx.get(), U(signature), signature.size(), U(bytes), bytes.size()) == 1;
  ERR_clear_error();
  return ok;
}

Result<std::string> AesGcmSeal(std::string_view key, std::string_view nonce, std::string_view aad,
                               std::string_view plain) {
  std::unique_ptr<EVP_CIPHER_CTX, CipherCtxFree> ctx(EVP_CIPHER_CTX_new());
  int len = 0;
  std::string out(plain.size() + 16, '\0');
  auto* o = reinterpret_cast<unsigned char*>(out.data());
  if (!ctx || EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, static_cast<int>(nonce.size()),
                          nullptr) != 1 ||
      EVP_EncryptInit_ex(ctx.get(), nullptr, nullptr, U(key), U(nonce)) != 1 ||
      EVP_EncryptUpdate(ctx.get(), nullptr, &len, U(aad), static_cast<int>(aad.size())) != 1 ||
      EVP_EncryptUpdate(ctx.get(), o, &len, U(plain), static_cast<int>(plain.size())) != 1) {
    return CryptoError("加密");
  }
  int total = len;
  if (EVP_EncryptFinal_ex(ctx.get(), o + total, &len) != 1) return CryptoError("加密");
  total += len;
  if (EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, 16, o + total) != 1) {
    return CryptoError("加密");
  }
  out.resize(static_cast<std::size_t>(total) + 16);
  return out;
}

Result<std::string> AesGcmOpen(std::string_view key, std::string_view nonce, std::string_view aad,
                               std::string_view sealed_with_tag) {
  if (sealed_with_tag.size() < 16) {
    return FailedPrecondition("seal.master_key_wrong",
                              "主密钥无法解开印章私钥（密钥不对或数据已损坏）");
  }
  std::string_view body = sealed_with_tag.substr(0, sealed_with_tag.size() - 16);
  std::string tag(sealed_with_tag.substr(body.size()));
  std::unique_ptr<EVP_CIPHER_CTX, CipherCtxFree> ctx(EVP_CIPHER_CTX_new());
  std::string out(body.size() + 16, '\0');
  auto* o = reinterpret_cast<unsigned char*>(out.data());
  int len = 0;
  if (!ctx || EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, static_cast<int>(nonce.size()),
                          nullptr) != 1 ||
      EVP_DecryptInit_ex(ctx.get(), nullptr, nullptr, U(key), U(nonce)) != 1 ||
      EVP_DecryptUpdate(ctx.get(), nullptr, &len, U(aad), static_cast<int>(aad.size())) != 1 ||
      EVP_DecryptUpdate(ctx.get(), o, &len, U(body), static_cast<int>(body.size())) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, 16, tag.data()) != 1) {
    return CryptoError("解密");
  }
  int total = len;
  if (EVP_DecryptFinal_ex(ctx.get(), o + total, &len) != 1) {
    ERR_clear_error();
    OPENSSL_cleanse(out.data(), out.size());
    return FailedPrecondition("seal.master_key_wrong",
                              "主密钥无法解开印章私钥（密钥不对或数据已损坏）");
  }
  out.resize(static_cast<std::size_t>(total + len));
  return out;
}

}  // namespace onestop::seal::internal
