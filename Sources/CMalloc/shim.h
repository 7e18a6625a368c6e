#ifndef POSTDESK_CMALLOC_SHIM_H
#define POSTDESK_CMALLOC_SHIM_H
// glibc's <malloc.h> (mallopt), which Swift's Glibc module leaves out. No code here.
#include <malloc.h>
#endif
