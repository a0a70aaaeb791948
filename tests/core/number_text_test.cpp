#include "core/io/number_text.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>

namespace gan {
namespace {

TEST(NumberText, ShortestTextRoundTripsAndReadsLikePrintf) {
  EXPECT_EQ(shortest_text(0.0002), "0.0002");
  EXPECT_EQ(shortest_text(0.5), "0.5");
  EXPECT_EQ(shortest_text(1e-8), "1e-08");
  EXPECT_EQ(shortest_text(64), "64");
  EXPECT_EQ(shortest_text(10), "10");  // not %g's "1e+01" (the GP weight's default read so in the panel)
  EXPECT_EQ(shortest_text(-2500), "-2500");
  EXPECT_EQ(shortest_text(1e6), "1000000");
  EXPECT_EQ(shortest_text(1e20), "1e+20");
  EXPECT_EQ(shortest_text(0.1 + 0.2), "0.30000000000000004");
  std::mt19937_64 random(5);
  std::uniform_real_distribution<double> exponent(-30, 30);
  for (int i = 0; i < 2000; ++i) {
    const double value = std::pow(10.0, exponent(random)) * (i % 2 ? 1 : -1);
    EXPECT_EQ(parse_double(shortest_text(value)), value) << shortest_text(value);
  }
}

TEST(NumberText, FixedAndGeneralMatchTheirPrintfFormats) {
  EXPECT_EQ(general_text(0.693147, 6), "0.693147");
  EXPECT_EQ(general_text(1234567.0, 6), "1.23457e+06");
  EXPECT_EQ(fixed_text(1.5, 4), "1.5000");
  EXPECT_EQ(fixed_text(-0.00004, 4), "-0.0000");
  EXPECT_EQ(general_text(std::numeric_limits<double>::quiet_NaN(), 6), "nan");
  EXPECT_EQ(fixed_text(1e300, 2).size(), 301u + 3u);  // big numbers do not overflow the buffer
}

TEST(NumberText, ParsingTakesWholeNumbersOnly) {
  EXPECT_EQ(parse_double("0.25"), 0.25);
  EXPECT_EQ(parse_double("1e-4"), 1e-4);
  EXPECT_FALSE(parse_double("0,25"));  // a German decimal comma is not a number here
  EXPECT_FALSE(parse_double("0.25x"));
  EXPECT_FALSE(parse_double(""));
  EXPECT_FALSE(parse_double(" 1"));
  EXPECT_TRUE(std::isnan(*parse_double("nan")));
  EXPECT_EQ(parse_int("0001234"), 1234);
  EXPECT_FALSE(parse_int("12.5"));
  EXPECT_FALSE(parse_int("99999999999999999999"));

  std::string_view row = "1.5,2";
  EXPECT_EQ(take_double(row), 1.5);
  EXPECT_EQ(row, ",2");
  EXPECT_FALSE(take_double(row));
  EXPECT_EQ(row, ",2");
}

}  // namespace
}  // namespace gan
