/*
 * lake.c: the files of to-parquet-csv, from open to commit.
 *
 * Each partition directory has at most one open file, a format writer
 * (fw.h) on a temporary file ".<name>.tmp" beside where the file will be.
 * A file is finished and committed when it reaches --roll-rows or
 * --roll-bytes, when its --roll-interval is over (lake_tick, called by the
 * input loop also while input is idle), when a row does not fit its schema
 * (the next file starts from the widened schema), when --max-open-files
 * needs its slot (least recently written first), and at the end. Commit:
 * write the footer, fsync, give the file its name, fsync the directory. A
 * crash at any point leaves complete files under final names and, at
 * worst, temporary files nobody reads (their names end in ".tmp", not
 * ".parquet").
 *
 * Names: "part-<first __lsn>-<last __lsn>" (20 digits each) when every row
 * of the file has an integer __lsn, renamed over an existing file of that
 * name, so a rerun of the same changelog rewrites the same files; else
 * "part-<UTC open time>-<seq>", linked so that an existing file is never
 * replaced. Two files of one run that would get the same __lsn name (a
 * transaction cut by --roll-rows) are told apart by "-1", "-2", ... in the
 * order they are committed, which a rerun repeats.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "diag.h"
#include "hmap.h"
#include "lake.h"

struct lfile {
	struct lfile	*lprev, *lnext;	/* least recently written first */
	struct lfile	*aprev, *anext;	/* oldest first */
	char		*key;		/* partition directory, relative */
	size_t		 klen;
	char		*dir;		/* directory of the file */
	char		*tmp;		/* temporary path; NULL on stdout */
	char		*name;		/* final path (LAKE_FILE), or NULL */
	int		 fd;
	struct fw	*w;
	int64_t		 wall_us;	/* opened, UTC: the time name */
	int64_t		 due_us;	/* --roll-interval deadline, monotonic */
	uint64_t	 seq;
	int		 lsn_all;	/* every row so far had __lsn */
	uint64_t	 first_lsn;
	uint64_t	 last_lsn;
};

struct lake {
	struct lake_conf c;
	const char	*ext;		/* ".parquet" or ".csv" */
	struct hmap	 open;		/* key -> struct lfile */
	struct lfile	*lru, *lru_tail;
	struct lfile	*age, *age_tail;
	struct lfile	*last;		/* the file of the last row */
	size_t		 nopen;
	uint64_t	 seq;		/* time names, per process */
	struct hmap	 lsn_names;	/* __lsn names committed this run */
	unsigned	 next_part;	/* LAKE_FILE: the next PATH-k */
	struct hmap	 cols;		/* LAKE_STDOUT: members written */
	/* Partitions whose file --max-open-files committed (some of them):
	 * one opened again means files are cut small, which is said once. */
	struct hmap	 evicted;
	int		 thrash_said;
	int		 cols_done;
	struct lake_stats st;
	struct buf	 path;		/* scratch */
	struct buf	 name;
	char		 why[512];
};

/* The lake whose temporary files an unplanned exit removes. */
static struct lake *live;

static void	lake_atexit(void);
static void	commit(struct lake *, struct lfile *);
static void	evict(struct lake *);
static void	drop(struct lake *, struct lfile *);

static int64_t
clock_us(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* ---------------------------------------------------------------------
 * The two lists every open file is on
 */

static void
lru_unlink(struct lake *l, struct lfile *f)
{
	if (f->lprev != NULL)
		f->lprev->lnext = f->lnext;
	else
		l->lru = f->lnext;
	if (f->lnext != NULL)
		f->lnext->lprev = f->lprev;
	else
		l->lru_tail = f->lprev;
	f->lprev = f->lnext = NULL;
}

static void
lru_push(struct lake *l, struct lfile *f)
{
	f->lprev = l->lru_tail;
	f->lnext = NULL;
	if (l->lru_tail != NULL)
		l->lru_tail->lnext = f;
	else
		l->lru = f;
	l->lru_tail = f;
}

static void
age_unlink(struct lake *l, struct lfile *f)
{
	if (f->aprev != NULL)
		f->aprev->anext = f->anext;
	else
		l->age = f->anext;
	if (f->anext != NULL)
		f->anext->aprev = f->aprev;
	else
		l->age_tail = f->aprev;
	f->aprev = f->anext = NULL;
}

static void
age_push(struct lake *l, struct lfile *f)
{
	f->aprev = l->age_tail;
	f->anext = NULL;
	if (l->age_tail != NULL)
		l->age_tail->anext = f;
	else
		l->age = f;
	l->age_tail = f;
}

/* ---------------------------------------------------------------------
 * Directories
 */

/* fsync directory dir, so that a name made in it survives a crash. Out of
 * descriptors, the least recently written file is committed first. */
static void
sync_dir(struct lake *l, const char *dir)
{
	int fd;

	while ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		if ((errno != EMFILE && errno != ENFILE) || l == NULL ||
		    l->lru == NULL)
			diag_err(EXIT_DATA, "could not open directory \"%s\"",
			    dir);
		evict(l);
	}
	/* Some file systems cannot sync a directory: nothing to do there. */
	if (fsync(fd) != 0 && errno != EINVAL && errno != EROFS)
		diag_err(EXIT_DATA, "could not fsync directory \"%s\"", dir);
	close(fd);
}

/* mkdir path[0..n) unless it is a directory already; a new directory's
 * parent is synced. */
static void
make_dir(struct lake *l, char *path, size_t n)
{
	struct stat st;
	char save = path[n], *slash;
	int e;

	path[n] = '\0';
	if (mkdir(path, 0777) == 0) {
		slash = strrchr(path, '/');
		if (slash == NULL)
			sync_dir(l, ".");
		else if (slash == path)
			sync_dir(l, "/");
		else {
			*slash = '\0';
			sync_dir(l, path);
			*slash = '/';
		}
	} else {
		e = errno;
		if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode)) {
			errno = e == EEXIST ? ENOTDIR : e;
			diag_err(EXIT_DATA, "could not create directory \"%s\"",
			    path);
		}
	}
	path[n] = save;
}

/* mkdir -p path: every missing level from from on (an offset in path
 * where a directory is known to exist, 0 for none). */
static void
make_dirs(struct lake *l, char *path, size_t from)
{
	size_t i, n = strlen(path);

	while (n > 1 && path[n - 1] == '/')
		n--;
	for (i = from + 1; i < n; i++)
		if (path[i] == '/' && path[i - 1] != '/')
			make_dir(l, path, i);
	make_dir(l, path, n);
}

/* ---------------------------------------------------------------------
 * Opening
 */

/* "20261122T100001.250000Z" */
static void
time_name(int64_t us, char *out, size_t size)
{
	struct tm tm;
	time_t s = (time_t)(us / 1000000);

	gmtime_r(&s, &tm);
	snprintf(out, size, "%04d%02d%02dT%02d%02d%02d.%06dZ",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	    tm.tm_min, tm.tm_sec, (int)(us % 1000000));
}

/* PATH with "-k" before its extension: out.parquet, out-1.parquet. */
static char *
file_name(const char *path, unsigned k)
{
	const char *base = strrchr(path, '/'), *dot;
	struct buf b = BUF_INIT;
	char *s;

	base = base != NULL ? base + 1 : path;
	dot = strrchr(base, '.');
	if (dot == NULL || dot == base)
		dot = base + strlen(base);
	if (k == 0)
		buf_puts(&b, path);
	else {
		buf_append(&b, path, (size_t)(dot - path));
		buf_printf(&b, "-%u%s", k, dot);
	}
	s = xstrdup(b.data);
	buf_free(&b);
	return s;
}

/* The directory part of path, "." when there is none. */
static char *
dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (slash == NULL)
		return xstrdup(".");
	if (slash == path)
		return xstrdup("/");
	return xstrndup(path, (size_t)(slash - path));
}

/* Open a file descriptor for f->tmp; on running out of descriptors, commit
 * the least recently written file and try again. */
static int
open_tmp(struct lake *l, struct lfile *f, int excl)
{
	int fd;

	for (;;) {
		fd = open(f->tmp, O_WRONLY | O_CREAT | O_CLOEXEC |
		    (excl ? O_EXCL : O_TRUNC), 0666);
		if (fd >= 0 || (errno != EMFILE && errno != ENFILE) ||
		    l->lru == NULL)
			return fd;
		evict(l);
	}
}

/* Make room under --max-open-files: commit the least recently written. */
static void
evict(struct lake *l)
{
	struct lfile *f = l->lru;

	if (f == NULL)
		return;
	if (!l->thrash_said) {
		if (l->evicted.live >= 4096)
			hmap_free(&l->evicted, NULL);
		*hmap_put(&l->evicted, f->key, f->klen) = l;
	}
	commit(l, f);
}

static struct lfile *
open_file(struct lake *l, const char *key, size_t klen,
    const struct schema *start)
{
	struct lfile *f;
	char tn[80];
	size_t rootlen;

	if (l->c.mode == LAKE_DIR && l->nopen >= l->c.max_open)
		evict(l);
	if (!l->thrash_said && l->evicted.live > 0 &&
	    hmap_get(&l->evicted, key, klen) != NULL) {
		diag_warnx("partition \"%.*s\" opened again after its file "
		    "was committed to make room (--max-open-files %zu, or "
		    "the limit of open files): files are cut small", (int)klen,
		    key, l->c.max_open);
		l->thrash_said = 1;
		hmap_free(&l->evicted, NULL);
	}
	f = xcalloc(1, sizeof(*f));
	f->key = xstrndup(key, klen);
	f->klen = klen;
	f->lsn_all = 1;
	f->fd = -1;
	switch (l->c.mode) {
	case LAKE_STDOUT:
		f->fd = STDOUT_FILENO;
		break;
	case LAKE_FILE:
		f->name = file_name(l->c.path, l->next_part++);
		f->dir = dir_of(f->name);
		buf_reset(&l->path);
		buf_printf(&l->path, "%s/.%s.tmp", f->dir,
		    strrchr(f->name, '/') != NULL ?
		    strrchr(f->name, '/') + 1 : f->name);
		f->tmp = xstrdup(l->path.data);
		f->fd = open_tmp(l, f, 0);
		break;
	case LAKE_DIR:
		buf_reset(&l->path);
		buf_puts(&l->path, l->c.path);
		rootlen = l->path.len;
		if (klen > 0) {
			buf_putc(&l->path, '/');
			buf_append(&l->path, key, klen);
			make_dirs(l, l->path.data, rootlen);
		}
		f->dir = xstrdup(l->path.data);
		do {
			f->seq = ++l->seq;
			f->wall_us = clock_us(CLOCK_REALTIME);
			time_name(f->wall_us, tn, sizeof(tn));
			buf_reset(&l->path);
			buf_printf(&l->path, "%s/.part-%s-%06llu%s.tmp", f->dir,
			    tn, (unsigned long long)f->seq, l->ext);
			free(f->tmp);
			f->tmp = xstrdup(l->path.data);
		} while ((f->fd = open_tmp(l, f, 1)) < 0 && errno == EEXIST);
		break;
	}
	if (f->fd < 0) {
		int e = errno;

		free(f->key);
		free(f->dir);
		free(f->name);
		errno = e;
		diag_err(EXIT_DATA, "could not create \"%s\"", f->tmp);
	}
	f->w = fw_open(f->fd, &l->c.fw, start);
	if (l->c.roll_us > 0)
		f->due_us = clock_us(CLOCK_MONOTONIC) + l->c.roll_us;
	*hmap_put(&l->open, key, klen) = f;
	lru_push(l, f);
	age_push(l, f);
	if (++l->nopen > l->st.max_open)
		l->st.max_open = l->nopen;
	return f;
}

/* ---------------------------------------------------------------------
 * Committing
 */

static void
forget(struct lake *l, struct lfile *f)
{
	hmap_del(&l->open, f->key, f->klen);
	if (l->last == f)
		l->last = NULL;
	if (f->lprev != NULL || l->lru == f)
		lru_unlink(l, f);
	age_unlink(l, f);
	l->nopen--;
	fw_free(f->w);
	free(f->key);
	free(f->dir);
	free(f->tmp);
	free(f->name);
	free(f);
}

/* Remove an open file without committing it. */
static void
drop(struct lake *l, struct lfile *f)
{
	if (f->tmp != NULL) {
		close(f->fd);
		unlink(f->tmp);
	}
	forget(l, f);
}

/* Give the finished temporary file its name; returns the final path in
 * l->name. */
static void
name_file(struct lake *l, struct lfile *f)
{
	char tn[80];
	unsigned k;

	buf_reset(&l->name);
	if (l->c.mode == LAKE_FILE) {
		buf_puts(&l->name, f->name);
		if (rename(f->tmp, f->name) != 0)
			diag_err(EXIT_DATA, "could not rename \"%s\" to \"%s\"",
			    f->tmp, f->name);
		return;
	}
	if (f->lsn_all) {
		for (k = 0;; k++) {
			buf_reset(&l->name);
			buf_printf(&l->name, "%s/part-%020llu-%020llu", f->dir,
			    (unsigned long long)f->first_lsn,
			    (unsigned long long)f->last_lsn);
			if (k > 0)
				buf_printf(&l->name, "-%u", k);
			buf_puts(&l->name, l->ext);
			if (hmap_get(&l->lsn_names, l->name.data,
			    l->name.len) == NULL)
				break;
		}
		*hmap_put(&l->lsn_names, l->name.data, l->name.len) = l;
		if (rename(f->tmp, l->name.data) != 0)
			diag_err(EXIT_DATA, "could not rename \"%s\" to \"%s\"",
			    f->tmp, l->name.data);
		return;
	}
	/* A time name never replaces a file: link(2) fails on one. */
	time_name(f->wall_us, tn, sizeof(tn));
	for (;;) {
		buf_reset(&l->name);
		buf_printf(&l->name, "%s/part-%s-%06llu%s", f->dir, tn,
		    (unsigned long long)f->seq, l->ext);
		if (link(f->tmp, l->name.data) == 0)
			break;
		if (errno == EEXIST) {
			f->seq = ++l->seq;
			continue;
		}
		if (errno != EPERM && errno != EOPNOTSUPP && errno != ENOSYS &&
		    errno != EXDEV)
			diag_err(EXIT_DATA, "could not link \"%s\" to \"%s\"",
			    f->tmp, l->name.data);
		/* No hard links here (FAT, some FUSE): rename when free. */
		if (access(l->name.data, F_OK) == 0) {
			f->seq = ++l->seq;
			continue;
		}
		if (rename(f->tmp, l->name.data) != 0)
			diag_err(EXIT_DATA, "could not rename \"%s\" to \"%s\"",
			    f->tmp, l->name.data);
		return;
	}
	if (unlink(f->tmp) != 0)
		diag_err(EXIT_DATA, "could not remove \"%s\"", f->tmp);
}

/* Finish f, make it visible under its name, and forget it. A file without
 * rows is dropped (its rows were all bad lines). */
static void
commit(struct lake *l, struct lfile *f)
{
	struct stat st;
	uint64_t rows = fw_rows(f->w);

	if (rows == 0 && l->c.mode != LAKE_STDOUT) {
		drop(l, f);
		return;
	}
	/* Not a candidate for making room while it is being committed. */
	lru_unlink(l, f);
	if (fw_finish(f->w) != 0) {
		if (f->tmp == NULL && errno == EPIPE)
			diag_exit(EXIT_OK);	/* the reader went away */
		diag_err(EXIT_DATA, "could not write \"%s\"",
		    f->tmp != NULL ? f->tmp : "standard output");
	}
	if (f->tmp == NULL) {
		forget(l, f);
		return;
	}
	if (fsync(f->fd) != 0)
		diag_err(EXIT_DATA, "could not fsync \"%s\"", f->tmp);
	if (fstat(f->fd, &st) != 0)
		diag_err(EXIT_DATA, "could not stat \"%s\"", f->tmp);
	if (close(f->fd) != 0) {
		f->fd = -1;
		diag_err(EXIT_DATA, "could not close \"%s\"", f->tmp);
	}
	f->fd = -1;
	name_file(l, f);
	sync_dir(l, f->dir);
	/* Committed: nothing for an unplanned exit to remove. */
	free(f->tmp);
	f->tmp = NULL;
	l->st.files++;
	l->st.bytes += (uint64_t)st.st_size;
	if (l->c.on_commit != NULL)
		l->c.on_commit(l->c.arg, l->name.data, rows,
		    (uint64_t)st.st_size);
	forget(l, f);
}

/* ---------------------------------------------------------------------
 * The lake
 */

struct lake *
lake_open(const struct lake_conf *c)
{
	struct lake *l = xcalloc(1, sizeof(*l));
	struct stat st;
	char *p;

	l->c = *c;
	l->ext = c->fw.format == FW_CSV ? ".csv" : ".parquet";
	if (l->c.max_open == 0)
		l->c.max_open = 1;
	switch (c->mode) {
	case LAKE_DIR:
		p = xstrdup(c->path);
		make_dirs(l, p, 0);
		free(p);
		break;
	case LAKE_FILE:
		if (stat(c->path, &st) == 0 && S_ISDIR(st.st_mode))
			diag_errx(EXIT_DATA, "\"%s\" is a directory", c->path);
		p = dir_of(c->path);
		if (stat(p, &st) != 0)
			diag_err(EXIT_DATA, "could not write in \"%s\"", p);
		if (!S_ISDIR(st.st_mode)) {
			errno = ENOTDIR;
			diag_err(EXIT_DATA, "could not write in \"%s\"", p);
		}
		free(p);
		break;
	case LAKE_STDOUT:
		break;
	}
	live = l;
	diag_on_exit(lake_atexit);
	return l;
}

/* Columns of CSV on standard output: the members of the rows taken (all of
 * the first row group's, which are the header). */
static void
note_cols(struct lake *l, const struct jdoc *d, uint64_t rows)
{
	int k, v;
	struct buf name = BUF_INIT;

	if (rows > l->c.fw.rg_rows) {
		l->cols_done = 1;
		return;
	}
	for (k = jscan_child(d, 0); k >= 0; k = jscan_after(d, 0, v)) {
		v = k + 1;
		buf_reset(&name);
		jscan_str_append(d, k, &name);
		if (hmap_get(&l->cols, name.data, name.len) == NULL)
			*hmap_put(&l->cols, name.data, name.len) = l;
	}
	buf_free(&name);
}

/* Why a row does not fit standard output: its first member that is not a
 * column. */
static const char *
stdout_misfit(struct lake *l, const struct jdoc *d)
{
	struct buf name = BUF_INIT;
	int k, v;

	for (k = jscan_child(d, 0); k >= 0; k = jscan_after(d, 0, v)) {
		v = k + 1;
		if (jscan_type(d, v) == J_NULL)
			continue;	/* a new member that is null fits */
		buf_reset(&name);
		jscan_str_append(d, k, &name);
		if (hmap_get(&l->cols, name.data, name.len) == NULL)
			break;
	}
	if (k >= 0)
		snprintf(l->why, sizeof(l->why), "field \"%s\": not a column "
		    "of the CSV header, which the first row group gave (see "
		    "--row-group-rows and --schema)", name.data);
	else
		snprintf(l->why, sizeof(l->why), "the row does not fit the "
		    "columns of the CSV header already written");
	buf_free(&name);
	return l->why;
}

int
lake_row(struct lake *l, const char *key, size_t klen, const struct jdoc *d,
    const struct lake_lsn *lsn, const char *source, uint64_t lineno,
    const char **why)
{
	struct lfile *f;
	struct schema *s;
	uint64_t before;
	int rc;

	/* Rows of one partition tend to come together. */
	f = l->last;
	if (f == NULL || f->klen != klen || memcmp(f->key, key, klen) != 0) {
		if ((f = hmap_get(&l->open, key, klen)) == NULL)
			f = open_file(l, key, klen, NULL);
		l->last = f;
	}
	rc = fw_row(f->w, d, why);
	if (rc == FW_MISFIT) {
		if (l->c.mode == LAKE_STDOUT) {
			*why = stdout_misfit(l, d);
			return LAKE_BAD;
		}
		s = fw_widen(f->w, d);
		before = fw_rows(f->w);
		if (l->c.mode == LAKE_FILE) {
			char *next = file_name(l->c.path, l->next_part);

			diag_warnx("%s:%llu: the row does not fit the schema "
			    "of \"%s\" (%llu rows): continuing in \"%s\"",
			    source, (unsigned long long)lineno, f->name,
			    (unsigned long long)before, next);
			free(next);
		} else
			diag_info(1, "%s:%llu: the row does not fit the "
			    "schema of its file in \"%s\" (%llu rows): a new "
			    "file with the schema widened", source,
			    (unsigned long long)lineno, f->dir,
			    (unsigned long long)before);
		commit(l, f);
		f = open_file(l, key, klen, s);
		l->last = f;
		schema_free(s);		/* frees s itself: fw_widen made it */
		rc = fw_row(f->w, d, why);
		if (rc == FW_MISFIT) {
			*why = "the row does not fit even the schema widened "
			    "for it";
			return LAKE_BAD;
		}
	}
	if (rc != FW_OK)
		return LAKE_BAD;
	l->st.rows++;
	if (l->c.mode == LAKE_STDOUT) {
		if (!l->cols_done)
			note_cols(l, d, fw_rows(f->w));
		return LAKE_OK;
	}
	if (lsn == NULL || !lsn->valid)
		f->lsn_all = 0;
	else if (f->lsn_all) {
		if (fw_rows(f->w) == 1)
			f->first_lsn = lsn->v;
		f->last_lsn = lsn->v;
	}
	if (f != l->lru_tail) {
		lru_unlink(l, f);
		lru_push(l, f);
	}
	if ((l->c.roll_rows > 0 && fw_rows(f->w) >= l->c.roll_rows) ||
	    (l->c.roll_bytes > 0 && fw_bytes(f->w) >= l->c.roll_bytes))
		commit(l, f);
	return LAKE_OK;
}

int64_t
lake_tick(struct lake *l)
{
	int64_t now;

	if (l->c.roll_us <= 0 || l->age == NULL)
		return -1;
	now = clock_us(CLOCK_MONOTONIC);
	while (l->age != NULL && l->age->due_us <= now)
		commit(l, l->age);
	if (l->age == NULL)
		return -1;
	return (l->age->due_us - now + 999) / 1000;
}

void
lake_close(struct lake *l, struct lake_stats *st)
{
	while (l->age != NULL)
		commit(l, l->age);
	live = NULL;
	if (st != NULL)
		*st = l->st;
	hmap_free(&l->open, NULL);
	hmap_free(&l->lsn_names, NULL);
	hmap_free(&l->cols, NULL);
	hmap_free(&l->evicted, NULL);
	buf_free(&l->path);
	buf_free(&l->name);
	free(l);
}

void
lake_abort(struct lake *l)
{
	struct lfile *f;

	if (l == NULL)
		return;
	for (f = l->age; f != NULL; f = f->anext)
		if (f->tmp == NULL && fw_rows(f->w) > 0)
			fw_finish(f->w);
	lake_atexit();
}

/* Exit without lake_close: remove what is not complete. */
static void
lake_atexit(void)
{
	struct lfile *f;

	if (live == NULL)
		return;
	for (f = live->age; f != NULL; f = f->anext)
		if (f->tmp != NULL)
			unlink(f->tmp);
	live = NULL;
}

const struct lake_stats *
lake_stats(const struct lake *l)
{
	return &l->st;
}
