#pragma once

#include <QLoggingCategory>

// One category per module; enable with QT_LOGGING_RULES="baton.conductor.debug=true".
Q_DECLARE_LOGGING_CATEGORY(lcConductor)
Q_DECLARE_LOGGING_CATEGORY(lcStore)
Q_DECLARE_LOGGING_CATEGORY(lcJobs)
Q_DECLARE_LOGGING_CATEGORY(lcPipeline)
