#include "synthscale/core/status.h"

#include <memory>
#include <string>

#include <gtest/gtest.h>

namespace synthscale {
namespace {

SourceLocation FullLocation() {
  SourceLocation location;
  location.file = "data.csv";
  location.line = 3;
  location.column = 7;
  location.row = 2;
  location.field = "age";
  return location;
}

TEST(Status, DefaultIsOk) {
  const Status status;
  EXPECT_TRUE(status.ok());
  EXPECT_EQ(status.code(), ErrorCode::kOk);
  EXPECT_EQ(status.message(), "");
  EXPECT_TRUE(status.location().empty());
  EXPECT_EQ(status.ToString(), "ok");
  EXPECT_TRUE(Status::Ok().ok());
}

TEST(Status, ToStringWithFullLocation) {
  const Status status(ErrorCode::kInvalidData, "age must be >= 0, got -3", FullLocation());
  EXPECT_FALSE(status.ok());
  EXPECT_EQ(status.ToString(), "data.csv:3:7 (row 2, field 'age'): error: age must be >= 0, got -3");
}

TEST(Status, ToStringWithoutLocation) {
  const Status status = InvalidArgument("epsilon must be > 0, got -1");
  EXPECT_EQ(status.ToString(), "error: epsilon must be > 0, got -1");
}

TEST(Status, ToStringOmitsUnknownLocationParts) {
  SourceLocation file_only;
  file_only.file = "schema.json";
  EXPECT_EQ(Status(ErrorCode::kInvalidData, "bad", file_only).ToString(), "schema.json: error: bad");

  SourceLocation file_line;
  file_line.file = "schema.json";
  file_line.line = 12;
  EXPECT_EQ(Status(ErrorCode::kInvalidData, "bad", file_line).ToString(), "schema.json:12: error: bad");

  SourceLocation row_field;
  row_field.row = 11;
  row_field.field = "age";
  EXPECT_EQ(Status(ErrorCode::kInvalidData, "bad", row_field).ToString(), "(row 11, field 'age'): error: bad");

  SourceLocation field_only;
  field_only.field = "age";
  EXPECT_EQ(Status(ErrorCode::kInvalidData, "bad", field_only).ToString(), "(field 'age'): error: bad");

  SourceLocation file_row;
  file_row.file = "data.csv";
  file_row.row = 4;
  EXPECT_EQ(Status(ErrorCode::kInvalidData, "bad", file_row).ToString(), "data.csv (row 4): error: bad");

  SourceLocation line_without_file;
  line_without_file.line = 5;
  line_without_file.column = 2;
  const std::string text = Status(ErrorCode::kInvalidData, "bad", line_without_file).ToString();
  EXPECT_NE(text.find("5:2"), std::string::npos) << text;
  EXPECT_NE(text.find("error: bad"), std::string::npos) << text;
}

TEST(SourceLocation, ToStringMatchesDocumentedExample) {
  SourceLocation location;
  location.file = "data.csv";
  location.line = 12;
  location.column = 5;
  location.row = 11;
  location.field = "age";
  EXPECT_EQ(location.ToString(), "data.csv:12:5 (row 11, field 'age')");
  EXPECT_FALSE(location.empty());
  EXPECT_TRUE(SourceLocation{}.empty());
  EXPECT_EQ(SourceLocation{}.ToString(), "");
}

TEST(Status, WithContextPrefixesMessageAndKeepsCodeAndLocation) {
  const Status status = Status(ErrorCode::kInvalidData, "bad value", FullLocation()).WithContext("reading data.csv");
  EXPECT_EQ(status.code(), ErrorCode::kInvalidData);
  EXPECT_EQ(status.message(), "reading data.csv: bad value");
  EXPECT_EQ(status.location().file, "data.csv");
  EXPECT_EQ(status.location().line, 3);
  EXPECT_EQ(status.location().column, 7);
  EXPECT_EQ(status.location().row, 2);
  EXPECT_EQ(status.location().field, "age");
  // Context accumulates on the way up, outermost first.
  EXPECT_EQ(status.WithContext("fit").message(), "fit: reading data.csv: bad value");
}

TEST(Status, WithContextOnOkStaysOk) {
  const Status status = Status::Ok().WithContext("reading schema.json");
  EXPECT_TRUE(status.ok());
  EXPECT_EQ(status.message(), "");
}

TEST(Status, WithFileFillsOnlyAnUnknownFile) {
  SourceLocation location;
  location.line = 4;
  location.column = 9;
  const Status filled = Status(ErrorCode::kInvalidData, "bad", location).WithFile("schema.json");
  EXPECT_EQ(filled.location().file, "schema.json");
  EXPECT_EQ(filled.location().line, 4);
  EXPECT_EQ(filled.location().column, 9);
  EXPECT_EQ(filled.ToString(), "schema.json:4:9: error: bad");

  const Status kept = Status(ErrorCode::kInvalidData, "bad", FullLocation()).WithFile("other.csv");
  EXPECT_EQ(kept.location().file, "data.csv");

  EXPECT_TRUE(Status::Ok().WithFile("x").ok());
  EXPECT_TRUE(Status::Ok().WithFile("x").location().empty());
}

TEST(Status, WithLocationReplacesLocation) {
  const Status status = InvalidData("bad").WithLocation(FullLocation());
  EXPECT_EQ(status.code(), ErrorCode::kInvalidData);
  EXPECT_EQ(status.ToString(), "data.csv:3:7 (row 2, field 'age'): error: bad");
  EXPECT_TRUE(Status::Ok().WithLocation(FullLocation()).ok());
}

TEST(Status, FactoriesSetCodeMessageAndFile) {
  EXPECT_EQ(InvalidArgument("a").code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(InvalidData("b").code(), ErrorCode::kInvalidData);
  EXPECT_EQ(NotFitted("c").code(), ErrorCode::kNotFitted);
  EXPECT_EQ(Internal("d").code(), ErrorCode::kInternal);
  const Status io = IOError("cannot open", "in.csv");
  EXPECT_EQ(io.code(), ErrorCode::kIO);
  EXPECT_EQ(io.message(), "cannot open");
  EXPECT_EQ(io.location().file, "in.csv");
  EXPECT_EQ(io.ToString(), "in.csv: error: cannot open");
  const Status exists = AlreadyExists("exists", "out.csv");
  EXPECT_EQ(exists.code(), ErrorCode::kAlreadyExists);
  EXPECT_EQ(exists.location().file, "out.csv");
}

TEST(Status, ErrorCodeNamesAreDistinct) {
  EXPECT_STREQ(ErrorCodeName(ErrorCode::kOk), "ok");
  EXPECT_STREQ(ErrorCodeName(ErrorCode::kInvalidArgument), "invalid argument");
  EXPECT_STREQ(ErrorCodeName(ErrorCode::kInvalidData), "invalid data");
  EXPECT_STREQ(ErrorCodeName(ErrorCode::kNotFitted), "not fitted");
  EXPECT_STREQ(ErrorCodeName(ErrorCode::kIO), "I/O error");
  EXPECT_STREQ(ErrorCodeName(ErrorCode::kAlreadyExists), "already exists");
  EXPECT_STREQ(ErrorCodeName(ErrorCode::kInternal), "internal error");
}

TEST(Result, HoldsValue) {
  Result<int> result(42);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result.value(), 42);
  EXPECT_EQ(*result, 42);
  EXPECT_TRUE(result.status().ok());
}

TEST(Result, HoldsError) {
  const Result<int> result(InvalidData("broken"));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), ErrorCode::kInvalidData);
  EXPECT_EQ(result.status().message(), "broken");
}

TEST(Result, FromOkStatusBecomesInternalError) {
  const Result<int> result(Status::Ok());
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), ErrorCode::kInternal);
  EXPECT_NE(result.status().message().find("OK status"), std::string::npos) << result.status().message();
}

TEST(Result, MoveOnlyValue) {
  Result<std::unique_ptr<int>> result(std::make_unique<int>(7));
  ASSERT_TRUE(result.ok());
  std::unique_ptr<int> owned = std::move(result).value();
  ASSERT_NE(owned, nullptr);
  EXPECT_EQ(*owned, 7);
}

TEST(Result, ArrowOperator) {
  Result<std::string> result(std::string("abc"));
  EXPECT_EQ(result->size(), 3u);
}

// Helpers for the macro tests.
int g_calls = 0;

Status CountedStatus(bool fail) {
  ++g_calls;
  return fail ? InvalidData("step failed") : Status::Ok();
}

Result<int> CountedResult(bool fail, int value) {
  ++g_calls;
  if (fail) return InvalidArgument("no value");
  return value;
}

Status TwoSteps(bool fail_first, bool fail_second, int& reached) {
  reached = 0;
  SYNTHSCALE_RETURN_IF_ERROR(CountedStatus(fail_first));
  reached = 1;
  SYNTHSCALE_RETURN_IF_ERROR(CountedStatus(fail_second));
  reached = 2;
  return Status::Ok();
}

TEST(Macros, ReturnIfErrorPassesErrorOn) {
  int reached = -1;
  g_calls = 0;
  EXPECT_TRUE(TwoSteps(false, false, reached).ok());
  EXPECT_EQ(reached, 2);
  EXPECT_EQ(g_calls, 2);  // each expression evaluated exactly once

  g_calls = 0;
  const Status first = TwoSteps(true, false, reached);
  EXPECT_EQ(first.code(), ErrorCode::kInvalidData);
  EXPECT_EQ(first.message(), "step failed");
  EXPECT_EQ(reached, 0);
  EXPECT_EQ(g_calls, 1);

  const Status second = TwoSteps(false, true, reached);
  EXPECT_EQ(second.code(), ErrorCode::kInvalidData);
  EXPECT_EQ(reached, 1);
}

Result<int> SumOfTwo(bool fail_first, bool fail_second) {
  SYNTHSCALE_ASSIGN_OR_RETURN(int first, CountedResult(fail_first, 20));
  SYNTHSCALE_ASSIGN_OR_RETURN(const int second, CountedResult(fail_second, 22));
  return first + second;
}

TEST(Macros, AssignOrReturnBindsOrReturns) {
  g_calls = 0;
  const Result<int> sum = SumOfTwo(false, false);
  ASSERT_TRUE(sum.ok());
  EXPECT_EQ(*sum, 42);
  EXPECT_EQ(g_calls, 2);

  g_calls = 0;
  const Result<int> failed = SumOfTwo(true, false);
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(failed.status().message(), "no value");
  EXPECT_EQ(g_calls, 1);  // stopped at the first failure

  EXPECT_EQ(SumOfTwo(false, true).status().code(), ErrorCode::kInvalidArgument);
}

Status AssignToExisting(bool fail, int& out) {
  out = -1;
  SYNTHSCALE_ASSIGN_OR_RETURN(out, CountedResult(fail, 5));
  return Status::Ok();
}

TEST(Macros, AssignOrReturnToExistingVariable) {
  int out = 0;
  EXPECT_TRUE(AssignToExisting(false, out).ok());
  EXPECT_EQ(out, 5);
  EXPECT_FALSE(AssignToExisting(true, out).ok());
  EXPECT_EQ(out, -1);
}

Result<std::unique_ptr<int>> MakeOwned(bool fail) {
  if (fail) return InvalidData("none");
  return std::make_unique<int>(9);
}

Result<int> UnwrapOwned(bool fail) {
  SYNTHSCALE_ASSIGN_OR_RETURN(std::unique_ptr<int> owned, MakeOwned(fail));
  return *owned;
}

TEST(Macros, AssignOrReturnMovesMoveOnlyValues) {
  ASSERT_TRUE(UnwrapOwned(false).ok());
  EXPECT_EQ(*UnwrapOwned(false), 9);
  EXPECT_EQ(UnwrapOwned(true).status().message(), "none");
}

Result<int> ReturnIfErrorInResultFunction(bool fail) {
  SYNTHSCALE_RETURN_IF_ERROR(CountedStatus(fail));
  return 1;
}

TEST(Macros, ReturnIfErrorWorksInFunctionsReturningResult) {
  EXPECT_EQ(*ReturnIfErrorInResultFunction(false), 1);
  const Result<int> failed = ReturnIfErrorInResultFunction(true);
  EXPECT_EQ(failed.status().code(), ErrorCode::kInvalidData);
  EXPECT_EQ(failed.status().message(), "step failed");
}

}  // namespace
}  // namespace synthscale
