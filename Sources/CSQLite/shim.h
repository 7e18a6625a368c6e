#ifndef POSTDESK_CSQLITE_SHIM_H
#define POSTDESK_CSQLITE_SHIM_H
// No wrappers needed: every sqlite3 call we use is non-variadic.
#include <sqlite3.h>
#endif
