#include "Preprocessor.h"

#include "core/ml/Split.h"

#include <QHash>
#include <QRegularExpression>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <unordered_map>
#include <unordered_set>

namespace baton {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr int64_t kMsPerDay = 86400000;

const QStringList kDateParts = {QStringLiteral("year"), QStringLiteral("month"),
                                QStringLiteral("day"), QStringLiteral("dayofweek"),
                                QStringLiteral("dayofyear"), QStringLiteral("hour"),
                                QStringLiteral("minute")};

double numericCell(const Column &column, qsizetype row)
{
    if (column.isMissing(row))
        return kNaN;
    switch (column.type()) {
    case ColumnType::Float64: return column.float64Values()[size_t(row)];
    case ColumnType::Int64: return double(column.int64Values()[size_t(row)]);
    case ColumnType::Bool: return column.boolValues()[size_t(row)] ? 1.0 : 0.0;
    default: return kNaN;
    }
}

bool isNumericType(ColumnType type)
{
    return type == ColumnType::Float64 || type == ColumnType::Int64 || type == ColumnType::Bool;
}

// Days since 1970-01-01 to a civil date (H. Hinnant's algorithm): exact and fast.
void civilFromDays(int64_t z, int &year, int &month, int &day)
{
    z += 719468;
    const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const auto doe = unsigned(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    day = int(doy - (153 * mp + 2) / 5 + 1);
    month = int(mp < 10 ? mp + 3 : mp - 9);
    year = int(yoe + era * 400 + (month <= 2));
}

double datePart(int64_t ms, const QString &part)
{
    const int64_t days = ms >= 0 ? ms / kMsPerDay : (ms - kMsPerDay + 1) / kMsPerDay;
    const int64_t msOfDay = ms - days * kMsPerDay;
    int y = 0, m = 0, d = 0;
    civilFromDays(days, y, m, d);
    if (part == QLatin1String("year"))
        return y;
    if (part == QLatin1String("month"))
        return m;
    if (part == QLatin1String("day"))
        return d;
    if (part == QLatin1String("dayofweek"))
        return double(((days % 7) + 7 + 3) % 7); // Monday = 0, as pandas
    if (part == QLatin1String("dayofyear")) {
        static const int cumulative[] = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};
        const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
        return cumulative[m - 1] + d + (leap && m > 2 ? 1 : 0);
    }
    if (part == QLatin1String("hour"))
        return double(msOfDay / 3600000);
    return double((msOfDay / 60000) % 60); // minute
}

double median(std::vector<double> values)
{
    if (values.empty())
        return 0.0;
    const size_t mid = values.size() / 2;
    std::nth_element(values.begin(), values.begin() + std::ptrdiff_t(mid), values.end());
    const double upper = values[mid];
    if (values.size() % 2 == 1)
        return upper;
    const double lower = *std::max_element(values.begin(), values.begin() + std::ptrdiff_t(mid));
    return (lower + upper) / 2.0;
}

void meanStd(const std::vector<double> &values, double &mean, double &std)
{
    mean = values.empty() ? 0.0 : std::accumulate(values.begin(), values.end(), 0.0) / double(values.size());
    double ss = 0;
    for (double v : values)
        ss += (v - mean) * (v - mean);
    std = values.size() > 1 ? std::sqrt(ss / double(values.size())) : 0.0;
    if (std == 0 || !std::isfinite(std))
        std = 1.0; // a constant feature scales to zero rather than dividing by zero
}

bool looksLikeId(const QString &name)
{
    static const QRegularExpression pattern(
        QStringLiteral("(^|_|\\b)(id|pid|uuid|guid|index|order)$"),
        QRegularExpression::CaseInsensitiveOption);
    return pattern.match(name).hasMatch();
}

Error badInput(const QString &code, const QString &message, const QString &context = {})
{
    return makeError(ErrorKind::BadInput, code, message, context);
}

// Reads a trained numeric column from a table whose column may have been inferred differently
// (e.g. one stray word made it text): every present value must still read as a number.
Result<std::vector<double>> numericColumnAs(const Column &column, const std::vector<int64_t> &rows)
{
    std::vector<double> out(rows.size());
    if (isNumericType(column.type())) {
        for (size_t i = 0; i < rows.size(); ++i)
            out[i] = numericCell(column, rows[i]);
        return out;
    }
    for (size_t i = 0; i < rows.size(); ++i) {
        const QString text = column.displayValue(rows[i]);
        if (text.isNull()) {
            out[i] = kNaN;
            continue;
        }
        bool ok = false;
        const QString trimmed = text.trimmed();
        out[i] = trimmed.toDouble(&ok);
        if (!ok) {
            if (trimmed.compare(QLatin1String("true"), Qt::CaseInsensitive) == 0)
                out[i] = 1;
            else if (trimmed.compare(QLatin1String("false"), Qt::CaseInsensitive) == 0)
                out[i] = 0;
            else
                return badInput(QStringLiteral("predict.not_numeric"),
                                QStringLiteral("Column “%1”, row %2: expected a number, found “%3”")
                                    .arg(column.name())
                                    .arg(rows[i] + 1)
                                    .arg(text.left(40)));
        }
    }
    return out;
}

std::vector<int> categoryCodes(const ColumnRule &rule, const Column &column,
                               const std::vector<int64_t> &rows)
{
    QHash<QString, int> index;
    for (int i = 0; i < rule.categories.size(); ++i)
        index.insert(rule.categories.at(i), i);
    std::vector<int> out(rows.size(), -1);
    if (column.type() == ColumnType::Categorical) {
        // map the dictionary once, not every cell
        std::vector<int> remap(column.dictionary().size(), -1);
        for (size_t d = 0; d < remap.size(); ++d)
            remap[d] = index.value(column.dictionary()[d], -1);
        for (size_t i = 0; i < rows.size(); ++i) {
            const int32_t code = column.codes()[size_t(rows[i])];
            out[i] = code < 0 ? -1 : remap[size_t(code)];
        }
        return out;
    }
    for (size_t i = 0; i < rows.size(); ++i) {
        const QString text = column.displayValue(rows[i]);
        out[i] = text.isNull() ? -1 : index.value(text, -1);
    }
    return out;
}

Result<std::vector<int64_t>> dateColumnAs(const ColumnRule &rule, const Column &column,
                                          const std::vector<int64_t> &rows,
                                          std::vector<uint8_t> &missing)
{
    if (column.type() != ColumnType::DateTime) {
        return badInput(QStringLiteral("predict.not_datetime"),
                        QStringLiteral("Column “%1” should hold dates (%2) but reads as %3")
                            .arg(rule.name, columnTypeName(ColumnType::DateTime),
                                 columnTypeName(column.type())));
    }
    std::vector<int64_t> out(rows.size());
    missing.assign(rows.size(), 0);
    for (size_t i = 0; i < rows.size(); ++i) {
        missing[i] = column.isMissing(rows[i]);
        out[i] = missing[i] ? 0 : column.int64Values()[size_t(rows[i])];
    }
    return out;
}

std::vector<int64_t> allRows(const Table &table)
{
    std::vector<int64_t> rows(size_t(table.rowCount()));
    std::iota(rows.begin(), rows.end(), 0);
    return rows;
}

Result<const Column *> findColumn(const Table &table, const QString &name)
{
    const auto index = table.columnIndex(name);
    if (!index) {
        return badInput(QStringLiteral("predict.missing_column"),
                        QStringLiteral("Column “%1” is missing from the data (the model was trained "
                                       "with it)")
                            .arg(name));
    }
    return &table.column(*index);
}

bool numericLess(const QString &a, const QString &b)
{
    bool okA = false, okB = false;
    const double x = a.toDouble(&okA);
    const double y = b.toDouble(&okB);
    if (okA && okB)
        return x < y;
    return a < b;
}

double sampleSkew(const std::vector<double> &values)
{
    if (values.size() < 3)
        return 0;
    double mean = 0, std = 0;
    meanStd(values, mean, std);
    double m3 = 0;
    for (double v : values)
        m3 += std::pow((v - mean) / std, 3);
    return m3 / double(values.size());
}

} // namespace

// ---- spec -----------------------------------------------------------------------------------

namespace {

// "<column>__te" for one output, "<column>__te_<class>" per encoded class of a multiclass target.
std::vector<std::string> encodedNames(const PreprocessSpec &spec, const ColumnRule &rule)
{
    if (rule.encodedClasses.empty())
        return {toStd(rule.name + QStringLiteral("__te"))};
    std::vector<std::string> names;
    for (int c : rule.encodedClasses)
        names.push_back(toStd(rule.name + QStringLiteral("__te_") + spec.classes.value(c)));
    return names;
}

} // namespace

std::vector<std::string> PreprocessSpec::treeFeatureNames() const
{
    std::vector<std::string> names;
    for (const ColumnRule &rule : columns) {
        if (rule.role == ColumnRule::Role::DateTime) {
            for (const QString &part : rule.parts)
                names.push_back(toStd(rule.name + QLatin1Char('_') + part));
        } else if (rule.role == ColumnRule::Role::TargetEncoded) {
            const auto encoded = encodedNames(*this, rule);
            names.insert(names.end(), encoded.begin(), encoded.end());
        } else {
            names.push_back(toStd(rule.name));
        }
    }
    return names;
}

std::vector<std::string> PreprocessSpec::treeFeatureTypes() const
{
    std::vector<std::string> types;
    for (const ColumnRule &rule : columns) {
        if (rule.role == ColumnRule::Role::DateTime)
            types.insert(types.end(), size_t(rule.parts.size()), "q");
        else if (rule.role == ColumnRule::Role::TargetEncoded)
            types.insert(types.end(), rule.encodedOutputs(), "q");
        else
            types.push_back(rule.role == ColumnRule::Role::Categorical ? "c" : "q");
    }
    return types;
}

std::vector<std::string> PreprocessSpec::linearFeatureNames() const
{
    std::vector<std::string> names;
    for (const ColumnRule &rule : columns) {
        switch (rule.role) {
        case ColumnRule::Role::Numeric:
            names.push_back(toStd(rule.name));
            if (rule.missingIndicator)
                names.push_back(toStd(rule.name + QStringLiteral("__missing")));
            break;
        case ColumnRule::Role::Categorical:
            for (int i = 0; i < rule.oneHot; ++i)
                names.push_back(toStd(rule.name + QLatin1Char('=') + rule.categories.at(i)));
            names.push_back(toStd(rule.name + QStringLiteral("=__other")));
            break;
        case ColumnRule::Role::DateTime:
            for (const QString &part : rule.parts)
                names.push_back(toStd(rule.name + QLatin1Char('_') + part));
            break;
        case ColumnRule::Role::TargetEncoded: {
            const auto encoded = encodedNames(*this, rule);
            names.insert(names.end(), encoded.begin(), encoded.end());
            break;
        }
        }
    }
    return names;
}

const char *roleName(ColumnRule::Role role)
{
    switch (role) {
    case ColumnRule::Role::Numeric: return "numeric";
    case ColumnRule::Role::Categorical: return "categorical";
    case ColumnRule::Role::DateTime: return "datetime";
    case ColumnRule::Role::TargetEncoded: return "target_encoded";
    }
    return "numeric";
}

namespace {

json stringsJson(const QStringList &list)
{
    json out = json::array();
    for (const QString &s : list)
        out.push_back(toStd(s));
    return out;
}

QStringList stringsFrom(const json &value)
{
    QStringList out;
    if (value.is_array()) {
        for (const json &v : value) {
            if (v.is_string())
                out << fromStd(v.get<std::string>());
        }
    }
    return out;
}
} // namespace

json PreprocessSpec::toJson() const
{
    json cols = json::array();
    for (const ColumnRule &rule : columns) {
        json c = {{"name", toStd(rule.name)},
                  {"type", toStd(columnTypeName(rule.type))},
                  {"role", roleName(rule.role)}};
        switch (rule.role) {
        case ColumnRule::Role::Numeric:
            c["median"] = rule.median;
            c["mean"] = rule.mean;
            c["std"] = rule.std;
            c["missing_indicator"] = rule.missingIndicator;
            break;
        case ColumnRule::Role::Categorical:
            c["categories"] = stringsJson(rule.categories);
            c["one_hot"] = rule.oneHot;
            break;
        case ColumnRule::Role::DateTime:
            c["parts"] = stringsJson(rule.parts);
            c["part_median"] = rule.partMedian;
            c["part_mean"] = rule.partMean;
            c["part_std"] = rule.partStd;
            break;
        case ColumnRule::Role::TargetEncoded: {
            c["categories"] = stringsJson(rule.categories);
            c["encoded_classes"] = rule.encodedClasses;
            // one row of outputs per category, as the notebook indexes it
            json rows = json::array();
            const size_t k = rule.encodedOutputs();
            for (size_t i = 0; i < size_t(rule.categories.size()); ++i)
                rows.push_back(std::vector<double>(rule.encoding.begin() + std::ptrdiff_t(i * k),
                                                   rule.encoding.begin() + std::ptrdiff_t((i + 1) * k)));
            c["encoding"] = std::move(rows);
            c["prior"] = rule.prior;
            c["encoded_mean"] = rule.encodedMean;
            c["encoded_std"] = rule.encodedStd;
            c["reason"] = toStd(rule.reason);
            break;
        }
        }
        cols.push_back(std::move(c));
    }
    json excludedJson = json::array();
    for (const Exclusion &e : excluded)
        excludedJson.push_back({{"column", toStd(e.column)}, {"reason", toStd(e.reason)}});
    return {{"format", "baton.preprocess"},
            {"version", kVersion},
            {"target", toStd(target)},
            {"task", classification ? "classification" : "regression"},
            {"classes", stringsJson(classes)},
            {"target_transform", logTarget ? "log1p" : "none"},
            {"columns", std::move(cols)},
            {"excluded", std::move(excludedJson)},
            {"target_encoding", {{"folds", targetEncoding.folds},
                                 {"smoothing", targetEncoding.smoothing},
                                 {"seed", targetEncoding.seed}}},
            {"tree_features", treeFeatureNames()},
            {"tree_feature_types", treeFeatureTypes()},
            {"linear_features", linearFeatureNames()}};
}

Result<PreprocessSpec> PreprocessSpec::fromJson(const json &value)
{
    auto bad = [](const QString &what) {
        return makeError(ErrorKind::BadInput, QStringLiteral("preprocess.invalid"),
                         QStringLiteral("Invalid preprocessing spec: %1").arg(what));
    };
    if (!value.is_object() || stringField(value, "format") != QLatin1String("baton.preprocess"))
        return bad(QStringLiteral("not a Baton preprocessing spec"));
    const int version = value.value("version", 0);
    if (version < 1 || version > kVersion)
        return bad(QStringLiteral("unsupported version %1").arg(version));
    PreprocessSpec spec;
    spec.target = stringField(value, "target");
    spec.classification = stringField(value, "task") == QLatin1String("classification");
    spec.classes = stringsFrom(value.value("classes", json::array()));
    spec.logTarget = stringField(value, "target_transform") == QLatin1String("log1p");
    const json &cols = value.value("columns", json::array());
    if (!cols.is_array())
        return bad(QStringLiteral("columns must be a list"));
    for (const json &c : cols) {
        ColumnRule rule;
        rule.name = stringField(c, "name");
        const QString role = stringField(c, "role");
        const QString type = stringField(c, "type");
        for (ColumnType t : {ColumnType::Float64, ColumnType::Int64, ColumnType::Bool,
                             ColumnType::DateTime, ColumnType::Categorical, ColumnType::Text}) {
            if (columnTypeName(t) == type)
                rule.type = t;
        }
        if (rule.name.isEmpty())
            return bad(QStringLiteral("a column has no name"));
        if (role == QLatin1String("numeric")) {
            rule.role = ColumnRule::Role::Numeric;
            rule.median = c.value("median", 0.0);
            rule.mean = c.value("mean", 0.0);
            rule.std = c.value("std", 1.0);
            rule.missingIndicator = c.value("missing_indicator", false);
        } else if (role == QLatin1String("categorical")) {
            rule.role = ColumnRule::Role::Categorical;
            rule.categories = stringsFrom(c.value("categories", json::array()));
            rule.oneHot = std::clamp(c.value("one_hot", 0), 0, int(rule.categories.size()));
        } else if (role == QLatin1String("datetime")) {
            rule.role = ColumnRule::Role::DateTime;
            rule.parts = stringsFrom(c.value("parts", json::array()));
            rule.partMedian = c.value("part_median", std::vector<double>{});
            rule.partMean = c.value("part_mean", std::vector<double>{});
            rule.partStd = c.value("part_std", std::vector<double>{});
            const auto n = size_t(rule.parts.size());
            if (rule.partMedian.size() != n || rule.partMean.size() != n || rule.partStd.size() != n)
                return bad(QStringLiteral("date parts of “%1” are inconsistent").arg(rule.name));
        } else if (role == QLatin1String("target_encoded") && version >= 2) {
            rule.role = ColumnRule::Role::TargetEncoded;
            rule.categories = stringsFrom(c.value("categories", json::array()));
            rule.encodedClasses = c.value("encoded_classes", std::vector<int>{});
            rule.prior = c.value("prior", std::vector<double>{});
            rule.encodedMean = c.value("encoded_mean", std::vector<double>{});
            rule.encodedStd = c.value("encoded_std", std::vector<double>{});
            rule.reason = stringField(c, "reason");
            const size_t k = rule.prior.size();
            const json &rows = c.value("encoding", json::array());
            bool consistent = k > 0 && rule.encodedMean.size() == k && rule.encodedStd.size() == k
                              && rows.is_array() && rows.size() == size_t(rule.categories.size())
                              && (rule.encodedClasses.empty() ? k == 1 : rule.encodedClasses.size() == k);
            for (const json &row : rows) {
                if (!consistent || !row.is_array() || row.size() != k)
                    break;
                for (const json &v : row) {
                    if (!v.is_number()) {
                        consistent = false;
                        break;
                    }
                    rule.encoding.push_back(v.get<double>());
                }
            }
            for (int cls : rule.encodedClasses)
                consistent = consistent && cls >= 0 && cls < spec.classes.size();
            if (!consistent || rule.encoding.size() != size_t(rule.categories.size()) * k)
                return bad(QStringLiteral("the target encoding of “%1” is inconsistent").arg(rule.name));
        } else {
            return bad(QStringLiteral("unknown role “%1”").arg(role));
        }
        spec.columns.push_back(std::move(rule));
    }
    for (const json &e : value.value("excluded", json::array()))
        spec.excluded.push_back({stringField(e, "column"), stringField(e, "reason")});
    if (const json &te = value.value("target_encoding", json::object()); te.is_object()) {
        spec.targetEncoding.folds = std::clamp(te.value("folds", 5), 2, 20);
        spec.targetEncoding.smoothing = std::max(0.0, te.value("smoothing", 10.0));
        spec.targetEncoding.seed = te.value("seed", uint64_t(42));
    }
    return spec;
}

json PreprocessSpec::planSteps() const
{
    json steps = json::array();
    QStringList numericMissing, numeric, categorical, dates;
    for (const ColumnRule &rule : columns) {
        switch (rule.role) {
        case ColumnRule::Role::Numeric:
            numeric << rule.name;
            if (rule.missingIndicator)
                numericMissing << rule.name;
            break;
        case ColumnRule::Role::Categorical: categorical << rule.name; break;
        case ColumnRule::Role::DateTime: dates << rule.name; break;
        case ColumnRule::Role::TargetEncoded: break; // a step of its own, below
        }
    }
    for (const Exclusion &e : excluded) {
        steps.push_back({{"name", "exclude_column"}, {"strategy", "drop"},
                         {"columns", {toStd(e.column)}}, {"reason", toStd(e.reason)}});
    }
    if (!numericMissing.isEmpty()) {
        steps.push_back({{"name", "impute_numeric"}, {"strategy", "median + missing indicator"},
                         {"columns", stringsJson(numericMissing)},
                         {"reason", "missing values in training rows"}});
    }
    if (!categorical.isEmpty()) {
        steps.push_back({{"name", "encode_categorical"},
                         {"strategy", "native categories for trees; one-hot (top levels + other) for linear"},
                         {"columns", stringsJson(categorical)}, {"reason", "non-numeric categories"}});
    }
    for (const ColumnRule &rule : columns) {
        if (rule.role != ColumnRule::Role::TargetEncoded)
            continue;
        steps.push_back({{"name", "target_encode"},
                         {"strategy", toStd(QStringLiteral("out-of-fold smoothed target mean (%1 folds, m = %2); "
                                                           "unseen categories get the prior")
                                                .arg(targetEncoding.folds)
                                                .arg(targetEncoding.smoothing))},
                         {"columns", {toStd(rule.name)}},
                         {"outputs", encodedNames(*this, rule)},
                         {"categories", rule.categories.size()},
                         {"reason", toStd(rule.reason)}});
    }
    if (!dates.isEmpty()) {
        steps.push_back({{"name", "expand_datetime"}, {"strategy", "year, month, day, day of week, ..."},
                         {"columns", stringsJson(dates)}, {"reason", "dates as numbers models can split"}});
    }
    if (!numeric.isEmpty()) {
        steps.push_back({{"name", "scale_numeric"}, {"strategy", "standard (linear models only)"},
                         {"columns", stringsJson(numeric)}, {"reason", "comparable coefficients"}});
    }
    if (logTarget) {
        steps.push_back({{"name", "transform_target"}, {"strategy", "log1p (kept if cross-validation prefers it)"},
                         {"columns", {toStd(target)}},
                         {"reason", "positive, right-skewed target: TRAIN tries it against the raw target"}});
    }
    return steps;
}

// ---- target encoding ------------------------------------------------------------------------

namespace {

// A multiclass target gets one encoded column per class, for at most this many of its most
// frequent classes (the rest are what remains of the probability mass).
constexpr int kMaxEncodedClasses = 10;
// Free text versus a high-cardinality category read as Text: see isCategoryLikeText.
constexpr double kMaxDistinctShareForCategories = 0.5;
constexpr double kMaxMeanLengthForCategories = 40;

size_t outputsFor(const PreprocessSpec &spec, const ColumnRule &rule)
{
    return spec.classification && spec.classes.size() > 2 ? rule.encodedClasses.size() : 1;
}

// The targets a column is encoded against, [rows x outputs]: the value (regression), 1 for the
// second class (binary), or an indicator per encoded class (multiclass).
std::vector<double> encodingTargets(const PreprocessSpec &spec, const ColumnRule &rule,
                                    const Table &table, const std::vector<int64_t> &rows)
{
    const size_t k = outputsFor(spec, rule);
    std::vector<double> out(rows.size() * k, 0.0);
    if (!spec.classification) {
        const std::vector<double> y = rawTargetValues(table, spec.target, rows);
        std::copy(y.begin(), y.end(), out.begin());
        return out;
    }
    const std::vector<int> byRow = classIndices(spec, table);
    for (size_t i = 0; i < rows.size(); ++i) {
        const int cls = byRow[size_t(rows[i])];
        if (rule.encodedClasses.empty()) {
            out[i] = cls == 1 ? 1.0 : 0.0;
            continue;
        }
        for (size_t o = 0; o < k; ++o)
            out[i * k + o] = cls == rule.encodedClasses[o] ? 1.0 : 0.0;
    }
    return out;
}

// [rows x outputs] target-encoded values of one column, NaN where the cell is missing: fitted on
// all training rows (prediction) or out of fold over `rows` (the training rows themselves).
std::vector<double> encodedValues(const PreprocessSpec &spec, const ColumnRule &rule, const Table &table,
                                  const Column &column, const std::vector<int64_t> &rows, bool outOfFold)
{
    const std::vector<int> codes = categoryCodes(rule, column, rows);
    const size_t k = rule.encodedOutputs();
    std::vector<double> out;
    if (outOfFold) {
        const std::vector<double> targets = encodingTargets(spec, rule, table, rows);
        const TargetEncodingParams &params = spec.targetEncoding;
        const std::vector<int> folds = assignFolds(rows, params.folds, params.seed);
        out = outOfFoldEncoding({codes, int(rule.categories.size()), targets, k}, folds, params.folds,
                                params.smoothing);
    } else {
        out = applyEncoding({rule.encoding, rule.prior}, codes, k);
    }
    for (size_t i = 0; i < rows.size(); ++i) {
        if (column.isMissing(rows[i]))
            std::fill_n(out.begin() + std::ptrdiff_t(i * k), k, kNaN);
    }
    return out;
}

// A Text column (too many distinct values for the reader to call it a category) that is really
// a high-cardinality category -- zip codes, cities, product ids shared by many rows -- rather
// than free text or an identifier: its values repeat (at most one distinct value per two present
// cells) and are short (under 40 characters on average). Returns the categories, most frequent first.
std::optional<QStringList> categoryLikeText(const Column &column, const std::vector<int64_t> &rows,
                                            QString &reason)
{
    QHash<QString, qsizetype> counts;
    qsizetype present = 0;
    double length = 0;
    for (int64_t r : rows) {
        const QString text = column.displayValue(r);
        if (text.isNull())
            continue;
        ++present;
        length += double(text.size());
        ++counts[text];
    }
    if (present < 20 || double(counts.size()) > kMaxDistinctShareForCategories * double(present)
        || length / double(present) > kMaxMeanLengthForCategories)
        return std::nullopt;
    QStringList categories = counts.keys();
    std::sort(categories.begin(), categories.end(), [&](const QString &a, const QString &b) {
        const qsizetype ca = counts.value(a), cb = counts.value(b);
        return ca != cb ? ca > cb : a < b;
    });
    reason = QStringLiteral("short repeated text: %1 distinct values in %2 training rows (%3 rows each on "
                            "average), a high-cardinality category")
                 .arg(counts.size())
                 .arg(present)
                 .arg(double(present) / double(counts.size()), 0, 'f', 1);
    return categories;
}

// Fits a target-encoded rule (categories already set) on the training rows.
void fitTargetEncoding(ColumnRule &rule, const PreprocessSpec &spec, const Table &table,
                       const Column &column, const std::vector<int64_t> &trainRows)
{
    rule.role = ColumnRule::Role::TargetEncoded;
    if (spec.classification && spec.classes.size() > 2) {
        const std::vector<int> byRow = classIndices(spec, table);
        std::vector<qsizetype> counts(size_t(spec.classes.size()), 0);
        for (int64_t r : trainRows) {
            if (byRow[size_t(r)] >= 0)
                ++counts[size_t(byRow[size_t(r)])];
        }
        std::vector<int> order(counts.size());
        std::iota(order.begin(), order.end(), 0);
        std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return counts[size_t(a)] > counts[size_t(b)]; });
        order.resize(std::min<size_t>(order.size(), kMaxEncodedClasses));
        std::sort(order.begin(), order.end());
        rule.encodedClasses = order;
    }
    const size_t k = outputsFor(spec, rule);
    const std::vector<int> codes = categoryCodes(rule, column, trainRows);
    const std::vector<double> targets = encodingTargets(spec, rule, table, trainRows);
    CategoryEncoding fitted = fitEncoding({codes, int(rule.categories.size()), targets, k},
                                          spec.targetEncoding.smoothing);
    rule.encoding = std::move(fitted.values);
    rule.prior = std::move(fitted.prior);
    // linear models see the out-of-fold values in training (missing -> prior): scale those
    const std::vector<double> oof = encodedValues(spec, rule, table, column, trainRows, true);
    rule.encodedMean.assign(k, 0.0);
    rule.encodedStd.assign(k, 1.0);
    for (size_t o = 0; o < k; ++o) {
        std::vector<double> values(trainRows.size());
        for (size_t i = 0; i < trainRows.size(); ++i) {
            const double v = oof[i * k + o];
            values[i] = std::isnan(v) ? rule.prior[o] : v;
        }
        meanStd(values, rule.encodedMean[o], rule.encodedStd[o]);
    }
}

} // namespace

// ---- fitting --------------------------------------------------------------------------------

std::vector<int64_t> rowsWithTarget(const Table &table, const QString &target)
{
    std::vector<int64_t> rows;
    const auto index = table.columnIndex(target);
    if (!index)
        return rows;
    const Column &column = table.column(*index);
    rows.reserve(size_t(table.rowCount()));
    for (qsizetype r = 0; r < table.rowCount(); ++r) {
        if (!column.isMissing(r) && !(column.type() == ColumnType::Float64 && std::isnan(numericCell(column, r))))
            rows.push_back(r);
    }
    return rows;
}

QStringList classLabels(const Table &table, const QString &target, const std::vector<int64_t> &rows)
{
    const auto index = table.columnIndex(target);
    if (!index)
        return {};
    const Column &column = table.column(*index);
    QSet<QString> seen;
    for (int64_t r : rows) {
        const QString text = column.displayValue(r);
        if (!text.isNull())
            seen.insert(text);
    }
    QStringList labels(seen.begin(), seen.end());
    std::sort(labels.begin(), labels.end(), numericLess);
    return labels;
}

std::vector<int> classIndices(const PreprocessSpec &spec, const Table &table)
{
    std::vector<int> out(size_t(table.rowCount()), -1);
    const auto index = table.columnIndex(spec.target);
    if (!index)
        return out;
    QHash<QString, int> lookup;
    for (int i = 0; i < spec.classes.size(); ++i)
        lookup.insert(spec.classes.at(i), i);
    const Column &column = table.column(*index);
    for (qsizetype r = 0; r < table.rowCount(); ++r) {
        const QString text = column.displayValue(r);
        out[size_t(r)] = text.isNull() ? -1 : lookup.value(text, -1);
    }
    return out;
}

Result<PreprocessSpec> fitPreprocess(const Table &table, const std::vector<int64_t> &trainRows,
                                     const PreprocessOptions &options)
{
    const auto targetIndex = table.columnIndex(options.target);
    if (!targetIndex) {
        return badInput(QStringLiteral("preprocess.no_target"),
                        QStringLiteral("The target column “%1” is not in the data").arg(options.target));
    }
    if (trainRows.size() < 2)
        return badInput(QStringLiteral("preprocess.too_few_rows"),
                        QStringLiteral("Too few rows with a target value to train (%1)").arg(trainRows.size()));

    PreprocessSpec spec;
    spec.target = options.target;
    spec.classification = options.classification;
    spec.targetEncoding.seed = options.seed;
    const Column &target = table.column(*targetIndex);

    if (spec.classification) {
        spec.classes = classLabels(table, options.target, trainRows);
        if (spec.classes.size() < 2) {
            return badInput(QStringLiteral("preprocess.one_class"),
                            QStringLiteral("The target “%1” has a single class (%2): there is nothing "
                                           "to classify")
                                .arg(options.target, spec.classes.value(0)));
        }
    } else {
        if (!isNumericType(target.type())) {
            return badInput(QStringLiteral("preprocess.target_not_numeric"),
                            QStringLiteral("The target “%1” holds %2 values, not numbers: choose "
                                           "classification instead of regression")
                                .arg(options.target, columnTypeName(target.type())));
        }
        std::vector<double> y;
        y.reserve(trainRows.size());
        for (int64_t r : trainRows)
            y.push_back(numericCell(target, r));
        const auto [lo, hi] = std::minmax_element(y.begin(), y.end());
        if (*lo == *hi) {
            return badInput(QStringLiteral("preprocess.constant_target"),
                            QStringLiteral("The target “%1” is constant (%2): there is nothing to "
                                           "predict")
                                .arg(options.target)
                                .arg(*lo));
        }
        spec.logTarget = *lo > 0 && sampleSkew(y) > 1.0;
    }

    QHash<QString, QString> userExclusions;
    for (const Exclusion &e : options.exclusions)
        userExclusions.insert(e.column, e.reason);

    for (const Column &column : table.columns()) {
        if (column.name() == options.target)
            continue;
        if (userExclusions.contains(column.name())) {
            spec.excluded.push_back({column.name(), userExclusions.value(column.name())});
            continue;
        }
        ColumnRule rule;
        rule.name = column.name();
        rule.type = column.type();
        if (column.type() == ColumnType::Text) {
            auto categories = categoryLikeText(column, trainRows, rule.reason);
            if (!categories) {
                spec.excluded.push_back({column.name(), QStringLiteral("free text or identifiers (not used)")});
                continue;
            }
            rule.categories = std::move(*categories);
            fitTargetEncoding(rule, spec, table, column, trainRows);
            spec.columns.push_back(std::move(rule));
            continue;
        }
        qsizetype present = 0;
        for (int64_t r : trainRows) {
            present += isNumericType(column.type()) ? !std::isnan(numericCell(column, r))
                                                    : !column.isMissing(r);
        }
        if (present == 0) {
            spec.excluded.push_back({column.name(), QStringLiteral("no values in the training rows")});
            continue;
        }

        if (isNumericType(column.type())) {
            std::vector<double> values;
            values.reserve(trainRows.size());
            std::unordered_set<double> distinct;
            bool anyMissing = false;
            for (int64_t r : trainRows) {
                const double v = numericCell(column, r);
                if (std::isnan(v)) {
                    anyMissing = true;
                } else {
                    values.push_back(v);
                    if (distinct.size() < 2 || column.type() == ColumnType::Int64)
                        distinct.insert(v);
                }
            }
            if (distinct.size() <= 1 && !anyMissing) {
                spec.excluded.push_back({column.name(), QStringLiteral("constant")});
                continue;
            }
            if (column.type() == ColumnType::Int64 && distinct.size() == trainRows.size()
                && looksLikeId(column.name())) {
                spec.excluded.push_back({column.name(), QStringLiteral("ID-like (unique per row)")});
                continue;
            }
            rule.role = ColumnRule::Role::Numeric;
            rule.median = median(values);
            rule.missingIndicator = anyMissing;
            std::vector<double> imputed = values;
            imputed.resize(trainRows.size(), rule.median);
            meanStd(imputed, rule.mean, rule.std);
        } else if (column.type() == ColumnType::Categorical) {
            std::vector<qsizetype> counts(column.dictionary().size(), 0);
            for (int64_t r : trainRows) {
                const int32_t code = column.codes()[size_t(r)];
                if (code >= 0)
                    ++counts[size_t(code)];
            }
            std::vector<size_t> order(counts.size());
            std::iota(order.begin(), order.end(), 0);
            std::stable_sort(order.begin(), order.end(),
                             [&](size_t a, size_t b) { return counts[a] > counts[b]; });
            for (size_t code : order) {
                if (counts[code] > 0)
                    rule.categories << column.dictionary()[code];
            }
            if (rule.categories.size() <= 1) {
                spec.excluded.push_back({column.name(), QStringLiteral("constant")});
                continue;
            }
            if (rule.categories.size() > options.maxOneHot) {
                rule.reason = QStringLiteral("%1 categories, more than the one-hot limit of %2")
                                  .arg(rule.categories.size())
                                  .arg(options.maxOneHot);
                fitTargetEncoding(rule, spec, table, column, trainRows);
            } else {
                rule.role = ColumnRule::Role::Categorical;
                rule.oneHot = int(rule.categories.size());
            }
        } else { // DateTime
            rule.role = ColumnRule::Role::DateTime;
            bool hasTime = false, hasMinutes = false;
            for (int64_t r : trainRows) {
                if (column.isMissing(r))
                    continue;
                const int64_t ms = column.int64Values()[size_t(r)];
                const int64_t msOfDay = ((ms % kMsPerDay) + kMsPerDay) % kMsPerDay;
                hasTime |= msOfDay != 0;
                hasMinutes |= (msOfDay / 60000) % 60 != 0;
            }
            rule.parts = kDateParts.mid(0, 5);
            if (hasTime)
                rule.parts << QStringLiteral("hour");
            if (hasMinutes)
                rule.parts << QStringLiteral("minute");
            for (const QString &part : rule.parts) {
                std::vector<double> values;
                for (int64_t r : trainRows) {
                    if (!column.isMissing(r))
                        values.push_back(datePart(column.int64Values()[size_t(r)], part));
                }
                double mean = 0, std = 1;
                const double med = median(values);
                values.resize(trainRows.size(), med);
                meanStd(values, mean, std);
                rule.partMedian.push_back(med);
                rule.partMean.push_back(mean);
                rule.partStd.push_back(std);
            }
        }
        spec.columns.push_back(std::move(rule));
    }
    if (spec.columns.empty()) {
        return badInput(QStringLiteral("preprocess.no_features"),
                        QStringLiteral("No usable feature columns remain after the exclusions"));
    }
    return spec;
}

// ---- transforming ---------------------------------------------------------------------------

namespace {

Result<FeatureMatrix> buildTreeFeatures(const PreprocessSpec &spec, const Table &table,
                                        const std::vector<int64_t> &rows, bool outOfFold)
{
    const auto names = spec.treeFeatureNames();
    FeatureMatrix m;
    m.rows = rows.size();
    m.cols = names.size();
    m.values.assign(m.rows * m.cols, std::numeric_limits<float>::quiet_NaN());
    size_t col = 0;
    for (const ColumnRule &rule : spec.columns) {
        auto column = findColumn(table, rule.name);
        if (!column)
            return column.error();
        switch (rule.role) {
        case ColumnRule::Role::Numeric: {
            auto values = numericColumnAs(*column.value(), rows);
            if (!values)
                return values.error();
            for (size_t i = 0; i < rows.size(); ++i)
                m.values[i * m.cols + col] = float(values.value()[i]);
            ++col;
            break;
        }
        case ColumnRule::Role::Categorical: {
            const auto codes = categoryCodes(rule, *column.value(), rows);
            for (size_t i = 0; i < rows.size(); ++i) {
                if (codes[i] >= 0)
                    m.values[i * m.cols + col] = float(codes[i]);
            }
            ++col;
            break;
        }
        case ColumnRule::Role::DateTime: {
            std::vector<uint8_t> missing;
            auto ms = dateColumnAs(rule, *column.value(), rows, missing);
            if (!ms)
                return ms.error();
            for (const QString &part : rule.parts) {
                for (size_t i = 0; i < rows.size(); ++i) {
                    if (!missing[i])
                        m.values[i * m.cols + col] = float(datePart(ms.value()[i], part));
                }
                ++col;
            }
            break;
        }
        case ColumnRule::Role::TargetEncoded: {
            const size_t k = rule.encodedOutputs();
            const auto values = encodedValues(spec, rule, table, *column.value(), rows, outOfFold);
            for (size_t i = 0; i < rows.size(); ++i) {
                for (size_t o = 0; o < k; ++o)
                    m.values[i * m.cols + col + o] = float(values[i * k + o]);
            }
            col += k;
            break;
        }
        }
    }
    return m;
}

Result<FeatureMatrix> buildLinearFeatures(const PreprocessSpec &spec, const Table &table,
                                          const std::vector<int64_t> &rows, bool outOfFold)
{
    const auto names = spec.linearFeatureNames();
    FeatureMatrix m;
    m.rows = rows.size();
    m.cols = names.size();
    m.values.assign(m.rows * m.cols, 0.0f);
    size_t col = 0;
    for (const ColumnRule &rule : spec.columns) {
        auto column = findColumn(table, rule.name);
        if (!column)
            return column.error();
        switch (rule.role) {
        case ColumnRule::Role::Numeric: {
            auto values = numericColumnAs(*column.value(), rows);
            if (!values)
                return values.error();
            for (size_t i = 0; i < rows.size(); ++i) {
                const double v = values.value()[i];
                const bool missing = std::isnan(v);
                m.values[i * m.cols + col] = float(((missing ? rule.median : v) - rule.mean) / rule.std);
                if (rule.missingIndicator)
                    m.values[i * m.cols + col + 1] = missing ? 1.0f : 0.0f;
            }
            col += rule.missingIndicator ? 2 : 1;
            break;
        }
        case ColumnRule::Role::Categorical: {
            const auto codes = categoryCodes(rule, *column.value(), rows);
            for (size_t i = 0; i < rows.size(); ++i) {
                const int code = codes[i];
                // rare, unseen and missing categories share the "other" column
                const size_t slot = code >= 0 && code < rule.oneHot ? size_t(code) : size_t(rule.oneHot);
                m.values[i * m.cols + col + slot] = 1.0f;
            }
            col += size_t(rule.oneHot) + 1;
            break;
        }
        case ColumnRule::Role::DateTime: {
            std::vector<uint8_t> missing;
            auto ms = dateColumnAs(rule, *column.value(), rows, missing);
            if (!ms)
                return ms.error();
            for (qsizetype p = 0; p < rule.parts.size(); ++p) {
                for (size_t i = 0; i < rows.size(); ++i) {
                    const double v = missing[i] ? rule.partMedian[size_t(p)]
                                                : datePart(ms.value()[i], rule.parts.at(p));
                    m.values[i * m.cols + col] = float((v - rule.partMean[size_t(p)]) / rule.partStd[size_t(p)]);
                }
                ++col;
            }
            break;
        }
        case ColumnRule::Role::TargetEncoded: {
            const size_t k = rule.encodedOutputs();
            const auto values = encodedValues(spec, rule, table, *column.value(), rows, outOfFold);
            for (size_t i = 0; i < rows.size(); ++i) {
                for (size_t o = 0; o < k; ++o) {
                    const double v = std::isnan(values[i * k + o]) ? rule.prior[o] : values[i * k + o];
                    m.values[i * m.cols + col + o] = float((v - rule.encodedMean[o]) / rule.encodedStd[o]);
                }
            }
            col += k;
            break;
        }
        }
    }
    return m;
}

} // namespace

Result<FeatureMatrix> treeFeatures(const PreprocessSpec &spec, const Table &table,
                                   const std::vector<int64_t> *rows)
{
    return buildTreeFeatures(spec, table, rows ? *rows : allRows(table), false);
}

Result<FeatureMatrix> linearFeatures(const PreprocessSpec &spec, const Table &table,
                                     const std::vector<int64_t> *rows)
{
    return buildLinearFeatures(spec, table, rows ? *rows : allRows(table), false);
}

Result<FeatureMatrix> trainingTreeFeatures(const PreprocessSpec &spec, const Table &table,
                                           const std::vector<int64_t> &rows)
{
    return buildTreeFeatures(spec, table, rows, true);
}

Result<FeatureMatrix> trainingLinearFeatures(const PreprocessSpec &spec, const Table &table,
                                             const std::vector<int64_t> &rows)
{
    return buildLinearFeatures(spec, table, rows, true);
}

Result<std::vector<float>> targetValues(const PreprocessSpec &spec, const Table &table,
                                        const std::vector<int64_t> &rows)
{
    const auto index = table.columnIndex(spec.target);
    if (!index)
        return badInput(QStringLiteral("preprocess.no_target"),
                        QStringLiteral("The target column “%1” is not in the data").arg(spec.target));
    std::vector<float> out(rows.size());
    if (spec.classification) {
        const auto classes = classIndices(spec, table);
        for (size_t i = 0; i < rows.size(); ++i) {
            const int c = classes[size_t(rows[i])];
            if (c < 0)
                return badInput(QStringLiteral("preprocess.unknown_class"),
                                QStringLiteral("Row %1 has a target class not seen in training").arg(rows[i] + 1));
            out[i] = float(c);
        }
        return out;
    }
    const Column &column = table.column(*index);
    for (size_t i = 0; i < rows.size(); ++i) {
        const double v = numericCell(column, rows[i]);
        out[i] = float(spec.logTarget ? std::log1p(v) : v);
    }
    return out;
}

std::vector<double> rawTargetValues(const Table &table, const QString &target,
                                    const std::vector<int64_t> &rows)
{
    std::vector<double> out(rows.size(), kNaN);
    const auto index = table.columnIndex(target);
    if (!index)
        return out;
    for (size_t i = 0; i < rows.size(); ++i)
        out[i] = numericCell(table.column(*index), rows[i]);
    return out;
}

} // namespace baton
