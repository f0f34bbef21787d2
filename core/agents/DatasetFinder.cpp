#include "DatasetFinder.h"

#include "AgentLog.h"

#include <QRegularExpression>

namespace baton {

namespace {

const QString kSystemPrompt = QStringLiteral(
    "You pick datasets for an AutoML tool. Given the user's goal and a catalogue of datasets, list the "
    "ids of the datasets that fit the goal, best first; leave out any that do not fit (an empty list "
    "is a good answer when none fits). Answer with one JSON object and nothing else: {\"matching\": "
    "[ids]}.");

// Words of a goal that say what it does, not what it is about.
const QStringList kNotSearchWords = {
    QStringLiteral("predict"), QStringLiteral("classify"), QStringLiteral("forecast"), QStringLiteral("estimate"),
    QStringLiteral("build"), QStringLiteral("model"), QStringLiteral("train"), QStringLiteral("classifier"),
    QStringLiteral("dataset"), QStringLiteral("data"), QStringLiteral("the"), QStringLiteral("and"),
    QStringLiteral("for"), QStringLiteral("from"), QStringLiteral("with"), QStringLiteral("using"),
    QStringLiteral("their"), QStringLiteral("its"), QStringLiteral("which"), QStringLiteral("what"),
    QStringLiteral("whether"), QStringLiteral("how"), QStringLiteral("will")};
constexpr int kMaxSearchWords = 4;

} // namespace

QString kaggleSearchTerms(const QString &goal, const QString &datasetHint)
{
    if (!datasetHint.trimmed().isEmpty())
        return datasetHint.simplified();
    static const QRegularExpression nonWord(QStringLiteral("[^\\w]+"));
    QStringList words;
    for (const QString &word : goal.toLower().split(nonWord, Qt::SkipEmptyParts)) {
        if (word.size() > 2 && !kNotSearchWords.contains(word) && !words.contains(word) && words.size() < kMaxSearchWords)
            words << word;
    }
    return words.join(QLatin1Char(' '));
}

std::vector<KaggleSearchResult> findKaggleDatasets(const QString &goal, const QString &datasetHint,
                                                   const JobToken *token, const KaggleSearchOptions &options)
{
    auto credentials = resolveKaggleCredentials(options.credentials);
    if (!credentials) {
        qCDebug(lcAgents) << "dataset finder: no Kaggle credentials, Kaggle not searched";
        return {};
    }
    KaggleSearchOptions search = options;
    search.credentials = std::move(credentials).value();
    const QString terms = kaggleSearchTerms(goal, datasetHint);
    if (terms.isEmpty())
        return {};
    auto found = searchKaggleDatasets(terms, search, token);
    if (!found) {
        qCWarning(lcAgents).noquote() << "dataset finder: Kaggle search left out:" << found.error().toString();
        return {};
    }
    qCInfo(lcAgents).noquote() << "dataset finder: Kaggle search" << terms << "gave" << found->size() << "dataset(s)";
    return std::move(found).value();
}

AgentResult<std::vector<DemoDataset>> findDatasets(const AgentRunner &runner, const QString &goal,
                                                   const QString &datasetHint, const QString &task)
{
    json catalogue = json::array();
    for (const DemoDataset &d : demoDatasets()) {
        catalogue.push_back({{"id", toStd(d.id)},
                             {"name", toStd(d.name)},
                             {"description", toStd(d.description)},
                             {"task", toStd(d.task)},
                             {"target", toStd(d.target)}});
    }
    const json user = {{"goal", toStd(goal)},
                       {"dataset_hint", toStd(datasetHint)},
                       {"task", toStd(task)},
                       {"catalogue", catalogue}};
    const AgentPrompt prompt{QStringLiteral("dataset_finder"), kSystemPrompt, {}, fromStd(user.dump()), 0.0};
    auto validate = [](const json &reply) -> Result<std::vector<DemoDataset>> {
        auto ids = reply::strings(reply, "matching");
        if (!ids)
            return ids.error();
        if (!reply.contains("matching"))
            return reply::invalid(QStringLiteral("“matching” is missing"));
        std::vector<DemoDataset> out;
        QStringList seen;
        for (const QString &id : *ids) {
            const auto demo = demoDataset(id);
            if (!demo)
                return reply::invalid(QStringLiteral("“%1” is not in the catalogue").arg(id));
            if (seen.contains(id))
                continue;
            seen << id;
            out.push_back(*demo);
        }
        return out;
    };
    const QString words = datasetHint.isEmpty() ? goal : goal + QLatin1Char(' ') + datasetHint;
    return runner.run<std::vector<DemoDataset>>(prompt, validate, [&words] { return demoDatasetsMatching(words); });
}

} // namespace baton
