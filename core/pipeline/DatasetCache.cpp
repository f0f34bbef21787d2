#include "DatasetCache.h"

#include "core/data/CsvReader.h"

#include <QFileInfo>

namespace baton {

Result<std::shared_ptr<const Table>> DatasetCache::load(const QString &path, const JobToken *token,
                                                        std::function<void(double)> progress)
{
    const QFileInfo info(path);
    if (!info.isFile()) {
        return makeError(ErrorKind::NotFound, QStringLiteral("data.missing"),
                         QStringLiteral("The data file does not exist"), path);
    }
    std::lock_guard lock(m_mutex);
    if (m_table && m_path == info.absoluteFilePath() && m_size == info.size()
        && m_modified == info.lastModified())
        return m_table;
    auto table = readCsv(info.absoluteFilePath(), {}, token, std::move(progress));
    if (!table)
        return table.error();
    m_path = info.absoluteFilePath();
    m_size = info.size();
    m_modified = info.lastModified();
    m_table = std::make_shared<const Table>(std::move(table).value());
    return m_table;
}

} // namespace baton
