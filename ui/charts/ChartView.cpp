#include "ChartView.h"

#include <QBarSet>
#include <QAbstractBarSeries>
#include <QBarCategoryAxis>
#include <QCursor>
#include <QKeyEvent>
#include <QLocale>
#include <QToolTip>
#include <QWheelEvent>
#include <QXYSeries>

namespace baton::ui {

ChartView::ChartView(QWidget *parent)
    : QChartView(parent)
{
    setRenderHint(QPainter::Antialiasing);
    setRubberBand(QChartView::RectangleRubberBand);
    setFocusPolicy(Qt::StrongFocus);
    setMinimumSize(320, 240);
    setToolTip(tr("Drag to zoom, wheel to zoom, right click or Esc to reset"));
}

void ChartView::showChart(QChart *chart)
{
    QChart *old = this->chart();
    chart->setTheme(palette().color(QPalette::Window).lightness() < 128 ? QChart::ChartThemeDark
                                                                         : QChart::ChartThemeLight);
    chart->setAnimationOptions(QChart::NoAnimation);
    setChart(chart);
    for (QAbstractSeries *series : chart->series())
        wireHover(series);
    if (old && old != chart)
        delete old;
}

void ChartView::resetZoom()
{
    if (chart())
        chart()->zoomReset();
}

void ChartView::wireHover(QAbstractSeries *series)
{
    if (auto *xy = qobject_cast<QXYSeries *>(series)) {
        connect(xy, &QXYSeries::hovered, this, [xy](const QPointF &point, bool state) {
            if (!state)
                return QToolTip::hideText();
            const QLocale locale;
            QToolTip::showText(QCursor::pos(), tr("%1\nx = %2\ny = %3")
                                                   .arg(xy->name(), locale.toString(point.x(), 'g', 4),
                                                        locale.toString(point.y(), 'g', 4)));
        });
        return;
    }
    if (auto *bars = qobject_cast<QAbstractBarSeries *>(series)) {
        connect(bars, &QAbstractBarSeries::hovered, this, [this](bool state, int index, QBarSet *set) {
            if (!state)
                return QToolTip::hideText();
            QString category;
            for (QAbstractAxis *axis : chart()->axes()) {
                if (auto *categories = qobject_cast<QBarCategoryAxis *>(axis);
                    categories && index < categories->count())
                    category = categories->at(index);
            }
            QToolTip::showText(QCursor::pos(), tr("%1: %2").arg(category.isEmpty() ? set->label() : category,
                                                                QLocale().toString(set->at(index), 'g', 4)));
        });
    }
}

void ChartView::wheelEvent(QWheelEvent *event)
{
    if (!chart())
        return;
    const qreal factor = event->angleDelta().y() > 0 ? 1.25 : 0.8;
    chart()->zoom(factor);
    event->accept();
}

void ChartView::keyPressEvent(QKeyEvent *event)
{
    if (event->key() == Qt::Key_Escape) {
        resetZoom();
        return;
    }
    if (event->key() == Qt::Key_Plus && chart())
        return chart()->zoomIn();
    if (event->key() == Qt::Key_Minus && chart())
        return chart()->zoomOut();
    QChartView::keyPressEvent(event);
}

void ChartView::mouseReleaseEvent(QMouseEvent *event)
{
    // QChartView zooms out one step on right click; a full reset is what people expect
    if (event->button() == Qt::RightButton) {
        resetZoom();
        event->accept();
        return;
    }
    QChartView::mouseReleaseEvent(event);
}

} // namespace baton::ui
