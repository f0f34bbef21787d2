#pragma once

#include <QStringList>
#include <QWidget>

#include <vector>

namespace baton::ui {

// A labelled matrix of coloured cells (confusion matrix, correlations). Hovering a cell shows its
// row, column and value; cells are large enough to print the value when the matrix is small.
class HeatMapWidget : public QWidget
{
    Q_OBJECT

public:
    enum class Scale { Sequential, Diverging };

    explicit HeatMapWidget(QWidget *parent = nullptr);

    void setMatrix(const std::vector<std::vector<double>> &values, const QStringList &rowLabels,
                   const QStringList &columnLabels, Scale scale, double minValue, double maxValue);
    void setAxisTitles(const QString &rows, const QString &columns);
    void setDecimals(int decimals) { m_decimals = decimals; }
    int rowCount() const { return int(m_values.size()); }
    double valueAt(int row, int column) const;

    QSize sizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;

private:
    QRectF gridRect() const;
    QColor colorFor(double value) const;

    std::vector<std::vector<double>> m_values;
    QStringList m_rowLabels, m_columnLabels;
    QString m_rowTitle, m_columnTitle;
    Scale m_scale = Scale::Sequential;
    double m_min = 0, m_max = 1;
    int m_decimals = 2;
};

} // namespace baton::ui
