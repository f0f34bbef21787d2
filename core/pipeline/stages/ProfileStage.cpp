#include "ProfileStage.h"

#include "StageSupport.h"

#include "core/conductor/EventNames.h"
#include "core/data/Profiler.h"
#include "core/pipeline/ContextKeys.h"
#include "core/pipeline/DatasetCache.h"
#include "core/project/Assets.h"
#include "core/report/Charts.h"

#include <QImage>

#include <cmath>

namespace baton {

namespace {

// Writes a chart next to its JSON when this process can render (a GUI or offscreen platform).
void writeChart(const StageContext &context, stage::StagedAssets &assets, const QString &relative,
                const QImage &image, json &meta)
{
    if (image.isNull())
        return;
    if (writePngFile(assets.path(relative), image).ok())
        meta["png_url"] = toStd(assetUrl(context.projectId(), relative));
}

} // namespace

ProfileStage::ProfileStage(std::shared_ptr<DatasetCache> cache)
    : m_cache(std::move(cache))
{}

StageOutcome ProfileStage::run(StageContext &context)
{
    const json &project = context.projectContext();
    const QString dataPath = stringField(project, ctx::DataPath);
    if (dataPath.isEmpty()) {
        return stage::fail(ErrorKind::BadInput, "profile.no_data",
                           QStringLiteral("No dataset selected. Please go back and select a dataset."));
    }
    auto loaded = m_cache->load(dataPath, &context.token());
    if (!loaded)
        return StageOutcome::failed(loaded.error());
    const Table &table = *loaded.value();

    ProfileOptions options;
    const QString target = stringField(project, ctx::Target);
    if (!target.isEmpty() && table.columnIndex(target))
        options.target = target;
    double lastPct = -100;
    auto profile = profileTable(table, options, &context.token(), [&](const QString &phase, double fraction) {
        const double pct = 100.0 * fraction; // the profiler reports 0..1, the event percents
        if (pct - lastPct >= 5 || pct >= 100) {
            lastPct = pct;
            context.emitEvent(events::ProfileProgress, {{"phase", toStd(phase)}, {"pct", pct}});
        }
    });
    if (!profile)
        return StageOutcome::failed(profile.error());
    if (context.isCancelled())
        return stage::fail(ErrorKind::Cancelled, "cancelled", QStringLiteral("Cancelled"));

    // The whole profile, then the views the protocol announces separately: all written, moved
    // in and announced together at the end, or none of them.
    stage::StagedAssets assets(context, QStringLiteral("profile"));
    const QString profileRel = QStringLiteral("profile/profile.json");
    if (Status s = writeJsonFile(assets.path(profileRel), profile->toJson()); !s)
        return StageOutcome::failed(s.error());
    assets.announce(QStringLiteral("profile"), QStringLiteral("profile"),
                    QStringLiteral("Data profile"), profileRel);

    json missingness = json::array();
    std::vector<charts::Bar> missingBars;
    for (const ColumnProfile &c : profile->columns) {
        missingness.push_back({{"column", toStd(c.name)}, {"missing", c.missing}, {"pct", c.missingPct}});
        if (c.missing > 0)
            missingBars.push_back({c.name, c.missingPct});
    }
    std::sort(missingBars.begin(), missingBars.end(), [](const auto &a, const auto &b) { return a.value > b.value; });
    const QString missingRel = QStringLiteral("profile/missingness.json");
    if (Status s = writeJsonFile(assets.path(missingRel), {{"columns", missingness}}); !s)
        return StageOutcome::failed(s.error());
    json missingMeta = {{"columns_with_missing", missingBars.size()}};
    if (!missingBars.empty()) {
        writeChart(context, assets, QStringLiteral("profile/missingness.png"),
                   charts::barChart(missingBars, {QStringLiteral("Missing values by column"), QStringLiteral("% missing"), {}}),
                   missingMeta);
    }
    const QString missingUrl = assets.announce(QStringLiteral("missingness"), QStringLiteral("missingness"),
                                               QStringLiteral("Missingness"), missingRel, missingMeta);
    assets.emitLater(events::MissingnessTableReady, {{"asset_url", toStd(missingUrl)}, {"columns", missingness}});

    assets.emitLater(events::ProfileSummary, [&] {
        json payload = profile->toProtocolSummary();
        json details = json::array();
        for (const ProfileWarning &w : profile->warnings)
            details.push_back(w.toJson());
        payload["warning_details"] = details;
        payload["asset_url"] = toStd(assetUrl(context.projectId(), profileRel));
        return payload;
    }());

    if (profile->target.kind != TargetKind::None) {
        const QString targetRel = QStringLiteral("profile/target_distribution.json");
        const json targetJson = profile->target.toJson();
        if (Status s = writeJsonFile(assets.path(targetRel), targetJson); !s)
            return StageOutcome::failed(s.error());
        json meta = {{"column", toStd(profile->target.column)}};
        QImage chart;
        const QString title = QStringLiteral("Distribution of %1").arg(profile->target.column);
        if (profile->target.isClassification()) {
            std::vector<charts::Bar> bars;
            for (const ValueCount &v : profile->target.classes)
                bars.push_back({v.value, double(v.count)});
            chart = charts::barChart(bars, {title, QStringLiteral("rows"), {}});
        } else {
            const Histogram &h = profile->target.histogram;
            chart = charts::histogram(h.edges, std::vector<double>(h.counts.begin(), h.counts.end()),
                                      {title, profile->target.column, QStringLiteral("rows")});
        }
        writeChart(context, assets, QStringLiteral("profile/target_distribution.png"), chart, meta);
        const QString url = assets.announce(QStringLiteral("target_distribution"),
                                            QStringLiteral("target_distribution"),
                                            QStringLiteral("Target distribution"), targetRel, meta);
        assets.emitLater(events::TargetDistributionReady, {{"asset_url", toStd(url)}, {"target", targetJson}});
    }

    if (!profile->correlations.columns.isEmpty()) {
        const QString corrRel = QStringLiteral("profile/correlations.json");
        if (Status s = writeJsonFile(assets.path(corrRel), profile->correlations.toJson()); !s)
            return StageOutcome::failed(s.error());
        const int n = int(profile->correlations.columns.size());
        std::vector<std::vector<double>> matrix(static_cast<size_t>(n), std::vector<double>(static_cast<size_t>(n)));
        for (int i = 0; i < n; ++i) {
            for (int j = 0; j < n; ++j)
                matrix[size_t(i)][size_t(j)] = profile->correlations.at(i, j);
        }
        charts::ChartOptions options{QStringLiteral("Correlations (Pearson)"), {}, {}};
        options.palette = charts::Palette::Diverging;
        options.colorMin = -1;
        options.colorMax = 1;
        options.size = QSize(900, 800);
        json meta = {{"columns", n}, {"truncated", profile->correlations.truncated}};
        writeChart(context, assets, QStringLiteral("profile/correlations.png"),
                   charts::heatmap(matrix, profile->correlations.columns, profile->correlations.columns, options), meta);
        assets.announce(QStringLiteral("correlations"), QStringLiteral("correlations"),
                        QStringLiteral("Correlations"), corrRel, meta);
    }
    if (context.isCancelled())
        return stage::fail(ErrorKind::Cancelled, "cancelled", QStringLiteral("Cancelled"));
    if (Status s = assets.commit(); !s)
        return StageOutcome::failed(s.error());

    // Proposals: excluding a column is applied when the user confirms (baton run confirms as is).
    json proposals = json::array();
    json excluded = project.value(ctx::ExcludedColumns, json::array());
    QStringList excludedNames;
    for (const Exclusion &e : stage::exclusionsFrom(project))
        excludedNames << e.column;
    QStringList proposalLines;
    for (const ProfileWarning &w : profile->warnings) {
        if (w.proposal.is_null())
            continue;
        proposals.push_back(w.toJson());
        if (stringField(w.proposal, "action") == QLatin1String("exclude_column") && !w.column.isEmpty()
            && w.column != options.target && !excludedNames.contains(w.column)) {
            excluded.push_back({{"column", toStd(w.column)}, {"reason", toStd(stringField(w.proposal, "reason", w.code))}});
            excludedNames << w.column;
            proposalLines << QStringLiteral("exclude “%1” (%2)").arg(w.column, stringField(w.proposal, "reason", w.code));
        }
    }
    const ProfileSummary &s = profile->summary;
    json patch = {{ctx::Profile, {{"rows", s.rows},
                                  {"columns", s.columns},
                                  {"missing_pct", s.missingPct},
                                  {"duplicate_rows", s.duplicateRows},
                                  {"warnings", profile->warnings.size()},
                                  {"asset", toStd(profileRel)}}},
                  {ctx::Proposals, proposals},
                  {ctx::ExcludedColumns, excluded}};
    QString summary = QStringLiteral("Dataset profiled: %1 rows, %2 columns, %3% missing values, %4 warning(s).")
                          .arg(s.rows)
                          .arg(s.columns)
                          .arg(QString::number(s.missingPct, 'f', 1))
                          .arg(profile->warnings.size());
    if (!proposalLines.isEmpty())
        summary += QStringLiteral(" Proposed: %1.").arg(proposalLines.join(QStringLiteral("; ")));
    return StageOutcome::waiting(summary, {QStringLiteral("Confirm to proceed with preprocessing"),
                                           QStringLiteral("Keep a proposed column")},
                                 std::move(patch));
}

} // namespace baton
