/*
 * fieldschool/demo.h - the three demo missions shipped in data/demo/:
 * mx-2027 (Mexico City), rw-2027 (Kigali) and ph-2027 (Manila).
 */
#ifndef FIELDSCHOOL_DEMO_H
#define FIELDSCHOOL_DEMO_H

#include "fieldschool/record.h"

/*
 * Imports the demo missions, agendas and participants into store through
 * the same checks as any CSV import, in one transaction.  Problems (which
 * would be a bug in data/) land in *problems with FS_EINPUT.
 */
fs_err fs_demo_load(fs_store *store, fs_problems *problems);

#endif
