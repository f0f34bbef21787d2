#include "HistogramDelegate.h"

#include <QPainter>

#include <algorithm>

namespace baton::ui {

HistogramDelegate::HistogramDelegate(int role, QObject *parent)
    : QStyledItemDelegate(parent)
    , m_role(role)
{}

void HistogramDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QStyledItemDelegate::paint(painter, option, index); // selection background
    const auto bars = index.data(m_role).value<QList<qreal>>();
    if (bars.isEmpty())
        return;
    const qreal highest = *std::max_element(bars.begin(), bars.end());
    if (highest <= 0)
        return;
    const QRectF area = QRectF(option.rect).adjusted(4, 3, -4, -3);
    const qreal width = area.width() / qreal(bars.size());
    painter->save();
    const QColor color = option.state & QStyle::State_Selected
                             ? option.palette.color(QPalette::HighlightedText)
                             : option.palette.color(QPalette::Highlight);
    for (qsizetype i = 0; i < bars.size(); ++i) {
        const qreal h = area.height() * bars[i] / highest;
        painter->fillRect(QRectF(area.left() + qreal(i) * width, area.bottom() - h, std::max<qreal>(1, width - 1), h),
                          color);
    }
    painter->restore();
}

QSize HistogramDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    return QStyledItemDelegate::sizeHint(option, index).expandedTo({120, 22});
}

} // namespace baton::ui
