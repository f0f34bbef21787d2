#include "ProfilePanel.h"

#include "core/conductor/Conductor.h"
#include "core/conductor/EventNames.h"
#include "core/pipeline/ContextKeys.h"
#include "ui/AssetFiles.h"
#include "ui/JsonFields.h"
#include "ui/charts/ArtifactCharts.h"
#include "ui/charts/ChartView.h"
#include "ui/charts/HistogramDelegate.h"
#include "ui/models/ColumnProfileModel.h"

#include <QChart>
#include <QFrame>
#include <QGridLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QTabWidget>
#include <QTableView>
#include <QTableWidget>
#include <QVBoxLayout>

namespace baton::ui {

namespace {

QWidget *card(const QString &value, const QString &caption)
{
    auto *frame = new QFrame;
    frame->setFrameShape(QFrame::StyledPanel);
    frame->setBackgroundRole(QPalette::Base);
    frame->setAutoFillBackground(true);
    auto *layout = new QVBoxLayout(frame);
    auto *number = new QLabel(value);
    QFont big = number->font();
    big.setPointSizeF(big.pointSizeF() * 1.6);
    big.setBold(true);
    number->setFont(big);
    auto *text = new QLabel(caption);
    text->setForegroundRole(QPalette::PlaceholderText);
    layout->addWidget(number);
    layout->addWidget(text);
    return frame;
}

QChart *emptyChart(const QString &title)
{
    auto *chart = new QChart;
    chart->setTitle(title);
    return chart;
}

} // namespace

ProfilePanel::ProfilePanel(QWidget *parent)
    : StagePanel(parent)
    , m_columns(new ColumnProfileModel(this))
{
    setObjectName(QStringLiteral("profilePanel"));
    m_cards = new QGridLayout;
    m_empty = new QLabel(tr("The profile appears here once the data has been profiled."));
    m_empty->setAlignment(Qt::AlignCenter);

    m_columnView = new QTableView;
    m_columnView->setObjectName(QStringLiteral("columnProfileView"));
    m_columnView->setModel(m_columns);
    m_columnView->setItemDelegateForColumn(ColumnProfileModel::HistogramColumn,
                                           new HistogramDelegate(ColumnProfileModel::HistogramRole, m_columnView));
    m_columnView->verticalHeader()->hide();
    m_columnView->horizontalHeader()->setSectionResizeMode(ColumnProfileModel::StatsColumn, QHeaderView::Stretch);
    m_columnView->setColumnWidth(ColumnProfileModel::HistogramColumn, 140);
    m_columnView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_columnView->setAlternatingRowColors(true);

    m_missing = new ChartView;
    m_target = new ChartView;
    m_correlationsPage = new QWidget;
    new QVBoxLayout(m_correlationsPage);
    m_warnings = new QTableWidget(0, 3);
    m_warnings->setObjectName(QStringLiteral("warningsTable"));
    m_warnings->setHorizontalHeaderLabels({tr("Warning"), tr("Column"), tr("Action")});
    m_warnings->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_warnings->verticalHeader()->hide();
    m_warnings->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_warnings->setWordWrap(true);

    m_tabs = new QTabWidget;
    m_tabs->addTab(m_columnView, tr("&Columns"));
    m_tabs->addTab(m_warnings, tr("&Warnings"));
    m_tabs->addTab(m_missing, tr("&Missing values"));
    m_tabs->addTab(m_target, tr("&Target"));
    m_tabs->addTab(m_correlationsPage, tr("C&orrelations"));

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(m_cards);
    layout->addWidget(m_empty);
    layout->addWidget(m_tabs, 1);
    clear();
}

void ProfilePanel::setConductor(Conductor *conductor)
{
    m_conductor = conductor;
    clear();
}

void ProfilePanel::clear()
{
    while (QLayoutItem *item = m_cards->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    m_columns->setColumns(json::array());
    m_warnings->setRowCount(0);
    m_tabs->hide();
    m_empty->show();
}

void ProfilePanel::applyEvent(const Event &event)
{
    if (event.name != QLatin1String(events::ProfileSummary) || !m_conductor)
        return;
    auto profile = readAssetJson(m_conductor->projectDir(), stringField(event.payload, "asset_url"));
    if (!profile) {
        Q_EMIT errorOccurred(tr("Cannot show the profile: %1").arg(profile.error().toString()));
        return;
    }
    showProfile(profile.value());
}

void ProfilePanel::setCards(const json &summary, int warnings)
{
    const QLocale locale;
    const std::pair<QString, QString> cards[] = {
        {locale.toString(intField(summary, "rows")), tr("rows")},
        {locale.toString(intField(summary, "columns")), tr("columns")},
        {tr("%1 %").arg(locale.toString(doubleField(summary, "missing_pct", 0), 'f', 1)), tr("missing cells")},
        {locale.toString(intField(summary, "duplicate_rows")), tr("duplicate rows")},
        {tr("%1 MB").arg(locale.toString(doubleField(summary, "memory_mb", 0), 'f', 1)), tr("in memory")},
        {locale.toString(warnings), tr("warnings")},
    };
    int column = 0;
    for (const auto &[value, caption] : cards)
        m_cards->addWidget(card(value, caption), 0, column++);
}

void ProfilePanel::showProfile(const json &profile)
{
    clear();
    const json &warnings = arrayField(profile, "warnings");
    setCards(objectField(profile, "summary"), int(warnings.size()));
    m_columns->setColumns(arrayField(profile, "columns"));
    showWarnings(warnings);

    QStringList missingNames;
    std::vector<double> missingPct;
    for (const json &c : arrayField(profile, "columns")) {
        if (doubleField(c, "missing_pct", 0) > 0) {
            missingNames << stringField(c, "name");
            missingPct.push_back(doubleField(c, "missing_pct", 0));
        }
    }
    QChart *missing = barChart(missingNames, missingPct, tr("Missing values by column (%)"), Qt::Horizontal);
    m_missing->showChart(missing ? missing : emptyChart(tr("No missing values")));

    const json &target = objectField(profile, "target");
    QStringList names;
    std::vector<double> counts;
    if (const json &classes = arrayField(target, "classes"); !classes.empty()) {
        for (const json &c : classes) {
            names << stringField(c, "value");
            counts.push_back(doubleField(c, "count", 0));
        }
    } else {
        const json &histogram = objectField(target, "histogram");
        const std::vector<double> edges = doubles(arrayField(histogram, "edges"));
        counts = doubles(arrayField(histogram, "counts"));
        const QLocale locale;
        for (size_t i = 0; i + 1 < edges.size(); ++i)
            names << locale.toString(edges[i], 'g', 4);
    }
    const QString targetTitle = target.empty() ? tr("No target chosen yet")
                                               : tr("Distribution of %1").arg(stringField(target, "column"));
    QChart *distribution = barChart(names, counts, targetTitle, Qt::Vertical);
    m_target->showChart(distribution ? distribution : emptyChart(targetTitle));

    QLayout *correlations = m_correlationsPage->layout();
    while (QLayoutItem *item = correlations->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    correlations->addWidget(createArtifactView(QStringLiteral("correlations"), objectField(profile, "correlations")));

    m_empty->hide();
    m_tabs->show();
}

void ProfilePanel::showWarnings(const json &warnings)
{
    m_warnings->setRowCount(int(warnings.size()));
    int row = 0;
    for (const json &w : warnings) {
        auto *text = new QTableWidgetItem(stringField(w, "message"));
        text->setToolTip(stringField(w, "reason"));
        m_warnings->setItem(row, 0, text);
        const QString column = stringField(w, "column");
        m_warnings->setItem(row, 1, new QTableWidgetItem(column));
        const json &proposal = objectField(w, "proposal");
        if (stringField(proposal, "action") == QLatin1String("exclude_column") && !column.isEmpty()) {
            auto *exclude = new QPushButton(tr("Exclude"));
            exclude->setToolTip(tr("Leave “%1” out of training").arg(column));
            const QString reason = stringField(proposal, "reason", stringField(w, "code"));
            connect(exclude, &QPushButton::clicked, this, [this, exclude, column, reason] {
                excludeColumn(column, reason);
                exclude->setEnabled(false);
                exclude->setText(tr("Excluded"));
            });
            m_warnings->setCellWidget(row, 2, exclude);
        }
        ++row;
    }
    m_warnings->resizeRowsToContents();
}

void ProfilePanel::excludeColumn(const QString &column, const QString &reason)
{
    if (!m_conductor)
        return;
    json excluded = arrayField(m_conductor->context(), ctx::ExcludedColumns);
    for (const json &e : excluded) {
        if (stringField(e, "column") == column)
            return;
    }
    excluded.push_back({{"column", toStd(column)}, {"reason", toStd(reason)}});
    m_conductor->updateContext({{ctx::ExcludedColumns, excluded}});
    Q_EMIT contextEdited();
}

} // namespace baton::ui
