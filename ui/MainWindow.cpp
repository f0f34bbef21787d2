#include "MainWindow.h"

#include "ProjectListModel.h"
#include "StageTimelineModel.h"

#include "core/conductor/EventNames.h"

#include <QApplication>
#include <QDockWidget>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QMenuBar>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSplitter>
#include <QStatusBar>
#include <QTableView>
#include <QVBoxLayout>

namespace baton::ui {

namespace {
const QString kDemoProjectId = QStringLiteral("demo-house-prices");
}

MainWindow::MainWindow(const QString &workspaceRoot, QWidget *parent)
    : QMainWindow(parent)
    , m_workspace(workspaceRoot.isEmpty() ? Workspace::defaultRoot() : workspaceRoot)
{
    setWindowTitle(tr("Baton"));
    buildUi();
    buildMenus();
    refreshProjects();
    updateActions();
    resize(1100, 700);
}

MainWindow::~MainWindow() = default;

Conductor *MainWindow::conductor() const
{
    return m_session ? &m_session->conductor() : nullptr;
}

void MainWindow::buildUi()
{
    m_projectModel = new ProjectListModel(this);
    m_timelineModel = new StageTimelineModel(this);

    auto *left = new QWidget;
    auto *leftLayout = new QVBoxLayout(left);
    auto *projectsLabel = new QLabel(tr("Projects"));
    m_projectList = new QListView;
    m_projectList->setModel(m_projectModel);
    m_projectList->setEditTriggers(QAbstractItemView::NoEditTriggers);
    projectsLabel->setBuddy(m_projectList);
    auto *newButton = new QPushButton(tr("&New project…"));
    auto *demoButton = new QPushButton(tr("Open &demo project"));
    leftLayout->addWidget(projectsLabel);
    leftLayout->addWidget(m_projectList, 1);
    leftLayout->addWidget(newButton);
    leftLayout->addWidget(demoButton);

    auto *right = new QWidget;
    auto *rightLayout = new QVBoxLayout(right);
    m_projectTitle = new QLabel(tr("No project open"));
    QFont titleFont = m_projectTitle->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.4);
    titleFont.setBold(true);
    m_projectTitle->setFont(titleFont);

    auto *form = new QFormLayout;
    m_goalEdit = new QLineEdit;
    m_goalEdit->setPlaceholderText(tr("What do you want to predict? e.g. “predict house prices”"));
    auto *dataRow = new QHBoxLayout;
    m_dataEdit = new QLineEdit;
    m_dataEdit->setPlaceholderText(tr("A CSV file, an image folder or a zip"));
    auto *browseButton = new QPushButton(tr("&Browse…"));
    dataRow->addWidget(m_dataEdit, 1);
    dataRow->addWidget(browseButton);
    form->addRow(tr("&Goal:"), m_goalEdit);
    auto *dataLabel = new QLabel(tr("D&ata:"));
    dataLabel->setBuddy(m_dataEdit);
    form->addRow(dataLabel, dataRow);
    m_startButton = new QPushButton(tr("&Start"));
    m_startButton->setDefault(true);

    m_timeline = new QTableView;
    m_timeline->setModel(m_timelineModel);
    m_timeline->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_timeline->setSelectionMode(QAbstractItemView::SingleSelection);
    m_timeline->verticalHeader()->hide();
    m_timeline->horizontalHeader()->setStretchLastSection(true);
    m_timeline->setColumnWidth(StageTimelineModel::StageColumn, 180);
    m_timeline->setColumnWidth(StageTimelineModel::StatusColumn, 130);
    m_timeline->setWordWrap(true);

    m_waitingLabel = new QLabel;
    m_waitingLabel->setWordWrap(true);
    m_waitingLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *buttons = new QHBoxLayout;
    m_confirmButton = new QPushButton(tr("&Confirm"));
    m_restartButton = new QPushButton(tr("&Restart stage"));
    m_cancelButton = new QPushButton(tr("C&ancel"));
    buttons->addWidget(m_confirmButton);
    buttons->addWidget(m_restartButton);
    buttons->addStretch(1);
    buttons->addWidget(m_cancelButton);

    rightLayout->addWidget(m_projectTitle);
    rightLayout->addLayout(form);
    rightLayout->addWidget(m_startButton, 0, Qt::AlignRight);
    rightLayout->addWidget(m_timeline, 1);
    rightLayout->addWidget(m_waitingLabel);
    rightLayout->addLayout(buttons);

    auto *splitter = new QSplitter;
    splitter->addWidget(left);
    splitter->addWidget(right);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({240, 860});
    setCentralWidget(splitter);

    m_eventLog = new QPlainTextEdit;
    m_eventLog->setReadOnly(true);
    m_eventLog->setMaximumBlockCount(5000);
    auto *logDock = new QDockWidget(tr("Event log"), this);
    logDock->setObjectName(QStringLiteral("eventLogDock"));
    logDock->setWidget(m_eventLog);
    addDockWidget(Qt::BottomDockWidgetArea, logDock);

    connect(newButton, &QPushButton::clicked, this, &MainWindow::promptNewProject);
    connect(demoButton, &QPushButton::clicked, this, &MainWindow::openDemoProject);
    connect(browseButton, &QPushButton::clicked, this, &MainWindow::browseForData);
    connect(m_startButton, &QPushButton::clicked, this, &MainWindow::startPipeline);
    connect(m_goalEdit, &QLineEdit::returnPressed, this, &MainWindow::startPipeline);
    connect(m_confirmButton, &QPushButton::clicked, this, &MainWindow::confirmStage);
    connect(m_restartButton, &QPushButton::clicked, this, &MainWindow::restartSelectedStage);
    connect(m_cancelButton, &QPushButton::clicked, this, [this] {
        if (auto *c = conductor())
            c->cancel();
    });
    connect(m_projectList, &QListView::activated, this, [this](const QModelIndex &index) {
        openProject(index.data(ProjectListModel::IdRole).toString());
    });
    connect(m_timeline->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &MainWindow::updateActions);
    statusBar()->showMessage(tr("Workspace: %1").arg(m_workspace.root()));
}

void MainWindow::buildMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("&New project…"), QKeySequence::New, this, &MainWindow::promptNewProject);
    file->addAction(tr("Open &demo project"), this, &MainWindow::openDemoProject);
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, qApp, &QApplication::closeAllWindows);
    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About Baton"), this, [this] {
        QMessageBox::about(this, tr("About Baton"),
                           tr("<b>Baton %1</b><p>A native AutoML workbench: describe a goal, drop "
                              "in data, get a trained and verified model.</p>")
                               .arg(QStringLiteral(BATON_VERSION)));
    });
}

void MainWindow::refreshProjects()
{
    m_projectModel->setProjects(m_workspace.listProjects());
}

bool MainWindow::createProject(const QString &displayName)
{
    auto id = m_workspace.createProject(displayName);
    if (!id) {
        showError(id.error().toString());
        return false;
    }
    return openProject(id.value());
}

bool MainWindow::openProject(const QString &projectId)
{
    if (m_session && m_session->conductor().projectId() == projectId)
        return true;
    auto session = ProjectSession::open(m_workspace, projectId);
    if (!session) {
        showError(tr("Cannot open project “%1”: %2").arg(projectId, session.error().toString()));
        return false;
    }
    m_session = std::move(session).value();
    Conductor &c = m_session->conductor();
    connect(&c, &Conductor::eventPublished, this, &MainWindow::onEvent);
    connect(&c, &Conductor::busyChanged, this, &MainWindow::updateActions);
    m_timelineModel->reset(c.state());
    m_projectTitle->setText(projectId);
    m_goalEdit->setText(stringField(c.context(), "prompt"));
    m_dataEdit->setText(stringField(c.context(), "data_path"));
    m_eventLog->clear();
    // The recent history; the full log stays in the project database.
    const qint64 firstShown = std::max<qint64>(1, m_session->store().lastSeq() - 199);
    if (auto history = m_session->store().events(firstShown); history) {
        for (const Event &event : history.value())
            m_eventLog->appendPlainText(QString::fromStdString(event.toWire()));
    }
    refreshProjects();
    if (const int row = m_projectModel->rowOf(projectId); row >= 0)
        m_projectList->setCurrentIndex(m_projectModel->index(row));
    setWindowTitle(tr("%1 — Baton").arg(projectId));
    statusBar()->showMessage(tr("Opened %1").arg(projectId), 4000);
    updateActions();
    return true;
}

void MainWindow::openDemoProject()
{
    if (!m_workspace.contains(kDemoProjectId)) {
        if (!openProject(kDemoProjectId))
            return;
    } else if (!openProject(kDemoProjectId)) {
        return;
    }
    if (m_goalEdit->text().isEmpty())
        m_goalEdit->setText(tr("predict house prices"));
}

void MainWindow::onEvent(const Event &event)
{
    m_timelineModel->applyEvent(event);
    m_eventLog->appendPlainText(QString::fromStdString(event.toWire()));
    if (event.name == QLatin1String(events::StageStatus)
        && stringField(event.payload, "status") == QLatin1String("FAILED")) {
        statusBar()->showMessage(tr("%1 failed: %2")
                                     .arg(stringField(event.payload, "stage_id"),
                                          stringField(event.payload, "message")));
    }
    updateActions();
}

void MainWindow::updateActions()
{
    Conductor *c = conductor();
    const bool open = c != nullptr;
    const bool busy = open && c->isBusy();
    m_goalEdit->setEnabled(open);
    m_dataEdit->setEnabled(open);
    m_startButton->setEnabled(open && !busy);
    m_cancelButton->setEnabled(busy);
    const auto &waiting = open ? c->state().waiting : std::nullopt;
    m_confirmButton->setEnabled(open && !busy && waiting.has_value());
    m_waitingLabel->setText(waiting ? tr("<b>%1 is waiting for you:</b> %2")
                                          .arg(StageTimelineModel::displayName(waiting->stage),
                                               waiting->summary.toHtmlEscaped())
                                    : QString());
    const QModelIndexList selected = m_timeline->selectionModel()->selectedRows();
    m_restartButton->setEnabled(open && !busy && !selected.isEmpty());
}

void MainWindow::startPipeline()
{
    Conductor *c = conductor();
    if (!c)
        return;
    const QString goal = m_goalEdit->text().trimmed();
    if (goal.isEmpty()) {
        showError(tr("Describe what you want to predict first, e.g. “predict house prices”."));
        m_goalEdit->setFocus();
        return;
    }
    json decisions = json::object();
    if (const QString data = m_dataEdit->text().trimmed(); !data.isEmpty())
        decisions["data_path"] = toStd(data);
    c->startPipeline(goal, decisions);
}

void MainWindow::confirmStage()
{
    if (Conductor *c = conductor()) {
        const ConfirmResult result = c->confirm();
        if (!result.accepted)
            showError(result.error);
    }
}

void MainWindow::restartSelectedStage()
{
    Conductor *c = conductor();
    const QModelIndexList selected = m_timeline->selectionModel()->selectedRows();
    if (!c || selected.isEmpty())
        return;
    const auto stage = stageAt(selected.first().row());
    if (Status status = c->restartStage(*stage); !status)
        showError(status.error().toString());
}

void MainWindow::promptNewProject()
{
    bool ok = false;
    const QString name = QInputDialog::getText(this, tr("New project"), tr("Project name:"),
                                               QLineEdit::Normal, QString(), &ok);
    if (ok && !name.trimmed().isEmpty())
        createProject(name.trimmed());
}

void MainWindow::browseForData()
{
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Open data"), QString(), tr("Data (*.csv *.tsv *.txt *.zip);;All files (*)"));
    if (!path.isEmpty())
        m_dataEdit->setText(path);
}

void MainWindow::showError(const QString &message)
{
    statusBar()->showMessage(message, 8000);
    if (isVisible())
        QMessageBox::warning(this, tr("Baton"), message);
}

} // namespace baton::ui
