#include "KaggleDownloadStep.h"

#include "StageSupport.h"

#include "core/conductor/EventNames.h"
#include "core/data/KaggleDataset.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QLocale>

namespace baton::stage {

namespace {

constexpr qint64 kProgressIntervalMs = 250; // a few updates a second, whatever the speed

QString dataSize(qint64 bytes)
{
    return QLocale().formattedDataSize(bytes, 1, QLocale::DataSizeSIFormat);
}

void emitDownloadStatus(const StageContext &context, const QString &message, json extra = {})
{
    json payload = {{"stage", toStd(stageName(context.stage()))},
                    {"status", toStd(statusName(StageStatus::InProgress))},
                    {"message", toStd(message)},
                    {"source", "kaggle"}};
    if (extra.is_object())
        payload.update(extra);
    context.emitEvent(events::StageStatus, std::move(payload));
}

} // namespace

Result<QString> downloadKaggleData(StageContext &context, const QString &reference)
{
    auto ref = parseKaggleReference(reference);
    if (!ref)
        return ref.error();
    const QString relativeFolder = QStringLiteral("data/kaggle/%1/%2").arg(ref->owner, ref->name);

    emitDownloadStatus(context, QStringLiteral("Downloading %1 from Kaggle…").arg(ref->slug()),
                       {{"progress", 0.0}});
    QElapsedTimer sinceReport; // invalid until the first report: the first bytes show at once
    auto report = [&](qint64 received, qint64 total) {
        if (sinceReport.isValid() && sinceReport.elapsed() < kProgressIntervalMs && received != total)
            return;
        sinceReport.start();
        const QString amount
            = total > 0 ? QStringLiteral("%1 of %2").arg(dataSize(received), dataSize(total))
                        : dataSize(received);
        emitDownloadStatus(
            context, QStringLiteral("Downloading %1 from Kaggle: %2").arg(ref->slug(), amount),
            {{"progress", total > 0 ? json(double(received) / double(total)) : json()},
             {"bytes_received", received},
             {"bytes_total", total > 0 ? json(total) : json()}});
    };

    auto dataset
        = downloadKaggleDataset(*ref, assetPath(context, relativeFolder), &context.token(), report);
    if (!dataset)
        return dataset.error();

    const QString csvName = QFileInfo(dataset->csvPath).fileName();
    const QString others
        = dataset->csvFiles.size() > 1
              ? QStringLiteral(" (%1)").arg(dataset->csvFiles.join(QStringLiteral(", ")))
              : QString();
    const QString how
        = dataset->reused ? QStringLiteral("already downloaded")
                          : QStringLiteral("downloaded %1").arg(dataSize(dataset->downloadedBytes));
    const QString message = QStringLiteral("Kaggle %1 %2: using %3, %4%5")
                                .arg(ref->slug(), how, csvName, dataset->choice, others);
    json csvFiles = json::array();
    for (const QString &file : dataset->csvFiles)
        csvFiles.push_back(toStd(file));
    context.log(QStringLiteral("info"), message);
    emitDownloadStatus(context, message,
                       {{"progress", 1.0}, {"csv", toStd(csvName)}, {"csv_files", csvFiles}});
    announceArtifact(context, QStringLiteral("kaggle_dataset"), QStringLiteral("dataset"),
                     QStringLiteral("Kaggle dataset %1").arg(ref->slug()),
                     relativeFolder + QLatin1Char('/') + csvName,
                     {{"reference", toStd(ref->toString())},
                      {"choice", toStd(dataset->choice)},
                      {"bytes", dataset->csvBytes}});
    return dataset->csvPath;
}

} // namespace baton::stage
