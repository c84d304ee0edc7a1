// onestop seal: the master key, seals and their keys from the command line, and signing or
// verifying a file — what a third party checks with the `openssl` command (docs/SEALS.md).
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "app/commands/commands.h"
#include "app/wiring.h"

namespace onestop::app {
namespace {

struct SealFlags {
  std::optional<std::string> master_key_file;
  std::string out;
  std::string in;
  std::string department;
  std::string name;
  std::string maker;
  std::string seal_id;
  std::string key_id;
  std::string pub;
  std::string sig;
  std::string pub_out;
  bool ed25519 = false;
};

Result<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Unavailable("app.file_read", "无法读取文件 " + path);
  std::ostringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

Result<void> WriteFile(const std::string& path, std::string_view bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out) return Unavailable("app.file_write", "无法写入文件 " + path);
  return Ok();
}

// The App with the master key of --master-key-file, else of the configuration / environment.
Result<std::unique_ptr<App>> LoadSealApp(const GlobalFlags& global, const SealFlags& f) {
  ASSIGN_OR_RETURN(Config config, LoadConfig(global));
  if (f.master_key_file) config.master_key_file = *f.master_key_file;
  return BuildApp(config, SystemClock::Instance());
}

// A department by code ("HN-CS-XSPJ") or id.
Result<std::string> DepartmentId(App& app, const std::string& code_or_id) {
  Result<identity::Department> by_code = app.identity.departments.GetByCode(code_or_id);
  if (by_code.has_value()) return by_code->id;
  ASSIGN_OR_RETURN(identity::Department d,
                   app.identity.departments.Get(identity::Principal::System(), code_or_id));
  return d.id;
}

void PrintSeal(const seal::Seal& s) {
  std::cout << "印章 " << s.id << " " << s.name << "（" << s.department_name << "）\n";
  for (const seal::SealKey& k : s.keys) {
    std::cout << "  密钥 " << k.key_id << " " << seal::SignAlgCode(k.alg)
              << (k.retired_at_ms ? " 已停用（仍可验签）" : " 在用") << "\n";
  }
}

seal::SignAlg AlgOf(const SealFlags& f) {
  return f.ed25519 ? seal::SignAlg::kEd25519 : seal::SignAlg::kSm2Sm3;
}

Result<void> InitMasterKey(const SealFlags& f) {
  ASSIGN_OR_RETURN([[maybe_unused]] seal::MasterKey key, seal::MasterKey::Generate(f.out));
  std::cout << "已生成主密钥 " << f.out << "（权限 0600，请妥善备份：丢失后印章私钥无法解开）\n";
  return Ok();
}

Result<void> Create(const GlobalFlags& global, const SealFlags& f) {
  ASSIGN_OR_RETURN(std::unique_ptr<App> app, LoadSealApp(global, f));
  ASSIGN_OR_RETURN(std::string dept, DepartmentId(*app, f.department));
  seal::NewSeal s{dept, f.name, f.maker, 0, f.ed25519};
  ASSIGN_OR_RETURN(seal::Seal created, app->seals.Create(identity::Principal::System(), s));
  PrintSeal(created);
  return Ok();
}

Result<void> Rotate(const GlobalFlags& global, const SealFlags& f) {
  ASSIGN_OR_RETURN(std::unique_ptr<App> app, LoadSealApp(global, f));
  ASSIGN_OR_RETURN(seal::Seal rotated, app->seals.Rotate(identity::Principal::System(), f.seal_id));
  PrintSeal(rotated);
  return Ok();
}

Result<void> ExportKey(const GlobalFlags& global, const SealFlags& f) {
  ASSIGN_OR_RETURN(std::unique_ptr<App> app, LoadSealApp(global, f));
  ASSIGN_OR_RETURN(seal::SealKey key, app->seals.PublicKey(f.key_id));
  RETURN_IF_ERROR(WriteFile(f.out, key.public_key_pem));
  std::cout << "已导出公钥 " << key.key_id << "（" << seal::SignAlgCode(key.alg) << "）到 " << f.out
            << "\n";
  return Ok();
}

Result<void> SignFile(const GlobalFlags& global, const SealFlags& f) {
  ASSIGN_OR_RETURN(std::unique_ptr<App> app, LoadSealApp(global, f));
  ASSIGN_OR_RETURN(std::string dept, DepartmentId(*app, f.department));
  ASSIGN_OR_RETURN(std::string data, ReadFile(f.in));
  ASSIGN_OR_RETURN(seal::SealSignature sig, store::Transact(*app->db, [&](store::Tx& tx) {
                     return app->seals.Sign(tx, dept, data, AlgOf(f));
                   }));
  RETURN_IF_ERROR(WriteFile(f.out, sig.signature));
  if (!f.pub_out.empty()) {
    ASSIGN_OR_RETURN(seal::SealKey key, app->seals.PublicKey(sig.key_id));
    RETURN_IF_ERROR(WriteFile(f.pub_out, key.public_key_pem));
  }
  std::cout << sig.key_id << "\n";
  return Ok();
}

// Offline: a bare public key, no database (the reverse interop check: openssl signs).
Result<void> VerifyFile(const SealFlags& f) {
  ASSIGN_OR_RETURN(std::string pem, ReadFile(f.pub));
  ASSIGN_OR_RETURN(std::string data, ReadFile(f.in));
  ASSIGN_OR_RETURN(std::string sig, ReadFile(f.sig));
  RETURN_IF_ERROR(seal::VerifyWithPublicKeyPem(pem, AlgOf(f), data, sig));
  std::cout << "签名有效（" << seal::SignAlgCode(AlgOf(f)) << "）\n";
  return Ok();
}

}  // namespace

void AddSealCommand(CLI::App& cli, GlobalFlags& global, int& exit_code) {
  CLI::App* cmd = cli.add_subcommand("seal", "电子印章：主密钥、印章与密钥、文件签名与验签");
  cmd->require_subcommand(1);
  auto f = std::make_shared<SealFlags>();
  auto key_file = [f](CLI::App* sub) {
    sub->add_option("--master-key-file", f->master_key_file,
                    "主密钥文件（否则用配置 master_key_file 或环境变量 ONESTOP_MASTER_KEY）");
  };

  CLI::App* init = cmd->add_subcommand("init-master-key", "生成新的主密钥文件（权限 0600）");
  init->add_option("--out", f->out, "主密钥文件路径（已存在则不覆盖）")->required();
  init->callback([&exit_code, f] { exit_code = ExitCode(InitMasterKey(*f)); });

  CLI::App* create = cmd->add_subcommand("create", "为部门制作电子印章（SM2 密钥对）");
  create->add_option("--department", f->department, "部门编码或 ID")->required();
  create->add_option("--name", f->name, "印章名称，如 ××局电子证照专用章")->required();
  create->add_option("--maker", f->maker, "制章者（默认为该部门）");
  create->add_flag("--ed25519", f->ed25519, "另加 Ed25519 密钥（W3C VC 导出用）");
  key_file(create);
  create->callback([&global, &exit_code, f] { exit_code = ExitCode(Create(global, *f)); });

  CLI::App* rotate = cmd->add_subcommand("rotate", "轮换印章密钥（旧密钥停用但仍可验签）");
  rotate->add_option("--seal", f->seal_id, "印章编号，如 ES430104000001")->required();
  key_file(rotate);
  rotate->callback([&global, &exit_code, f] { exit_code = ExitCode(Rotate(global, *f)); });

  CLI::App* exp = cmd->add_subcommand("export-key", "导出公钥（PEM）");
  exp->add_option("--key-id", f->key_id, "密钥编号，如 ES430104000001-k1")->required();
  exp->add_option("--out", f->out, "输出文件")->required();
  exp->callback([&global, &exit_code, f] { exit_code = ExitCode(ExportKey(global, *f)); });

  CLI::App* sign = cmd->add_subcommand("sign-file", "用部门在用印章签名文件（输出原始签名）");
  sign->add_option("--department", f->department, "部门编码或 ID")->required();
  sign->add_option("--in", f->in, "要签名的文件")->required();
  sign->add_option("--out", f->out, "签名输出（SM2 为 DER，Ed25519 为 64 字节）")->required();
  sign->add_option("--pub-out", f->pub_out, "同时导出签名密钥的公钥（PEM）");
  sign->add_flag("--ed25519", f->ed25519, "用 Ed25519 密钥签名");
  key_file(sign);
  sign->callback([&global, &exit_code, f] { exit_code = ExitCode(SignFile(global, *f)); });

  CLI::App* verify = cmd->add_subcommand("verify-file", "用公钥（PEM）验证文件签名（离线）");
  verify->add_option("--pub", f->pub, "公钥 PEM 文件")->required();
  verify->add_option("--in", f->in, "原文文件")->required();
  verify->add_option("--sig", f->sig, "签名文件")->required();
  verify->add_flag("--ed25519", f->ed25519, "Ed25519 签名");
  verify->callback([&exit_code, f] { exit_code = ExitCode(VerifyFile(*f)); });
}

}  // namespace onestop::app
