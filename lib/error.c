/* error.c - fs_strerror(), the detail buffer and problem lists. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fieldschool/error.h"

static _Thread_local char detail[1024];

const char *
fs_strerror(fs_err err)
{
	switch (err) {
	case FS_OK:
		return "success";
	case FS_ENOMEM:
		return "out of memory";
	case FS_EIO:
		return "input/output error";
	case FS_EDB:
		return "database error";
	case FS_EBUSY:
		return "database is busy";
	case FS_ENOTFOUND:
		return "not found";
	case FS_EEXISTS:
		return "already exists";
	case FS_EINPUT:
		return "input rejected";
	}
	return "unknown error";
}

const char *
fs_errno_text(int errnum)
{
	if (errnum == ENOSPC || errnum == EDQUOT)
		return "the disk is full";
	return strerror(errnum);
}

const char *
fs_errdetail(void)
{
	return detail;
}

fs_err
fs_fail(fs_err err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	return err;
}

fs_err
fs_problems_add(fs_problems *list, long line, const char *column,
		const char *fmt, ...)
{
	va_list ap;
	char *reason = NULL;
	int len;

	if (list->n == list->cap) {
		size_t cap = list->cap ? list->cap * 2 : 16;
		fs_problem *items = realloc(list->items, cap * sizeof(*items));
		if (!items)
			return fs_fail(FS_ENOMEM, "out of memory");
		list->items = items;
		list->cap = cap;
	}
	va_start(ap, fmt);
	len = vasprintf(&reason, fmt, ap);
	va_end(ap);
	if (len < 0)
		return fs_fail(FS_ENOMEM, "out of memory");
	list->items[list->n++] = (fs_problem){ line, column, reason };
	return FS_EINPUT;
}

void
fs_problems_release(fs_problems *list)
{
	for (size_t i = 0; i < list->n; i++)
		free(list->items[i].reason);
	free(list->items);
	*list = (fs_problems)FS_PROBLEMS_INIT;
}
