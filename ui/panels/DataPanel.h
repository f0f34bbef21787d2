#pragma once

#include "StagePanel.h"

#include "core/jobs/JobRunner.h"

class QLabel;
class QTableView;

namespace baton::ui {

class TableDataModel;

// PARSE_INTENT and DATA_SOURCE: what the goal was understood as, which dataset was chosen, and
// the data itself in a virtualised table (read on a job thread, never on the GUI thread).
class DataPanel : public StagePanel
{
    Q_OBJECT

public:
    explicit DataPanel(QWidget *parent = nullptr);
    ~DataPanel() override;

    void setConductor(Conductor *conductor) override;
    void applyEvent(const Event &event) override;
    // Reads `path` on a job thread and shows it; dataLoaded() fires when it is on screen.
    void loadTable(const QString &path);

    TableDataModel *tableModel() const { return m_model; }
    QTableView *tableView() const { return m_view; }

Q_SIGNALS:
    void dataLoaded();

private:
    Conductor *m_conductor = nullptr;
    QLabel *m_intent = nullptr;
    QLabel *m_dataset = nullptr;
    TableDataModel *m_model = nullptr;
    QTableView *m_view = nullptr;
    JobHandle m_load;
    QString m_loadedPath;
};

} // namespace baton::ui
