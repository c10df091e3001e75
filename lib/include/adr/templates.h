/*
 * adr/templates.h: record templates.
 *
 * A template is looked up by name: the repository's own committed
 * `.adr/templates/NAME.md` first, then NAME.md in adr's templates
 * directory. That directory is, in order: $ADR_TEMPLATES_DIR; the one the
 * program gave adr_templates_set_dir() (the adr CLI finds its own next to
 * its binary); the configured install location (<datadir>/adr/templates).
 * The library never guesses from the running binary or a source tree.
 */
#ifndef ADR_TEMPLATES_H
#define ADR_TEMPLATES_H

#include "adr/common.h"

#ifdef __cplusplus
extern "C" {
#endif

struct adr_repo;

/*
 * Loads a record template by name (NULL: the repository's default, from
 * .adr.yaml): the repository's own `.adr/templates/NAME.md` (committed)
 * first, then the templates directory.
 */
int adr_repo_load_template(adr_buf *out, struct adr_repo *repo, const char *name);
/* The directory of adr's own templates (see above). */
const char *adr_templates_dir(void);
/* Names adr's templates directory for this process (NULL: none). The
 * string is borrowed: it must live as long as the library uses it. */
void adr_templates_set_dir(const char *dir);

#ifdef __cplusplus
}
#endif
#endif
