#pragma once

#include <QTextBrowser>

namespace baton::ui {

// Shows the HTML report. The report embeds its charts as data: URLs, which QTextBrowser does not
// load by itself; external links open in the desktop's browser.
class ReportBrowser : public QTextBrowser
{
    Q_OBJECT

public:
    explicit ReportBrowser(QWidget *parent = nullptr);

    QVariant loadResource(int type, const QUrl &name) override;
};

// Renders a Jupyter notebook's cells read-only: markdown as text, code in a monospace frame.
class NotebookView : public QTextBrowser
{
    Q_OBJECT

public:
    explicit NotebookView(QWidget *parent = nullptr);

    // nbformat 4 JSON; returns the number of cells shown.
    int showNotebook(const QByteArray &ipynb);
};

} // namespace baton::ui
