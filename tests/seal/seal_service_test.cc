// SealService: seals with SM2-SM3 / Ed25519 keys encrypted under the master key, rotation,
// permissions and scope, and signatures that fail on tampering or with a wrong key.
#include "seal/seal_service.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <memory>

#include "testutil/matchers.h"
#include "testutil/test_db.h"

namespace onestop::seal {
namespace {

using ::testing::HasSubstr;
using testutil::IsError;
using testutil::TestDb;

constexpr const char* kHexKey = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
constexpr const char* kOtherHexKey =
    "ff0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

MasterKey Key(const char* hex = kHexKey) { return *MasterKey::FromHex(hex); }

identity::Principal SealAdmin(identity::DataScope scope = identity::DataScope::kAll,
                              std::set<std::string> depts = {}) {
  identity::Principal p;
  p.user_id = "u-seal";
  p.display_name = "印章管理员";
  p.department_id = "d-sp";
  p.data_scope = scope;
  p.scope_department_ids = std::move(depts);
  p.permissions = {identity::Permission::kManageSeals};
  p.request_id = "req-seal";
  return p;
}

identity::Principal Clerk() {
  identity::Principal p;
  p.user_id = "u-clerk";
  p.display_name = "窗口人员";
  p.department_id = "d-sp";
  p.data_scope = identity::DataScope::kDept;
  p.scope_department_ids = {"d-sp"};
  p.permissions = {identity::Permission::kIntakeCases};
  return p;
}

class SealServiceTest : public ::testing::TestWithParam<store::Backend> {
 protected:
  void SetUp() override {
    ONESTOP_CREATE_TEST_DB(t_, GetParam());
    t_->clock().Set(testutil::kTestNowMs);
    audit_ = std::make_unique<audit::AuditLog>(t_->clock());
    service_ = Service(Key());
    Result<void> seeded = store::Transact(t_->db(), [&](store::Tx& tx) -> Result<void> {
      struct D {
        const char* id;
        const char* name;
        const char* region;
      };
      for (const D& d :
           {D{"d-sp", "岳麓区行政审批服务局", "430104"}, D{"d-ga", "岳麓区公安分局", "430104"},
            D{"d-kf", "开福区行政审批服务局", "430105"}}) {
        RETURN_IF_ERROR(tx.Exec(
            "INSERT INTO identity_department (id, code, name, parent_id, region_code, level, "
            "path, created_at_ms, updated_at_ms, version) VALUES (?,?,?,NULL,?,?,?,0,0,1)",
            {d.id, std::string("C-") + d.id, d.name, d.region, "county",
             std::string("/") + d.id + "/"}));
      }
      return Ok();
    });
    ASSERT_TRUE(seeded.has_value()) << seeded.error().message;
  }

  std::unique_ptr<SealService> Service(std::optional<MasterKey> key) {
    return std::make_unique<SealService>(t_->db(), t_->clock(), *audit_, std::move(key));
  }

  Seal MustCreate(const std::string& dept = "d-sp", bool ed25519 = false) {
    NewSeal s;
    s.department_id = dept;
    s.name = "岳麓区行政审批服务局电子证照专用章";
    s.with_ed25519 = ed25519;
    Result<Seal> r = service_->Create(SealAdmin(), s);
    EXPECT_TRUE(r.has_value()) << r.error().reason << " " << r.error().message;
    return r.has_value() ? *r : Seal{};
  }

  Result<SealSignature> Sign(SealService& svc, const std::string& dept, std::string_view bytes,
                             SignAlg alg = SignAlg::kSm2Sm3) {
    return store::Transact(t_->db(), [&](store::Tx& tx) { return svc.Sign(tx, dept, bytes, alg); });
  }

  std::tuple<std::int64_t, std::int64_t, std::int64_t> Counts() {
    return {t_->Count("seal"), t_->Count("seal_key"), t_->Count("audit_entry")};
  }

  std::unique_ptr<TestDb> t_;
  std::unique_ptr<audit::AuditLog> audit_;
  std::unique_ptr<SealService> service_;
};

TEST_P(SealServiceTest, CreateMakesSealWithSm2KeyAndAudits) {
  Seal s = MustCreate("d-sp", true);
  EXPECT_EQ(s.id, "ES430104000001");
  EXPECT_EQ(s.department_name, "岳麓区行政审批服务局");
  EXPECT_EQ(s.maker, "岳麓区行政审批服务局");
  EXPECT_EQ(s.status, "active");
  EXPECT_EQ(s.valid_from_ms, testutil::kTestNowMs);
  EXPECT_GT(s.valid_to_ms, testutil::kTestNowMs + Millis{4} * 365 * 86400000);
  ASSERT_EQ(s.keys.size(), 2u);
  EXPECT_EQ(s.keys[0].key_id, "ES430104000001-k1");
  EXPECT_EQ(s.keys[0].alg, SignAlg::kSm2Sm3);
  EXPECT_THAT(s.keys[0].public_key_pem, HasSubstr("BEGIN PUBLIC KEY"));
  EXPECT_EQ(s.keys[1].alg, SignAlg::kEd25519);
  EXPECT_EQ(Counts(), std::make_tuple(1, 2, 1));
  // The private key is not stored in the clear: a PKCS#8 prefix would show in base64.
  Result<store::Rows> enc = store::Read(t_->db(), [](store::Tx& tx) {
    return tx.Query("SELECT private_key_enc FROM seal_key ORDER BY seq");
  });
  ASSERT_TRUE(enc.has_value());
  Result<std::string> raw = FromBase64((*enc)[0].Text(0));
  ASSERT_TRUE(raw.has_value());
  EXPECT_EQ(static_cast<unsigned char>((*raw)[0]), 0x01);  // format version
  EXPECT_EQ(raw->find("\x06\x08\x2a\x81\x1c\xcf\x55\x01\x82\x2d"), std::string::npos);  // SM2 OID

  Result<Seal> got = service_->Get(s.id);
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->name, s.name);
  EXPECT_EQ(got->keys.size(), 2u);
  // A second seal in another region gets its own serial.
  EXPECT_EQ(MustCreate("d-kf").id, "ES430105000001");
  EXPECT_EQ(MustCreate("d-ga").id, "ES430104000002");
}

TEST_P(SealServiceTest, SignAndVerifySm2AndEd25519) {
  MustCreate("d-sp", true);
  const std::string data = R"({"holder":"张三","type":"户口簿"})";
  Result<SealSignature> sm2 = Sign(*service_, "d-sp", data);
  ASSERT_TRUE(sm2.has_value()) << sm2.error().message;
  EXPECT_EQ(sm2->seal_id, "ES430104000001");
  EXPECT_EQ(sm2->key_id, "ES430104000001-k1");
  EXPECT_EQ(sm2->signed_at_ms, testutil::kTestNowMs);
  EXPECT_EQ(sm2->signature[0], '\x30');  // DER SEQUENCE{r,s}
  EXPECT_TRUE(service_->Verify(data, *sm2).has_value());

  Result<SealSignature> ed = Sign(*service_, "d-sp", data, SignAlg::kEd25519);
  ASSERT_TRUE(ed.has_value()) << ed.error().message;
  EXPECT_EQ(ed->signature.size(), 64u);
  EXPECT_EQ(ed->key_id, "ES430104000001-k2");
  EXPECT_TRUE(service_->Verify(data, *ed).has_value());

  // A fresh service (empty cache, same master key) verifies and signs too.
  auto other = Service(Key());
  EXPECT_TRUE(other->Verify(data, *sm2).has_value());
  EXPECT_TRUE(Sign(*other, "d-sp", data).has_value());
  // Offline: the bare public key PEM.
  Result<SealKey> pub = service_->PublicKey(sm2->key_id);
  ASSERT_TRUE(pub.has_value());
  EXPECT_TRUE(VerifyWithPublicKeyPem(pub->public_key_pem, SignAlg::kSm2Sm3, data, sm2->signature)
                  .has_value());
}

TEST_P(SealServiceTest, TamperedBytesAndWrongKeyFail) {
  MustCreate("d-sp", true);
  MustCreate("d-ga");
  const std::string data = "证照数据 v1";
  SealSignature sig = *Sign(*service_, "d-sp", data);
  std::string tampered = data;
  tampered[0] ^= 1;
  EXPECT_TRUE(IsError(service_->Verify(tampered, sig), ErrorCode::kFailedPrecondition,
                      "seal.bad_signature"));
  SealSignature bad_sig = sig;
  bad_sig.signature[10] ^= 1;
  EXPECT_TRUE(IsError(service_->Verify(data, bad_sig), ErrorCode::kFailedPrecondition,
                      "seal.bad_signature"));
  // Another department's key: the key exists but did not make this signature.
  SealSignature wrong = sig;
  wrong.seal_id = "ES430104000002";
  wrong.key_id = "ES430104000002-k1";
  EXPECT_TRUE(
      IsError(service_->Verify(data, wrong), ErrorCode::kFailedPrecondition, "seal.bad_signature"));
  // A key id that claims another seal.
  SealSignature mismatch = sig;
  mismatch.seal_id = "ES430104000002";
  EXPECT_TRUE(IsError(service_->Verify(data, mismatch), ErrorCode::kFailedPrecondition,
                      "seal.bad_signature"));
  // The algorithm does not match the key.
  SealSignature alg = sig;
  alg.alg = SignAlg::kEd25519;
  EXPECT_TRUE(
      IsError(service_->Verify(data, alg), ErrorCode::kFailedPrecondition, "seal.bad_signature"));
  SealSignature missing = sig;
  missing.key_id = "ES999999000001-k1";
  EXPECT_TRUE(IsError(service_->Verify(data, missing), ErrorCode::kNotFound, "seal.no_such_key"));
  EXPECT_TRUE(IsError(service_->PublicKey("nope"), ErrorCode::kNotFound, "seal.no_such_key"));
  EXPECT_TRUE(IsError(VerifyWithPublicKeyPem("not a pem", SignAlg::kSm2Sm3, data, sig.signature),
                      ErrorCode::kInvalidArgument, "seal.bad_key"));
  Result<SealKey> pub = service_->PublicKey(sig.key_id);
  ASSERT_TRUE(pub.has_value());
  EXPECT_TRUE(
      IsError(VerifyWithPublicKeyPem(pub->public_key_pem, SignAlg::kEd25519, data, sig.signature),
              ErrorCode::kInvalidArgument, "seal.bad_key"));
}

TEST_P(SealServiceTest, RotationRetiresOldKeyButKeepsItVerifiable) {
  MustCreate("d-sp", true);
  const std::string data = "旧签名";
  SealSignature old_sig = *Sign(*service_, "d-sp", data);
  auto before = Counts();
  Result<Seal> rotated = service_->Rotate(SealAdmin(), "ES430104000001");
  ASSERT_TRUE(rotated.has_value()) << rotated.error().message;
  EXPECT_EQ(rotated->version, 2);
  ASSERT_EQ(rotated->keys.size(), 4u);
  EXPECT_FALSE(rotated->keys[0].retired_at_ms);  // active first
  EXPECT_FALSE(rotated->keys[1].retired_at_ms);
  EXPECT_TRUE(rotated->keys[2].retired_at_ms);
  EXPECT_TRUE(rotated->keys[3].retired_at_ms);
  EXPECT_EQ(Counts(),
            std::make_tuple(std::get<0>(before), std::get<1>(before) + 2, std::get<2>(before) + 1));
  SealSignature new_sig = *Sign(*service_, "d-sp", data);
  EXPECT_EQ(new_sig.key_id, "ES430104000001-k3");
  EXPECT_EQ(Sign(*service_, "d-sp", data, SignAlg::kEd25519)->key_id, "ES430104000001-k4");
  EXPECT_TRUE(service_->Verify(data, old_sig).has_value());
  EXPECT_TRUE(service_->Verify(data, new_sig).has_value());
  EXPECT_TRUE(Service(Key())->Verify(data, old_sig).has_value());
  // The old key cannot stand in for the new one.
  SealSignature swapped = new_sig;
  swapped.key_id = old_sig.key_id;
  EXPECT_TRUE(IsError(service_->Verify(data, swapped), ErrorCode::kFailedPrecondition,
                      "seal.bad_signature"));
}

TEST_P(SealServiceTest, CreateErrorsChangeNothing) {
  MustCreate("d-sp");
  auto before = Counts();
  NewSeal s;
  s.department_id = "d-sp";
  s.name = "第二枚章";
  EXPECT_TRUE(IsError(service_->Create(SealAdmin(), s), ErrorCode::kAlreadyExists,
                      "seal.department_has_seal"));
  s.department_id = "d-ga";
  s.name = "章";
  Result<Seal> short_name = service_->Create(SealAdmin(), s);
  ASSERT_TRUE(IsError(short_name, ErrorCode::kInvalidArgument, "seal.invalid"));
  EXPECT_EQ(short_name.error().fields.front().field, "name");
  s.name = "岳麓区公安分局专用章";
  s.valid_to_ms = testutil::kTestNowMs - 1;
  Result<Seal> past = service_->Create(SealAdmin(), s);
  ASSERT_TRUE(IsError(past, ErrorCode::kInvalidArgument, "seal.invalid"));
  EXPECT_EQ(past.error().fields.front().field, "validTo");
  s.valid_to_ms = 0;
  s.maker = std::string(65 * 3, 'x');
  EXPECT_TRUE(
      IsError(service_->Create(SealAdmin(), s), ErrorCode::kInvalidArgument, "seal.invalid"));
  s.maker = "";
  s.department_id = "d-missing";
  Result<Seal> missing = service_->Create(SealAdmin(), s);
  ASSERT_TRUE(IsError(missing, ErrorCode::kInvalidArgument, "seal.invalid"));
  EXPECT_EQ(missing.error().fields.front().field, "departmentId");
  s.department_id = "";
  EXPECT_TRUE(
      IsError(service_->Create(SealAdmin(), s), ErrorCode::kInvalidArgument, "seal.invalid"));
  s.department_id = "d-ga";
  EXPECT_TRUE(IsError(service_->Create(Clerk(), s), ErrorCode::kPermissionDenied,
                      "identity.permission_denied"));
  EXPECT_TRUE(IsError(service_->Create(SealAdmin(identity::DataScope::kDept, {"d-sp"}), s),
                      ErrorCode::kPermissionDenied, "identity.out_of_scope"));
  EXPECT_TRUE(IsError(Service(std::nullopt)->Create(SealAdmin(), s), ErrorCode::kFailedPrecondition,
                      "seal.no_master_key"));
  EXPECT_EQ(Counts(), before);
}

TEST_P(SealServiceTest, RotateErrorsChangeNothing) {
  MustCreate("d-sp");
  auto before = Counts();
  EXPECT_TRUE(IsError(service_->Rotate(SealAdmin(), "ES000000000009"), ErrorCode::kNotFound,
                      "seal.not_found"));
  EXPECT_TRUE(IsError(service_->Rotate(Clerk(), "ES430104000001"), ErrorCode::kPermissionDenied,
                      "identity.permission_denied"));
  EXPECT_TRUE(
      IsError(service_->Rotate(SealAdmin(identity::DataScope::kDept, {"d-ga"}), "ES430104000001"),
              ErrorCode::kPermissionDenied, "identity.out_of_scope"));
  EXPECT_TRUE(IsError(Service(std::nullopt)->Rotate(SealAdmin(), "ES430104000001"),
                      ErrorCode::kFailedPrecondition, "seal.no_master_key"));
  ASSERT_TRUE(store::Transact(t_->db(), [](store::Tx& tx) -> Result<void> {
                RETURN_IF_ERROR(tx.Exec("UPDATE seal SET status = 'revoked'"));
                return Ok();
              }).has_value());
  EXPECT_TRUE(IsError(service_->Rotate(SealAdmin(), "ES430104000001"),
                      ErrorCode::kFailedPrecondition, "seal.not_active"));
  EXPECT_EQ(Counts(), before);
}

TEST_P(SealServiceTest, ListFollowsPermissionAndScope) {
  MustCreate("d-sp");
  MustCreate("d-kf");
  Result<std::vector<Seal>> all = service_->List(SealAdmin());
  ASSERT_TRUE(all.has_value());
  EXPECT_EQ(all->size(), 2u);
  Result<std::vector<Seal>> mine = service_->List(SealAdmin(identity::DataScope::kDept, {"d-kf"}));
  ASSERT_TRUE(mine.has_value());
  ASSERT_EQ(mine->size(), 1u);
  EXPECT_EQ((*mine)[0].department_id, "d-kf");
  EXPECT_EQ((*mine)[0].keys.size(), 1u);
  Result<std::vector<Seal>> self = service_->List(SealAdmin(identity::DataScope::kSelf));
  ASSERT_TRUE(self.has_value());
  ASSERT_EQ(self->size(), 1u);
  EXPECT_EQ((*self)[0].department_id, "d-sp");
  EXPECT_TRUE(
      IsError(service_->List(Clerk()), ErrorCode::kPermissionDenied, "identity.permission_denied"));
  EXPECT_TRUE(IsError(service_->Get("ES1"), ErrorCode::kNotFound, "seal.not_found"));
}

TEST_P(SealServiceTest, SignErrors) {
  const std::string data = "x";
  EXPECT_TRUE(IsError(Sign(*service_, "d-sp", data), ErrorCode::kFailedPrecondition,
                      "seal.department_has_no_seal"));
  MustCreate("d-sp");
  EXPECT_TRUE(IsError(Sign(*service_, "d-sp", data, SignAlg::kEd25519),
                      ErrorCode::kFailedPrecondition, "seal.no_ed25519_key"));
  EXPECT_TRUE(IsError(Sign(*Service(std::nullopt), "d-sp", data), ErrorCode::kFailedPrecondition,
                      "seal.no_master_key"));
  EXPECT_TRUE(IsError(Sign(*Service(Key(kOtherHexKey)), "d-sp", data),
                      ErrorCode::kFailedPrecondition, "seal.master_key_wrong"));
  t_->clock().Advance(Millis{6} * 365 * 86400000);
  EXPECT_TRUE(
      IsError(Sign(*service_, "d-sp", data), ErrorCode::kFailedPrecondition, "seal.expired"));
}

TEST_P(SealServiceTest, CachedKeySignsWithoutTheMasterKeyAgain) {
  MustCreate("d-sp");
  ASSERT_TRUE(Sign(*service_, "d-sp", "warm").has_value());
  // Break the stored ciphertext: a cached key does not read it again.
  ASSERT_TRUE(store::Transact(t_->db(), [](store::Tx& tx) -> Result<void> {
                RETURN_IF_ERROR(tx.Exec("UPDATE seal_key SET private_key_enc = 'AAAA'"));
                return Ok();
              }).has_value());
  EXPECT_TRUE(Sign(*service_, "d-sp", "again").has_value());
  EXPECT_TRUE(IsError(Sign(*Service(Key()), "d-sp", "cold"), ErrorCode::kFailedPrecondition,
                      "seal.master_key_wrong"));
}

INSTANTIATE_TEST_SUITE_P(Backends, SealServiceTest, ::testing::ValuesIn(testutil::AllBackends()),
                         [](const auto& info) { return testutil::BackendParamName(info.param); });

// --- MasterKey and base64 (no database) ---

TEST(MasterKeyTest, EncryptDecryptRoundTripWithRandomNonce) {
  MasterKey k = Key();
  Result<std::string> a = k.Encrypt("secret");
  Result<std::string> b = k.Encrypt("secret");
  ASSERT_TRUE(a.has_value() && b.has_value());
  EXPECT_NE(*a, *b);
  EXPECT_EQ(a->size(), 1 + 12 + 6 + 16u);
  EXPECT_EQ(*k.Decrypt(*a), "secret");
  EXPECT_TRUE(IsError(Key(kOtherHexKey).Decrypt(*a), ErrorCode::kFailedPrecondition,
                      "seal.master_key_wrong"));
  std::string flipped = *a;
  flipped.back() ^= 1;
  EXPECT_TRUE(IsError(k.Decrypt(flipped), ErrorCode::kFailedPrecondition, "seal.master_key_wrong"));
  std::string version = *a;
  version[0] = 2;
  EXPECT_TRUE(IsError(k.Decrypt(version), ErrorCode::kFailedPrecondition, "seal.master_key_wrong"));
  EXPECT_TRUE(IsError(k.Decrypt("short"), ErrorCode::kFailedPrecondition, "seal.master_key_wrong"));
}

TEST(MasterKeyTest, HexAndFileFormats) {
  EXPECT_TRUE(MasterKey::FromHex(std::string(kHexKey) + "\n").has_value());
  EXPECT_TRUE(
      IsError(MasterKey::FromHex("abcd"), ErrorCode::kInvalidArgument, "seal.master_key_format"));
  EXPECT_TRUE(IsError(MasterKey::FromHex(std::string(63, '0') + "g"), ErrorCode::kInvalidArgument,
                      "seal.master_key_format"));
  auto dir = std::filesystem::temp_directory_path() /
             ("seal-mk-" + std::to_string(::getpid()) + "-" +
              ::testing::UnitTest::GetInstance()->current_test_info()->name());
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "master.key").string();
  Result<MasterKey> made = MasterKey::Generate(path);
  ASSERT_TRUE(made.has_value()) << made.error().message;
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_EQ(std::filesystem::file_size(path), 65u);
  Result<MasterKey> read = MasterKey::FromFile(path);
  ASSERT_TRUE(read.has_value());
  EXPECT_EQ(*read->Decrypt(*made->Encrypt("x")), "x");
  EXPECT_TRUE(
      IsError(MasterKey::Generate(path), ErrorCode::kAlreadyExists, "seal.master_key_exists"));
  // 32 raw bytes work too.
  const std::string raw = (dir / "raw.key").string();
  std::ofstream(raw, std::ios::binary) << std::string(32, '\x07');
  EXPECT_TRUE(MasterKey::FromFile(raw).has_value());
  std::ofstream(raw, std::ios::binary | std::ios::trunc) << "too short";
  EXPECT_TRUE(
      IsError(MasterKey::FromFile(raw), ErrorCode::kInvalidArgument, "seal.master_key_format"));
  EXPECT_TRUE(IsError(MasterKey::FromFile((dir / "missing").string()), ErrorCode::kUnavailable,
                      "seal.master_key_io"));
  EXPECT_TRUE(IsError(MasterKey::Generate((dir / "no/such/dir/k").string()),
                      ErrorCode::kUnavailable, "seal.master_key_io"));
  std::filesystem::remove_all(dir);
}

TEST(SealCodecTest, Base64AndAlgCodes) {
  EXPECT_EQ(Base64(""), "");
  EXPECT_EQ(Base64("f"), "Zg==");
  EXPECT_EQ(Base64("fo"), "Zm8=");
  EXPECT_EQ(Base64("foo"), "Zm9v");
  EXPECT_EQ(Base64("\xfb\xff"), "+/8=");
  EXPECT_EQ(Base64Url("\xfb\xff"), "-_8");
  EXPECT_EQ(*FromBase64("+/8="), "\xfb\xff");
  EXPECT_EQ(*FromBase64("-_8"), "\xfb\xff");
  EXPECT_EQ(*FromBase64("Zm9v"), "foo");
  EXPECT_TRUE(IsError(FromBase64("Zm9v!"), ErrorCode::kInvalidArgument, "seal.bad_base64"));
  EXPECT_TRUE(IsError(FromBase64("Z"), ErrorCode::kInvalidArgument, "seal.bad_base64"));
  EXPECT_EQ(*ParseSignAlg("SM2-SM3"), SignAlg::kSm2Sm3);
  EXPECT_EQ(*ParseSignAlg(SignAlgCode(SignAlg::kEd25519)), SignAlg::kEd25519);
  EXPECT_TRUE(IsError(ParseSignAlg("RSA"), ErrorCode::kInvalidArgument, "seal.bad_alg"));
}

}  // namespace
}  // namespace onestop::seal
