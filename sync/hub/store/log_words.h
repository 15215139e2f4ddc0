#pragma once
// The words of the binary log's value tag 4 and 5 (log_binary.h): the closed sets a record's
// fields take their strings from (storage/core/records.h, schema.h, topic_catalog.cpp) — review
// statuses, topic results, skill levels, sexes, topic ids — each one byte in a run's `rest`.
// Append only: a word's code is written to disk (the SQLite hub copies the list into the table
// hub_words for the view hub_ops, sqlite/hub_ops_view.h). A string not in the list is written
// as its JSON text. Pure; any thread.
#include <cstddef>
#include <string_view>

namespace gocua::hub_internal {

// The words, code = index. Plain ASCII, nothing a JSON string escapes.
extern const std::string_view kLogWords[];
extern const size_t kLogWordCount;

// The code of `word`, or -1 when it is not in the list.
int LogWordCode(std::string_view word);

}  // namespace gocua::hub_internal
