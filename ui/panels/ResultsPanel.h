#pragma once

#include "StagePanel.h"

class QListView;
class QTabWidget;
class QVBoxLayout;

namespace baton::ui {

class ArtifactListModel;
class NotebookView;
class ReportBrowser;

// TRAIN's evaluation and REVIEW_EDIT: every evaluation artifact as an interactive chart (confusion
// heat map, ROC/PR, calibration, residuals, predicted vs actual, importance, SHAP), the HTML
// report and the notebook.
class ResultsPanel : public StagePanel
{
    Q_OBJECT

public:
    explicit ResultsPanel(QWidget *parent = nullptr);

    void setConductor(Conductor *conductor) override;
    void applyEvent(const Event &event) override;

    ArtifactListModel *artifacts() const { return m_artifacts; }
    // Shows the artifact in `row` of artifacts(); returns the viewer.
    QWidget *showArtifact(int row);
    QWidget *currentViewer() const { return m_viewer; }
    ReportBrowser *report() const { return m_report; }
    NotebookView *notebook() const { return m_notebook; }
    QTabWidget *tabs() const { return m_tabs; }

private:
    Conductor *m_conductor = nullptr;
    ArtifactListModel *m_artifacts = nullptr;
    QListView *m_list = nullptr;
    QVBoxLayout *m_viewerLayout = nullptr;
    QWidget *m_viewer = nullptr;
    ReportBrowser *m_report = nullptr;
    NotebookView *m_notebook = nullptr;
    QTabWidget *m_tabs = nullptr;
};

} // namespace baton::ui
