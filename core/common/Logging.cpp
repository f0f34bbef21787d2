#include "Logging.h"

Q_LOGGING_CATEGORY(lcConductor, "baton.conductor", QtInfoMsg)
Q_LOGGING_CATEGORY(lcStore, "baton.project.store", QtInfoMsg)
Q_LOGGING_CATEGORY(lcJobs, "baton.jobs", QtInfoMsg)
Q_LOGGING_CATEGORY(lcPipeline, "baton.pipeline", QtInfoMsg)
