#include "Charts.h"

#include <QCoreApplication>
#include <QFont>
#include <QFontMetricsF>
#include <QGuiApplication>
#include <QLinearGradient>
#include <QPainter>
#include <QPainterPath>

#include <algorithm>
#include <cmath>
#include <limits>

namespace baton::charts {

namespace {

// Tableau-like categorical palette: distinguishable, print-friendly, colour-blind tolerable.
constexpr QRgb kPalette[] = {0x4C78A8, 0xF58518, 0x54A24B, 0xE45756, 0x72B7B2,
                             0xB279A2, 0xEECA3B, 0x9D755D, 0xFF9DA6, 0x79706E};
constexpr QRgb kText = 0x21292F;
constexpr QRgb kMuted = 0x6B757D;
constexpr QRgb kGrid = 0xE6E9EC;
constexpr QRgb kAxis = 0xA0A8B0;
constexpr QRgb kReference = 0x8A939B;
constexpr QRgb kMissingCell = 0xEEEEEE;

// ColorBrewer "Blues" and "RdBu" (reversed so positive is red).
constexpr QRgb kSequential[]
    = {0xF7FBFF, 0xDEEBF7, 0xC6DBEF, 0x9ECAE1, 0x6BAED6, 0x4292C6, 0x2171B5, 0x08519C, 0x08306B};
constexpr QRgb kDiverging[]
    = {0x2166AC, 0x4393C3, 0x92C5DE, 0xD1E5F0, 0xF7F7F7, 0xFDDBC7, 0xF4A582, 0xD6604D, 0xB2182B};

const QString kEllipsis = QStringLiteral("\u2026");
const QString kDash = QStringLiteral("\u2013");

constexpr int kMaxTicks = 60;
constexpr size_t kMaxScatterPoints = 20000;

// Values this large only come from broken input; clamping keeps range arithmetic finite.
double tame(double v)
{
    return std::clamp(v, -1e150, 1e150);
}

bool finite(double v)
{
    return std::isfinite(v);
}

QColor rgb(QRgb value, int alpha = 255)
{
    QColor c = QColor::fromRgb(value);
    c.setAlpha(alpha);
    return c;
}

QString formatValue(double v, int decimals)
{
    if (!finite(v))
        return kDash;
    if (decimals >= 0)
        return QString::number(v, 'f', std::min(decimals, 10));
    const double a = std::abs(v);
    if (a == 0)
        return QStringLiteral("0");
    if (a < 1e6 && v == std::round(v))
        return QString::number(v, 'f', 0);
    if (a >= 1e6 || a < 1e-3)
        return QString::number(v, 'g', 3);
    const int d = std::clamp(2 - int(std::floor(std::log10(a))), 0, 4);
    QString s = QString::number(v, 'f', d);
    if (s.contains(QLatin1Char('.'))) {
        while (s.endsWith(QLatin1Char('0')))
            s.chop(1);
        if (s.endsWith(QLatin1Char('.')))
            s.chop(1);
    }
    return s;
}

QColor colorAt(double t, Palette palette)
{
    const QRgb *stops = palette == Palette::Diverging ? kDiverging : kSequential;
    constexpr int count = 9;
    if (!finite(t))
        return rgb(kMissingCell);
    t = std::clamp(t, 0.0, 1.0) * (count - 1);
    const int i = std::min(int(t), count - 2);
    const double f = t - i;
    const QColor a = rgb(stops[i]), b = rgb(stops[i + 1]);
    return QColor::fromRgbF(float(a.redF() + (b.redF() - a.redF()) * f),
                            float(a.greenF() + (b.greenF() - a.greenF()) * f),
                            float(a.blueF() + (b.blueF() - a.blueF()) * f));
}

bool isDark(const QColor &c)
{
    return 0.299 * c.red() + 0.587 * c.green() + 0.114 * c.blue() < 140;
}

// --- axes --------------------------------------------------------------------------------------

// The 1, 2 or 5 × 10^k closest to x.
double niceNumber(double x)
{
    const double exponent = std::floor(std::log10(x));
    const double fraction = x / std::pow(10.0, exponent);
    const double nice = fraction < 1.5 ? 1 : fraction < 3 ? 2 : fraction < 7 ? 5 : 10;
    return nice * std::pow(10.0, exponent);
}

struct Axis
{
    double lo = 0;
    double hi = 1;
    double step = 0.2;
    std::vector<double> ticks;
    int decimals = 1;
    int significant = 0; // > 0: scientific notation with this many digits

    QString label(double v) const
    {
        return significant > 0 ? QString::number(v, 'g', significant)
                               : QString::number(v, 'f', decimals);
    }
    double span() const { return hi - lo; }
};

// Ticks at multiples of a 1-2-5 step, about `targetTicks` of them; data ends are rounded out to
// whole ticks unless the caller fixed them.
Axis makeAxis(double dataLo, double dataHi, std::optional<double> fixedLo,
              std::optional<double> fixedHi, int targetTicks = 6)
{
    if (fixedLo && !finite(*fixedLo))
        fixedLo.reset();
    if (fixedHi && !finite(*fixedHi))
        fixedHi.reset();
    double lo = fixedLo ? *fixedLo : dataLo;
    double hi = fixedHi ? *fixedHi : dataHi;
    if (!finite(lo) || !finite(hi)) {
        lo = 0;
        hi = 1;
    }
    lo = tame(lo);
    hi = tame(hi);
    if (lo > hi)
        std::swap(lo, hi);
    if (!(hi - lo > 1e-12 * std::max(std::abs(lo), std::abs(hi)))) {
        const double d = std::abs(lo) > 1e-300 ? std::abs(lo) * 0.1 : 1.0;
        if (fixedLo && !fixedHi)
            hi = lo + d;
        else if (fixedHi && !fixedLo)
            lo = hi - d;
        else {
            lo -= d;
            hi += d;
        }
    }

    Axis axis;
    axis.step = niceNumber((hi - lo) / std::max(1, targetTicks - 1));
    if (!fixedLo)
        lo = std::floor(lo / axis.step) * axis.step;
    if (!fixedHi)
        hi = std::ceil(hi / axis.step) * axis.step;
    axis.lo = lo;
    axis.hi = hi;

    const double first = std::ceil(lo / axis.step - 1e-9) * axis.step;
    for (int i = 0; i < kMaxTicks; ++i) {
        double t = first + i * axis.step;
        if (t > hi + axis.step * 1e-9)
            break;
        if (std::abs(t) < axis.step * 1e-9)
            t = 0; // no "-0" or "1e-17"
        axis.ticks.push_back(t);
    }

    const double magnitude = std::max(std::abs(lo), std::abs(hi));
    if (magnitude >= 1e6 || axis.step < 1e-4) {
        const int digits = int(std::floor(std::log10(magnitude > 0 ? magnitude : 1.0)))
                           - int(std::floor(std::log10(axis.step))) + 1;
        axis.significant = std::clamp(digits, 2, 15);
    } else {
        axis.decimals
            = axis.step >= 1 ? 0 : std::clamp(int(std::ceil(-std::log10(axis.step) - 1e-9)), 0, 10);
    }
    return axis;
}

// --- canvas ------------------------------------------------------------------------------------

struct Style
{
    double scale = 1;
    QFont title, label, tick, note;
};

QFont makeFont(double pixels, bool bold)
{
    QFont font(QStringLiteral("DejaVu Sans"));
    font.setStyleHint(QFont::SansSerif);
    font.setPixelSize(std::max(7, int(std::lround(pixels))));
    font.setBold(bold);
    return font;
}

class Canvas
{
public:
    explicit Canvas(const ChartOptions &options)
        : m_options(options)
        , m_image(QSize(std::clamp(options.size.width(), 160, 4000),
                        std::clamp(options.size.height(), 120, 4000)),
                  QImage::Format_RGB32)
    {
        // Fonts and margins grow with the picture so a 1600×1000 export looks like a zoomed
        // 800×500.
        const double s
            = std::clamp(std::min(m_image.width() / 800.0, m_image.height() / 500.0), 0.5, 3.0);
        m_style.scale = s;
        m_style.title = makeFont(18 * s, true);
        m_style.label = makeFont(13 * s, false);
        m_style.tick = makeFont(12 * s, false);
        m_style.note = makeFont(12 * s, false);
        m_style.note.setItalic(true);

        m_image.fill(Qt::white);
        m_painter.begin(&m_image);
        m_painter.setRenderHints(QPainter::Antialiasing | QPainter::TextAntialiasing
                                 | QPainter::SmoothPixmapTransform);
    }

    QImage finish()
    {
        m_painter.end();
        return m_image;
    }

    QPainter &painter() { return m_painter; }
    const Style &style() const { return m_style; }
    const ChartOptions &options() const { return m_options; }
    double s() const { return m_style.scale; }
    double pad() const { return 14 * m_style.scale; }
    int width() const { return m_image.width(); }
    int height() const { return m_image.height(); }

    // Title and an optional note ("showing 25 of 300") centred on top; returns where content
    // starts.
    double drawHeader(const QString &note = {})
    {
        double y = pad();
        const double w = width() - 2 * pad();
        if (!m_options.title.isEmpty()) {
            m_painter.setFont(m_style.title);
            m_painter.setPen(rgb(kText));
            const QFontMetricsF fm(m_style.title);
            m_painter.drawText(QRectF(pad(), y, w, fm.height()), Qt::AlignHCenter | Qt::AlignTop,
                               fm.elidedText(m_options.title, Qt::ElideRight, w));
            y += fm.height() + 4 * s();
        }
        if (!note.isEmpty()) {
            m_painter.setFont(m_style.note);
            m_painter.setPen(rgb(kMuted));
            const QFontMetricsF fm(m_style.note);
            m_painter.drawText(QRectF(pad(), y, w, fm.height()), Qt::AlignHCenter | Qt::AlignTop,
                               fm.elidedText(note, Qt::ElideRight, w));
            y += fm.height() + 4 * s();
        }
        return y + 8 * s();
    }

    void drawNoData(const QRectF &area)
    {
        m_painter.setFont(m_style.label);
        m_painter.setPen(rgb(kMuted));
        m_painter.drawText(area, Qt::AlignCenter, QCoreApplication::translate("Charts", "No data"));
    }

    // Text rotated to read bottom-to-top, centred on `center`.
    void drawVerticalText(QPointF center, const QString &text, double maxLength, const QFont &font)
    {
        const QFontMetricsF fm(font);
        m_painter.save();
        m_painter.setFont(font);
        m_painter.translate(center);
        m_painter.rotate(-90);
        m_painter.drawText(QRectF(-maxLength / 2, -fm.height() / 2, maxLength, fm.height()),
                           Qt::AlignCenter, fm.elidedText(text, Qt::ElideRight, maxLength));
        m_painter.restore();
    }

private:
    ChartOptions m_options;
    QImage m_image;
    Style m_style;
    QPainter m_painter;
};

// --- cartesian frame ---------------------------------------------------------------------------

struct Frame
{
    QRectF plot;
    Axis x, y;

    double px(double v) const { return plot.left() + (v - x.lo) / x.span() * plot.width(); }
    double py(double v) const { return plot.bottom() - (v - y.lo) / y.span() * plot.height(); }
    QPointF map(QPointF p) const { return {px(p.x()), py(p.y())}; }
};

Frame layoutFrame(Canvas &canvas, Axis x, Axis y, double top)
{
    const ChartOptions &o = canvas.options();
    const double s = canvas.s();
    const QFontMetricsF tickFm(canvas.style().tick), labelFm(canvas.style().label);
    double yTickWidth = 0;
    for (double t : y.ticks)
        yTickWidth = std::max(yTickWidth, tickFm.horizontalAdvance(y.label(t)));
    const double left
        = canvas.pad() + (o.yLabel.isEmpty() ? 0 : labelFm.height() + 8 * s) + yTickWidth + 10 * s;
    const double bottom = canvas.pad() + tickFm.height() + 8 * s
                          + (o.xLabel.isEmpty() ? 0 : labelFm.height() + 6 * s);
    const double right
        = canvas.pad()
          + (x.ticks.empty() ? 0 : tickFm.horizontalAdvance(x.label(x.ticks.back())) / 2);
    Frame frame;
    frame.x = std::move(x);
    frame.y = std::move(y);
    frame.plot = QRectF(left, top, std::max(20.0, canvas.width() - left - right),
                        std::max(20.0, canvas.height() - top - bottom));
    return frame;
}

void drawFrame(Canvas &canvas, const Frame &f, bool verticalGrid = true)
{
    QPainter &p = canvas.painter();
    const ChartOptions &o = canvas.options();
    const double s = canvas.s();
    const QFontMetricsF tickFm(canvas.style().tick), labelFm(canvas.style().label);

    p.save();
    p.setRenderHint(QPainter::Antialiasing, false);
    p.setPen(QPen(rgb(kGrid), 1));
    for (double t : f.y.ticks)
        p.drawLine(QPointF(f.plot.left(), std::round(f.py(t))),
                   QPointF(f.plot.right(), std::round(f.py(t))));
    if (verticalGrid) {
        for (double t : f.x.ticks)
            p.drawLine(QPointF(std::round(f.px(t)), f.plot.top()),
                       QPointF(std::round(f.px(t)), f.plot.bottom()));
    }
    p.setPen(QPen(rgb(kAxis), std::max(1.0, std::round(s))));
    p.drawLine(QPointF(std::round(f.plot.left()), f.plot.top()),
               QPointF(std::round(f.plot.left()), std::round(f.plot.bottom())));
    p.drawLine(QPointF(std::round(f.plot.left()), std::round(f.plot.bottom())),
               QPointF(f.plot.right(), std::round(f.plot.bottom())));
    const double tickLength = 4 * s;
    for (double t : f.y.ticks)
        p.drawLine(QPointF(f.plot.left() - tickLength, std::round(f.py(t))),
                   QPointF(f.plot.left(), std::round(f.py(t))));
    for (double t : f.x.ticks)
        p.drawLine(QPointF(std::round(f.px(t)), f.plot.bottom()),
                   QPointF(std::round(f.px(t)), f.plot.bottom() + tickLength));
    p.restore();

    p.setFont(canvas.style().tick);
    p.setPen(rgb(kMuted));
    for (double t : f.y.ticks) {
        const QRectF r(0, f.py(t) - tickFm.height() / 2, f.plot.left() - tickLength - 4 * s,
                       tickFm.height());
        p.drawText(r, Qt::AlignRight | Qt::AlignVCenter, f.y.label(t));
    }
    for (double t : f.x.ticks) {
        const QString text = f.x.label(t);
        const double w = tickFm.horizontalAdvance(text) + 2;
        p.drawText(
            QRectF(f.px(t) - w / 2, f.plot.bottom() + tickLength + 3 * s, w, tickFm.height()),
            Qt::AlignCenter, text);
    }

    p.setPen(rgb(kText));
    if (!o.xLabel.isEmpty()) {
        p.setFont(canvas.style().label);
        const double y = f.plot.bottom() + tickLength + 3 * s + tickFm.height() + 4 * s;
        p.drawText(QRectF(f.plot.left(), y, f.plot.width(), labelFm.height()), Qt::AlignCenter,
                   labelFm.elidedText(o.xLabel, Qt::ElideRight, f.plot.width()));
    }
    if (!o.yLabel.isEmpty()) {
        canvas.drawVerticalText(QPointF(canvas.pad() + labelFm.height() / 2, f.plot.center().y()),
                                o.yLabel, f.plot.height(), canvas.style().label);
    }
}

void drawReferenceLine(Canvas &canvas, QPointF a, QPointF b)
{
    QPainter &p = canvas.painter();
    QPen pen(rgb(kReference), 1.3 * canvas.s(), Qt::DashLine);
    pen.setDashPattern({5, 4});
    p.setPen(pen);
    p.drawLine(a, b);
}

void drawDiagonal(Canvas &canvas, const Frame &f)
{
    const double lo = std::max(f.x.lo, f.y.lo), hi = std::min(f.x.hi, f.y.hi);
    if (hi > lo)
        drawReferenceLine(canvas, f.map({lo, lo}), f.map({hi, hi}));
}

void drawZeroLine(Canvas &canvas, const Frame &f)
{
    if (f.y.lo <= 0 && f.y.hi >= 0)
        drawReferenceLine(canvas, {f.plot.left(), f.py(0)}, {f.plot.right(), f.py(0)});
}

struct LegendEntry
{
    QString name;
    QColor color;
};

// Legend box in the plot corner that hides the fewest data points.
void drawLegend(Canvas &canvas, const Frame &f, std::vector<LegendEntry> entries,
                const std::vector<QPointF> &pixelSamples)
{
    if (entries.empty())
        return;
    const int limit = std::clamp(canvas.options().maxItems, 2, 12);
    if (int(entries.size()) > limit) {
        const int more = int(entries.size()) - (limit - 1);
        entries.resize(size_t(limit - 1));
        entries.push_back(
            {QCoreApplication::translate("Charts", "%1 %2 more").arg(kEllipsis).arg(more),
             QColor()});
    }
    QPainter &p = canvas.painter();
    const double s = canvas.s();
    const QFont &font = canvas.style().tick;
    const QFontMetricsF fm(font);
    const double swatch = 18 * s, gap = 6 * s, padding = 8 * s, rowHeight = fm.height() * 1.3;
    const double maxText = std::max(40.0, f.plot.width() * 0.5 - swatch - gap - 2 * padding);
    double textWidth = 0;
    for (const LegendEntry &e : entries)
        textWidth = std::max(textWidth, std::min(maxText, fm.horizontalAdvance(e.name)));
    const QSizeF size(2 * padding + swatch + gap + textWidth + 2,
                      2 * padding + rowHeight * double(entries.size()) - (rowHeight - fm.height()));
    const double inset = 8 * s;
    const QRectF candidates[] = {
        QRectF(QPointF(f.plot.right() - inset - size.width(), f.plot.top() + inset), size),
        QRectF(
            QPointF(f.plot.right() - inset - size.width(), f.plot.bottom() - inset - size.height()),
            size),
        QRectF(QPointF(f.plot.left() + inset, f.plot.top() + inset), size),
        QRectF(QPointF(f.plot.left() + inset, f.plot.bottom() - inset - size.height()), size),
    };
    const QRectF *best = &candidates[0];
    size_t bestHidden = std::numeric_limits<size_t>::max();
    for (const QRectF &r : candidates) {
        // Counted with a margin so the box also keeps clear of lines running just past it.
        const QRectF around = r.adjusted(-6 * s, -6 * s, 6 * s, 6 * s);
        const size_t hidden
            = size_t(std::count_if(pixelSamples.begin(), pixelSamples.end(),
                                   [&](const QPointF &q) { return around.contains(q); }));
        if (hidden < bestHidden) {
            bestHidden = hidden;
            best = &r;
        }
    }

    p.save();
    p.setPen(QPen(rgb(kGrid), 1));
    p.setBrush(rgb(0xFFFFFF, 230));
    p.drawRoundedRect(*best, 4 * s, 4 * s);
    p.setFont(font);
    double y = best->top() + padding;
    for (const LegendEntry &e : entries) {
        const double cy = y + fm.height() / 2;
        if (e.color.isValid()) {
            p.setPen(QPen(e.color, 2.5 * s, Qt::SolidLine, Qt::RoundCap));
            p.drawLine(QPointF(best->left() + padding, cy),
                       QPointF(best->left() + padding + swatch, cy));
            p.setPen(rgb(kText));
        } else {
            p.setPen(rgb(kMuted));
        }
        p.drawText(QRectF(best->left() + padding + swatch + gap, y, textWidth + 2, fm.height()),
                   Qt::AlignLeft | Qt::AlignVCenter,
                   fm.elidedText(e.name, Qt::ElideRight, textWidth));
        y += rowHeight;
    }
    p.restore();
}

struct Range
{
    double lo = std::numeric_limits<double>::infinity();
    double hi = -std::numeric_limits<double>::infinity();
    void add(double v)
    {
        lo = std::min(lo, v);
        hi = std::max(hi, v);
    }
    bool empty() const { return lo > hi; }
};

} // namespace

bool available()
{
    // QFontDatabase aborts the process without a QGuiApplication (Qt 6): check, never crash.
    return qobject_cast<QGuiApplication *>(QCoreApplication::instance()) != nullptr;
}

QColor seriesColor(int index)
{
    constexpr int count = int(sizeof kPalette / sizeof kPalette[0]);
    return rgb(kPalette[((index % count) + count) % count]);
}

// --- bar chart ---------------------------------------------------------------------------------

QImage barChart(const std::vector<Bar> &bars, const ChartOptions &options)
{
    if (!available())
        return {};
    Canvas canvas(options);
    QPainter &p = canvas.painter();
    const double s = canvas.s();
    const double top = canvas.drawHeader();

    const size_t limit = size_t(std::clamp(options.maxItems, 1, 200));
    const size_t shown = std::min(bars.size(), limit);
    const size_t hidden = bars.size() - shown;
    const size_t rows = shown + (hidden > 0 ? 1 : 0);

    Range values;
    for (size_t i = 0; i < shown; ++i) {
        if (finite(bars[i].value))
            values.add(tame(bars[i].value));
    }
    const double lo = values.empty() ? 0 : std::min(0.0, values.lo);
    const double hi = values.empty() ? 1 : std::max(0.0, values.hi);
    const Axis axis = makeAxis(
        lo, hi, options.xMin ? options.xMin : (lo == 0 ? std::optional(0.0) : std::nullopt),
        options.xMax ? options.xMax : (hi == 0 ? std::optional(0.0) : std::nullopt));

    const QFontMetricsF labelFm(canvas.style().label), tickFm(canvas.style().tick);
    const QString moreText
        = QCoreApplication::translate("Charts", "%1 %2 more").arg(kEllipsis).arg(hidden);
    double labelWidth = 0, valueWidth = 0;
    for (size_t i = 0; i < shown; ++i) {
        labelWidth = std::max(labelWidth, labelFm.horizontalAdvance(bars[i].label));
        valueWidth = std::max(
            valueWidth, tickFm.horizontalAdvance(formatValue(bars[i].value, options.decimals)));
    }
    if (hidden > 0)
        labelWidth = std::max(labelWidth, labelFm.horizontalAdvance(moreText));
    labelWidth = std::min(labelWidth, canvas.width() * 0.38);

    const double labelLeft
        = canvas.pad() + (options.yLabel.isEmpty() ? 0 : labelFm.height() + 8 * s);
    const double left = labelLeft + labelWidth + 10 * s;
    const double right = canvas.pad() + valueWidth + 8 * s;
    const double bottomSpace = canvas.pad() + tickFm.height() + 8 * s
                               + (options.xLabel.isEmpty() ? 0 : labelFm.height() + 6 * s);
    const double room = std::max(20.0, canvas.height() - top - bottomSpace);
    const double rowHeight = rows ? std::min(room / double(rows), 40 * s) : room;

    Frame f;
    f.x = axis;
    f.y = makeAxis(0, 1, 0.0, 1.0);
    f.y.ticks.clear(); // categories, not values
    f.plot = QRectF(left, top, std::max(20.0, canvas.width() - left - right),
                    rows ? rowHeight * double(rows) : room);
    drawFrame(canvas, f);

    if (shown == 0) {
        canvas.drawNoData(f.plot);
        return canvas.finish();
    }

    const double zeroX = f.px(std::clamp(0.0, f.x.lo, f.x.hi));
    for (size_t i = 0; i < rows; ++i) {
        const double rowTop = f.plot.top() + double(i) * rowHeight;
        const QRectF labelRect(labelLeft, rowTop, labelWidth, rowHeight);
        p.setFont(canvas.style().label);
        if (i >= shown) {
            p.setPen(rgb(kMuted));
            p.drawText(labelRect, Qt::AlignRight | Qt::AlignVCenter,
                       labelFm.elidedText(moreText, Qt::ElideRight, labelWidth));
            continue;
        }
        const Bar &bar = bars[i];
        p.setPen(rgb(kText));
        p.drawText(labelRect, Qt::AlignRight | Qt::AlignVCenter,
                   labelFm.elidedText(bar.label, Qt::ElideRight, labelWidth));

        const double thickness = rowHeight * 0.7;
        const double y = rowTop + (rowHeight - thickness) / 2;
        const QString valueText = formatValue(bar.value, options.decimals);
        p.setFont(canvas.style().tick);
        if (!finite(bar.value)) {
            p.setPen(rgb(kMuted));
            p.drawText(QRectF(zeroX + 4 * s, rowTop, valueWidth + 4, rowHeight),
                       Qt::AlignLeft | Qt::AlignVCenter, valueText);
            continue;
        }
        const double end = f.px(std::clamp(tame(bar.value), f.x.lo, f.x.hi));
        const QRectF barRect = QRectF(QPointF(std::min(zeroX, end), y),
                                      QPointF(std::max(zeroX, end), y + thickness));
        p.setPen(Qt::NoPen);
        p.setBrush(bar.value < 0 ? seriesColor(3) : seriesColor(0));
        p.drawRoundedRect(barRect, std::min(2.0 * s, barRect.width() / 2),
                          std::min(2.0 * s, thickness / 2));
        p.setPen(rgb(kText));
        const double tw = tickFm.horizontalAdvance(valueText) + 2;
        if (bar.value >= 0)
            p.drawText(QRectF(end + 5 * s, rowTop, tw, rowHeight), Qt::AlignLeft | Qt::AlignVCenter,
                       valueText);
        else
            p.drawText(QRectF(end - 5 * s - tw, rowTop, tw, rowHeight),
                       Qt::AlignRight | Qt::AlignVCenter, valueText);
    }
    if (f.x.lo < 0) {
        p.setPen(QPen(rgb(kAxis), std::max(1.0, std::round(s))));
        p.drawLine(QPointF(zeroX, f.plot.top()), QPointF(zeroX, f.plot.bottom()));
    }
    return canvas.finish();
}

// --- histogram ---------------------------------------------------------------------------------

QImage histogram(const std::vector<double> &edges, const std::vector<double> &counts,
                 const ChartOptions &options)
{
    if (!available())
        return {};
    Canvas canvas(options);
    const double top = canvas.drawHeader();

    struct Bin
    {
        double from, to, count;
    };
    std::vector<Bin> bins;
    const size_t n = edges.size() >= 2 ? std::min(counts.size(), edges.size() - 1) : 0;
    Range xs, ys;
    ys.add(0);
    for (size_t i = 0; i < n; ++i) {
        if (!finite(edges[i]) || !finite(edges[i + 1]) || !finite(counts[i]))
            continue;
        const Bin bin{tame(std::min(edges[i], edges[i + 1])),
                      tame(std::max(edges[i], edges[i + 1])), tame(counts[i])};
        bins.push_back(bin);
        xs.add(bin.from);
        xs.add(bin.to);
        ys.add(bin.count);
    }

    const Axis x
        = makeAxis(xs.empty() ? 0 : xs.lo, xs.empty() ? 1 : xs.hi, options.xMin, options.xMax, 8);
    const Axis y
        = makeAxis(ys.lo, ys.hi,
                   options.yMin ? options.yMin : (ys.lo == 0 ? std::optional(0.0) : std::nullopt),
                   options.yMax);
    const Frame f = layoutFrame(canvas, x, y, top);
    drawFrame(canvas, f, false);

    QPainter &p = canvas.painter();
    p.save();
    p.setClipRect(f.plot);
    p.setPen(QPen(Qt::white, 1));
    p.setBrush(seriesColor(0));
    for (const Bin &bin : bins) {
        const double base = std::clamp(0.0, f.y.lo, f.y.hi);
        p.drawRect(QRectF(QPointF(f.px(bin.from), f.py(std::clamp(bin.count, f.y.lo, f.y.hi))),
                          QPointF(f.px(bin.to), f.py(base)))
                       .normalized());
    }
    p.restore();
    if (bins.empty())
        canvas.drawNoData(f.plot);
    return canvas.finish();
}

// --- line chart --------------------------------------------------------------------------------

QImage lineChart(const std::vector<Series> &series, const ChartOptions &options)
{
    if (!available())
        return {};
    Canvas canvas(options);
    const double top = canvas.drawHeader();

    std::vector<std::vector<QPointF>> clean(series.size());
    Range xs, ys;
    for (size_t i = 0; i < series.size(); ++i) {
        for (const QPointF &pt : series[i].points) {
            if (!finite(pt.x()) || !finite(pt.y()))
                continue; // a gap in the data, not a crash
            const QPointF q(tame(pt.x()), tame(pt.y()));
            clean[i].push_back(q);
            xs.add(q.x());
            ys.add(q.y());
        }
    }
    if (options.zeroLine && !ys.empty())
        ys.add(0);
    const Axis x
        = makeAxis(xs.empty() ? 0 : xs.lo, xs.empty() ? 1 : xs.hi, options.xMin, options.xMax, 7);
    const Axis y
        = makeAxis(ys.empty() ? 0 : ys.lo, ys.empty() ? 1 : ys.hi, options.yMin, options.yMax);
    const Frame f = layoutFrame(canvas, x, y, top);
    drawFrame(canvas, f);

    QPainter &p = canvas.painter();
    const double s = canvas.s();
    p.save();
    p.setClipRect(f.plot.adjusted(-3 * s, -3 * s, 3 * s, 3 * s));
    if (options.diagonal)
        drawDiagonal(canvas, f);
    if (options.zeroLine)
        drawZeroLine(canvas, f);

    std::vector<QPointF> samples; // pixel positions the legend should not cover
    std::vector<LegendEntry> legend;
    for (size_t i = 0; i < clean.size(); ++i) {
        const QColor color = seriesColor(int(i));
        const std::vector<QPointF> &pts = clean[i];
        if (!series[i].name.isEmpty())
            legend.push_back({series[i].name, color});
        if (pts.empty())
            continue;
        QPainterPath path(f.map(pts.front()));
        samples.push_back(f.map(pts.front()));
        for (size_t k = 1; k < pts.size(); ++k) {
            const QPointF a = f.map(pts[k - 1]), b = f.map(pts[k]);
            if (series[i].steps)
                path.lineTo(b.x(), a.y());
            path.lineTo(b);
            for (int j = 1; j <= 8; ++j)
                samples.push_back(a + (b - a) * (j / 8.0));
        }
        p.setBrush(Qt::NoBrush);
        p.setPen(QPen(color, 2.2 * s, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
        p.drawPath(path);
        if (series[i].markers || pts.size() == 1) {
            p.setPen(QPen(Qt::white, 1.2 * s));
            p.setBrush(color);
            for (const QPointF &pt : pts)
                p.drawEllipse(f.map(pt), 4 * s, 4 * s);
        }
    }
    p.restore();
    if (xs.empty())
        canvas.drawNoData(f.plot);
    drawLegend(canvas, f, std::move(legend), samples);
    return canvas.finish();
}

// --- scatter -----------------------------------------------------------------------------------

QImage scatter(const std::vector<QPointF> &points, const ChartOptions &options)
{
    if (!available())
        return {};
    Canvas canvas(options);
    const double top = canvas.drawHeader();

    // Deterministic thinning keeps huge inputs fast; 20k dots already saturate 800×500 pixels.
    const size_t stride = points.size() > kMaxScatterPoints
                              ? (points.size() + kMaxScatterPoints - 1) / kMaxScatterPoints
                              : 1;
    std::vector<QPointF> clean;
    Range xs, ys;
    for (size_t i = 0; i < points.size(); i += stride) {
        const QPointF &pt = points[i];
        if (!finite(pt.x()) || !finite(pt.y()))
            continue;
        const QPointF q(tame(pt.x()), tame(pt.y()));
        clean.push_back(q);
        xs.add(q.x());
        ys.add(q.y());
    }
    if (options.diagonal && !clean.empty()) {
        xs.add(ys.lo);
        xs.add(ys.hi);
        ys = xs;
    }
    if (options.zeroLine && !clean.empty())
        ys.add(0);
    const Axis x
        = makeAxis(xs.empty() ? 0 : xs.lo, xs.empty() ? 1 : xs.hi, options.xMin, options.xMax, 7);
    const Axis y
        = makeAxis(ys.empty() ? 0 : ys.lo, ys.empty() ? 1 : ys.hi, options.yMin, options.yMax);
    const Frame f = layoutFrame(canvas, x, y, top);
    drawFrame(canvas, f);

    QPainter &p = canvas.painter();
    const double s = canvas.s();
    p.save();
    p.setClipRect(f.plot.adjusted(-4 * s, -4 * s, 4 * s, 4 * s));
    if (options.diagonal)
        drawDiagonal(canvas, f);
    if (options.zeroLine)
        drawZeroLine(canvas, f);
    // Fewer points: bigger, opaque dots; many points: small translucent ones so density shows.
    const double radius = (clean.size() <= 200 ? 4.0 : clean.size() <= 2000 ? 3.0 : 2.0) * s;
    const int alpha = clean.size() <= 200 ? 210 : clean.size() <= 2000 ? 140 : 80;
    p.setPen(clean.size() <= 200 ? QPen(Qt::white, 0.8 * s) : QPen(Qt::NoPen));
    p.setBrush(rgb(kPalette[0], alpha));
    for (const QPointF &pt : clean)
        p.drawEllipse(f.map(pt), radius, radius);
    p.restore();
    if (clean.empty())
        canvas.drawNoData(f.plot);
    return canvas.finish();
}

// --- heatmap -----------------------------------------------------------------------------------

QImage heatmap(const std::vector<std::vector<double>> &matrix, const QStringList &rowLabels,
               const QStringList &columnLabels, const ChartOptions &options)
{
    if (!available())
        return {};
    Canvas canvas(options);
    QPainter &p = canvas.painter();
    const double s = canvas.s();

    const size_t limit = size_t(std::clamp(options.maxItems, 1, 200));
    size_t columns = 0;
    for (const auto &row : matrix)
        columns = std::max(columns, row.size());
    const size_t rows = matrix.size();
    const size_t shownRows = std::min(rows, limit), shownColumns = std::min(columns, limit);
    QString note;
    if (shownRows < rows || shownColumns < columns) {
        note = QCoreApplication::translate("Charts",
                                           "Showing the first %1 of %2 rows and %3 of %4 columns")
                   .arg(shownRows)
                   .arg(rows)
                   .arg(shownColumns)
                   .arg(columns);
    }
    const double top = canvas.drawHeader(note);

    auto cell = [&](size_t r, size_t c) {
        return c < matrix[r].size() ? matrix[r][c] : std::numeric_limits<double>::quiet_NaN();
    };
    auto rowLabel = [&](size_t r) {
        return r < size_t(rowLabels.size()) ? rowLabels[qsizetype(r)] : QString::number(r);
    };
    auto columnLabel = [&](size_t c) {
        return c < size_t(columnLabels.size()) ? columnLabels[qsizetype(c)] : QString::number(c);
    };

    Range values;
    for (size_t r = 0; r < shownRows; ++r) {
        for (size_t c = 0; c < shownColumns; ++c) {
            if (finite(cell(r, c)))
                values.add(tame(cell(r, c)));
        }
    }
    double lo, hi;
    if (options.palette == Palette::Diverging) {
        const double m = values.empty() ? 1 : std::max(std::abs(values.lo), std::abs(values.hi));
        lo = -m;
        hi = m;
    } else {
        lo = values.empty() ? 0 : std::min(0.0, values.lo);
        hi = values.empty() ? 1 : values.hi;
    }
    if (options.colorMin && finite(*options.colorMin))
        lo = *options.colorMin;
    if (options.colorMax && finite(*options.colorMax))
        hi = *options.colorMax;
    if (!(hi > lo))
        hi = lo + 1;

    const QFontMetricsF labelFm(canvas.style().label), tickFm(canvas.style().tick);
    double rowLabelWidth = 0, columnLabelWidth = 0;
    for (size_t r = 0; r < shownRows; ++r)
        rowLabelWidth = std::max(rowLabelWidth, tickFm.horizontalAdvance(rowLabel(r)));
    for (size_t c = 0; c < shownColumns; ++c)
        columnLabelWidth = std::max(columnLabelWidth, tickFm.horizontalAdvance(columnLabel(c)));
    rowLabelWidth = std::min(rowLabelWidth, canvas.width() * 0.25);
    const QString loText = formatValue(lo, -1), hiText = formatValue(hi, -1);
    const double barWidth = 14 * s;
    const double scaleTextWidth
        = std::max(tickFm.horizontalAdvance(loText), tickFm.horizontalAdvance(hiText));

    const double left = canvas.pad() + (options.yLabel.isEmpty() ? 0 : labelFm.height() + 8 * s)
                        + rowLabelWidth + 8 * s;
    const double right = canvas.pad() + 16 * s + barWidth + 6 * s + scaleTextWidth;
    const double gridWidth = std::max(20.0, canvas.width() - left - right);
    const double cellWidth = shownColumns ? gridWidth / double(shownColumns) : gridWidth;
    // Column labels lie flat when they fit their cell, otherwise they stand up.
    const bool rotated = columnLabelWidth > cellWidth - 6 * s;
    const double columnLabelSpace
        = rotated ? std::min(columnLabelWidth, canvas.height() * 0.25) : tickFm.height();
    const double bottom = canvas.pad() + 6 * s + columnLabelSpace
                          + (options.xLabel.isEmpty() ? 0 : labelFm.height() + 8 * s);
    const QRectF grid(left, top, gridWidth, std::max(20.0, canvas.height() - top - bottom));

    if (shownRows == 0 || shownColumns == 0) {
        canvas.drawNoData(grid);
        return canvas.finish();
    }
    const double cellHeight = grid.height() / double(shownRows);

    // Largest font (≤ tick size) whose widest cell text fits the cell; none when cells are tiny.
    double widestText = 0;
    for (size_t r = 0; r < shownRows; ++r) {
        for (size_t c = 0; c < shownColumns; ++c)
            widestText = std::max(
                widestText, tickFm.horizontalAdvance(formatValue(cell(r, c), options.decimals)));
    }
    QFont cellFont = canvas.style().tick;
    const double basePixels = cellFont.pixelSize();
    double fitted = basePixels;
    if (widestText > 0)
        fitted = std::min(fitted, basePixels * (cellWidth - 4 * s) / widestText);
    fitted = std::min(fitted, (cellHeight - 2) / 1.25);
    const bool showValues = fitted >= 7;
    if (showValues)
        cellFont.setPixelSize(int(std::floor(fitted)));

    p.setFont(cellFont);
    for (size_t r = 0; r < shownRows; ++r) {
        for (size_t c = 0; c < shownColumns; ++c) {
            const QRectF rect(grid.left() + double(c) * cellWidth,
                              grid.top() + double(r) * cellHeight, cellWidth, cellHeight);
            const double v = cell(r, c);
            const QColor color = finite(v) ? colorAt((tame(v) - lo) / (hi - lo), options.palette)
                                           : rgb(kMissingCell);
            p.fillRect(rect, color);
            if (showValues) {
                p.setPen(isDark(color) ? QColor(Qt::white) : rgb(kText));
                p.drawText(rect, Qt::AlignCenter, formatValue(v, options.decimals));
            }
        }
    }
    // Thin white separators read as a table without boxing every cell in black.
    if (cellWidth > 6 && cellHeight > 6) {
        p.save();
        p.setRenderHint(QPainter::Antialiasing, false);
        p.setPen(QPen(Qt::white, 1));
        for (size_t c = 1; c < shownColumns; ++c)
            p.drawLine(QPointF(grid.left() + double(c) * cellWidth, grid.top()),
                       QPointF(grid.left() + double(c) * cellWidth, grid.bottom()));
        for (size_t r = 1; r < shownRows; ++r)
            p.drawLine(QPointF(grid.left(), grid.top() + double(r) * cellHeight),
                       QPointF(grid.right(), grid.top() + double(r) * cellHeight));
        p.restore();
    }

    // Row labels (skipped when rows are thinner than the text) and column labels.
    p.setFont(canvas.style().tick);
    p.setPen(rgb(kText));
    const size_t rowEvery = size_t(std::max(1.0, std::ceil(tickFm.height() / cellHeight)));
    for (size_t r = 0; r < shownRows; r += rowEvery) {
        const QRectF rect(left - 8 * s - rowLabelWidth, grid.top() + double(r) * cellHeight,
                          rowLabelWidth, cellHeight);
        p.drawText(rect, Qt::AlignRight | Qt::AlignVCenter | Qt::TextDontClip,
                   tickFm.elidedText(rowLabel(r), Qt::ElideRight, rowLabelWidth));
    }
    const size_t columnEvery
        = rotated ? size_t(std::max(1.0, std::ceil(tickFm.height() / cellWidth))) : 1;
    for (size_t c = 0; c < shownColumns; c += columnEvery) {
        const double cx = grid.left() + (double(c) + 0.5) * cellWidth;
        const QString text = tickFm.elidedText(columnLabel(c), Qt::ElideRight,
                                               rotated ? columnLabelSpace : cellWidth);
        if (rotated) {
            p.save();
            p.translate(cx, grid.bottom() + 6 * s);
            p.rotate(-90);
            p.drawText(
                QRectF(-columnLabelSpace, -tickFm.height() / 2, columnLabelSpace, tickFm.height()),
                Qt::AlignRight | Qt::AlignVCenter | Qt::TextDontClip, text);
            p.restore();
        } else {
            p.drawText(
                QRectF(cx - cellWidth / 2, grid.bottom() + 6 * s, cellWidth, tickFm.height()),
                Qt::AlignCenter | Qt::TextDontClip, text);
        }
    }
    if (!options.xLabel.isEmpty()) {
        p.setFont(canvas.style().label);
        const double y = grid.bottom() + 6 * s + columnLabelSpace + 6 * s;
        p.drawText(QRectF(grid.left(), y, grid.width(), labelFm.height()), Qt::AlignCenter,
                   labelFm.elidedText(options.xLabel, Qt::ElideRight, grid.width()));
    }
    if (!options.yLabel.isEmpty()) {
        canvas.drawVerticalText(QPointF(canvas.pad() + labelFm.height() / 2, grid.center().y()),
                                options.yLabel, grid.height(), canvas.style().label);
    }

    // Colour bar with its range.
    const QRectF bar(grid.right() + 16 * s, grid.top(), barWidth, grid.height());
    QLinearGradient gradient(bar.bottomLeft(), bar.topLeft());
    for (int i = 0; i <= 16; ++i)
        gradient.setColorAt(i / 16.0, colorAt(i / 16.0, options.palette));
    p.fillRect(bar, gradient);
    p.setPen(QPen(rgb(kGrid), 1));
    p.setBrush(Qt::NoBrush);
    p.drawRect(bar);
    p.setFont(canvas.style().tick);
    p.setPen(rgb(kMuted));
    const double textLeft = bar.right() + 6 * s;
    p.drawText(QRectF(textLeft, bar.top(), scaleTextWidth + 2, tickFm.height()),
               Qt::AlignLeft | Qt::AlignTop, hiText);
    p.drawText(
        QRectF(textLeft, bar.bottom() - tickFm.height(), scaleTextWidth + 2, tickFm.height()),
        Qt::AlignLeft | Qt::AlignBottom, loText);
    if (options.palette == Palette::Diverging && lo < 0 && hi > 0) {
        const double zeroY = bar.bottom() - (0 - lo) / (hi - lo) * bar.height();
        if (zeroY - bar.top() > tickFm.height() * 1.2
            && bar.bottom() - zeroY > tickFm.height() * 1.2)
            p.drawText(
                QRectF(textLeft, zeroY - tickFm.height() / 2, scaleTextWidth + 2, tickFm.height()),
                Qt::AlignLeft | Qt::AlignVCenter, QStringLiteral("0"));
    }
    return canvas.finish();
}

} // namespace baton::charts
