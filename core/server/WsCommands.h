#pragma once

#include <QString>

namespace baton {
class ProjectSession;
}

namespace baton::server {

class WsClient;

// Acts on one client message (protocol §1.6): chat, confirm (as REST confirm: the next stage
// runs), command restart_stage / cancel_run / stop_run, ping. A malformed message gets an
// `{"type":"error"}` reply and the connection stays open.
void handleClientMessage(ProjectSession &session, WsClient &client, const QString &text);

} // namespace baton::server
