#include "ResultsPanel.h"

#include "ReportBrowser.h"

#include "core/conductor/Conductor.h"
#include "core/conductor/EventNames.h"
#include "ui/AssetFiles.h"
#include "ui/JsonFields.h"
#include "ui/charts/ArtifactCharts.h"
#include "ui/models/ArtifactListModel.h"

#include <QFile>
#include <QLabel>
#include <QListView>
#include <QSplitter>
#include <QTabWidget>
#include <QUrl>
#include <QVBoxLayout>

namespace baton::ui {

ResultsPanel::ResultsPanel(QWidget *parent)
    : StagePanel(parent)
    , m_artifacts(new ArtifactListModel(this))
{
    setObjectName(QStringLiteral("resultsPanel"));
    m_list = new QListView;
    m_list->setObjectName(QStringLiteral("artifactList"));
    m_list->setModel(m_artifacts);
    m_list->setMaximumWidth(260);
    auto *viewerHost = new QWidget;
    m_viewerLayout = new QVBoxLayout(viewerHost);
    m_viewerLayout->setContentsMargins(0, 0, 0, 0);
    m_viewer = new QLabel(tr("Charts of the evaluation appear here after training."));
    static_cast<QLabel *>(m_viewer)->setAlignment(Qt::AlignCenter);
    m_viewerLayout->addWidget(m_viewer);
    auto *charts = new QSplitter;
    charts->addWidget(m_list);
    charts->addWidget(viewerHost);
    charts->setStretchFactor(1, 1);

    m_report = new ReportBrowser;
    m_report->setObjectName(QStringLiteral("reportBrowser"));
    m_report->setPlaceholderText(tr("The report appears here after the review stage."));
    m_notebook = new NotebookView;
    m_notebook->setObjectName(QStringLiteral("notebookView"));
    m_notebook->setPlaceholderText(tr("The notebook appears here after the review stage."));

    m_tabs = new QTabWidget;
    m_tabs->addTab(charts, tr("C&harts"));
    m_tabs->addTab(m_report, tr("Re&port"));
    m_tabs->addTab(m_notebook, tr("&Notebook"));
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_tabs);

    connect(m_list->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &current) { showArtifact(current.row()); });
}

void ResultsPanel::setConductor(Conductor *conductor)
{
    m_conductor = conductor;
    m_artifacts->clear();
    m_report->clear();
    m_notebook->clear();
}

QWidget *ResultsPanel::showArtifact(int row)
{
    if (!m_conductor || row < 0 || row >= m_artifacts->rowCount())
        return nullptr;
    const QModelIndex index = m_artifacts->index(row);
    // moving the selection shows the artifact through currentRowChanged (which calls back here)
    if (m_list->currentIndex().row() != row) {
        m_list->setCurrentIndex(index);
        return m_viewer;
    }
    const QString type = index.data(ArtifactListModel::TypeRole).toString();
    auto content = readAssetJson(m_conductor->projectDir(), index.data(ArtifactListModel::UrlRole).toString());
    if (!content) {
        Q_EMIT errorOccurred(content.error().toString());
        return nullptr;
    }
    QWidget *viewer = createArtifactView(type, content.value());
    m_viewerLayout->replaceWidget(m_viewer, viewer);
    delete m_viewer;
    m_viewer = viewer;
    return viewer;
}

void ResultsPanel::applyEvent(const Event &event)
{
    const json &p = event.payload;
    if (event.name == QLatin1String(events::ArtifactAdded)) {
        const json &artifact = objectField(p, "artifact");
        if (!isChartArtifact(stringField(artifact, "type")))
            return;
        const bool first = m_artifacts->rowCount() == 0;
        m_artifacts->addArtifact(artifact);
        if (first && m_artifacts->rowCount() == 1 && isVisible())
            showArtifact(0);
    } else if (event.name == QLatin1String(events::ReportReady) && m_conductor) {
        const QString path = localAssetPath(m_conductor->projectDir(), stringField(p, "html_url"));
        if (!path.isEmpty())
            m_report->setSource(QUrl::fromLocalFile(path));
    } else if (event.name == QLatin1String(events::NotebookReady) && m_conductor) {
        QFile file(localAssetPath(m_conductor->projectDir(), stringField(p, "asset_url")));
        if (file.open(QIODevice::ReadOnly))
            m_notebook->showNotebook(file.readAll());
        else
            Q_EMIT errorOccurred(tr("Cannot read the notebook %1: %2").arg(file.fileName(), file.errorString()));
    }
}

} // namespace baton::ui
