#include "HeatMapWidget.h"

#include <QLocale>
#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>

#include <algorithm>
#include <cmath>

namespace baton::ui {

namespace {
constexpr int kLabelWidth = 110;
constexpr int kLabelHeight = 70;
constexpr int kTitleSpace = 18;
} // namespace

HeatMapWidget::HeatMapWidget(QWidget *parent)
    : QWidget(parent)
{
    setMouseTracking(true);
    setMinimumSize(240, 200);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
}

void HeatMapWidget::setMatrix(const std::vector<std::vector<double>> &values, const QStringList &rowLabels,
                              const QStringList &columnLabels, Scale scale, double minValue, double maxValue)
{
    m_values = values;
    m_rowLabels = rowLabels;
    m_columnLabels = columnLabels;
    m_scale = scale;
    m_min = minValue;
    m_max = maxValue > minValue ? maxValue : minValue + 1;
    updateGeometry();
    update();
}

void HeatMapWidget::setAxisTitles(const QString &rows, const QString &columns)
{
    m_rowTitle = rows;
    m_columnTitle = columns;
    update();
}

double HeatMapWidget::valueAt(int row, int column) const
{
    if (row < 0 || row >= int(m_values.size()) || column < 0 || column >= int(m_values[size_t(row)].size()))
        return std::nan("");
    return m_values[size_t(row)][size_t(column)];
}

QSize HeatMapWidget::sizeHint() const
{
    const int n = std::max<int>(1, int(m_values.size()));
    return {kLabelWidth + kTitleSpace + std::min(600, n * 48), kLabelHeight + kTitleSpace + std::min(600, n * 40)};
}

QRectF HeatMapWidget::gridRect() const
{
    return QRectF(kLabelWidth + kTitleSpace, kTitleSpace, width() - kLabelWidth - kTitleSpace - 8,
                  height() - kLabelHeight - kTitleSpace - 4);
}

QColor HeatMapWidget::colorFor(double value) const
{
    if (!std::isfinite(value))
        return palette().color(QPalette::Mid);
    const double t = std::clamp((value - m_min) / (m_max - m_min), 0.0, 1.0);
    if (m_scale == Scale::Diverging) {
        // blue (low) – white – red (high)
        const double d = std::abs(t - 0.5) * 2;
        const QColor end = t < 0.5 ? QColor(0x21, 0x66, 0xac) : QColor(0xb2, 0x18, 0x2b);
        return QColor::fromRgbF(float(1 - d + d * end.redF()), float(1 - d + d * end.greenF()),
                                float(1 - d + d * end.blueF()));
    }
    // light to deep blue
    return QColor::fromRgbF(float(0.94 - 0.86 * t), float(0.96 - 0.64 * t), float(1.0 - 0.45 * t));
}

void HeatMapWidget::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const int rows = int(m_values.size());
    if (rows == 0) {
        p.drawText(rect(), Qt::AlignCenter, tr("No data"));
        return;
    }
    const int columns = int(m_values.front().size());
    const QRectF grid = gridRect();
    const double cw = grid.width() / std::max(1, columns);
    const double ch = grid.height() / rows;
    const bool printValues = cw > 34 && ch > 16;
    for (int r = 0; r < rows; ++r) {
        for (int c = 0; c < columns; ++c) {
            const QRectF cell(grid.left() + c * cw, grid.top() + r * ch, cw, ch);
            const double v = valueAt(r, c);
            const QColor color = colorFor(v);
            p.fillRect(cell.adjusted(0.5, 0.5, -0.5, -0.5), color);
            if (printValues && std::isfinite(v)) {
                p.setPen(color.lightnessF() < 0.55 ? Qt::white : Qt::black);
                p.drawText(cell, Qt::AlignCenter, QLocale().toString(v, 'f', m_decimals));
            }
        }
    }
    p.setPen(palette().color(QPalette::WindowText));
    for (int r = 0; r < rows && r < m_rowLabels.size(); ++r) {
        const QRectF label(kTitleSpace, grid.top() + r * ch, kLabelWidth - 4, ch);
        p.drawText(label, Qt::AlignRight | Qt::AlignVCenter,
                   fontMetrics().elidedText(m_rowLabels[r], Qt::ElideRight, kLabelWidth - 4));
    }
    for (int c = 0; c < columns && c < m_columnLabels.size(); ++c) {
        p.save();
        p.translate(grid.left() + (c + 0.5) * cw, grid.bottom() + 4);
        p.rotate(45);
        p.drawText(QRectF(0, -8, kLabelHeight, 16), Qt::AlignLeft | Qt::AlignVCenter,
                   fontMetrics().elidedText(m_columnLabels[c], Qt::ElideRight, kLabelHeight));
        p.restore();
    }
    if (!m_columnTitle.isEmpty())
        p.drawText(QRectF(grid.left(), 0, grid.width(), kTitleSpace), Qt::AlignCenter, m_columnTitle);
    if (!m_rowTitle.isEmpty()) {
        p.save();
        p.translate(0, grid.center().y());
        p.rotate(-90);
        p.drawText(QRectF(-grid.height() / 2, 0, grid.height(), kTitleSpace), Qt::AlignCenter, m_rowTitle);
        p.restore();
    }
}

void HeatMapWidget::mouseMoveEvent(QMouseEvent *event)
{
    const QRectF grid = gridRect();
    const int rows = int(m_values.size());
    if (rows == 0 || !grid.contains(event->position()))
        return QToolTip::hideText();
    const int columns = int(m_values.front().size());
    const int c = int((event->position().x() - grid.left()) / (grid.width() / columns));
    const int r = int((event->position().y() - grid.top()) / (grid.height() / rows));
    const double v = valueAt(r, c);
    QToolTip::showText(event->globalPosition().toPoint(),
                       tr("%1 / %2: %3")
                           .arg(m_rowLabels.value(r), m_columnLabels.value(c),
                                std::isfinite(v) ? QLocale().toString(v, 'g', 4) : tr("n/a")),
                       this);
}

} // namespace baton::ui
