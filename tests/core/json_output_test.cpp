// The tools' --json output (app/json_output.h): never a NaN or infinity, strings escaped.
#include "app/json_output.h"

#include <gtest/gtest.h>

#include <clocale>
#include <limits>
#include <string>

namespace gan::app {
namespace {

TEST(JsonOutput, NonFiniteNumbersBecomeNullAndAreNamed) {
  nlohmann::ordered_json object;
  put_number(object, "inception_score", 8.5);
  put_number(object, "fid_mnist", std::numeric_limits<double>::quiet_NaN());
  put_number(object, "speed", std::numeric_limits<double>::infinity());
  put_numbers(object, "class_histogram", {0.5, std::numeric_limits<double>::quiet_NaN()});
  const std::string line = json_line(object);
  EXPECT_EQ(line.find("nan"), std::string::npos) << line;
  EXPECT_EQ(line.find("inf"), std::string::npos) << line;
  const nlohmann::ordered_json back = nlohmann::ordered_json::parse(line);
  EXPECT_EQ(back["inception_score"], 8.5);
  EXPECT_TRUE(back["fid_mnist"].is_null());
  EXPECT_TRUE(back["class_histogram"].is_null());
  EXPECT_EQ(back["not_finite"], (nlohmann::ordered_json{"fid_mnist", "speed", "class_histogram"}));
}

TEST(JsonOutput, StringsAreEscapedAndBadUtf8DoesNotThrow) {
  nlohmann::ordered_json object;
  object["source"] = std::string("runs/\"odd\"\\name\n\x01\tend");
  const nlohmann::ordered_json back = nlohmann::ordered_json::parse(json_line(object));
  EXPECT_EQ(back["source"], "runs/\"odd\"\\name\n\x01\tend");
  object["source"] = std::string("caf\xe9");  // Latin-1, not UTF-8: replaced, not thrown
  nlohmann::ordered_json parsed;
  EXPECT_NO_THROW(parsed = nlohmann::ordered_json::parse(json_line(object)));
  EXPECT_TRUE(parsed.contains("source"));
}

TEST(JsonOutput, NumbersUseAPointInEveryLocale) {
  const std::string previous = std::setlocale(LC_NUMERIC, nullptr);
  ASSERT_NE(std::setlocale(LC_NUMERIC, "de_DE.UTF-8"), nullptr) << "packaging/setup.sh generates de_DE.UTF-8";
  nlohmann::ordered_json object;
  put_number(object, "lr", 0.0002);
  const std::string line = json_line(object);
  std::setlocale(LC_NUMERIC, previous.c_str());
  EXPECT_EQ(line, R"({"lr":0.0002})");
}

}  // namespace
}  // namespace gan::app
