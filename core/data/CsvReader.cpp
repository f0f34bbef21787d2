#include "CsvReader.h"

#include "core/jobs/JobRunner.h"

#include <QElapsedTimer>
#include <QFile>
#include <QDateTime>
#include <QFileInfo>
#include <QLocale>
#include <QLoggingCategory>
#include <QSet>
#include <QThread>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <chrono>
#include <climits>
#include <cmath>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <limits>
#include <locale.h>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>

namespace baton {
namespace {

// Not in core/common/Logging.h: that file belongs to the common layer; this category is local.
const QLoggingCategory &lcCsv()
{
    static const QLoggingCategory category("baton.data.csv", QtInfoMsg);
    return category;
}

using Sv = std::string_view;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
// Below this many bytes per chunk, threads cost more than they save.
constexpr qsizetype kMinChunkBytes = 64 * 1024;
// How often (in records) workers look at the token and publish progress.
constexpr unsigned kCheckEvery = 4096;

// ---------------------------------------------------------------------------------------------
// Scalar recognisers: shared by inference and conversion so both always agree.

constexpr bool isSpace(char c)
{
    return c == ' ' || c == '\t';
}

Sv trimmed(Sv s)
{
    while (!s.empty() && isSpace(s.front()))
        s.remove_prefix(1);
    while (!s.empty() && isSpace(s.back()))
        s.remove_suffix(1);
    return s;
}

// s is trimmed.
bool isMissingToken(Sv s)
{
    switch (s.size()) {
    case 0: return true;
    case 1: return s[0] == '?' || s[0] == '-';
    case 2: return s == "NA";
    case 3: return s == "N/A" || s == "NaN" || s == "nan";
    case 4: return s == "null" || s == "NULL";
    default: return false;
    }
}

// lower must be lower-case letters only.
bool equalsIgnoringCase(Sv s, Sv lower)
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
int parseBool(Sv s)
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
bool stripPlus(Sv &s)
{
    if (!s.empty() && s.front() == '+') {
        s.remove_prefix(1);
        if (s.empty() || s.front() == '+' || s.front() == '-')
            return false;
    }
    return !s.empty();
}

bool parseInt64(Sv s, int64_t &out)
{
    if (!stripPlus(s))
        return false;
    const char *last = s.data() + s.size();
    const auto [ptr, ec] = std::from_chars(s.data(), last, out);
    return ec == std::errc() && ptr == last;
}

// True iff parseDouble() would accept s (trimmed): the std::from_chars(general) grammar plus an
// optional '+'. Inference only needs the verdict, and this costs a fraction of a full parse; the
// test suite checks the two agree, with from_chars as the oracle.
bool isDoubleSyntax(Sv s)
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

bool parseDouble(Sv s, double &out)
{
    if (!stripPlus(s))
        return false;
    const char *last = s.data() + s.size();
    const auto [ptr, ec] = std::from_chars(s.data(), last, out, std::chars_format::general);
    if (ptr != last)
        return false;
    if (ec == std::errc::result_out_of_range) {
        // from_chars leaves out untouched on overflow/underflow; strtod gives +-inf or +-0 (or the
        // nearest subnormal). Ask it, in the C locale whatever the process locale is.
        static const locale_t cLocale = newlocale(LC_ALL_MASK, "C", locale_t(nullptr));
        const std::string copy(s);
        out = strtod_l(copy.c_str(), nullptr, cLocale);
        return true;
    }
    return ec == std::errc();
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

bool readNumber(const char *&p, const char *end, int minDigits, int maxDigits, int &out)
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

bool expect(const char *&p, const char *end, char c)
{
    if (p == end || *p != c)
        return false;
    ++p;
    return true;
}

bool isLeapYear(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

bool isValidDate(int y, int m, int d)
{
    static constexpr int daysIn[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12 || d < 1)
        return false;
    return d <= daysIn[m - 1] + (m == 2 && isLeapYear(y) ? 1 : 0);
}

// HH:mm[:ss[.fraction]] and, where allowed, Z / +hh:mm / +hhmm / +hh; must use up the text.
bool readTime(const char *p, const char *end, bool allowZone, DateParts &parts)
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

// The families the value fits (0: not a date/time), filling parts. s is trimmed.
uint8_t parseDateTime(Sv s, DateParts &parts)
{
    if (s.size() < 8) // d/M/yyyy is the shortest form
        return 0;
    const char *p = s.data();
    const char *end = p + s.size();
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
int64_t daysFromCivil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const auto yoe = unsigned(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + int64_t(doe) - 719468;
}

int64_t toEpochMs(const DateParts &parts, uint8_t family)
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
uint8_t chooseDateFamily(uint8_t families)
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
QString dateTimeFormat(uint8_t family, uint8_t features)
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

bool isValidUtf8(const char *begin, const char *end)
{
    auto p = reinterpret_cast<const unsigned char *>(begin);
    const auto e = reinterpret_cast<const unsigned char *>(end);
    while (p < e) {
        // ASCII fast path, 8 bytes at a time: most CSV bytes are digits and punctuation.
        while (e - p >= 8) {
            uint64_t word;
            std::memcpy(&word, p, 8);
            if (word & 0x8080808080808080ULL)
                break;
            p += 8;
        }
        if (p == e)
            break;
        const unsigned char c = *p;
        if (c < 0x80) {
            ++p;
            continue;
        }
        int more = 0;
        uint32_t cp = 0;
        if (c >= 0xC2 && c <= 0xDF) {
            more = 1;
            cp = c & 0x1F;
        } else if ((c & 0xF0) == 0xE0) {
            more = 2;
            cp = c & 0x0F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            more = 3;
            cp = c & 0x07;
        } else {
            return false;
        }
        if (e - p <= more)
            return false;
        for (int i = 1; i <= more; ++i) {
            if ((p[i] & 0xC0) != 0x80)
                return false;
            cp = (cp << 6) | (p[i] & 0x3F);
        }
        // Overlong forms, UTF-16 surrogates and values past U+10FFFF are not UTF-8.
        if ((more == 2 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF)))
            || (more == 3 && (cp < 0x10000 || cp > 0x10FFFF))) {
            return false;
        }
        p += more + 1;
    }
    return true;
}

QString decode(Sv s, TextEncoding encoding)
{
    return encoding == TextEncoding::Utf8 ? QString::fromUtf8(s.data(), qsizetype(s.size()))
                                          : QString::fromLatin1(s.data(), qsizetype(s.size()));
}

// ---------------------------------------------------------------------------------------------
// Records

// Parses the record at p, calling onField(index, text) per field, and leaves p after its line
// end. A field is quoted only if its first byte is '"'; the splitter (findChunkStarts) uses the
// same rule, which is what makes its record boundaries exact. Views point into the input, or
// into scratch when doubled quotes had to be collapsed. Returns false on an unterminated quote,
// with p on the opening quote.
template<typename OnField>
bool parseRecord(const char *&p, const char *end, char delimiter, std::string &scratch,
                 int &fieldCount, OnField &&onField)
{
    fieldCount = 0;
    for (;;) {
        Sv field;
        if (p < end && *p == '"') {
            const char *open = p;
            const char *s = p + 1;
            const char *close = nullptr;
            bool usesScratch = false;
            for (;;) {
                close = static_cast<const char *>(std::memchr(s, '"', size_t(end - s)));
                if (!close) {
                    p = open;
                    return false;
                }
                if (close + 1 < end && close[1] == '"') {
                    if (!usesScratch)
                        scratch.clear();
                    scratch.append(s, close + 1); // keep one quote of the pair
                    usesScratch = true;
                    s = close + 2;
                    continue;
                }
                break;
            }
            if (usesScratch)
                scratch.append(s, close);
            // Text between the closing quote and the delimiter is kept (lenient, like Python).
            const char *tail = close + 1;
            p = tail;
            while (p < end && *p != delimiter && *p != '\n')
                ++p;
            const char *tailEnd = p;
            if (tailEnd > tail && tailEnd[-1] == '\r' && (p == end || *p == '\n'))
                --tailEnd;
            if (tailEnd > tail) {
                if (!usesScratch)
                    scratch.assign(open + 1, close);
                scratch.append(tail, tailEnd);
                usesScratch = true;
            }
            field = usesScratch ? Sv(scratch) : Sv(open + 1, size_t(close - open - 1));
        } else {
            const char *s = p;
            while (p < end && *p != delimiter && *p != '\n')
                ++p;
            const char *e = p;
            if (e > s && e[-1] == '\r' && (p == end || *p == '\n'))
                --e;
            field = Sv(s, size_t(e - s));
        }
        onField(fieldCount++, field);
        if (p >= end)
            return true;
        if (*p == delimiter) {
            ++p;
            continue;
        }
        ++p; // '\n'
        return true;
    }
}

// An empty line ("\n" or "\r\n") is not a record when the table has several columns.
bool skipBlankLine(const char *&p, const char *end)
{
    if (*p == '\n') {
        ++p;
        return true;
    }
    if (*p == '\r' && (p + 1 == end || p[1] == '\n')) {
        p += p + 1 == end ? 1 : 2;
        return true;
    }
    return false;
}

struct Input
{
    const char *origin = nullptr; // first byte after the BOM: line numbers count from here
    const char *begin = nullptr;  // first record (leading blank lines skipped)
    const char *end = nullptr;    // trailing line ends trimmed
    char delimiter = ',';
    int columnCount = 0;
    QString label; // file name for error contexts; empty for in-memory input

    qsizetype lineAt(const char *pos) const { return 1 + std::count(origin, pos, '\n'); }

    Error errorAt(qsizetype line, const char *code, const QString &message) const
    {
        const QString where = QStringLiteral("line %1").arg(line);
        return makeError(ErrorKind::BadInput, QString::fromLatin1(code), message,
                         label.isEmpty() ? where : QStringLiteral("%1:%2").arg(label, where));
    }

    Error unterminatedQuote(const char *quote) const
    {
        const qsizetype line = lineAt(quote);
        return errorAt(line, "csv.unterminated_quote",
                       QStringLiteral("Unterminated quoted field starting on line %1: the '\"' "
                                      "that opens it is never closed")
                           .arg(line));
    }

    Error raggedRow(const char *record, int fields) const
    {
        const qsizetype line = lineAt(record);
        return errorAt(line, "csv.ragged_row",
                       QStringLiteral("Line %1 has %2 fields, expected %3 as in the first record")
                           .arg(line)
                           .arg(fields)
                           .arg(columnCount));
    }
};

Error cancelledError(const QString &label)
{
    return makeError(ErrorKind::Cancelled, QStringLiteral("csv.cancelled"),
                     QStringLiteral("Reading the CSV file was cancelled"), label);
}

// Sniffs the delimiter on the first records: the candidate that splits them all into the same
// number (> 1) of fields wins; with several, the one giving the most fields, then the order below.
char sniffDelimiter(const char *begin, const char *end)
{
    constexpr int sampleRecords = 20;
    constexpr qsizetype sampleBytes = 1 << 20;
    char best = ',';
    int bestFields = 1;
    bool bestConsistent = false;
    int bestAgreeing = 0;
    std::string scratch;
    for (const char candidate : {',', ';', '\t', '|'}) {
        const char *p = begin;
        int first = -1;
        int agreeing = 0;
        bool consistent = true;
        int records = 0;
        while (p < end && records < sampleRecords && p - begin < sampleBytes) {
            if (skipBlankLine(p, end))
                continue;
            int count = 0;
            if (!parseRecord(p, end, candidate, scratch, count, [](int, Sv) {})) {
                consistent = false;
                break;
            }
            if (first < 0)
                first = count;
            else if (count == first)
                ++agreeing;
            else
                consistent = false;
            ++records;
        }
        if (first <= 1)
            continue;
        const bool better = consistent
                                ? (!bestConsistent || first > bestFields)
                                : (!bestConsistent && agreeing > bestAgreeing);
        if (better) {
            best = candidate;
            bestFields = first;
            bestConsistent = consistent;
            bestAgreeing = agreeing;
        }
    }
    return best;
}

// ---------------------------------------------------------------------------------------------
// Parallel chunks

// Runs one function per chunk on its own thread (inline for a single chunk). Progress goes to
// the callback on the calling thread only; a failed chunk stops the chunks after it, so the error
// reported is always the first one in the file.
class ChunkRunner
{
public:
    ChunkRunner(const JobToken *token, const std::function<void(double)> &progress)
        : m_token(token)
        , m_progress(progress)
    {}

    bool cancelled() const { return m_token && m_token->isCancelled(); }
    bool superseded(int chunk) const
    {
        return m_firstFailed.load(std::memory_order_relaxed) < chunk;
    }

    void advance(qint64 bytes)
    {
        m_done.fetch_add(bytes, std::memory_order_relaxed);
        if (m_inline)
            report();
    }

    // Progress of this phase maps to [from, to] of the whole read.
    Status run(int chunks, qint64 totalBytes, double from, double to,
               const std::function<Status(int)> &work)
    {
        m_done = 0;
        m_total = std::max<qint64>(1, totalBytes);
        m_from = from;
        m_to = to;
        m_firstFailed = INT_MAX;
        std::vector<Status> statuses(static_cast<size_t>(chunks));
        auto runOne = [&](int chunk) {
            Status status;
            try {
                status = work(chunk);
            } catch (const std::exception &e) {
                status = makeError(ErrorKind::Internal, QStringLiteral("csv.exception"),
                                   QString::fromUtf8(e.what()));
            }
            if (!status.ok()) {
                int current = m_firstFailed.load();
                while (chunk < current && !m_firstFailed.compare_exchange_weak(current, chunk)) {
                }
            }
            statuses[size_t(chunk)] = std::move(status);
        };

        if (chunks == 1) {
            m_inline = true;
            runOne(0);
            m_inline = false;
        } else {
            std::mutex mutex;
            std::condition_variable finishedChanged;
            int finished = 0;
            {
                // Declared last so that, should a thread fail to start, the destructor joins the
                // started ones before what they reference goes away.
                std::vector<std::jthread> threads;
                threads.reserve(size_t(chunks));
                for (int chunk = 0; chunk < chunks; ++chunk) {
                    threads.emplace_back([&, chunk] {
                        runOne(chunk);
                        {
                            std::lock_guard lock(mutex);
                            ++finished;
                        }
                        finishedChanged.notify_one();
                    });
                }
                std::unique_lock lock(mutex);
                while (finished < chunks) {
                    finishedChanged.wait_for(lock, std::chrono::milliseconds(50));
                    lock.unlock();
                    report();
                    lock.lock();
                }
            }
        }
        report();
        for (Status &status : statuses) {
            if (!status.ok())
                return status;
        }
        return {};
    }

    void finish()
    {
        if (m_progress)
            m_progress(1.0);
    }

private:
    void report()
    {
        if (!m_progress)
            return;
        const double fraction = std::min(1.0, double(m_done.load()) / double(m_total));
        const double value = m_from + (m_to - m_from) * fraction;
        // Whole percents only: the callback may emit a signal per call.
        if (value - m_lastReported >= 0.01) {
            m_lastReported = value;
            m_progress(value);
        }
    }

    const JobToken *m_token;
    const std::function<void(double)> &m_progress;
    std::atomic<qint64> m_done{0};
    std::atomic<int> m_firstFailed{INT_MAX};
    qint64 m_total = 1;
    double m_from = 0;
    double m_to = 1;
    double m_lastReported = -1;
    bool m_inline = false;
};

// Chunk starts (plus end) splitting [from, end) into up to `parts` runs of whole records. One
// linear scan that hops from quote to quote with memchr: a quote opens a quoted field only right
// after a delimiter or a line end, exactly as parseRecord() reads it.
Result<std::vector<const char *>> findChunkStarts(const Input &in, const char *from, int parts,
                                                  const ChunkRunner &runner)
{
    const char *end = in.end;
    std::vector<const char *> starts{from};
    std::vector<const char *> targets;
    for (int k = 1; k < parts; ++k)
        targets.push_back(from + (end - from) * k / parts);

    const char *pos = from;
    size_t nextTarget = 0;
    unsigned hops = 0;
    for (;;) {
        const auto *quote = static_cast<const char *>(std::memchr(pos, '"', size_t(end - pos)));
        const char *segmentEnd = quote ? quote : end;
        // Split points inside this unquoted stretch: the first line end after each target.
        while (nextTarget < targets.size()) {
            const char *t = std::max({targets[nextTarget], pos, starts.back()});
            if (t >= segmentEnd)
                break;
            const auto *newline = static_cast<const char *>(
                std::memchr(t, '\n', size_t(segmentEnd - t)));
            if (!newline)
                break;
            if (newline + 1 < end)
                starts.push_back(newline + 1);
            ++nextTarget;
        }
        if (!quote)
            break;
        if (++hops % (1u << 16) == 0 && runner.cancelled())
            return cancelledError(in.label);
        const bool opensField = quote == from || quote[-1] == in.delimiter || quote[-1] == '\n';
        if (!opensField) {
            pos = quote + 1;
            continue;
        }
        const char *p = quote + 1;
        for (;;) {
            const auto *close = static_cast<const char *>(std::memchr(p, '"', size_t(end - p)));
            if (!close)
                return in.unterminatedQuote(quote);
            if (close + 1 < end && close[1] == '"') {
                p = close + 2;
                continue;
            }
            pos = close + 1;
            break;
        }
    }
    starts.push_back(end);
    return starts;
}

// What the first pass learns about one column.
struct ColumnStats
{
    qint64 present = 0;
    qint64 missing = 0;
    bool canBool = true;
    bool canInt = true;
    bool canDouble = true;
    uint8_t dateFamilies = DateFamily::All;
    uint8_t dateFeatures = 0;

    bool isString() const { return !canBool && !canInt && !canDouble && dateFamilies == 0; }

    void observe(Sv field)
    {
        const Sv s = trimmed(field);
        if (isMissingToken(s)) {
            ++missing;
            return;
        }
        ++present;
        if (isString())
            return;
        if (canBool)
            canBool = parseBool(s) >= 0;
        if (canInt) {
            int64_t i;
            canInt = parseInt64(s, i);
        }
        if (!canInt && canDouble)
            canDouble = isDoubleSyntax(s);
        if (dateFamilies) {
            DateParts parts;
            dateFamilies &= parseDateTime(s, parts);
            dateFeatures |= parts.features;
        }
    }

    void merge(const ColumnStats &other)
    {
        present += other.present;
        missing += other.missing;
        canBool = canBool && other.canBool;
        canInt = canInt && other.canInt;
        canDouble = canDouble && other.canDouble;
        dateFamilies &= other.dateFamilies;
        dateFeatures |= other.dateFeatures;
    }
};

enum class Kind { Empty, Bool, Int64, Float64, DateTime, String };

Kind kindOf(const ColumnStats &s)
{
    if (s.present == 0)
        return Kind::Empty;
    if (s.canBool)
        return Kind::Bool;
    if (s.canInt)
        return Kind::Int64;
    if (s.canDouble)
        return Kind::Float64;
    if (s.dateFamilies)
        return Kind::DateTime;
    return Kind::String;
}

struct ChunkScan
{
    std::vector<ColumnStats> stats;
    qsizetype rows = 0;
    bool validUtf8 = true;
};

// Pass 1 over a chunk: field counts, per-column type evidence, UTF-8 validity.
Status scanChunk(const Input &in, const char *from, const char *to, bool checkUtf8,
                 ChunkRunner &runner, int chunk, ChunkScan &out)
{
    out.stats.assign(size_t(in.columnCount), ColumnStats{});
    if (checkUtf8)
        out.validUtf8 = isValidUtf8(from, to);
    ColumnStats *stats = out.stats.data();
    const int columns = in.columnCount;
    const bool skipBlank = columns > 1;
    std::string scratch;
    const char *p = from;
    const char *reported = from;
    qsizetype rows = 0;
    unsigned iterations = 0;
    while (p < to) {
        if (++iterations % kCheckEvery == 0) {
            if (runner.cancelled())
                return cancelledError(in.label);
            if (runner.superseded(chunk))
                return {};
            runner.advance(p - reported);
            reported = p;
        }
        if (skipBlank && skipBlankLine(p, to))
            continue;
        const char *record = p;
        int count = 0;
        const bool closed = parseRecord(p, to, in.delimiter, scratch, count, [&](int i, Sv field) {
            if (i < columns)
                stats[i].observe(field);
        });
        if (!closed)
            return in.unterminatedQuote(p);
        if (count != columns)
            return in.raggedRow(record, count);
        ++rows;
    }
    runner.advance(p - reported);
    out.rows = rows;
    return {};
}

// The typed destination of one column, filled in place by all chunks (disjoint row ranges).
struct ColumnPlan
{
    Kind kind = Kind::Empty;
    uint8_t dateFamily = 0;
    uint8_t dateFeatures = 0;
    qint64 present = 0;
    // String columns: more distinct values than this can only end as Text (see readCsv docs).
    qint64 categoricalLimit = 0;
    std::vector<double> doubles;
    std::vector<int64_t> ints;
    std::vector<uint8_t> bools;
    std::vector<int32_t> codes;
    std::vector<uint8_t> missing; // sized only if some cell is missing
};

// One chunk's view of a string column. It starts dictionary-encoding (codes in the plan, distinct
// values here in order of first appearance); once the column is known to be Text (too many
// distinct values here or in another chunk) it stops hashing and keeps a QString per cell, since
// a dictionary as large as the column would only cost time and memory.
struct ChunkStrings
{
    qsizetype baseRow = 0; // first row of this chunk (chunk 0 includes a data first record)
    qsizetype rowCount = 0;
    std::unordered_map<Sv, int32_t> index;
    std::vector<Sv> values;
    std::deque<std::string> owned; // values unescaped into scratch need a home of their own
    bool textMode = false;
    std::vector<QString> texts; // textMode: per row from baseRow; null = missing

    int32_t codeFor(Sv value, bool transient)
    {
        const auto found = index.find(value);
        if (found != index.end())
            return found->second;
        if (transient)
            value = owned.emplace_back(value);
        const auto code = int32_t(values.size());
        values.push_back(value);
        index.emplace(value, code);
        return code;
    }

    // Re-expresses the rows encoded so far as strings and drops the dictionary.
    void switchToText(const std::vector<int32_t> &codes, qsizetype rowsDone, TextEncoding encoding)
    {
        std::vector<QString> decoded;
        decoded.reserve(values.size());
        for (Sv v : values)
            decoded.push_back(decode(v, encoding));
        texts.resize(size_t(rowCount));
        for (qsizetype r = 0; r < rowsDone; ++r) {
            const int32_t code = codes[size_t(baseRow + r)];
            if (code >= 0)
                texts[size_t(r)] = decoded[size_t(code)];
        }
        textMode = true;
        index = {};
        values = {};
        owned = {};
    }
};

// What every chunk of the conversion pass shares.
struct ConvertContext
{
    const Input &in;
    TextEncoding encoding;
    std::vector<ColumnPlan> &plans;
    // Per column: some chunk found it must be Text; the others switch at their next check.
    std::vector<std::atomic<bool>> &textColumns;
};

void storeField(const ConvertContext &context, size_t column, ChunkStrings &strings, size_t row,
                Sv field, bool transient)
{
    ColumnPlan &plan = context.plans[column];
    if (plan.kind == Kind::Empty)
        return; // pre-filled with NaN
    const Sv s = trimmed(field);
    if (isMissingToken(s)) {
        switch (plan.kind) {
        case Kind::Float64: plan.doubles[row] = kNaN; break;
        case Kind::String:
            if (!strings.textMode)
                plan.codes[row] = -1;
            break;
        default: plan.missing[row] = 1; break;
        }
        return;
    }
    switch (plan.kind) {
    case Kind::Bool: plan.bools[row] = parseBool(s) == 1 ? 1 : 0; break;
    case Kind::Int64: parseInt64(s, plan.ints[row]); break;
    case Kind::Float64: {
        double v = kNaN;
        parseDouble(s, v);
        plan.doubles[row] = v;
        break;
    }
    case Kind::DateTime: {
        DateParts parts;
        parseDateTime(s, parts);
        plan.ints[row] = toEpochMs(parts, plan.dateFamily);
        break;
    }
    case Kind::String:
        if (strings.textMode) {
            strings.texts[row - size_t(strings.baseRow)] = decode(field, context.encoding);
            break;
        }
        plan.codes[row] = strings.codeFor(field, transient);
        if (qint64(strings.values.size()) > plan.categoricalLimit) {
            strings.switchToText(plan.codes, qsizetype(row) + 1 - strings.baseRow,
                                 context.encoding);
            context.textColumns[column].store(true, std::memory_order_relaxed);
        }
        break;
    case Kind::Empty: break;
    }
}

// Pass 2 over a chunk: converts every field into its column at rows firstRow, firstRow + 1, ...
Status convertChunk(const ConvertContext &context, const char *from, const char *to,
                    qsizetype firstRow, std::vector<ChunkStrings> &strings, ChunkRunner &runner,
                    int chunk)
{
    const Input &in = context.in;
    const int columns = in.columnCount;
    const bool skipBlank = columns > 1;
    std::string scratch;
    const char *p = from;
    const char *reported = from;
    auto row = size_t(firstRow);
    unsigned iterations = 0;
    while (p < to) {
        if (++iterations % kCheckEvery == 0) {
            if (runner.cancelled())
                return cancelledError(in.label);
            if (runner.superseded(chunk))
                return {};
            runner.advance(p - reported);
            reported = p;
            for (size_t i = 0; i < size_t(columns); ++i) {
                ChunkStrings &s = strings[i];
                if (context.plans[i].kind == Kind::String && !s.textMode
                    && context.textColumns[i].load(std::memory_order_relaxed)) {
                    s.switchToText(context.plans[i].codes, qsizetype(row) - s.baseRow,
                                   context.encoding);
                }
            }
        }
        if (skipBlank && skipBlankLine(p, to))
            continue;
        const char *record = p;
        int count = 0;
        const bool closed = parseRecord(p, to, in.delimiter, scratch, count, [&](int i, Sv field) {
            if (i < columns) {
                const bool transient = !scratch.empty() && field.data() == scratch.data();
                storeField(context, size_t(i), strings[size_t(i)], row, field, transient);
            }
        });
        // The first pass accepted these bytes; reaching this means the input changed under us.
        if (!closed)
            return in.unterminatedQuote(p);
        if (count != columns)
            return in.raggedRow(record, count);
        ++row;
    }
    runner.advance(p - reported);
    return {};
}

// Builds the Categorical or Text column of a string plan from its chunks.
Column finishStringColumn(const QString &name, ColumnPlan &plan,
                          std::vector<std::vector<ChunkStrings>> &chunks, size_t column,
                          bool knownText, TextEncoding encoding)
{
    const size_t rows = plan.codes.size();
    if (!knownText) {
        // Merge the chunk dictionaries in file order, so codes follow first appearance.
        std::unordered_map<Sv, int32_t> index;
        std::vector<Sv> values;
        for (auto &perChunk : chunks) {
            const ChunkStrings &local = perChunk[column];
            std::vector<int32_t> remap(local.values.size());
            bool identity = true;
            for (size_t v = 0; v < local.values.size(); ++v) {
                const auto [it, inserted] = index.try_emplace(local.values[v],
                                                              int32_t(values.size()));
                if (inserted)
                    values.push_back(local.values[v]);
                remap[v] = it->second;
                identity = identity && remap[v] == int32_t(v);
            }
            if (identity)
                continue;
            const auto end = size_t(local.baseRow + local.rowCount);
            for (size_t r = size_t(local.baseRow); r < end; ++r) {
                if (plan.codes[r] >= 0)
                    plan.codes[r] = remap[size_t(plan.codes[r])];
            }
        }
        std::vector<QString> dictionary;
        dictionary.reserve(values.size());
        for (Sv v : values)
            dictionary.push_back(decode(v, encoding));
        const auto distinct = qint64(dictionary.size());
        if (distinct <= plan.categoricalLimit && distinct < plan.present)
            return Column::categorical(name, std::move(plan.codes), std::move(dictionary));
        // Few values, but no repeats: an identifier. Cells share the dictionary's strings.
        std::vector<QString> texts(rows);
        for (size_t r = 0; r < rows; ++r) {
            if (plan.codes[r] >= 0)
                texts[r] = dictionary[size_t(plan.codes[r])];
        }
        plan.codes = {};
        std::vector<uint8_t> missing(rows);
        for (size_t r = 0; r < rows; ++r)
            missing[r] = texts[r].isNull() ? 1 : 0;
        return Column::text(name, std::move(texts), std::move(missing));
    }
    std::vector<QString> texts(rows);
    for (auto &perChunk : chunks) {
        ChunkStrings &local = perChunk[column];
        if (!local.textMode) // finished before it heard the column was Text
            local.switchToText(plan.codes, local.rowCount, encoding);
        std::move(local.texts.begin(), local.texts.end(), texts.begin() + local.baseRow);
        local = ChunkStrings();
    }
    plan.codes = {};
    std::vector<uint8_t> missing(rows);
    for (size_t r = 0; r < rows; ++r)
        missing[r] = texts[r].isNull() ? 1 : 0; // present values are never empty (see missing)
    return Column::text(name, std::move(texts), std::move(missing));
}

// Empty names become column_<i>; repeats get _2, _3, ... (skipping names already taken).
QStringList uniqueNames(QStringList names)
{
    QSet<QString> used;
    for (qsizetype i = 0; i < names.size(); ++i) {
        QString name = names[i].trimmed();
        if (name.isEmpty())
            name = QStringLiteral("column_%1").arg(i + 1);
        if (used.contains(name)) {
            int suffix = 2;
            while (used.contains(QStringLiteral("%1_%2").arg(name).arg(suffix)))
                ++suffix;
            name = QStringLiteral("%1_%2").arg(name).arg(suffix);
        }
        used.insert(name);
        names[i] = name;
    }
    return names;
}

// Header evidence (CsvHeader::Detect): a first-row value that would turn a typed column into a
// string column is a name; one that fits the column's type is data; string columns say nothing.
bool looksLikeHeader(const std::vector<ColumnStats> &dataStats,
                     const std::vector<ColumnStats> &firstRowStats)
{
    bool dataEvidence = false;
    for (size_t i = 0; i < dataStats.size(); ++i) {
        const ColumnStats &first = firstRowStats[i];
        if (first.present == 0)
            continue;
        const Kind dataKind = kindOf(dataStats[i]);
        if (dataKind == Kind::String)
            continue;
        if (dataKind == Kind::Empty) {
            // Nothing below: a typed value reads as data, a word as a name.
            if (first.isString())
                return true;
            dataEvidence = true;
            continue;
        }
        ColumnStats merged = dataStats[i];
        merged.merge(first);
        if (kindOf(merged) == Kind::String)
            return true;
        dataEvidence = true;
    }
    return !dataEvidence;
}

Result<Table> parseCsv(const char *data, qsizetype size, const CsvOptions &options,
                       const JobToken *token, const std::function<void(double)> &progress,
                       const QString &label)
{
    QElapsedTimer timer;
    timer.start();
    ChunkRunner runner(token, progress);
    if (runner.cancelled())
        return cancelledError(label);

    Input in;
    in.label = label;
    in.origin = data;
    in.end = data + size;
    const bool bom = size >= 3 && std::memcmp(data, "\xEF\xBB\xBF", 3) == 0;
    if (bom)
        in.origin += 3;
    in.begin = in.origin;
    while (in.end > in.begin && (in.end[-1] == '\n' || in.end[-1] == '\r'))
        --in.end;
    while (in.begin < in.end && skipBlankLine(in.begin, in.end)) {
    }
    if (in.begin == in.end) {
        return makeError(ErrorKind::BadInput, QStringLiteral("csv.empty"),
                         QStringLiteral("The CSV input holds no data"), label);
    }
    in.delimiter = options.delimiter ? options.delimiter : sniffDelimiter(in.begin, in.end);

    // The first record on its own: it decides the field count and may be the header.
    std::vector<std::string> firstRecord;
    const char *dataStart = in.begin;
    {
        std::string scratch;
        int count = 0;
        if (!parseRecord(dataStart, in.end, in.delimiter, scratch, count,
                         [&](int, Sv field) { firstRecord.emplace_back(field); })) {
            return in.unterminatedQuote(dataStart);
        }
        in.columnCount = count;
    }
    const int columns = in.columnCount;

    const int threads = std::max(1, options.threads > 0 ? options.threads
                                                        : QThread::idealThreadCount());
    const qsizetype dataBytes = in.end - dataStart;
    const int parts = int(std::clamp<qsizetype>(dataBytes / kMinChunkBytes, 1, threads));
    std::vector<const char *> starts{dataStart, in.end};
    if (parts > 1) {
        auto found = findChunkStarts(in, dataStart, parts, runner);
        if (!found)
            return found.error();
        starts = std::move(found).value();
    }
    const int chunks = int(starts.size()) - 1;
    if (progress)
        progress(0.05);

    // Pass 1: evidence per column and chunk, then merged in file order.
    std::vector<ChunkScan> scans(static_cast<size_t>(chunks));
    Status scanned = runner.run(chunks, dataBytes, 0.05, 0.5, [&](int k) {
        return scanChunk(in, starts[size_t(k)], starts[size_t(k) + 1], !bom, runner, k,
                         scans[size_t(k)]);
    });
    if (!scanned.ok())
        return scanned.error();

    bool validUtf8 = bom || isValidUtf8(in.origin, dataStart);
    std::vector<ColumnStats> stats(static_cast<size_t>(columns));
    std::vector<ColumnStats> firstStats(static_cast<size_t>(columns));
    qsizetype dataRows = 0;
    for (const ChunkScan &scan : scans) {
        validUtf8 = validUtf8 && scan.validUtf8;
        dataRows += scan.rows;
        for (size_t i = 0; i < size_t(columns); ++i)
            stats[i].merge(scan.stats[i]);
    }
    for (size_t i = 0; i < size_t(columns); ++i)
        firstStats[i].observe(firstRecord[i]);
    const TextEncoding encoding = validUtf8 ? TextEncoding::Utf8 : TextEncoding::Latin1;

    bool hasHeader = true;
    switch (options.header) {
    case CsvHeader::Present: hasHeader = true; break;
    case CsvHeader::Absent: hasHeader = false; break;
    case CsvHeader::Detect: hasHeader = looksLikeHeader(stats, firstStats); break;
    }
    if (!hasHeader) {
        for (size_t i = 0; i < size_t(columns); ++i)
            stats[i].merge(firstStats[i]);
    }
    const qsizetype rows = dataRows + (hasHeader ? 0 : 1);

    // Plans: allocate each column once at its final size; chunks fill disjoint ranges.
    std::vector<ColumnPlan> plans(static_cast<size_t>(columns));
    for (size_t i = 0; i < size_t(columns); ++i) {
        ColumnPlan &plan = plans[i];
        plan.kind = kindOf(stats[i]);
        plan.present = stats[i].present;
        plan.categoricalLimit = std::max<qint64>(50, plan.present / 20);
        const auto n = size_t(rows);
        const bool masked = stats[i].missing > 0;
        switch (plan.kind) {
        case Kind::Empty: plan.doubles.assign(n, kNaN); break;
        case Kind::Float64: plan.doubles.resize(n); break;
        case Kind::Int64: plan.ints.resize(n); break;
        case Kind::Bool: plan.bools.resize(n); break;
        case Kind::DateTime:
            plan.ints.resize(n);
            plan.dateFamily = chooseDateFamily(stats[i].dateFamilies);
            plan.dateFeatures = stats[i].dateFeatures;
            break;
        case Kind::String: plan.codes.resize(n); break;
        }
        if (masked && plan.kind != Kind::Float64 && plan.kind != Kind::String
            && plan.kind != Kind::Empty) {
            plan.missing.resize(n);
        }
    }

    // Pass 2: convert. Chunk 0 also takes the first record when it is data.
    std::vector<qsizetype> firstRows(static_cast<size_t>(chunks));
    std::vector<std::vector<ChunkStrings>> strings(static_cast<size_t>(chunks));
    qsizetype nextRow = hasHeader ? 0 : 1;
    for (size_t k = 0; k < size_t(chunks); ++k) {
        firstRows[k] = nextRow;
        strings[k].resize(size_t(columns));
        for (ChunkStrings &s : strings[k]) {
            s.baseRow = k == 0 ? 0 : nextRow;
            s.rowCount = nextRow + scans[k].rows - s.baseRow;
        }
        nextRow += scans[k].rows;
    }
    std::vector<std::atomic<bool>> textColumns(static_cast<size_t>(columns));
    const ConvertContext context{in, encoding, plans, textColumns};
    if (!hasHeader) {
        for (size_t i = 0; i < size_t(columns); ++i)
            storeField(context, i, strings[0][i], 0, firstRecord[i], false);
    }
    Status converted = runner.run(chunks, dataBytes, 0.5, 0.95, [&](int k) {
        return convertChunk(context, starts[size_t(k)], starts[size_t(k) + 1],
                            firstRows[size_t(k)], strings[size_t(k)], runner, k);
    });
    if (!converted.ok())
        return converted.error();
    if (runner.cancelled())
        return cancelledError(label);

    QStringList names;
    for (int i = 0; i < columns; ++i) {
        names.append(hasHeader ? decode(firstRecord[size_t(i)], encoding)
                               : QStringLiteral("column_%1").arg(i + 1));
    }
    names = uniqueNames(names);

    Table table;
    table.setEncoding(encoding);
    for (size_t i = 0; i < size_t(columns); ++i) {
        ColumnPlan &plan = plans[i];
        const QString &name = names[qsizetype(i)];
        Column column;
        switch (plan.kind) {
        case Kind::Empty:
        case Kind::Float64: column = Column::float64(name, std::move(plan.doubles)); break;
        case Kind::Int64:
            column = Column::int64(name, std::move(plan.ints), std::move(plan.missing));
            break;
        case Kind::Bool:
            column = Column::boolean(name, std::move(plan.bools), std::move(plan.missing));
            break;
        case Kind::DateTime:
            column = Column::dateTime(name, std::move(plan.ints),
                                      dateTimeFormat(plan.dateFamily, plan.dateFeatures),
                                      std::move(plan.missing));
            break;
        case Kind::String:
            column = finishStringColumn(name, plan, strings, i, textColumns[i].load(), encoding);
            // Free this column's chunk dictionaries now rather than at the end.
            for (auto &perChunk : strings)
                perChunk[i] = ChunkStrings();
            break;
        }
        Status added = table.addColumn(std::move(column));
        if (!added.ok())
            return added.error();
    }
    runner.finish();
    qCDebug(lcCsv).nospace() << "read " << (label.isEmpty() ? QStringLiteral("<bytes>") : label)
                             << ": " << table.rowCount() << " x " << table.columnCount()
                             << ", delimiter '" << in.delimiter << "', header " << hasHeader
                             << ", " << textEncodingName(encoding) << ", " << chunks
                             << " chunk(s), " << timer.elapsed() << " ms";
    return table;
}

// ---------------------------------------------------------------------------------------------
// File input

// The bytes are read, not memory-mapped: a mapped file that another program truncates kills the
// reader with SIGBUS, while read() just returns fewer bytes, which becomes a clear error.
constexpr qint64 kReadBlockBytes = qint64(16) << 20;

struct FileStamp
{
    bool exists = false;
    qint64 size = -1;
    QDateTime modified;
};

FileStamp stampOf(const QString &path)
{
    const QFileInfo info(path);
    return {info.exists(), info.size(), info.lastModified()};
}

Status checkUnchanged(const QString &path, const QString &label, const FileStamp &before)
{
    const FileStamp after = stampOf(path);
    if (!after.exists) {
        return makeError(ErrorKind::Io, QStringLiteral("csv.changed"),
                         QStringLiteral("%1 disappeared while it was being read").arg(label), label);
    }
    if (after.size != before.size || after.modified != before.modified) {
        return makeError(ErrorKind::Io, QStringLiteral("csv.changed"),
                         QStringLiteral("%1 changed while it was being read (%2 bytes before, %3 "
                                        "after); read it again once it is complete")
                             .arg(label)
                             .arg(before.size)
                             .arg(after.size),
                         label);
    }
    return {};
}

// Memory the system could give this process now (Linux MemAvailable), or -1 when unknown.
qint64 availableMemory()
{
    QFile meminfo(QStringLiteral("/proc/meminfo"));
    if (!meminfo.open(QIODevice::ReadOnly | QIODevice::Text))
        return -1;
    while (!meminfo.atEnd()) {
        const QByteArray line = meminfo.readLine();
        if (line.startsWith("MemAvailable:")) {
            const QList<QByteArray> parts = line.simplified().split(' ');
            bool ok = false;
            const qint64 kib = parts.value(1).toLongLong(&ok);
            return ok ? kib * 1024 : -1;
        }
    }
    return -1;
}

QString dataSize(qint64 bytes)
{
    return QLocale::c().formattedDataSize(bytes, 1, QLocale::DataSizeSIFormat);
}

// Text files hold no NUL byte; binary files and UTF-16 text do, early on.
Status checkNoNul(const char *data, qint64 from, qint64 to, const QString &label)
{
    const auto *nul = static_cast<const char *>(std::memchr(data + from, '\0', size_t(to - from)));
    if (!nul)
        return {};
    const qint64 offset = nul - data;
    const qint64 line = 1 + std::count(data, nul, '\n');
    const char *lineStart = nul;
    while (lineStart > data && lineStart[-1] != '\n')
        --lineStart;
    const qint64 column = nul - lineStart + 1;
    const QString where = QStringLiteral("line %1, column %2").arg(line).arg(column);
    return makeError(ErrorKind::BadInput, QStringLiteral("csv.binary"),
                     QStringLiteral("%1 is not CSV text: it has a NUL byte on %2 (byte %3). Binary "
                                    "files and UTF-16 text cannot be read; save the data as a "
                                    "UTF-8 CSV file")
                         .arg(label.isEmpty() ? QStringLiteral("The input") : label, where)
                         .arg(offset),
                     label.isEmpty() ? where : label + QLatin1Char(':') + where);
}

// The whole file, read in blocks (progress 0..0.05, cancel between blocks), refused when it is
// larger than options.maxBytes, needs more memory than there is (the bytes and the table take
// about twice the file's size), holds a NUL byte, or shrinks while being read.
Result<QByteArray> readFileBytes(QFile &file, const QString &label, const CsvOptions &options,
                                 const JobToken *token, const std::function<void(double)> &progress)
{
    auto tooLarge = [&](qint64 bytes) {
        return makeError(ErrorKind::BadInput, QStringLiteral("csv.too_large"),
                         QStringLiteral("%1 is %2 bytes, more than the limit of %3 bytes")
                             .arg(label)
                             .arg(bytes)
                             .arg(options.maxBytes),
                         label);
    };
    const bool sized = !file.isSequential();
    const qint64 size = sized ? file.size() : -1;
    if (sized) {
        if (size > options.maxBytes)
            return tooLarge(size);
        if (size == 0) {
            return makeError(ErrorKind::BadInput, QStringLiteral("csv.empty"),
                             QStringLiteral("The CSV file is empty"), label);
        }
        const qint64 memory = options.memoryBudget > 0 ? options.memoryBudget : availableMemory();
        if (memory > 0 && 2 * size > memory) {
            return makeError(ErrorKind::BadInput, QStringLiteral("csv.too_large"),
                             QStringLiteral("%1 is %2; reading it takes about twice that in memory "
                                            "(the text and the table), but only %3 is available")
                                 .arg(label, dataSize(size), dataSize(memory)),
                             label);
        }
    }

    // Uninitialised: pages are only touched (and counted) as the blocks arrive.
    QByteArray bytes(sized ? size : 0, Qt::Uninitialized);
    qint64 got = 0;
    for (;;) {
        if (token && token->isCancelled())
            return cancelledError(label);
        if (sized && got == size)
            break;
        if (!sized && bytes.size() < got + kReadBlockBytes)
            bytes.resize(got + kReadBlockBytes);
        const qint64 want = sized ? std::min(kReadBlockBytes, size - got) : kReadBlockBytes;
        const qint64 n = file.read(bytes.data() + got, want);
        if (n < 0) {
            return makeError(ErrorKind::Io, QStringLiteral("csv.read_failed"),
                             QStringLiteral("Cannot read %1: %2").arg(label, file.errorString()),
                             label);
        }
        if (n == 0 && sized) {
            return makeError(ErrorKind::Io, QStringLiteral("csv.changed"),
                             QStringLiteral("%1 shrank while it was being read: it was %2 bytes, "
                                            "its end came after %3; read it again once it is "
                                            "complete")
                                 .arg(label)
                                 .arg(size)
                                 .arg(got),
                             label);
        }
        if (n == 0)
            break;
        if (Status text = checkNoNul(bytes.constData(), got, got + n, label); !text)
            return text.error();
        got += n;
        if (got > options.maxBytes)
            return tooLarge(got);
        if (progress && sized)
            progress(0.05 * double(got) / double(size));
    }
    bytes.resize(got);
    return bytes;
}

} // namespace

Result<Table> readCsv(const QString &path, const CsvOptions &options, const JobToken *token,
                      std::function<void(double)> progress)
{
    const QFileInfo info(path);
    const QString label = info.fileName();
    if (token && token->isCancelled())
        return cancelledError(label);
    if (!info.exists()) {
        return makeError(ErrorKind::NotFound, QStringLiteral("csv.not_found"),
                         QStringLiteral("No such file: %1").arg(path), label);
    }
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        return makeError(ErrorKind::Io, QStringLiteral("csv.open_failed"),
                         QStringLiteral("Cannot open %1: %2").arg(path, file.errorString()),
                         label);
    }
    const FileStamp before = stampOf(path);
    auto bytes = readFileBytes(file, label, options, token, progress);
    if (!bytes)
        return bytes.error();
    Result<Table> table = parseCsv(bytes->constData(), bytes->size(), options, token, progress, label);
    bytes = QByteArray(); // the table stands alone: give the bytes back before returning
    // A table read from a file that changed meanwhile matches neither version of it.
    if (table && !file.isSequential()) {
        if (Status same = checkUnchanged(path, label, before); !same)
            return same.error();
    }
    return table;
}

Result<Table> readCsvBytes(const QByteArray &bytes, const CsvOptions &options,
                           const JobToken *token)
{
    if (bytes.size() > options.maxBytes) {
        return makeError(ErrorKind::BadInput, QStringLiteral("csv.too_large"),
                         QStringLiteral("The CSV input is %1 bytes, more than the limit of %2 bytes")
                             .arg(bytes.size())
                             .arg(options.maxBytes));
    }
    if (Status text = checkNoNul(bytes.constData(), 0, bytes.size(), QString()); !text)
        return text.error();
    return parseCsv(bytes.constData(), bytes.size(), options, token, {}, QString());
}

} // namespace baton
