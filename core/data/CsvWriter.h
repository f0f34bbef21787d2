#pragma once

#include "core/data/Table.h"

#include <QByteArray>

namespace baton {

// RFC 4180 text for rows [first, first + count) of a table: a header line, then one line per row;
// fields holding the delimiter, a quote or a line break are quoted; missing cells are empty.
QByteArray tableToCsv(const Table &table, qsizetype first = 0, qsizetype count = -1);

} // namespace baton
