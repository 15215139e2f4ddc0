#include "tools/bench/fake_data.h"

#include <utf8proc.h>

#include <cstdlib>

#include "storage/io/csv.h"

namespace gocua::bench {
namespace {

struct Weighted {
  const char* text;
  int weight;  // per mille, roughly
};

// Surname frequencies after the usual published estimates (Nguyễn ~38 %).
constexpr Weighted kSurnames[] = {
    {"Nguyễn", 380}, {"Trần", 110}, {"Lê", 95},    {"Phạm", 70}, {"Hoàng", 35}, {"Huỳnh", 16},
    {"Phan", 45},    {"Vũ", 25},    {"Võ", 14},    {"Đặng", 21}, {"Bùi", 20},   {"Đỗ", 14},
    {"Hồ", 13},      {"Ngô", 13},   {"Dương", 10}, {"Lý", 5},    {"Đinh", 8},   {"Đào", 7},
    {"Lương", 5},    {"Trịnh", 6},  {"Mai", 5},    {"Tạ", 3},    {"Hà", 6},     {"Lò", 3},
    {"Triệu", 3},    {"Nông", 3},   {"Ma", 2},     {"Quách", 2}, {"Cao", 4},    {"Chu", 3}};

constexpr const char* kMaleMiddle[] = {"Văn",  "Văn",   "Văn",  "Đức",  "Minh", "Hữu",  "Quang",
                                       "Xuân", "Thanh", "Công", "Ngọc", "Đình", "Tiến", "Mạnh"};
constexpr const char* kFemaleMiddle[] = {"Thị",  "Thị", "Thị",  "Thị", "Ngọc",   "Thu", "Thanh",
                                         "Minh", "Kim", "Bích", "Mai", "Phương", "Hồng"};
constexpr const char* kMaleGiven[] = {
    "Anh",  "Bình", "Cường", "Dũng",  "Đức",  "Hải",   "Hùng", "Huy",   "Khánh", "Long",
    "Minh", "Nam",  "Phong", "Quân",  "Sơn",  "Thắng", "Tuấn", "Việt",  "Hiếu",  "Trung",
    "Đạt",  "Hòa",  "Lâm",   "Thành", "Tùng", "Vinh",  "Kiên", "Lợi",   "Toàn",  "Chiến",
    "Hưng", "Phúc", "Tài",   "Thịnh", "Quý",  "Tâm",   "Hậu",  "Nghĩa", "Sáng",  "Khải"};
constexpr const char* kFemaleGiven[] = {
    "Anh",  "Chi",   "Dung", "Giang", "Hà",     "Hạnh",  "Hoa",   "Hồng", "Hương", "Lan",
    "Linh", "Mai",   "Ngọc", "Nhung", "Phương", "Quỳnh", "Thảo",  "Thu",  "Trang", "Vân",
    "Yến",  "Hằng",  "Loan", "Nga",   "Oanh",   "Thủy",  "Tuyết", "Xuân", "Huyền", "Liên",
    "Nhàn", "Duyên", "Hiền", "Lụa",   "Thơm",   "Tươi",  "Ánh",   "Diệu", "Hậu",   "Bích"};

// Mobile prefixes of the three big networks after the 2018 renumbering.
constexpr const char* kPhonePrefixes[] = {"032", "033", "034", "035", "036", "037", "038",
                                          "039", "086", "096", "097", "098", "081", "082",
                                          "083", "084", "085", "088", "091", "094", "070",
                                          "076", "077", "078", "079", "089", "090", "093"};

constexpr const char* kNotes[] = {
    "Đã cài VNeID, hẹn quay lại kích hoạt mức 2 khi có căn cước gắn chip.",
    "Hướng dẫn mở tài khoản ngân hàng trên điện thoại, bà con đã tự chuyển khoản được.",
    "Gia đình chưa có điện thoại thông minh, cần hỗ trợ sau.",
    "Cài Zalo và hướng dẫn gọi video cho con đi làm xa.",
    "Nhắc về tin nhắn lừa đảo giả danh công an, đã cài xác thực hai bước.",
    "Đăng ký bán chè trên Postmart, cần chụp lại ảnh sản phẩm.",
    "Đặt lịch khám qua VssID cho ông, lần sau hướng dẫn tra cứu sổ sức khỏe.",
    "Nộp hồ sơ đăng ký khai sinh trực tuyến cho cháu.",
    "Mạng yếu, chưa làm xong; hẹn cuối tuần.",
    "Thanh toán tiền điện bằng QR thành công."};

const char* Pick(std::mt19937_64& rng, const char* const* items, size_t n) {
  return items[std::uniform_int_distribution<size_t>(0, n - 1)(rng)];
}

template <size_t N>
const char* Pick(std::mt19937_64& rng, const char* const (&items)[N]) {
  return Pick(rng, items, N);
}

const char* Surname(std::mt19937_64& rng) {
  static const int total = [] {
    int t = 0;
    for (const Weighted& w : kSurnames) t += w.weight;
    return t;
  }();
  int r = std::uniform_int_distribution<int>(0, total - 1)(rng);
  for (const Weighted& w : kSurnames) {
    if (r < w.weight) return w.text;
    r -= w.weight;
  }
  return kSurnames[0].text;
}

std::string GivenPart(std::mt19937_64& rng, bool female) {
  std::string out = female ? Pick(rng, kFemaleMiddle) : Pick(rng, kMaleMiddle);
  // One name in five has a second middle name ("Nguyễn Thị Thu Hương").
  if (std::uniform_int_distribution<int>(0, 4)(rng) == 0)
    out += std::string(" ") + (female ? Pick(rng, kFemaleGiven) : Pick(rng, kMaleGiven));
  out += std::string(" ") + (female ? Pick(rng, kFemaleGiven) : Pick(rng, kMaleGiven));
  return out;
}

}  // namespace

const std::vector<std::string>& FakeData::VillageNames() {
  static const std::vector<std::string> names = {
      "Thôn 1",         "Thôn 2",    "Thôn 3",         "Thôn 4",
      "Thôn Đông",      "Thôn Đoài", "Thôn Trung Tâm", "Bản Nà Lầu",
      "Bản Khuổi Phầy", "Xóm Mới",   "Thôn Đồng Tâm",  "Thôn Làng Chùa"};
  return names;
}

int FakeData::Uniform(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }

std::string FakeData::FullName(bool female) {
  return std::string(Surname(rng_)) + " " + GivenPart(rng_, female);
}

std::string FakeData::Phone() {
  if (Uniform(1, 100) <= 15) return "";  // no phone given
  std::string digits = Pick(rng_, kPhonePrefixes);
  while (digits.size() < 10) digits.push_back(static_cast<char>('0' + Uniform(0, 9)));
  switch (Uniform(0, 3)) {
    case 0:
      return digits.substr(0, 4) + " " + digits.substr(4, 3) + " " + digits.substr(7);
    case 1:
      return digits.substr(0, 4) + "." + digits.substr(4, 3) + "." + digits.substr(7);
    default:
      return digits;
  }
}

std::vector<FakeHousehold> FakeData::Households(size_t n) {
  const auto& villages = VillageNames();
  std::vector<int> next_house(villages.size(), 1);
  std::vector<FakeHousehold> out;
  out.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    FakeHousehold h;
    const size_t v = static_cast<size_t>(Uniform(0, static_cast<int>(villages.size()) - 1));
    h.village = villages[v];
    // The house number is unique within the village, so the address is too.
    const int house = next_house[v]++;
    const std::string no = std::to_string(house), group = std::to_string(house / 40 + 1);
    switch (house % 4) {
      case 0:
        h.address = "Số " + no + ", xóm " + group;
        break;
      case 1:
        h.address = "Tổ " + group + ", số nhà " + no;
        break;
      case 2:
        h.address = "Ngõ " + group + " - nhà " + no;
        break;
      default:
        h.address = "Xóm " + group + " số " + no;
    }
    h.head_name = FullName(Uniform(1, 100) <= 30);  // three heads in ten are women
    h.phone = Phone();
    h.members_count = Uniform(1, 8);
    h.working_age_count = Uniform(0, h.members_count);
    h.smartphones = Uniform(0, 4);
    h.home_internet = Uniform(1, 100) <= 55;
    out.push_back(std::move(h));
  }
  return out;
}

FakePerson FakeData::PersonOf(const std::string& head_name) {
  FakePerson p;
  const bool female = Uniform(0, 1) == 1;
  // A spouse usually keeps her own surname; children take the head's.
  if (Uniform(1, 100) <= 70) {
    const std::string surname = head_name.substr(0, head_name.find(' '));
    p.name = surname + " " + GivenPart(rng_, female);
  } else {
    p.name = FullName(female);
  }
  p.birth_year = Uniform(1940, 2018);
  p.sex = female ? "female" : "male";
  return p;
}

std::string FakeData::VisitNote() {
  if (Uniform(0, 1) == 0) return "";
  return Pick(rng_, kNotes);
}

std::string HouseholdsCsv(const std::vector<FakeHousehold>& hs) {
  std::string out =
      CsvLine({"STT", "Thôn", "Số nhà/Địa chỉ", "Chủ hộ", "Số điện thoại", "Số nhân khẩu",
               "Số người trong độ tuổi lao động", "Số điện thoại thông minh", "Internet tại nhà"});
  out.reserve(hs.size() * 120);
  size_t stt = 0;
  for (const FakeHousehold& h : hs) {
    out += CsvLine({std::to_string(++stt), h.village, h.address, h.head_name, h.phone,
                    std::to_string(h.members_count), std::to_string(h.working_age_count),
                    std::to_string(h.smartphones), h.home_internet ? "Có" : "Không"});
  }
  return out;
}

std::string PhoneDigits(const std::string& phone) {
  std::string out;
  for (char c : phone)
    if ((c >= '0' && c <= '9') || (c == '+' && out.empty())) out.push_back(c);
  return out;
}

std::string ToNfd(const std::string& s) {
  utf8proc_uint8_t* nfd = utf8proc_NFD(reinterpret_cast<const utf8proc_uint8_t*>(s.c_str()));
  if (!nfd) return s;
  std::string out(reinterpret_cast<const char*>(nfd));
  std::free(nfd);
  return out;
}

}  // namespace gocua::bench
