#pragma once

// A deterministic batch covering every Spark type the writer maps, with nulls,
// empty strings, empty and null arrays and maps, negative numbers, extreme values and
// nesting (struct in array in struct, maps of strings in a struct).

#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <string>

#include "tributary/columnar/column_builder.h"
#include "tributary/columnar/record_batch.h"

namespace tributary::parquet::testing {

using columnar::ColumnBuilder;
using columnar::DataType;
using columnar::Field;

inline columnar::SchemaPtr AllTypesSchema() {
  auto item = DataType::Struct({Field{"p", DataType::Long(), true},
                                Field{"q", DataType::Array(DataType::String()), true}});
  auto st = DataType::Struct({Field{"x", DataType::Integer(), true}, Field{"y", DataType::String(), true},
                              Field{"items", DataType::Array(item), true}});
  auto cfg = DataType::Struct({Field{"name", DataType::String(), false},
                               Field{"conf", DataType::Map(DataType::String(), DataType::String()), true}});
  return std::make_shared<columnar::Schema>(std::vector<Field>{
      Field{"b", DataType::Boolean(), true},
      Field{"i8", DataType::Byte(), true},
      Field{"i16", DataType::Short(), true},
      Field{"i32", DataType::Integer(), false},
      Field{"i64", DataType::Long(), true},
      Field{"f", DataType::Float(), true},
      Field{"d", DataType::Double(), true},
      Field{"dec9", DataType::Decimal(9, 2), true},
      Field{"dec18", DataType::Decimal(18, 4), true},
      Field{"dec20", DataType::Decimal(20, 0), true},
      Field{"dec38", DataType::Decimal(38, 10), true},
      Field{"s", DataType::String(), true},
      Field{"u", DataType::String(), true},
      Field{"bin", DataType::Binary(), true},
      Field{"dt", DataType::Date(), true},
      Field{"ts", DataType::Timestamp(), true},
      Field{"tsn", DataType::TimestampNtz(), true},
      Field{"arr", DataType::Array(DataType::Integer()), true},
      Field{"tags", DataType::Array(DataType::String(), false), true},
      Field{"m", DataType::Map(DataType::String(), DataType::Long()), true},
      Field{"st", st, true},
      Field{"cfg", cfg, true},
  });
}

inline __int128 Pow10(int n) {
  __int128 v = 1;
  for (int i = 0; i < n; ++i) v *= 10;
  return v;
}

/// Rows [begin, end) of the all-types data; row i always has the same values.
inline columnar::RecordBatchPtr AllTypesBatch(int64_t begin, int64_t end) {
  auto schema = AllTypesSchema();
  std::vector<ColumnBuilder> b;
  for (const Field& f : schema->fields()) b.emplace_back(f.type);
  static const char* kWords[] = {"alpha", "beta", "gamma", "\xce\xb4\xce\xad\xce\xbb\xcf\x84\xce\xb1", "z"};
  for (int64_t i = begin; i < end; ++i) {
    int64_t sign = (i % 2 == 0) ? 1 : -1;
    // b
    if (i % 5 == 4) b[0].AppendNull(); else b[0].AppendBool(i % 3 == 0);
    // i8, i16, i32, i64
    if (i % 7 == 3) b[1].AppendNull(); else b[1].AppendInt((i * 37) % 256 - 128);
    if (i % 11 == 5) b[2].AppendNull(); else b[2].AppendInt((i * 7919) % 65536 - 32768);
    b[3].AppendInt(i - 10000);
    if (i == 1) {
      b[4].AppendInt(std::numeric_limits<int64_t>::min());
    } else if (i == 2) {
      b[4].AppendInt(std::numeric_limits<int64_t>::max());
    } else if (i % 13 == 7) {
      b[4].AppendNull();
    } else {
      b[4].AppendInt(sign * i * 1000003 * 1000);
    }
    // f, d
    if (i == 0) b[5].AppendDouble(-0.0);
    else if (i % 9 == 8) b[5].AppendNull();
    else b[5].AppendDouble(static_cast<double>(i - 5000) / 4.0);
    if (i == 3) b[6].AppendDouble(std::nan(""));
    else if (i % 10 == 9) b[6].AppendNull();
    else b[6].AppendDouble(static_cast<double>(i - 7000) * 0.5);
    // decimals of each physical width
    if (i % 6 == 1) b[7].AppendNull(); else b[7].AppendDecimal(sign * ((i * 12345) % 999999999));
    if (i % 6 == 2) b[8].AppendNull(); else b[8].AppendDecimal(sign * ((i * 100000000000007LL) % Pow10(18)));
    if (i % 6 == 3) b[9].AppendNull(); else b[9].AppendDecimal(sign * ((i % 9 + 1) * Pow10(19) - i));
    if (i % 8 == 5) b[10].AppendNull(); else b[10].AppendDecimal(sign * (Pow10(37) + i) * (i % 9 + 1));
    // s (few distinct values), u (all distinct), bin
    if (i % 7 == 0) b[11].AppendString("");
    else if (i % 7 == 1) b[11].AppendNull();
    else b[11].AppendString(kWords[i % 5]);
    if (i % 17 == 0) b[12].AppendNull(); else b[12].AppendString("user-" + std::to_string(i * 7919));
    if (i % 4 == 2) {
      b[13].AppendNull();
    } else if (i % 4 == 0) {
      b[13].AppendString("");
    } else {
      std::string bytes = {'\0', static_cast<char>(0xFF), static_cast<char>(i & 0xFF)};
      b[13].AppendString(bytes);
    }
    // dt, ts, tsn
    if (i % 12 == 0) b[14].AppendNull(); else b[14].AppendInt(i - 10000);
    if (i % 14 == 0) b[15].AppendNull(); else b[15].AppendInt((i - 10000) * 86400000123LL);
    b[16].AppendInt(i * 3600000000LL - 1000000000000LL);
    // arr: null, [], [i, null, -i], [i]
    switch (i % 4) {
      case 0: b[17].AppendNull(); break;
      case 1: b[17].AppendListEnd(); break;
      case 2:
        b[17].child(0).AppendInt(i);
        b[17].child(0).AppendNull();
        b[17].child(0).AppendInt(-i);
        b[17].AppendListEnd();
        break;
      default:
        b[17].child(0).AppendInt(i);
        b[17].AppendListEnd();
    }
    // tags: non-null elements
    if (i % 10 == 7) {
      b[18].AppendNull();
    } else {
      if (i % 3 != 0) {
        b[18].child(0).AppendString("t" + std::to_string(i % 5));
        b[18].child(0).AppendString("x");
      }
      b[18].AppendListEnd();
    }
    // m: null, {}, {"k1": i, "k2": null}
    if (i % 5 == 0) {
      b[19].AppendNull();
    } else {
      if (i % 5 != 1) {
        ColumnBuilder& entries = b[19].child(0);
        entries.child(0).AppendString("k1");
        entries.child(1).AppendInt(sign * i);
        entries.AppendStructValid();
        entries.child(0).AppendString("k2");
        entries.child(1).AppendNull();
        entries.AppendStructValid();
      }
      b[19].AppendListEnd();
    }
    // st: struct<x, y, items: array<struct<p, q: array<string>>>>
    if (i % 6 == 0) {
      b[20].AppendNull();
    } else {
      ColumnBuilder& st = b[20];
      if (i % 4 == 0) st.child(0).AppendNull(); else st.child(0).AppendInt(i);
      st.child(1).AppendString(i % 3 == 0 ? "" : "y" + std::to_string(i));
      ColumnBuilder& items = st.child(2);
      if (i % 3 == 0) {
        items.AppendNull();
      } else if (i % 3 == 1) {
        items.AppendListEnd();
      } else {
        ColumnBuilder& item = items.child(0);
        item.child(0).AppendInt(i);
        item.child(1).child(0).AppendString("a");
        item.child(1).child(0).AppendNull();
        item.child(1).AppendListEnd();
        item.AppendStructValid();
        item.AppendNull();
        item.child(0).AppendNull();
        item.child(1).AppendListEnd();
        item.AppendStructValid();
        item.child(0).AppendInt(-i);
        item.child(1).AppendNull();
        item.AppendStructValid();
        items.AppendListEnd();
      }
      st.AppendStructValid();
    }
    // cfg: struct<name not null, conf map<string,string>>
    if (i % 9 == 4) {
      b[21].AppendNull();
    } else {
      ColumnBuilder& cfg = b[21];
      cfg.child(0).AppendString("cfg" + std::to_string(i % 3));
      ColumnBuilder& conf = cfg.child(1);
      if (i % 2 == 0) {
        conf.child(0).child(0).AppendString("spark.a");
        conf.child(0).child(1).AppendString("1");
        conf.child(0).AppendStructValid();
        conf.child(0).child(0).AppendString("delta.b");
        conf.child(0).child(1).AppendNull();
        conf.child(0).AppendStructValid();
      }
      conf.AppendListEnd();
      cfg.AppendStructValid();
    }
  }
  std::vector<columnar::ColumnPtr> columns;
  for (auto& builder : b) columns.push_back(builder.Finish());
  return std::make_shared<columnar::RecordBatch>(schema, end - begin, std::move(columns));
}

}  // namespace tributary::parquet::testing
