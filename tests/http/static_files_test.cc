#include "http/static_files.h"

#include <gtest/gtest.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <boost/json/parse.hpp>
#include <filesystem>
#include <fstream>

namespace onestop::http {
namespace {
namespace fs = std::filesystem;

void WriteFile(const fs::path& path, std::string_view content) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << content;
}

class StaticFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    spdlog::set_level(spdlog::level::warn);
    base_ = fs::temp_directory_path() /
            ("onestop_static_" + std::to_string(::getpid()) + "_" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(base_);
    root_ = base_ / "dist";
    WriteFile(root_ / "index.html", "<!doctype html><title>一网通办</title>");
    WriteFile(root_ / "assets" / "index-3f2a9c.js", "console.log(1)");
    WriteFile(root_ / "assets" / "index-77aa.css", "body{}");
    WriteFile(root_ / "favicon.ico", "ico");
    WriteFile(base_ / "secret.txt", "top secret");
    handler_ = MakeStaticHandler(root_.string());
  }
  void TearDown() override { fs::remove_all(base_); }

  Response Get(std::string target, std::string method = "GET") {
    Request r;
    r.method = std::move(method);
    r.target = std::move(target);
    EXPECT_TRUE(ParseTarget(r).has_value()) << r.target;
    for (const auto& [k, v] : extra_headers_) r.headers[k] = v;
    Result<Response> res = handler_(r);
    EXPECT_TRUE(res.has_value());
    return res.has_value() ? *res : Response{};
  }

  std::string Reason(const Response& r) {
    return std::string(boost::json::parse(r.body).at("error").at("reason").as_string());
  }

  fs::path base_;
  fs::path root_;
  RawHandler handler_;
  std::map<std::string, std::string> extra_headers_;
};

TEST_F(StaticFilesTest, RootServesIndexWithNoCache) {
  Response r = Get("/");
  EXPECT_EQ(r.status, 200);
  ASSERT_TRUE(r.file_path.has_value());
  EXPECT_EQ(fs::path(*r.file_path), root_ / "index.html");
  EXPECT_EQ(r.content_type, "text/html; charset=utf-8");
  EXPECT_EQ(r.Header("Cache-Control"), "no-cache");
  EXPECT_FALSE(r.Header("ETag").empty());
  EXPECT_NE(r.Header("Last-Modified").find(" GMT"), std::string::npos);
  EXPECT_EQ(r.Header("X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(Get("/index.html").file_path, r.file_path);
}

TEST_F(StaticFilesTest, HashedAssetsAreImmutable) {
  Response js = Get("/assets/index-3f2a9c.js");
  EXPECT_EQ(js.status, 200);
  EXPECT_EQ(fs::path(*js.file_path), root_ / "assets" / "index-3f2a9c.js");
  EXPECT_EQ(js.content_type, "text/javascript; charset=utf-8");
  EXPECT_EQ(js.Header("Cache-Control"), "public, max-age=31536000, immutable");
  EXPECT_EQ(Get("/assets/index-77aa.css").content_type, "text/css; charset=utf-8");
  Response ico = Get("/favicon.ico");
  EXPECT_EQ(ico.content_type, "image/x-icon");
  EXPECT_EQ(ico.Header("Cache-Control"), "no-cache");  // not hashed: revalidate
}

TEST_F(StaticFilesTest, IfNoneMatchGives304) {
  const std::string etag = Get("/assets/index-3f2a9c.js").Header("ETag");
  for (std::string inm : {etag, "\"other\", " + etag, "W/" + etag, std::string("*")}) {
    extra_headers_ = {{"If-None-Match", inm}};
    Response r = Get("/assets/index-3f2a9c.js");
    EXPECT_EQ(r.status, 304) << inm;
    EXPECT_FALSE(r.file_path.has_value());
    EXPECT_TRUE(r.body.empty());
    EXPECT_EQ(r.Header("ETag"), etag);
    EXPECT_EQ(r.Header("Cache-Control"), "public, max-age=31536000, immutable");
  }
  extra_headers_ = {{"If-None-Match", "\"stale\""}};
  EXPECT_EQ(Get("/assets/index-3f2a9c.js").status, 200);
}

TEST_F(StaticFilesTest, IfModifiedSinceGives304UnlessNewer) {
  const std::string last_modified = Get("/").Header("Last-Modified");
  extra_headers_ = {{"If-Modified-Since", last_modified}};
  EXPECT_EQ(Get("/").status, 304);
  extra_headers_ = {{"If-Modified-Since", "Sun, 06 Nov 1994 08:49:37 GMT"}};
  EXPECT_EQ(Get("/").status, 200);
  // If-None-Match wins over If-Modified-Since (RFC 9110 §13.1.3).
  extra_headers_ = {{"If-Modified-Since", last_modified}, {"If-None-Match", "\"stale\""}};
  EXPECT_EQ(Get("/").status, 200);
}

TEST_F(StaticFilesTest, ChangedFileGetsNewEtag) {
  const std::string before = Get("/").Header("ETag");
  WriteFile(root_ / "index.html", "<!doctype html><title>新版本 v2</title>");
  EXPECT_NE(Get("/").Header("ETag"), before);
}

TEST_F(StaticFilesTest, HistoryModeFallbackToIndex) {
  for (const char* path : {"/cases/123", "/login", "/admin/users/", "/assets"}) {
    Response r = Get(path);
    EXPECT_EQ(r.status, 200) << path;
    ASSERT_TRUE(r.file_path.has_value()) << path;
    EXPECT_EQ(fs::path(*r.file_path), root_ / "index.html") << path;
    EXPECT_EQ(r.Header("Cache-Control"), "no-cache");
  }
}

TEST_F(StaticFilesTest, MissingFileWithExtensionIs404) {
  for (const char* path : {"/assets/index-old.js", "/robots.txt", "/x/y.png"}) {
    Response r = Get(path);
    EXPECT_EQ(r.status, 404) << path;
    EXPECT_FALSE(r.file_path.has_value());
    EXPECT_EQ(Reason(r), "http.not_found");
  }
}

TEST_F(StaticFilesTest, PathTraversalIsBlocked) {
  for (const char* target :
       {"/../secret.txt", "/assets/../../secret.txt", "/%2e%2e/secret.txt", "/%2E%2E%2Fsecret.txt",
        "/assets/%2e%2e/%2e%2e/secret.txt", "//etc/passwd", "/..%5csecret.txt", "/./index.html"}) {
    Response r = Get(target);
    EXPECT_EQ(r.status, 404) << target;
    EXPECT_FALSE(r.file_path.has_value()) << target;
  }
}

TEST_F(StaticFilesTest, SymlinkOutOfRootIsBlocked) {
  fs::create_symlink(base_ / "secret.txt", root_ / "leak.txt");
  Response r = Get("/leak.txt");
  EXPECT_EQ(r.status, 404);
  EXPECT_FALSE(r.file_path.has_value());
}

TEST_F(StaticFilesTest, OtherMethodsAre405) {
  Response r = Get("/", "POST");
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(r.Header("Allow"), "GET, HEAD");
  EXPECT_EQ(Get("/", "HEAD").status, 200);
}

TEST_F(StaticFilesTest, NotBuiltPageWithoutIndex) {
  fs::remove(root_ / "index.html");
  for (const char* path : {"/", "/cases/1", "/assets/index-3f2a9c.js"}) {
    Response r = Get(path);
    EXPECT_EQ(r.status, 200);
    EXPECT_FALSE(r.file_path.has_value());
    EXPECT_EQ(r.content_type, "text/html; charset=utf-8");
    EXPECT_NE(r.body.find("网页界面尚未构建"), std::string::npos);
    EXPECT_NE(r.body.find("npm run build"), std::string::npos);
    EXPECT_EQ(r.Header("Cache-Control"), "no-store");
  }
  RawHandler missing_root = MakeStaticHandler((base_ / "does-not-exist").string());
  Request req;
  req.method = "GET";
  req.path = "/";
  EXPECT_NE(missing_root(req)->body.find("尚未构建"), std::string::npos);
}

TEST_F(StaticFilesTest, WorksAsRouterFallbackIncludingHead) {
  Router router;
  router.SetFallback(handler_);
  Request req;
  req.method = "HEAD";
  req.target = "/assets/index-3f2a9c.js";
  ASSERT_TRUE(ParseTarget(req).has_value());
  Response r = router.Handle(req);
  EXPECT_EQ(r.status, 200);
  EXPECT_TRUE(r.body.empty());
  EXPECT_TRUE(r.file_path.has_value());  // the server sends the file's length, no body
  EXPECT_FALSE(r.Header("X-Request-Id").empty());
}

TEST(ContentTypeTest, KnownExtensions) {
  EXPECT_EQ(ContentTypeForPath("a.html"), "text/html; charset=utf-8");
  EXPECT_EQ(ContentTypeForPath("a.JS"), "text/javascript; charset=utf-8");
  EXPECT_EQ(ContentTypeForPath("a.css"), "text/css; charset=utf-8");
  EXPECT_EQ(ContentTypeForPath("logo.svg"), "image/svg+xml");
  EXPECT_EQ(ContentTypeForPath("logo.png"), "image/png");
  EXPECT_EQ(ContentTypeForPath("favicon.ico"), "image/x-icon");
  EXPECT_EQ(ContentTypeForPath("font.woff2"), "font/woff2");
  EXPECT_EQ(ContentTypeForPath("data.json"), "application/json; charset=utf-8");
  EXPECT_EQ(ContentTypeForPath("index.js.map"), "application/json; charset=utf-8");
  EXPECT_EQ(ContentTypeForPath("archive.bin"), "application/octet-stream");
  EXPECT_EQ(ContentTypeForPath("noext"), "application/octet-stream");
}

}  // namespace
}  // namespace onestop::http
