#include "proof_fixture.h"

namespace onestop::proofs::testing {

namespace {

void Exec(store::Db& db, const std::string& sql, const std::vector<store::Value>& params) {
  Result<std::int64_t> r = store::Transact(db, [&](store::Tx& tx) { return tx.Exec(sql, params); });
  ASSERT_TRUE(r.has_value()) << r.error().message;
}

void AddDepartment(store::Db& db, const std::string& id, const std::string& name) {
  Exec(db,
       "INSERT INTO identity_department (id, code, name, parent_id, region_code, level, path, "
       "created_at_ms, updated_at_ms) VALUES (?, ?, ?, NULL, '430104', 'county', ?, 0, 0)",
       {id, id, name, "/" + id + "/"});
}

void AddPerson(store::Db& db, const std::string& id, const std::string& name,
               const std::string& id_number) {
  Exec(db,
       "INSERT INTO identity_person (id, name, id_number, phone, gender, birth_date, "
       "region_code, created_by, created_at_ms, updated_at_ms) VALUES (?, ?, ?, '', '男', "
       "'1990-01-01', '430104', 'test', 0, 0)",
       {id, name, id_number});
}

}  // namespace

void ProofFixture::SetUp() {
  ONESTOP_CREATE_TEST_DB(t_, GetParam());
  t_->clock().Set(testutil::kTestNowMs);
  audit_ = std::make_unique<audit::AuditLog>(t_->clock());
  Result<seal::MasterKey> key = seal::MasterKey::FromHex(std::string(64, '7'));
  ASSERT_TRUE(key.has_value());
  seals_ = std::make_unique<seal::SealService>(t_->db(), t_->clock(), *audit_, *key);
  proofs_ = std::make_unique<ProofService>(t_->db(), t_->clock(), *audit_, *seals_,
                                           ProofServiceOptions{"https://verify.example"});
  AddDepartment(t_->db(), kHousing, "长沙市不动产登记中心");
  AddDepartment(t_->db(), kPolice, "长沙市公安局岳麓分局");
  AddPerson(t_->db(), kZhang, "张小三", kZhangId);
  AddPerson(t_->db(), kLi, "李四", kLiId);
  identity::Principal admin = identity::Principal::System();
  for (const char* dept : {kHousing, kPolice}) {
    seal::NewSeal s;
    s.department_id = dept;
    s.name = std::string(dept == std::string(kHousing) ? "长沙市不动产登记中心"
                                                       : "长沙市公安局岳麓分局") +
             "证明专用章";
    s.maker = "长沙市数据资源局";
    Result<seal::Seal> made = seals_->Create(admin, s);
    ASSERT_TRUE(made.has_value()) << made.error().message;
  }

  ProofType house;
  house.code = "no_property";
  house.name = "有无房产证明";
  house.department_id = kHousing;
  house.mode = ProofMode::kInstant;
  house.register_code = "property";
  house.body_template =
      "经查询{{register.name}}信息，截至{{register.asOf}}，{{holder.name}}（{{holder.codeType}}："
      "{{holder.code}}）在长沙市{{data.properties.exists}}登记在册的房产。\n特此证明。";
  house.fields = {{"姓名", "{{holder.name}}"},
                  {"公民身份号码", "{{holder.code}}"},
                  {"有无房产", "{{data.properties.exists}}"},
                  {"房产套数", "{{data.properties.count}}"},
                  {"房产坐落", "{{data.properties.list}}"}};
  house.validity_days = 30;
  Result<ProofType> t1 = proofs_->DefineType(admin, house);
  ASSERT_TRUE(t1.has_value()) << t1.error().message;

  ProofType hukou;
  hukou.code = "household";
  hukou.name = "户籍证明";
  hukou.department_id = kPolice;
  hukou.mode = ProofMode::kOnline;
  hukou.body_template =
      "兹证明{{holder.name}}（公民身份号码：{{holder.code}}）户籍登记地址为"
      "{{input.address}}。\n特此证明。";
  hukou.fields = {{"姓名", "{{holder.name}}"}, {"户籍地址", "{{input.address}}"}};
  hukou.inputs = {{"address", "户籍地址", true}};
  hukou.validity_days = 90;
  Result<ProofType> t2 = proofs_->DefineType(admin, hukou);
  ASSERT_TRUE(t2.has_value()) << t2.error().message;

  RegisterRecord owns;
  owns.register_code = "property";
  owns.register_name = "不动产登记";
  owns.subject_code_type = "111";
  owns.subject_code = kZhangId;
  owns.data_json = R"({"properties":[{"location":"岳麓区麓山南路1号3栋502","area":"89.5㎡"}]})";
  owns.source_department_id = kHousing;
  owns.as_of = "2026-11-26";
  ASSERT_TRUE(proofs_->PutRecord(admin, owns).has_value());
  RegisterRecord none = owns;
  none.subject_code = kLiId;
  none.data_json = R"({"properties":[]})";
  ASSERT_TRUE(proofs_->PutRecord(admin, none).has_value());
}

std::string ProofFixture::StatusOf(const std::string& proof_id) {
  Result<store::Row> r = store::Read(t_->db(), [&](store::Tx& tx) {
    return tx.QueryOne("SELECT status FROM proof WHERE id = ?", {proof_id}, "x", "x");
  });
  return r.has_value() ? r->Text(0) : "";
}

}  // namespace onestop::proofs::testing
