#include "seal/seal_service.h"

#include <boost/json.hpp>
#include <cstdio>

#include "core/text.h"
#include "identity/departments.h"
#include "seal/internal/crypto.h"

namespace onestop::seal {

// Parsed keys by key id. Keys never change once written (rotation only sets retired_at_ms,
// which Sign reads from the database), so entries are never invalidated.
struct SealService::KeyCache {
  struct PublicEntry {
    std::string seal_id;
    SignAlg alg;
    internal::Pkey key;
  };
  std::mutex mu;
  std::unordered_map<std::string, internal::Pkey> private_keys;
  std::unordered_map<std::string, std::shared_ptr<const PublicEntry>> public_keys;
};

namespace {

constexpr Millis kFiveYearsMs = Millis{5} * 365 * 24 * 3600 * 1000;
constexpr const char* kSealColumns =
    "s.id, s.department_id, d.name, s.name, s.maker, s.valid_from_ms, s.valid_to_ms, s.status, "
    "s.created_at_ms, s.version";

Error BadSignature() {
  return FailedPrecondition("seal.bad_signature", "签名验证失败：数据已被改动或签名不属于该密钥");
}

Error NoSuchKey(const std::string& key_id) {
  return NotFound("seal.no_such_key", "印章密钥 " + key_id + " 不存在");
}

Error NoMasterKey() {
  return FailedPrecondition("seal.no_master_key",
                            "未配置主密钥（--master-key-file 或环境变量 ONESTOP_MASTER_KEY），"
                            "无法使用印章私钥");
}

Seal SealFromRow(const store::Row& r) {
  Seal s;
  s.id = r.Text(0);
  s.department_id = r.Text(1);
  s.department_name = r.Text(2);
  s.name = r.Text(3);
  s.maker = r.Text(4);
  s.valid_from_ms = r.Int(5);
  s.valid_to_ms = r.Int(6);
  s.status = r.Text(7);
  s.created_at_ms = r.Int(8);
  s.version = r.Int(9);
  return s;
}

Result<std::vector<SealKey>> LoadKeys(store::Tx& tx, const std::string& seal_id) {
  // Active keys first (SM2 before Ed25519), then the retired ones, latest retired first.
  ASSIGN_OR_RETURN(store::Rows rows,
                   tx.Query("SELECT id, alg, public_key_pem, created_at_ms, retired_at_ms "
                            "FROM seal_key WHERE seal_id = ? "
                            "ORDER BY CASE WHEN retired_at_ms IS NULL THEN 0 ELSE 1 END, "
                            "COALESCE(retired_at_ms, 0) DESC, seq",
                            {seal_id}));
  std::vector<SealKey> keys;
  for (const store::Row& r : rows) {
    SealKey k;
    k.key_id = r.Text(0);
    k.alg = ParseSignAlg(r.Text(1)).value_or(SignAlg::kSm2Sm3);
    k.public_key_pem = r.Text(2);
    k.created_at_ms = r.Int(3);
    k.retired_at_ms = r.OptInt(4);
    keys.push_back(std::move(k));
  }
  return keys;
}

Result<Seal> LoadSeal(store::Tx& tx, const std::string& seal_id) {
  ASSIGN_OR_RETURN(store::Row row, tx.QueryOne(std::string("SELECT ") + kSealColumns +
                                                   " FROM seal s JOIN identity_department d "
                                                   "ON d.id = s.department_id WHERE s.id = ?",
                                               {seal_id}, "seal.not_found", "印章不存在"));
  Seal s = SealFromRow(row);
  ASSIGN_OR_RETURN(s.keys, LoadKeys(tx, s.id));
  return s;
}

// Makes a key pair, encrypts the private half and inserts it as "<seal id>-k<seq>".
Result<SealKey> AddKey(store::Tx& tx, const MasterKey& master, const std::string& seal_id,
                       std::int64_t seq, SignAlg alg, Millis now) {
  ASSIGN_OR_RETURN(internal::Pkey key, internal::GenerateKey(alg));
  ASSIGN_OR_RETURN(std::string pem, internal::PublicKeyPem(key.get()));
  ASSIGN_OR_RETURN(std::string der, internal::PrivateKeyDer(key.get()));
  Result<std::string> sealed = master.Encrypt(der);
  OPENSSL_cleanse(der.data(), der.size());
  if (!sealed.has_value()) return std::move(sealed).error();
  SealKey k;
  k.key_id = seal_id + "-k" + std::to_string(seq);
  k.alg = alg;
  k.public_key_pem = pem;
  k.created_at_ms = now;
  RETURN_IF_ERROR(
      tx.Exec("INSERT INTO seal_key (id, seal_id, seq, alg, public_key_pem, private_key_enc, "
              "created_at_ms, retired_at_ms) VALUES (?,?,?,?,?,?,?,NULL)",
              {k.key_id, seal_id, seq, std::string(SignAlgCode(alg)), pem, Base64(*sealed), now}));
  return k;
}

boost::json::array KeysJson(const std::vector<SealKey>& keys) {
  boost::json::array out;
  for (const SealKey& k : keys) {
    if (k.retired_at_ms) continue;
    out.push_back({{"keyId", k.key_id}, {"alg", SignAlgCode(k.alg)}});
  }
  return out;
}

}  // namespace

SealService::SealService(store::Db& db, const Clock& clock, const audit::AuditLog& audit,
                         std::optional<MasterKey> master)
    : db_(db),
      clock_(clock),
      audit_(audit),
      master_(std::move(master)),
      cache_(std::make_shared<KeyCache>()) {}

Result<Seal> SealService::Create(const identity::Principal& actor, const NewSeal& s) {
  RETURN_IF_ERROR(identity::Require(actor, identity::Permission::kManageSeals));
  const std::string name(text::TrimSpace(s.name));
  const std::string maker(text::TrimSpace(s.maker));
  const Millis now = clock_.NowMs();
  const Millis valid_to = s.valid_to_ms == 0 ? now + kFiveYearsMs : s.valid_to_ms;
  Error invalid = InvalidArgument("seal.invalid", "印章信息有误");
  bool bad = false;
  if (s.department_id.empty()) {
    invalid = std::move(invalid).WithField("departmentId", "请选择部门");
    bad = true;
  }
  std::size_t name_len = text::CountCodePoints(name);
  if (name_len < 2 || name_len > 64) {
    invalid = std::move(invalid).WithField("name", "印章名称须为 2–64 个字");
    bad = true;
  }
  if (text::CountCodePoints(maker) > 64) {
    invalid = std::move(invalid).WithField("maker", "制章者不能超过 64 个字");
    bad = true;
  }
  if (valid_to <= now) {
    invalid = std::move(invalid).WithField("validTo", "有效期截止须晚于现在");
    bad = true;
  }
  if (bad) {
    invalid.message = "印章信息有误：" + invalid.fields.front().message;
    return invalid;
  }
  RETURN_IF_ERROR(
      identity::RequireInScope(actor, identity::Permission::kManageSeals, s.department_id));
  return store::Transact(db_, [&](store::Tx& tx) -> Result<Seal> {
    Result<identity::Department> dept = identity::internal::LoadDepartment(tx, s.department_id);
    if (!dept.has_value()) {
      if (dept.error().code != ErrorCode::kNotFound) return std::move(dept).error();
      return InvalidArgument("seal.invalid", "印章信息有误：部门不存在")
          .WithField("departmentId", "部门不存在");
    }
    ASSIGN_OR_RETURN(store::Rows existing,
                     tx.Query("SELECT id FROM seal WHERE department_id = ? AND status = 'active'",
                              {s.department_id}));
    if (!existing.empty()) {
      return AlreadyExists(
          "seal.department_has_seal",
          dept->name + " 已有在用的印章 " + existing.front().Text(0) + "，如需更换密钥请轮换");
    }
    if (!master_) return NoMasterKey();
    // esID: "ES" + the department's 6-digit region code + a serial within that region.
    const std::string prefix = "ES" + dept->region_code;
    ASSIGN_OR_RETURN(store::Row count, tx.QueryOne("SELECT COUNT(*) FROM seal WHERE id LIKE ?",
                                                   {prefix + "%"}, "seal.not_found", ""));
    char serial[32];
    std::snprintf(serial, sizeof serial, "%06lld", static_cast<long long>(count.Int(0) + 1));
    Seal seal;
    seal.id = prefix + serial;
    seal.department_id = dept->id;
    seal.department_name = dept->name;
    seal.name = name;
    seal.maker = maker.empty() ? dept->name : maker;
    seal.valid_from_ms = now;
    seal.valid_to_ms = valid_to;
    seal.status = "active";
    seal.created_at_ms = now;
    RETURN_IF_ERROR(tx.Exec(
        "INSERT INTO seal (id, department_id, name, maker, valid_from_ms, valid_to_ms, status, "
        "created_by, created_at_ms, updated_at_ms, version) VALUES (?,?,?,?,?,?,?,?,?,?,1)",
        {seal.id, seal.department_id, seal.name, seal.maker, now, valid_to, seal.status,
         actor.user_id, now, now}));
    ASSIGN_OR_RETURN(SealKey sm2, AddKey(tx, *master_, seal.id, 1, SignAlg::kSm2Sm3, now));
    seal.keys.push_back(std::move(sm2));
    if (s.with_ed25519) {
      ASSIGN_OR_RETURN(SealKey ed, AddKey(tx, *master_, seal.id, 2, SignAlg::kEd25519, now));
      seal.keys.push_back(std::move(ed));
    }
    RETURN_IF_ERROR(audit_.Append(
        tx, identity::ActorOf(actor),
        {"seal.create", "seal", seal.id, std::nullopt, "",
         boost::json::serialize(boost::json::object{{"departmentId", seal.department_id},
                                                    {"name", seal.name},
                                                    {"maker", seal.maker},
                                                    {"validToMs", seal.valid_to_ms},
                                                    {"keys", KeysJson(seal.keys)}})}));
    return seal;
  });
}

Result<Seal> SealService::Rotate(const identity::Principal& actor, const std::string& seal_id) {
  RETURN_IF_ERROR(identity::Require(actor, identity::Permission::kManageSeals));
  return store::Transact(db_, [&](store::Tx& tx) -> Result<Seal> {
    ASSIGN_OR_RETURN(Seal seal, LoadSeal(tx, seal_id));
    RETURN_IF_ERROR(
        identity::RequireInScope(actor, identity::Permission::kManageSeals, seal.department_id));
    if (seal.status != "active") {
      return FailedPrecondition("seal.not_active", "印章 " + seal.id + " 已停用，不能轮换密钥");
    }
    if (!master_) return NoMasterKey();
    const Millis now = clock_.NowMs();
    // The new keys: SM2 always, Ed25519 when the seal had one.
    std::vector<SignAlg> algs = {SignAlg::kSm2Sm3};
    for (const SealKey& k : seal.keys) {
      if (!k.retired_at_ms && k.alg == SignAlg::kEd25519) {
        algs.push_back(SignAlg::kEd25519);
        break;
      }
    }
    ASSIGN_OR_RETURN(store::Row max_seq,
                     tx.QueryOne("SELECT COALESCE(MAX(seq), 0) FROM seal_key WHERE seal_id = ?",
                                 {seal.id}, "seal.not_found", "印章不存在"));
    std::vector<SealKey> old_keys = seal.keys;
    RETURN_IF_ERROR(
        tx.Exec("UPDATE seal_key SET retired_at_ms = ? WHERE seal_id = ? AND retired_at_ms IS NULL",
                {now, seal.id}));
    ASSIGN_OR_RETURN(std::int64_t changed,
                     tx.Exec("UPDATE seal SET updated_at_ms = ?, version = version + 1 "
                             "WHERE id = ? AND version = ?",
                             {now, seal.id, seal.version}));
    RETURN_IF_ERROR(store::CheckVersion(changed));
    std::int64_t seq = max_seq.Int(0);
    std::vector<SealKey> fresh;
    for (SignAlg alg : algs) {
      ASSIGN_OR_RETURN(SealKey k, AddKey(tx, *master_, seal.id, ++seq, alg, now));
      fresh.push_back(std::move(k));
    }
    RETURN_IF_ERROR(
        audit_.Append(tx, identity::ActorOf(actor),
                      {"seal.rotate", "seal", seal.id, std::nullopt, "",
                       boost::json::serialize(boost::json::object{{"retired", KeysJson(old_keys)},
                                                                  {"keys", KeysJson(fresh)}})}));
    return LoadSeal(tx, seal.id);
  });
}

Result<std::vector<Seal>> SealService::List(const identity::Principal& actor) {
  RETURN_IF_ERROR(identity::Require(actor, identity::Permission::kManageSeals));
  std::optional<std::vector<std::string>> scope = actor.ScopeFilter();
  if (scope && scope->empty() && actor.department_id) scope->push_back(*actor.department_id);
  return store::Read(db_, [&](store::Tx& tx) -> Result<std::vector<Seal>> {
    std::string sql = std::string("SELECT ") + kSealColumns +
                      " FROM seal s JOIN identity_department d ON d.id = s.department_id";
    std::vector<store::Value> params;
    if (scope) {
      if (scope->empty()) return std::vector<Seal>{};
      sql += " WHERE s.department_id IN (";
      for (std::size_t i = 0; i < scope->size(); ++i) {
        sql += i ? ",?" : "?";
        params.push_back((*scope)[i]);
      }
      sql += ")";
    }
    sql += " ORDER BY d.path, s.created_at_ms";
    ASSIGN_OR_RETURN(store::Rows rows, tx.Query(sql, params));
    std::vector<Seal> out;
    for (const store::Row& r : rows) {
      Seal s = SealFromRow(r);
      ASSIGN_OR_RETURN(s.keys, LoadKeys(tx, s.id));
      out.push_back(std::move(s));
    }
    return out;
  });
}

Result<Seal> SealService::Get(const std::string& seal_id) {
  return store::Read(db_, [&](store::Tx& tx) { return LoadSeal(tx, seal_id); });
}

Result<SealKey> SealService::PublicKey(const std::string& key_id) {
  return store::Read(db_, [&](store::Tx& tx) -> Result<SealKey> {
    ASSIGN_OR_RETURN(store::Rows rows,
                     tx.Query("SELECT id, alg, public_key_pem, created_at_ms, retired_at_ms "
                              "FROM seal_key WHERE id = ?",
                              {key_id}));
    if (rows.empty()) return NoSuchKey(key_id);
    const store::Row& r = rows.front();
    SealKey k;
    k.key_id = r.Text(0);
    k.alg = ParseSignAlg(r.Text(1)).value_or(SignAlg::kSm2Sm3);
    k.public_key_pem = r.Text(2);
    k.created_at_ms = r.Int(3);
    k.retired_at_ms = r.OptInt(4);
    return k;
  });
}

Result<SealSignature> SealService::Sign(store::Tx& tx, const std::string& department_id,
                                        std::string_view bytes, SignAlg alg) {
  ASSIGN_OR_RETURN(store::Rows seals, tx.Query("SELECT id, valid_from_ms, valid_to_ms FROM seal "
                                               "WHERE department_id = ? AND status = 'active'",
                                               {department_id}));
  if (seals.empty()) {
    return FailedPrecondition("seal.department_has_no_seal", "该部门没有在用的电子印章，无法签章");
  }
  const std::string seal_id = seals.front().Text(0);
  const Millis now = clock_.NowMs();
  if (now < seals.front().Int(1) || now > seals.front().Int(2)) {
    return FailedPrecondition("seal.expired", "印章 " + seal_id + " 不在有效期内，无法签章");
  }
  ASSIGN_OR_RETURN(store::Rows keys,
                   tx.Query("SELECT id FROM seal_key WHERE seal_id = ? AND alg = ? "
                            "AND retired_at_ms IS NULL ORDER BY seq DESC",
                            {seal_id, std::string(SignAlgCode(alg))}));
  if (keys.empty()) {
    if (alg == SignAlg::kEd25519) {
      return FailedPrecondition("seal.no_ed25519_key", "印章 " + seal_id + " 没有 Ed25519 密钥");
    }
    return FailedPrecondition("seal.department_has_no_seal",
                              "印章 " + seal_id + " 没有在用的 SM2 密钥");
  }
  const std::string key_id = keys.front().Text(0);
  internal::Pkey key;
  {
    std::lock_guard lock(cache_->mu);
    auto it = cache_->private_keys.find(key_id);
    if (it != cache_->private_keys.end()) key = it->second;
  }
  if (!key) {
    if (!master_) return NoMasterKey();
    ASSIGN_OR_RETURN(store::Row enc,
                     tx.QueryOne("SELECT private_key_enc FROM seal_key WHERE id = ?", {key_id},
                                 "seal.no_such_key", "印章密钥 " + key_id + " 不存在"));
    ASSIGN_OR_RETURN(std::string sealed, FromBase64(enc.Text(0)));
    ASSIGN_OR_RETURN(std::string der, master_->Decrypt(sealed));
    Result<internal::Pkey> parsed = internal::ParsePrivateKeyDer(der, alg);
    OPENSSL_cleanse(der.data(), der.size());
    if (!parsed.has_value()) return std::move(parsed).error();
    key = *parsed;
    std::lock_guard lock(cache_->mu);
    cache_->private_keys.emplace(key_id, key);
  }
  ASSIGN_OR_RETURN(std::string signature, internal::SignBytes(key.get(), alg, bytes));
  return SealSignature{seal_id, key_id, alg, std::move(signature), now};
}

Result<void> SealService::Verify(store::Tx& tx, std::string_view bytes, const SealSignature& sig) {
  std::shared_ptr<const KeyCache::PublicEntry> entry;
  {
    std::lock_guard lock(cache_->mu);
    auto it = cache_->public_keys.find(sig.key_id);
    if (it != cache_->public_keys.end()) entry = it->second;
  }
  if (!entry) {
    ASSIGN_OR_RETURN(
        store::Rows rows,
        tx.Query("SELECT seal_id, alg, public_key_pem FROM seal_key WHERE id = ?", {sig.key_id}));
    if (rows.empty()) return NoSuchKey(sig.key_id);
    ASSIGN_OR_RETURN(SignAlg alg, ParseSignAlg(rows.front().Text(1)));
    ASSIGN_OR_RETURN(internal::Pkey key, internal::ParsePublicKeyPem(rows.front().Text(2), alg));
    auto fresh = std::make_shared<const KeyCache::PublicEntry>(
        KeyCache::PublicEntry{rows.front().Text(0), alg, std::move(key)});
    std::lock_guard lock(cache_->mu);
    entry = cache_->public_keys.emplace(sig.key_id, fresh).first->second;
  }
  if (entry->seal_id != sig.seal_id || entry->alg != sig.alg) return BadSignature();
  if (!internal::VerifyBytes(entry->key.get(), entry->alg, bytes, sig.signature)) {
    return BadSignature();
  }
  return Ok();
}

Result<void> SealService::Verify(std::string_view bytes, const SealSignature& sig) {
  std::shared_ptr<const KeyCache::PublicEntry> entry;
  {
    std::lock_guard lock(cache_->mu);
    auto it = cache_->public_keys.find(sig.key_id);
    if (it != cache_->public_keys.end()) entry = it->second;
  }
  // A cached key needs no transaction at all (verification throughput).
  if (!entry) return store::Read(db_, [&](store::Tx& tx) { return Verify(tx, bytes, sig); });
  if (entry->seal_id != sig.seal_id || entry->alg != sig.alg) return BadSignature();
  if (!internal::VerifyBytes(entry->key.get(), entry->alg, bytes, sig.signature)) {
    return BadSignature();
  }
  return Ok();
}

Result<void> VerifyWithPublicKeyPem(std::string_view public_key_pem, SignAlg alg,
                                    std::string_view bytes, std::string_view signature) {
  ASSIGN_OR_RETURN(internal::Pkey key, internal::ParsePublicKeyPem(public_key_pem, alg));
  if (!internal::VerifyBytes(key.get(), alg, bytes, signature)) return BadSignature();
  return Ok();
}

}  // namespace onestop::seal
