/* cmd/templates_dir.h: the adr binary names its templates directory (templates_dir.c). */
#ifndef ADR_CLI_TEMPLATES_DIR_H
#define ADR_CLI_TEMPLATES_DIR_H

/* Finds the templates beside the binary and gives them to the library. */
void cli_templates_init(void);

#endif
