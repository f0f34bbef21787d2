#include "CsvValues.h"

#include <locale.h>

namespace baton::csv {

bool isMissingWord(Sv s)
{
    switch (s.size()) {
    case 1: return s[0] == '?' || s[0] == '-';
    case 2: return s == "NA";
    case 3: return s == "N/A" || s == "NaN" || s == "nan";
    case 4: return s == "null" || s == "NULL";
    default: return false;
    }
}

bool parseDoubleGenerally(Sv s, double &out)
{
    const char *last = s.data() + s.size();
    const auto [ptr, ec] = std::from_chars(s.data(), last, out, std::chars_format::general);
    if (ptr != last)
        return false;
    if (ec == std::errc::result_out_of_range) {
        // from_chars leaves out untouched on overflow/underflow; strtod gives +-inf or +-0 (or the
        // nearest subnormal). Ask it, in the C locale whatever the process locale is.
        static const locale_t cLocale = newlocale(LC_ALL_MASK, "C", locale_t(nullptr));
        const std::string copy(s);
        out = strtod_l(copy.c_str(), nullptr, cLocale);
        return true;
    }
    return ec == std::errc();
}

} // namespace baton::csv
