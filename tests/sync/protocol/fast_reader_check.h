#pragma once
// What the tests of the tree-free v2 readers (pull_text_v2_test, push_text_v2_test) share: a
// fast reader must agree with the json-tree decoder wherever it reads, and the combined
// decoder must give the tree's answer, errors and messages included.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <string>
#include <string_view>

#include "sync/protocol/errors.h"

namespace gocua::protocol::testing {

// Values equal in type and text too (json's == holds 1 == 1u == 1.0).
inline bool SameValue(const nlohmann::json& a, const nlohmann::json& b) {
  return a.type() == b.type() && a.dump() == b.dump();
}

// `fast` (optional: read, or left to the tree), `tree` and `both` (Results) read the same text;
// `same` compares two messages. Returns whether the fast reader read it.
template <class Message, class Same>
bool CheckAgrees(const std::optional<Message>& fast, const Result<Message>& tree,
                 const Result<Message>& both, Same same) {
  if (fast) {
    REQUIRE(tree.ok());
    CHECK(same(*fast, *tree));
  }
  REQUIRE(both.ok() == tree.ok());
  if (tree.ok()) {
    CHECK(same(*both, *tree));
  } else {
    CHECK(WireCode(both.error()) == WireCode(tree.error()));
    CHECK(both.error().message() == tree.error().message());
  }
  return fast.has_value();
}

// Calls `check` on 8 damaged copies of `text` each of a cut, a byte replaced and a byte
// inserted, the bytes drawn from `bytes`.
template <class Check>
void CheckDamaged(const std::string& text, std::string_view bytes, std::mt19937& rng,
                  Check check) {
  for (int k = 0; k < 8; ++k) {
    check(text.substr(0, rng() % text.size()));
    std::string t = text;
    t[rng() % t.size()] = bytes[rng() % bytes.size()];
    check(t);
    t = text;
    t.insert(rng() % t.size(), 1, bytes[rng() % bytes.size()]);
    check(t);
  }
}

}  // namespace gocua::protocol::testing
