#include "tributary/delta/deletion_vector.h"

#include <gmock/gmock.h>
#include <roaring/roaring.h>
#include <zlib.h>

#include <fstream>

#include "delta_testing.h"
#include "tributary/delta/scan.h"
#include "tributary/delta/table.h"

namespace tributary::delta {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

void PutLittle32(std::string* out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out->push_back(static_cast<char>(v >> (8 * i)));
}
void PutLittle64(std::string* out, uint64_t v) {
  PutLittle32(out, static_cast<uint32_t>(v));
  PutLittle32(out, static_cast<uint32_t>(v >> 32));
}
void PutBig32(std::string* out, uint32_t v) {
  for (int i = 3; i >= 0; --i) out->push_back(static_cast<char>(v >> (8 * i)));
}

// A RoaringBitmapArray in Delta's portable serialization, built with CRoaring.
std::string SerializeRows(const std::vector<uint64_t>& rows) {
  std::map<uint32_t, std::vector<uint32_t>> buckets;
  for (uint64_t row : rows) buckets[static_cast<uint32_t>(row >> 32)].push_back(static_cast<uint32_t>(row));
  std::string out;
  PutLittle32(&out, 1681511377);
  PutLittle64(&out, buckets.size());
  for (const auto& [high, lows] : buckets) {
    PutLittle32(&out, high);
    roaring_bitmap_t* bitmap = roaring_bitmap_of_ptr(lows.size(), lows.data());
    roaring_bitmap_run_optimize(bitmap);
    std::string bytes(roaring_bitmap_portable_size_in_bytes(bitmap), '\0');
    roaring_bitmap_portable_serialize(bitmap, bytes.data());
    roaring_bitmap_free(bitmap);
    out += bytes;
  }
  return out;
}

// A DV file (format version 1) holding `bitmaps`; their offsets go to `offsets`.
std::string DvFile(const std::vector<std::string>& bitmaps, std::vector<int32_t>* offsets) {
  std::string out(1, '\x01');
  for (const std::string& bitmap : bitmaps) {
    offsets->push_back(static_cast<int32_t>(out.size()));
    PutBig32(&out, static_cast<uint32_t>(bitmap.size()));
    out += bitmap;
    PutBig32(&out, static_cast<uint32_t>(
                       crc32(0L, reinterpret_cast<const Bytef*>(bitmap.data()), static_cast<uInt>(bitmap.size()))));
  }
  return out;
}

std::string Padded(std::string bytes) {
  bytes.resize((bytes.size() + 3) / 4 * 4, '\0');
  return bytes;
}

DeletionVectorDescriptor Inline(const std::vector<uint64_t>& rows) {
  std::string bytes = SerializeRows(rows);
  return DeletionVectorDescriptor{"i", Z85Encode(Padded(bytes)), std::nullopt,
                                  static_cast<int32_t>(bytes.size()), static_cast<int64_t>(rows.size())};
}

class DeletionVectorTest : public ::testing::Test {
 protected:
  void Write(const std::string& name, const std::string& bytes) {
    std::ofstream(dir_.Join(name), std::ios::binary) << bytes;
  }
  testing::TempDir dir_;
  std::shared_ptr<io::FileSystem> fs_ = io::LocalFileSystem();
};

TEST(Z85, DecodesTheZeroMqTestVector) {
  ASSERT_OK_AND_ASSIGN(std::string bytes, Z85Decode("HelloWorld"));
  EXPECT_EQ(bytes, std::string("\x86\x4F\xD2\x6F\xB5\x59\xF7\x5B", 8));
  EXPECT_EQ(Z85Encode(bytes), "HelloWorld");
  EXPECT_TRUE(Z85Decode("Hello").ok());
  EXPECT_FALSE(Z85Decode("Hell").ok());
  EXPECT_FALSE(Z85Decode("Hell\"").ok());
}

TEST(DeletionVectorPath, DerivesTheProtocolExamplePaths) {
  DeletionVectorDescriptor relative{"u", "ab^-aqEH.-t@S}K{vb[*k^", 4, 40, 6};
  ASSERT_OK_AND_ASSIGN(std::string path, DeletionVectorFilePath("/data/mytable", relative));
  EXPECT_EQ(path, "/data/mytable/ab/deletion_vector_d2c639aa-8816-431a-aaf6-d3fe2512ff61.bin");
  relative.path_or_inline_dv = "^-aqEH.-t@S}K{vb[*k^";  // no random prefix
  ASSERT_OK_AND_ASSIGN(path, DeletionVectorFilePath("/data/mytable", relative));
  EXPECT_EQ(path, "/data/mytable/deletion_vector_d2c639aa-8816-431a-aaf6-d3fe2512ff61.bin");
  DeletionVectorDescriptor absolute{"p", "file:///other/deletion_vector_x.bin", 4, 40, 6};
  ASSERT_OK_AND_ASSIGN(path, DeletionVectorFilePath("/data/mytable", absolute));
  EXPECT_EQ(path, "/other/deletion_vector_x.bin");
  EXPECT_FALSE(DeletionVectorFilePath("/t", DeletionVectorDescriptor{"u", "short", 1, 1, 1}).ok());
}

TEST_F(DeletionVectorTest, ReadsTheProtocolInlineExample) {
  DeletionVectorDescriptor dv{"i", "wi5b=000010000siXQKl0rr91000f55c8Xg0@@D72lkbi5=-{L", std::nullopt, 40, 6};
  ASSERT_OK_AND_ASSIGN(auto rows, ReadDeletedRows(*fs_, dir_.path(), dv));
  EXPECT_THAT(rows, ElementsAre(3, 4, 7, 11, 18, 29));
}

TEST_F(DeletionVectorTest, ReadsInlineBitmapsOfAnySize) {
  // 5 rows serialize to a size that is not a multiple of 4: Z85 pads, sizeInBytes trims.
  std::vector<uint64_t> rows = {0, 2, 70000, 70001, 4294967296ull + 5};
  DeletionVectorDescriptor dv = Inline(rows);
  ASSERT_OK_AND_ASSIGN(auto read, ReadDeletedRows(*fs_, dir_.path(), dv));
  EXPECT_EQ(read, rows);
}

TEST_F(DeletionVectorTest, ReadsSeveralDvsOfOneFileAtTheirOffsets) {
  std::vector<uint64_t> first = {1, 5, 9};
  std::vector<uint64_t> second;
  for (uint64_t row = 100; row < 5000; ++row) second.push_back(row);  // a run container
  std::vector<int32_t> offsets;
  std::string file = DvFile({SerializeRows(first), SerializeRows(second)}, &offsets);
  Write("deletion_vector_d2c639aa-8816-431a-aaf6-d3fe2512ff61.bin", file);
  std::string uuid = "^-aqEH.-t@S}K{vb[*k^";
  DeletionVectorDescriptor a{"u", uuid, offsets[0], static_cast<int32_t>(SerializeRows(first).size()), 3};
  DeletionVectorDescriptor b{"u", uuid, offsets[1], static_cast<int32_t>(SerializeRows(second).size()),
                             static_cast<int64_t>(second.size())};
  ASSERT_OK_AND_ASSIGN(auto rows_a, ReadDeletedRows(*fs_, dir_.path(), a));
  ASSERT_OK_AND_ASSIGN(auto rows_b, ReadDeletedRows(*fs_, dir_.path(), b));
  EXPECT_EQ(rows_a, first);
  EXPECT_EQ(rows_b, second);
  DeletionVectorDescriptor absolute = a;
  absolute.storage_type = "p";
  absolute.path_or_inline_dv = "file://" + dir_.Join("deletion_vector_d2c639aa-8816-431a-aaf6-d3fe2512ff61.bin");
  ASSERT_OK_AND_ASSIGN(auto rows_p, ReadDeletedRows(*fs_, "/elsewhere", absolute));
  EXPECT_EQ(rows_p, first);
}

TEST_F(DeletionVectorTest, CorruptDvsAreErrorsNamingTheFile) {
  std::string bitmap = SerializeRows({1, 2, 3});
  std::vector<int32_t> offsets;
  std::string good = DvFile({bitmap}, &offsets);
  std::string uuid = "^-aqEH.-t@S}K{vb[*k^";
  std::string name = "deletion_vector_d2c639aa-8816-431a-aaf6-d3fe2512ff61.bin";
  DeletionVectorDescriptor dv{"u", uuid, 1, static_cast<int32_t>(bitmap.size()), 3};

  std::string bad_checksum = good;
  bad_checksum.back() ^= 0x01;
  Write(name, bad_checksum);
  Status status = ReadDeletedRows(*fs_, dir_.path(), dv).status();
  EXPECT_TRUE(status.IsCorruption()) << status.ToString();
  EXPECT_THAT(status.message(), HasSubstr(name));
  EXPECT_THAT(status.message(), HasSubstr("checksum"));

  std::string bad_magic = bitmap;
  bad_magic[2] ^= 0x01;
  offsets.clear();
  Write(name, DvFile({bad_magic}, &offsets));
  status = ReadDeletedRows(*fs_, dir_.path(), dv).status();
  EXPECT_TRUE(status.IsCorruption()) << status.ToString();
  EXPECT_THAT(status.message(), HasSubstr(name));
  EXPECT_THAT(status.message(), HasSubstr("magic"));

  Write(name, good);
  DeletionVectorDescriptor wrong_cardinality = dv;
  wrong_cardinality.cardinality = 4;
  status = ReadDeletedRows(*fs_, dir_.path(), wrong_cardinality).status();
  EXPECT_TRUE(status.IsCorruption());
  EXPECT_THAT(status.message(), HasSubstr("cardinality"));

  std::string bad_version = good;
  bad_version[0] = 2;
  Write(name, bad_version);
  status = ReadDeletedRows(*fs_, dir_.path(), dv).status();
  EXPECT_TRUE(status.IsCorruption());
  EXPECT_THAT(status.message(), HasSubstr("format version"));

  status = ReadDeletedRows(*fs_, dir_.path(), DeletionVectorDescriptor{"u", "zz" + uuid.substr(2), 1, 10, 1})
               .status();
  EXPECT_FALSE(status.ok());
}

// A table written by Tributary whose only file gets a DV by hand, as another writer's
// DELETE would: the scan leaves those rows out; a corrupt DV fails the scan.
TEST_F(DeletionVectorTest, ScanLeavesOutDeletedRows) {
  std::string table_path = dir_.Join("t");
  ASSERT_OK_AND_ASSIGN(auto table,
                       Table::Create(fs_, table_path, *testing::IdNameBatch(0, 1)->schema(), {}, {}));
  ASSERT_OK_AND_ASSIGN(auto append, table->NewAppend(AppendOptions{}));
  ASSERT_OK(append->Write(*testing::IdNameBatch(0, 10)));
  ASSERT_OK(append->Commit(std::nullopt));
  AddFile file = table->snapshot().files().at(0);

  auto commit_dv = [&](int64_t version, const AddFile& previous, const DeletionVectorDescriptor& dv) {
    RemoveFile remove{previous.path, 1, true, true, previous.partition_values, previous.size,
                      previous.deletion_vector_id, previous.deletion_vector};
    AddFile add = previous;
    add.deletion_vector = dv;
    add.deletion_vector_id = dv.UniqueId();
    std::vector<Action> actions = {Action(remove), Action(add)};
    if (version == 2) {
      actions.insert(actions.begin(),
                     Action(Protocol{3, 7, std::vector<std::string>{"deletionVectors"},
                                     std::vector<std::string>{"deletionVectors"}}));
    }
    std::ofstream(table_path + "/" + CommitFileName(version)) << CommitToJson(actions);
    return add;
  };
  auto rows = [&]() -> Result<std::vector<int64_t>> {
    TRIB_RETURN_NOT_OK(table->Refresh());
    std::vector<int64_t> ids;
    ScanOptions options;
    options.max_batch_rows = 4;
    TRIB_RETURN_NOT_OK(ScanTable(fs_, table_path, table->snapshot(), options, [&](columnar::RecordBatchPtr batch) {
      for (int64_t row = 0; row < batch->num_rows(); ++row) ids.push_back(batch->column(0)->Value<int64_t>(row));
      return Status::OK();
    }));
    return ids;
  };

  AddFile with_inline = commit_dv(2, file, Inline({0, 3, 4, 9}));
  ASSERT_OK_AND_ASSIGN(auto after_inline, rows());
  EXPECT_THAT(after_inline, ElementsAre(1, 2, 5, 6, 7, 8));
  ASSERT_EQ(table->snapshot().files().size(), 1u);

  std::vector<int32_t> offsets;
  std::string bitmap = SerializeRows({0, 1, 2, 3, 4, 9});
  std::string dv_file = DvFile({bitmap}, &offsets);
  Write("t/deletion_vector_d2c639aa-8816-431a-aaf6-d3fe2512ff61.bin", dv_file);
  commit_dv(3, with_inline,
            DeletionVectorDescriptor{"u", "^-aqEH.-t@S}K{vb[*k^", offsets[0], static_cast<int32_t>(bitmap.size()), 6});
  ASSERT_OK_AND_ASSIGN(auto after_file, rows());
  EXPECT_THAT(after_file, ElementsAre(5, 6, 7, 8));

  dv_file[dv_file.size() - 1] ^= 0x7F;
  Write("t/deletion_vector_d2c639aa-8816-431a-aaf6-d3fe2512ff61.bin", dv_file);
  Status corrupt = rows().status();
  EXPECT_TRUE(corrupt.IsCorruption()) << corrupt.ToString();
  EXPECT_THAT(corrupt.message(), HasSubstr("deletion_vector_d2c639aa-8816-431a-aaf6-d3fe2512ff61.bin"));
  EXPECT_THAT(corrupt.message(), HasSubstr(file.path));
}

}  // namespace
}  // namespace tributary::delta
