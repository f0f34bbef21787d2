#pragma once

#include "core/common/Result.h"
#include "core/data/Table.h"

#include <QDateTime>
#include <QString>

#include <functional>
#include <memory>
#include <mutex>

namespace baton {

class JobToken;

// The table the stages of one project work on, read once and shared (read-only) by every stage
// that needs it. Re-read when the file changes on disk.
class DatasetCache
{
public:
    Result<std::shared_ptr<const Table>> load(const QString &path, const JobToken *token = nullptr,
                                              std::function<void(double)> progress = {});

private:
    std::mutex m_mutex;
    QString m_path;
    QDateTime m_modified;
    qint64 m_size = -1;
    std::shared_ptr<const Table> m_table;
};

} // namespace baton
