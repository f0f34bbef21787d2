#include "Profile.h"

#include <algorithm>
#include <cmath>

namespace baton {

namespace {

// NaN and infinities become null here already, so every payload is strict even before
// toStrictJson() sees it.
json number(double value)
{
    return std::isfinite(value) ? json(value) : json(nullptr);
}

// Percentages for the protocol payloads: two decimals, like the upstream profile.
double round2(double value)
{
    return std::isfinite(value) ? std::round(value * 100.0) / 100.0 : value;
}

json valueCounts(const std::vector<ValueCount> &values, qint64 total)
{
    json out = json::array();
    for (const ValueCount &v : values) {
        out.push_back({{"value", toStd(v.value)},
                       {"count", v.count},
                       {"fraction", number(total > 0 ? double(v.count) / double(total) : NAN)}});
    }
    return out;
}

} // namespace

QString typeGroupName(TypeGroup group)
{
    switch (group) {
    case TypeGroup::Numeric: return QStringLiteral("numeric");
    case TypeGroup::Categorical: return QStringLiteral("categorical");
    case TypeGroup::DateTime: return QStringLiteral("datetime");
    case TypeGroup::Other: return QStringLiteral("other");
    }
    return QStringLiteral("other");
}

TypeGroup typeGroupOf(ColumnType type)
{
    switch (type) {
    case ColumnType::Float64:
    case ColumnType::Int64: return TypeGroup::Numeric;
    case ColumnType::Bool:
    case ColumnType::Categorical: return TypeGroup::Categorical;
    case ColumnType::DateTime: return TypeGroup::DateTime;
    case ColumnType::Text: return TypeGroup::Other;
    }
    return TypeGroup::Other;
}

QString warningSeverityName(WarningSeverity severity)
{
    switch (severity) {
    case WarningSeverity::Info: return QStringLiteral("info");
    case WarningSeverity::Warning: return QStringLiteral("warning");
    case WarningSeverity::Critical: return QStringLiteral("critical");
    }
    return QStringLiteral("warning");
}

json Histogram::toJson() const
{
    json edgesJson = json::array();
    for (double e : edges)
        edgesJson.push_back(number(e));
    return {{"edges", edgesJson}, {"counts", counts}};
}

double NumericStats::quantile(double q) const
{
    for (const Quantile &quantile : quantiles) {
        if (std::abs(quantile.q - q) < 1e-12)
            return quantile.value;
    }
    return std::numeric_limits<double>::quiet_NaN();
}

json ColumnProfile::toJson() const
{
    json out = {{"name", toStd(name)},
                {"type", toStd(columnTypeName(type))},
                {"group", toStd(typeGroupName(group()))},
                {"count", count},
                {"missing", missing},
                {"missing_pct", number(missingPct)},
                {"distinct", distinct},
                {"id_like", idLike},
                {"is_target", isTarget}};
    if (numeric) {
        json quantilesJson = json::array();
        for (const Quantile &q : numeric->quantiles)
            quantilesJson.push_back({{"q", q.q}, {"value", number(q.value)}});
        out["numeric"] = {{"min", number(numeric->min)},
                          {"max", number(numeric->max)},
                          {"mean", number(numeric->mean)},
                          {"std", number(numeric->std)},
                          {"skewness", number(numeric->skewness)},
                          {"zeros", numeric->zeros},
                          {"quantiles", quantilesJson},
                          {"histogram", numeric->histogram.toJson()}};
    }
    if (!topValues.empty() || type == ColumnType::Categorical || type == ColumnType::Text
        || type == ColumnType::Bool) {
        out["top_values"] = valueCounts(topValues, count);
    }
    if (type == ColumnType::DateTime) {
        out["datetime"] = {{"min", dateMin.isEmpty() ? json(nullptr) : json(toStd(dateMin))},
                           {"max", dateMax.isEmpty() ? json(nullptr) : json(toStd(dateMax))}};
    }
    return out;
}

json ProfileWarning::toJson() const
{
    return {{"code", toStd(code)},
            {"column", column.isEmpty() ? json(nullptr) : json(toStd(column))},
            {"severity", toStd(warningSeverityName(severity))},
            {"message", toStd(message)},
            {"reason", toStd(reason)},
            {"proposal", proposal}};
}

json TargetProfile::toJson() const
{
    if (kind == TargetKind::None)
        return nullptr;
    json out = {{"column", toStd(column)},
                {"kind", kind == TargetKind::Classes ? "classes" : "histogram"},
                {"task", kind == TargetKind::Classes ? "classification" : "regression"},
                {"missing", missing}};
    if (kind == TargetKind::Classes) {
        qint64 total = 0;
        for (const ValueCount &c : classes)
            total += c.count;
        out["classes"] = valueCounts(classes, total);
    } else {
        out["histogram"] = histogram.toJson();
    }
    return out;
}

double CorrelationMatrix::value(const QString &a, const QString &b) const
{
    const qsizetype i = columns.indexOf(a);
    const qsizetype j = columns.indexOf(b);
    if (i < 0 || j < 0)
        return std::numeric_limits<double>::quiet_NaN();
    return at(int(i), int(j));
}

json CorrelationMatrix::toJson() const
{
    json names = json::array();
    for (const QString &c : columns)
        names.push_back(toStd(c));
    json matrix = json::array();
    for (int i = 0; i < columns.size(); ++i) {
        json row = json::array();
        for (int j = 0; j < columns.size(); ++j)
            row.push_back(number(at(i, j)));
        matrix.push_back(std::move(row));
    }
    return {{"method", "pearson"},
            {"columns", names},
            {"matrix", matrix},
            {"numeric_column_count", numericColumnCount},
            {"truncated", truncated}};
}

json TargetAssociation::toJson() const
{
    return {{"column", toStd(column)},
            {"measure", toStd(measure)},
            {"value", number(value)},
            {"predictor_metric", toStd(predictorMetric)},
            {"predictor_score", number(predictorScore)},
            {"rows", rows}};
}

int ProfileSummary::typeCount(ColumnType type) const
{
    for (const auto &[name, count] : typeCounts) {
        if (name == columnTypeName(type))
            return count;
    }
    return 0;
}

int ProfileSummary::groupCount(TypeGroup group) const
{
    for (const auto &[name, count] : groupCounts) {
        if (name == typeGroupName(group))
            return count;
    }
    return 0;
}

json ProfileSummary::toJson() const
{
    json types = json::object();
    for (const auto &[name, count] : typeCounts)
        types[toStd(name)] = count;
    json groups = json::object();
    for (const auto &[name, count] : groupCounts)
        groups[toStd(name)] = count;
    return {{"rows", rows},
            {"columns", columns},
            {"total_cells", rows * qint64(columns)},
            {"missing_cells", missingCells},
            {"missing_pct", number(missingPct)},
            {"types", types},
            {"type_groups", groups},
            {"memory_bytes", memoryBytes},
            {"memory_mb", number(memoryMb())},
            {"duplicate_rows", duplicateRows}};
}

const ColumnProfile *Profile::column(const QString &name) const
{
    for (const ColumnProfile &c : columns) {
        if (c.name == name)
            return &c;
    }
    return nullptr;
}

const TargetAssociation *Profile::association(const QString &column) const
{
    for (const TargetAssociation &a : associations) {
        if (a.column == column)
            return &a;
    }
    return nullptr;
}

std::vector<const ProfileWarning *> Profile::warningsWithCode(const QString &code) const
{
    std::vector<const ProfileWarning *> out;
    for (const ProfileWarning &w : warnings) {
        if (w.code == code)
            out.push_back(&w);
    }
    return out;
}

bool Profile::hasWarning(const QString &code, const QString &column) const
{
    for (const ProfileWarning &w : warnings) {
        if (w.code == code && (column.isEmpty() || w.column == column))
            return true;
    }
    return false;
}

json Profile::toJson() const
{
    json columnsJson = json::array();
    for (const ColumnProfile &c : columns)
        columnsJson.push_back(c.toJson());

    // The library contract's missingness table: an array sorted by missing_pct, highest first.
    std::vector<const ColumnProfile *> byMissing;
    for (const ColumnProfile &c : columns)
        byMissing.push_back(&c);
    std::stable_sort(byMissing.begin(), byMissing.end(),
                     [](const ColumnProfile *a, const ColumnProfile *b) {
                         return a->missingPct > b->missingPct;
                     });
    json missingness = json::array();
    for (const ColumnProfile *c : byMissing) {
        missingness.push_back({{"column", toStd(c->name)},
                               {"dtype", toStd(columnTypeName(c->type))},
                               {"missing_count", c->missing},
                               {"missing_pct", number(round2(c->missingPct))},
                               {"present_count", c->count}});
    }

    json associationsJson = json::array();
    for (const TargetAssociation &a : associations)
        associationsJson.push_back(a.toJson());
    json warningsJson = json::array();
    for (const ProfileWarning &w : warnings)
        warningsJson.push_back(w.toJson());

    json out = {{"summary", summary.toJson()},
                {"columns", columnsJson},
                {"missingness", missingness},
                {"target", target.toJson()},
                {"correlations", correlations.toJson()},
                {"target_associations", associationsJson},
                {"warnings", warningsJson}};
    replaceNonFinite(out);
    return out;
}

json Profile::toProtocolSummary() const
{
    const qint64 totalCells = summary.rows * qint64(summary.columns);

    json typesBreakdown = json::object();
    for (TypeGroup g : {TypeGroup::Numeric, TypeGroup::Categorical, TypeGroup::DateTime,
                        TypeGroup::Other}) {
        typesBreakdown[toStd(typeGroupName(g))] = summary.groupCount(g);
    }
    json warningStrings = json::array();
    for (const ProfileWarning &w : warnings)
        warningStrings.push_back(toStd(w.message));

    // Stage shape: pandas' object columns are our categorical, bool and text columns; the UI
    // only counts them, so datetime columns are in neither list.
    json columnNames = json::array();
    json dtypes = json::object();
    json missingValues = json::object();
    json numericColumns = json::array();
    json categoricalColumns = json::array();
    json numericStats = json::object();
    json categoricalStats = json::object();
    for (const ColumnProfile &c : columns) {
        const std::string name = toStd(c.name);
        columnNames.push_back(name);
        dtypes[name] = toStd(columnTypeName(c.type));
        // Upstream lists only the columns that have missing values.
        if (c.missing > 0)
            missingValues[name] = {{"count", c.missing}, {"percentage", number(round2(c.missingPct))}};
        if (c.numeric) {
            numericColumns.push_back(name);
            numericStats[name] = {{"mean", number(c.numeric->mean)},
                                  {"std", number(c.numeric->std)},
                                  {"min", number(c.numeric->min)},
                                  {"max", number(c.numeric->max)}};
        } else if (c.type == ColumnType::Categorical || c.type == ColumnType::Bool
                   || c.type == ColumnType::Text) {
            categoricalColumns.push_back(name);
            categoricalStats[name] = {
                {"unique_values", c.distinct},
                {"most_common",
                 c.topValues.empty() ? json(nullptr) : json(toStd(c.topValues.front().value))}};
        }
    }
    const double memoryMb = round2(summary.memoryMb());
    const json summaryJson = {{"total_missing_values", summary.missingCells},
                              {"missing_percentage", number(round2(summary.missingPct))},
                              {"numeric_column_count", numericColumns.size()},
                              {"categorical_column_count", categoricalColumns.size()},
                              {"memory_usage_mb", memoryMb},
                              {"total_cells", totalCells},
                              {"column_types", dtypes},
                              {"duplicate_rows", summary.duplicateRows},
                              {"completeness_percentage",
                               number(round2(100.0 - summary.missingPct))}};
    json profile = {{"rows", summary.rows},
                    {"columns", summary.columns},
                    {"column_names", columnNames},
                    {"dtypes", dtypes},
                    {"missing_values", missingValues},
                    {"numeric_columns", numericColumns},
                    {"categorical_columns", categoricalColumns},
                    {"memory_usage_mb", memoryMb},
                    {"numeric_stats", numericStats},
                    {"categorical_stats", categoricalStats},
                    {"column_types", dtypes},
                    {"total_cells", totalCells},
                    {"summary", summaryJson}};
    json out = {{"n_rows", summary.rows},
                {"n_cols", summary.columns},
                {"missing_pct", number(round2(summary.missingPct))},
                {"types_breakdown", typesBreakdown},
                {"warnings", warningStrings},
                {"profile", profile}};
    replaceNonFinite(out);
    return out;
}

} // namespace baton
