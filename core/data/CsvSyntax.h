#pragma once

// How CSV records are written: record splitting (RFC 4180 quoting), blank lines, the delimiter,
// text encoding, header names, and the checks every reader makes on raw bytes and on the file.
// Internal to core/data (CsvReader, CsvBatchReader).

#include "core/common/Result.h"
#include "core/data/CsvValues.h"
#include "core/data/Table.h"
#include "core/data/TextCells.h"

#include <QDateTime>
#include <QString>
#include <QStringList>

#include <cstring>
#include <string>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

namespace baton::csv {

// Finds the first byte in [p, end) that is the delimiter or '\n', or end: 16 bytes per step where
// SSE2 is there (always on x86-64), since finding field ends is most of the work of splitting
// records. Set up once per record rather than per field (the byte patterns are kept).
class FieldEndFinder
{
public:
    explicit FieldEndFinder(char delimiter)
        : m_delimiter(delimiter)
#ifdef __SSE2__
        , m_delimiters(_mm_set1_epi8(delimiter))
        , m_newlines(_mm_set1_epi8('\n'))
#endif
    {}

    const char *operator()(const char *p, const char *end) const
    {
#ifdef __SSE2__
        while (end - p >= 16) {
            const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i *>(p));
            const unsigned hits = unsigned(_mm_movemask_epi8(
                _mm_or_si128(_mm_cmpeq_epi8(bytes, m_delimiters), _mm_cmpeq_epi8(bytes, m_newlines))));
            if (hits)
                return p + __builtin_ctz(hits);
            p += 16;
        }
#endif
        while (p < end && *p != m_delimiter && *p != '\n')
            ++p;
        return p;
    }

private:
    char m_delimiter;
#ifdef __SSE2__
    __m128i m_delimiters;
    __m128i m_newlines;
#endif
};

bool isValidUtf8(const char *begin, const char *end);

QString decode(Sv s, TextEncoding encoding);
// Appends s to cells as one cell, decoded as `encoding`.
void appendDecoded(TextCells &cells, Sv s, TextEncoding encoding);

// Parses the record at p, calling onField(index, text) per field, and leaves p after its line
// end. A field is quoted only if its first byte is '"'; the splitter (findChunkStarts) uses the
// same rule, which is what makes its record boundaries exact. Views point into the input, or
// into scratch when doubled quotes had to be collapsed. Returns false on an unterminated quote,
// with p on the opening quote.
template<typename OnField>
bool parseRecord(const char *&p, const char *end, char delimiter, std::string &scratch,
                 int &fieldCount, OnField &&onField)
{
    const FieldEndFinder findFieldEnd(delimiter);
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
            p = findFieldEnd(tail, end);
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
            p = findFieldEnd(p, end);
            if (p < end && *p == delimiter) { // most fields: no line end to look at
                onField(fieldCount++, Sv(s, size_t(p - s)));
                ++p;
                continue;
            }
            const char *e = p;
            if (e > s && e[-1] == '\r') // CRLF
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
inline bool skipBlankLine(const char *&p, const char *end)
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

Error cancelledError(const QString &label);

// Sniffs the delimiter on the first records: the candidate that splits them all into the same
// number (> 1) of fields wins; with several, the one giving the most fields, then the order below.
char sniffDelimiter(const char *begin, const char *end);

// Empty names become column_<i>; repeats get _2, _3, ... (skipping names already taken).
QStringList uniqueNames(QStringList names);

// Text files hold no NUL byte; binary files and UTF-16 text do, early on. data[from, to) is
// checked. For input read in blocks, data is a block starting on line firstLine at byte
// dataOffset of the file.
Status checkNoNul(const char *data, qint64 from, qint64 to, const QString &label,
                  qint64 firstLine = 1, qint64 dataOffset = 0);

// A file's identity while it is read: a file that changes meanwhile is refused (csv.changed).
struct FileStamp
{
    bool exists = false;
    qint64 size = -1;
    QDateTime modified;
};

FileStamp stampOf(const QString &path);
Status checkUnchanged(const QString &path, const QString &label, const FileStamp &before);
// For a file whose bytes read differently on a second look (another program is writing to it).
Error changedWhileReadError(const QString &label);

} // namespace baton::csv
