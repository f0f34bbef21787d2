#include "CsvSyntax.h"

#include <QFileInfo>
#include <QSet>

namespace baton::csv {

bool isValidUtf8(const char *begin, const char *end)
{
    auto p = reinterpret_cast<const unsigned char *>(begin);
    const auto e = reinterpret_cast<const unsigned char *>(end);
    while (p < e) {
        // ASCII fast path, 32 then 8 bytes at a time: most CSV bytes are digits and punctuation.
#ifdef __SSE2__
        while (e - p >= 32) {
            const __m128i a = _mm_loadu_si128(reinterpret_cast<const __m128i *>(p));
            const __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i *>(p + 16));
            if (_mm_movemask_epi8(_mm_or_si128(a, b)))
                break;
            p += 32;
        }
#endif
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
    // Most text cells are short and ASCII: widening them in place costs a fraction of
    // fromUtf8()'s general path (a text column decodes one string per row).
    if (encoding == TextEncoding::Utf8 && !s.empty() && s.size() <= 64) {
        QString text(qsizetype(s.size()), Qt::Uninitialized);
        char16_t *out = reinterpret_cast<char16_t *>(text.data());
        unsigned high = 0;
        for (size_t i = 0; i < s.size(); ++i) {
            const auto byte = uint8_t(s[i]);
            high |= byte;
            out[i] = byte;
        }
        if (high < 0x80)
            return text;
    }
    return encoding == TextEncoding::Utf8 ? QString::fromUtf8(s.data(), qsizetype(s.size()))
                                          : QString::fromLatin1(s.data(), qsizetype(s.size()));
}

void appendDecoded(TextCells &cells, Sv s, TextEncoding encoding)
{
    if (encoding == TextEncoding::Latin1)
        cells.appendLatin1(s.data(), qsizetype(s.size()));
    else if (!cells.appendAscii(s.data(), qsizetype(s.size())))
        cells.append(QString::fromUtf8(s.data(), qsizetype(s.size())));
}

Error cancelledError(const QString &label)
{
    return makeError(ErrorKind::Cancelled, QStringLiteral("csv.cancelled"),
                     QStringLiteral("Reading the CSV file was cancelled"), label);
}

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

Status checkNoNul(const char *data, qint64 from, qint64 to, const QString &label,
                  qint64 firstLine, qint64 dataOffset)
{
    const auto *nul = static_cast<const char *>(std::memchr(data + from, '\0', size_t(to - from)));
    if (!nul)
        return {};
    const qint64 offset = dataOffset + (nul - data);
    const qint64 line = firstLine + std::count(data, nul, '\n');
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

FileStamp stampOf(const QString &path)
{
    const QFileInfo info(path);
    return {info.exists(), info.size(), info.lastModified()};
}

Error changedWhileReadError(const QString &label)
{
    return makeError(ErrorKind::Io, QStringLiteral("csv.changed"),
                     QStringLiteral("%1 changed while it was being read; read it again once it is "
                                    "complete").arg(label),
                     label);
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

} // namespace baton::csv
