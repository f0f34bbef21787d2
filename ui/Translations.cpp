#include "Translations.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QLocale>
#include <QTranslator>

#include <memory>

namespace baton::ui {

namespace {

struct Installed
{
    std::unique_ptr<QTranslator> baton;
    std::unique_ptr<QTranslator> qt;
};

Installed &installed()
{
    static Installed translators;
    return translators;
}

} // namespace

QStringList availableLanguages()
{
    return {QStringLiteral("en"), QStringLiteral("de")};
}

QString languageName(const QString &code)
{
    return QLocale(code).nativeLanguageName();
}

bool installLanguage(const QString &code)
{
    Installed &current = installed();
    for (auto *t : {current.baton.get(), current.qt.get()}) {
        if (t)
            QCoreApplication::removeTranslator(t);
    }
    current.baton.reset();
    current.qt.reset();
    const QLocale locale = code.isEmpty() ? QLocale::system() : QLocale(code);
    QLocale::setDefault(locale);
    if (locale.language() == QLocale::English || locale.language() == QLocale::C)
        return true;
    auto baton = std::make_unique<QTranslator>();
    if (!baton->load(locale, QStringLiteral("baton"), QStringLiteral("_"), QStringLiteral(":/i18n")))
        return false;
    QCoreApplication::installTranslator(baton.get());
    current.baton = std::move(baton);
    // Qt's own strings (dialog buttons) when the system has them
    auto qt = std::make_unique<QTranslator>();
    if (qt->load(locale, QStringLiteral("qtbase"), QStringLiteral("_"),
                 QLibraryInfo::path(QLibraryInfo::TranslationsPath))) {
        QCoreApplication::installTranslator(qt.get());
        current.qt = std::move(qt);
    }
    return true;
}

} // namespace baton::ui
