#include "Narrator.h"

#include <QRegularExpression>

#include <algorithm>

#include <cmath>

namespace baton {

namespace {

constexpr int kMaxParagraphs = 8;
constexpr qsizetype kMaxParagraphLength = 1500;
constexpr int kMaxLeaderboardRows = 3;

const QString kSystemPrompt = QStringLiteral(
    "You write the plain-language summary of an AutoML report for a non-expert. Use only the facts "
    "given: do not add numbers that are not in them (you may round them or write fractions as "
    "percentages), and state the primary test metric with its value. Explain what was predicted, "
    "from which data, how the model was chosen and how good it is on held-out rows, whether the "
    "exported model was refitted on all labelled rows, and any data warnings. Answer with one JSON object and nothing else: {\"paragraphs\": [2 to 5 short "
    "paragraphs of plain text]}.");

void collectNumbers(const json &value, std::vector<double> &out)
{
    if (value.is_number()) {
        out.push_back(value.get<double>());
    } else if (value.is_array() || value.is_object()) {
        for (const json &item : value)
            collectNumbers(item, out);
    } else if (value.is_string()) {
        // Numbers inside text facts (labels such as "random 7", the goal "in 5 minutes").
        static const QRegularExpression number(QStringLiteral("\\d+(?:\\.\\d+)?"));
        auto it = number.globalMatch(fromStd(value.get<std::string>()));
        while (it.hasNext())
            out.push_back(it.next().captured().toDouble());
    }
}

// `written` with `decimals` decimals stands for `fact` when the fact rounds to it, directly or
// as a percentage.
bool backs(double fact, double written, int decimals)
{
    const double scale = std::pow(10.0, decimals);
    const double tolerance = 0.5 / scale + 1e-9;
    for (const double candidate : {fact, fact * 100.0, std::abs(fact), std::abs(fact) * 100.0}) {
        if (std::abs(candidate - written) <= tolerance)
            return true;
    }
    return false;
}

json factsOf(const json &report)
{
    auto field = [&report](const char *key) { return report.value(key, json(nullptr)); };
    const json data = report.value("data", json::object());
    json leaderboard = json::array();
    for (const json &row : report.value("leaderboard", json::array())) {
        if (leaderboard.size() >= kMaxLeaderboardRows)
            break;
        leaderboard.push_back(row);
    }
    json members = json::array();
    const json model = report.value("model", json::object());
    for (const json &m : model.value("members", json::array())) {
        if (m.is_object())
            members.push_back({{"family", m.value("family", json(nullptr))}, {"weight", m.value("weight", json(nullptr))}});
    }
    return {{"goal", field("goal")},
            {"task", field("task")},
            {"data", {{"name", data.value("name", json(nullptr))},
                      {"rows", data.value("rows", json(nullptr))},
                      {"columns", data.value("columns", json::array()).size()},
                      {"warnings", data.value("warnings", json::array())},
                      {"excluded_columns", data.value("excluded_columns", json::array())}}},
            {"split", report.value("preprocessing", json::object()).value("split", json::object())},
            {"search", field("search")},
            {"leaderboard_top", leaderboard},
            {"final_model_members", members},
            // The test metrics are the evaluated model's; the exported one may have been fitted
            // again on every labelled row, which the summary should say.
            {"exported_model", {{"refitted_on_all_rows", model.value("refitted_on_all_rows", json(nullptr))},
                                {"fitted_rows", model.value("fitted_rows", json(nullptr))}}},
            {"metrics", field("metrics")}};
}

std::optional<double> primaryValueOf(const json &facts)
{
    const json primary = facts.value("metrics", json::object()).value("primary", json::object());
    if (primary.is_object() && primary.contains("value") && primary["value"].is_number())
        return primary["value"].get<double>();
    return std::nullopt;
}

} // namespace

QString uncheckedNumbers(const QString &text, const json &facts, std::optional<double> primaryValue)
{
    std::vector<double> known;
    collectNumbers(facts, known);
    static const QRegularExpression number(QStringLiteral("(?<![\\w.])(\\d{1,3}(?:,\\d{3})+|\\d+)(?:\\.(\\d+))?"));
    bool primaryStated = !primaryValue.has_value();
    QStringList unbacked;
    auto it = number.globalMatch(text);
    while (it.hasNext()) {
        const QRegularExpressionMatch m = it.next();
        const QString decimalsText = m.captured(2);
        const double written = (m.captured(1).remove(QLatin1Char(',')) + (decimalsText.isEmpty() ? QString() : QLatin1Char('.') + decimalsText)).toDouble();
        const int decimals = int(decimalsText.size());
        if (decimals == 0 && written <= 10)
            continue; // small counts ("two", "5-fold") need no backing, and state no metric
        if (primaryValue && backs(*primaryValue, written, decimals))
            primaryStated = true;
        const bool backed = std::any_of(known.begin(), known.end(), [&](double fact) { return backs(fact, written, decimals); });
        if (!backed)
            unbacked << m.captured(0);
    }
    QStringList problems;
    if (!unbacked.isEmpty())
        problems << QStringLiteral("numbers not in the run: %1").arg(unbacked.join(QStringLiteral(", ")));
    if (!primaryStated)
        problems << QStringLiteral("the primary test metric's value is not stated");
    return problems.join(QStringLiteral("; "));
}

AgentResult<QStringList> narrate(const AgentRunner &runner, const json &facts,
                                 const QStringList &deterministicParagraphs)
{
    const std::optional<double> primary = primaryValueOf(facts);
    const AgentPrompt prompt{QStringLiteral("narrator"), kSystemPrompt, {}, fromStd(facts.dump()), 0.2};
    auto validate = [&](const json &reply) -> Result<QStringList> {
        auto paragraphs = reply::strings(reply, "paragraphs");
        if (!paragraphs)
            return paragraphs.error();
        paragraphs->removeAll(QString());
        if (paragraphs->isEmpty() || paragraphs->size() > kMaxParagraphs)
            return reply::invalid(QStringLiteral("“paragraphs” must hold 1 to %1 paragraphs").arg(kMaxParagraphs));
        for (const QString &p : *paragraphs) {
            if (p.size() > kMaxParagraphLength)
                return reply::invalid(QStringLiteral("a paragraph is longer than %1 characters").arg(kMaxParagraphLength));
        }
        if (const QString problem = uncheckedNumbers(paragraphs->join(QLatin1Char('\n')), facts, primary); !problem.isEmpty())
            return reply::invalid(QStringLiteral("the narrative disagrees with the run: %1").arg(problem));
        return paragraphs;
    };
    return runner.run<QStringList>(prompt, validate, [&] { return deterministicParagraphs; });
}

void narrateReport(const AgentRunner &runner, json &report)
{
    QStringList deterministic;
    for (const json &p : report.value("narrative", json::array())) {
        if (p.is_string())
            deterministic << fromStd(p.get<std::string>());
    }
    const AgentResult<QStringList> result = narrate(runner, factsOf(report), deterministic);
    json paragraphs = json::array();
    for (const QString &p : result.value)
        paragraphs.push_back(toStd(p));
    report["narrative"] = paragraphs;
    json source = json::object();
    result.provenance.addTo(source);
    report["narrative_source"] = source;
}

} // namespace baton
