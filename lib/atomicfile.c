/* atomicfile — lock, check, back up, replace; see include/flinkmem/atomicfile.h.
 *
 * Everything that can fail runs before the one step that changes what the
 * target's name points to (the final rename), and every failure undoes
 * what this call created, so an error always means "nothing changed". */
#include "flinkmem/atomicfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

typedef struct job {
	const char *path; /* as the caller named it: every message says this */
	char *real;       /* realpath(path): what is locked and replaced */
	char *dir;        /* its directory */
	int fd;           /* the locked target, -1 when not (yet) locked */
	struct stat st;   /* the target as it is under the lock */
	fm_diag *d;
} job;

/* Sets d to "what is wrong" for the user's path; evaluates to code. */
#define fail(j, code, ...) fm_diag_set((j)->d, (code), (j)->path, 0, 0, NULL, __VA_ARGS__)

static void sleep_ms(unsigned ms)
{
	struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

/* Opens and locks the target. A rename by the previous lock holder gives
 * the path a new inode that nobody has locked, so the lock only counts
 * when the path still names the locked inode; else the new one is opened
 * and locked. The descriptor stays open while waiting (so this check is
 * what notices a replacement, which the lock test exercises). */
static int lock_target(job *j)
{
	unsigned waited = 0, delay = 1;
	int fd = -1;
	for (;;) {
		if (fd < 0) {
			fd = open(j->real, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
			if (fd < 0)
				return fail(j, FM_EIO, "cannot open: %s; not written", strerror(errno));
			if (fstat(fd, &j->st) != 0 || !S_ISREG(j->st.st_mode)) {
				int e = errno;
				bool reg = S_ISREG(j->st.st_mode);
				close(fd);
				return reg ? fail(j, FM_EIO, "cannot stat: %s; not written", strerror(e))
					   : fail(j, FM_EIO, "not a regular file; not written");
			}
		}
		if (flock(fd, LOCK_EX | LOCK_NB) == 0) {
			struct stat now;
			if (lstat(j->real, &now) == 0 && now.st_dev == j->st.st_dev && now.st_ino == j->st.st_ino &&
			    fstat(fd, &j->st) == 0) {
				j->fd = fd;
				return FM_OK;
			}
			close(fd); /* replaced while we waited: lock what is there now */
			fd = -1;
			continue;
		}
		int e = errno;
		if (e != EWOULDBLOCK && e != EINTR) {
			close(fd);
			return fail(j, FM_EIO, "cannot lock: %s; not written", strerror(e));
		}
		if (waited >= FM_ATOMIC_LOCK_WAIT_MS) {
			close(fd);
			return fail(j, FM_EIO, "locked by another writer for %u s; not written",
				    FM_ATOMIC_LOCK_WAIT_MS / 1000);
		}
		sleep_ms(delay);
		waited += delay;
		delay = delay < 32 ? delay * 2 : 50;
	}
}

/* Refusals that depend on the target as it is under the lock. */
static int check_target(job *j)
{
	mode_t mode = j->st.st_mode & 07777;
	/* a file nobody may write is meant to stay as it is, for root too
	 * (editors ask before overwriting one; we refuse) */
	if (!(mode & 0222))
		return fail(j, FM_EIO, "read-only (mode %04o); not written", (unsigned)mode);
	if (faccessat(AT_FDCWD, j->real, W_OK, AT_EACCESS) != 0)
		return fail(j, FM_EIO, "not writable by this user (mode %04o, owner %ju); not written", (unsigned)mode,
			    (uintmax_t)j->st.st_uid);
	if (j->st.st_nlink > 1)
		return fail(j, FM_EIO,
			    "has %ju hard links; replacing it would leave the other names with the old text; nothing was "
			    "changed",
			    (uintmax_t)j->st.st_nlink);
	return FM_OK;
}

/* 1 when the locked file holds exactly data[0..len), 0 when not, -1 error. */
static int holds(int fd, const char *data, size_t len)
{
	char chunk[65536];
	size_t off = 0;
	for (;;) {
		ssize_t r = pread(fd, chunk, sizeof chunk, (off_t)off);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (r == 0)
			return off == len;
		if ((size_t)r > len - off || memcmp(data + off, chunk, (size_t)r) != 0)
			return 0;
		off += (size_t)r;
	}
}

static int write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* A new file beside the target holding data[0..len) with the target's
 * owner and mode, flushed. Returns its name (malloc'd) or NULL with d set;
 * no file is left behind on failure. what names it in messages. */
static char *write_temp(job *j, const char *data, size_t len, const char *what, int *rc)
{
	char *name = NULL;
	if (asprintf(&name, "%s.flinkmem-XXXXXX", j->real) < 0) {
		*rc = fail(j, FM_ENOMEM, "out of memory");
		return NULL;
	}
	int fd = mkostemp(name, O_CLOEXEC);
	if (fd < 0) {
		*rc = fail(j, FM_EIO, "cannot create %s in %s: %s; not written", what, j->dir, strerror(errno));
		free(name);
		return NULL;
	}
	struct stat ts;
	const char *step = "write";
	int e = 0;
	if (fstat(fd, &ts) != 0) {
		e = errno;
	} else if ((ts.st_uid != j->st.st_uid || ts.st_gid != j->st.st_gid) &&
		   fchown(fd, j->st.st_uid, j->st.st_gid) != 0) {
		e = errno;
		*rc = fail(j, FM_EIO,
			   "cannot keep its owner %ju:%ju (%s), the new file would belong to %ju:%ju; not written",
			   (uintmax_t)j->st.st_uid, (uintmax_t)j->st.st_gid, strerror(e), (uintmax_t)ts.st_uid,
			   (uintmax_t)ts.st_gid);
		step = NULL;
	} else if (fchmod(fd, j->st.st_mode & 07777) != 0) {
		e = errno;
		step = "set the mode of";
	} else if (write_all(fd, data, len) != 0) {
		e = errno;
	} else if (fsync(fd) != 0) {
		e = errno;
		step = "flush";
	}
	if (close(fd) != 0 && !e)
		e = errno;
	if (!e)
		return name;
	if (step)
		*rc = fail(j, FM_EIO, "cannot %s %s: %s; not written", step, what, strerror(e));
	unlink(name);
	free(name);
	return NULL;
}

static void sync_dir(const job *j)
{
	int fd = open(j->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		/* the rename is already visible; a file system that cannot sync a
		 * directory (EINVAL) has nothing better to offer */
		(void)fsync(fd);
		close(fd);
	}
}

/* Gives the temporary file tmp the first free backup name; never replaces
 * an existing name (link(2) and RENAME_NOREPLACE fail with EEXIST). */
static int place_backup(job *j, const char *tmp, char **bak)
{
	for (unsigned i = 0; i <= FM_ATOMIC_MAX_BACKUPS; i++) {
		char *name = NULL;
		if ((i ? asprintf(&name, "%s.bak.%u", j->real, i) : asprintf(&name, "%s.bak", j->real)) < 0)
			return fail(j, FM_ENOMEM, "out of memory");
		int r = link(tmp, name);
		if (r == 0) {
			unlink(tmp);
		} else if (errno != EEXIST) { /* no hard links on this file system */
			r = renameat2(AT_FDCWD, tmp, AT_FDCWD, name, RENAME_NOREPLACE);
		}
		if (r == 0) {
			*bak = name;
			return FM_OK;
		}
		int e = errno;
		free(name);
		if (e != EEXIST)
			return fail(j, FM_EIO, "cannot create the backup: %s; not written", strerror(e));
	}
	return fail(j, FM_EIO, "%s.bak and %s.bak.1 to .bak.%u all exist; remove old backups; not written",
		    j->real, j->real, FM_ATOMIC_MAX_BACKUPS);
}

static int replace_locked(job *j, const char *expect, size_t elen, const char *data, size_t len, char **bak)
{
	int rc = check_target(j);
	if (rc)
		return rc;
	int same = holds(j->fd, expect, elen);
	if (same < 0)
		return fail(j, FM_EIO, "cannot read it again: %s; not written", strerror(errno));
	if (!same)
		return fail(j, FM_EIO, "changed since it was read; not written (run again on the new contents)");
	char *tmp = write_temp(j, data, len, "a temporary copy", &rc);
	if (!tmp)
		return rc;
	char *btmp = write_temp(j, expect, elen, "the backup", &rc);
	if (btmp) {
		rc = place_backup(j, btmp, bak);
		if (rc)
			unlink(btmp);
		free(btmp);
	}
	if (!rc) {
		sync_dir(j); /* the backup is on disk before the original goes */
		if (rename(tmp, j->real) != 0) {
			rc = fail(j, FM_EIO, "cannot replace it: %s; not written", strerror(errno));
			unlink(*bak);
			free(*bak);
			*bak = NULL;
		} else {
			sync_dir(j);
		}
	}
	if (rc)
		unlink(tmp);
	free(tmp);
	return rc;
}

int fm_atomic_replace(const char *path, const char *expect, size_t elen, const char *data, size_t len,
		      char **backup, char **written, fm_diag *d)
{
	job j = {.path = path, .fd = -1, .d = d};
	char *bak = NULL;
	int rc = FM_OK;
	/* a symlink's target is what gets replaced (the link stays); any other
	 * path is used as given, so messages name the files as the user does */
	struct stat ls;
	if (lstat(path, &ls) != 0)
		return fail(&j, FM_EIO, "cannot read: %s; not written", strerror(errno));
	j.real = S_ISLNK(ls.st_mode) ? realpath(path, NULL) : strdup(path);
	if (!j.real)
		return errno == ENOMEM ? fail(&j, FM_ENOMEM, "out of memory")
				       : fail(&j, FM_EIO, "cannot resolve the symlink: %s; not written", strerror(errno));
	const char *slash = strrchr(j.real, '/');
	j.dir = !slash ? strdup(".") : slash == j.real ? strdup("/") : strndup(j.real, (size_t)(slash - j.real));
	if (!j.dir) {
		rc = fail(&j, FM_ENOMEM, "out of memory");
		goto out;
	}
	if ((rc = lock_target(&j)) == FM_OK)
		rc = replace_locked(&j, expect, elen, data, len, &bak);
	if (j.fd >= 0)
		close(j.fd); /* releases the lock, after the rename */
out:
	if (!rc && backup)
		*backup = bak;
	else
		free(bak);
	if (!rc && written) {
		*written = j.real;
		j.real = NULL;
	}
	free(j.real);
	free(j.dir);
	return rc;
}
