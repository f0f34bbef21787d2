#pragma once

#include "core/common/Result.h"

#include <QString>
#include <QStringList>

#include <optional>
#include <vector>

namespace baton {

// The datasets compiled into Baton (resources/demo) so a user with no data can start at once.
struct DemoDataset
{
    QString id;           // "demo_ames_housing"
    QString name;         // "Ames housing"
    QString description;
    QString task;         // classification | regression | forecast
    QString target;       // the column a demo run predicts
    QString prompt;       // a goal that fits it
    QString resourcePath; // ":/demo/ames_housing.csv"
    QString licence;
    QStringList keywords; // words that make it a candidate for a prompt
};

const std::vector<DemoDataset> &demoDatasets();
std::optional<DemoDataset> demoDataset(const QString &id);

// Demo datasets ranked by how well their keywords match the prompt (best first, only matches).
std::vector<DemoDataset> demoDatasetsMatching(const QString &prompt);

// Copies the demo's CSV into `folder` (the project's assets) and returns the file path, so the
// reader can memory-map a real file.
Result<QString> materializeDemoDataset(const DemoDataset &demo, const QString &folder);

} // namespace baton
