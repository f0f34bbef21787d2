#include "CsvWriter.h"

#include <algorithm>

namespace baton {

namespace {
void appendField(QByteArray &out, const QString &value)
{
    const QByteArray utf8 = value.toUtf8();
    const bool needsQuotes = utf8.contains(',') || utf8.contains('"') || utf8.contains('\n')
                             || utf8.contains('\r');
    if (!needsQuotes) {
        out += utf8;
        return;
    }
    out += '"';
    for (char c : utf8) {
        if (c == '"')
            out += '"';
        out += c;
    }
    out += '"';
}
} // namespace

QByteArray tableToCsv(const Table &table, qsizetype first, qsizetype count)
{
    const qsizetype end = count < 0 ? table.rowCount()
                                    : std::min(table.rowCount(), first + count);
    QByteArray out;
    for (int c = 0; c < table.columnCount(); ++c) {
        if (c > 0)
            out += ',';
        appendField(out, table.column(c).name());
    }
    out += '\n';
    for (qsizetype row = first; row < end; ++row) {
        for (int c = 0; c < table.columnCount(); ++c) {
            if (c > 0)
                out += ',';
            const QString cell = table.cellText(row, c);
            if (!cell.isNull())
                appendField(out, cell);
        }
        out += '\n';
    }
    return out;
}

} // namespace baton
