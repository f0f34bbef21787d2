#pragma once

#include "core/pipeline/ProjectSession.h"
#include "core/pipeline/SessionPool.h"
#include "core/project/Workspace.h"

#include <QMainWindow>

#include <memory>
#include <vector>

class QDockWidget;
class QLabel;
class QLineEdit;
class QListView;
class QPushButton;
class QStackedWidget;
class QTableView;

namespace baton::ui {

class ConfirmationPanel;
class DataPanel;
class EventLogView;
class ExportPanel;
class PlanPanel;
class ProfilePanel;
class ProjectListModel;
class ResultsPanel;
class ServerController;
class StagePanel;
class StageTimelineModel;
class TrainingPanel;

// The desktop window: the workspace's projects, a goal box, the eight stages with their live
// status, the selected stage's panel and the confirmation form. A pure view of the Conductor:
// it renders events and every button is a Conductor command.
class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    explicit MainWindow(const QString &workspaceRoot = {}, QWidget *parent = nullptr);
    ~MainWindow() override;

    bool openProject(const QString &projectId);
    // Creates (once) and opens the demo project with its goal filled in.
    void openDemoProject();
    // Reopens the project open when the app last closed, its panels restored from its event
    // log; a project gone or broken since leaves the welcome state (said in the status bar).
    bool openLastProject();
    bool createProject(const QString &displayName);
    // Gives the project a new display name (its id and folder stay).
    bool renameProject(const QString &projectId, const QString &displayName);
    // Moves the project to the workspace's trash, closing it first; refused while it runs.
    bool deleteProject(const QString &projectId);
    // Back to the welcome state: no project open.
    void closeProject();
    // A CSV, a zip or an image folder: a new project named after it, with the data filled in.
    bool openData(const QString &path);
    // Switches the language ("" = system) and rebuilds every widget in it.
    void applyLanguage(const QString &code);

    Conductor *conductor() const;
    StageTimelineModel *timelineModel() const { return m_timelineModel; }
    ProjectListModel *projectListModel() const { return m_projectModel; }
    ConfirmationPanel *confirmationPanel() const { return m_confirmation; }
    DataPanel *dataPanel() const { return m_dataPanel; }
    ProfilePanel *profilePanel() const { return m_profilePanel; }
    PlanPanel *planPanel() const { return m_planPanel; }
    TrainingPanel *trainingPanel() const { return m_trainingPanel; }
    ResultsPanel *resultsPanel() const { return m_resultsPanel; }
    ExportPanel *exportPanel() const { return m_exportPanel; }
    ServerController *serverController() const { return m_server.get(); }
    QWidget *currentPanel() const;
    // Shows the panel of `stage` and selects it in the timeline.
    void showStage(StageId stage);

protected:
    void closeEvent(QCloseEvent *event) override;
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    void buildUi();
    void buildMenus();
    Status activateProject(const QString &projectId);
    void bindSession();
    void refreshProjects();
    void replayHistory();
    void onEvent(const Event &event);
    void updateActions();
    void startPipeline();
    void promptNewProject();
    void promptRenameProject();
    void promptDeleteProject();
    // The project the Project menu acts on: the one selected in the list, else the open one.
    QString selectedProjectId() const;
    void browseForData();
    void chooseDemoDataset(const QString &datasetId);
    void showSettings();
    void showServerStatus();
    void showAbout();
    void showError(const QString &message);

    Workspace m_workspace;
    SessionPool m_pool; // the window's project and those the server's clients opened
    std::shared_ptr<ProjectSession> m_session;
    std::unique_ptr<ServerController> m_server; // destroyed first: it holds sessions too
    QString m_demoDatasetId; // a built-in dataset chosen instead of a file
    bool m_followStages = true;

    ProjectListModel *m_projectModel = nullptr;
    StageTimelineModel *m_timelineModel = nullptr;
    QListView *m_projectList = nullptr;
    QLabel *m_projectTitle = nullptr;
    QLineEdit *m_goalEdit = nullptr;
    QLineEdit *m_dataEdit = nullptr;
    QPushButton *m_startButton = nullptr;
    QPushButton *m_cancelButton = nullptr;
    QTableView *m_timeline = nullptr;
    QStackedWidget *m_stack = nullptr;
    ConfirmationPanel *m_confirmation = nullptr;
    DataPanel *m_dataPanel = nullptr;
    ProfilePanel *m_profilePanel = nullptr;
    PlanPanel *m_planPanel = nullptr;
    TrainingPanel *m_trainingPanel = nullptr;
    ResultsPanel *m_resultsPanel = nullptr;
    ExportPanel *m_exportPanel = nullptr;
    std::vector<StagePanel *> m_panels;
    EventLogView *m_eventLog = nullptr;
    QDockWidget *m_logDock = nullptr;
    QLabel *m_serverStatus = nullptr;
    QAction *m_serverAction = nullptr;
};

} // namespace baton::ui
