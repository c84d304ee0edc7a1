// onestop catalog import FILE / catalog export [FILE]: the catalogue (事项, 一件事) in the JSON
// exchange format (docs/catalog-format.md), for bulk set-up. Import is all or nothing and names
// the line of every problem.
#include <fstream>
#include <iostream>
#include <sstream>

#include "app/commands/commands.h"
#include "app/wiring.h"
#include "catalog/catalog_service.h"

namespace onestop::app {
namespace {

Result<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return InvalidArgument("catalog.file_unreadable", "无法读取文件 " + path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// Import errors already carry "第 L 行 <path>：…": print them one per line as they are.
int FailImport(const Error& error) {
  std::cerr << "错误：" << error.message << "\n";
  if (error.reason == "catalog.invalid_import") {
    for (const FieldError& f : error.fields) std::cerr << "  " << f.message << "\n";
  } else {
    for (const FieldError& f : error.fields) {
      std::cerr << "  - " << f.field << "：" << f.message << "\n";
    }
  }
  std::cerr << "（" << ErrorCodeName(error.code) << " " << error.reason << "）\n";
  return 1;
}

int Import(const GlobalFlags& global, const std::string& path) {
  Result<std::string> text = ReadFile(path);
  if (!text.has_value()) return FailImport(text.error());
  Result<std::unique_ptr<App>> app = LoadApp(global);
  if (!app.has_value()) return FailImport(app.error());
  Result<catalog::ImportReport> r = (*app)->catalog.Import(identity::Principal::System(), *text);
  if (!r.has_value()) return FailImport(r.error());
  std::cout << "导入完成：事项 新增 " << r->items_new << "、新版本 " << r->items_new_version
            << "、未变 " << r->items_unchanged << "；一件事 新增 " << r->bundles_new << "、新版本 "
            << r->bundles_new_version << "、未变 " << r->bundles_unchanged << "\n";
  return 0;
}

Result<void> Export(const GlobalFlags& global, const std::string& path) {
  ASSIGN_OR_RETURN(std::unique_ptr<App> app, LoadApp(global));
  ASSIGN_OR_RETURN(std::string text, app->catalog.Export(identity::Principal::System()));
  if (path.empty() || path == "-") {
    std::cout << text;
    return Ok();
  }
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (!out) return Unavailable("catalog.file_unwritable", "无法写入文件 " + path);
  std::cerr << "已导出到 " << path << "\n";
  return Ok();
}

}  // namespace

void AddCatalogCommand(CLI::App& cli, GlobalFlags& global, int& exit_code) {
  CLI::App* cat = cli.add_subcommand("catalog", "事项目录与一件事的导入导出");
  cat->require_subcommand(1);

  auto import_path = std::make_shared<std::string>();
  CLI::App* import = cat->add_subcommand(
      "import", "导入交换文件（docs/catalog-format.md）；全部有效才写入，错误注明行号");
  import->add_option("FILE", *import_path, "JSON 文件")->required();
  import->callback(
      [&global, &exit_code, import_path] { exit_code = Import(global, *import_path);
});

auto export_path = std::make_shared<std::string>();
CLI::App* exp =
    cat->add_subcommand("export", "导出当前全部事项与一件事（省略 FILE 则输出到标准输出）");
exp->add_option("FILE", *export_path, "输出文件");
exp->callback([&global, &exit_code, export_path] {
  exit_code = ExitCode(Export(global, *export_path));
});
}  // namespace onestop::app

}  // namespace onestop::app
