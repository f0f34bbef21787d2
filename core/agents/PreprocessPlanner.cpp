#include "PreprocessPlanner.h"

#include <algorithm>

namespace baton {

namespace {

constexpr qsizetype kMaxReasonLength = 200;
constexpr qsizetype kMinNameLength = 3; // "y" inside "day" is no leak

const QString kSystemPrompt = QStringLiteral(
    "You plan the preprocessing of a tabular AutoML run. Given the columns (name, type, distinct "
    "values), the target and the task, list the columns that must NOT be used as features: columns "
    "that leak the target (computed from it or only known after it), and row identifiers. Keep "
    "everything else; the tool already handles missing values, scaling, categories and dates.\n"
    "Answer with one JSON object and nothing else: {\"exclude\": [{\"column\": name, \"reason\": "
    "short reason}]} (an empty list when nothing must go).");

QString normalised(const QString &name)
{
    QString out;
    for (const QChar c : name) {
        if (c.isLetterOrNumber())
            out += c.toLower();
    }
    return out;
}

const char *kindName(ColumnHint::Kind kind)
{
    switch (kind) {
    case ColumnHint::Kind::Numeric: return "number";
    case ColumnHint::Kind::Integer: return "integer";
    case ColumnHint::Kind::Categorical: return "category";
    case ColumnHint::Kind::Boolean: return "boolean";
    case ColumnHint::Kind::DateTime: return "datetime";
    case ColumnHint::Kind::Text: return "text";
    }
    return "text";
}

} // namespace

std::vector<PlannedExclusion> planExclusionsByRules(const std::vector<ColumnHint> &columns,
                                                    const QString &target,
                                                    const QStringList &alreadyExcluded)
{
    std::vector<PlannedExclusion> out;
    const QString key = normalised(target);
    if (key.size() < kMinNameLength)
        return out;
    for (const ColumnHint &c : columns) {
        if (c.name == target || alreadyExcluded.contains(c.name))
            continue;
        if (normalised(c.name).contains(key)) {
            out.push_back({c.name, QStringLiteral("its name says it is derived from the target “%1” (a leak)")
                                       .arg(target)});
        }
    }
    return out;
}

AgentResult<std::vector<PlannedExclusion>> planExclusions(const AgentRunner &runner,
                                                          const std::vector<ColumnHint> &columns,
                                                          const QString &target, bool classification,
                                                          const QStringList &alreadyExcluded)
{
    json described = json::array();
    for (const ColumnHint &c : columns) {
        described.push_back({{"name", toStd(c.name)},
                             {"type", kindName(c.kind)},
                             {"distinct", c.distinct > 0 ? json(c.distinct) : json(nullptr)}});
    }
    json excluded = json::array();
    for (const QString &c : alreadyExcluded)
        excluded.push_back(toStd(c));
    const json user = {{"target", toStd(target)},
                       {"task", classification ? "classification" : "regression"},
                       {"columns", described},
                       {"already_excluded", excluded}};
    const AgentPrompt prompt{QStringLiteral("preprocess_planner"), kSystemPrompt, {}, fromStd(user.dump()), 0.0};

    auto validate = [&](const json &reply) -> Result<std::vector<PlannedExclusion>> {
        const auto it = reply.find("exclude");
        if (it == reply.end() || !it->is_array())
            return reply::invalid(QStringLiteral("“exclude” must be an array"));
        std::vector<PlannedExclusion> out;
        QStringList seen;
        for (const json &item : *it) {
            if (!item.is_object())
                return reply::invalid(QStringLiteral("each “exclude” entry must be an object"));
            auto column = reply::string(item, "column");
            if (!column)
                return column.error();
            auto reason = reply::string(item, "reason");
            if (!reason)
                return reason.error();
            const bool known = std::any_of(columns.begin(), columns.end(),
                                           [&](const ColumnHint &c) { return c.name == *column; });
            if (!known)
                return reply::invalid(QStringLiteral("“%1” is not a column of the data").arg(*column));
            if (*column == target)
                return reply::invalid(QStringLiteral("the target “%1” cannot be excluded").arg(target));
            if (reason->isEmpty() || reason->size() > kMaxReasonLength)
                return reply::invalid(QStringLiteral("the reason for “%1” must be 1 to %2 characters").arg(*column).arg(kMaxReasonLength));
            if (alreadyExcluded.contains(*column) || seen.contains(*column))
                continue;
            seen << *column;
            out.push_back({*column, *reason});
        }
        const qsizetype features = qsizetype(columns.size()) - 1 - alreadyExcluded.size();
        if (qsizetype(out.size()) >= features)
            return reply::invalid(QStringLiteral("excluding %1 columns would leave no feature").arg(out.size()));
        return out;
    };
    return runner.run<std::vector<PlannedExclusion>>(
        prompt, validate, [&] { return planExclusionsByRules(columns, target, alreadyExcluded); });
}

} // namespace baton
