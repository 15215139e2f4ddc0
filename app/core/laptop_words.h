#pragma once
// Times and codes on the leader's "Máy của xã" screen in plain words, in the current language
// (i18n.h): "2 giờ trước", "Hết hạn lúc 15:30 hôm nay", "7K2M-9QXP".
//
// Threading: UI thread only (Tr, and local time through std::localtime).
#include <cstdint>
#include <string>

namespace gocua::app {

// How long ago `then_ms` was at `now_ms` (same clock): "vừa xong", "5 phút trước", "2 giờ
// trước", "3 ngày trước", past 30 days the date; 0 = "chưa đồng bộ lần nào".
std::string AgoWords(int64_t then_ms, int64_t now_ms);
// When a code stops working, in this laptop's local time, against `now_ms`: "Hết hạn lúc 15:30
// hôm nay", "… ngày mai", "… ngày 12/12/2026"; "Đã hết hạn" once past.
std::string ExpiryWords(int64_t expires_ms, int64_t now_ms);
// An enrollment code in groups of four for reading aloud, as it is typed: "7k2m9qxp" →
// "7K2M-9QXP" (the hub ignores the dashes and the case; the app refuses spaces in a code).
std::string GroupCode(const std::string& code);

}  // namespace gocua::app
