#include "cases/blob_store.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "testutil/matchers.h"
#include "testutil/test_db.h"

namespace onestop::cases {
namespace {

using testutil::IsError;

const std::string kPdf = "%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF\n";
const std::string kPng = std::string("\x89PNG\r\n\x1A\n", 8) + "IHDR....";
const std::string kJpeg = std::string("\xFF\xD8\xFF\xE0", 4) + "JFIF";

TEST(BlobSniffTest, DecidesTheTypeByContentNotByName) {
  EXPECT_EQ(SniffContentType(kPdf), "application/pdf");
  EXPECT_EQ(SniffContentType(kPng), "image/png");
  EXPECT_EQ(SniffContentType(kJpeg), "image/jpeg");
  EXPECT_EQ(SniffContentType(std::string("PK\x03\x04", 4) + "....OFD.xml...."), "application/ofd");
  EXPECT_EQ(SniffContentType(std::string("PK\x03\x04", 4) + "word/document.xml"), "");
  EXPECT_EQ(SniffContentType("MZ\x90\x00 an executable"), "");
  EXPECT_EQ(SniffContentType("<html>"), "");
  EXPECT_EQ(SniffContentType(""), "");
}

TEST(BlobSniffTest, Sha256OfKnownInput) {
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

class BlobStoreTest : public ::testing::TestWithParam<store::Backend> {
 protected:
  void SetUp() override {
    ONESTOP_CREATE_TEST_DB(t_, GetParam());
    root_ = std::filesystem::temp_directory_path() /
            ("onestop-blobs-" + std::to_string(::getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(root_);
    store_ = std::make_unique<BlobStore>(t_->db(), t_->clock(), root_.string(), 1024);
    actor_.user_id = "U1";
  }
  void TearDown() override { std::filesystem::remove_all(root_); }

  std::size_t FilesOnDisk() {
    if (!std::filesystem::exists(root_)) return 0;
    std::size_t n = 0;
    for (const auto& e : std::filesystem::recursive_directory_iterator(root_)) {
      if (e.is_regular_file()) ++n;
    }
    return n;
  }

  std::unique_ptr<testutil::TestDb> t_;
  std::filesystem::path root_;
  std::unique_ptr<BlobStore> store_;
  identity::Principal actor_;
};

TEST_P(BlobStoreTest, StoresByContentHashAndReadsBack) {
  Result<BlobInfo> a = store_->Put(actor_, kPdf);
  ASSERT_TRUE(a.has_value()) << a.error().message;
  EXPECT_EQ(a->sha256, Sha256Hex(kPdf));
  EXPECT_EQ(a->content_type, "application/pdf");
  EXPECT_EQ(a->size, static_cast<std::int64_t>(kPdf.size()));
  EXPECT_TRUE(std::filesystem::exists(root_ / a->sha256.substr(0, 2) / a->sha256));
  Result<std::string> back = store_->Read(a->sha256);
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(*back, kPdf);
  // The same content again is the same blob: one row, one file.
  Result<BlobInfo> again = store_->Put(actor_, kPdf);
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->sha256, a->sha256);
  EXPECT_EQ(t_->Count("blob"), 1);
  EXPECT_EQ(FilesOnDisk(), 1u);
}

TEST_P(BlobStoreTest, RefusesEmptyOversizedAndUnknownContentAndStoresNothing) {
  EXPECT_TRUE(IsError(store_->Put(actor_, ""), ErrorCode::kInvalidArgument, "cases.blob_empty"));
  EXPECT_TRUE(IsError(store_->Put(actor_, "%PDF-" + std::string(2000, 'x')),
                      ErrorCode::kInvalidArgument, "cases.blob_too_large"));
  Result<BlobInfo> exe = store_->Put(actor_, "MZ this is not a document.pdf");
  ASSERT_TRUE(IsError(exe, ErrorCode::kInvalidArgument, "cases.blob_type"));
  EXPECT_NE(exe.error().message.find("PDF"), std::string::npos);
  EXPECT_EQ(t_->Count("blob"), 0);
  EXPECT_EQ(FilesOnDisk(), 0u);
}

TEST_P(BlobStoreTest, SignedOutUploadsAndUnknownHashesAreRefused) {
  EXPECT_TRUE(IsError(store_->Put(identity::Principal{}, kPdf), ErrorCode::kUnauthenticated,
                      "identity.unauthenticated"));
  EXPECT_TRUE(
      IsError(store_->Info(std::string(64, 'a')), ErrorCode::kNotFound, "cases.no_such_blob"));
  EXPECT_TRUE(
      IsError(store_->Info("../../etc/passwd"), ErrorCode::kNotFound, "cases.no_such_blob"));
}

INSTANTIATE_TEST_SUITE_P(Backends, BlobStoreTest, ::testing::ValuesIn(testutil::AllBackends()),
                         [](const auto& info) { return testutil::BackendParamName(info.param); });

}  // namespace
}  // namespace onestop::cases
