// JSON for the command-line tools' --json output, through nlohmann::ordered_json (strings escaped, numbers
// locale-free). JSON has no NaN or infinity: such a value is written as null, and the object's
// "not_finite" member names each key that got a null, so a script can tell "unknown" from "absent".
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace gan::app {

/// Sets `object[key]` to `value`, or to null (recorded in object["not_finite"]) when it is NaN or
/// infinite.
void put_number(nlohmann::ordered_json& object, const std::string& key, double value);

/// Sets `object[key]` to the array of `values`; a non-finite element makes the whole member null.
void put_numbers(nlohmann::ordered_json& object, const std::string& key, const std::vector<double>& values);

/// One line of JSON: compact, UTF-8 kept, invalid UTF-8 replaced rather than thrown on.
std::string json_line(const nlohmann::ordered_json& object);

}  // namespace gan::app
