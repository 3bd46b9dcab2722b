/*
 * setup.c - before and after the chains: the rules loaded and checked, the
 * output directory opened and locked, the inputs walked and named, the
 * program's identity; at the end summary.xlsx, one sync, the manifest,
 * report.tsv and the closing lines.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "batch/names.h"
#include "batch/plan.h"
#include "batch/run.h"
#include "rules/rules.h"
#include "stream/err.h"
#include "stream/rec.h"

extern char **environ;

#define LOCK_FILE ".notice-matrix.lock"
#define STREAMS_DIR ".notice-matrix.streams"

static const char *const STAGES[] = {"decode", "segment", "extract", "validate", "xlsx"};
#define NSTAGES 5

static char *bin_path(const struct run *b, const char *stage)
{
	struct buf p = BUF_INIT;
	buf_printf(&p, "%s/nm-%s", b->paths->bindir, stage);
	return p.s;
}

/* The --rules arguments every rules-reading stage gets: the rules, then each extra. */
static void rules_args(const struct run *b, char **argv, int *n)
{
	argv[(*n)++] = "--rules";
	argv[(*n)++] = (char *)b->o->rules;
	for (size_t i = 0; i < b->o->nextra; i++) {
		argv[(*n)++] = "--rules";
		argv[(*n)++] = (char *)b->o->extra_rules[i];
	}
}

/*
 * Loads the rules as the stages will, with the same loader: a bad rule
 * stops the run with every problem named (rules/FILE:LINE: …), and the
 * hash of what was loaded identifies the rules in the manifest.
 */
static int load_rules(struct run *b)
{
	struct rules rs;
	struct buf err = BUF_INIT;
	memset(&rs, 0, sizeof rs);
	int problems = rules_load(&rs, b->o->rules, &err);
	for (size_t i = 0; i < b->o->nextra; i++)
		problems += rules_load(&rs, b->o->extra_rules[i], &err);
	ident_hex(rs.hash, b->rules_hash);
	rules_free(&rs);
	if (problems) {
		for (char *line = err.s, *nl; line && *line; line = nl + 1) {
			nl = strchr(line, '\n');
			if (nl)
				*nl = '\0';
			nm_warn("%s", line);
			if (!nl)
				break;
		}
		nm_warn("bad rules: nothing converted");
	}
	buf_free(&err);
	return problems ? -1 : 0;
}

/* Starts argv with standard input and output on /dev/null; returns its pid or -1. */
static pid_t spawn_quiet(char **argv)
{
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	pid_t pid;
	int rc = posix_spawn(&pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (rc != 0) {
		nm_warn("cannot start %s: %s", argv[0], strerror(rc));
		return -1;
	}
	return pid;
}

/*
 * Each stage that reads the rules checks them once with nothing to convert
 * (what it requires of them is its own), together: a stage that refuses
 * them, or cannot start, stops the run before anything is converted.
 */
static int preflight(struct run *b)
{
	static const char *const readers[] = {"segment", "extract", "validate"};
	pid_t pid[3];
	char *paths[3];
	int bad = 0;
	for (int i = 0; i < 3; i++) {
		char *argv[8 + 2 * 64];
		int n = 0;
		paths[i] = bin_path(b, readers[i]);
		argv[n++] = paths[i];
		rules_args(b, argv, &n);
		argv[n] = NULL;
		pid[i] = spawn_quiet(argv);
	}
	for (int i = 0; i < 3; i++) {
		int st = 0;
		if (pid[i] < 0 || waitpid(pid[i], &st, 0) < 0 || !WIFEXITED(st) ||
		    WEXITSTATUS(st) != 0)
			bad = 1;
		free(paths[i]);
	}
	return bad ? -1 : 0;
}

/* The argv of each process of a chain (with nm-keep after each stage under --keep-intermediate). */
static void build_spec(struct run *b)
{
	const struct batch_opts *o = b->o;
	int k = 0;
	for (int s = 0; s < NSTAGES; s++) {
		char **argv = nm_xmalloc((16 + 2 * (o->nextra + 1)) * sizeof *argv);
		int n = 0;
		argv[n++] = bin_path(b, STAGES[s]);
		if (s == 0) {
			static char size[32];
			snprintf(size, sizeof size, "%llu", o->max_size);
			argv[n++] = "--max-size";
			argv[n++] = size;
			if (o->from)
				argv[n++] = "--from", argv[n++] = (char *)o->from;
		} else if (s < 4) {
			rules_args(b, argv, &n);
			if (s == 2 && o->as_of[0])
				argv[n++] = "--as-of", argv[n++] = (char *)o->as_of;
		} else {
			argv[n++] = "-o", argv[n++] = (char *)o->outdir;
			rules_args(b, argv, &n);
			argv[n++] = "--no-fsync"; /* the run syncs once, before its manifest */
			argv[n++] = "--rules-hash", argv[n++] = b->rules_hash;
			argv[n++] = "--program-version", argv[n++] = b->version;
			if (o->split)
				argv[n++] = "--split-by-unit";
		}
		argv[n] = NULL;
		b->spec.argv[k] = argv;
		b->spec_args[k] = argv;
		b->spec.label[k++] = argv[0] + strlen(b->paths->bindir) + 1;
		if (o->keep) {
			char **kv = nm_xmalloc(6 * sizeof *kv);
			static const char *const labels[] = {"1-decode", "2-segment", "3-extract",
							     "4-validate", "5-xlsx"};
			kv[0] = bin_path(b, "keep");
			kv[1] = "-o", kv[2] = (char *)o->outdir, kv[3] = (char *)labels[s],
			kv[4] = NULL;
			b->spec.argv[k] = kv;
			b->spec_args[k] = kv;
			b->spec.label[k++] = "nm-keep";
		}
	}
	b->spec.n = k;
}

/*
 * The program: the bytes of the chain's stages (what a workbook depends
 * on), cached by stat in the manifest. nm-summary's bytes are hashed too,
 * for the key of summary.xlsx; the driver's own are neither.
 */
static int program_identity(struct run *b)
{
	char *paths[NSTAGES + 1];
	for (int i = 0; i < NSTAGES; i++)
		paths[i] = bin_path(b, STAGES[i]);
	paths[NSTAGES] = bin_path(b, "summary");
	struct ident_parts fresh = {0};
	size_t bad = 0;
	char summary[IDENT_HEX];
	int rc = ident_program((const char *const *)paths, NSTAGES, &b->m.parts, &fresh, b->program,
			       &bad);
	if (rc == 0 && ident_program((const char *const *)paths + NSTAGES, 1, &b->m.parts, &fresh,
				     summary, &bad) < 0)
		rc = -1, bad += NSTAGES;
	if (rc < 0)
		nm_warn("cannot read %s: %s", paths[bad], strerror(errno));
	for (int i = 0; i <= NSTAGES; i++)
		free(paths[i]);
	ident_parts_free(&b->m.parts);
	b->m.parts = fresh;
	snprintf(b->version, sizeof b->version, "%s+%.8s", NM_VERSION, b->program);
	return rc;
}

/* The hash of what shapes a workbook besides the notice: rules and options. */
static void config_identity(struct run *b)
{
	struct buf c = BUF_INIT;
	buf_printf(&c, "rules %s\nas-of %s\nsplit %d\nfrom %s\n", b->rules_hash, b->o->as_of,
		   b->o->split, b->o->from ? b->o->from : "");
	ident_hex(ident_fnv1a(IDENT_FNV_BASIS, c.s, c.len), b->config);
	buf_free(&c);
}

static const char *known_name(void *ctx, const char *abs)
{
	const struct entry *e = manifest_by_path(ctx, abs);
	return e ? e->name : NULL;
}

/* Opens and locks OUTDIR. Returns -1 to go on, or what stops the run (an nm_status). */
static int open_outdir(struct run *b)
{
	struct buf why = BUF_INIT;
	if (outdir_open(&b->od, b->o->outdir, !b->o->dry_run, &why) < 0) {
		if (b->o->dry_run) { /* nothing there yet: everything would convert */
			buf_free(&why);
			return -1;
		}
		nm_warn("%s", buf_str(&why));
		buf_free(&why);
		return NM_EOUTPUT;
	}
	if (b->o->dry_run) { /* reads the manifest, takes no lock, writes nothing */
		buf_free(&why);
		return -1;
	}
	/* Links planted at the lock and the journal are removed, never followed (a
	 * link at the streams folder is refused when it is opened). */
	static const char *const own[] = {LOCK_FILE, JOURNAL_FILE};
	for (size_t i = 0; i < sizeof own / sizeof *own; i++)
		if (outdir_drop_link(&b->od, own[i]))
			nm_warn("%s/%s was a symbolic link: removed", b->o->outdir, own[i]);
	b->lock = outdir_lock(&b->od, LOCK_FILE, &why);
	if (b->lock < 0 && errno == EWOULDBLOCK) {
		nm_warn("another run is writing to %s", b->o->outdir);
		buf_free(&why);
		return NM_EOUTPUT;
	}
	if (b->lock < 0) { /* a read-only disk, no permission: every notice fails, named */
		buf_printf(&b->unwritable_why,
			   "not converted: the output directory %s cannot be written (%s)",
			   b->o->outdir, buf_str(&why));
		b->unwritable = buf_str(&b->unwritable_why);
		nm_warn("%s", buf_str(&why));
	}
	buf_free(&why);
	return -1;
}

int run_setup(struct run *b)
{
	const struct batch_opts *o = b->o;
	static char rules_default[4096];
	if (!o->rules) {
		snprintf(rules_default, sizeof rules_default, "%s/rules", b->paths->home);
		((struct batch_opts *)o)->rules = rules_default;
	}
	if (o->from) {
		iconv_t cd = iconv_open("UTF-8", o->from);
		if (cd == (iconv_t)-1) {
			nm_warn("--from %s: not an encoding iconv knows (see iconv -l)", o->from);
			return NM_EUSAGE;
		}
		iconv_close(cd);
	}
	if (load_rules(b) < 0 || preflight(b) < 0)
		return NM_ERULES;
	int rc = open_outdir(b);
	if (rc >= 0)
		return rc;
	/* The inputs; the output directory is never walked as one. */
	char cwd[4096];
	if (!getcwd(cwd, sizeof cwd))
		snprintf(cwd, sizeof cwd, "/");
	struct stat st;
	struct walk_skip skip = {0, 0};
	if (b->od.fd >= 0 && fstat(b->od.fd, &st) == 0)
		skip = (struct walk_skip){(unsigned long long)st.st_dev,
					  (unsigned long long)st.st_ino};
	static char samples[4096];
	static char *defaults[1];
	char **inputs = o->inputs;
	size_t ninputs = o->ninputs;
	if (!ninputs) {
		snprintf(samples, sizeof samples, "%s/samples", b->paths->home);
		defaults[0] = samples;
		inputs = defaults;
		ninputs = 1;
	}
	struct buf why = BUF_INIT;
	for (size_t i = 0; i < ninputs; i++)
		if (walk_input(&b->in, inputs[i], (unsigned)i, cwd, &skip, &why) < 0) {
			nm_warn("%s", buf_str(&why));
			buf_free(&why);
			return NM_EUSAGE; /* the output directory given as an input */
		}
	if (!b->unwritable && !o->dry_run)
		outdir_remove_stale(&b->od, "");
	if (!b->unwritable && b->od.fd >= 0) {
		if (manifest_load(&b->m, &b->od, &why) < 0) {
			nm_warn("%s; every notice converts again", buf_str(&why));
			buf_reset(&why);
		}
		b->streams = o->dry_run ? outdir_folder(&b->od, STREAMS_DIR, 0, NULL)
					: outdir_state_folder(&b->od, STREAMS_DIR, &why);
		if (b->streams < 0 && !o->dry_run) {
			nm_warn("%s; converted notices are not kept for later summaries",
				buf_str(&why));
			buf_reset(&why);
		}
	}
	buf_free(&why);
	if (program_identity(b) < 0)
		return NM_EINTERNAL;
	config_identity(b);
	names_assign(&b->in, known_name, &b->m);
	build_spec(b);
	return -1;
}

/* Copies a kept stream to out without its closing end record (the
 * report goes before it). Returns 0, or -1 when it cannot be read. */
static int copy_kept(int dir, const char *name, FILE *out)
{
	int fd = openat(dir, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	size_t n = (size_t)st.st_size, got = 0;
	char *text = nm_xmalloc(n + 1);
	while (got < n) {
		ssize_t k = read(fd, text + got, n - got);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			break;
		got += (size_t)k;
	}
	close(fd);
	if (got >= 4 && memcmp(text + got - 4, "end\n", 4) == 0)
		got -= 4;
	fwrite(text, 1, got, out);
	free(text);
	return 0;
}

/* Writes the run's documents to out in input order: what summary.xlsx is made of. */
static void feed_summary(struct run *b, FILE *out)
{
	for (size_t i = 0; i < b->in.n; i++) {
		const struct result *r = &b->r[i];
		if (r->output_hash[0] && b->streams >= 0 &&
		    (strcmp(r->status, "skipped") == 0 || r->saved)) {
			char name[IDENT_HEX + 8];
			plan_stream_name(name, sizeof name, r->output_hash);
			copy_kept(b->streams, name, out);
		}
		rec_put_report(out,
			       &(struct rec_report){b->in.v[i].path, r->status, r->tasks,
						    r->findings, r->encoding, r->output, r->message,
						    b->in.v[i].name, r->output_hash});
		rec_put(out, "end", NULL);
	}
}

/* The key of what summary.xlsx is made of: every report of the run, the
 * kept streams by their hash, the option and nm-summary's own bytes. */
static void summary_key(const struct run *b, char hex[IDENT_HEX])
{
	uint64_t h = IDENT_FNV_BASIS;
	struct buf one = BUF_INIT;
	buf_printf(&one, "split %d\n", b->o->split);
	for (size_t i = 0; i < b->m.parts.n; i++)
		buf_printf(&one, "%s %s\n", b->m.parts.v[i].path, b->m.parts.v[i].hash);
	h = ident_fnv1a(h, one.s, one.len);
	for (size_t i = 0; i < b->in.n; i++) {
		const struct result *r = &b->r[i];
		buf_reset(&one);
		buf_printf(&one, "%s\t%s\t%s\t%ld\t%ld\t%s\t%s\t%s\t%s\t%d\n", b->in.v[i].path,
			   b->in.v[i].name, r->status, r->tasks, r->findings, r->encoding,
			   r->output, r->message, r->output_hash, r->saved);
		h = ident_fnv1a(h, one.s, one.len);
	}
	buf_free(&one);
	ident_hex(h, hex);
}

/* nm-summary over the run: summary.xlsx (and 单位/UNIT.xlsx). Returns 0 or -1. */
static int summarise(struct run *b)
{
	char **argv = nm_xmalloc((8 + 2 * (b->o->nextra + 1)) * sizeof *argv);
	int n = 0;
	argv[n++] = bin_path(b, "summary");
	argv[n++] = "-o";
	argv[n++] = (char *)b->o->outdir;
	rules_args(b, argv, &n);
	argv[n++] = "--no-fsync";
	if (b->o->split)
		argv[n++] = "--split-by-unit";
	argv[n] = NULL;
	int p[2];
	if (pipe2(p, O_CLOEXEC) < 0) {
		free(argv[0]), free(argv);
		return -1;
	}
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, p[0], 0);
	posix_spawnattr_t attr;
	posix_spawnattr_init(&attr);
	sigset_t def;
	sigemptyset(&def);
	sigaddset(&def, SIGPIPE);
	posix_spawnattr_setsigdefault(&attr, &def);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGDEF);
	pid_t pid;
	int rc = posix_spawn(&pid, argv[0], &fa, &attr, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	close(p[0]);
	if (rc != 0) {
		nm_warn("cannot start %s: %s", argv[0], strerror(rc));
		close(p[1]);
		free(argv[0]), free(argv);
		return -1;
	}
	FILE *out = fdopen(p[1], "w");
	if (out) {
		feed_summary(b, out);
		fclose(out);
	} else {
		close(p[1]);
	}
	int st = 0;
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {
	}
	free(argv[0]), free(argv);
	if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
		return 0;
	if (WIFSIGNALED(st))
		nm_warn("summary.xlsx not written: nm-summary killed by signal %d", WTERMSIG(st));
	else
		nm_warn("summary.xlsx not written: nm-summary exited with status %d",
			WEXITSTATUS(st));
	return -1;
}

/* Removes the kept streams no entry of the manifest names. */
static void prune_streams(struct run *b)
{
	if (b->streams < 0)
		return;
	int fd = fcntl(b->streams, F_DUPFD_CLOEXEC, 0);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	if (!d) {
		if (fd >= 0)
			close(fd);
		return;
	}
	rewinddir(d); /* the dup shares the offset of an earlier reading */
	struct names_set keep;
	names_set_init(&keep, b->m.n);
	typedef char stream_name[IDENT_HEX + 8]; /* as plan_stream_name() writes it */
	stream_name *names = nm_xmalloc((b->m.n + 1) * sizeof *names);
	for (size_t i = 0; i < b->m.n; i++) {
		plan_stream_name(names[i], sizeof names[i], b->m.v[i].output_hash);
		names_set_add(&keep, names[i]);
	}
	for (struct dirent *e; (e = readdir(d));) {
		size_t n = strlen(e->d_name);
		if (n > 7 && strcmp(e->d_name + n - 7, ".stream") == 0 &&
		    !names_set_has(&keep, e->d_name))
			unlinkat(dirfd(d), e->d_name, 0);
	}
	closedir(d);
	names_set_free(&keep);
	free(names);
}

int run_finish(struct run *b, long seconds)
{
	int bad = 0;
	struct buf why = BUF_INIT;
	if (!b->unwritable) {
		/* summary.xlsx is rewritten only when what it is made of changed. */
		char key[IDENT_HEX];
		summary_key(b, key);
		int fd = outdir_open_read(&b->od, "summary.xlsx");
		int same = fd >= 0 && strcmp(key, b->m.summary) == 0;
		if (fd >= 0)
			close(fd);
		if (!same && summarise(b) < 0)
			bad = 1;
		memcpy(b->m.summary, bad ? "" : key, bad ? 1 : IDENT_HEX);
		/* One sync for the whole batch, before the manifest says it is done. */
		if (outdir_sync(&b->od) < 0)
			nm_warn("cannot sync %s: %s", b->o->outdir, strerror(errno));
		outdir_remove_stale(&b->od, "");
		if (manifest_write(&b->m, &b->od, &why) < 0) {
			nm_warn("%s", buf_str(&why));
			buf_reset(&why);
			bad = 1;
		}
		prune_streams(b);
		if (report_write(&b->od, &b->in, b->r, &why) < 0) {
			nm_warn("%s", buf_str(&why));
			bad = 1;
		}
	} else {
		nm_warn("report.tsv not written: the output directory cannot be written");
		bad = 1;
	}
	buf_free(&why);
	report_failures(stderr, &b->in, b->r);
	struct report_counts c;
	report_count(&b->in, b->r, &c);
	report_line(stderr, &c, seconds);
	return c.failed || bad ? NM_EDATA : 0;
}

void run_free(struct run *b)
{
	for (size_t i = 0; b->r && i < b->in.n; i++)
		result_free(&b->r[i]);
	free(b->r);
	inputs_free(&b->in);
	manifest_free(&b->m);
	for (int k = 0; k < b->spec.n; k++) {
		free(b->spec_args[k][0]);
		free(b->spec_args[k]);
	}
	for (int s = 0; s < RUN_MAX_JOBS; s++) {
		buf_free(&b->slots[s].timeout);
		free(b->slots[s].work.v);
		free(b->slots[s].suspects.v);
	}
	buf_free(&b->unwritable_why);
	if (b->streams >= 0)
		close(b->streams);
	if (b->lock >= 0)
		close(b->lock);
	outdir_close(&b->od);
}
