/* test_atomicfile — the replace-in-place contract of fm_atomic_replace:
 * backups never overwritten (FILE.bak keeps the first original, then
 * .bak.1, ...), an existing symlinked / hard-linked / FIFO backup name left
 * exactly as it was, refusals (changed since read, read-only 0444,
 * non-regular, hard-linked target) that change nothing and leave no
 * temporary file, a symlinked target edited through the link, and the
 * lock: a writer that waited while another one replaced the file must see
 * the replacement (the lock follows the path's new inode). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "flinkmem/atomicfile.h"

typedef struct tdir {
	char dir[64];
} tdir;

static void tdir_make(tdir *t)
{
	snprintf(t->dir, sizeof t->dir, "/tmp/fm_atomic_XXXXXX");
	assert_non_null(mkdtemp(t->dir));
}

static char *at(const tdir *t, const char *name)
{
	char *p = NULL;
	assert_true(asprintf(&p, "%s/%s", t->dir, name) > 0);
	return p;
}

static void put(const tdir *t, const char *name, const char *text, mode_t mode)
{
	char *p = at(t, name);
	FILE *f = fopen(p, "wb");
	assert_non_null(f);
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(chmod(p, mode), 0);
	free(p);
}

/* The file's text, or NULL when it does not exist. */
static char *get(const tdir *t, const char *name)
{
	char *p = at(t, name);
	FILE *f = fopen(p, "rb");
	free(p);
	if (!f)
		return NULL;
	char *buf = calloc(1, 65536);
	assert_non_null(buf);
	size_t n = fread(buf, 1, 65535, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static void assert_text(const tdir *t, const char *name, const char *want)
{
	char *got = get(t, name);
	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
}

/* Names in the directory, sorted, joined by spaces. */
static char *listing(const tdir *t)
{
	DIR *d = opendir(t->dir);
	assert_non_null(d);
	char *names[64];
	size_t n = 0;
	struct dirent *e;
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
			assert_true(n < 64);
			names[n++] = strdup(e->d_name);
		}
	closedir(d);
	for (size_t i = 0; i < n; i++)
		for (size_t k = i + 1; k < n; k++)
			if (strcmp(names[k], names[i]) < 0) {
				char *x = names[i];
				names[i] = names[k];
				names[k] = x;
			}
	char *out = calloc(1, 4096);
	assert_non_null(out);
	for (size_t i = 0; i < n; i++) {
		if (i)
			strcat(out, " ");
		strncat(out, names[i], 4000 - strlen(out));
		free(names[i]);
	}
	return out;
}

static void assert_listing(const tdir *t, const char *want)
{
	char *got = listing(t);
	assert_string_equal(got, want);
	free(got);
}

static void tdir_remove(tdir *t)
{
	DIR *d = opendir(t->dir);
	assert_non_null(d);
	struct dirent *e;
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
			char *p = at(t, e->d_name);
			unlink(p);
			free(p);
		}
	closedir(d);
	rmdir(t->dir);
}

/* fm_atomic_replace on dir/name; returns the code, *msg the message. */
static int replace(const tdir *t, const char *name, const char *expect, const char *data, char **msg, char **bak)
{
	char *p = at(t, name);
	fm_diag d = FM_DIAG_INIT;
	int rc = fm_atomic_replace(p, expect, strlen(expect), data, strlen(data), bak, NULL, &d);
	if (msg)
		*msg = d.msg ? strdup(d.msg) : NULL;
	if (rc)
		assert_string_equal(d.file, p); /* every error names the file */
	fm_diag_release(&d);
	free(p);
	return rc;
}

static void assert_bak(const tdir *t, char *bak, const char *name)
{
	char *want = at(t, name);
	assert_non_null(bak);
	assert_string_equal(bak, want);
	free(want);
	free(bak);
}

static void backups_never_overwritten(void **state)
{
	(void)state;
	tdir t;
	tdir_make(&t);
	put(&t, "c.yaml", "a: 1\n", 0640);
	char *bak = NULL;
	assert_int_equal(replace(&t, "c.yaml", "a: 1\n", "a: 2\n", NULL, &bak), FM_OK);
	assert_bak(&t, bak, "c.yaml.bak");
	assert_text(&t, "c.yaml", "a: 2\n");
	assert_text(&t, "c.yaml.bak", "a: 1\n");
	struct stat st;
	char *p = at(&t, "c.yaml");
	assert_int_equal(stat(p, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0640);
	free(p);
	p = at(&t, "c.yaml.bak");
	assert_int_equal(stat(p, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0640);
	free(p);
	/* the second write keeps the first original in .bak */
	assert_int_equal(replace(&t, "c.yaml", "a: 2\n", "a: 3\n", NULL, &bak), FM_OK);
	assert_bak(&t, bak, "c.yaml.bak.1");
	assert_int_equal(replace(&t, "c.yaml", "a: 3\n", "a: 4\n", NULL, &bak), FM_OK);
	assert_bak(&t, bak, "c.yaml.bak.2");
	assert_text(&t, "c.yaml.bak", "a: 1\n");
	assert_text(&t, "c.yaml.bak.1", "a: 2\n");
	assert_text(&t, "c.yaml.bak.2", "a: 3\n");
	assert_text(&t, "c.yaml", "a: 4\n");
	assert_listing(&t, "c.yaml c.yaml.bak c.yaml.bak.1 c.yaml.bak.2");
	tdir_remove(&t);
}

static void changed_since_read(void **state)
{
	(void)state;
	tdir t;
	tdir_make(&t);
	put(&t, "c.yaml", "a: 1\nb: 2\n", 0644);
	char *msg = NULL;
	assert_int_equal(replace(&t, "c.yaml", "a: 1\n", "a: 5\n", &msg, NULL), FM_EIO);
	assert_non_null(strstr(msg, "changed since it was read"));
	free(msg);
	/* a longer file than the image is a change too */
	assert_int_equal(replace(&t, "c.yaml", "a: 1\nb: 2\nc: 3\n", "a: 5\n", &msg, NULL), FM_EIO);
	free(msg);
	assert_text(&t, "c.yaml", "a: 1\nb: 2\n");
	assert_listing(&t, "c.yaml");
	tdir_remove(&t);
}

static void odd_backup_names_left_alone(void **state)
{
	(void)state;
	tdir t;
	tdir_make(&t);
	put(&t, "c.yaml", "a: 1\n", 0644);
	put(&t, "precious", "keep me\n", 0644);
	char *c = at(&t, "c.yaml"), *bak = at(&t, "c.yaml.bak"), *bak1 = at(&t, "c.yaml.bak.1"),
	     *bak2 = at(&t, "c.yaml.bak.2"), *prec = at(&t, "precious");
	assert_int_equal(symlink(prec, bak), 0);   /* .bak -> precious */
	assert_int_equal(link(prec, bak1), 0);     /* .bak.1 = precious (hard link) */
	assert_int_equal(mkfifo(bak2, 0644), 0);   /* .bak.2 a FIFO: opening it would block */
	alarm(20);                                 /* a hang fails the test instead of stalling it */
	char *got = NULL;
	assert_int_equal(replace(&t, "c.yaml", "a: 1\n", "a: 2\n", NULL, &got), FM_OK);
	alarm(0);
	assert_bak(&t, got, "c.yaml.bak.3");
	assert_text(&t, "c.yaml.bak.3", "a: 1\n");
	assert_text(&t, "precious", "keep me\n");
	struct stat st;
	assert_int_equal(lstat(bak, &st), 0);
	assert_true(S_ISLNK(st.st_mode));
	assert_int_equal(lstat(bak1, &st), 0);
	assert_int_equal(st.st_nlink, 2);
	assert_int_equal(lstat(bak2, &st), 0);
	assert_true(S_ISFIFO(st.st_mode));
	assert_text(&t, "c.yaml", "a: 2\n");
	assert_listing(&t, "c.yaml c.yaml.bak c.yaml.bak.1 c.yaml.bak.2 c.yaml.bak.3 precious");
	free(c);
	free(bak);
	free(bak1);
	free(bak2);
	free(prec);
	tdir_remove(&t);
}

static void refusals_change_nothing(void **state)
{
	(void)state;
	tdir t;
	tdir_make(&t);
	char *msg = NULL;
	/* read-only: refused even for root */
	put(&t, "ro.yaml", "a: 1\n", 0444);
	assert_int_equal(replace(&t, "ro.yaml", "a: 1\n", "a: 2\n", &msg, NULL), FM_EIO);
	assert_non_null(strstr(msg, "read-only"));
	assert_non_null(strstr(msg, "0444"));
	free(msg);
	assert_text(&t, "ro.yaml", "a: 1\n");
	/* hard-linked target: a rename would split the names */
	put(&t, "hl.yaml", "a: 1\n", 0644);
	char *hl = at(&t, "hl.yaml"), *hl2 = at(&t, "hl2.yaml");
	assert_int_equal(link(hl, hl2), 0);
	assert_int_equal(replace(&t, "hl.yaml", "a: 1\n", "a: 2\n", &msg, NULL), FM_EIO);
	assert_non_null(strstr(msg, "hard links"));
	free(msg);
	assert_text(&t, "hl2.yaml", "a: 1\n");
	/* a FIFO target: refused at once, not opened for a blocking read */
	char *fifo = at(&t, "fifo.yaml");
	assert_int_equal(mkfifo(fifo, 0644), 0);
	alarm(20);
	assert_int_equal(replace(&t, "fifo.yaml", "", "a: 2\n", &msg, NULL), FM_EIO);
	alarm(0);
	assert_non_null(strstr(msg, "not a regular file"));
	free(msg);
	/* missing */
	assert_int_equal(replace(&t, "none.yaml", "", "a: 2\n", &msg, NULL), FM_EIO);
	free(msg);
	assert_listing(&t, "fifo.yaml hl.yaml hl2.yaml ro.yaml");
	free(hl);
	free(hl2);
	free(fifo);
	tdir_remove(&t);
}

static void symlinked_target_edited_through_link(void **state)
{
	(void)state;
	tdir t;
	tdir_make(&t);
	put(&t, "real.yaml", "a: 1\n", 0600);
	char *real = at(&t, "real.yaml"), *link_path = at(&t, "link.yaml");
	assert_int_equal(symlink("real.yaml", link_path), 0);
	char *bak = NULL, *written = NULL;
	fm_diag d = FM_DIAG_INIT;
	assert_int_equal(fm_atomic_replace(link_path, "a: 1\n", 5, "a: 2\n", 5, &bak, &written, &d), FM_OK);
	assert_string_equal(written, real);
	assert_bak(&t, bak, "real.yaml.bak");
	struct stat st;
	assert_int_equal(lstat(link_path, &st), 0);
	assert_true(S_ISLNK(st.st_mode));
	assert_text(&t, "link.yaml", "a: 2\n");
	assert_text(&t, "real.yaml.bak", "a: 1\n");
	assert_listing(&t, "link.yaml real.yaml real.yaml.bak");
	free(written);
	free(real);
	free(link_path);
	tdir_remove(&t);
}

/* Another writer holds the lock and replaces the file (new inode) before
 * it lets go; the waiting writer must lock the new inode and find the
 * change, not compare against the old inode it first opened. */
static void lock_follows_replacement(void **state)
{
	(void)state;
	tdir t;
	tdir_make(&t);
	put(&t, "c.yaml", "a: 1\n", 0644);
	char *p = at(&t, "c.yaml"), *np = at(&t, "new.yaml");
	int fd = open(p, O_RDONLY);
	assert_true(fd >= 0);
	assert_int_equal(flock(fd, LOCK_EX), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(fd); /* the lock stays with the parent's copy of the description */
		alarm(30);
		fm_diag d = FM_DIAG_INIT;
		int rc = fm_atomic_replace(p, "a: 1\n", 5, "a: 2\n", 5, NULL, NULL, &d);
		if (rc != FM_EIO || !d.msg || !strstr(d.msg, "changed since it was read"))
			fprintf(stderr, "child: rc %d: %s\n", rc, d.msg ? d.msg : "(no message)");
		_exit(rc == FM_EIO && d.msg && strstr(d.msg, "changed since it was read") ? 0 : 1);
	}
	struct timespec ts = {0, 200 * 1000000L};
	nanosleep(&ts, NULL); /* the child is waiting for the lock by now */
	put(&t, "new.yaml", "a: 9\n", 0644);
	assert_int_equal(rename(np, p), 0);
	close(fd); /* releases the lock on the old inode */
	int status = 0;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_text(&t, "c.yaml", "a: 9\n");
	assert_listing(&t, "c.yaml");
	free(p);
	free(np);
	tdir_remove(&t);
}

int main(void)
{
	signal(SIGALRM, SIG_DFL);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(backups_never_overwritten),
		cmocka_unit_test(changed_since_read),
		cmocka_unit_test(odd_backup_names_left_alone),
		cmocka_unit_test(refusals_change_nothing),
		cmocka_unit_test(symlinked_target_edited_through_link),
		cmocka_unit_test(lock_follows_replacement),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
