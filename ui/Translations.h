#pragma once

#include <QString>
#include <QStringList>

namespace baton::ui {

// The languages Baton ships (codes), English first.
QStringList availableLanguages();
// The language's name in itself ("Deutsch").
QString languageName(const QString &code);
// Installs the translators for `code` ("" = the system's language) in place of the previous
// ones; false when Baton has no translation for it (English then).
bool installLanguage(const QString &code);

} // namespace baton::ui
