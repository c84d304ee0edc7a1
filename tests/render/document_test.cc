// RenderPdf: A4 documents with Chinese text that stays extractable, a QR code and a watermark.
#include "render/document.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "testutil/matchers.h"

namespace onestop::render {
namespace {

using ::testing::HasSubstr;
using testutil::IsError;

Document Sample() {
  Document d;
  d.title = "有无房产证明";
  d.number_line = "编号：ZM202611270001";
  d.paragraphs = {
      "经查询长沙市不动产登记信息，截至2026年11月27日，张三（公民身份号码：430104199001011234）"
      "在长沙市范围内无登记在册的住房。"};
  d.fields = {{"姓名", "张三"}, {"公民身份号码", "430104199001011234"}, {"事由", "申请公租房"}};
  d.closing = {"特此证明。"};
  d.issuer_name = "长沙市不动产登记中心";
  d.issued_date = "2026年11月27日";
  d.seal = SealMark{"长沙市不动产登记中心", "证明专用章"};
  d.qr_text = "https://onestop.example/verify?code=ABCDEFGHJKMNPQRS";
  d.verification_code = "ABCDEFGHJKMNPQRS";
  d.footer = "可登录 OneStop 或扫描二维码核验本证明";
  return d;
}

std::string Shell(const std::string& cmd) {
  std::string out;
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(cmd.c_str(), "r"), pclose);
  if (!pipe) return out;
  std::array<char, 4096> buf{};
  while (std::size_t n = std::fread(buf.data(), 1, buf.size(), pipe.get()))
    out.append(buf.data(), n);
  return out;
}

bool HavePdfToText() { return std::system("command -v pdftotext >/dev/null 2>&1") == 0; }

std::filesystem::path Write(const std::string& name, const std::string& bytes) {
  std::filesystem::path p = std::filesystem::temp_directory_path() / name;
  std::ofstream(p, std::ios::binary) << bytes;
  return p;
}

TEST(RenderPdfTest, WritesOnePageWithExtractableChineseText) {
  Result<std::string> pdf = RenderPdf(Sample());
  ASSERT_TRUE(pdf.has_value()) << pdf.error().message;
  EXPECT_EQ(pdf->rfind("%PDF-", 0), 0u);
  EXPECT_LT(pdf->size(), 400u * 1024);  // one CJK face, subset
  EXPECT_THAT(*pdf, HasSubstr("/Count 1"));
  EXPECT_THAT(*pdf, HasSubstr("NotoSerifCJK"));  // the embedded face subset
  if (!HavePdfToText()) GTEST_SKIP() << "pdftotext (poppler-utils) is not installed";
  std::filesystem::path p = Write("onestop_render_test.pdf", *pdf);
  std::string text = Shell("pdftotext -layout " + p.string() + " -");
  EXPECT_THAT(text, HasSubstr("有无房产证明"));
  EXPECT_THAT(text, HasSubstr("公民身份号码"));
  EXPECT_THAT(text, HasSubstr("长沙市不动产登记中心"));
  EXPECT_THAT(text, HasSubstr("ABCDEFGHJKMNPQRS"));
  EXPECT_THAT(text, HasSubstr("特此证明"));
}

TEST(RenderPdfTest, LongTablesFlowOntoMorePagesAndTheWatermarkIsOnEach) {
  Document d = Sample();
  d.watermark = "此件由长沙市不动产登记中心提供，仅供办理公租房申请使用，有效期至2026年12月27日";
  d.header_note = d.watermark;
  for (int i = 0; i < 60; ++i) d.fields.push_back({"字段" + std::to_string(i), "值"});
  Result<std::string> pdf = RenderPdf(d);
  ASSERT_TRUE(pdf.has_value()) << pdf.error().message;
  EXPECT_THAT(*pdf, ::testing::Not(HasSubstr("/Count 1\n")));
  if (!HavePdfToText()) GTEST_SKIP() << "pdftotext (poppler-utils) is not installed";
  std::filesystem::path p = Write("onestop_render_long.pdf", *pdf);
  std::string info = Shell("pdfinfo " + p.string());
  EXPECT_THAT(info, ::testing::ContainsRegex("Pages: +[2-9]"));
  std::string last = Shell("pdftotext -f 2 -l 9 " + p.string() + " -");
  EXPECT_THAT(last, HasSubstr("字段59"));
  EXPECT_THAT(last, HasSubstr("仅供办理公租房申请使用"));
}

TEST(RenderPdfTest, RefusesAnEmptyTitleAndAnOversizedQrText) {
  Document d = Sample();
  d.title = "";
  EXPECT_TRUE(IsError(RenderPdf(d), ErrorCode::kInvalidArgument, "render.empty_title"));
  d = Sample();
  d.qr_text = std::string(3000, 'A');
  EXPECT_TRUE(IsError(RenderPdf(d), ErrorCode::kInvalidArgument, "render.qr_too_long"));
}

}  // namespace
}  // namespace onestop::render
