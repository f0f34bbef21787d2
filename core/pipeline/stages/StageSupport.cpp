#include "StageSupport.h"

#include "core/conductor/EventNames.h"
#include "core/ml/EnsembleModel.h"
#include "core/pipeline/ContextKeys.h"
#include "core/project/Assets.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>

#include <unordered_set>

namespace baton::stage {

QString assetPath(const StageContext &context, const QString &relative)
{
    return QDir(context.projectDir()).filePath(QStringLiteral("assets/") + relative);
}

QString evaluatedModelFolder()
{
    return QStringLiteral("model/") + QLatin1String(kEvaluatedModelFolder);
}

bool hasEvaluatedModel(const StageContext &context)
{
    return QFileInfo::exists(assetPath(context, evaluatedModelFolder() + QStringLiteral("/ensemble.json")));
}

namespace {

json artifactAdded(const QString &id, const QString &type, const QString &name,
                   const QString &url, json meta)
{
    return {{"artifact",
             {{"id", toStd(id)},
              {"type", toStd(type)},
              {"name", toStd(name)},
              {"url", toStd(url)},
              {"meta", std::move(meta)}}}};
}

} // namespace

QString announceArtifact(const StageContext &context, const QString &id, const QString &type,
                         const QString &name, const QString &relative, json meta)
{
    const QString url = assetUrl(context.projectId(), relative);
    context.emitEvent(events::ArtifactAdded, artifactAdded(id, type, name, url, std::move(meta)));
    return url;
}

StagedAssets::StagedAssets(const StageContext &context, QString folder)
    : m_context(context)
    , m_folder(std::move(folder))
{
    // Beside the final folder, so that commit() is a rename within one file system. The name
    // is unique per run: a crashed run's leftover never collides with the next one.
    const QString assets = assetPath(context, QString());
    if (QDir().mkpath(assets)) {
        QTemporaryDir staging(QDir(assets).filePath(QStringLiteral(".%1-staging-XXXXXX").arg(m_folder)));
        if (staging.isValid()) {
            staging.setAutoRemove(false); // removed by the destructor unless moved in
            m_staging = staging.path();
        }
    }
}

StagedAssets::~StagedAssets()
{
    if (!m_committed && !m_staging.isEmpty())
        QDir(m_staging).removeRecursively();
}

QString StagedAssets::path(const QString &relative) const
{
    const QString prefix = m_folder + QLatin1Char('/');
    Q_ASSERT(relative.startsWith(prefix));
    // Without a staging folder the write fails with a clear "cannot create its folder".
    return (m_staging.isEmpty() ? QStringLiteral("/nonexistent-staging") : m_staging)
           + QLatin1Char('/') + relative.mid(prefix.size());
}

QString StagedAssets::announce(const QString &id, const QString &type, const QString &name,
                               const QString &relative, json meta)
{
    const QString url = assetUrl(m_context.projectId(), relative);
    m_events.emplace_back(events::ArtifactAdded, artifactAdded(id, type, name, url, std::move(meta)));
    return url;
}

void StagedAssets::emitLater(const char *name, json payload)
{
    m_events.emplace_back(name, std::move(payload));
}

Status StagedAssets::commit()
{
    auto failed = [&](const QString &what) {
        return makeError(ErrorKind::Io, QStringLiteral("asset.commit"),
                         QStringLiteral("Cannot put the %1 files in place: %2").arg(m_folder, what),
                         assetPath(m_context, m_folder));
    };
    if (m_staging.isEmpty())
        return failed(QStringLiteral("the staging folder could not be created"));
    const QString target = assetPath(m_context, m_folder);
    // The previous run's folder steps aside first and comes back if the swap fails.
    const QString previous = m_staging + QStringLiteral(".previous");
    const bool hadPrevious = QFileInfo::exists(target);
    if (hadPrevious && !QDir().rename(target, previous))
        return failed(QStringLiteral("the previous %1 folder cannot be moved").arg(m_folder));
    if (!QDir().rename(m_staging, target)) {
        if (hadPrevious)
            QDir().rename(previous, target);
        return failed(QStringLiteral("the staging folder cannot be renamed"));
    }
    m_committed = true;
    if (hadPrevious && !QDir(previous).removeRecursively())
        QFile::remove(previous); // it was a file, not a folder
    for (auto &[name, payload] : m_events)
        m_context.emitEvent(name, std::move(payload));
    m_events.clear();
    return {};
}

Result<bool> resolveClassification(const Table &table, const QString &target, const QString &task)
{
    if (task == QLatin1String("classification"))
        return true;
    if (task == QLatin1String("regression"))
        return false;
    if (task == QLatin1String("forecast") || task == QLatin1String("image")) {
        return makeError(ErrorKind::NotImplemented, QStringLiteral("task.unsupported"),
                         QStringLiteral("%1 tasks are not supported in this build yet; tabular "
                                        "classification and regression are")
                             .arg(task));
    }
    const auto index = table.columnIndex(target);
    if (!index) {
        return makeError(ErrorKind::BadInput, QStringLiteral("task.no_target"),
                         QStringLiteral("The target column “%1” is not in the data").arg(target));
    }
    const Column &column = table.column(*index);
    switch (column.type()) {
    case ColumnType::Categorical:
    case ColumnType::Bool:
    case ColumnType::Text:
        return true;
    case ColumnType::DateTime:
        return makeError(ErrorKind::BadInput, QStringLiteral("task.date_target"),
                         QStringLiteral("The target “%1” holds dates; choose another column").arg(target));
    case ColumnType::Int64: {
        std::unordered_set<int64_t> distinct;
        for (qsizetype r = 0; r < column.size() && distinct.size() <= 20; ++r) {
            if (!column.isMissing(r))
                distinct.insert(column.int64Values()[size_t(r)]);
        }
        return distinct.size() <= 20 && qsizetype(distinct.size()) * 20 <= column.size();
    }
    case ColumnType::Float64:
        return false;
    }
    return false;
}

MetricId resolveMetric(const QString &requested, bool classification, int classes)
{
    if (const auto metric = metricFromName(requested);
        metric && isClassificationMetric(*metric) == classification)
        return *metric;
    if (!classification)
        return MetricId::Rmse;
    return classes == 2 ? MetricId::RocAuc : MetricId::LogLoss;
}

std::vector<Exclusion> exclusionsFrom(const json &context)
{
    std::vector<Exclusion> out;
    const auto it = context.find(ctx::ExcludedColumns);
    if (it == context.end() || !it->is_array())
        return out;
    for (const json &item : *it) {
        if (item.is_string())
            out.push_back({fromStd(item.get<std::string>()), QStringLiteral("excluded by you")});
        else if (item.is_object() && !stringField(item, "column").isEmpty())
            out.push_back({stringField(item, "column"), stringField(item, "reason", QStringLiteral("excluded by you"))});
    }
    return out;
}

uint64_t seedFrom(const json &context)
{
    const auto it = context.find(ctx::Seed);
    if (it != context.end() && it->is_number_integer() && it->get<int64_t>() >= 0)
        return uint64_t(it->get<int64_t>());
    return 42;
}

} // namespace baton::stage
