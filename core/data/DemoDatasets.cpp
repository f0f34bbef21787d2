#include "DemoDatasets.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>

#include <algorithm>

namespace baton {

const std::vector<DemoDataset> &demoDatasets()
{
    static const std::vector<DemoDataset> all = {
        {QStringLiteral("demo_ames_housing"), QStringLiteral("Ames housing"),
         QStringLiteral("2 930 house sales in Ames, Iowa (2006–2010) with 73 features; predict the "
                        "sale price."),
         QStringLiteral("regression"), QStringLiteral("Sale_Price"),
         QStringLiteral("predict house prices"), QStringLiteral(":/demo/ames_housing.csv"),
         QStringLiteral("modeldata (MIT); data: De Cock 2011, free for education and research"),
         {QStringLiteral("house"), QStringLiteral("houses"), QStringLiteral("housing"),
          QStringLiteral("home"), QStringLiteral("price"), QStringLiteral("prices"),
          QStringLiteral("real estate"), QStringLiteral("property"), QStringLiteral("sale")}},
        {QStringLiteral("demo_electricity_taylor"), QStringLiteral("Electricity demand (Taylor)"),
         QStringLiteral("Half-hourly electricity demand in England and Wales, June–August 2000 "
                        "(4 032 readings, MW)."),
         QStringLiteral("forecast"), QStringLiteral("demand_mw"),
         QStringLiteral("forecast electricity demand"),
         QStringLiteral(":/demo/electricity_taylor.csv"), QStringLiteral("GPL-3 (R forecast package)"),
         {QStringLiteral("electricity"), QStringLiteral("demand"), QStringLiteral("power"),
          QStringLiteral("energy"), QStringLiteral("load"), QStringLiteral("grid"),
          QStringLiteral("consumption")}},
        {QStringLiteral("demo_seattle_weather"), QStringLiteral("Seattle weather"),
         QStringLiteral("Daily weather in Seattle 2012–2015: precipitation, temperatures, wind "
                        "and the kind of weather."),
         QStringLiteral("classification"), QStringLiteral("weather"),
         QStringLiteral("predict the weather in Seattle"),
         QStringLiteral(":/demo/seattle_weather.csv"), QStringLiteral("BSD-3-Clause (vega-datasets)"),
         {QStringLiteral("weather"), QStringLiteral("rain"), QStringLiteral("temperature"),
          QStringLiteral("seattle"), QStringLiteral("climate"), QStringLiteral("sun"),
          QStringLiteral("precipitation")}},
    };
    return all;
}

std::optional<DemoDataset> demoDataset(const QString &id)
{
    for (const DemoDataset &demo : demoDatasets()) {
        if (demo.id == id)
            return demo;
    }
    return std::nullopt;
}

std::vector<DemoDataset> demoDatasetsMatching(const QString &prompt)
{
    const QString text = prompt.toLower();
    std::vector<std::pair<int, DemoDataset>> scored;
    for (const DemoDataset &demo : demoDatasets()) {
        int score = 0;
        for (const QString &keyword : demo.keywords) {
            const QRegularExpression word(QStringLiteral("\\b%1\\b")
                                              .arg(QRegularExpression::escape(keyword)));
            if (word.match(text).hasMatch())
                ++score;
        }
        if (score > 0)
            scored.emplace_back(score, demo);
    }
    std::stable_sort(scored.begin(), scored.end(),
                     [](const auto &a, const auto &b) { return a.first > b.first; });
    std::vector<DemoDataset> out;
    for (auto &entry : scored)
        out.push_back(std::move(entry.second));
    return out;
}

Result<QString> materializeDemoDataset(const DemoDataset &demo, const QString &folder)
{
    const QString target = QDir(folder).filePath(QFileInfo(demo.resourcePath).fileName());
    if (QFileInfo(target).size() == QFileInfo(demo.resourcePath).size())
        return target;
    if (!QDir().mkpath(folder) || (QFile::exists(target) && !QFile::remove(target))
        || !QFile::copy(demo.resourcePath, target)) {
        return makeError(ErrorKind::Io, QStringLiteral("demo.copy"),
                         QStringLiteral("Cannot copy the demo dataset “%1”").arg(demo.name), target);
    }
    // Resource files are read-only; the copy must be an ordinary file the user can delete.
    QFile::setPermissions(target, QFile::ReadOwner | QFile::WriteOwner | QFile::ReadGroup
                                      | QFile::ReadOther);
    return target;
}

} // namespace baton
