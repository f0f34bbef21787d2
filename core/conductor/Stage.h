#pragma once

#include <QString>

#include <array>
#include <optional>

namespace baton {

// The eight stages in canonical order; the underlying value is the protocol's 0-based index.
enum class StageId {
    ParseIntent = 0,
    DataSource,
    ProfileData,
    Preprocess,
    ModelSelect,
    Train,
    ReviewEdit,
    Export,
};

enum class StageStatus {
    Pending,
    InProgress,
    WaitingConfirmation,
    Completed,
    Failed,
    Skipped,
};

inline constexpr int kStageCount = 8;
inline constexpr std::array<StageId, kStageCount> kAllStages = {
    StageId::ParseIntent, StageId::DataSource, StageId::ProfileData, StageId::Preprocess,
    StageId::ModelSelect, StageId::Train,      StageId::ReviewEdit,  StageId::Export,
};

inline constexpr int stageIndex(StageId id) { return static_cast<int>(id); }
std::optional<StageId> stageAt(int index);
std::optional<StageId> nextStage(StageId id);

// Wire names, exactly as protocol §3.1/§3.2 spell them (never translated).
QString stageName(StageId id);
QString statusName(StageStatus status);
std::optional<StageId> stageFromName(const QString &name);
std::optional<StageStatus> statusFromName(const QString &name);

} // namespace baton
