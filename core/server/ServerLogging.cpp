#include "ServerLogging.h"

Q_LOGGING_CATEGORY(lcServer, "baton.server", QtInfoMsg)
