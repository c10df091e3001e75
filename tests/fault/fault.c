/*
 * An I/O and allocation fault injector for the fault sweep
 * (tests/cli/t_fault_sweep.sh, issue 11): an LD_PRELOAD shim that makes the
 * n-th call of one class of calls fail, and passes every other call through.
 *
 *   ADR_FAULT=<class>:<n>     the n-th call (from 1) of <class> fails, once
 *   ADR_FAULT_COUNT=<file>    at exit, writes "<class> <calls>" per line, and
 *                             "fired <class> <n> <where>" when the fault fired
 *   ADR_FAULT_TRACE=1         when the fault fires, a backtrace on stderr (to
 *                             find the code that handled it: addr2line -e)
 *
 * Classes, and the errno a failed call sets:
 *   alloc      malloc calloc realloc reallocarray posix_memalign aligned_alloc
 *              memalign valloc (every allocation: libc's own go through
 *              malloc)                                                 ENOMEM
 *   own-alloc  malloc calloc realloc reallocarray strdup strndup called from
 *              the main executable (adr's cmd/ and lib/ are linked into it;
 *              libgit2, SQLite, cmark and libyaml are not)             ENOMEM
 *   write      write pwrite pwritev writev fwrite ftruncate, on fds above 2
 *              (what adr prints is not a file it writes)               ENOSPC
 *   open       open openat creat fopen freopen mkstemp* that write or create
 *                                                                      EIO
 *   rename     rename renameat renameat2 link linkat                   EIO
 *   fsync      fsync fdatasync                                         EIO
 *   mkdir      mkdir mkdirat mkdtemp                                   EIO
 *   unlink     unlink unlinkat remove rmdir                            EIO
 *   read       read pread readv fread, on fds above 0                  EIO
 *   thread     pthread_create                            returns EAGAIN
 *   random     getrandom                                        ENOSYS
 *   fstat      fstat called from the main executable (adr's own
 *              checks of what it wrote or reads)                       EIO
 *
 * The shim arms itself only in the process it is loaded into first: its
 * constructor removes LD_PRELOAD and its own variables from the environment,
 * so that programs adr runs are left alone. Counting starts when the
 * constructor has run. The allocation hooks find the next malloc with
 * dlsym(RTLD_NEXT), which may itself allocate: those allocations come from a
 * small static arena, and free() ignores pointers into it. Nothing here
 * allocates through the hooked functions.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <execinfo.h>
#include <fcntl.h>
#include <limits.h>
#include <link.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

enum fault_class {
	C_ALLOC, C_OWN_ALLOC, C_WRITE, C_OPEN, C_RENAME, C_FSYNC, C_MKDIR, C_UNLINK, C_READ, C_THREAD, C_RANDOM,
	C_FSTAT, C_COUNT
};

static const char *const class_names[C_COUNT] = {
	"alloc", "own-alloc", "write", "open", "rename", "fsync", "mkdir", "unlink", "read", "thread", "random", "fstat"
};
static const int class_errno[C_COUNT] = {
	ENOMEM, ENOMEM, ENOSPC, EIO, EIO, EIO, EIO, EIO, EIO, EAGAIN, ENOSYS, EIO
};

static int armed;                 /* the constructor ran: count */
static int target = -1;           /* the class that fails, or -1 */
static unsigned long target_n;
static unsigned long counts[C_COUNT];
static char count_path[4096];
static uintptr_t exe_lo, exe_hi;  /* the main executable's loaded segments */
static int fired;
static void *fired_at;
static int trace;

/* --- the allocation bootstrap ------------------------------------------- */

static void *(*real_malloc)(size_t);
static void *(*real_calloc)(size_t, size_t);
static void *(*real_realloc)(void *, size_t);
static void (*real_free)(void *);
static int resolving;

static _Alignas(16) unsigned char arena[64 * 1024];
static size_t arena_used;

static int in_arena(const void *p)
{
	return (const unsigned char *)p >= arena && (const unsigned char *)p < arena + sizeof(arena);
}

/* A bump allocator for what dlsym allocates before malloc is resolved. */
static void *arena_alloc(size_t size)
{
	size_t need = (size + 15) & ~(size_t)15;
	void *p;
	if (need < size || need + 16 > sizeof(arena) - arena_used)
		return NULL;
	memcpy(arena + arena_used, &size, sizeof(size));
	p = arena + arena_used + 16;
	arena_used += need + 16;
	memset(p, 0, size);
	return p;
}

static void resolve_alloc(void)
{
	if (real_malloc || resolving)
		return;
	resolving = 1;
	real_calloc = (void *(*)(size_t, size_t))dlsym(RTLD_NEXT, "calloc");
	real_realloc = (void *(*)(void *, size_t))dlsym(RTLD_NEXT, "realloc");
	real_free = (void (*)(void *))dlsym(RTLD_NEXT, "free");
	real_malloc = (void *(*)(size_t))dlsym(RTLD_NEXT, "malloc");
	resolving = 0;
}

/* --- counting ------------------------------------------------------------ */

/* Nothing is counted once exit() has begun: what runs then is not adr's
 * (in a gcov build, libgcov allocates in the executable to write its data,
 * and failing that crashes the run). The handler is registered at the first
 * call from the executable: by then libc has registered the handler that
 * runs the executable's destructors, and handlers run last-in first-out. */
static int disarm_registered;

static void fault_disarm(void)
{
	armed = 0;
}

static int from_exe(const void *caller);

static void register_disarm(const void *caller)
{
	if (disarm_registered || !from_exe(caller))
		return;
	disarm_registered = 1;
	atexit(fault_disarm);
}

/* Counts one call of `c`; true when this is the call that fails. */
static int hit(enum fault_class c, void *caller)
{
	unsigned long n;
	if (!armed)
		return 0;
	register_disarm(caller);
	if (!armed)
		return 0;
	n = __atomic_add_fetch(&counts[c], 1, __ATOMIC_RELAXED);
	if ((int)c != target || n != target_n)
		return 0;
	fired = 1;
	fired_at = caller;
	if (trace) {
		void *frames[32];
		backtrace_symbols_fd(frames, backtrace(frames, 32), 2);
	}
	return 1;
}

static int from_exe(const void *caller)
{
	return (uintptr_t)caller >= exe_lo && (uintptr_t)caller < exe_hi;
}

/* Counts an allocation in both classes; true when it fails. */
static int alloc_fails(void *caller, int own_too)
{
	int f = hit(C_ALLOC, caller);
	if (own_too && from_exe(caller))
		f |= hit(C_OWN_ALLOC, caller);
	if (f)
		errno = ENOMEM;
	return f;
}

static int fails(enum fault_class c, void *caller)
{
	if (!hit(c, caller))
		return 0;
	errno = class_errno[c];
	return 1;
}

#define CALLER __builtin_return_address(0)
/* Looks up the next definition of `name` once, typed like the local `fn`. */
#define NEXT(fn, name) \
	do { \
		if (!(fn)) \
			*(void **)&(fn) = dlsym(RTLD_NEXT, name); \
	} while (0)

/* A wrapper that passes the call on, unless `cond` holds and the call is
 * the one of class `cls` that fails: then it returns `bad` (errno set). */
#define WRAP(ret, name, params, args, cond, cls, bad) \
	ret name params \
	{ \
		static ret(*next) params; \
		NEXT(next, #name); \
		if ((cond) && fails(cls, CALLER)) \
			return bad; \
		return next args; \
	}

/* --- allocation ---------------------------------------------------------- */

void *malloc(size_t size)
{
	if (!real_malloc) {
		resolve_alloc();
		if (!real_malloc)
			return arena_alloc(size);
	}
	if (alloc_fails(CALLER, 1))
		return NULL;
	return real_malloc(size);
}

void *calloc(size_t n, size_t size)
{
	if (!real_calloc) {
		resolve_alloc();
		if (!real_calloc)
			return size && n > SIZE_MAX / size ? NULL : arena_alloc(n * size);
	}
	if (alloc_fails(CALLER, 1))
		return NULL;
	return real_calloc(n, size);
}

void *realloc(void *p, size_t size)
{
	if (in_arena(p)) {
		size_t old;
		void *q = malloc(size);
		memcpy(&old, (unsigned char *)p - 16, sizeof(old));
		if (q)
			memcpy(q, p, old < size ? old : size);
		return q;
	}
	if (!real_realloc) {
		resolve_alloc();
		if (!real_realloc)
			return arena_alloc(size);
	}
	if (alloc_fails(CALLER, 1))
		return NULL;
	return real_realloc(p, size);
}

void *reallocarray(void *p, size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size) {
		errno = ENOMEM;
		return NULL;
	}
	if (in_arena(p) || !real_realloc) {
		resolve_alloc();
		return realloc(p, n * size);
	}
	if (alloc_fails(CALLER, 1))
		return NULL;
	return real_realloc(p, n * size);
}

void free(void *p)
{
	if (!p || in_arena(p))
		return;
	if (!real_free)
		resolve_alloc();
	if (real_free)
		real_free(p);
}

int posix_memalign(void **out, size_t align, size_t size)
{
	static int (*next)(void **, size_t, size_t);
	NEXT(next, "posix_memalign");
	if (alloc_fails(CALLER, 1))
		return ENOMEM;
	return next(out, align, size);
}

void *aligned_alloc(size_t align, size_t size)
{
	static void *(*next)(size_t, size_t);
	NEXT(next, "aligned_alloc");
	if (alloc_fails(CALLER, 1))
		return NULL;
	return next(align, size);
}

void *memalign(size_t align, size_t size)
{
	static void *(*next)(size_t, size_t);
	NEXT(next, "memalign");
	if (alloc_fails(CALLER, 1))
		return NULL;
	return next(align, size);
}

void *valloc(size_t size)
{
	static void *(*next)(size_t);
	NEXT(next, "valloc");
	if (alloc_fails(CALLER, 1))
		return NULL;
	return next(size);
}

/* strdup and strndup allocate through malloc, which counts them as `alloc`;
 * here they count only as adr's own. */
char *strdup(const char *s)
{
	static char *(*next)(const char *);
	NEXT(next, "strdup");
	if (from_exe(CALLER) && hit(C_OWN_ALLOC, CALLER)) {
		errno = ENOMEM;
		return NULL;
	}
	return next(s);
}

char *strndup(const char *s, size_t n)
{
	static char *(*next)(const char *, size_t);
	NEXT(next, "strndup");
	if (from_exe(CALLER) && hit(C_OWN_ALLOC, CALLER)) {
		errno = ENOMEM;
		return NULL;
	}
	return next(s, n);
}

/* --- threads and randomness ---------------------------------------------- */

/* A thread that cannot start (no memory for its stack, a process limit):
 * every caller in adr has a way on without it. */
int pthread_create(pthread_t *th, const pthread_attr_t *attr, void *(*fn)(void *), void *arg)
{
	static int (*next)(pthread_t *, const pthread_attr_t *, void *(*)(void *), void *);
	NEXT(next, "pthread_create");
	if (fails(C_THREAD, CALLER))
		return EAGAIN;
	return next(th, attr, fn, arg);
}

/* A kernel without getrandom (ENOSYS). */
ssize_t getrandom(void *buf, size_t n, unsigned flags)
{
	static ssize_t (*next)(void *, size_t, unsigned);
	NEXT(next, "getrandom");
	if (fails(C_RANDOM, CALLER))
		return -1;
	return next(buf, n, flags);
}

int fstat(int fd, struct stat *st)
{
	static int (*next)(int, struct stat *);
	NEXT(next, "fstat");
	if (from_exe(CALLER) && fails(C_FSTAT, CALLER))
		return -1;
	return next(fd, st);
}

/* --- write --------------------------------------------------------------- */

WRAP(ssize_t, write, (int fd, const void *buf, size_t n), (fd, buf, n), fd > 2, C_WRITE, -1)
WRAP(ssize_t, pwrite, (int fd, const void *buf, size_t n, off_t off), (fd, buf, n, off), fd > 2, C_WRITE, -1)
WRAP(ssize_t, pwrite64, (int fd, const void *buf, size_t n, off64_t off), (fd, buf, n, off), fd > 2, C_WRITE, -1)
WRAP(ssize_t, writev, (int fd, const struct iovec *iov, int cnt), (fd, iov, cnt), fd > 2, C_WRITE, -1)
WRAP(ssize_t, pwritev, (int fd, const struct iovec *iov, int cnt, off_t off), (fd, iov, cnt, off), fd > 2, C_WRITE, -1)
WRAP(int, ftruncate, (int fd, off_t len), (fd, len), 1, C_WRITE, -1)
WRAP(int, ftruncate64, (int fd, off64_t len), (fd, len), 1, C_WRITE, -1)

/* --- open ---------------------------------------------------------------- */

static int writes(int flags)
{
	return (flags & (O_WRONLY | O_RDWR | O_CREAT | O_TRUNC)) != 0;
}

static int fwrites(const char *mode)
{
	return mode && strpbrk(mode, "wa+") != NULL;
}

static mode_t mode_arg(int flags, va_list ap)
{
	return (flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE ? (mode_t)va_arg(ap, unsigned) : 0;
}

#define OPEN_HOOK(name) \
	int name(const char *path, int flags, ...) \
	{ \
		static int (*next)(const char *, int, ...); \
		va_list ap; \
		mode_t mode; \
		va_start(ap, flags); \
		mode = mode_arg(flags, ap); \
		va_end(ap); \
		NEXT(next, #name); \
		if (writes(flags) && fails(C_OPEN, CALLER)) \
			return -1; \
		return next(path, flags, mode); \
	}
OPEN_HOOK(open)
OPEN_HOOK(open64)

#define OPENAT_HOOK(name) \
	int name(int dfd, const char *path, int flags, ...) \
	{ \
		static int (*next)(int, const char *, int, ...); \
		va_list ap; \
		mode_t mode; \
		va_start(ap, flags); \
		mode = mode_arg(flags, ap); \
		va_end(ap); \
		NEXT(next, #name); \
		if (writes(flags) && fails(C_OPEN, CALLER)) \
			return -1; \
		return next(dfd, path, flags, mode); \
	}
OPENAT_HOOK(openat)
OPENAT_HOOK(openat64)

/* The _FORTIFY_SOURCE entry points (never with O_CREAT). */
#define OPEN2_HOOK(name) \
	int name(const char *path, int flags) \
	{ \
		static int (*next)(const char *, int); \
		NEXT(next, #name); \
		if (writes(flags) && fails(C_OPEN, CALLER)) \
			return -1; \
		return next(path, flags); \
	}
int __open_2(const char *path, int flags);
int __open64_2(const char *path, int flags);
OPEN2_HOOK(__open_2)
OPEN2_HOOK(__open64_2)

#define OPENAT2_HOOK(name) \
	int name(int dfd, const char *path, int flags) \
	{ \
		static int (*next)(int, const char *, int); \
		NEXT(next, #name); \
		if (writes(flags) && fails(C_OPEN, CALLER)) \
			return -1; \
		return next(dfd, path, flags); \
	}
int __openat_2(int dfd, const char *path, int flags);
int __openat64_2(int dfd, const char *path, int flags);
OPENAT2_HOOK(__openat_2)
OPENAT2_HOOK(__openat64_2)

#define CREAT_HOOK(name) \
	int name(const char *path, mode_t mode) \
	{ \
		static int (*next)(const char *, mode_t); \
		NEXT(next, #name); \
		if (fails(C_OPEN, CALLER)) \
			return -1; \
		return next(path, mode); \
	}
CREAT_HOOK(creat)
CREAT_HOOK(creat64)

#define FOPEN_HOOK(name) \
	FILE *name(const char *path, const char *mode) \
	{ \
		static FILE *(*next)(const char *, const char *); \
		NEXT(next, #name); \
		if (fwrites(mode) && fails(C_OPEN, CALLER)) \
			return NULL; \
		return next(path, mode); \
	}
FOPEN_HOOK(fopen)
FOPEN_HOOK(fopen64)

FILE *freopen(const char *path, const char *mode, FILE *f)
{
	static FILE *(*next)(const char *, const char *, FILE *);
	NEXT(next, "freopen");
	if (fwrites(mode) && fails(C_OPEN, CALLER))
		return NULL;
	return next(path, mode, f);
}

/* glibc's mkstemp family opens with its internal open: hooked here. */
WRAP(int, mkstemp, (char *tmpl), (tmpl), 1, C_OPEN, -1)
WRAP(int, mkostemp, (char *tmpl, int flags), (tmpl, flags), 1, C_OPEN, -1)
WRAP(int, mkstemps, (char *tmpl, int suffixlen), (tmpl, suffixlen), 1, C_OPEN, -1)
WRAP(int, mkostemps, (char *tmpl, int suffixlen, int flags), (tmpl, suffixlen, flags), 1, C_OPEN, -1)

/* --- rename (and link: both give a file a name) --------------------------- */

WRAP(int, rename, (const char *from, const char *to), (from, to), 1, C_RENAME, -1)
WRAP(int, renameat, (int fd1, const char *from, int fd2, const char *to), (fd1, from, fd2, to), 1, C_RENAME, -1)
WRAP(int, renameat2, (int fd1, const char *from, int fd2, const char *to, unsigned flags), (fd1, from, fd2, to, flags), 1, C_RENAME, -1)
WRAP(int, link, (const char *from, const char *to), (from, to), 1, C_RENAME, -1)
WRAP(int, linkat, (int fd1, const char *from, int fd2, const char *to, int flags), (fd1, from, fd2, to, flags), 1, C_RENAME, -1)

/* --- fsync --------------------------------------------------------------- */

WRAP(int, fsync, (int fd), (fd), 1, C_FSYNC, -1)
WRAP(int, fdatasync, (int fd), (fd), 1, C_FSYNC, -1)

/* --- mkdir --------------------------------------------------------------- */

WRAP(int, mkdir, (const char *path, mode_t mode), (path, mode), 1, C_MKDIR, -1)
WRAP(int, mkdirat, (int dfd, const char *path, mode_t mode), (dfd, path, mode), 1, C_MKDIR, -1)
WRAP(char *, mkdtemp, (char *tmpl), (tmpl), 1, C_MKDIR, NULL)

/* --- unlink -------------------------------------------------------------- */

WRAP(int, unlink, (const char *path), (path), 1, C_UNLINK, -1)
WRAP(int, unlinkat, (int dfd, const char *path, int flags), (dfd, path, flags), 1, C_UNLINK, -1)
WRAP(int, remove, (const char *path), (path), 1, C_UNLINK, -1)
WRAP(int, rmdir, (const char *path), (path), 1, C_UNLINK, -1)

/* --- read ---------------------------------------------------------------- */

WRAP(ssize_t, read, (int fd, void *buf, size_t n), (fd, buf, n), fd > 0, C_READ, -1)
WRAP(ssize_t, pread, (int fd, void *buf, size_t n, off_t off), (fd, buf, n, off), fd > 0, C_READ, -1)
WRAP(ssize_t, pread64, (int fd, void *buf, size_t n, off64_t off), (fd, buf, n, off), fd > 0, C_READ, -1)
WRAP(ssize_t, readv, (int fd, const struct iovec *iov, int cnt), (fd, iov, cnt), fd > 0, C_READ, -1)

/* A failed stream call sets the stream's error indicator, as a real one
 * does: that is how callers (ferror) tell it from the end of the file. */
static size_t stream_failed(FILE *f)
{
#ifdef _IO_ERR_SEEN
	f->_flags |= _IO_ERR_SEEN;
#else
	(void)f;
#endif
	return 0;
}

size_t fread(void *buf, size_t size, size_t n, FILE *f)
{
	static size_t (*next)(void *, size_t, size_t, FILE *);
	NEXT(next, "fread");
	if (fileno(f) > 0 && fails(C_READ, CALLER))
		return stream_failed(f);
	return next(buf, size, n, f);
}

size_t fwrite(const void *buf, size_t size, size_t n, FILE *f)
{
	static size_t (*next)(const void *, size_t, size_t, FILE *);
	NEXT(next, "fwrite");
	if (fileno(f) > 2 && fails(C_WRITE, CALLER))
		return stream_failed(f);
	return next(buf, size, n, f);
}

/* --- setup and the report ------------------------------------------------ */

static int find_exe(struct dl_phdr_info *info, size_t size, void *data)
{
	(void)size;
	(void)data;
	/* The first object is the main program. */
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		uintptr_t lo, hi;
		if (ph->p_type != PT_LOAD || !(ph->p_flags & PF_X))
			continue;
		lo = info->dlpi_addr + ph->p_vaddr;
		hi = lo + ph->p_memsz;
		if (!exe_lo || lo < exe_lo)
			exe_lo = lo;
		if (hi > exe_hi)
			exe_hi = hi;
	}
	return 1;
}


__attribute__((constructor)) static void fault_init(void)
{
	const char *spec = getenv("ADR_FAULT"), *cp = getenv("ADR_FAULT_COUNT");

	resolve_alloc();
	dl_iterate_phdr(find_exe, NULL);
	if (cp && strlen(cp) < sizeof(count_path))
		memcpy(count_path, cp, strlen(cp) + 1);
	if (spec && *spec) {
		const char *colon = strrchr(spec, ':');
		for (int c = 0; colon && c < C_COUNT; c++)
			if (strlen(class_names[c]) == (size_t)(colon - spec) &&
			    !memcmp(spec, class_names[c], (size_t)(colon - spec)))
				target = c;
		if (target < 0 || !(target_n = strtoul(colon + 1, NULL, 10))) {
			static const char msg[] = "adr-fault: ADR_FAULT must be <class>:<n>, n from 1\n";
			ssize_t w = write(2, msg, sizeof(msg) - 1);
			(void)w;
			_exit(125);
		}
	}
	trace = getenv("ADR_FAULT_TRACE") != NULL;
	/* Programs adr runs (hooks, an editor) are not swept. */
	unsetenv("LD_PRELOAD");
	unsetenv("ADR_FAULT");
	unsetenv("ADR_FAULT_COUNT");
	unsetenv("ADR_FAULT_TRACE");
	armed = 1;
}

__attribute__((destructor)) static void fault_report(void)
{
	char out[1024 + 2 * PATH_MAX];
	size_t len = 0;
	int fd;

	armed = 0;
	if (!*count_path)
		return;
	for (int c = 0; c < C_COUNT; c++)
		len += (size_t)snprintf(out + len, sizeof(out) - len, "%s %lu\n", class_names[c], counts[c]);
	if (fired) {
		Dl_info info;
		if (dladdr(fired_at, &info) && info.dli_fname)
			len += (size_t)snprintf(out + len, sizeof(out) - len, "fired %s %lu %s+0x%lx\n",
						class_names[target], target_n, info.dli_fname,
						(unsigned long)((uintptr_t)fired_at - (uintptr_t)info.dli_fbase));
		else
			len += (size_t)snprintf(out + len, sizeof(out) - len, "fired %s %lu %p\n",
						class_names[target], target_n, fired_at);
	}
	fd = open(count_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd >= 0) {
		ssize_t w = write(fd, out, len < sizeof(out) ? len : sizeof(out) - 1);
		(void)w;
		close(fd);
	}
}
