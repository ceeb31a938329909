// A shared library through which an independent Arrow implementation (pyarrow, in
// arrow_c_data_pyarrow_check.py) imports a batch exported by ExportRecordBatch.

#include <memory>

#include "tributary/columnar/arrow_c_data.h"
#include "tributary/columnar/column_builder.h"

namespace {

using namespace tributary::columnar;  // NOLINT: test-only library

// Watches one column so that the check can tell whether pyarrow released it.
std::weak_ptr<const Column> g_watched;

RecordBatchPtr MakeBatch() {
  auto schema = std::make_shared<Schema>(std::vector<Field>{
      Field{"id", DataType::Long(), false},
      Field{"b", DataType::Boolean()},
      Field{"i8", DataType::Byte()},
      Field{"i16", DataType::Short()},
      Field{"i32", DataType::Integer()},
      Field{"f32", DataType::Float()},
      Field{"f64", DataType::Double()},
      Field{"dec", DataType::Decimal(10, 2)},
      Field{"s", DataType::String()},
      Field{"bin", DataType::Binary()},
      Field{"d", DataType::Date()},
      Field{"ts", DataType::Timestamp()},
      Field{"ntz", DataType::TimestampNtz()},
      Field{"st", DataType::Struct({Field{"x", DataType::Integer()}, Field{"y", DataType::String(), false}})},
      Field{"arr", DataType::Array(DataType::Integer())},
      Field{"m", DataType::Map(DataType::String(), DataType::Long())},
  });
  std::vector<ColumnBuilder> b;
  for (const Field& field : schema->fields()) b.emplace_back(field.type);
  for (int row = 0; row < 3; ++row) {
    bool null_row = row == 1;
    b[0].AppendInt(row);
    for (size_t c = 1; c < b.size(); ++c) {
      if (null_row) {
        b[c].AppendNull();
        continue;
      }
      switch (c) {
        case 1: b[c].AppendBool(row == 0); break;
        case 2: b[c].AppendInt(-8); break;
        case 3: b[c].AppendInt(-16); break;
        case 4: b[c].AppendInt(32 + row); break;
        case 5: b[c].AppendDouble(1.5); break;
        case 6: b[c].AppendDouble(-0.25); break;
        case 7: b[c].AppendDecimal(-12345); break;
        case 8: b[c].AppendString(row == 0 ? "caf\xC3\xA9" : ""); break;
        case 9: b[c].AppendString(std::string_view("\x00\xff", 2)); break;
        case 10: b[c].AppendInt(-1); break;
        case 11: b[c].AppendInt(-1); break;
        case 12: b[c].AppendInt(1500000); break;
        case 13:
          b[c].child(0).AppendInt(row);
          b[c].child(1).AppendString("y");
          b[c].AppendStructValid();
          break;
        case 14:
          for (int k = 0; k <= row; ++k) b[c].child(0).AppendInt(k);
          b[c].child(0).AppendNull();
          b[c].AppendListEnd();
          break;
        case 15:
          b[c].child(0).child(0).AppendString("k");
          b[c].child(0).child(1).AppendInt(row * 10);
          b[c].child(0).AppendStructValid();
          b[c].AppendListEnd();
          break;
      }
    }
  }
  std::vector<ColumnPtr> columns;
  for (ColumnBuilder& builder : b) columns.push_back(builder.Finish());
  return RecordBatch::Make(schema, 3, std::move(columns)).MoveValue();
}

}  // namespace

extern "C" {

/// Exports the sample batch; returns 0 on success.
int tributary_probe_export(ArrowSchema* schema, ArrowArray* array) {
  RecordBatchPtr batch = MakeBatch();
  g_watched = batch->column(15)->child(0);
  return ExportRecordBatch(*batch, schema, array).ok() ? 0 : 1;
}

/// 1 while the watched column (the map's entries) is still referenced.
int tributary_probe_watched_alive() { return g_watched.expired() ? 0 : 1; }

}  // extern "C"
