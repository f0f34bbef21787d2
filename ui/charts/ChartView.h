#pragma once

#include <QChartView>

namespace baton::ui {

// A QChartView that zooms (rubber band, mouse wheel; right click or Escape resets) and shows
// the value under the cursor: every series added through the helpers reports its hovered point.
class ChartView : public QChartView
{
    Q_OBJECT

public:
    explicit ChartView(QWidget *parent = nullptr);

    // Takes ownership of `chart` (the previous one is deleted) and wires hover tooltips.
    void showChart(QChart *chart);
    void resetZoom();

protected:
    void wheelEvent(QWheelEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;

private:
    void wireHover(QAbstractSeries *series);
};

} // namespace baton::ui
