#include "tributary/format/parquet/thrift_compact_internal.h"

#include <gtest/gtest.h>

#include <string>

#include "tributary/format/parquet/metadata_internal.h"

namespace tributary::parquet::internal {
namespace {

std::string Hex(const std::string& bytes) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out.push_back(digits[c >> 4]);
    out.push_back(digits[c & 15]);
  }
  return out;
}

TEST(CompactWriterTest, ShortFieldHeadersCarryTheIdDelta) {
  std::string out;
  CompactWriter w(&out);
  w.BeginStruct();
  w.FieldI32(1, 5);    // delta 1, type i32: 0x15, zigzag(5) = 10
  w.FieldI64(3, -1);   // delta 2, type i64: 0x26, zigzag(-1) = 1
  w.FieldBool(4, true);   // delta 1, BOOLEAN_TRUE: 0x11
  w.FieldBool(5, false);  // delta 1, BOOLEAN_FALSE: 0x12
  w.EndStruct();
  EXPECT_EQ(Hex(out), "150a2601111200");
}

TEST(CompactWriterTest, LongFieldHeaderWhenTheDeltaExceeds15) {
  std::string out;
  CompactWriter w(&out);
  w.BeginStruct();
  w.FieldI32(20, 300);  // type byte 0x05, zigzag(20) = 40 = 0x28, zigzag(300) = 600 = 0xd8 0x04
  w.EndStruct();
  EXPECT_EQ(Hex(out), "0528d80400");
}

TEST(CompactWriterTest, BinaryListsAndNestedStructsRestoreFieldIds) {
  std::string out;
  CompactWriter w(&out);
  w.BeginStruct();
  w.FieldBinary(1, "ab");                       // 0x18 len 2 'a' 'b'
  w.FieldListBegin(2, ThriftType::kI32, 3);     // 0x19, 0x35
  w.I32(1);
  w.I32(-1);
  w.I32(64);                                    // zigzag 128 = 0x80 0x01
  w.FieldStructBegin(3);                        // 0x1c
  w.FieldI32(1, 0);                             // 0x15 0x00
  w.EndStruct();                                // 0x00
  w.FieldI32(4, 1);                             // delta from 3 to 4: 0x15 0x02
  w.EndStruct();
  EXPECT_EQ(Hex(out), "1802616219350201800" "11c1500001502" "00");
}

TEST(CompactWriterTest, LongListsUseTheExtendedSizeForm) {
  std::string out;
  CompactWriter w(&out);
  w.ListBegin(ThriftType::kBinary, 20);  // 0xf8, varint 20
  EXPECT_EQ(Hex(out), "f814");
}

TEST(CompactWriterTest, ZigZagMatchesTheSpec) {
  EXPECT_EQ(CompactWriter::ZigZag32(0), 0u);
  EXPECT_EQ(CompactWriter::ZigZag32(-1), 1u);
  EXPECT_EQ(CompactWriter::ZigZag32(1), 2u);
  EXPECT_EQ(CompactWriter::ZigZag32(INT32_MIN), 0xFFFFFFFFu);
  EXPECT_EQ(CompactWriter::ZigZag64(INT64_MAX), 0xFFFFFFFFFFFFFFFEull);
}

TEST(MetadataTest, DataPageHeaderEncoding) {
  PageHeader header;
  header.type = PageType::kDataPage;
  header.uncompressed_page_size = 100;
  header.compressed_page_size = 60;
  header.data_page.num_values = 10;
  header.data_page.encoding = Encoding::kRleDictionary;
  std::string out;
  SerializePageHeader(header, &out);
  // type 0; sizes 200 (c8 01) and 120 (78); field 5 struct: num_values 20 (14),
  // encoding 16 (10), level encodings RLE 6 (06), 6 (06), stops.
  EXPECT_EQ(Hex(out), "1500" "15c801" "1578" "2c" "1514" "1510" "1506" "1506" "00" "00");
}

}  // namespace
}  // namespace tributary::parquet::internal
