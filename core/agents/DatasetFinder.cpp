#include "DatasetFinder.h"

namespace baton {

namespace {

const QString kSystemPrompt = QStringLiteral(
    "You pick datasets for an AutoML tool. Given the user's goal and a catalogue of datasets, list the "
    "ids of the datasets that fit the goal, best first; leave out any that do not fit (an empty list "
    "is a good answer when none fits). Answer with one JSON object and nothing else: {\"matching\": "
    "[ids]}.");

} // namespace

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
