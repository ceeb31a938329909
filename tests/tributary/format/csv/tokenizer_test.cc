#include "tributary/format/csv/tokenizer.h"

#include <gtest/gtest.h>

namespace tributary::csv {
namespace {

std::vector<std::vector<std::string>> Tokenize(std::string_view input, const CsvReadOptions& options = {}) {
  CsvTokenizer tokenizer(input, options);
  CsvRecord record;
  std::vector<std::vector<std::string>> out;
  while (tokenizer.Next(&record)) {
    std::vector<std::string> values;
    for (const CsvField& field : record.fields) values.emplace_back(field.text);
    out.push_back(values);
  }
  return out;
}

using Rows = std::vector<std::vector<std::string>>;

TEST(CsvTokenizerTest, SplitsValuesAndLines) {
  EXPECT_EQ(Tokenize("a,b,c\n1,2,3\n"), (Rows{{"a", "b", "c"}, {"1", "2", "3"}}));
  EXPECT_EQ(Tokenize("a,b\r\n1,2\r\n"), (Rows{{"a", "b"}, {"1", "2"}}));
  EXPECT_EQ(Tokenize("a,b\r1,2"), (Rows{{"a", "b"}, {"1", "2"}}));
  EXPECT_EQ(Tokenize("a,,\n"), (Rows{{"a", "", ""}}));
}

TEST(CsvTokenizerTest, SkipsBlankAndCommentLines) {
  CsvReadOptions options;
  options.comment = '#';
  EXPECT_EQ(Tokenize("\n  \n# note, here\na,b\n\n#x\nc,d", options), (Rows{{"a", "b"}, {"c", "d"}}));
  // Without a comment character '#' is data.
  EXPECT_EQ(Tokenize("#a,b\n"), (Rows{{"#a", "b"}}));
}

TEST(CsvTokenizerTest, QuotedValuesKeepDelimitersAndUnescapeQuotes) {
  EXPECT_EQ(Tokenize(R"("a,b","say \"hi\"",c)"), (Rows{{"a,b", "say \"hi\"", "c"}}));
  CsvReadOptions rfc;
  rfc.escape = '"';
  rfc.escape_of_escape = '\0';
  EXPECT_EQ(Tokenize(R"("a ""quoted"" word",x)", rfc), (Rows{{"a \"quoted\" word", "x"}}));
  // An escape not followed by a quote stays as written.
  EXPECT_EQ(Tokenize(R"("C:\path",x)"), (Rows{{"C:\\path", "x"}}));
  // charToEscapeQuoteEscaping (defaults to the escape): \\" is a literal backslash, then the closing quote.
  EXPECT_EQ(Tokenize(R"("ends with \\",x)"), (Rows{{"ends with \\", "x"}}));
}

TEST(CsvTokenizerTest, NewlineInQuotesNeedsMultiLine) {
  CsvReadOptions multi;
  multi.multi_line = true;
  CsvTokenizer tokenizer("id,text\n1,\"line one\r\nline two\"\n2,x\n", multi);
  CsvRecord record;
  ASSERT_TRUE(tokenizer.Next(&record));
  ASSERT_TRUE(tokenizer.Next(&record));
  EXPECT_EQ(record.line, 2);
  ASSERT_EQ(record.fields.size(), 2u);
  EXPECT_EQ(record.fields[1].text, "line one\r\nline two");  // the file's separator is \n: kept
  EXPECT_EQ(record.error, RecordError::kNone);
  ASSERT_TRUE(tokenizer.Next(&record));
  EXPECT_EQ(record.line, 4);
  EXPECT_EQ(record.fields[1].text, "x");

  CsvReadOptions single;
  CsvTokenizer lines("1,\"open\n2,x\n", single);
  ASSERT_TRUE(lines.Next(&record));
  EXPECT_EQ(record.error, RecordError::kNone);  // Spark reads 1,"open as [1, open]
  EXPECT_EQ(record.fields[1].text, "open");
  EXPECT_EQ(record.raw, "1,\"open");
  ASSERT_TRUE(lines.Next(&record));
  EXPECT_EQ(record.error, RecordError::kNone);
  EXPECT_EQ(record.line, 2);
}

TEST(CsvTokenizerTest, MultiLineNormalizesTheFilesLineSeparatorInsideQuotes) {
  // Spark 4 reads a,b\r\n1,"x\r\ny" as [1, "x\ny"].
  CsvReadOptions multi;
  multi.multi_line = true;
  EXPECT_EQ(Tokenize("a,b\r\n1,\"x\r\ny\"\r\n", multi), (Rows{{"a", "b"}, {"1", "x\ny"}}));
  EXPECT_EQ(Tokenize("a\r1,\"x\ry\"\r", multi), (Rows{{"a"}, {"1", "x\ny"}}));
  // With multiLine a line of blanks is a record (Spark 4), without it the line is skipped.
  EXPECT_EQ(Tokenize("a\n  \nb\n", multi), (Rows{{"a"}, {"  "}, {"b"}}));
  EXPECT_EQ(Tokenize("a\n  \nb\n"), (Rows{{"a"}, {"b"}}));
}

TEST(CsvTokenizerTest, UnescapedQuoteHandling) {
  CsvReadOptions options;
  EXPECT_EQ(Tokenize(R"("ab"c,d)", options), (Rows{{"\"ab\"c", "d"}}));
  EXPECT_EQ(Tokenize(R"("a ""q"" w",d)", options), (Rows{{"\"a \"\"q\"\" w\"", "d"}}));
  EXPECT_EQ(Tokenize(R"("x\"y"z,w)", options), (Rows{{"\"x\"y\"z", "w"}}));
  options.unescaped_quote_handling = UnescapedQuoteHandling::kStopAtClosingQuote;
  EXPECT_EQ(Tokenize(R"("ab"c,d",e)", options), (Rows{{"ab\"c,d", "e"}}));
  options.unescaped_quote_handling = UnescapedQuoteHandling::kRaiseError;
  CsvTokenizer tokenizer(R"("ab"c,d)", options);
  CsvRecord record;
  ASSERT_TRUE(tokenizer.Next(&record));
  EXPECT_EQ(record.error, RecordError::kUnescapedQuote);
}

TEST(CsvTokenizerTest, MultiCharacterDelimiterAndCustomLineSep) {
  CsvReadOptions options;
  options.delimiter = "||";
  EXPECT_EQ(Tokenize("a||b|c||d\n", options), (Rows{{"a", "b|c", "d"}}));
  CsvReadOptions sep;
  sep.line_sep = ';';
  EXPECT_EQ(Tokenize("a,b;c\nd,e;", sep), (Rows{{"a", "b"}, {"c\nd", "e"}}));
}

TEST(CsvTokenizerTest, TrimsWhiteSpaceOnlyWhenAsked) {
  EXPECT_EQ(Tokenize(" a , b \n"), (Rows{{" a ", " b "}}));
  CsvReadOptions options;
  options.ignore_leading_white_space = true;
  options.ignore_trailing_white_space = true;
  EXPECT_EQ(Tokenize(" a , \" b \" \n", options), (Rows{{"a", " b "}}));
}

TEST(CsvTokenizerTest, DisabledQuoteReadsQuotesLiterally) {
  CsvReadOptions options;
  options.quote = '\0';
  EXPECT_EQ(Tokenize("\"a,b\"\n", options), (Rows{{"\"a", "b\""}}));
}

TEST(CsvTokenizerTest, LimitsMarkRecordsMalformed) {
  CsvReadOptions options;
  options.max_columns = 2;
  options.max_chars_per_column = 3;
  CsvTokenizer tokenizer("a,b,c\nabcd,e\nab,c\n", options);
  CsvRecord record;
  ASSERT_TRUE(tokenizer.Next(&record));
  EXPECT_EQ(record.error, RecordError::kTooManyColumns);
  ASSERT_TRUE(tokenizer.Next(&record));
  EXPECT_EQ(record.error, RecordError::kFieldTooLong);
  ASSERT_TRUE(tokenizer.Next(&record));
  EXPECT_EQ(record.error, RecordError::kNone);
}

}  // namespace
}  // namespace tributary::csv
