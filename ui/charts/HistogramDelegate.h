#pragma once

#include <QStyledItemDelegate>

namespace baton::ui {

// Draws a row's distribution (a QList<qreal> under `role`) as a small bar chart in its cell.
class HistogramDelegate : public QStyledItemDelegate
{
    Q_OBJECT

public:
    explicit HistogramDelegate(int role, QObject *parent = nullptr);

    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

private:
    int m_role;
};

} // namespace baton::ui
