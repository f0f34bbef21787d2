#include "ColumnProfileModel.h"

#include "ui/JsonFields.h"

#include <QFont>
#include <QLocale>

#include <cmath>

namespace baton::ui {

namespace {

QString numberText(double value)
{
    return std::isfinite(value) ? QLocale().toString(value, 'g', 4) : QStringLiteral("–");
}

} // namespace

ColumnProfileModel::ColumnProfileModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

int ColumnProfileModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int ColumnProfileModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ColumnProfileModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const Row &row = m_rows[size_t(index.row())];
    if (role == HistogramRole)
        return QVariant::fromValue(row.histogram);
    if (role == MissingFractionRole)
        return row.missingPct / 100.0;
    if (role == Qt::DisplayRole || role == Qt::ToolTipRole) {
        const QLocale locale;
        switch (index.column()) {
        case NameColumn: return row.isTarget ? tr("%1 (target)").arg(row.name) : row.name;
        case TypeColumn: return row.type;
        case MissingColumn: return tr("%1 %").arg(locale.toString(row.missingPct, 'f', 1));
        case DistinctColumn: return locale.toString(row.distinct);
        case StatsColumn: return row.stats;
        case HistogramColumn: return role == Qt::ToolTipRole ? row.stats : QVariant();
        default: return {};
        }
    }
    if (role == Qt::FontRole && row.isTarget && index.column() == NameColumn) {
        QFont bold;
        bold.setBold(true);
        return bold;
    }
    if (role == Qt::TextAlignmentRole && (index.column() == MissingColumn || index.column() == DistinctColumn))
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    return {};
}

QVariant ColumnProfileModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case NameColumn: return tr("Column");
    case TypeColumn: return tr("Type");
    case MissingColumn: return tr("Missing");
    case DistinctColumn: return tr("Distinct");
    case StatsColumn: return tr("Statistics");
    case HistogramColumn: return tr("Distribution");
    default: return {};
    }
}

void ColumnProfileModel::setColumns(const json &columns)
{
    beginResetModel();
    m_rows.clear();
    for (const json &c : columns) {
        Row row;
        row.name = stringField(c, "name");
        row.type = stringField(c, "type");
        row.missingPct = doubleField(c, "missing_pct", 0);
        row.distinct = intField(c, "distinct");
        row.isTarget = boolField(c, "is_target");
        if (const json &numeric = objectField(c, "numeric"); !numeric.empty()) {
            row.stats = tr("mean %1, std %2, min %3, max %4")
                            .arg(numberText(doubleField(numeric, "mean")), numberText(doubleField(numeric, "std")),
                                 numberText(doubleField(numeric, "min")), numberText(doubleField(numeric, "max")));
            for (double count : doubles(arrayField(objectField(numeric, "histogram"), "counts")))
                row.histogram << count;
        } else if (const json &top = arrayField(c, "top_values"); !top.empty()) {
            QStringList shown;
            for (const json &v : top) {
                if (shown.size() < 3)
                    shown << tr("%1 (%2)").arg(stringField(v, "value")).arg(intField(v, "count"));
                if (row.histogram.size() < 12)
                    row.histogram << qreal(intField(v, "count"));
            }
            row.stats = tr("top: %1").arg(shown.join(QStringLiteral(", ")));
        } else if (const json &dates = objectField(c, "datetime"); !dates.empty()) {
            row.stats = tr("%1 … %2").arg(stringField(dates, "min"), stringField(dates, "max"));
        }
        m_rows.push_back(std::move(row));
    }
    endResetModel();
}

QString ColumnProfileModel::columnName(int row) const
{
    return row >= 0 && row < int(m_rows.size()) ? m_rows[size_t(row)].name : QString();
}

} // namespace baton::ui
