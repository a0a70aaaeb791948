// The one CSV dialect of every file GAN Studio writes and reads back (metrics.csv, events.csv,
// sweep.csv): RFC 4180 fields — a field holding a comma, a double quote, CR or LF is enclosed in
// double quotes, its quotes doubled — with records ending in LF (readers also take CRLF).
// Before this there were three: events.csv turned commas into ';' and wrote paths unescaped,
// sweep.csv quoted, metrics.csv had its own field scanner.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gan {

/// `text` as one CSV field: as it is, or quoted when it must be.
std::string csv_field(std::string_view text);

/// The fields as one record, each through csv_field, joined by ',' and ended by '\n'.
std::string csv_row(const std::vector<std::string>& fields);

/// The fields of one record (a line without its line break; a trailing CR is dropped). nullopt when
/// it is not well-formed CSV: a quote left open, or text after a closing quote.
std::optional<std::vector<std::string>> parse_csv_row(std::string_view line);

/// Splits `text` into records: a line break inside a quoted field belongs to the field. A record
/// left open at the end (a quote never closed, a file cut short) is dropped.
std::vector<std::string> csv_records(std::string_view text);

}  // namespace gan
