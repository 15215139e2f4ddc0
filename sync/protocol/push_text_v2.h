#pragma once
// Internal to sync/protocol: a v2 push body (wire_v2.h) read straight from its text into ops,
// without a json tree. Through the tree, decoding was a fifth of a push's CPU on the hub.
//
// Contract: for any text the answer is either nullopt — "not read here": DecodePushRequest
// then decodes the text as before, with the same result or the same error — or exactly the
// PushRequest the tree decoder returns for that text, which has passed Validate(m, size).
// It reads only the compact form that PushBodyV2 writes: no whitespace, no escapes in
// strings, no unknown or repeated keys, no nulls, integers of at most 19 digits, values of any
// JSON (those that are not plain strings, short integers or literals go through nlohmann).
// Anything else, and anything the tree decoder would refuse, is nullopt.
// Pure function; any thread.
#include <optional>
#include <span>
#include <string_view>

#include "sync/protocol/messages.h"

namespace gocua::protocol {

std::optional<PushRequest> ReadPushRequestV2Text(std::string_view text,
                                                 std::span<const int> spoken);

// DecodePushRequest (messages.h) through the json tree only, v1 and v2: what it answers when
// ReadPushRequestV2Text does not read the text (tests compare the two).
Result<PushRequest> DecodePushRequestTree(std::string_view text, std::span<const int> spoken);

}  // namespace gocua::protocol
