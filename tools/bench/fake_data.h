#pragma once
// Deterministic, realistic-looking data of one commune for the benchmarks: Vietnamese names
// with the national surname frequencies, village and lane addresses, mobile numbers written
// the ways people write them. The same seed gives the same data on every machine.
#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace gocua::bench {

struct FakeHousehold {
  std::string village;    // one of FakeData::VillageNames()
  std::string address;    // unique within its village
  std::string head_name;  // NFC, with diacritics
  std::string phone;      // as written in a spreadsheet ("0912 345 678"), or ""
  int members_count = 0;
  int working_age_count = 0;
  int smartphones = 0;
  bool home_internet = false;
};

struct FakePerson {
  std::string name;
  int birth_year = 0;
  std::string sex;  // "male" | "female"
};

class FakeData {
 public:
  explicit FakeData(uint64_t seed) : rng_(seed) {}

  static const std::vector<std::string>& VillageNames();

  // `n` households spread over the villages; (village, head, address) never repeats.
  std::vector<FakeHousehold> Households(size_t n);
  // A member of the household whose head is `head_name`: usually shares the head's surname.
  FakePerson PersonOf(const std::string& head_name);
  // "Nguyễn Văn Đức", "Trần Thị Thu Hương".
  std::string FullName(bool female);
  // A visit note as team members type them, or "" (about half of visits have none).
  std::string VisitNote();
  // Uniform in [lo, hi].
  int Uniform(int lo, int hi);

 private:
  std::string Phone();
  std::mt19937_64 rng_;
};

// The households as a commune's spreadsheet: Vietnamese headers, an STT column, CRLF lines.
std::string HouseholdsCsv(const std::vector<FakeHousehold>& hs);
// "0912 345 678" → "0912345678"; keeps a leading '+'.
std::string PhoneDigits(const std::string& phone);
// The NFD spelling of `s` (as macOS and some input methods produce).
std::string ToNfd(const std::string& s);

}  // namespace gocua::bench
