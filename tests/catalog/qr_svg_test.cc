// QR codes for guide pages: the right version for the content, and an SVG whose dark squares are
// exactly the code's modules inside a 4-module quiet zone.
#include "catalog/qr_svg.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <regex>

#include "testutil/matchers.h"

namespace onestop::catalog {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;
using testutil::IsError;

TEST(QrTest, VersionGrowsWithTheContentAtLevelM) {
  // Byte-mode capacities at level M: version 1 holds 14 bytes, 2 holds 26, 4 holds 62.
  EXPECT_EQ(EncodeQr(std::string(14, 'a'))->version, 1);
  EXPECT_EQ(EncodeQr(std::string(14, 'a'))->size, 21);
  EXPECT_EQ(EncodeQr(std::string(15, 'a'))->version, 2);
  EXPECT_EQ(EncodeQr(std::string(15, 'a'))->size, 25);
  Result<QrCode> url =
      EncodeQr("https://zwfw.hunan.gov.cn/guide/item/11450721MB155808114000104002000");
  ASSERT_TRUE(url.has_value());
  EXPECT_EQ(url->version, 5);  // 68 bytes: over 62 (v4), within 84 (v5)
  EXPECT_EQ(url->size, 37);
  EXPECT_EQ(EncodeQr(std::string(2331, 'x'))->version, 40);
  EXPECT_TRUE(IsError(EncodeQr(std::string(2332, 'x')), ErrorCode::kInvalidArgument,
                      "catalog.qr_too_long"));
  EXPECT_TRUE(EncodeQr("出生一件事").has_value());  // UTF-8 bytes
}

TEST(QrTest, FinderPatternsAreInTheThreeCorners) {
  Result<QrCode> qr = EncodeQr("HELLO");
  ASSERT_TRUE(qr.has_value());
  const int s = qr->size;
  for (auto [ox, oy] : {std::pair{0, 0}, std::pair{s - 7, 0}, std::pair{0, s - 7}}) {
    for (int y = 0; y < 7; ++y) {
      for (int x = 0; x < 7; ++x) {
        // Dark ring, light ring, dark 3×3 core.
        const bool ring = x == 0 || x == 6 || y == 0 || y == 6;
        const bool core = x >= 2 && x <= 4 && y >= 2 && y <= 4;
        EXPECT_EQ(qr->At(ox + x, oy + y), ring || core) << ox << "," << oy << " " << x << "," << y;
      }
    }
  }
  EXPECT_FALSE(qr->At(s - 1, s - 1) && qr->At(s - 7, s - 7) && qr->At(s - 1, s - 7) &&
               qr->At(s - 7, s - 1));  // no fourth finder
}

TEST(QrTest, TheSvgDrawsExactlyTheDarkModulesInsideAQuietZone) {
  const std::string text = "https://example.gov.cn/guide/bundle/birth";
  Result<QrCode> qr = EncodeQr(text);
  Result<std::string> svg = QrSvg(text, 5);
  ASSERT_TRUE(qr.has_value() && svg.has_value());
  const int side = qr->size + 8;
  EXPECT_THAT(*svg, StartsWith("<svg xmlns=\"http://www.w3.org/2000/svg\""));
  EXPECT_THAT(
      *svg, HasSubstr("viewBox=\"0 0 " + std::to_string(side) + " " + std::to_string(side) + "\""));
  EXPECT_THAT(*svg, HasSubstr("width=\"" + std::to_string(side * 5) + "\""));
  EXPECT_THAT(*svg, HasSubstr("shape-rendering=\"crispEdges\""));
  EXPECT_TRUE(svg->ends_with("</svg>\n"));
  EXPECT_EQ(svg->find('&'), std::string::npos);  // nothing to escape: the text is not in it

  // Paint the path back onto a grid and compare with the modules.
  const std::string d =
      std::regex_replace(*svg, std::regex("[\\s\\S]* d=\"([^\"]*)\"[\\s\\S]*"), "$1");
  std::vector<bool> painted(static_cast<std::size_t>(side * side), false);
  std::regex run("M(\\d+) (\\d+)h(\\d+)v1h-(\\d+)z");
  std::size_t runs = 0;
  for (auto it = std::sregex_iterator(d.begin(), d.end(), run); it != std::sregex_iterator();
       ++it, ++runs) {
    const int x = std::stoi((*it)[1]), y = std::stoi((*it)[2]), w = std::stoi((*it)[3]);
    ASSERT_EQ(w, std::stoi((*it)[4]));
    for (int k = 0; k < w; ++k) {
      ASSERT_FALSE(painted[static_cast<std::size_t>(y * side + x + k)]) << "overlap";
      painted[static_cast<std::size_t>(y * side + x + k)] = true;
    }
  }
  EXPECT_GT(runs, 0u);
  for (int y = 0; y < side; ++y) {
    for (int x = 0; x < side; ++x) {
      const bool inside = x >= 4 && y >= 4 && x < side - 4 && y < side - 4;
      const bool expected = inside && qr->At(x - 4, y - 4);
      ASSERT_EQ(painted[static_cast<std::size_t>(y * side + x)], expected) << x << "," << y;
    }
  }
}

TEST(QrTest, SvgOfTooLongTextIsAnError) {
  EXPECT_TRUE(
      IsError(QrSvg(std::string(3000, 'x')), ErrorCode::kInvalidArgument, "catalog.qr_too_long"));
}

}  // namespace
}  // namespace onestop::catalog
