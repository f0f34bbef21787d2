#include "DataSourceStage.h"

#include "KaggleDownloadStep.h"

#include "core/agents/DatasetFinder.h"
#include "core/conductor/EventNames.h"
#include "core/data/CsvWriter.h"
#include "core/data/DemoDatasets.h"
#include "core/data/ImageFolder.h"
#include "core/data/KaggleDataset.h"
#include "core/pipeline/ContextKeys.h"
#include "core/pipeline/DatasetCache.h"
#include "core/project/Assets.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QLocale>

namespace baton {

namespace {

constexpr qsizetype kSampleRows = 200;

json uploadCandidate()
{
    // Protocol §5.2: always the last candidate; the web UI opens its upload dialog for it.
    return {{"id", "upload_csv"},
            {"name", "📤 Upload Your CSV File"},
            {"full_name", "custom_upload"},
            {"description", "Click here to upload your own CSV dataset from your computer"},
            {"license", "custom"},
            {"url", nullptr},
            {"is_upload_prompt", true},
            {"source", "custom_upload"}};
}

json demoCandidate(const DemoDataset &demo)
{
    return {{"id", toStd(demo.id)},
            {"name", toStd(demo.name)},
            {"full_name", toStd(demo.id)},
            {"description", toStd(demo.description)},
            {"license", toStd(demo.licence)},
            {"url", nullptr},
            {"source", "builtin_demo"},
            {"task", toStd(demo.task)},
            {"target", toStd(demo.target)}};
}

// Choosing it sets dataset_id to kaggle:owner/name, which this stage then downloads.
json kaggleCandidate(const KaggleSearchResult &result)
{
    json candidate = {{"id", toStd(QStringLiteral("kaggle:") + result.ref)},
                      {"name", toStd(result.title)},
                      {"full_name", toStd(result.ref)},
                      {"description", toStd(result.subtitle.isEmpty() ? QStringLiteral("Kaggle dataset %1").arg(result.ref)
                                                                      : result.subtitle)},
                      {"license", toStd(result.licenseName.isEmpty() ? QStringLiteral("unspecified") : result.licenseName)},
                      {"url", toStd(result.url)},
                      {"source", "kaggle"},
                      {"downloads", result.downloadCount},
                      {"votes", result.voteCount},
                      {"usability", result.usabilityRating}};
    if (result.totalBytes >= 0)
        candidate["size_bytes"] = result.totalBytes;
    return candidate;
}

json fileCandidate(const QFileInfo &file)
{
    return {{"id", "local_file"},
            {"name", toStd(file.fileName())},
            {"full_name", toStd(file.absoluteFilePath())},
            {"description", toStd(QStringLiteral("Your file (%1)")
                                      .arg(QLocale().formattedDataSize(file.size())))},
            {"license", "custom"},
            {"url", nullptr},
            {"source", "local_file"},
            {"path", toStd(file.absoluteFilePath())}};
}

bool looksLikeImageData(const QFileInfo &file)
{
    return file.isDir() || file.suffix().compare(QLatin1String("zip"), Qt::CaseInsensitive) == 0;
}

// A folder or zip of images: summarised and shown (so the user sees what they gave us), then
// failed visibly, because training on images is the vision issue's work, not this build's.
StageOutcome imageDataOutcome(StageContext &context, const QFileInfo &file)
{
    // StageContext exposes no JobToken; the summary is header-only and checked after it returns.
    auto summary = summariseImageFolder(file.absoluteFilePath());
    if (!summary)
        return StageOutcome::failed(summary.error());
    if (context.isCancelled())
        return StageOutcome::failed(makeError(ErrorKind::Cancelled, QStringLiteral("cancelled"),
                                              QStringLiteral("Cancelled")));

    const json summaryJson = summary->toJson();
    const QString rel = QStringLiteral("data/image_summary.json");
    const QString summaryPath =
        QDir(context.projectDir()).filePath(QStringLiteral("assets/") + rel);
    if (Status written = writeJsonFile(summaryPath, summaryJson); !written)
        return StageOutcome::failed(written.error());
    const QString url = assetUrl(context.projectId(), rel);

    // The DATASET_SAMPLE_READY shape, with the class table as the "sample" of an image dataset.
    context.emitEvent(events::DatasetSampleReady, {{"asset_url", toStd(url)},
                                                   {"kind", "image_folder"},
                                                   {"columns", json::array({"name", "count"})},
                                                   {"n_rows", summary->classCount()},
                                                   {"total_rows", summary->imageCount},
                                                   {"image_summary", summaryJson}});
    context.emitEvent(events::ArtifactAdded,
                      {{"artifact",
                        {{"id", "image_summary"},
                         {"type", "image_summary"},
                         {"name", "Image folder summary"},
                         {"url", toStd(url)},
                         {"meta",
                          {{"images", summary->imageCount},
                           {"classes", summary->classCount()},
                           {"unreadable", summary->unreadable.size()}}}}}});

    return StageOutcome::failed(makeError(
        ErrorKind::NotImplemented, QStringLiteral("data.images_unsupported"),
        QStringLiteral("Image classification training is not available in this build yet; the "
                       "folder has %1 images in %2 classes")
            .arg(summary->imageCount)
            .arg(summary->classCount()),
        file.absoluteFilePath()));
}

} // namespace

DataSourceStage::DataSourceStage(std::shared_ptr<DatasetCache> cache)
    : m_cache(std::move(cache))
{}

StageOutcome DataSourceStage::run(StageContext &context)
{
    const json &project = context.projectContext();
    const QString prompt = stringField(project, ctx::Prompt);
    QString dataPath = stringField(project, ctx::DataPath);
    const QString chosenId = stringField(project, ctx::DatasetId);
    // kaggle:owner/name, as the data path or the chosen dataset, is fetched into the project first.
    if (const QString ref = isKaggleReference(dataPath) ? dataPath : chosenId; isKaggleReference(ref)) {
        auto downloaded = stage::downloadKaggleData(context, ref);
        if (!downloaded)
            return StageOutcome::failed(downloaded.error());
        dataPath = downloaded.value();
    }

    // Candidates: the user's file first, then the demos the finder agent says fit the goal (best
    // first), the other demos, and the upload option last.
    const json intent = project.value(ctx::Intent, json::object());
    const auto found = findDatasets(AgentRunner::forStage(context), prompt, stringField(intent, "dataset_hint"),
                                    stringField(project, ctx::Task));
    json candidates = json::array();
    std::optional<DemoDataset> demo;
    if (!dataPath.isEmpty()) {
        candidates.push_back(fileCandidate(QFileInfo(dataPath)));
    } else {
        demo = demoDataset(chosenId);
        if (!demo && !found.value.empty())
            demo = found.value.front();
    }
    QStringList offered;
    for (const DemoDataset &d : found.value) {
        json candidate = demoCandidate(d);
        candidate["matches_goal"] = true;
        candidates.push_back(candidate);
        offered << d.id;
    }
    for (const DemoDataset &d : demoDatasets()) {
        if (!offered.contains(d.id))
            candidates.push_back(demoCandidate(d));
    }
    // Kaggle is searched only while the data is still to be chosen: a user who brought a file or
    // picked a dataset neither waits for the search nor sends their goal's words to Kaggle.
    if (dataPath.isEmpty() && chosenId.isEmpty()) {
        for (const KaggleSearchResult &k : findKaggleDatasets(prompt, stringField(intent, "dataset_hint"), &context.token()))
            candidates.push_back(kaggleCandidate(k));
    }
    candidates.push_back(uploadCandidate());
    json offer = {{"datasets", candidates}, {"count", candidates.size()}};
    found.provenance.addTo(offer);
    context.emitEvent(events::DatasetCandidates, offer);

    if (dataPath.isEmpty() && !demo) {
        return StageOutcome::failed(makeError(
            ErrorKind::BadInput, QStringLiteral("data.none"),
            QStringLiteral("No data yet: open a CSV file or choose one of the built-in demo "
                           "datasets, then restart this stage.")));
    }
    if (dataPath.isEmpty()) {
        auto materialized = materializeDemoDataset(
            *demo, QDir(context.projectDir()).filePath(QStringLiteral("assets/data")));
        if (!materialized)
            return StageOutcome::failed(materialized.error());
        dataPath = materialized.value();
    }

    const QFileInfo file(dataPath);
    if (!file.exists()) {
        return StageOutcome::failed(makeError(ErrorKind::BadInput, QStringLiteral("data.missing"),
                                              QStringLiteral("The data file does not exist"),
                                              dataPath));
    }
    if (looksLikeImageData(file))
        return imageDataOutcome(context, file);

    QElapsedTimer timer;
    timer.start();
    auto loaded = m_cache->load(file.absoluteFilePath(), &context.token(), {});
    if (!loaded)
        return StageOutcome::failed(loaded.error());
    const Table &table = *loaded.value();
    if (table.rowCount() == 0 || table.columnCount() == 0) {
        return StageOutcome::failed(makeError(ErrorKind::BadInput, QStringLiteral("data.empty"),
                                              QStringLiteral("The file has no data rows"),
                                              dataPath));
    }
    const qint64 loadMs = timer.elapsed();
    if (context.isCancelled())
        return StageOutcome::failed(makeError(ErrorKind::Cancelled, QStringLiteral("cancelled"),
                                              QStringLiteral("Cancelled")));

    const auto sha = sha256OfFile(file.absoluteFilePath());
    if (!sha)
        return StageOutcome::failed(sha.error());

    // A small sample for previews (web UI, report); the data itself stays where it is.
    const QString sampleRel = QStringLiteral("data/sample.csv");
    const QString samplePath = QDir(context.projectDir()).filePath(QStringLiteral("assets/") + sampleRel);
    if (Status written = writeTextFile(samplePath, tableToCsv(table, 0, kSampleRows)); !written)
        return StageOutcome::failed(written.error());
    const QString sampleUrl = assetUrl(context.projectId(), sampleRel);

    json columns = json::array();
    json columnTypes = json::object();
    for (const Column &column : table.columns()) {
        columns.push_back(toStd(column.name()));
        columnTypes[toStd(column.name())] = toStd(columnTypeName(column.type()));
    }
    const qsizetype sampleRows = std::min(table.rowCount(), kSampleRows);
    context.emitEvent(events::DatasetSampleReady, {{"asset_url", toStd(sampleUrl)},
                                                   {"columns", columns},
                                                   {"n_rows", sampleRows},
                                                   {"total_rows", table.rowCount()}});
    context.emitEvent(events::ArtifactAdded,
                      {{"artifact",
                        {{"id", "dataset_sample"},
                         {"type", "dataset_sample"},
                         {"name", "Dataset sample"},
                         {"url", toStd(sampleUrl)},
                         {"meta", {{"rows", sampleRows}}}}}});

    const QString datasetId = demo ? demo->id : QStringLiteral("local_file");
    const json dataset = {{"id", toStd(datasetId)},
                          {"name", toStd(demo ? demo->name : file.fileName())},
                          {"source", demo ? "builtin_demo" : "local_file"},
                          {"path", toStd(file.absoluteFilePath())},
                          {"rows", table.rowCount()},
                          {"columns", columns},
                          {"column_types", columnTypes},
                          {"encoding", toStd(textEncodingName(table.encoding()))},
                          {"size_bytes", file.size()},
                          {"sha256", toStd(sha.value())},
                          {"load_ms", loadMs}};
    context.emitEvent(events::DatasetSelected,
                      {{"dataset_id", toStd(datasetId)},
                       {"dataset", dataset},
                       {"message", toStd(QStringLiteral("Dataset ready: %1 rows, %2 columns")
                                             .arg(table.rowCount())
                                             .arg(table.columnCount()))}});

    json patch = {{ctx::Dataset, dataset},
                  {ctx::DataPath, toStd(file.absoluteFilePath())},
                  {ctx::DatasetId, toStd(datasetId)}};
    // A demo chosen here brings its target when the goal did not name a column of it.
    const QString target = stringField(project, ctx::Target);
    if (demo && (target.isEmpty() || !table.columnIndex(target)))
        patch[ctx::Target] = toStd(demo->target);

    const QLocale locale;
    const QString summary = QStringLiteral("Using “%1”: %2 rows × %3 columns (%4).")
                                .arg(demo ? demo->name : file.fileName(),
                                     locale.toString(table.rowCount()),
                                     locale.toString(table.columnCount()),
                                     textEncodingName(table.encoding()));
    return StageOutcome::waiting(summary,
                                 {QStringLiteral("Confirm to profile the data"),
                                  QStringLiteral("Choose another dataset")},
                                 std::move(patch));
}

} // namespace baton
