/*
 * adr/slug.h: file-name slugs made from record titles (lib/record/slug.c).
 */
#ifndef ADR_SLUG_H
#define ADR_SLUG_H

#include "adr/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Makes a file-name slug from a title: lowercase ASCII letters, digits and
 * single dashes, at most 60 characters, matching ^[a-z0-9][a-z0-9-]{0,59}$
 * and never a Windows device name. Latin letters with accents lose them
 * (in NFC and NFD alike). The result may be empty (a title in a script
 * without ASCII transliteration); callers then use the number alone.
 * A title that is empty, has a newline, a control character, a bidi control
 * or a line separator (see adr/text.h; the message names the character and
 * its position), is not valid UTF-8, or has no letter or digit at all gives
 * ADR_EINVALID.
 */
int adr_slugify(adr_buf *out, const char *title);

#ifdef __cplusplus
}
#endif
#endif
