#include "DataPanel.h"

#include "core/conductor/Conductor.h"
#include "core/conductor/EventNames.h"
#include "core/data/CsvReader.h"
#include "core/pipeline/ContextKeys.h"
#include "ui/JsonFields.h"
#include "ui/models/TableDataModel.h"

#include <QFileInfo>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QTableView>
#include <QVBoxLayout>

namespace baton::ui {

DataPanel::DataPanel(QWidget *parent)
    : StagePanel(parent)
    , m_model(new TableDataModel(this))
{
    setObjectName(QStringLiteral("dataPanel"));
    m_intent = new QLabel;
    m_intent->setWordWrap(true);
    m_dataset = new QLabel(tr("No data yet: drop a CSV file, a zip or an image folder on the window, "
                              "use File → Open data, or pick a demo dataset."));
    m_dataset->setWordWrap(true);
    m_view = new QTableView;
    m_view->setObjectName(QStringLiteral("dataTableView"));
    m_view->setModel(m_model);
    // fixed row heights keep a million rows cheap: the view never measures a row
    m_view->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 6);
    m_view->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    m_view->horizontalHeader()->setDefaultSectionSize(120);
    m_view->setWordWrap(false);
    m_view->setAlternatingRowColors(true);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_intent);
    layout->addWidget(m_dataset);
    layout->addWidget(m_view, 1);
}

DataPanel::~DataPanel()
{
    m_load.cancel();
}

void DataPanel::setConductor(Conductor *conductor)
{
    m_conductor = conductor;
    m_load.cancel();
    m_loadedPath.clear();
    m_model->setTable(nullptr);
    m_intent->clear();
    if (conductor) {
        if (const QString path = stringField(conductor->context(), ctx::DataPath); !path.isEmpty()
            && QFileInfo(path).isFile() && !path.endsWith(QLatin1String(".zip"), Qt::CaseInsensitive))
            loadTable(path);
    }
}

void DataPanel::loadTable(const QString &path)
{
    if (path == m_loadedPath)
        return;
    m_load.cancel();
    m_loadedPath = path;
    m_dataset->setText(tr("Reading %1…").arg(QFileInfo(path).fileName()));
    m_load = JobRunner::start<std::shared_ptr<const Table>>(
        [path](const JobToken &token) -> Result<std::shared_ptr<const Table>> {
            auto table = readCsv(path, {}, &token);
            if (!table)
                return table.error();
            return std::make_shared<const Table>(std::move(table).value());
        },
        this, [this, path](Result<std::shared_ptr<const Table>> table) {
            if (path != m_loadedPath)
                return; // a newer load replaced this one
            if (!table) {
                m_dataset->setText(tr("Cannot show the data: %1").arg(table.error().toString()));
                return;
            }
            const QLocale locale;
            m_model->setTable(table.value());
            m_dataset->setText(tr("%1: %2 rows × %3 columns")
                                   .arg(QFileInfo(path).fileName(), locale.toString(table.value()->rowCount()),
                                        locale.toString(table.value()->columnCount())));
            Q_EMIT dataLoaded();
        });
}

void DataPanel::applyEvent(const Event &event)
{
    const json &p = event.payload;
    if (event.name == QLatin1String(events::PromptParsed)) {
        QStringList parts;
        if (const QString task = stringField(p, "task"); !task.isEmpty())
            parts << tr("task: %1").arg(task);
        if (const QString target = stringField(p, "target"); !target.isEmpty())
            parts << tr("target: %1").arg(target);
        m_intent->setText(tr("Understood the goal as %1.").arg(parts.join(QStringLiteral(", "))));
    } else if (event.name == QLatin1String(events::DatasetSelected)) {
        const json &dataset = objectField(p, "dataset");
        if (const QString path = stringField(dataset, "path"); !path.isEmpty())
            loadTable(path);
    } else if (event.name == QLatin1String(events::DatasetSampleReady)
               && stringField(p, "kind") == QLatin1String("image_folder")) {
        m_dataset->setText(tr("Image folder: %1 images in %2 classes")
                               .arg(intField(p, "total_rows"))
                               .arg(intField(p, "n_rows")));
    }
}

} // namespace baton::ui
