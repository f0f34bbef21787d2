#include "ServerSettings.h"

#include <QRandomGenerator>
#include <QSettings>

namespace baton::server::ServerSettings {

namespace {
const QString kAccessToken = QStringLiteral("server/access_token");

QString freshToken()
{
    QByteArray bytes(32, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32 *>(bytes.data()), bytes.size() / 4);
    return QString::fromLatin1(bytes.toHex());
}
} // namespace

QString accessToken()
{
    QSettings settings;
    QString token = settings.value(kAccessToken).toString();
    if (token.size() < 32) {
        token = freshToken();
        settings.setValue(kAccessToken, token);
    }
    return token;
}

QString regenerateAccessToken()
{
    const QString token = freshToken();
    QSettings().setValue(kAccessToken, token);
    return token;
}

} // namespace baton::server::ServerSettings
