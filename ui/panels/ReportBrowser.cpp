#include "ReportBrowser.h"

#include "core/common/Json.h"
#include "ui/JsonFields.h"

#include <QFontDatabase>
#include <QImage>
#include <QTextCursor>
#include <QTextFrame>

namespace baton::ui {

ReportBrowser::ReportBrowser(QWidget *parent)
    : QTextBrowser(parent)
{
    setOpenExternalLinks(true);
}

QVariant ReportBrowser::loadResource(int type, const QUrl &name)
{
    if (type == QTextDocument::ImageResource && name.scheme() == QLatin1String("data")) {
        const QByteArray url = name.toEncoded();
        const qsizetype comma = url.indexOf(',');
        if (comma > 0 && url.left(comma).endsWith(";base64"))
            return QImage::fromData(QByteArray::fromBase64(url.mid(comma + 1)));
        return {};
    }
    return QTextBrowser::loadResource(type, name);
}

NotebookView::NotebookView(QWidget *parent)
    : QTextBrowser(parent)
{
    setReadOnly(true);
}

int NotebookView::showNotebook(const QByteArray &ipynb)
{
    clear();
    auto notebook = parseJson(ipynb, QStringLiteral("notebook"));
    if (!notebook) {
        setPlainText(tr("Cannot read the notebook: %1").arg(notebook.error().toString()));
        return 0;
    }
    QTextCursor cursor(document());
    QTextFrameFormat codeFrame;
    codeFrame.setBackground(palette().color(QPalette::AlternateBase));
    codeFrame.setPadding(6);
    codeFrame.setMargin(4);
    codeFrame.setBorder(1);
    codeFrame.setBorderBrush(palette().color(QPalette::Mid));
    QTextCharFormat codeText;
    codeText.setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    int shown = 0;
    for (const json &cell : arrayField(notebook.value(), "cells")) {
        const json &sourceField = cell.is_object() && cell.contains("source") ? cell["source"] : json();
        const QString source = sourceField.is_string() ? stringField(cell, "source")
                                                       : strings(sourceField).join(QString());
        if (stringField(cell, "cell_type") == QLatin1String("code")) {
            cursor.insertFrame(codeFrame);
            cursor.insertText(source, codeText);
            cursor.movePosition(QTextCursor::End);
        } else {
            cursor.insertMarkdown(source);
            cursor.insertBlock();
        }
        ++shown;
    }
    moveCursor(QTextCursor::Start);
    return shown;
}

} // namespace baton::ui
