// Assets (protocol §2.2 (23)-(25)) and the export download (7).

#include "MultipartReader.h"
#include "ProjectHub.h"
#include "RestApi.h"

#include "core/pipeline/ProjectSession.h"

#include <QDir>
#include <QFileInfo>
#include <QRegularExpression>
#include <QTemporaryFile>

namespace baton::server {

namespace {

// Served files never run as pages of the API's origin (an uploaded .html or .svg).
void hardenAsset(HttpResponse &response)
{
    response.setHeader("X-Content-Type-Options", "nosniff");
    response.setHeader("Content-Security-Policy", "sandbox");
}

} // namespace

void RestApi::addAssetRoutes(Router &router)
{
    router.get(QStringLiteral("/api/assets"), [this](const RouteParams &, HttpRequest &, HttpResponder r) {
        json assets = json::array();
        for (const QString &path : m_assets.list())
            assets.push_back(toStd(path));
        r.send(HttpResponse::json({{"assets", assets}}));
    });
    router.get(QStringLiteral("/api/assets/{path*}"), [this](const RouteParams &p, HttpRequest &, HttpResponder r) {
        auto file = m_assets.resolve(p.value(QStringLiteral("path")).toLatin1());
        if (!file) {
            r.send(HttpResponse::error(file.error().kind == ErrorKind::NotFound ? 404 : 400, file.error().message));
            return;
        }
        HttpResponse response = HttpResponse::file(file.value(), AssetResolver::contentTypeFor(file.value()));
        hardenAsset(response);
        if (file->endsWith(QLatin1String(".zip"))) // the export bundle link of the web UI (§11)
            response.setHeader("Content-Disposition",
                               "attachment; filename=\"" + QFileInfo(file.value()).fileName().toUtf8() + '"');
        r.send(std::move(response));
    });
    router.post(QStringLiteral("/api/assets/upload"), [this](const RouteParams &, HttpRequest &request, HttpResponder r) {
        auto boundary = MultipartReader::boundaryOf(request.header("content-type"));
        if (!boundary) {
            r.send(validationError(QStringLiteral("file"), boundary.error().message, QStringLiteral("missing")));
            return;
        }
        const QString folder = QDir(m_assets.root()).filePath(QStringLiteral("uploads"));
        auto work = [request, boundary = boundary.value(), folder, r, this]() mutable {
            Result<QString> stored = [&]() -> Result<QString> {
                QDir().mkpath(folder);
                QFile part(QDir(folder).filePath(QStringLiteral(".part-%1").arg(quintptr(&request))));
                if (!part.open(QIODevice::WriteOnly))
                    return makeError(ErrorKind::Io, QStringLiteral("upload.write"), part.errorString(), folder);
                QIODevice *body = request.bodyFile.get();
                if (!body)
                    return makeError(ErrorKind::BadInput, QStringLiteral("upload.empty"), QStringLiteral("No file in the form"));
                body->seek(0);
                auto file = MultipartReader::extractFile(*body, boundary, "file", part);
                part.close();
                if (!file) {
                    part.remove();
                    return file.error();
                }
                QString name = sanitizeFileName(file->fileName);
                if (name.isEmpty())
                    name = QStringLiteral("upload.bin");
                const QString destination = QDir(folder).filePath(name);
                QFile::remove(destination);
                if (!part.rename(destination)) {
                    part.remove();
                    return makeError(ErrorKind::Io, QStringLiteral("upload.write"), part.errorString(), destination);
                }
                return destination;
            }();
            QMetaObject::invokeMethod(&m_hub, [r, stored = std::move(stored), this] {
                if (!stored)
                    r.send(HttpResponse::error(stored.error()));
                else
                    r.send(HttpResponse::json({{"asset", toStd(m_assets.relativePath(stored.value()))}}));
            });
        };
        m_io.start(std::move(work));
    });

    router.get(QStringLiteral("/api/projects/{pid}/export/download"), [this](const RouteParams &p, HttpRequest &request, HttpResponder r) {
        ProjectSession *session = sessionOrReply(p.value(QStringLiteral("pid")), r);
        if (!session)
            return;
        const QString pid = session->conductor().projectId();
        const QDir exports(QDir(session->store().assetsDir()).filePath(QStringLiteral("export")));
        const QString timestamp = request.query.queryItemValue(QStringLiteral("timestamp"));
        QString name;
        if (!timestamp.isEmpty()) {
            static const QRegularExpression format(QStringLiteral("^\\d{8}_\\d{6}$"));
            if (!format.match(timestamp).hasMatch()) {
                r.send(HttpResponse::error(400, QStringLiteral("timestamp must look like YYYYMMDD_HHMMSS")));
                return;
            }
            name = QStringLiteral("%1_export_%2.zip").arg(pid, timestamp);
            if (!exports.exists(name)) {
                r.send(HttpResponse::error(404, QStringLiteral("Export package not found: %1").arg(name)));
                return;
            }
        } else {
            const QStringList zips = exports.entryList({pid + QStringLiteral("_export_*.zip")}, QDir::Files, QDir::Name);
            if (zips.isEmpty()) {
                r.send(HttpResponse::error(404, QStringLiteral("No export packages found. Run export stage first.")));
                return;
            }
            name = zips.last(); // timestamps sort by name
        }
        HttpResponse response = HttpResponse::file(exports.filePath(name), "application/zip");
        response.setHeader("Content-Disposition", "attachment; filename=\"" + name.toUtf8() + '"');
        r.send(std::move(response));
    });
}

} // namespace baton::server
