#pragma once

// How CSV values are written: the scalar recognisers (missing tokens, booleans, integers, doubles,
// dates) that inference and conversion share, so every reader agrees on what a field means.
// Internal to core/data (CsvReader, CsvBatchReader); inline because they run once per cell.

#include <QString>

#include <algorithm>
#include <cfloat>
#include <charconv>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

namespace baton::csv {

using Sv = std::string_view;

constexpr bool isSpace(char c)
{
    return c == ' ' || c == '\t';
}

inline Sv trimmed(Sv s)
{
    // Most cells have no surrounding spaces: one comparison at each end (a byte above ' ' is not
    // a space; control bytes below it take the exact test).
    if (s.empty() || (uint8_t(s.front()) > ' ' && uint8_t(s.back()) > ' '))
        return s;
    while (!s.empty() && isSpace(s.front()))
        s.remove_prefix(1);
    while (!s.empty() && isSpace(s.back()))
        s.remove_suffix(1);
    return s;
}

// One of the tokens below, other than the empty one (s is trimmed, 1-4 bytes).
bool isMissingWord(Sv s);

// s is trimmed. Tested once per cell: numbers and longer text are told apart inline, without a
// call or a jump on the size (which varies from cell to cell, and was mispredicted often).
inline bool isMissingToken(Sv s)
{
    if (s.size() > 4)
        return false;
    if (s.empty())
        return true;
    if (unsigned(s[0] - '0') <= 9)
        return false;
    return isMissingWord(s);
}

// lower must be lower-case letters only.
inline bool equalsIgnoringCase(Sv s, Sv lower)
{
    if (s.size() != lower.size())
        return false;
    for (size_t i = 0; i < s.size(); ++i) {
        if ((s[i] | 0x20) != lower[i])
            return false;
    }
    return true;
}

// 1 for true/yes, 0 for false/no, -1 for anything else. s is trimmed.
inline int parseBool(Sv s)
{
    if (s.size() < 2 || s.size() > 5)
        return -1;
    if (equalsIgnoringCase(s, "true") || equalsIgnoringCase(s, "yes"))
        return 1;
    if (equalsIgnoringCase(s, "false") || equalsIgnoringCase(s, "no"))
        return 0;
    return -1;
}

// std::from_chars takes no '+'; accept one, but not "+-1" or "++1". s is trimmed.
inline bool stripPlus(Sv &s)
{
    if (!s.empty() && s.front() == '+') {
        s.remove_prefix(1);
        if (s.empty() || s.front() == '+' || s.front() == '-')
            return false;
    }
    return !s.empty();
}

inline bool parseInt64(Sv s, int64_t &out)
{
    if (!stripPlus(s))
        return false;
    // Up to 18 digits cannot overflow: the common case, without from_chars' general machinery.
    if (s.size() <= 18) {
        const bool negative = s.front() == '-';
        size_t i = negative ? 1 : 0;
        if (i == s.size())
            return false;
        int64_t value = 0;
        for (; i < s.size(); ++i) {
            const unsigned digit = unsigned(s[i]) - '0';
            if (digit > 9)
                return false;
            value = value * 10 + int64_t(digit);
        }
        out = negative ? -value : value;
        return true;
    }
    const char *last = s.data() + s.size();
    const auto [ptr, ec] = std::from_chars(s.data(), last, out);
    return ec == std::errc() && ptr == last;
}

// True iff parseDouble() would accept s (trimmed): the std::from_chars(general) grammar plus an
// optional '+'. Inference only needs the verdict, and this costs a fraction of a full parse; the
// test suite checks the two agree, with from_chars as the oracle.
inline bool isDoubleSyntax(Sv s)
{
    if (!stripPlus(s))
        return false;
    const char *p = s.data();
    const char *end = p + s.size();
    if (*p == '-' && ++p == end)
        return false;
    auto isDigit = [](char c) { return c >= '0' && c <= '9'; };
    if (!isDigit(*p) && *p != '.') {
        const Sv word(p, size_t(end - p));
        if (equalsIgnoringCase(word, "inf") || equalsIgnoringCase(word, "infinity")
            || equalsIgnoringCase(word, "nan")) {
            return true;
        }
        // nan(n-char-sequence)
        if (word.size() < 5 || !equalsIgnoringCase(word.substr(0, 4), "nan(") || word.back() != ')')
            return false;
        return std::all_of(word.begin() + 4, word.end() - 1, [&](char c) {
            return isDigit(c) || c == '_' || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
        });
    }
    int mantissaDigits = 0;
    while (p < end && isDigit(*p)) {
        ++p;
        ++mantissaDigits;
    }
    if (p < end && *p == '.') {
        ++p;
        while (p < end && isDigit(*p)) {
            ++p;
            ++mantissaDigits;
        }
    }
    if (mantissaDigits == 0)
        return false;
    if (p < end && (*p == 'e' || *p == 'E')) {
        ++p;
        if (p < end && (*p == '+' || *p == '-'))
            ++p;
        if (p == end || !isDigit(*p))
            return false;
        while (p < end && isDigit(*p))
            ++p;
    }
    return p == end;
}

// Clinger's fast path: a plain decimal [-]digits[.digits][e[+-]digits] whose value is m * 10^e with
// m <= 2^53 and |e| <= 22 is one IEEE multiplication or division of two exact doubles, which is
// correctly rounded, so bit-equal to strtod. Returns false (out untouched) for anything else,
// which then takes from_chars. Needs double arithmetic without excess precision (SSE2, not x87).
inline bool parseSimpleDouble(Sv s, double &out)
{
#if defined(FLT_EVAL_METHOD) && FLT_EVAL_METHOD == 0
    static constexpr double kPowers[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                         1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                         1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
    const char *p = s.data();
    const char *end = p + s.size();
    if (p == end)
        return false;
    // The sign is applied without branching: it varies from cell to cell in many columns.
    const bool negative = *p == '-';
    p += negative;
    // Up to 19 digits fit in 64 bits; longer mantissas (rare) take from_chars.
    const char *digitsBegin = p;
    uint64_t mantissa = 0;
    while (p < end && unsigned(*p - '0') <= 9)
        mantissa = mantissa * 10 + unsigned(*p++ - '0');
    int digits = int(p - digitsBegin);
    int exponent = 0;
    if (p < end && *p == '.') {
        const char *fraction = ++p;
        while (p < end && unsigned(*p - '0') <= 9)
            mantissa = mantissa * 10 + unsigned(*p++ - '0');
        exponent = -int(p - fraction);
        digits -= exponent;
    }
    if (digits == 0 || digits > 19)
        return false;
    if (p < end && (*p == 'e' || *p == 'E')) {
        ++p;
        const bool negativeExponent = p < end && *p == '-';
        if (p < end && (*p == '-' || *p == '+'))
            ++p;
        int written = 0;
        int value = 0;
        for (; p < end && unsigned(*p - '0') <= 9 && written < 6; ++p, ++written)
            value = value * 10 + (*p - '0');
        if (written == 0 || written == 6)
            return false;
        exponent += negativeExponent ? -value : value;
    }
    if (p != end || mantissa > (uint64_t(1) << 53))
        return false;
    double value = double(mantissa);
    if (mantissa == 0)
        value = 0.0;
    else if (exponent >= 0 && exponent <= 22)
        value *= kPowers[exponent];
    else if (exponent < 0 && exponent >= -22)
        value /= kPowers[-exponent];
    else
        return false;
    uint64_t bits;
    std::memcpy(&bits, &value, sizeof bits);
    bits |= uint64_t(negative) << 63;
    std::memcpy(&out, &bits, sizeof bits);
    return true;
#else
    (void)s;
    (void)out;
    return false;
#endif
}

// What parseSimpleDouble() leaves: from_chars, and strtod for what overflows or underflows.
// Out of line: rare, and large enough to stop parseDouble() from being inlined per cell.
bool parseDoubleGenerally(Sv s, double &out);

inline bool parseDouble(Sv s, double &out)
{
    if (!stripPlus(s))
        return false;
    return parseSimpleDouble(s, out) || parseDoubleGenerally(s, out);
}

// Date/time families (bit set): which layouts a value fits. A column keeps the intersection.
namespace DateFamily {
constexpr uint8_t Iso = 1;      // yyyy-MM-dd[(T| )HH:mm[:ss[.f]][zone]]
constexpr uint8_t SlashDmy = 2; // dd/MM/yyyy[ HH:mm[:ss[.f]]]
constexpr uint8_t SlashMdy = 4; // MM/dd/yyyy[ ...]
constexpr uint8_t DotDmy = 8;   // dd.MM.yyyy[ ...]
constexpr uint8_t DashDmy = 16; // dd-MM-yyyy[ ...]
constexpr uint8_t All = 31;
} // namespace DateFamily

// What a value showed, OR-ed over the column to write its format string.
namespace DateFeature {
constexpr uint8_t Time = 1;
constexpr uint8_t Seconds = 2;
constexpr uint8_t Fraction = 4;
constexpr uint8_t Zone = 8;
constexpr uint8_t TSeparator = 16;
constexpr uint8_t SpaceSeparator = 32;
} // namespace DateFeature

struct DateParts
{
    int year = 0;
    int first = 0;  // ISO: month. d/m forms: the leading number, resolved by the family
    int second = 0; // ISO: day.
    int hour = 0;
    int minute = 0;
    int sec = 0;
    int millis = 0;
    int offsetMinutes = 0;
    uint8_t features = 0;
};

inline bool readNumber(const char *&p, const char *end, int minDigits, int maxDigits, int &out)
{
    int digits = 0;
    int value = 0;
    while (p < end && digits < maxDigits && *p >= '0' && *p <= '9') {
        value = value * 10 + (*p - '0');
        ++p;
        ++digits;
    }
    out = value;
    return digits >= minDigits;
}

inline bool expect(const char *&p, const char *end, char c)
{
    if (p == end || *p != c)
        return false;
    ++p;
    return true;
}

inline bool isLeapYear(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

inline bool isValidDate(int y, int m, int d)
{
    static constexpr int daysIn[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12 || d < 1)
        return false;
    return d <= daysIn[m - 1] + (m == 2 && isLeapYear(y) ? 1 : 0);
}

// HH:mm[:ss[.fraction]] and, where allowed, Z / +hh:mm / +hhmm / +hh; must use up the text.
inline bool readTime(const char *p, const char *end, bool allowZone, DateParts &parts)
{
    if (!readNumber(p, end, 1, 2, parts.hour) || parts.hour > 23 || !expect(p, end, ':')
        || !readNumber(p, end, 2, 2, parts.minute) || parts.minute > 59) {
        return false;
    }
    parts.features |= DateFeature::Time;
    if (expect(p, end, ':')) {
        if (!readNumber(p, end, 2, 2, parts.sec) || parts.sec > 59)
            return false;
        parts.features |= DateFeature::Seconds;
        if (p < end && (*p == '.' || *p == ',')) {
            ++p;
            int digits = 0;
            int millis = 0;
            while (p < end && *p >= '0' && *p <= '9') {
                if (digits < 3)
                    millis = millis * 10 + (*p - '0');
                ++digits;
                ++p;
            }
            if (digits == 0 || digits > 9)
                return false;
            for (int d = digits; d < 3; ++d)
                millis *= 10;
            parts.millis = millis;
            parts.features |= DateFeature::Fraction;
        }
    }
    if (allowZone && p < end) {
        if (*p == 'Z') {
            ++p;
        } else if (*p == '+' || *p == '-') {
            const int sign = *p == '-' ? -1 : 1;
            ++p;
            int hours = 0;
            int minutes = 0;
            if (!readNumber(p, end, 2, 2, hours) || hours > 23)
                return false;
            const bool colon = expect(p, end, ':');
            if (colon || p < end) {
                if (!readNumber(p, end, 2, 2, minutes) || minutes > 59)
                    return false;
            }
            parts.offsetMinutes = sign * (hours * 60 + minutes);
        } else {
            return false;
        }
        parts.features |= DateFeature::Zone;
    }
    return p == end;
}

// The usual ISO cells, yyyy-MM-dd and yyyy-MM-dd HH:mm:ss ('T' or ' '), read at fixed offsets:
// the parts and features the general path in parseDateTime() finds; false (parts untouched) for
// anything else, which that path then reads. s is trimmed, 10 or 19 bytes long.
inline bool parseFixedIso(Sv s, DateParts &parts)
{
    const char *p = s.data();
    auto two = [p](size_t at, int &out) {
        const unsigned tens = unsigned(p[at] - '0');
        const unsigned ones = unsigned(p[at + 1] - '0');
        out = int(tens * 10 + ones);
        return tens <= 9 && ones <= 9;
    };
    int century = 0, year = 0, month = 0, day = 0;
    if (p[4] != '-' || p[7] != '-' || !two(0, century) || !two(2, year) || !two(5, month)
        || !two(8, day) || !isValidDate(century * 100 + year, month, day)) {
        return false;
    }
    int hour = 0, minute = 0, second = 0;
    if (s.size() == 19) {
        if ((p[10] != 'T' && p[10] != ' ') || p[13] != ':' || p[16] != ':' || !two(11, hour)
            || !two(14, minute) || !two(17, second) || hour > 23 || minute > 59 || second > 59) {
            return false;
        }
        parts.features |= DateFeature::Time | DateFeature::Seconds
                          | (p[10] == 'T' ? DateFeature::TSeparator : DateFeature::SpaceSeparator);
    } else if (s.size() != 10) {
        return false;
    }
    parts.year = century * 100 + year;
    parts.first = month;
    parts.second = day;
    parts.hour = hour;
    parts.minute = minute;
    parts.sec = second;
    return true;
}

// The families the value fits (0: not a date/time), filling parts. s is trimmed.
inline uint8_t parseDateTime(Sv s, DateParts &parts)
{
    if (s.size() < 8) // d/M/yyyy is the shortest form
        return 0;
    const char *p = s.data();
    const char *end = p + s.size();
    if ((s.size() == 10 || s.size() == 19) && parseFixedIso(s, parts))
        return DateFamily::Iso;
    if (s[4] == '-') {
        int y = 0, m = 0, d = 0;
        if (!readNumber(p, end, 4, 4, y) || !expect(p, end, '-') || !readNumber(p, end, 2, 2, m)
            || !expect(p, end, '-') || !readNumber(p, end, 2, 2, d) || !isValidDate(y, m, d)) {
            return 0;
        }
        parts.year = y;
        parts.first = m;
        parts.second = d;
        if (p == end)
            return DateFamily::Iso;
        if (*p != 'T' && *p != ' ')
            return 0;
        parts.features |= *p == 'T' ? DateFeature::TSeparator : DateFeature::SpaceSeparator;
        return readTime(p + 1, end, true, parts) ? DateFamily::Iso : 0;
    }
    int a = 0, b = 0, y = 0;
    if (!readNumber(p, end, 1, 2, a) || p == end)
        return 0;
    const char sep = *p++;
    if ((sep != '/' && sep != '.' && sep != '-') || !readNumber(p, end, 1, 2, b)
        || !expect(p, end, sep) || !readNumber(p, end, 4, 4, y)) {
        return 0;
    }
    if (p < end) {
        if (*p != ' ')
            return 0;
        parts.features |= DateFeature::SpaceSeparator;
        if (!readTime(p + 1, end, false, parts))
            return 0;
    }
    parts.year = y;
    parts.first = a;
    parts.second = b;
    const bool dayFirst = isValidDate(y, b, a);
    const bool monthFirst = isValidDate(y, a, b);
    switch (sep) {
    case '/':
        return (dayFirst ? DateFamily::SlashDmy : 0) | (monthFirst ? DateFamily::SlashMdy : 0);
    case '.': return dayFirst ? DateFamily::DotDmy : 0;
    default: return dayFirst ? DateFamily::DashDmy : 0;
    }
}

// Howard Hinnant's days_from_civil: days since 1970-01-01 in the proleptic Gregorian calendar.
inline int64_t daysFromCivil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const auto yoe = unsigned(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + int64_t(doe) - 719468;
}

inline int64_t toEpochMs(const DateParts &parts, uint8_t family)
{
    const bool dayFirst = family & (DateFamily::SlashDmy | DateFamily::DotDmy | DateFamily::DashDmy);
    const int month = dayFirst ? parts.second : parts.first;
    const int day = dayFirst ? parts.first : parts.second;
    const int64_t days = daysFromCivil(parts.year, unsigned(month), unsigned(day));
    const int64_t seconds = days * 86400 + parts.hour * 3600 + parts.minute * 60 + parts.sec
                            - int64_t(parts.offsetMinutes) * 60;
    return seconds * 1000 + parts.millis;
}

// Ambiguous d/m columns (every value <= 12 on both sides) read month first, as the common default.
inline uint8_t chooseDateFamily(uint8_t families)
{
    for (uint8_t f : {DateFamily::Iso, DateFamily::SlashMdy, DateFamily::SlashDmy,
                      DateFamily::DotDmy, DateFamily::DashDmy}) {
        if (families & f)
            return f;
    }
    return 0;
}

// In QDateTime::toString() terms, so displayValue() writes values back the way the file did
// (normalised to UTC, hence the literal Z for zoned sources).
inline QString dateTimeFormat(uint8_t family, uint8_t features)
{
    QString format;
    switch (family) {
    case DateFamily::Iso: format = QStringLiteral("yyyy-MM-dd"); break;
    case DateFamily::SlashDmy: format = QStringLiteral("dd/MM/yyyy"); break;
    case DateFamily::SlashMdy: format = QStringLiteral("MM/dd/yyyy"); break;
    case DateFamily::DotDmy: format = QStringLiteral("dd.MM.yyyy"); break;
    default: format = QStringLiteral("dd-MM-yyyy"); break;
    }
    if (features & DateFeature::Time) {
        const bool onlyT = (features & DateFeature::TSeparator)
                           && !(features & DateFeature::SpaceSeparator);
        format += onlyT ? QStringLiteral("THH:mm") : QStringLiteral(" HH:mm");
        if (features & DateFeature::Seconds)
            format += QStringLiteral(":ss");
        if (features & DateFeature::Fraction)
            format += QStringLiteral(".zzz");
        if (features & DateFeature::Zone)
            format += QLatin1Char('Z');
    }
    return format;
}

} // namespace baton::csv
