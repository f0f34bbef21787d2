#pragma once

#include "StagePanel.h"

#include "core/common/Json.h"

class QGridLayout;
class QLabel;
class QTabWidget;
class QTableView;
class QTableWidget;

namespace baton::ui {

class ChartView;
class ColumnProfileModel;

// PROFILE_DATA: summary cards, the per-column table with small histograms, missing values,
// the target's distribution, correlations, and warnings whose proposals can be applied
// ("Exclude" adds the column to the excluded columns in the project context).
class ProfilePanel : public StagePanel
{
    Q_OBJECT

public:
    explicit ProfilePanel(QWidget *parent = nullptr);

    void setConductor(Conductor *conductor) override;
    void applyEvent(const Event &event) override;
    // Shows a profile.json (what PROFILE_SUMMARY points to).
    void showProfile(const json &profile);

    ColumnProfileModel *columnModel() const { return m_columns; }
    QTableWidget *warningsTable() const { return m_warnings; }
    QTabWidget *tabs() const { return m_tabs; }
    // Adds `column` with `reason` to the project's excluded columns.
    void excludeColumn(const QString &column, const QString &reason);

Q_SIGNALS:
    void contextEdited();

private:
    void clear();
    void setCards(const json &summary, int warnings);
    void showWarnings(const json &warnings);

    Conductor *m_conductor = nullptr;
    QGridLayout *m_cards = nullptr;
    QTabWidget *m_tabs = nullptr;
    ColumnProfileModel *m_columns = nullptr;
    QTableView *m_columnView = nullptr;
    ChartView *m_missing = nullptr;
    ChartView *m_target = nullptr;
    QWidget *m_correlationsPage = nullptr;
    QTableWidget *m_warnings = nullptr;
    QLabel *m_empty = nullptr;
};

} // namespace baton::ui
