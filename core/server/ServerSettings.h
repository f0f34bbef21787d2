#pragma once

#include <QString>

namespace baton::server::ServerSettings {

// The bearer token clients must present when the server listens beyond loopback. Generated
// once (256 random bits, hex) and kept with the settings so it survives restarts; the GUI shows
// it, `baton serve` prints it.
QString accessToken();
// Replaces the token with a fresh one (revokes every client that had the old one).
QString regenerateAccessToken();

} // namespace baton::server::ServerSettings
