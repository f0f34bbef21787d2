#include "StageSupport.h"

#include "core/conductor/EventNames.h"
#include "core/pipeline/ContextKeys.h"
#include "core/project/Assets.h"

#include <QDir>

#include <unordered_set>

namespace baton::stage {

QString assetPath(const StageContext &context, const QString &relative)
{
    return QDir(context.projectDir()).filePath(QStringLiteral("assets/") + relative);
}

QString announceArtifact(const StageContext &context, const QString &id, const QString &type,
                         const QString &name, const QString &relative, json meta)
{
    const QString url = assetUrl(context.projectId(), relative);
    context.emitEvent(events::ArtifactAdded, {{"artifact",
                                               {{"id", toStd(id)},
                                                {"type", toStd(type)},
                                                {"name", toStd(name)},
                                                {"url", toStd(url)},
                                                {"meta", std::move(meta)}}}});
    return url;
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
