/* atomicfile — replacing a user's file in place without ever losing data:
 * the write behind `plan --write`.
 *
 * Owns: the advisory lock that serialises writers, the "unchanged since it
 * was read" check against the caller's in-memory image, the numbered
 * backup (FILE.bak is never overwritten), the temporary file + fsync +
 * rename, keeping mode and owner, and the refusals (read-only, hard-linked,
 * not a regular file, owner that cannot be kept). Does not decide what the
 * new text is (patch does) and never prints.
 *
 * The contract, step by step (docs/write.md says the same for users):
 *  1. When path is a symlink, its target (realpath) is edited and the link
 *     stays a link (what editors do); the backup and the temporary file go
 *     beside the target, on its file system. Any other path is used as
 *     given.
 *  2. The target is opened O_NOFOLLOW|O_NONBLOCK (a FIFO cannot hang us),
 *     must be a regular file, and is locked with flock(LOCK_EX). rename()
 *     gives the path a new inode, so after the lock is granted the inode
 *     at the path must still be the locked one; if not, the lock is taken
 *     again on the new inode. Whoever renames holds the lock on the inode
 *     the path names until after the rename, so two writers are never
 *     between "check" and "rename" at the same time. Waiting for the lock
 *     gives up after FM_ATOMIC_LOCK_WAIT_MS ("locked by another writer").
 *  3. Under the lock the file must hold exactly expect[0..elen) (the image
 *     the edit was computed from), else "changed since it was read".
 *  4. Refused with the reason, nothing touched: a mode without any write
 *     bit (0444: for root too), no write permission for this user, more
 *     than one hard link (a rename would split them), an owner or group
 *     the new file could not keep (fchown EPERM).
 *  5. The new text goes to a temporary file beside the target (mkstemp,
 *     mode 0600 until fchown + fchmod give it the target's owner and
 *     mode), fsync'd.
 *  6. The original bytes go to a second temporary file, fsync'd, and are
 *     linked (link(2), or renameat2 RENAME_NOREPLACE where the file system
 *     has no hard links) to the first free name of FILE.bak, FILE.bak.1,
 *     ... FILE.bak.999: an existing name of any kind (file, symlink, FIFO,
 *     hard link) is never opened, followed or replaced. All names taken:
 *     refused.
 *  7. rename(temporary, target); the directory is fsync'd.
 * On any error nothing on disk changed: temporary files and a backup made
 * by this call are removed, the target and every older backup are as they
 * were.
 *
 * Thread-safe (no global state); the lock is between processes (flock
 * locks belong to the open file description). */
#ifndef FLINKMEM_ATOMICFILE_H
#define FLINKMEM_ATOMICFILE_H

#include <stddef.h>

#include "flinkmem/diag.h"

/* How long a writer waits for another writer's lock. */
#define FM_ATOMIC_LOCK_WAIT_MS 10000
/* Backups FILE.bak, FILE.bak.1 ... FILE.bak.N at most. */
#define FM_ATOMIC_MAX_BACKUPS 999

/* Replaces the file at path with data[0..len) if it still holds
 * expect[0..elen), keeping a backup of expect. On success *backup (when
 * backup is not NULL) gets the backup's path (malloc'd; the caller frees)
 * and *written (when not NULL) the path actually replaced (path itself,
 * or the symlink's resolved target; malloc'd). Errors: FM_EIO (d->file is the
 * path, d->msg says what is wrong without repeating it: "changed since it
 * was read; ...", "read-only (mode 0444); ...", "locked by another writer
 * ...", a failing step with strerror), FM_ENOMEM. */
int fm_atomic_replace(const char *path, const char *expect, size_t elen, const char *data, size_t len,
		      char **backup, char **written, fm_diag *d);

#endif
