#include "ParseIntentStage.h"

#include "core/agents/IntentAgent.h"
#include "core/conductor/EventNames.h"
#include "core/data/KaggleDataset.h"
#include "core/pipeline/ContextKeys.h"
#include "core/pipeline/DatasetCache.h"
#include "core/pipeline/TableHints.h"

#include <QFileInfo>

namespace baton {

ParseIntentStage::ParseIntentStage(std::shared_ptr<DatasetCache> cache)
    : m_cache(std::move(cache))
{}

StageOutcome ParseIntentStage::run(StageContext &context)
{
    const json &project = context.projectContext();
    const QString prompt = stringField(project, ctx::Prompt).trimmed();
    const QString dataPath = stringField(project, ctx::DataPath);

    std::vector<ColumnHint> columns;
    bool imageData = false;
    QStringList columnNames;
    if (isKaggleReference(dataPath)) {
        // DATA_SOURCE downloads it; until then there are no columns to look at, only the form
        // of the reference to check.
        if (auto ref = parseKaggleReference(dataPath); !ref)
            return StageOutcome::failed(ref.error());
    } else if (!dataPath.isEmpty()) {
        const QFileInfo file(dataPath);
        imageData = file.isDir() || file.suffix().compare(QLatin1String("zip"), Qt::CaseInsensitive) == 0;
        if (!imageData) {
            auto table = m_cache->load(dataPath);
            if (!table)
                return StageOutcome::failed(table.error());
            columns = columnHints(*table.value());
            columnNames = table.value()->columnNames();
        }
    }

    AgentResult<ParsedIntent> parsed = parseIntent(AgentRunner::forStage(context), prompt, columns, imageData);
    ParsedIntent &intent = parsed.value;

    // What the user fixed explicitly (--target, --task, the GUI form) wins over the rules.
    const QString explicitTarget = stringField(project, ctx::Target);
    if (!explicitTarget.isEmpty()) {
        if (!columnNames.isEmpty() && !columnNames.contains(explicitTarget)) {
            return StageOutcome::failed(makeError(
                ErrorKind::BadInput, QStringLiteral("intent.unknown_target"),
                QStringLiteral("The target column “%1” is not in the data; its columns are: %2")
                    .arg(explicitTarget, columnNames.join(QStringLiteral(", "))),
                dataPath));
        }
        intent.target = explicitTarget;
    }
    const QString explicitTask = stringField(project, ctx::Task);
    if (const auto task = taskKindFromName(explicitTask); task && *task != TaskKind::Unknown)
        intent.task = *task;

    json payload = intent.toJson();
    parsed.provenance.addTo(payload);
    context.emitEvent(events::PromptParsed, payload);

    json patch = {{ctx::Intent, payload}, {ctx::Task, toStd(taskKindName(intent.task))}};
    if (!intent.target.isEmpty() && (columnNames.isEmpty() || columnNames.contains(intent.target)))
        patch[ctx::Target] = toStd(intent.target);
    if (!intent.metric.isEmpty() && stringField(project, ctx::Metric).isEmpty())
        patch[ctx::Metric] = toStd(intent.metric);
    if (intent.timeBudgetS && !project.contains(ctx::TimeBudgetS))
        patch[ctx::TimeBudgetS] = *intent.timeBudgetS;
    if (!intent.excludedColumns.isEmpty()) {
        json excluded = json::array();
        for (const QString &column : intent.excludedColumns)
            excluded.push_back({{"column", toStd(column)}, {"reason", "excluded in the goal"}});
        patch[ctx::ExcludedColumns] = excluded;
    }

    QString summary = QStringLiteral("Understood! Task: %1.").arg(taskKindName(intent.task));
    if (!intent.target.isEmpty())
        summary += QStringLiteral(" Target: %1.").arg(intent.target);
    if (intent.needsClarification && !intent.questions.isEmpty())
        summary += QLatin1Char(' ') + intent.questions.join(QLatin1Char(' '));
    return StageOutcome::waiting(summary,
                                 {QStringLiteral("Confirm to search for datasets"),
                                  QStringLiteral("Edit prompt if incorrect")},
                                 std::move(patch));
}

} // namespace baton
