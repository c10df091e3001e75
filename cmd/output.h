/* cmd/output.h: list output as text or JSON, shared by the listing commands. */
#ifndef ADR_CLI_OUTPUT_H
#define ADR_CLI_OUTPUT_H

#include "cli.h"
#include "adr/json.h"

typedef struct {
	bool json;
	adr_buf buf;
	adr_json_writer w;
} cli_out;

void cli_out_begin(cli_out *o, bool json);
void cli_out_list_begin(cli_out *o);
void cli_out_list_end(cli_out *o);
/* One record as a JSON object (with the body when `full`). */
void cli_out_record(cli_out *o, const adr_record *r, bool full);
/* Writes what was gathered to stdout; <0 on failure. */
int cli_out_end(cli_out *o);

#endif
