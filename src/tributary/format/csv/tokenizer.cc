#include "tributary/format/csv/tokenizer.h"

namespace tributary::csv {

namespace {

// Univocity's notion of ignorable whitespace inside a line.
bool IsBlank(char c) { return c == ' ' || c == '\t'; }

}  // namespace

std::string_view RecordErrorReason(RecordError error) {
  switch (error) {
    case RecordError::kNone: return "none";
    case RecordError::kUnescapedQuote: return "unescaped quote inside a quoted value";
    case RecordError::kTooManyColumns: return "more values than maxColumns";
    case RecordError::kFieldTooLong: return "value longer than maxCharsPerColumn";
  }
  return "unknown";
}

CsvTokenizer::CsvTokenizer(std::string_view input, const CsvReadOptions& options)
    : input_(input),
      options_(options),
      line_sep_(options.line_sep),
      delimiter0_(options.delimiter.empty() ? ',' : options.delimiter[0]),
      single_delimiter_(options.delimiter.size() <= 1) {
  auto mark = [](std::array<bool, 256>& table, char c) { table[static_cast<unsigned char>(c)] = true; };
  for (auto* table : {&unquoted_special_, &quoted_special_}) {
    if (line_sep_) {
      mark(*table, line_sep_);
    } else {
      mark(*table, '\n');
      mark(*table, '\r');
    }
  }
  mark(unquoted_special_, delimiter0_);
  if (!line_sep_ && options.multi_line) {
    size_t end = input.find_first_of("\r\n");
    if (end != std::string_view::npos) {
      bool crlf = input[end] == '\r' && end + 1 < input.size() && input[end + 1] == '\n';
      detected_line_end_ = crlf ? "\r\n" : input.substr(end, 1);
    }
  }
  if (options.quote) mark(quoted_special_, options.quote);
  if (options.escape) mark(quoted_special_, options.escape);
  if (options.escape_of_escape) mark(quoted_special_, options.escape_of_escape);
}

bool CsvTokenizer::AtDelimiter(size_t p) const {
  if (p >= input_.size() || input_[p] != delimiter0_) return false;
  if (single_delimiter_) return true;
  return input_.compare(p, options_.delimiter.size(), options_.delimiter) == 0;
}

void CsvTokenizer::ConsumeLineEnd() {
  if (!line_sep_ && input_[pos_] == '\r' && pos_ + 1 < input_.size() && input_[pos_ + 1] == '\n') ++pos_;
  ++pos_;
  ++line_;
}

bool CsvTokenizer::SkipIgnoredLines() {
  while (pos_ < input_.size()) {
    size_t p = pos_;
    // Spark drops lines that are empty after trimming (Java's trim: chars <= ' '); with
    // multiLine only empty lines are dropped, a line of blanks is a record.
    while (!options_.multi_line && p < input_.size() && static_cast<unsigned char>(input_[p]) <= ' ' &&
           !IsLineEnd(input_[p])) {
      ++p;
    }
    bool blank = p == input_.size() || IsLineEnd(input_[p]);
    bool comment = !blank && options_.comment && input_[pos_] == options_.comment;
    if (!blank && !comment) return true;
    while (p < input_.size() && !IsLineEnd(input_[p])) ++p;
    pos_ = p;
    if (pos_ < input_.size()) ConsumeLineEnd();
  }
  return false;
}

size_t CsvTokenizer::ScanToFieldEnd(size_t from) const {
  size_t p = from;
  while (p < input_.size() && !IsLineEnd(input_[p]) && !AtDelimiter(p)) ++p;
  return p;
}

void CsvTokenizer::ParseUnquoted(CsvField* field) {
  size_t start = pos_;
  const char* data = input_.data();
  size_t size = input_.size();
  size_t p = pos_;
  for (;;) {
    while (p < size && !unquoted_special_[static_cast<unsigned char>(data[p])]) ++p;
    if (p >= size || IsLineEnd(data[p]) || AtDelimiter(p)) break;
    ++p;  // first char of a multi-character delimiter that did not match
  }
  pos_ = p;
  size_t end = p;
  if (options_.ignore_trailing_white_space) {
    while (end > start && IsBlank(data[end - 1])) --end;
  }
  field->text = std::string_view(data + start, end - start);
}

void CsvTokenizer::ParseQuoted(CsvField* field, CsvRecord* record) {
  const char quote = options_.quote;
  const char escape = options_.escape;
  const char escape_of_escape = options_.escape_of_escape;
  const char* data = input_.data();
  const size_t size = input_.size();
  field->quoted = true;
  ++pos_;  // opening quote
  const size_t content_start = pos_;
  size_t segment_start = pos_;
  bool in_scratch = false;
  auto to_scratch = [&](size_t segment_end, char literal) {
    if (!in_scratch) {
      in_scratch = true;
      field->scratch_offset = scratch_.size();
    }
    scratch_.append(data + segment_start, segment_end - segment_start);
    scratch_.push_back(literal);
  };
  auto finish = [&](size_t end) {
    if (in_scratch) {
      scratch_.append(data + segment_start, end - segment_start);
      // Points at the scratch buffer for now; Next() rebases it once the record is done.
      field->text = std::string_view(scratch_.data(), scratch_.size() - field->scratch_offset);
    } else {
      field->text = std::string_view(data + content_start, end - content_start);
    }
  };
  for (;;) {
    size_t p = pos_;
    while (p < size && !quoted_special_[static_cast<unsigned char>(data[p])]) ++p;
    pos_ = p;
    if (p >= size) {  // an unterminated quote ends the value, as in Spark (not an error)
      finish(p);
      return;
    }
    char c = data[p];
    if (c == quote) {
      if (escape == quote && p + 1 < size && data[p + 1] == quote) {  // "" inside quotes
        to_scratch(p, quote);
        pos_ = segment_start = p + 2;
        continue;
      }
      // A closing quote: blanks may follow before the delimiter or line ending.
      size_t after = p + 1;
      while (after < size && IsBlank(data[after])) ++after;
      if (after >= size || IsLineEnd(data[after]) || AtDelimiter(after)) {
        finish(p);
        pos_ = after;
        return;
      }
      switch (options_.unescaped_quote_handling) {
        case UnescapedQuoteHandling::kStopAtClosingQuote:
          pos_ = p + 1;  // the quote is part of the value; keep looking for the real end
          continue;
        case UnescapedQuoteHandling::kSkipValue:
          pos_ = ScanToFieldEnd(after);
          finish(p);
          field->skipped = true;
          return;
        case UnescapedQuoteHandling::kRaiseError:
          record->error = RecordError::kUnescapedQuote;
          [[fallthrough]];
        case UnescapedQuoteHandling::kStopAtDelimiter: {
          // The value is read as if unquoted, opening quote included, up to the
          // delimiter: "ab"c reads as "ab"c (checked against Spark 4).
          size_t end = ScanToFieldEnd(after);
          if (in_scratch) {
            scratch_.insert(field->scratch_offset, 1, quote);
            finish(end);
          } else {
            field->text = std::string_view(data + content_start - 1, end - content_start + 1);
          }
          pos_ = end;
          return;
        }
      }
    }
    if (escape_of_escape && c == escape_of_escape && p + 2 < size && data[p + 1] == escape &&
        data[p + 2] == quote && escape != quote) {
      to_scratch(p, escape);  // the escape is literal; the quote after it closes
      pos_ = segment_start = p + 2;
      continue;
    }
    if (escape && c == escape && escape != quote) {
      if (p + 1 < size && data[p + 1] == quote) {
        to_scratch(p, quote);
        pos_ = segment_start = p + 2;
      } else {
        pos_ = p + 1;  // an escape before anything else is kept as written
      }
      continue;
    }
    if (IsLineEnd(c)) {
      if (!options_.multi_line) {  // the line ends the record, and so the value
        finish(p);
        return;
      }
      // Univocity normalizes the file's line separator to '\n' inside quoted values.
      bool crlf = c == '\r' && p + 1 < size && data[p + 1] == '\n';
      if (!line_sep_ && c == '\r' && crlf == (detected_line_end_ == "\r\n") && detected_line_end_ != "\n") {
        to_scratch(p, '\n');
        pos_ = segment_start = p + (crlf ? 2 : 1);
        ++line_;
        continue;
      }
      ConsumeLineEnd();
      continue;
    }
    pos_ = p + 1;  // escape_of_escape not followed by escape + quote
  }
}

bool CsvTokenizer::Next(CsvRecord* record) {
  record->fields.clear();
  record->error = RecordError::kNone;
  scratch_.clear();
  if (!SkipIgnoredLines()) return false;
  const size_t record_start = pos_;
  record->line = line_;
  const char* data = input_.data();
  const size_t size = input_.size();
  size_t record_end = size;
  for (;;) {
    CsvField& field = record->fields.emplace_back();
    if (options_.ignore_leading_white_space) {
      while (pos_ < size && IsBlank(data[pos_])) ++pos_;
    }
    if (options_.quote && pos_ < size && data[pos_] == options_.quote) {
      ParseQuoted(&field, record);
    } else {
      ParseUnquoted(&field);
    }
    if (options_.max_chars_per_column > 0 &&
        static_cast<int64_t>(field.text.size()) > options_.max_chars_per_column) {
      record->error = RecordError::kFieldTooLong;
    }
    if (pos_ >= size) {
      record_end = size;
      break;
    }
    if (IsLineEnd(data[pos_])) {
      record_end = pos_;
      ConsumeLineEnd();
      break;
    }
    if (AtDelimiter(pos_)) {
      pos_ += options_.delimiter.size();
      continue;
    }
    // Defensive: a value parser always stops at a delimiter, a line ending or the end.
    while (pos_ < size && !IsLineEnd(data[pos_])) ++pos_;
  }
  if (static_cast<int64_t>(record->fields.size()) > options_.max_columns) {
    record->error = RecordError::kTooManyColumns;
  }
  for (CsvField& field : record->fields) {
    if (field.scratch_offset != std::string::npos) {
      field.text = std::string_view(scratch_.data() + field.scratch_offset, field.text.size());
    }
  }
  record->raw = std::string_view(data + record_start, record_end - record_start);
  return true;
}

}  // namespace tributary::csv
