#pragma once

#include "core/pipeline/ProjectSession.h"
#include "core/project/Workspace.h"

#include <QMainWindow>

#include <memory>

class QLabel;
class QLineEdit;
class QListView;
class QPlainTextEdit;
class QPushButton;
class QTableView;

namespace baton::ui {

class ProjectListModel;
class StageTimelineModel;

// The first window: the workspace's projects, a goal box, and the eight stages with their live
// status. A pure view of the Conductor: every button is a Conductor command.
class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    explicit MainWindow(const QString &workspaceRoot = {}, QWidget *parent = nullptr);
    ~MainWindow() override;

    bool openProject(const QString &projectId);
    // Creates (once) and opens the demo project with its goal filled in.
    void openDemoProject();
    bool createProject(const QString &displayName);

    Conductor *conductor() const;
    StageTimelineModel *timelineModel() const { return m_timelineModel; }
    ProjectListModel *projectListModel() const { return m_projectModel; }

private:
    void buildUi();
    void buildMenus();
    void refreshProjects();
    void onEvent(const Event &event);
    void updateActions();
    void startPipeline();
    void confirmStage();
    void restartSelectedStage();
    void promptNewProject();
    void browseForData();
    void showError(const QString &message);

    Workspace m_workspace;
    std::unique_ptr<ProjectSession> m_session;

    ProjectListModel *m_projectModel = nullptr;
    StageTimelineModel *m_timelineModel = nullptr;
    QListView *m_projectList = nullptr;
    QLabel *m_projectTitle = nullptr;
    QLineEdit *m_goalEdit = nullptr;
    QLineEdit *m_dataEdit = nullptr;
    QPushButton *m_startButton = nullptr;
    QTableView *m_timeline = nullptr;
    QLabel *m_waitingLabel = nullptr;
    QPushButton *m_confirmButton = nullptr;
    QPushButton *m_restartButton = nullptr;
    QPushButton *m_cancelButton = nullptr;
    QPlainTextEdit *m_eventLog = nullptr;
};

} // namespace baton::ui
