#include "Stage.h"

namespace baton {

namespace {
constexpr std::array<const char *, kStageCount> kStageNames = {
    "PARSE_INTENT", "DATA_SOURCE", "PROFILE_DATA", "PREPROCESS",
    "MODEL_SELECT", "TRAIN",       "REVIEW_EDIT",  "EXPORT",
};
constexpr std::array<const char *, 6> kStatusNames = {
    "PENDING", "IN_PROGRESS", "WAITING_CONFIRMATION", "COMPLETED", "FAILED", "SKIPPED",
};
} // namespace

std::optional<StageId> stageAt(int index)
{
    if (index < 0 || index >= kStageCount)
        return std::nullopt;
    return static_cast<StageId>(index);
}

std::optional<StageId> nextStage(StageId id)
{
    return stageAt(stageIndex(id) + 1);
}

QString stageName(StageId id)
{
    return QString::fromLatin1(kStageNames[static_cast<size_t>(stageIndex(id))]);
}

QString statusName(StageStatus status)
{
    return QString::fromLatin1(kStatusNames[static_cast<size_t>(status)]);
}

std::optional<StageId> stageFromName(const QString &name)
{
    for (size_t i = 0; i < kStageNames.size(); ++i) {
        if (name == QLatin1String(kStageNames[i]))
            return static_cast<StageId>(i);
    }
    return std::nullopt;
}

std::optional<StageStatus> statusFromName(const QString &name)
{
    for (size_t i = 0; i < kStatusNames.size(); ++i) {
        if (name == QLatin1String(kStatusNames[i]))
            return static_cast<StageStatus>(i);
    }
    return std::nullopt;
}

} // namespace baton
