#pragma once

#include "AgentRunner.h"

namespace baton {

// The narrator (REVIEW_EDIT): the report's plain-language summary. The model writes prose from
// the run's facts only; every number it writes must be one of the run's numbers (as written, or
// rounded, or as a percentage) and the primary test metric must be stated, or the deterministic
// paragraphs stand. Numbers come from the run, never from the model's imagination.
AgentResult<QStringList> narrate(const AgentRunner &runner, const json &facts,
                                 const QStringList &deterministicParagraphs);

// Replaces report["narrative"] (the deterministic paragraphs) by the narrator's and records
// which produced it in report["narrative_source"].
void narrateReport(const AgentRunner &runner, json &report);

// The check, public for tests: empty when every number in `text` is backed by `facts` and the
// primary metric value (if any) appears; else what is wrong.
QString uncheckedNumbers(const QString &text, const json &facts, std::optional<double> primaryValue);

} // namespace baton
