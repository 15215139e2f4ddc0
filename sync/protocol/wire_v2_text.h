#pragma once
// Internal to sync/protocol: a v2 push body and a v2 pull page (wire_v2.h) read straight from
// their text into ops, without a json tree. Through the tree, decoding was a fifth of a push's
// CPU on the hub.
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
#include <vector>

#include "sync/protocol/messages.h"

namespace gocua::protocol {

std::optional<PushRequest> ReadPushRequestV2Text(std::string_view text,
                                                 std::span<const int> spoken);

// The same for the hub (DecodePushRuns, messages.h): nullopt exactly when
// ReadPushRequestV2Text is, else its PushRequest except that an op after the first of its run
// on the wire — (*follows)[i] set — is left without origin_device, record_type, record_id and
// author (they are the op before's, which its run's first op holds). `follows` gets one entry
// per op.
std::optional<PushRequest> ReadPushRunsV2Text(std::string_view text, std::span<const int> spoken,
                                              std::vector<bool>* follows);

// The same for a v2 pull page (EncodePullResponseV2's form; "devices" through nlohmann):
// nullopt, and DecodePullResponseV2 decodes the text through the tree as before, or exactly the
// PullResponse the tree decoder returns, which has passed Validate. On a device, through the
// tree, decoding a page cost half as much CPU as applying it.
std::optional<PullResponse> ReadPullResponseV2Text(std::string_view text);

// DecodePullResponseV2 (wire_v2.h) through the json tree only (tests compare the two).
Result<PullResponse> DecodePullResponseV2Tree(std::string_view text);

// DecodePushRequest (messages.h) through the json tree only, v1 and v2: what it answers when
// ReadPushRequestV2Text does not read the text (tests compare the two).
Result<PushRequest> DecodePushRequestTree(std::string_view text, std::span<const int> spoken);

}  // namespace gocua::protocol
