#include "MainWindow.h"

#include "ServerController.h"
#include "Translations.h"
#include "UiSettings.h"
#include "dialogs/SettingsDialog.h"
#include "models/ProjectListModel.h"
#include "models/StageTimelineModel.h"
#include "panels/ConfirmationPanel.h"
#include "panels/DataPanel.h"
#include "panels/EventLogView.h"
#include "panels/ExportPanel.h"
#include "panels/PlanPanel.h"
#include "panels/ProfilePanel.h"
#include "panels/ResultsPanel.h"
#include "panels/TrainingPanel.h"

#include "core/common/Settings.h"
#include "core/conductor/EventNames.h"
#include "core/data/DemoDatasets.h"
#include "core/pipeline/ContextKeys.h"
#include "core/server/ProtocolServer.h"

#include <QAction>
#include <QApplication>
#include <QPointer>
#include <QThreadPool>
#include <QCloseEvent>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QPushButton>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTableView>
#include <QVBoxLayout>

namespace baton::ui {

namespace {

const QString kDemoProjectId = QStringLiteral("demo-house-prices");
// Events replayed into the panels when a project opens (a long search emits ~100k); older ones
// stay in the database.
constexpr qint64 kReplayedEvents = 200'000;
constexpr qint64 kLoggedEvents = 200;

enum Page { DataPage, ProfilePage, PlanPage, TrainingPage, ResultsPage, ExportPage };

Page pageOf(StageId stage)
{
    switch (stage) {
    case StageId::ParseIntent:
    case StageId::DataSource: return DataPage;
    case StageId::ProfileData: return ProfilePage;
    case StageId::Preprocess:
    case StageId::ModelSelect: return PlanPage;
    case StageId::Train: return TrainingPage;
    case StageId::ReviewEdit: return ResultsPage;
    case StageId::Export: return ExportPage;
    }
    return DataPage;
}

bool isDataPath(const QFileInfo &file)
{
    static const QStringList suffixes = {QStringLiteral("csv"), QStringLiteral("tsv"), QStringLiteral("txt"),
                                         QStringLiteral("zip")};
    return file.isDir() || (file.isFile() && suffixes.contains(file.suffix().toLower()));
}

} // namespace

MainWindow::MainWindow(const QString &workspaceRoot, QWidget *parent)
    : QMainWindow(parent)
    , m_workspace(workspaceRoot.isEmpty() ? Workspace::defaultRoot() : workspaceRoot)
    , m_pool(m_workspace)
    , m_server(std::make_unique<ServerController>(m_pool))
    , m_projectModel(new ProjectListModel(this))
    , m_timelineModel(new StageTimelineModel(this))
{
    setObjectName(QStringLiteral("mainWindow"));
    setAcceptDrops(true);
    installLanguage(UiSettings::language());
    buildUi();
    m_serverStatus = new QLabel;
    m_serverStatus->setObjectName(QStringLiteral("serverStatus"));
    statusBar()->addPermanentWidget(m_serverStatus);
    connect(m_server.get(), &ServerController::statusChanged, this, &MainWindow::showServerStatus);
    buildMenus();
    refreshProjects();
    updateActions();
    // deleted projects stay recoverable for a while; older ones go now, off the GUI thread
    // (removing a large project's folders takes a while)
    QThreadPool::globalInstance()->start([workspace = m_workspace, window = QPointer<MainWindow>(this)] {
        const auto emptied = workspace.emptyTrash();
        if (emptied)
            return;
        QMetaObject::invokeMethod(qApp, [window, message = emptied.error().toString()] {
            if (window)
                window->statusBar()->showMessage(message, 15000);
        });
    });
    m_server->applySettings(); // the status line says why if it cannot start
    showServerStatus();
    resize(1280, 820);
    restoreGeometry(UiSettings::windowGeometry());
    restoreState(UiSettings::windowState());
}

MainWindow::~MainWindow()
{
    // the Conductor goes before the panels: nothing it says while it winds down reaches them
    if (m_session)
        disconnect(&m_session->conductor(), nullptr, this, nullptr);
    for (StagePanel *panel : m_panels)
        panel->setConductor(nullptr);
    m_confirmation->setConductor(nullptr);
}

Conductor *MainWindow::conductor() const
{
    return m_session ? &m_session->conductor() : nullptr;
}

void MainWindow::buildUi()
{
    setWindowTitle(tr("Baton"));

    // projects
    auto *left = new QWidget;
    auto *leftLayout = new QVBoxLayout(left);
    auto *projectsLabel = new QLabel(tr("&Projects"));
    m_projectList = new QListView;
    m_projectList->setObjectName(QStringLiteral("projectList"));
    m_projectList->setModel(m_projectModel);
    m_projectList->setEditTriggers(QAbstractItemView::NoEditTriggers);
    projectsLabel->setBuddy(m_projectList);
    m_projectList->setContextMenuPolicy(Qt::ActionsContextMenu);
    auto *renameRow = new QAction(tr("&Rename…"), m_projectList);
    renameRow->setShortcut(QKeySequence(Qt::Key_F2));
    renameRow->setShortcutContext(Qt::WidgetShortcut);
    auto *deleteRow = new QAction(tr("&Delete…"), m_projectList);
    deleteRow->setShortcut(QKeySequence::Delete);
    deleteRow->setShortcutContext(Qt::WidgetShortcut);
    m_projectList->addActions({renameRow, deleteRow});
    connect(renameRow, &QAction::triggered, this, &MainWindow::promptRenameProject);
    connect(deleteRow, &QAction::triggered, this, &MainWindow::promptDeleteProject);
    auto *newButton = new QPushButton(tr("&New project…"));
    auto *demoButton = new QPushButton(tr("Open &demo project"));
    leftLayout->addWidget(projectsLabel);
    leftLayout->addWidget(m_projectList, 1);
    leftLayout->addWidget(newButton);
    leftLayout->addWidget(demoButton);

    // goal and data
    m_projectTitle = new QLabel(tr("No project open"));
    QFont titleFont = m_projectTitle->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.4);
    titleFont.setBold(true);
    m_projectTitle->setFont(titleFont);
    m_goalEdit = new QLineEdit;
    m_goalEdit->setObjectName(QStringLiteral("goalEdit"));
    m_goalEdit->setPlaceholderText(tr("What do you want to predict? e.g. “predict house prices”"));
    m_dataEdit = new QLineEdit;
    m_dataEdit->setObjectName(QStringLiteral("dataEdit"));
    m_dataEdit->setPlaceholderText(tr("A CSV file, an image folder or a zip — or drop one on the window"));
    auto *browseButton = new QPushButton(tr("&Browse…"));
    m_startButton = new QPushButton(tr("&Start"));
    m_startButton->setDefault(true);
    m_cancelButton = new QPushButton(tr("C&ancel"));
    m_cancelButton->setToolTip(tr("Cancel the running stage"));
    auto *dataRow = new QHBoxLayout;
    dataRow->addWidget(m_dataEdit, 1);
    dataRow->addWidget(browseButton);
    auto *goalRow = new QHBoxLayout;
    goalRow->addWidget(m_goalEdit, 1);
    goalRow->addWidget(m_startButton);
    goalRow->addWidget(m_cancelButton);
    auto *form = new QFormLayout;
    auto *goalLabel = new QLabel(tr("&Goal:"));
    goalLabel->setBuddy(m_goalEdit);
    auto *dataLabel = new QLabel(tr("D&ata:"));
    dataLabel->setBuddy(m_dataEdit);
    form->addRow(goalLabel, goalRow);
    form->addRow(dataLabel, dataRow);

    // stages: the timeline drives the stacked panels
    m_timeline = new QTableView;
    m_timeline->setObjectName(QStringLiteral("timeline"));
    m_timeline->setModel(m_timelineModel);
    m_timeline->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_timeline->setSelectionMode(QAbstractItemView::SingleSelection);
    m_timeline->verticalHeader()->hide();
    m_timeline->horizontalHeader()->setStretchLastSection(true);
    m_timeline->setColumnWidth(StageTimelineModel::StageColumn, 150);
    m_timeline->setColumnWidth(StageTimelineModel::StatusColumn, 110);
    m_timeline->setColumnWidth(StageTimelineModel::ElapsedColumn, 70);
    m_timeline->setWordWrap(false);
    m_timeline->setMinimumWidth(380);
    // any stage can run again from its row (later stages go back to pending)
    auto *restartRow = new QAction(tr("&Restart this stage"), m_timeline);
    m_timeline->addAction(restartRow);
    m_timeline->setContextMenuPolicy(Qt::ActionsContextMenu);
    connect(restartRow, &QAction::triggered, this, [this] {
        const auto stage = stageAt(m_timeline->currentIndex().row());
        Conductor *c = conductor();
        if (!c || !stage)
            return;
        if (Status status = c->restartStage(*stage); !status)
            showError(status.error().toString());
    });

    m_dataPanel = new DataPanel;
    m_profilePanel = new ProfilePanel;
    m_planPanel = new PlanPanel;
    m_trainingPanel = new TrainingPanel;
    m_resultsPanel = new ResultsPanel;
    m_exportPanel = new ExportPanel;
    m_panels = {m_dataPanel, m_profilePanel, m_planPanel, m_trainingPanel, m_resultsPanel, m_exportPanel};
    m_stack = new QStackedWidget;
    for (StagePanel *panel : m_panels) {
        m_stack->addWidget(panel);
        connect(panel, &StagePanel::errorOccurred, this, &MainWindow::showError);
    }
    m_confirmation = new ConfirmationPanel;
    connect(m_confirmation, &ConfirmationPanel::errorOccurred, this, &MainWindow::showError);
    connect(m_profilePanel, &ProfilePanel::contextEdited, m_confirmation, &ConfirmationPanel::reloadContext);

    auto *stageSplitter = new QSplitter(Qt::Horizontal);
    stageSplitter->addWidget(m_timeline);
    stageSplitter->addWidget(m_stack);
    stageSplitter->setStretchFactor(1, 1);
    stageSplitter->setSizes({400, 900});
    auto *workSplitter = new QSplitter(Qt::Vertical);
    workSplitter->addWidget(stageSplitter);
    workSplitter->addWidget(m_confirmation);
    workSplitter->setStretchFactor(0, 1);

    auto *right = new QWidget;
    auto *rightLayout = new QVBoxLayout(right);
    rightLayout->addWidget(m_projectTitle);
    rightLayout->addLayout(form);
    rightLayout->addWidget(workSplitter, 1);

    auto *splitter = new QSplitter;
    splitter->addWidget(left);
    splitter->addWidget(right);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({220, 1060});
    setCentralWidget(splitter);

    m_eventLog = new EventLogView;
    m_logDock = new QDockWidget(tr("Event log"), this);
    m_logDock->setObjectName(QStringLiteral("eventLogDock"));
    m_logDock->setWidget(m_eventLog);
    addDockWidget(Qt::BottomDockWidgetArea, m_logDock);
    m_logDock->hide(); // one click away (View menu); the panels say the same in words

    connect(newButton, &QPushButton::clicked, this, &MainWindow::promptNewProject);
    connect(demoButton, &QPushButton::clicked, this, &MainWindow::openDemoProject);
    connect(browseButton, &QPushButton::clicked, this, &MainWindow::browseForData);
    connect(m_startButton, &QPushButton::clicked, this, &MainWindow::startPipeline);
    connect(m_goalEdit, &QLineEdit::returnPressed, this, &MainWindow::startPipeline);
    connect(m_dataEdit, &QLineEdit::textEdited, this, [this] { m_demoDatasetId.clear(); });
    connect(m_cancelButton, &QPushButton::clicked, this, [this] {
        if (auto *c = conductor())
            c->cancel();
    });
    connect(m_projectList, &QListView::activated, this, [this](const QModelIndex &index) {
        openProject(index.data(ProjectListModel::IdRole).toString());
    });
    connect(m_timeline->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &current) {
                if (const auto stage = stageAt(current.row()))
                    m_stack->setCurrentIndex(pageOf(*stage));
            });
    statusBar()->showMessage(tr("Workspace: %1").arg(m_workspace.root()));
}

void MainWindow::buildMenus()
{
    menuBar()->clear();
    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("&New project…"), QKeySequence::New, this, &MainWindow::promptNewProject);
    file->addAction(tr("&Open data…"), QKeySequence::Open, this, &MainWindow::browseForData);
    QMenu *demos = file->addMenu(tr("&Demo datasets"));
    for (const DemoDataset &demo : demoDatasets()) {
        QAction *action = demos->addAction(demo.name, this, [this, id = demo.id] { chooseDemoDataset(id); });
        action->setToolTip(demo.description);
    }
    file->addAction(tr("Open &demo project"), QKeySequence(Qt::CTRL | Qt::Key_D), this, &MainWindow::openDemoProject);
    file->addSeparator();
    file->addAction(tr("&Settings…"), QKeySequence::Preferences, this, &MainWindow::showSettings);
    m_serverAction = file->addAction(tr("Run the protocol &server"));
    m_serverAction->setObjectName(QStringLiteral("serverAction"));
    m_serverAction->setToolTip(tr("Serve the web UI and the REST/WebSocket API (address and port in Settings)"));
    m_serverAction->setCheckable(true);
    m_serverAction->setChecked(m_server->isListening());
    connect(m_serverAction, &QAction::triggered, this, [this](bool on) { m_server->setEnabled(on); });
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, qApp, &QApplication::closeAllWindows);

    QMenu *project = menuBar()->addMenu(tr("&Project"));
    project->addAction(tr("&Rename…"), this, &MainWindow::promptRenameProject);
    project->addAction(tr("&Delete…"), this, &MainWindow::promptDeleteProject);
    project->addAction(tr("&Close"), QKeySequence::Close, this, &MainWindow::closeProject);

    QMenu *view = menuBar()->addMenu(tr("&View"));
    for (StageId stage : kAllStages) {
        const int n = stageIndex(stage) + 1;
        view->addAction(tr("Stage &%1: %2").arg(n).arg(StageTimelineModel::displayName(stage)),
                        QKeySequence(Qt::ALT | Qt::Key(Qt::Key_0 + n)), this, [this, stage] {
                            m_followStages = false;
                            showStage(stage);
                        });
    }
    view->addSeparator();
    QAction *follow = view->addAction(tr("&Follow the running stage"));
    follow->setCheckable(true);
    follow->setChecked(m_followStages);
    connect(follow, &QAction::toggled, this, [this](bool on) { m_followStages = on; });
    view->addAction(m_logDock->toggleViewAction());
    m_logDock->toggleViewAction()->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_L));

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About Baton"), this, &MainWindow::showAbout);
}

void MainWindow::showAbout()
{
    QMessageBox::about(this, tr("About Baton"),
                       tr("<b>Baton %1</b><p>A native AutoML workbench: describe a goal, drop in data, "
                          "get a trained and verified model.</p><p>Qt %2 · XGBoost</p>")
                           .arg(QStringLiteral(BATON_VERSION), QString::fromLatin1(qVersion())));
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

bool MainWindow::renameProject(const QString &projectId, const QString &displayName)
{
    if (Status renamed = m_workspace.renameProject(projectId, displayName); !renamed) {
        showError(tr("Cannot rename the project: %1").arg(renamed.error().toString()));
        return false;
    }
    refreshProjects();
    if (m_session && m_session->conductor().projectId() == projectId) {
        m_projectTitle->setText(m_workspace.displayName(projectId));
        setWindowTitle(tr("%1 — Baton").arg(m_projectTitle->text()));
    }
    return true;
}

bool MainWindow::deleteProject(const QString &projectId)
{
    if (const auto open = m_pool.find(projectId); open && open->conductor().isBusy()) {
        showError(tr("“%1” is running a stage; cancel it before deleting the project.").arg(m_workspace.displayName(projectId)));
        return false;
    }
    if (m_session && m_session->conductor().projectId() == projectId)
        closeProject();
    m_server->server().closeProject(projectId);
    if (Status deleted = m_pool.deleteProject(projectId); !deleted) {
        showError(tr("Cannot delete the project: %1").arg(deleted.error().toString()));
        return false;
    }
    if (UiSettings::lastProject() == projectId)
        UiSettings::setLastProject(QString());
    refreshProjects();
    statusBar()->showMessage(tr("Moved the project to %1").arg(m_workspace.trashDir()), 6000);
    return true;
}

void MainWindow::closeProject()
{
    if (!m_session)
        return;
    disconnect(&m_session->conductor(), nullptr, this, nullptr);
    m_session.reset();
    bindSession();
    m_projectList->clearSelection();
    UiSettings::setLastProject(QString());
}

QString MainWindow::selectedProjectId() const
{
    const QModelIndex current = m_projectList->currentIndex();
    if (current.isValid() && m_projectList->selectionModel()->isSelected(current))
        return current.data(ProjectListModel::IdRole).toString();
    return m_session ? m_session->conductor().projectId() : QString();
}

void MainWindow::promptRenameProject()
{
    const QString id = selectedProjectId();
    if (id.isEmpty())
        return;
    bool ok = false;
    const QString name = QInputDialog::getText(this, tr("Rename project"), tr("Project name:"), QLineEdit::Normal,
                                               m_workspace.displayName(id), &ok);
    if (ok)
        renameProject(id, name);
}

void MainWindow::promptDeleteProject()
{
    const QString id = selectedProjectId();
    if (id.isEmpty())
        return;
    QMessageBox question(QMessageBox::Question, tr("Delete project"),
                         tr("Delete “%1”? Its data, models and reports move to the workspace's trash folder, "
                            "where they are kept for %2 days.")
                             .arg(m_workspace.displayName(id))
                             .arg(Workspace::kTrashKeptDays),
                         QMessageBox::Yes | QMessageBox::Cancel, this);
    question.setObjectName(QStringLiteral("deleteProjectQuestion"));
    question.setDefaultButton(QMessageBox::Cancel);
    if (question.exec() == QMessageBox::Yes)
        deleteProject(id);
}

bool MainWindow::openProject(const QString &projectId)
{
    if (Status opened = activateProject(projectId); !opened) {
        showError(tr("Cannot open project “%1”: %2").arg(projectId, opened.error().toString()));
        return false;
    }
    return true;
}

Status MainWindow::activateProject(const QString &projectId)
{
    if (m_session && m_session->conductor().projectId() == projectId)
        return {};
    auto session = m_pool.acquire(projectId);
    if (!session)
        return session.error();
    // the old Conductor is heard no more and the panels let go of it before it is destroyed
    if (m_session)
        disconnect(&m_session->conductor(), nullptr, this, nullptr);
    for (StagePanel *panel : m_panels)
        panel->setConductor(nullptr);
    m_confirmation->setConductor(nullptr);
    m_session = std::move(session).value();
    Conductor &c = m_session->conductor();
    connect(&c, &Conductor::eventPublished, this, &MainWindow::onEvent);
    connect(&c, &Conductor::busyChanged, this, &MainWindow::updateActions);
    m_demoDatasetId = stringField(c.context(), ctx::DatasetId);
    bindSession();
    refreshProjects();
    if (const int row = m_projectModel->rowOf(projectId); row >= 0)
        m_projectList->setCurrentIndex(m_projectModel->index(row));
    UiSettings::setLastProject(projectId);
    statusBar()->showMessage(tr("Opened %1").arg(m_projectTitle->text()), 4000);
    return {};
}

void MainWindow::bindSession()
{
    Conductor *c = conductor();
    for (StagePanel *panel : m_panels)
        panel->setConductor(c);
    m_confirmation->setConductor(c);
    m_eventLog->clearLog();
    m_timelineModel->clearTimings();
    if (!c) {
        m_projectTitle->setText(tr("No project open"));
        setWindowTitle(tr("Baton"));
        m_goalEdit->clear();
        m_dataEdit->clear();
        m_demoDatasetId.clear();
        m_timelineModel->reset(ProjectState()); // every stage pending, as at start
        updateActions();
        return;
    }
    m_projectTitle->setText(m_workspace.displayName(c->projectId()));
    setWindowTitle(tr("%1 — Baton").arg(m_projectTitle->text()));
    m_goalEdit->setText(stringField(c->context(), ctx::Prompt));
    m_dataEdit->setText(stringField(c->context(), ctx::DataPath));
    replayHistory();
    m_timelineModel->reset(c->state());
    showStage(c->state().current);
    updateActions();
}

void MainWindow::replayHistory()
{
    // the panels rebuild what they showed from the stored events: a view has no other state
    const qint64 last = m_session->store().lastSeq();
    auto history = m_session->store().events(std::max<qint64>(1, last - kReplayedEvents + 1));
    if (!history)
        return showError(history.error().toString());
    for (const Event &event : history.value()) {
        m_timelineModel->applyEvent(event);
        for (StagePanel *panel : m_panels)
            panel->applyEvent(event);
        m_confirmation->applyEvent(event);
        if (event.seq > last - kLoggedEvents)
            m_eventLog->append(event);
    }
    m_eventLog->flush();
}

void MainWindow::openDemoProject()
{
    if (!openProject(kDemoProjectId))
        return;
    if (m_goalEdit->text().isEmpty())
        m_goalEdit->setText(tr("predict house prices"));
}

bool MainWindow::openLastProject()
{
    const QString last = UiSettings::lastProject();
    if (last.isEmpty())
        return false;
    if (!m_workspace.contains(last)) {
        statusBar()->showMessage(tr("The last project, “%1”, is no longer in the workspace.").arg(last), 8000);
        return false;
    }
    if (Status opened = activateProject(last); !opened) {
        statusBar()->showMessage(tr("Cannot reopen the last project “%1”: %2").arg(last, opened.error().toString()), 8000);
        return false;
    }
    return true;
}

bool MainWindow::openData(const QString &path)
{
    const QFileInfo file(path);
    if (!isDataPath(file)) {
        showError(tr("Baton reads CSV files, zip archives and image folders; “%1” is none of them.").arg(path));
        return false;
    }
    if (!createProject(file.completeBaseName().isEmpty() ? file.fileName() : file.completeBaseName()))
        return false;
    m_dataEdit->setText(file.absoluteFilePath());
    m_demoDatasetId.clear();
    if (file.isFile() && file.suffix().compare(QLatin1String("zip"), Qt::CaseInsensitive) != 0)
        m_dataPanel->loadTable(file.absoluteFilePath());
    showStage(StageId::DataSource);
    m_goalEdit->setFocus();
    statusBar()->showMessage(tr("Describe what to predict from %1 and press Start.").arg(file.fileName()));
    return true;
}

void MainWindow::chooseDemoDataset(const QString &datasetId)
{
    const auto demo = demoDataset(datasetId);
    if (!demo || !createProject(demo->name))
        return;
    m_demoDatasetId = demo->id;
    m_dataEdit->clear();
    m_goalEdit->setText(demo->prompt);
    statusBar()->showMessage(tr("Demo dataset “%1”: press Start.").arg(demo->name));
}

void MainWindow::showStage(StageId stage)
{
    m_stack->setCurrentIndex(pageOf(stage));
    m_timeline->selectRow(stageIndex(stage));
}

QWidget *MainWindow::currentPanel() const
{
    return m_stack->currentWidget();
}

void MainWindow::onEvent(const Event &event)
{
    m_timelineModel->applyEvent(event);
    for (StagePanel *panel : m_panels)
        panel->applyEvent(event);
    m_confirmation->applyEvent(event);
    m_eventLog->append(event);
    if (event.name == QLatin1String(events::StageStatus)) {
        const QString status = stringField(event.payload, "status");
        const auto stage = stageFromName(stringField(event.payload, "stage_id"));
        if (status == QLatin1String("FAILED")) {
            statusBar()->showMessage(tr("%1 failed: %2")
                                         .arg(stage ? StageTimelineModel::displayName(*stage) : QString(),
                                              stringField(event.payload, "message")));
        } else if (status == QLatin1String("WAITING_CONFIRMATION") && stage) {
            statusBar()->showMessage(tr("%1 is waiting for your confirmation").arg(StageTimelineModel::displayName(*stage)));
        }
        if (stage && m_followStages && (status == QLatin1String("IN_PROGRESS") || status == QLatin1String("FAILED")
                                        || status == QLatin1String("WAITING_CONFIRMATION")))
            showStage(*stage);
        updateActions();
    }
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
    m_confirmation->refresh();
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
        decisions[ctx::DataPath] = toStd(data);
    else if (!m_demoDatasetId.isEmpty())
        decisions[ctx::DatasetId] = toStd(m_demoDatasetId);
    m_timelineModel->clearTimings();
    m_followStages = true;
    c->startPipeline(goal, decisions);
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
    const QString path = QFileDialog::getOpenFileName(this, tr("Open data"), QString(),
                                                      tr("Data (*.csv *.tsv *.txt *.zip);;All files (*)"));
    if (path.isEmpty())
        return;
    if (conductor()) {
        m_dataEdit->setText(path);
        m_demoDatasetId.clear();
        m_dataPanel->loadTable(path);
    } else {
        openData(path);
    }
}

void MainWindow::showSettings()
{
    SettingsDialog dialog(this);
    const QString language = UiSettings::language();
    if (dialog.exec() != QDialog::Accepted)
        return;
    if (UiSettings::language() != language)
        applyLanguage(UiSettings::language());
    m_server->applySettings();
    statusBar()->showMessage(tr("Settings saved; a new workspace folder applies at the next start."), 5000);
}

void MainWindow::showServerStatus()
{
    m_serverStatus->setText(m_server->statusText());
    if (m_serverAction)
        m_serverAction->setChecked(m_server->isListening());
}

void MainWindow::applyLanguage(const QString &code)
{
    if (!installLanguage(code))
        statusBar()->showMessage(tr("No translation for “%1”; using English.").arg(code), 5000);
    // the window rebuilds itself from the session: panels are views, events restore them
    const QByteArray state = saveState();
    delete m_logDock;
    buildUi();
    buildMenus();
    restoreState(state);
    refreshProjects();
    if (m_session) {
        if (const int row = m_projectModel->rowOf(m_session->conductor().projectId()); row >= 0)
            m_projectList->setCurrentIndex(m_projectModel->index(row));
    }
    bindSession();
    showServerStatus();
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    UiSettings::saveWindow(saveGeometry(), saveState());
    QMainWindow::closeEvent(event);
}

void MainWindow::dragEnterEvent(QDragEnterEvent *event)
{
    const QList<QUrl> urls = event->mimeData()->urls();
    if (urls.size() == 1 && urls.first().isLocalFile() && isDataPath(QFileInfo(urls.first().toLocalFile())))
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent *event)
{
    const QList<QUrl> urls = event->mimeData()->urls();
    if (urls.size() != 1 || !urls.first().isLocalFile())
        return;
    if (openData(urls.first().toLocalFile()))
        event->acceptProposedAction();
}

void MainWindow::showError(const QString &message)
{
    statusBar()->showMessage(message, 8000);
    if (isVisible())
        QMessageBox::warning(this, tr("Baton"), message);
}

} // namespace baton::ui
