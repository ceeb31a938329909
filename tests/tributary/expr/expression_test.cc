#include "tributary/expr/expression.h"

#include <gtest/gtest.h>

#include "tributary/base/status_testing.h"
#include "tributary/columnar/column_builder.h"
#include "tributary/columnar/ddl_parser.h"

namespace tributary::expr {
namespace {

using columnar::ColumnBuilder;
using columnar::DataType;
using columnar::RecordBatch;
using columnar::Schema;

/// A batch: a INT, b BIGINT, d DOUBLE, s STRING, n INT (all null), st STRUCT<x: INT, y: STRING>, m MAP<STRING,INT>, arr ARRAY<INT>.
columnar::RecordBatchPtr TestBatch() {
  auto schema = std::make_shared<Schema>(*columnar::ParseDdlSchema(
      "a INT, b BIGINT, d DOUBLE, s STRING, n INT, st STRUCT<x: INT, y: STRING>, m MAP<STRING, INT>, arr ARRAY<INT>"));
  std::vector<ColumnBuilder> builders;
  for (const auto& f : schema->fields()) builders.emplace_back(f.type);
  const int32_t as[] = {1, 2, 3};
  const char* ss[] = {"apple", "Banana", nullptr};
  for (int r = 0; r < 3; ++r) {
    builders[0].AppendInt(as[r]);
    builders[1].AppendInt(as[r] * 10LL);
    builders[2].AppendDouble(as[r] * 1.5);
    if (ss[r]) {
      builders[3].AppendString(ss[r]);
    } else {
      builders[3].AppendNull();
    }
    builders[4].AppendNull();
    if (r == 2) {
      builders[5].AppendNull();
    } else {
      builders[5].child(0).AppendInt(r + 100);
      builders[5].child(1).AppendString(r == 0 ? "p" : "q");
      builders[5].AppendStructValid();
    }
    auto& entries = builders[6].child(0);
    entries.child(0).AppendString("k");
    entries.child(1).AppendInt(r);
    entries.AppendStructValid();
    builders[6].AppendListEnd();
    for (int k = 0; k <= r; ++k) builders[7].child(0).AppendInt(k * 7);
    builders[7].AppendListEnd();
  }
  std::vector<columnar::ColumnPtr> columns;
  for (auto& b : builders) columns.push_back(b.Finish());
  return std::make_shared<RecordBatch>(schema, 3, std::move(columns));
}

/// Evaluates `sql` over TestBatch() and renders each row with ValueToString.
std::vector<std::string> Eval(const std::string& sql, const columnar::RecordBatchPtr& batch = TestBatch()) {
  auto parsed = ParseExpression(sql);
  EXPECT_TRUE(parsed.ok()) << sql << ": " << parsed.status().ToString();
  if (!parsed.ok()) return {};
  auto bound = Bind(*parsed, *batch->schema());
  EXPECT_TRUE(bound.ok()) << sql << ": " << bound.status().ToString();
  if (!bound.ok()) return {};
  EvalContext context;
  context.current_timestamp_micros = 1704103200000000;  // 2024-01-01 10:00:00 UTC
  auto column = (*bound)->Evaluate(*batch, &context);
  EXPECT_TRUE(column.ok()) << sql << ": " << column.status().ToString();
  if (!column.ok()) return {};
  std::vector<std::string> out;
  for (int64_t i = 0; i < (*column)->length(); ++i) out.push_back(columnar::ValueToString(**column, i));
  return out;
}

std::string EvalOne(const std::string& sql) { return Eval(sql)[0]; }

Status EvalError(const std::string& sql) {
  auto batch = TestBatch();
  auto parsed = ParseExpression(sql);
  if (!parsed.ok()) return parsed.status();
  auto bound = Bind(*parsed, *batch->schema());
  if (!bound.ok()) return bound.status();
  EvalContext context;
  auto column = (*bound)->Evaluate(*batch, &context);
  return column.ok() ? Status::OK() : column.status();
}

using V = std::vector<std::string>;

TEST(ParseExpression, PrecedenceAndSql) {
  ASSERT_OK_AND_ASSIGN(auto e, ParseExpression("a + b * 2 = 7 OR NOT s IS NULL AND a > 1"));
  EXPECT_EQ(ToSql(*e), "(((a + (b * 2)) = 7) OR ((NOT (s IS NULL)) AND (a > 1)))");
  ASSERT_OK_AND_ASSIGN(auto cast, ParseExpression("CAST(value AS STRING)"));
  EXPECT_EQ(OutputName(*cast), "CAST(value AS STRING)");
  ASSERT_OK_AND_ASSIGN(auto aliased, ParseExpression("from_json(CAST(value AS STRING), 'a INT, b STRING') AS data"));
  EXPECT_EQ(OutputName(*aliased), "data");
  EXPECT_EQ(aliased->child(0)->kind(), ExprKind::kFromJson);
  ASSERT_OK_AND_ASSIGN(auto bare_alias, ParseExpression("a + 1 total"));
  EXPECT_EQ(OutputName(*bare_alias), "total");
  ASSERT_OK_AND_ASSIGN(auto sum, ParseExpression("a + 1"));
  EXPECT_EQ(OutputName(*sum), "(a + 1)");
  ASSERT_OK_AND_ASSIGN(auto qualified, ParseExpression("t.order_id"));
  EXPECT_EQ(OutputName(*qualified), "order_id");
}

TEST(ParseExpression, QuotingStarsAndLiterals) {
  ASSERT_OK_AND_ASSIGN(auto star, ParseExpression("data.*"));
  EXPECT_TRUE(IsStar(*star));
  EXPECT_EQ(star->names(), std::vector<std::string>{"data"});
  ASSERT_OK_AND_ASSIGN(auto weird, ParseExpression("`weird name`.x"));
  EXPECT_EQ(weird->names(), (std::vector<std::string>{"weird name", "x"}));
  ASSERT_OK_AND_ASSIGN(auto s, ParseExpression("'it''s' "));
  ASSERT_OK_AND_ASSIGN(auto escaped, ParseExpression(R"('a\'b\n' || "c")"));
  EXPECT_EQ(ToSql(*escaped), R"(concat('a\'b
', 'c'))");
  EXPECT_TRUE(IsStar(*Col("*")));
  EXPECT_EQ(Col("`a.b`.c")->names(), (std::vector<std::string>{"a.b", "c"}));
  (void)s;
}

TEST(ParseExpression, ErrorsGivePosition) {
  auto r = ParseExpression("a + ) 2");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("position 4"), std::string::npos) << r.status().message();
  EXPECT_NE(r.status().message().find("'a + ) 2'"), std::string::npos);
  auto unterminated = ParseExpression("concat('abc, b)");
  ASSERT_FALSE(unterminated.ok());
  EXPECT_NE(unterminated.status().message().find("unterminated"), std::string::npos);
  EXPECT_FALSE(ParseExpression("CAST(a AS BIGINTT)").ok());
  EXPECT_FALSE(ParseExpression("(a + 1").ok());
}

TEST(Bind, UnknownColumnListsAvailable) {
  auto batch = TestBatch();
  auto r = Bind(Col("nope"), *batch->schema());
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("UNRESOLVED_COLUMN"), std::string::npos);
  EXPECT_NE(r.status().message().find("`nope`"), std::string::npos);
  EXPECT_NE(r.status().message().find("`st`"), std::string::npos);
  EXPECT_FALSE(Bind(Col("st.zz"), *batch->schema()).ok());
  // Case-insensitive by default, sensitive on request.
  EXPECT_TRUE(Bind(Col("A"), *batch->schema()).ok());
  BindOptions sensitive;
  sensitive.case_sensitive = true;
  EXPECT_FALSE(Bind(Col("A"), *batch->schema(), sensitive).ok());
}

TEST(Bind, UnqualifiedScopes) {
  Schema schema = *columnar::ParseDdlSchema("t STRUCT<order_id: INT, v: STRING>, s STRUCT<order_id: INT, op: STRING>");
  BindOptions options;
  options.unqualified_scopes = {"t", "s"};
  EXPECT_TRUE(Bind(Col("op"), schema, options).ok());
  EXPECT_TRUE(Bind(Col("t.order_id"), schema, options).ok());
  auto ambiguous = Bind(Col("order_id"), schema, options);
  ASSERT_FALSE(ambiguous.ok());
  EXPECT_NE(ambiguous.status().message().find("AMBIGUOUS_REFERENCE"), std::string::npos);
  EXPECT_NE(ambiguous.status().message().find("`s`.`order_id`"), std::string::npos);
  EXPECT_FALSE(Bind(Col("op")->kind() == ExprKind::kColumn ? Col("op") : nullptr, schema).ok());
}

TEST(Evaluate, ArithmeticAndCoercion) {
  EXPECT_EQ(Eval("a + b"), (V{"11", "22", "33"}));
  EXPECT_EQ(Eval("a / 2"), (V{"0.5", "1", "1.5"}));
  EXPECT_EQ(Eval("a % 2"), (V{"1", "0", "1"}));
  EXPECT_EQ(Eval("-a + n"), (V{"null", "null", "null"}));
  EXPECT_EQ(EvalOne("1.25 + 1"), "2.25");
  EXPECT_EQ(EvalOne("1.10 * 2.5"), "2.750");
  EXPECT_EQ(EvalOne("7 DIV 2"), "3");
  EXPECT_EQ(EvalOne("d + a"), "2.5");
  EXPECT_EQ(EvalOne("'3' + 1"), "4");
  auto bound = Bind(*ParseExpression("a + b"), *TestBatch()->schema());
  EXPECT_EQ((*bound)->type()->id(), columnar::TypeId::kLong);
  auto dec = Bind(*ParseExpression("CAST(a AS DECIMAL(10,2)) * CAST(b AS DECIMAL(5,1))"), *TestBatch()->schema());
  EXPECT_EQ((*dec)->type()->SimpleString(), "decimal(16,3)");
  Status div = EvalError("a / (a - 1)");
  EXPECT_NE(div.message().find("DIVIDE_BY_ZERO"), std::string::npos) << div.ToString();
  EXPECT_NE(EvalError("2147483647 + a").message().find("ARITHMETIC_OVERFLOW"), std::string::npos);
}

TEST(Evaluate, ComparisonsAndLogic) {
  EXPECT_EQ(Eval("a = 2"), (V{"false", "true", "false"}));
  EXPECT_EQ(Eval("a <> 2"), (V{"true", "false", "true"}));
  EXPECT_EQ(Eval("s < 'b'"), (V{"true", "true", "null"}));  // 'Banana' < 'b' bytewise
  EXPECT_EQ(Eval("n = 1"), (V{"null", "null", "null"}));
  EXPECT_EQ(Eval("n <=> NULL"), (V{"true", "true", "true"}));
  EXPECT_EQ(Eval("a <=> n"), (V{"false", "false", "false"}));
  EXPECT_EQ(Eval("n = 1 AND a > 5"), (V{"false", "false", "false"}));
  EXPECT_EQ(Eval("n = 1 OR a > 1"), (V{"null", "true", "true"}));
  EXPECT_EQ(Eval("NOT (n = 1)"), (V{"null", "null", "null"}));
  EXPECT_EQ(Eval("a = '2'"), (V{"false", "true", "false"}));
  EXPECT_EQ(Eval("a IN (1, 3)"), (V{"true", "false", "true"}));
  EXPECT_EQ(Eval("a NOT IN (1, n)"), (V{"false", "null", "null"}));
  EXPECT_EQ(Eval("a BETWEEN 2 AND 3"), (V{"false", "true", "true"}));
  EXPECT_EQ(Eval("s IS NULL"), (V{"false", "false", "true"}));
  EXPECT_EQ(Eval("s IS NOT NULL"), (V{"true", "true", "false"}));
  EXPECT_EQ(Eval("s LIKE 'a%'"), (V{"true", "false", "null"}));
  EXPECT_EQ(Eval("s ILIKE 'b_nana'"), (V{"false", "true", "null"}));
  EXPECT_EQ(Eval("s RLIKE '^[AB]'"), (V{"false", "true", "null"}));
  EXPECT_EQ(Eval("s NOT LIKE '%an%'"), (V{"true", "false", "null"}));
  EXPECT_EQ(EvalOne("CAST('NaN' AS DOUBLE) = CAST('NaN' AS DOUBLE)"), "true");
}

TEST(Evaluate, CastsAnsiAndTry) {
  EXPECT_EQ(EvalOne("CAST(' 42 ' AS INT)"), "42");
  EXPECT_EQ(EvalOne("'12.5'::decimal(5,1)"), "12.5");
  EXPECT_EQ(EvalOne("CAST(1.5 AS STRING)"), "1.5");
  EXPECT_EQ(EvalOne("CAST(d AS STRING)"), "1.5");
  EXPECT_EQ(EvalOne("CAST(CAST(3 AS DOUBLE) AS STRING)"), "3.0");
  // Java's Double.toString: scientific from 1e7 and below 1e-3, every digit kept.
  EXPECT_EQ(EvalOne("CAST(CAST(12345678.9 AS DOUBLE) AS STRING)"), "1.23456789E7");
  EXPECT_EQ(EvalOne("CAST(CAST(10000000 AS DOUBLE) AS STRING)"), "1.0E7");
  EXPECT_EQ(EvalOne("CAST(CAST(0.00012 AS DOUBLE) AS STRING)"), "1.2E-4");
  EXPECT_EQ(EvalOne("CAST(CAST(-3.4e38 AS FLOAT) AS STRING)"), "-3.4E38");
  EXPECT_EQ(EvalOne("CAST('2024-01-31' AS DATE)"), "2024-01-31");
  EXPECT_EQ(EvalOne("CAST(TIMESTAMP '2024-01-31 10:20:30' AS STRING)"), "2024-01-31 10:20:30");
  EXPECT_EQ(EvalOne("CAST('true' AS BOOLEAN)"), "true");
  EXPECT_EQ(EvalOne("CAST(st AS STRING)"), "{\"x\":100,\"y\":\"p\"}");
  Status bad = EvalError("CAST(s AS INT)");
  EXPECT_NE(bad.message().find("CAST_INVALID_INPUT"), std::string::npos) << bad.ToString();
  EXPECT_NE(bad.message().find("'apple'"), std::string::npos);
  EXPECT_EQ(Eval("TRY_CAST(s AS INT)"), (V{"null", "null", "null"}));
  EXPECT_NE(EvalError("CAST(300 AS TINYINT)").message().find("CAST_OVERFLOW"), std::string::npos);
  EXPECT_EQ(EvalOne("TRY_CAST(300 AS TINYINT)"), "null");
  EXPECT_FALSE(EvalError("CAST(DATE '2024-01-01' AS INT)").ok());
}

TEST(Evaluate, ConditionalFunctions) {
  EXPECT_EQ(Eval("CASE WHEN a = 1 THEN 'one' WHEN a = 2 THEN 'two' ELSE 'many' END"), (V{"one", "two", "many"}));
  EXPECT_EQ(Eval("CASE a WHEN 1 THEN 10 END"), (V{"10", "null", "null"}));
  EXPECT_EQ(Eval("coalesce(s, 'z')"), (V{"apple", "Banana", "z"}));
  EXPECT_EQ(Eval("coalesce(n, NULL, a)"), (V{"1", "2", "3"}));
  // Under ANSI coercion a string meeting an int is cast to int, so bad text fails.
  EXPECT_NE(EvalError("coalesce(n, s)").message().find("CAST_INVALID_INPUT"), std::string::npos);
  EXPECT_EQ(Eval("nullif(a, 2)"), (V{"1", "null", "3"}));
  EXPECT_EQ(Eval("if(a > 1, 'big', 'small')"), (V{"small", "big", "big"}));
  EXPECT_EQ(Eval("iff(n > 1, 1, 0)"), (V{"0", "0", "0"}));
  EXPECT_EQ(Eval("greatest(a, 2, n)"), (V{"2", "2", "3"}));
  EXPECT_EQ(Eval("least(a, 2)"), (V{"1", "2", "2"}));
}

TEST(Evaluate, MathFunctions) {
  EXPECT_EQ(EvalOne("abs(-3)"), "3");
  EXPECT_EQ(EvalOne("abs(n)"), "null");
  EXPECT_EQ(EvalOne("round(2.5)"), "3");
  EXPECT_EQ(EvalOne("round(1.2345, 2)"), "1.23");
  EXPECT_EQ(EvalOne("round(CAST(2.5 AS DOUBLE))"), "3");
  EXPECT_EQ(EvalOne("round(1250, -2)"), "1300");
  EXPECT_EQ(EvalOne("floor(-1.5)"), "-2");
  EXPECT_EQ(EvalOne("ceil(CAST(1.2 AS DOUBLE))"), "2");
}

TEST(Evaluate, StringFunctions) {
  EXPECT_EQ(Eval("concat(s, '-', a)"), (V{"apple-1", "Banana-2", "null"}));
  EXPECT_EQ(Eval("concat_ws('/', s, n, 'x')"), (V{"apple/x", "Banana/x", "x"}));
  EXPECT_EQ(Eval("upper(s)"), (V{"APPLE", "BANANA", "null"}));
  EXPECT_EQ(EvalOne("lower('AbC')"), "abc");
  EXPECT_EQ(EvalOne("trim('  x y  ')"), "x y");
  EXPECT_EQ(EvalOne("ltrim('  x ')"), "x ");
  EXPECT_EQ(EvalOne("rtrim('  x ')"), "  x");
  EXPECT_EQ(EvalOne("length('héllo')"), "5");
  EXPECT_EQ(EvalOne("substring('Spark SQL', 5)"), "k SQL");
  EXPECT_EQ(EvalOne("substr('Spark SQL', -3)"), "SQL");
  EXPECT_EQ(EvalOne("substring('Spark SQL', 5, 1)"), "k");
  EXPECT_EQ(EvalOne("replace('ABCabc', 'abc', 'DEF')"), "ABCDEF");
  EXPECT_EQ(EvalOne("split('oneAtwoBthreeC', '[ABC]')"), "[\"one\",\"two\",\"three\",\"\"]");
  EXPECT_EQ(EvalOne("regexp_replace('100-200', '(\\\\d+)', 'num')"), "num-num");
  EXPECT_EQ(EvalOne("regexp_replace('100-200', '(\\\\d+)-(\\\\d+)', '$2-$1')"), "200-100");
  EXPECT_EQ(EvalOne("regexp_extract('100-200', '(\\\\d+)-(\\\\d+)', 2)"), "200");
  EXPECT_EQ(EvalOne("regexp_extract('abc', '(\\\\d+)', 1)"), "");
  EXPECT_EQ(EvalOne("lpad('hi', 5, 'xy')"), "xyxhi");
  EXPECT_EQ(EvalOne("rpad('hi', 5)"), "hi   ");
  EXPECT_EQ(EvalOne("lpad('hello', 2)"), "he");
  EXPECT_EQ(Eval("startswith(s, 'app')"), (V{"true", "false", "null"}));
  EXPECT_EQ(EvalOne("endswith('abc', 'bc')"), "true");
  EXPECT_EQ(EvalOne("contains('abc', 'x')"), "false");
}

TEST(Evaluate, DatetimeFunctions) {
  EXPECT_EQ(EvalOne("current_timestamp()"), "2024-01-01T10:00:00Z");
  EXPECT_EQ(EvalOne("current_date"), "2024-01-01");
  EXPECT_EQ(EvalOne("now()"), "2024-01-01T10:00:00Z");
  EXPECT_EQ(EvalOne("to_timestamp('2024-02-03 04:05:06')"), "2024-02-03T04:05:06Z");
  EXPECT_EQ(EvalOne("to_timestamp('03/02/2024 04:05', 'dd/MM/yyyy HH:mm')"), "2024-02-03T04:05:00Z");
  EXPECT_EQ(EvalOne("to_date('2024-02-03')"), "2024-02-03");
  EXPECT_EQ(EvalOne("to_date('20240203', 'yyyyMMdd')"), "2024-02-03");
  EXPECT_NE(EvalError("to_date('2024/02/03', 'yyyy-MM-dd')").message().find("CANNOT_PARSE"), std::string::npos);
  EXPECT_EQ(EvalOne("try_to_timestamp('x', 'yyyy')"), "null");
  EXPECT_EQ(EvalOne("date_format(TIMESTAMP '2024-02-03 04:05:06.789', \"yyyy-MM-dd'T'HH:mm:ss.SSS\")"),
            "2024-02-03T04:05:06.789");
  EXPECT_EQ(EvalOne("unix_timestamp('1970-01-02 00:00:00')"), "86400");
  EXPECT_EQ(EvalOne("from_unixtime(86400)"), "1970-01-02 00:00:00");
  EXPECT_EQ(EvalOne("year(DATE '2024-02-03')"), "2024");
  EXPECT_EQ(EvalOne("month('2024-02-03')"), "2");
  EXPECT_EQ(EvalOne("day(DATE '2024-02-03')"), "3");
  EXPECT_EQ(EvalOne("hour(TIMESTAMP '2024-02-03 04:05:06')"), "4");
  EXPECT_EQ(EvalOne("date_add(DATE '2024-02-28', 2)"), "2024-03-01");
  EXPECT_EQ(EvalOne("DATE '2024-03-01' - 1"), "2024-02-29");
  EXPECT_EQ(EvalOne("datediff(DATE '2024-03-01', DATE '2024-02-01')"), "29");
}

TEST(Evaluate, NestedAccessAndConstructors) {
  EXPECT_EQ(Eval("st.x"), (V{"100", "101", "null"}));
  EXPECT_EQ(Eval("st['y']"), (V{"p", "q", "null"}));
  EXPECT_EQ(Eval("m['k']"), (V{"0", "1", "2"}));
  EXPECT_EQ(Eval("m['zz']"), (V{"null", "null", "null"}));
  EXPECT_EQ(Eval("arr[1]"), (V{"null", "7", "7"}));
  EXPECT_EQ(Eval("element_at(arr, -1)"), (V{"0", "7", "14"}));
  EXPECT_EQ(Eval("size(arr)"), (V{"1", "2", "3"}));
  EXPECT_EQ(EvalOne("struct(a, s AS name, a + 1)"), "{\"a\":1,\"name\":\"apple\",\"col3\":2}");
  EXPECT_EQ(EvalOne("named_struct('k', a, 'v', s)"), "{\"k\":1,\"v\":\"apple\"}");
  EXPECT_EQ(EvalOne("array(a, 2, n)"), "[1,2,null]");
  EXPECT_EQ(EvalOne("named_struct('k', a, 'v', s).v"), "apple");
}

TEST(Evaluate, ToJson) {
  EXPECT_EQ(Eval("to_json(st)"), (V{"{\"x\":100,\"y\":\"p\"}", "{\"x\":101,\"y\":\"q\"}", "null"}));
  EXPECT_EQ(EvalOne("to_json(named_struct('a', n, 'b', 'x\"y', 't', TIMESTAMP '2024-01-02 03:04:05'))"),
            "{\"b\":\"x\\\"y\",\"t\":\"2024-01-02T03:04:05.000Z\"}");
  EXPECT_EQ(EvalOne("to_json(m)"), "{\"k\":0}");
  EXPECT_EQ(EvalOne("to_json(arr)"), "[0]");
  // Decimals as Java's BigDecimal.toString writes them (scientific below 1e-6 scale).
  EXPECT_EQ(EvalOne("to_json(named_struct('a', CAST(0 AS DECIMAL(20,10)), 'b', CAST(1 AS DECIMAL(20,10)), "
                    "'c', CAST(-0.0000001 AS DECIMAL(20,10)), 'd', CAST(0.0000012345 AS DECIMAL(20,10)), "
                    "'e', CAST(-1.5 AS DECIMAL(5,2))))"),
            "{\"a\":0E-10,\"b\":1.0000000000,\"c\":-1.000E-7,\"d\":0.0000012345,\"e\":-1.50}");
  // Round trip through from_json.
  EXPECT_EQ(Eval("from_json(to_json(st), 'x INT, y STRING').y"), (V{"p", "q", "null"}));
}

columnar::RecordBatchPtr JsonBatch(std::vector<const char*> values) {
  auto schema = std::make_shared<Schema>(*columnar::ParseDdlSchema("value STRING"));
  ColumnBuilder b(DataType::String());
  for (const char* v : values) {
    if (v) {
      b.AppendString(v);
    } else {
      b.AppendNull();
    }
  }
  return std::make_shared<RecordBatch>(schema, static_cast<int64_t>(values.size()), std::vector<columnar::ColumnPtr>{b.Finish()});
}

TEST(FromJson, PermissiveFailFastAndCorruptColumn) {
  auto batch = JsonBatch({R"({"a": 1, "b": "x"})", "{not json", nullptr, R"({"a": 2,
  "b": "multi-line"})"});
  EXPECT_EQ(Eval("from_json(value, 'a INT, b STRING')", batch),
            (V{"{\"a\":1,\"b\":\"x\"}", "{\"a\":null,\"b\":null}", "null", "{\"a\":2,\"b\":\"multi-line\"}"}));
  EXPECT_EQ(Eval("from_json(value, 'a INT, _corrupt_record STRING')._corrupt_record", batch),
            (V{"null", "{not json", "null", "null"}));
  EXPECT_EQ(Eval("from_json(value, 'a INT, bad STRING', map('columnNameOfCorruptRecord', 'bad')).bad", batch),
            (V{"null", "{not json", "null", "null"}));
  auto parsed = ParseExpression("from_json(value, 'a INT', map('mode', 'FAILFAST'))");
  ASSERT_OK(parsed);
  auto bound = Bind(*parsed, *batch->schema());
  ASSERT_OK(bound);
  EvalContext context;
  auto failed = (*bound)->Evaluate(*batch, &context);
  ASSERT_FALSE(failed.ok());
  EXPECT_NE(failed.status().message().find("row 1"), std::string::npos) << failed.status().ToString();
  EXPECT_NE(failed.status().message().find("{not json"), std::string::npos);
  auto permissive = Bind(*ParseExpression("from_json(value, 'a INT')"), *batch->schema());
  EvalContext counting;
  ASSERT_OK((*permissive)->Evaluate(*batch, &counting));
  EXPECT_EQ(counting.malformed_records, 1);
}

TEST(FromJson, DeltaSchemaJsonArraysAndMaps) {
  auto batch = JsonBatch({R"({"id": 7, "tags": ["a", "b"]})"});
  ASSERT_OK_AND_ASSIGN(
      auto e, FromJson(Col("value"),
                       R"({"type":"struct","fields":[{"name":"id","type":"long","nullable":true,"metadata":{}},)"
                       R"({"name":"tags","type":{"type":"array","elementType":"string","containsNull":true},"nullable":true,"metadata":{}}]})"));
  auto bound = Bind(e, *batch->schema());
  ASSERT_OK(bound);
  EvalContext context;
  ASSERT_OK_AND_ASSIGN(auto column, (*bound)->Evaluate(*batch, &context));
  EXPECT_EQ(columnar::ValueToString(*column, 0), "{\"id\":7,\"tags\":[\"a\",\"b\"]}");
  auto arrays = JsonBatch({"[1, 2, 3]", "oops"});
  EXPECT_EQ(Eval("from_json(value, 'array<int>')", arrays), (V{"[1,2,3]", "null"}));
  auto maps = JsonBatch({R"({"x": 1, "y": 2})"});
  EXPECT_EQ(Eval("from_json(value, 'map<string,int>')['y']", maps), (V{"2"}));
}

TEST(Projection, StarExpansionAndNames) {
  auto batch = TestBatch();
  std::vector<ExprPtr> exprs{*ParseExpression("st.*"), *ParseExpression("a + 1"), *ParseExpression("upper(s) AS u")};
  ASSERT_OK_AND_ASSIGN(auto projection, Projection::Make(exprs, *batch->schema()));
  std::vector<std::string> names;
  for (const auto& f : projection.output_schema()->fields()) names.push_back(f.name);
  EXPECT_EQ(names, (std::vector<std::string>{"x", "y", "(a + 1)", "u"}));
  EXPECT_EQ(projection.output_schema()->field(2).type->id(), columnar::TypeId::kInteger);
  EvalContext context;
  ASSERT_OK_AND_ASSIGN(auto out, projection.Apply(*batch, &context));
  EXPECT_EQ(out->num_rows(), 3);
  EXPECT_EQ(columnar::ValueToString(*out->column(0), 1), "101");
  EXPECT_TRUE(out->column(0)->IsNull(2));  // the struct is null there
  ASSERT_OK_AND_ASSIGN(auto all, Projection::Make({Col("*")}, *batch->schema()));
  EXPECT_TRUE(all.output_schema()->Equals(*batch->schema()));
  EXPECT_FALSE(Projection::Make({Col("a.*")}, *batch->schema()).ok());
}

TEST(Predicate, DropsNullAndFalse) {
  auto batch = TestBatch();
  ASSERT_OK_AND_ASSIGN(auto predicate, Predicate::Make(*ParseExpression("s <> 'apple' OR n = 1"), *batch->schema()));
  EvalContext context;
  ASSERT_OK_AND_ASSIGN(auto kept, predicate.Apply(*batch, &context));
  ASSERT_EQ(kept->num_rows(), 1);
  EXPECT_EQ(columnar::ValueToString(*kept->column(3), 0), "Banana");
  ASSERT_OK_AND_ASSIGN(auto mask, predicate.Evaluate(*batch, &context));
  EXPECT_TRUE(mask->IsNull(2));
  EXPECT_FALSE(Predicate::Make(Col("a"), *batch->schema()).ok());
}

}  // namespace
}  // namespace tributary::expr
