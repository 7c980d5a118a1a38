/*
 * sh - Holstein's small shell.
 *
 *   sh                 interactive when stdin is a terminal (prompt "holstein$ ")
 *   sh -c 'line'       run one command line and exit with its status
 *   sh FILE [ARG...]   run the commands in FILE (and "sh < FILE" works too)
 *   sh -c 'line' [NAME [ARG...]]
 *
 * Supports words with '...' and "..." quoting and backslash escapes, $? $$ $NAME ${NAME},
 * the positional parameters $0 to $9 and $# (a script's path and arguments, as the
 * kernel passes them for a "#!/bin/sh" file), assignments NAME=VALUE (alone: for the
 * shell and every later command; before a command: for that command),
 * pipelines of any length, ';', '&', '&&', '||', '#' comments, redirections ([n]< [n]>
 * [n]>> [n]>&m), and the builtins cd, exit, wait, export, jobs, fg and bg. Every job gets
 * its own process group; a foreground job is also given the terminal so Ctrl-C and Ctrl-Z
 * reach it and not the shell, and a stopped job waits in the job table for fg or bg.
 * No globbing, no field splitting of expansions, no control flow.
 */
#include "ulib.h"

#define MAX_LINE 4096
#define MAX_POOL (4 * MAX_LINE)
#define MAX_TOKENS 512
#define MAX_ARGS 128
#define MAX_REDIRS 8
#define MAX_CMDS 32
#define MAX_JOBS 32

enum tok_type { T_WORD, T_PIPE, T_AMP, T_SEMI, T_AND, T_OR, T_REDIR, T_END };

struct token {
	enum tok_type type;
	char *word; /* T_WORD: the word after quote removal and expansion */
	int fd;	    /* T_REDIR: the descriptor being redirected */
	int op;	    /* T_REDIR: '<', '>', 'a' (append) or '&' (duplicate) */
};

struct redir {
	int fd, op;
	char *target;
};

struct cmd {
	char *argv[MAX_ARGS + 1];
	int argc;
	struct redir redirs[MAX_REDIRS];
	int nredirs;
};

struct job {
	int id; /* 0 = free slot, or a foreground job not in the table */
	pid_t pgid;
	pid_t pids[MAX_CMDS]; /* 0 once reaped */
	int npids, live;
	int stopped;
	int status; /* wait status of the last process, once reaped */
	char name[48];
};

static int last_status;
static int interactive;	   /* reading commands from a terminal */
static int tty_fd = -1;	   /* the terminal we hand to foreground jobs, or -1 */
static pid_t shell_pgid;   /* our process group, given back the terminal after each job */
static int exit_requested; /* the exit builtin ran in the shell itself */
static char **params;	   /* $0, $1, ...: NULL-terminated */
static int nparams;	   /* $#: how many after $0 */
static struct job jobs[MAX_JOBS];

/* Signals a job must see with default actions but the shell must survive. */
static const int job_signals[] = {SIGINT, SIGQUIT, SIGTSTP, SIGTTIN, SIGTTOU};

/* set_job_signals - set the terminal-generated signals to handler. */
static void set_job_signals(void (*handler)(int))
{
	for (size_t i = 0; i < sizeof(job_signals) / sizeof(job_signals[0]); i++)
		signal(job_signals[i], handler);
}

/* status_code - the shell's $? for a wait status: the exit code, or 128+signal. */
static int status_code(int st)
{
	if (WIFSIGNALED(st))
		return 128 + WTERMSIG(st);
	if (WIFSTOPPED(st))
		return 128 + WSTOPSIG(st);
	return WEXITSTATUS(st);
}

/*
 * Lexer state: words are copied, after quote removal and expansion, into a pool that
 * lives as long as the line.
 */
static char pool[MAX_POOL];
static size_t pool_len;

/* pool_put - append one character to the word being built; 0 on success, -1 if full. */
static int pool_put(char c)
{
	if (pool_len >= MAX_POOL)
		return -1;
	pool[pool_len++] = c;
	return 0;
}

/* pool_puts - append a string to the word being built; -1 if the pool is full. */
static int pool_puts(const char *s)
{
	while (*s)
		if (pool_put(*s++) < 0)
			return -1;
	return 0;
}

/*
 * expand - expand the '$' at *sp (one of $? $$ $NAME ${NAME}) into the pool and advance
 * *sp past it. A '$' followed by anything else is a literal '$'. Returns -1 if full.
 */
static int expand(const char **sp)
{
	const char *s = *sp + 1;
	char name[64], num[16];
	size_t n = 0;
	int brace = *s == '{';

	if (*s == '?' || *s == '$' || *s == '#') {
		snprintf(num, sizeof(num), "%d",
			 *s == '?' ? last_status : *s == '#' ? nparams : (int)getpid());
		*sp = s + 1;
		return pool_puts(num);
	}
	if (*s >= '0' && *s <= '9') { /* $N: a positional parameter, "" past the last */
		*sp = s + 1;
		return *s - '0' <= nparams ? pool_puts(params[*s - '0']) : 0;
	}
	s += brace;
	while ((*s == '_' || (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		(n && *s >= '0' && *s <= '9')) &&
	       n < sizeof(name) - 1)
		name[n++] = *s++;
	name[n] = '\0';
	if (!n || (brace && *s != '}')) {
		*sp += 1;
		return pool_put('$');
	}
	*sp = s + brace;
	return pool_puts(getenv(name) ? getenv(name) : "");
}

/* is_special - characters that end an unquoted word. */
static int is_special(char c)
{
	return c == '\0' || c == ' ' || c == '\t' || c == '\n' || c == '|' || c == '&' ||
	       c == ';' || c == '<' || c == '>';
}

/*
 * lex_word - read one word starting at *sp into the pool. Sets *quoted when any quoting
 * was used (so "" is a word while an empty $VAR is not). Returns the word, or NULL with a
 * message printed on error.
 */
static char *lex_word(const char **sp, int *quoted)
{
	const char *s = *sp;
	size_t start = pool_len;
	int err = 0;

	*quoted = 0;
	while (!is_special(*s) && !err) {
		if (*s == '\'') {
			*quoted = 1;
			for (s++; *s && *s != '\''; s++)
				err |= pool_put(*s);
			if (!*s) {
				fprintf(stderr, "sh: unterminated '\n");
				return NULL;
			}
			s++;
		} else if (*s == '"') {
			*quoted = 1;
			for (s++; *s && *s != '"';) {
				if (*s == '\\' && s[1] && strchr("$\"\\`", s[1])) {
					err |= pool_put(s[1]);
					s += 2;
				} else if (*s == '$') {
					err |= expand(&s);
				} else {
					err |= pool_put(*s++);
				}
			}
			if (!*s) {
				fprintf(stderr, "sh: unterminated \"\n");
				return NULL;
			}
			s++;
		} else if (*s == '\\' && s[1]) {
			*quoted = 1;
			err |= pool_put(s[1]);
			s += 2;
		} else if (*s == '$') {
			err |= expand(&s);
		} else {
			err |= pool_put(*s++);
		}
	}
	if (err || pool_put('\0') < 0) {
		fprintf(stderr, "sh: line too long\n");
		return NULL;
	}
	*sp = s;
	return pool + start;
}

/*
 * lex - split the next list element of a command line into tokens: up to and including
 * the first ';', '&', '&&' or '||', else to the end of the line, then a T_END. Lexing one
 * element at a time makes $? see the status of the element before it. '#' at the start of
 * a word starts a comment. Advances *sp; returns the token count, or -1 on error.
 */
static int lex(const char **sp, struct token *toks)
{
	const char *s = *sp;
	int n = 0, quoted, pending_fd = -1;

	pool_len = 0;
	for (;;) {
		struct token *t = &toks[n];

		while (*s == ' ' || *s == '\t' || *s == '\n')
			s++;
		if (n >= MAX_TOKENS - 2) {
			fprintf(stderr, "sh: too many words\n");
			return -1;
		}
		if (!*s || *s == '#') {
			t->type = T_END;
			*sp = s + strlen(s);
			return n;
		}
		if (*s == '|' || *s == '&') {
			if (s[1] == *s)
				t->type = *s == '|' ? T_OR : T_AND;
			else
				t->type = *s == '|' ? T_PIPE : T_AMP;
			s += 1 + (s[1] == *s);
		} else if (*s == ';') {
			t->type = T_SEMI;
			s++;
		} else if (*s == '<' || *s == '>') {
			t->type = T_REDIR;
			t->fd = pending_fd >= 0 ? pending_fd : *s == '<' ? 0 : 1;
			t->op = *s;
			if (s[0] == '>' && s[1] == '>')
				t->op = 'a';
			else if (s[1] == '&')
				t->op = '&';
			s += 1 + (t->op == 'a' || t->op == '&');
		} else {
			t->type = T_WORD;
			t->word = lex_word(&s, &quoted);
			if (!t->word)
				return -1;
			/* "2>file": a bare number glued to '<' or '>' names the descriptor. */
			if ((*s == '<' || *s == '>') && !quoted && *t->word &&
			    strspn(t->word, "0123456789") == strlen(t->word)) {
				pending_fd = atoi(t->word);
				continue;
			}
			if (!*t->word && !quoted)
				continue; /* an unquoted expansion that came out empty */
		}
		pending_fd = -1;
		n++;
		if (t->type == T_SEMI || t->type == T_AMP || t->type == T_AND || t->type == T_OR) {
			toks[n].type = T_END;
			*sp = s;
			return n;
		}
	}
}

/*
 * apply_redirs - perform a command's redirections in the child about to exec.
 * Returns 0, or -1 after printing why.
 */
static int apply_redirs(const struct cmd *c)
{
	for (int i = 0; i < c->nredirs; i++) {
		const struct redir *r = &c->redirs[i];
		int fd;

		if (r->op == '&') {
			fd = atoi(r->target);
			if (dup2(fd, r->fd) < 0) {
				fprintf(stderr, "sh: %d>&%s: %s\n", r->fd, r->target,
					strerror(errno));
				return -1;
			}
			continue;
		}
		if (r->op == '<')
			fd = open(r->target, O_RDONLY);
		else
			fd = open(r->target,
				  O_WRONLY | O_CREAT | (r->op == 'a' ? O_APPEND : O_TRUNC), 0644);
		if (fd < 0) {
			fprintf(stderr, "sh: %s: %s\n", r->target, strerror(errno));
			return -1;
		}
		if (fd != r->fd) {
			dup2(fd, r->fd);
			close(fd);
		}
	}
	return 0;
}

/*
 * try_exec - execve path; a "#!" script the kernel refused (ENOEXEC) is run through its
 * interpreter here, since the kernel need not know about scripts. Returns only on failure,
 * with errno describing it.
 */
static void try_exec(const char *path, char **argv)
{
	char head[128], *interp, *args[MAX_ARGS + 3];
	int fd, n, i = 0;

	execve(path, argv, environ);
	if (errno != ENOEXEC)
		return;
	fd = open(path, O_RDONLY);
	n = fd < 0 ? -1 : read(fd, head, sizeof(head) - 1);
	if (fd >= 0)
		close(fd);
	if (n < 3 || head[0] != '#' || head[1] != '!') {
		errno = ENOEXEC;
		return;
	}
	head[n] = '\0';
	interp = strtok(head + 2, " \t\n");
	if (!interp) {
		errno = ENOEXEC;
		return;
	}
	args[i++] = interp;
	args[i++] = (char *)path;
	for (char **a = argv + 1; *a && i < MAX_ARGS + 2; a++)
		args[i++] = *a;
	args[i] = NULL;
	execve(interp, args, environ);
	errno = ENOEXEC;
}

/*
 * exec_cmd - exec argv, searching $PATH when argv[0] has no '/'. Never returns: exits
 * 127 when the command is not found, 126 when it was found but could not run.
 */
static void exec_cmd(char **argv)
{
	const char *path = getenv("PATH");
	char buf[512];
	int err = ENOENT;

	if (strchr(argv[0], '/')) {
		try_exec(argv[0], argv);
		err = errno;
	} else {
		for (path = path ? path : "/bin"; *path;) {
			size_t n = strcspn(path, ":");

			snprintf(buf, sizeof(buf), "%.*s/%s", (int)n, n ? path : ".", argv[0]);
			try_exec(buf, argv);
			if (errno != ENOENT && errno != ENOTDIR)
				err = errno;
			path += n + (path[n] == ':');
		}
	}
	if (err == ENOENT) {
		fprintf(stderr, "sh: %s: not found\n", argv[0]);
		_exit(127);
	}
	fprintf(stderr, "sh: %s: %s\n", argv[0], strerror(err));
	_exit(126);
}

/* job_reaped - process i of job has ended with wait status st. */
static void job_reaped(struct job *job, int i, int st)
{
	job->pids[i] = 0;
	job->live--;
	if (i == job->npids - 1)
		job->status = st;
}

/*
 * job_event - a background process changed state (wait status st): forget it if it ended,
 * and announce its job when the job is done or has stopped.
 */
static void job_event(pid_t pid, int st)
{
	for (int j = 0; j < MAX_JOBS; j++) {
		struct job *job = &jobs[j];

		for (int i = 0; job->id && i < job->npids; i++) {
			if (job->pids[i] != pid)
				continue;
			if (WIFSTOPPED(st)) {
				if (!job->stopped && interactive)
					fprintf(stderr, "[%d]+  Stopped\t%s\n", job->id, job->name);
				job->stopped = 1;
				return;
			}
			if (WIFCONTINUED(st))
				return;
			job_reaped(job, i, st);
			if (job->live == 0) {
				if (interactive)
					fprintf(stderr, "[%d] Done\t%s\n", job->id, job->name);
				job->id = 0;
			}
			return;
		}
	}
}

/* reap_jobs - collect background processes that have ended or stopped, without blocking. */
static void reap_jobs(void)
{
	pid_t pid;
	int st;

	while ((pid = wait4(-1, &st, WNOHANG | WUNTRACED, NULL)) > 0)
		job_event(pid, st);
}

/* make_job - describe the pipeline pids[0..n-1] (process group pids[0]) as a job. */
static void make_job(struct job *job, const pid_t *pids, int n, const char *name)
{
	memset(job, 0, sizeof(*job));
	job->pgid = pids[0];
	memcpy(job->pids, pids, n * sizeof(pids[0]));
	job->npids = job->live = n;
	snprintf(job->name, sizeof(job->name), "%s", name);
}

/* table_job - copy job into a free slot of the job table; NULL if the table is full. */
static struct job *table_job(const struct job *job)
{
	for (int j = 0; j < MAX_JOBS; j++)
		if (!jobs[j].id) {
			jobs[j] = *job;
			jobs[j].id = j + 1;
			return &jobs[j];
		}
	return NULL;
}

/* add_job - record a background job and print "[N] PID" for it. */
static void add_job(const pid_t *pids, int n, const char *name)
{
	struct job job, *t;

	make_job(&job, pids, n, name);
	if (!(t = table_job(&job))) {
		/* Table full: the processes still get reaped, just never announced. */
		fprintf(stderr, "[?] %d\n", (int)pids[n - 1]);
		return;
	}
	fprintf(stderr, "[%d] %d\n", t->id, (int)pids[n - 1]);
}

/*
 * wait_fg - give job the terminal (then SIGCONT it if resume) and wait until it ends or
 * stops. A job that stops goes into the table (announced "[N]+ Stopped"); one that ends
 * leaves it. Returns $? for it.
 */
static int wait_fg(struct job *job, int resume)
{
	int st = 0;

	if (tty_fd >= 0)
		tcsetpgrp(tty_fd, job->pgid);	/* before it runs, so it may read the terminal */
	if (resume) {
		job->stopped = 0;
		killpg(job->pgid, SIGCONT);
	}
	for (int i = 0; i < job->npids && !job->stopped; i++) {
		pid_t r;

		if (!job->pids[i])
			continue;
		while ((r = waitpid(job->pids[i], &st, WUNTRACED)) < 0 && errno == EINTR)
			;
		if (r < 0)
			job_reaped(job, i, 0);
		else if (WIFSTOPPED(st))
			job->stopped = 1;
		else
			job_reaped(job, i, st);
	}
	if (tty_fd >= 0)
		tcsetpgrp(tty_fd, shell_pgid);
	if (job->stopped) {
		struct job *t = job->id ? job : table_job(job);

		if (!t) {
			fprintf(stderr, "\nsh: no room in the job table: continuing %s\n", job->name);
			return wait_fg(job, 1);
		}
		fprintf(stderr, "\n[%d]+  Stopped\t%s\n", t->id, t->name);
		return status_code(st);
	}
	job->id = 0;
	st = job->status;
	if (WIFSIGNALED(st)) {
		int sig = WTERMSIG(st);

		if (sig == SIGINT && interactive)
			fputc('\n', stderr);
		else if (sig != SIGINT && sig != SIGPIPE)
			fprintf(stderr, "%s\n", strsignal(sig));
	}
	return status_code(st);
}

/* find_job - the job "%N" or "N" names, or the newest one if arg is NULL; NULL if none. */
static struct job *find_job(const char *arg)
{
	if (!arg) {
		for (int j = MAX_JOBS - 1; j >= 0; j--)
			if (jobs[j].id)
				return &jobs[j];
		return NULL;
	}
	int id = atoi(arg[0] == '%' ? arg + 1 : arg);

	return id >= 1 && id <= MAX_JOBS && jobs[id - 1].id ? &jobs[id - 1] : NULL;
}

/* job_control - the jobs, fg and bg builtins. */
static int job_control(struct cmd *c)
{
	const char *name = c->argv[0];
	struct job *job;

	reap_jobs();
	if (!strcmp(name, "jobs")) {
		for (int j = 0; j < MAX_JOBS; j++)
			if (jobs[j].id)
				printf("[%d]  %s\t%s\n", jobs[j].id,
				       jobs[j].stopped ? "Stopped" : "Running", jobs[j].name);
		return 0;
	}
	if (!(job = find_job(c->argc > 1 ? c->argv[1] : NULL))) {
		fprintf(stderr, "sh: %s: no such job\n", name);
		return 1;
	}
	if (!strcmp(name, "bg")) {
		fprintf(stderr, "[%d] %s &\n", job->id, job->name);
		job->stopped = 0;
		killpg(job->pgid, SIGCONT);
		return 0;
	}
	fprintf(stderr, "%s\n", job->name);
	return wait_fg(job, 1);
}

/* assignments - how many words at the start of c are NAME=VALUE assignments. */
static int assignments(const struct cmd *c)
{
	int n = 0;

	while (n < c->argc) {
		const char *w = c->argv[n], *eq = strchr(w, '=');

		if (!eq || eq == w || (*w >= '0' && *w <= '9'))
			break;
		for (const char *p = w; p < eq; p++)
			if (!(*p == '_' || (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
			      (*p >= '0' && *p <= '9')))
				return n;
		n++;
	}
	return n;
}

/* assign - make the first n words of c (NAME=VALUE) variables, and drop them from c. */
static void assign(struct cmd *c, int n)
{
	for (int i = 0; i < n; i++) {
		char *eq = strchr(c->argv[i], '=');

		*eq = '\0';
		setenv(c->argv[i], eq + 1, 1);
		*eq = '=';
	}
	memmove(c->argv, c->argv + n, (c->argc - n + 1) * sizeof(c->argv[0]));
	c->argc -= n;
}

/* is_builtin - whether name is one of the commands the shell runs itself. */
static int is_builtin(const char *name)
{
	return !strcmp(name, "cd") || !strcmp(name, "exit") || !strcmp(name, "wait") ||
	       !strcmp(name, "export") || !strcmp(name, "jobs") || !strcmp(name, "fg") ||
	       !strcmp(name, "bg");
}

/*
 * run_builtin - run cd, exit, wait or export; returns the status. "exit" only sets
 * exit_requested: in a child the caller exits with the status anyway.
 */
static int run_builtin(struct cmd *c)
{
	const char *name = c->argv[0];
	char cwd[512];
	pid_t pid;

	if (!strcmp(name, "cd")) {
		const char *dir = c->argc > 1 ? c->argv[1] : getenv("HOME");

		if (chdir(dir ? dir : "/") < 0) {
			fprintf(stderr, "sh: cd: %s: %s\n", dir, strerror(errno));
			return 1;
		}
		if (getcwd(cwd, sizeof(cwd)))
			setenv("PWD", cwd, 1);
		return 0;
	}
	if (!strcmp(name, "exit")) {
		exit_requested = 1;
		return c->argc > 1 ? atoi(c->argv[1]) & 255 : last_status;
	}
	if (!strcmp(name, "wait")) {
		/* Only background jobs remain as children here: wait until none is left. */
		int st;

		while ((pid = wait4(-1, &st, 0, NULL)) > 0 || errno == EINTR)
			if (pid > 0)
				job_event(pid, st);
		return 0;
	}
	if (!strcmp(name, "jobs") || !strcmp(name, "fg") || !strcmp(name, "bg"))
		return job_control(c);
	for (int i = 1; i < c->argc; i++) { /* export NAME=VALUE... */
		char *eq = strchr(c->argv[i], '=');

		if (eq) {
			*eq = '\0';
			setenv(c->argv[i], eq + 1, 1);
		}
	}
	return 0;
}

/*
 * start_child - fork one process of a pipeline and set it up in the child: process group
 * pgid (0 = a new group led by itself), the terminal when in the foreground, default signal
 * actions, pipe ends and redirections, then run the command. Returns the pid in the parent.
 */
static pid_t start_child(struct cmd *c, pid_t pgid, int in_fd, int out_fd, int bg)
{
	pid_t pid = fork();

	if (pid != 0) {
		if (pid > 0)
			setpgid(pid, pgid ? pgid : pid); /* also here, so it holds before we wait */
		return pid;
	}
	setpgid(0, pgid);
	if (!bg && tty_fd >= 0)
		tcsetpgrp(tty_fd, pgid ? pgid : getpid());
	set_job_signals(SIG_DFL);
	if (in_fd >= 0) {
		dup2(in_fd, 0);
		close(in_fd);
	} else if (bg) {
		/* A background job must not compete with the shell for terminal input. */
		int fd = open("/dev/null", O_RDONLY);

		if (fd > 0) {
			dup2(fd, 0);
			close(fd);
		}
	}
	if (out_fd >= 0) {
		dup2(out_fd, 1);
		close(out_fd);
	}
	if (apply_redirs(c) < 0)
		_exit(1);
	assign(c, assignments(c)); /* NAME=VALUE before a command: for it alone */
	if (c->argc == 0)
		_exit(0);
	if (is_builtin(c->argv[0]))
		_exit(run_builtin(c));
	exec_cmd(c->argv);
	_exit(127);
}

/*
 * run_pipeline - run cmds[0] | ... | cmds[n-1], in the background if bg.
 * Returns the status of the last command (0 for a background job).
 */
static int run_pipeline(struct cmd *cmds, int n, int bg)
{
	pid_t pids[MAX_CMDS], pgid = 0;
	int in_fd = -1, started = 0, st;
	struct job fg;

	if (n == 1 && !bg && cmds[0].argc && assignments(&cmds[0]) == cmds[0].argc &&
	    !cmds[0].nredirs) {
		assign(&cmds[0], cmds[0].argc); /* only assignments: the shell's own variables */
		return 0;
	}
	if (n == 1 && !bg && cmds[0].argc && is_builtin(cmds[0].argv[0]))
		return run_builtin(&cmds[0]);
	fflush(NULL);
	for (int i = 0; i < n; i++) {
		int p[2] = {-1, -1};

		if (i < n - 1 && pipe2(p, O_CLOEXEC) < 0) {
			fprintf(stderr, "sh: pipe: %s\n", strerror(errno));
			break;
		}
		pids[i] = start_child(&cmds[i], pgid, in_fd, p[1], bg);
		if (in_fd >= 0)
			close(in_fd);
		if (p[1] >= 0)
			close(p[1]);
		in_fd = p[0];
		if (pids[i] < 0) {
			fprintf(stderr, "sh: fork: %s\n", strerror(errno));
			break;
		}
		if (!pgid)
			pgid = pids[i];
		started++;
	}
	if (in_fd >= 0)
		close(in_fd);
	if (!started)
		return 1;
	if (bg) {
		add_job(pids, started, cmds[0].argc ? cmds[0].argv[0] : "");
		return 0;
	}
	make_job(&fg, pids, started, cmds[0].argc ? cmds[0].argv[0] : "");
	st = wait_fg(&fg, 0);
	return started < n ? 1 : st;
}

/*
 * parse_pipeline - fill cmds from toks[*i] up to a list separator, leaving *i on it.
 * Returns the number of commands, or -1 on a syntax error (message printed).
 */
static int parse_pipeline(struct token *toks, int *i, struct cmd *cmds)
{
	int n = 0;
	struct cmd *c = &cmds[0];

	memset(c, 0, sizeof(*c));
	for (;; (*i)++) {
		struct token *t = &toks[*i];

		if (t->type == T_WORD) {
			if (c->argc == MAX_ARGS) {
				fprintf(stderr, "sh: too many arguments\n");
				return -1;
			}
			c->argv[c->argc++] = t->word;
		} else if (t->type == T_REDIR) {
			if (toks[*i + 1].type != T_WORD || c->nredirs == MAX_REDIRS) {
				fprintf(stderr, "sh: syntax error near redirection\n");
				return -1;
			}
			c->redirs[c->nredirs++] = (struct redir){t->fd, t->op, toks[++*i].word};
		} else if (t->type == T_PIPE) {
			if (!c->argc && !c->nredirs) {
				fprintf(stderr, "sh: syntax error near |\n");
				return -1;
			}
			if (++n == MAX_CMDS) {
				fprintf(stderr, "sh: pipeline too long\n");
				return -1;
			}
			c = &cmds[n];
			memset(c, 0, sizeof(*c));
		} else {
			if (!c->argc && !c->nredirs && (n > 0 || t->type != T_END)) {
				fprintf(stderr, "sh: syntax error: empty command\n");
				return -1;
			}
			return c->argc || c->nredirs ? n + 1 : 0;
		}
	}
}

/*
 * run_line - execute one command line: pipelines joined by ';', '&', '&&' and '||'.
 * Updates last_status; stops early when exit ran or, in a script, Ctrl-C killed a job.
 */
static void run_line(const char *line)
{
	static struct token toks[MAX_TOKENS];
	static struct cmd cmds[MAX_CMDS];
	int skip = 0;

	while (*line) {
		int i = 0, ncmds;
		enum tok_type sep;

		/* A skipped element is still lexed (quietly expanded) to find where it ends. */
		if (lex(&line, toks) < 0 || (ncmds = parse_pipeline(toks, &i, cmds)) < 0) {
			last_status = 2;
			return;
		}
		sep = toks[i].type;
		if (ncmds > 0 && !skip)
			last_status = run_pipeline(cmds, ncmds, sep == T_AMP);
		if (exit_requested)
			return;
		/* A script stops when the user interrupts one of its commands. */
		if (!interactive && last_status == 128 + SIGINT)
			exit(last_status);
		skip = (sep == T_AND && last_status != 0) || (sep == T_OR && last_status == 0);
	}
}

/*
 * read_line - read one line from fd into buf (without the newline). Reads a byte at a
 * time so a command reading the same input (sh < script) sees the rest of it. Returns the
 * length, or -1 at end of input with nothing read.
 */
static int read_line(int fd, char *buf, size_t size)
{
	size_t len = 0;
	int got_any = 0;
	char c;

	for (;;) {
		ssize_t r = read(fd, &c, 1);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got_any = 1;
		if (c == '\n')
			break;
		if (len < size - 1)
			buf[len++] = c;
	}
	buf[len] = '\0';
	if (len == size - 1)
		fprintf(stderr, "sh: line too long, truncated\n");
	return got_any ? (int)len : -1;
}

/*
 * main - parse the invocation, set up job control when we own a terminal, then run the
 * command loop. Exits with the last command's status.
 */
int main(int argc, char **argv)
{
	static char line[MAX_LINE];
	int in = 0;

	set_job_signals(SIG_IGN);
	shell_pgid = getpgrp();
	params = argv;
	if (argc >= 3 && !strcmp(argv[1], "-c")) {
		in = -1;
		if (argc > 3) { /* sh -c LINE NAME ARG...: $0 is NAME */
			params = argv + 3;
		} else {
			static char *only_name[2];
			only_name[0] = argv[0];
			params = only_name;
		}
	} else if (argc >= 2) {
		params = argv + 1;
		in = open(argv[1], O_RDONLY | O_CLOEXEC);
		if (in < 0) {
			fprintf(stderr, "sh: %s: %s\n", argv[1], strerror(errno));
			return 127;
		}
	}
	while (params[nparams + 1])
		nparams++;
	interactive = in == 0 && isatty(0);
	if (interactive) {
		tty_fd = 0;
		setpgid(0, 0);
		shell_pgid = getpgrp();
		tcsetpgrp(tty_fd, shell_pgid);
	} else {
		/* A script still hands the terminal to its jobs, if it is in the foreground. */
		tty_fd = isatty(0) ? 0 : isatty(2) ? 2 : -1;
		if (tty_fd >= 0 && tcgetpgrp(tty_fd) != shell_pgid)
			tty_fd = -1;
	}
	if (in < 0) {
		run_line(argv[2]);
		return last_status;
	}
	while (!exit_requested) {
		reap_jobs();
		if (interactive)
			fputs("holstein$ ", stderr);
		if (read_line(in, line, sizeof(line)) < 0) {
			if (interactive)
				fputc('\n', stderr);
			break;
		}
		run_line(line);
	}
	return last_status;
}
