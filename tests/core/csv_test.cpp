// The one CSV dialect (core/io/csv.h): what every run and sweep file is written and read back in.
#include "core/io/csv.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace gan {
namespace {

TEST(Csv, FieldsThatNeedItAreQuotedAndReadBackAsTheyWere) {
  EXPECT_EQ(csv_field("plain"), "plain");
  EXPECT_EQ(csv_field(""), "");
  EXPECT_EQ(csv_field("a,b"), "\"a,b\"");
  EXPECT_EQ(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(csv_field("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(csv_field("cr\r"), "\"cr\r\"");

  const std::vector<std::string> fields = {"12", "alarm", "D wins, \"by far\": lower its lr", "", "/runs/a,b/c.pt"};
  const std::string row = csv_row(fields);
  EXPECT_EQ(row, "12,alarm,\"D wins, \"\"by far\"\": lower its lr\",,\"/runs/a,b/c.pt\"\n");
  const auto back = parse_csv_row(row.substr(0, row.size() - 1));
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, fields);
}

TEST(Csv, RowsReadWithCrlfAndEmptyFields) {
  EXPECT_EQ(parse_csv_row("a,,b\r"), (std::vector<std::string>{"a", "", "b"}));
  EXPECT_EQ(parse_csv_row("a,"), (std::vector<std::string>{"a", ""}));
  EXPECT_EQ(parse_csv_row(""), (std::vector<std::string>{""}));
  EXPECT_EQ(parse_csv_row("\"\""), (std::vector<std::string>{""}));
}

TEST(Csv, MalformedRowsAreNoRows) {
  EXPECT_FALSE(parse_csv_row("\"never closed"));
  EXPECT_FALSE(parse_csv_row("\"closed\"then text"));
  EXPECT_FALSE(parse_csv_row("bare \"quote"));
}

TEST(Csv, ALineBreakInsideQuotesBelongsToTheField) {
  const std::string text = "step,event,detail\n" + csv_row({"3", "failed", "line one\nline two"}) + "4,stopped,\n\"cut";
  const auto records = csv_records(text);
  ASSERT_EQ(records.size(), 3u);  // the record cut short at the end is dropped
  const auto failed = parse_csv_row(records[1]);
  ASSERT_TRUE(failed);
  EXPECT_EQ((*failed)[2], "line one\nline two");
  EXPECT_EQ(parse_csv_row(records[2]), (std::vector<std::string>{"4", "stopped", ""}));
}

}  // namespace
}  // namespace gan
