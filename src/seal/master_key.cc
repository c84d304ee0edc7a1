// MasterKey, SignAlg codes and base64: the parts of seal_service.h that need no database.
#include <fcntl.h>
#include <openssl/rand.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "seal/internal/crypto.h"
#include "seal/seal_service.h"

namespace onestop::seal {
namespace {

// Sealed layout: version byte 0x01 | 12-byte random nonce | ciphertext | 16-byte GCM tag.
constexpr unsigned char kFormatV1 = 0x01;
constexpr std::size_t kNonceSize = 12;
constexpr std::string_view kAad = "onestop.seal.private-key.v1";

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

Error BadFormat() {
  return InvalidArgument("seal.master_key_format",
                         "主密钥格式不对：须为 32 字节原始数据或 64 个十六进制字符");
}

std::string ToHex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 15]);
  }
  return out;
}

int Base64Value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+' || c == '-') return 62;
  if (c == '/' || c == '_') return 63;
  return -1;
}

}  // namespace

const char* SignAlgCode(SignAlg a) {
  switch (a) {
    case SignAlg::kSm2Sm3:
      return "SM2-SM3";
    case SignAlg::kEd25519:
      return "Ed25519";
  }
  return "SM2-SM3";
}

Result<SignAlg> ParseSignAlg(std::string_view code) {
  if (code == "SM2-SM3") return SignAlg::kSm2Sm3;
  if (code == "Ed25519") return SignAlg::kEd25519;
  return InvalidArgument("seal.bad_alg",
                         "未知的签名算法“" + std::string(code) + "”（可选 SM2-SM3、Ed25519）");
}

Result<MasterKey> MasterKey::FromHex(std::string_view hex) {
  std::string clean;
  for (char c : hex) {
    if (c == ' ' || c == '\n' || c == '\r' || c == '\t') continue;
    clean.push_back(c);
  }
  if (clean.size() != 64) return BadFormat();
  std::string key(32, '\0');
  for (std::size_t i = 0; i < 32; ++i) {
    int hi = HexValue(clean[2 * i]), lo = HexValue(clean[2 * i + 1]);
    if (hi < 0 || lo < 0) return BadFormat();
    key[i] = static_cast<char>(hi * 16 + lo);
  }
  return MasterKey(std::move(key));
}

Result<MasterKey> MasterKey::FromFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Unavailable("seal.master_key_io", "无法读取主密钥文件 " + path);
  }
  std::ostringstream buf;
  buf << in.rdbuf();
  std::string data = buf.str();
  if (data.size() == 32) return MasterKey(std::move(data));
  return FromHex(data);
}

Result<MasterKey> MasterKey::Generate(const std::string& path) {
  std::string key(32, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(key.data()), 32) != 1) {
    return Internal("seal.crypto", "无法生成随机主密钥");
  }
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    if (errno == EEXIST) {
      return AlreadyExists("seal.master_key_exists", "主密钥文件 " + path + " 已存在，不会覆盖");
    }
    return Unavailable("seal.master_key_io",
                       "无法创建主密钥文件 " + path + "：" + std::strerror(errno));
  }
  std::string text = ToHex(key) + "\n";
  bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  ok = ::fchmod(fd, 0600) == 0 && ok;  // O_CREAT's mode is masked by the umask
  ok = ::close(fd) == 0 && ok;
  if (!ok) return Unavailable("seal.master_key_io", "无法写入主密钥文件 " + path);
  return MasterKey(std::move(key));
}

Result<std::string> MasterKey::Encrypt(std::string_view plain) const {
  std::string nonce(kNonceSize, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(nonce.data()), kNonceSize) != 1) {
    return Internal("seal.crypto", "无法生成随机数");
  }
  ASSIGN_OR_RETURN(std::string body, internal::AesGcmSeal(key_, nonce, kAad, plain));
  std::string out;
  out.reserve(1 + kNonceSize + body.size());
  out.push_back(static_cast<char>(kFormatV1));
  out += nonce;
  out += body;
  return out;
}

Result<std::string> MasterKey::Decrypt(std::string_view sealed) const {
  if (sealed.size() < 1 + kNonceSize + 16 || static_cast<unsigned char>(sealed[0]) != kFormatV1) {
    return FailedPrecondition("seal.master_key_wrong",
                              "主密钥无法解开印章私钥（数据格式不对或已损坏）");
  }
  return internal::AesGcmOpen(key_, sealed.substr(1, kNonceSize), kAad,
                              sealed.substr(1 + kNonceSize));
}

std::string Base64(std::string_view bytes) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  auto b = [&](std::size_t k) { return static_cast<unsigned char>(bytes[k]); };
  for (; i + 3 <= bytes.size(); i += 3) {
    unsigned v = (b(i) << 16) | (b(i + 1) << 8) | b(i + 2);
    out += {kAlphabet[v >> 18], kAlphabet[(v >> 12) & 63], kAlphabet[(v >> 6) & 63],
            kAlphabet[v & 63]};
  }
  if (bytes.size() - i == 1) {
    unsigned v = b(i) << 16;
    out += {kAlphabet[v >> 18], kAlphabet[(v >> 12) & 63], '=', '='};
  } else if (bytes.size() - i == 2) {
    unsigned v = (b(i) << 16) | (b(i + 1) << 8);
    out += {kAlphabet[v >> 18], kAlphabet[(v >> 12) & 63], kAlphabet[(v >> 6) & 63], '='};
  }
  return out;
}

std::string Base64Url(std::string_view bytes) {
  std::string out = Base64(bytes);
  while (!out.empty() && out.back() == '=') out.pop_back();
  for (char& c : out) {
    if (c == '+') c = '-';
    if (c == '/') c = '_';
  }
  return out;
}

Result<std::string> FromBase64(std::string_view text) {
  while (!text.empty() && text.back() == '=') text.remove_suffix(1);
  if (text.size() % 4 == 1) return InvalidArgument("seal.bad_base64", "不是有效的 Base64 数据");
  std::string out;
  out.reserve(text.size() * 3 / 4);
  unsigned acc = 0;
  int bits = 0;
  for (char c : text) {
    int v = Base64Value(c);
    if (v < 0) return InvalidArgument("seal.bad_base64", "不是有效的 Base64 数据");
    acc = (acc << 6) | static_cast<unsigned>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xFF));
    }
  }
  return out;
}

}  // namespace onestop::seal
